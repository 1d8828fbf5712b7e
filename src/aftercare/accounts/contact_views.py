"""Contact details: edited by staff on the patient record, and by the patient themselves."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from aftercare.accounts import contact
from aftercare.accounts.models import Patient, User
from aftercare.accounts.scoping import get_patient, patient_required, staff_required
from aftercare.audit.actions import record


def _edit(request: HttpRequest, patient: Patient, *, own: bool, done: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    posted = request.method == "POST"
    form = contact.ContactForm(
        request.POST if posted else None, initial=contact.initial_for(patient), own=own
    )
    if posted and form.is_valid():
        values = {name: form.cleaned_data[name] for name in contact.CONTACT_FIELDS}
        if contact.update_contact(patient=patient, by=user, values=values, request=request):
            messages.success(request, _("Contact details saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect(done)
    if not posted:
        record(
            request, action="view", what="contact details", patient=patient, object_id=patient.pk
        )
    return render(
        request,
        "accounts/contact.html",
        {"form": form, "patient": patient, "own": own, "back": done},
        status=400 if form.errors else 200,
    )


@staff_required
def patient_contact(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    return _edit(request, patient, own=False, done=reverse("patient_detail", args=[patient.pk]))


@patient_required
def my_contact(request: HttpRequest) -> HttpResponse:
    patient: Patient = request.user.patient  # type: ignore[union-attr]
    return _edit(request, patient, own=True, done=reverse("my_contact"))
