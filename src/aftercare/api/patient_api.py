"""What patients do through the API: check in, fill in questionnaires, read their phase.

Submissions go through the web forms' validation (tracking.forms) and the same actions
(tracking.actions), so safety screening, alerts and audit are exactly those of the web.
"""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from aftercare.accounts.models import Patient
from aftercare.api import schemas as s
from aftercare.api.auth import PATIENTS, auth_for
from aftercare.api.common import READ_ERRORS, WRITE_ERRORS, filter_dates, filter_days, page
from aftercare.api.crisis import crisis_for, next_steps_for, unsaved_crisis
from aftercare.api.errors import InputRefused
from aftercare.audit.actions import record
from aftercare.guidance.companion import companion_for
from aftercare.interop.fhir import patient_bundle
from aftercare.safety.screening import screen_unsaved_check_in, screen_unsaved_scale, unsaved_help
from aftercare.tracking import actions
from aftercare.tracking.forms import CheckInForm, ScaleForm
from aftercare.tracking.instruments import INSTRUMENTS, Instrument
from aftercare.tracking.models import CheckIn, ScaleResponse
from aftercare.tracking.scoring import AnswersInvalid

router = Router(auth=auth_for(PATIENTS), tags=["patient"])


def _patient(request: HttpRequest) -> Patient:
    patient = getattr(request.auth, "patient", None)  # type: ignore[attr-defined]
    if patient is None:  # a patient login without a record: nothing to show
        raise Http404
    return patient


def _form_errors(form: Any) -> list[tuple[str | None, str]]:
    return [
        (None if field == "__all__" else field, str(message))
        for field, messages in form.errors.items()
        for message in messages
    ]


def check_in_out(entry: CheckIn) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in s.CheckInOut.model_fields}


def scale_out(response: ScaleResponse) -> dict[str, Any]:
    definition = INSTRUMENTS.get(response.instrument)
    band = definition.band_for(response.total) if definition else None
    return {
        "id": response.pk,
        "instrument": response.instrument,
        "taken_at": response.taken_at,
        "total": response.total,
        "band": {"key": band.key, "label": band.label} if band else {"key": "", "label": ""},
        "answers": {str(k): int(v) for k, v in (response.answers or {}).items()},
    }


@router.get("/me/phase", response={200: s.PhaseOut} | READ_ERRORS)
def my_phase(request: HttpRequest) -> dict[str, Any]:
    """Where the patient is in recovery, with what to expect, do and avoid now."""
    patient = _patient(request)
    companion = companion_for(patient, timezone.now())
    record(request, action="view", what="recovery phase (API)", patient=patient)
    state, text = companion.state, companion.text
    last, upcoming = companion.last_infusion, companion.next_infusion
    return {
        "phase": str(state.phase),
        "headline": companion.headline,
        "title": str(text.title),
        "summary": str(text.summary),
        "expect": [str(t) for t in text.expect],
        "do": [str(t) for t in text.do],
        "avoid": [str(t) for t in text.avoid],
        "activities": [str(t) for t in text.activities],
        "day_index": state.day_index,
        "infusion_number": state.infusion_number,
        "series_total": state.series_total,
        "next_phase": str(state.next_phase) if state.next_phase else None,
        "next_phase_title": str(companion.next_title) if companion.next_title else None,
        "next_transition_at": state.next_transition_at,
        "in_neuroplasticity_window": state.in_neuroplasticity_window,
        "in_emergence_window": state.in_emergence_window,
        "last_infusion_ended_at": last.ended_at if last else None,
        "next_infusion_at": upcoming.scheduled_at if upcoming else None,
        "gradual_response_note": (
            str(companion.gradual_response.summary) if companion.gradual_response else None
        ),
    }


@router.get("/me/fhir", response={200: s.FhirBundle} | READ_ERRORS)
def my_fhir(request: HttpRequest) -> dict[str, Any]:
    """The patient's own record as a FHIR R4 Bundle."""
    patient = _patient(request)
    record(request, action="export", what="FHIR record (API)", patient=patient)
    return patient_bundle(patient)


@router.get("/me/check-ins", response={200: s.CheckInPage} | READ_ERRORS)
def my_check_ins(request: HttpRequest, query: Query[s.PageQuery]) -> dict[str, Any]:
    """The patient's own check-ins, newest first; ``from``/``to`` are the patient's local days."""
    patient = _patient(request)
    rows, meta = page(filter_dates(patient.check_ins.all(), "local_date", query), query)
    record(request, action="view", what="check-ins (API)", patient=patient)
    return {"items": [check_in_out(r) for r in rows], **meta}


