"""The one place that decides who may see which patient.

Views never filter by clinic or role themselves: they ask these functions. Anything
outside the caller's reach is a 404, so its existence is not revealed either.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from aftercare.accounts.models import Patient, Role, User

if TYPE_CHECKING:
    from aftercare.audit.models import AuditEvent

# Each decorated view keeps its own type (a page, or a streamed download).
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def patients_visible_to(user: User) -> QuerySet[Patient]:
    """Staff see their own clinic's patients; a patient sees only their own record."""
    patients = Patient.objects.select_related("user", "clinic")
    if user.role in (Role.CLINICIAN, Role.ADMIN):
        return patients.filter(clinic_id=user.clinic_id)
    if user.role == Role.PATIENT:
        return patients.filter(user=user)
    return patients.none()


def audit_events_visible_to(user: User) -> "QuerySet[AuditEvent]":
    """Only a clinic admin reads the audit log, and only their own clinic's."""
    from aftercare.audit.models import AuditEvent

    if user.role == Role.ADMIN:
        return AuditEvent.objects.filter(clinic_id=user.clinic_id)
    return AuditEvent.objects.none()


def get_patient(user: User, patient_id: Any) -> Patient:
    return get_object_or_404(patients_visible_to(user), pk=patient_id)


def _role_required(*roles: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if getattr(request.user, "role", None) not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return cast(View, wrapper)

    return decorator


staff_required = _role_required(Role.CLINICIAN, Role.ADMIN)
patient_required = _role_required(Role.PATIENT)
admin_required = _role_required(Role.ADMIN)
