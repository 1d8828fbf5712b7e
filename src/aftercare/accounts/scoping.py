"""The one place that decides who may see which patient.

Views never filter by clinic or role themselves: they ask these functions. Anything
outside the caller's reach is a 404, so its existence is not revealed either.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

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


def staff_visible_to(user: User) -> QuerySet[User]:
    """Only a clinic admin manages staff accounts, and only their own clinic's."""
    if user.role == Role.ADMIN:
        return User.objects.filter(clinic_id=user.clinic_id, role__in=(Role.CLINICIAN, Role.ADMIN))
    return User.objects.none()


def get_staff_member(user: User, member_id: Any) -> User:
    return get_object_or_404(staff_visible_to(user), pk=member_id)


def get_patient(user: User, patient_id: Any) -> Patient:
    return get_object_or_404(patients_visible_to(user), pk=patient_id)


SIGNED_OUT_WHILE_SENDING = _(
    "You were signed out after a while without activity, so what you sent was not saved. "
    "Please sign in and send it again."
)


def _return_to(request: HttpRequest) -> str:
    """Where to go after signing in. A form sent after the session ended goes back to the page
    the form was on (its Referer, when it is this site), not to the address it was sent to,
    which only takes POST (a 405 after signing in)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


def signed_in_required(view: View) -> View:
    """Like ``login_required``, but a form sent after the session ended says so on the sign-in
    page and returns to the page the form was on."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            messages.warning(request, SIGNED_OUT_WHILE_SENDING)
        return redirect_to_login(_return_to(request))

    return cast(View, wrapper)


def _role_required(*roles: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        @signed_in_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if getattr(request.user, "role", None) not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return cast(View, wrapper)

    return decorator


staff_required = _role_required(Role.CLINICIAN, Role.ADMIN)
patient_required = _role_required(Role.PATIENT)
admin_required = _role_required(Role.ADMIN)
