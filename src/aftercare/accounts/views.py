from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from aftercare.accounts import actions, invitations, staff
from aftercare.accounts.forms import InvitePatientForm
from aftercare.accounts.models import Patient, User
from aftercare.accounts.passwords import NewPasswordForm
from aftercare.accounts.scoping import get_patient, patients_visible_to, staff_required
from aftercare.audit.actions import record
from aftercare.guidance.companion import companion_for
from aftercare.tracking.models import CheckIn

# The clinic-wide list is read a page at a time: 10,000 patients on one page took 1.9 s.
PATIENTS_PER_PAGE = 100


@staff_required
def patient_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    # One index probe per patient (patient, -submitted_at): a MAX over a join reads every
    # check-in of the clinic, seconds once patients have a year of history (docs/performance.md).
    last_check_in = Subquery(
        CheckIn.objects.filter(patient=OuterRef("pk"))
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )
    patients = (
        patients_visible_to(user)
        .annotate(last_check_in=last_check_in)
        .order_by("user__last_name", "user__first_name", "pk")  # pk: a stable page order
    )
    # get_page: a page number that is not a number gives the first page, one too large the last.
    page = Paginator(patients, PATIENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "accounts/patient_list.html",
        {"patients": page.object_list, "page": page, "query": urlencode(query)},
    )


@staff_required
def patient_detail(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    record(request, action="view", what="patient record", patient=patient, object_id=patient.pk)
    # discharge: the stage column (treatment.stage) reads it for each row.
    infusions = patient.infusions.select_related("recorded_by", "discharge").order_by(
        "-scheduled_at"
    )[:20]
    return render(
        request,
        "accounts/patient_detail.html",
        {
            "patient": patient,
            "companion": companion_for(patient, timezone.now()),
            "infusions": infusions,
            "check_ins": patient.check_ins.all()[:30],
            "invitation_pending": not patient.user.has_usable_password(),
            "clinician_form": AssignClinicianForm(None, patient=patient),
        },
    )


@staff_required
def invite_patient(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = InvitePatientForm(
        request.POST or None,
        initial={"timezone": user.clinic.timezone},
        clinic_id=user.clinic_id,
    )
    if request.method == "POST" and form.is_valid():
        details = {k: v for k, v in form.cleaned_data.items() if k != "different_person"}
        patient = actions.invite_patient(clinic=user.clinic, invited_by=user, **details)
        messages.success(
            request, _("Invitation sent to %(email)s.") % {"email": patient.user.email}
        )
        return redirect("patient_detail", patient_id=patient.pk)
    return render(
        request, "accounts/invite.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
@staff_required
def resend_invitation(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    if patient.user.has_usable_password():
        messages.info(request, _("This patient has already set a password."))
    else:
        actions.send_invitation(patient=patient, invited_by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("A new invitation is on its way."))
    return redirect("patient_detail", patient_id=patient.pk)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    user = invitations.user_for_token(token)
    if user is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.accept_invitation(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="aftercare.accounts.backends.AftercareBackend")
        messages.success(request, _("Welcome. Your account is ready."))
        return redirect("home")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "invited": user},
        status=400 if form.errors else 200,
    )


class SignOutView(auth_views.LogoutView):
    """Django's sign-out, saying on the sign-in page that it worked (a shared phone or
    computer: the patient sees they are out)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are signed out."))
        return response


class AssignClinicianForm(forms.Form):
    clinician = forms.ChoiceField(
        label=_lazy("Assigned clinician"),
        error_messages={"invalid_choice": _lazy("Choose someone from the list.")},
        required=False,
    )

    def __init__(self, data: Any, *, patient: Patient) -> None:
        super().__init__(data, initial={"clinician": patient.clinician_id or ""})
        self.staff = {str(u.pk): u for u in staff.assignable_staff(patient.clinic_id)}
        current = patient.clinician
        if current is not None and str(current.pk) not in self.staff:
            self.staff[str(current.pk)] = current  # shown as it is, e.g. a deactivated account
        choices: list[tuple[str, Any]] = [
            ("", _lazy("Nobody in particular (the whole team sees them)"))
        ]
        choices += [(pk, u.get_full_name() or u.email) for pk, u in self.staff.items()]
        self.fields["clinician"].choices = choices  # type: ignore[attr-defined]


@require_POST
@staff_required
def assign_clinician(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    form = AssignClinicianForm(request.POST, patient=patient)
    if not form.is_valid():
        messages.error(request, _("Choose someone from the list."))
        return redirect("patient_detail", patient_id=patient.pk)
    chosen = form.staff.get(form.cleaned_data["clinician"])
    if chosen is not None and chosen.pk == patient.clinician_id:
        messages.info(request, _("Nothing changed."))
        return redirect("patient_detail", patient_id=patient.pk)
    try:
        staff.assign_clinician(patient, clinician=chosen, by=request.user)  # type: ignore[arg-type]
    except staff.StaffChangeRefused as refusal:
        messages.error(request, str(refusal))
    else:
        name = (chosen.get_full_name() or chosen.email) if chosen else None
        messages.success(
            request,
            _("%(name)s is now the clinician for this patient.") % {"name": name}
            if name
            else _("This patient now has no assigned clinician."),
        )
    return redirect("patient_detail", patient_id=patient.pk)
