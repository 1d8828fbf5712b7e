"""The discharge sheet for staff (HTML and PDF) and for the driver (signed public link)."""

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from aftercare.accounts.scoping import staff_required
from aftercare.audit.actions import record
from aftercare.treatment import actions, driver
from aftercare.treatment.forms import DriverConfirmForm
from aftercare.treatment.selectors import get_session
from aftercare.treatment.sheet import render_pdf, sheet_for

logger = logging.getLogger(__name__)


@never_cache
@staff_required
def discharge_instructions(request: HttpRequest, infusion_id: int) -> HttpResponse:
    infusion = get_session(request.user, infusion_id)  # type: ignore[arg-type]
    record(request, action="view", what="discharge instructions", patient=infusion.patient,
           object_id=infusion.pk)  # fmt: skip
    return render(
        request,
        "treatment/instructions.html",
        {"sheet": sheet_for(infusion, timezone.now()), "infusion": infusion},
    )


@never_cache
@staff_required
def discharge_instructions_pdf(request: HttpRequest, infusion_id: int) -> HttpResponse:
    infusion = get_session(request.user, infusion_id)  # type: ignore[arg-type]
    record(request, action="export", what="discharge instructions (PDF)", patient=infusion.patient,
           object_id=infusion.pk)  # fmt: skip
    try:
        pdf = render_pdf(sheet_for(infusion, timezone.now()))
    except (ImportError, OSError):  # WeasyPrint without Pango on this machine
        logger.exception("PDF rendering unavailable")
        messages.error(request, _("The PDF cannot be made on this server. Print this page."))
        return redirect("discharge_instructions", infusion_id=infusion.pk)
    day = timezone.localtime(infusion.ended_at or infusion.scheduled_at).date()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="discharge-instructions-{day}.pdf"'
    return response


@never_cache
def driver_sheet(request: HttpRequest, token: str) -> HttpResponse:
    """Public, by signed link only: the patient's name and the instructions, and one button to
    confirm the patient is home. No other patient data."""
    discharge = driver.discharge_for_token(token)
    if discharge is None:
        return render(request, "treatment/driver_invalid.html", status=404)
    infusion = discharge.infusion
    patient = infusion.patient
    form = DriverConfirmForm(request.POST or None, initial={"name": discharge.escort_name})
    if request.method == "POST" and form.is_valid():
        actions.confirm_arrival_home(
            discharge=discharge, name=form.cleaned_data["name"], now=timezone.now(),
            request=request,
        )  # fmt: skip
        messages.success(request, _("Thank you. The clinic can see that you arrived home."))
        return redirect("driver_sheet", token=token)
    if request.method != "POST":
        record(request, actor=None, action="view", what="discharge sheet (driver link)",
               patient=patient, object_id=infusion.pk)  # fmt: skip
    with timezone.override(patient.clinic.tz):
        return render(
            request,
            "treatment/driver_sheet.html",
            {
                "sheet": sheet_for(infusion, timezone.now()),
                "clinic": patient.clinic,
                "form": form,
                "confirmation": getattr(discharge, "arrival_confirmation", None),
                "first_name": patient.user.first_name or patient.display_name,
            },
            status=400 if form.errors else 200,
        )
