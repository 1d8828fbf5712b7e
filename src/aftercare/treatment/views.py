from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from aftercare.accounts.scoping import get_patient, staff_required
from aftercare.treatment.actions import record_infusion
from aftercare.treatment.forms import InfusionForm


@staff_required
def new_infusion(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    form = InfusionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record_infusion(patient=patient, recorded_by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Infusion recorded."))
        return redirect("patient_detail", patient_id=patient.pk)
    return render(
        request,
        "treatment/infusion_form.html",
        {"patient": patient, "form": form},
        status=400 if form.errors else 200,
    )
