from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from aftercare.accounts.scoping import patient_required
from aftercare.audit.actions import record
from aftercare.guidance.companion import companion_for, read_infusions, timeline_for
from aftercare.guidance.fragments import blank_check_in_fields
from aftercare.guidance.texts import NOT_RESPONDING, PHASE_TEXTS
from aftercare.library.selectors import articles_for_phase
from aftercare.outcomes.selectors import response_note
from aftercare.outcomes.texts import BOOSTER_REVIEW
from aftercare.safety.screening import unsaved_help
from aftercare.tracking.forms import CheckInForm


@patient_required
def patient_home(request: HttpRequest, form: CheckInForm | None = None) -> HttpResponse:
    user = request.user
    patient = user.patient  # type: ignore[union-attr]
    if patient.clinic_id == user.clinic_id:  # type: ignore[union-attr]
        patient.clinic = user.clinic  # type: ignore[union-attr]  # one read for page and layout
    recent = list(patient.check_ins.all()[:7])
    today = timezone.now().astimezone(patient.tz).date()
    # Said above the form, so that a second check-in on one day is a choice, not a slip.
    checked_in_today = recent[0] if recent and recent[0].local_date == today else None
    infusions = read_infusions(patient)  # once, for the phase and the questionnaires due
    companion = companion_for(patient, timezone.now(), infusions)
    note = response_note(patient)
    record(request, action="view", what="patient home", patient=patient)
    return render(
        request,
        "guidance/home.html",
        {
            "patient": patient,
            "companion": companion,
            "infusions": infusions,
            "response_note": note,
            "booster_review_text": BOOSTER_REVIEW,
            "not_responding": NOT_RESPONDING if note.not_responding else None,
            "phase_articles": articles_for_phase(
                companion.state.phase, clinic=patient.clinic, not_responding=note.not_responding
            ),
            "form": form or CheckInForm(),
            "blank_fields": blank_check_in_fields() if form is None else None,
            "unsaved_message": form is not None
            and form.errors
            and unsaved_help(form.urgent_signs(), form.typed_note()),
            "recent": recent,
            "checked_in_today": checked_in_today,
        },
        status=400 if form is not None and form.errors else 200,
    )


@patient_required
def recovery_timeline(request: HttpRequest) -> HttpResponse:
    patient = request.user.patient  # type: ignore[union-attr]
    companion = companion_for(patient, timezone.now())
    note = response_note(patient)
    record(request, action="view", what="recovery timeline", patient=patient)
    return render(
        request,
        "guidance/timeline.html",
        {
            "patient": patient,
            "companion": companion,
            "stages": timeline_for(patient, companion),
            "not_responding": NOT_RESPONDING if note.not_responding else None,
            "phase_articles": articles_for_phase(
                companion.state.phase, clinic=patient.clinic, not_responding=note.not_responding
            ),
            "all_texts": PHASE_TEXTS,
        },
    )