def _check_in_form_data(payload: s.CheckInIn) -> dict[str, str]:
    """The JSON answers as the web form would post them."""
    data: dict[str, str] = {}
    for name, value in payload.model_dump(exclude={"submission_key"}).items():
        if value is None or (value is False and name not in CheckInForm.WARNING_SIGNS):
            continue
        if name in CheckInForm.WARNING_SIGNS:
            data[name] = "yes" if value else "no"
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value)
    if payload.submission_key is not None:
        data["submission_key"] = str(payload.submission_key)
    return data


@router.post("/me/check-ins", response={201: s.CheckInCreated} | WRITE_ERRORS)
def submit_check_in(request: HttpRequest, payload: s.CheckInIn) -> Status:
    """Store a check-in; it is screened for warning signs at once, as on the web.

    An urgent answer, or crisis words about suicide or self-harm in the note, brings ``crisis``
    (where to get help now) in this response, also when the input is refused (422). A high
    warning sign that is not a crisis (panic, say) brings ``next_steps`` instead.
    """
    patient = _patient(request)
    form = CheckInForm(_check_in_form_data(payload))
    if not form.is_valid():
        screen_unsaved_check_in(
            patient,
            signs=form.urgent_signs(),
            submission_key=form.submitted_key(),
            note=form.typed_note(),
        )
        message = unsaved_help(form.urgent_signs(), form.typed_note())
        crisis = unsaved_crisis(patient.clinic, message) if message else None
        raise InputRefused(_form_errors(form), crisis)
    entry, alerts = actions.submit_check_in(
        patient=patient,
        answers=form.answers(),
        actor=request.auth,  # type: ignore[attr-defined]
        submission_key=form.submitted_key(),
    )
    return Status(
        201,
        {
            "check_in": check_in_out(entry),
            "care_team_notified": bool(alerts),
            "crisis": crisis_for(patient.clinic, alerts),
            "next_steps": next_steps_for(patient, alerts),
        },
    )


@router.get("/me/scales", response={200: s.ScalePage} | READ_ERRORS)
def my_scales(request: HttpRequest, query: Query[s.PageQuery]) -> dict[str, Any]:
    """The patient's questionnaires (PHQ-9, GAD-7), newest first, with totals and bands."""
    patient = _patient(request)
    responses = filter_days(patient.scale_responses.all(), "taken_at", query, patient.tz)
    rows, meta = page(responses, query)
    record(request, action="view", what="questionnaires (API)", patient=patient)
    return {"items": [scale_out(r) for r in rows], **meta}


def _scale_form(patient: Patient, definition: Instrument, payload: s.ScaleIn) -> ScaleForm:
    data = {key: str(value) for key, value in payload.answers.items()}
    if payload.submission_key is not None:
        data["submission_key"] = str(payload.submission_key)
    form = ScaleForm(definition, data)
    unknown = set(payload.answers) - {item.id for item in definition.items}
    if not form.is_valid() or unknown:
        errors = _form_errors(form) if form.errors else []
        errors += [(f"answers.{key}", "Not an item of this questionnaire.") for key in unknown]
        # An answer about safety reaches the care team even though the rest is refused.
        warning = form.warning_answers()
        screen_unsaved_scale(
            patient,
            instrument=definition.key,
            answers=warning,
            submission_key=form.submitted_key(),
        )
        crisis = unsaved_crisis(patient.clinic, "UNSAVED_QUESTIONNAIRE") if warning else None
        raise InputRefused(
            [(f"answers.{f}" if f and not f.startswith("answers.") else f, m) for f, m in errors],
            crisis,
        )
    return form


@router.post("/me/scales/{instrument}", response={201: s.ScaleCreated} | WRITE_ERRORS)
def submit_scale(request: HttpRequest, instrument: s.InstrumentKey, payload: s.ScaleIn) -> Status:
    """Score, store and screen a questionnaire; item 9 of the PHQ-9 above 0 brings ``crisis``
    (its reasons only when urgent, from 2: "more than half the days")."""
    patient = _patient(request)
    definition = INSTRUMENTS[instrument]
    form = _scale_form(patient, definition, payload)
    try:
        response, result, alerts = actions.submit_scale_response(
            patient=patient,
            instrument=definition,
            answers=form.answers(),
            request=request,
            submission_key=form.submitted_key(),
        )
    except AnswersInvalid as exc:
        raise InputRefused(
            [(f"answers.{item}", problem) for item, problem in exc.errors.items()]
        ) from None
    return Status(
        201,
        {
            "response": scale_out(response),
            "warning_items": [item.id for item in result.warnings],
            "care_team_notified": bool(alerts),
            "crisis": crisis_for(patient.clinic, alerts, warning=bool(result.warnings)),
            # An item-9 warning brings ``crisis`` instead, as on the web score page.
            "next_steps": None if result.warnings else next_steps_for(patient, alerts),
        },
    )
