"""What clinic staff read through the API: their own clinic's patients, nothing else.

Every patient is fetched through accounts.scoping: another clinic's patient is a 404.
"""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.db.models import Count, Q
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router

from aftercare.accounts.models import Patient, User
from aftercare.accounts.scoping import get_patient, patients_visible_to
from aftercare.api import schemas as s
from aftercare.api.auth import STAFF, auth_for
from aftercare.api.common import READ_ERRORS, filter_dates, filter_days, page
from aftercare.api.patient_api import check_in_out, scale_out
from aftercare.audit.actions import record, record_many
from aftercare.insights.patient import PatientInsights
from aftercare.interop.fhir import iter_resources, patient_bundle
from aftercare.interop.fhir_export import dumps
from aftercare.outcomes.selectors import patient_insights
from aftercare.safety.models import Alert
from aftercare.safety.views import alerts_visible_to
from aftercare.treatment.models import Infusion
from aftercare.treatment.stage import Stage, stage_of

router = Router(auth=auth_for(STAFF), tags=["staff"])


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _patient(request: HttpRequest, patient_id: UUID, what: str, action: str = "view") -> Patient:
    patient = get_patient(_user(request), patient_id)
    record(request, action=action, what=f"{what} (API)", patient=patient, object_id=patient.pk)
    return patient


def patient_out(patient: Patient) -> dict[str, Any]:
    return {
        "id": patient.pk,
        "name": patient.display_name,
        "email": patient.user.email,
        "birth_year": patient.birth_year,
        "phone": patient.phone,
        "support_name": patient.support_name,
        "support_phone": patient.support_phone,
        "timezone": patient.timezone,
        "clinician_email": patient.clinician.email if patient.clinician else None,
        "created_at": patient.created_at,
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def infusion_out(infusion: Infusion) -> dict[str, Any]:
    stage = stage_of(infusion)  # reads the discharge: select it with the infusions
    return {
        "id": infusion.pk,
        "course_id": infusion.course_id,
        "status": infusion.status,
        "stage": stage.stage.value,
        "discharged_at": stage.since if stage.stage == Stage.DISCHARGED else None,
        "route": infusion.route,
        "scheduled_at": infusion.scheduled_at,
        "started_at": infusion.started_at,
        "ended_at": infusion.ended_at,
        "dose_mg_per_kg": _number(infusion.dose_mg_per_kg),
        "weight_kg": _number(infusion.weight_kg),
        "dose_mg": _number(infusion.dose_mg),
        "total_mg": _number(infusion.total_mg),
    }


def alert_out(alert: Alert) -> dict[str, Any]:
    rule = alert.rule
    return {
        "id": alert.pk,
        "patient_id": alert.patient_id,
        "severity": alert.severity,
        "rule_id": alert.rule_id,
        "title": rule.title if rule else alert.rule_id,
        "explanation": alert.explanation,
        "status": alert.status,
        "source_kind": alert.source_kind,
        "triggering_answers": alert.triggering_answers or {},
        "created_at": alert.created_at,
        "ack_due_at": alert.ack_due_at,
        "acknowledged_at": alert.acknowledged_at,
        "resolved_at": alert.resolved_at,
    }


def trajectory_out(insights: PatientInsights) -> dict[str, Any]:
    t = insights.trajectory
    return {
        "today": insights.today,
        "trajectory": str(t.trajectory),
        "missing": t.missing.name.lower() if t.missing else None,
        "baseline": t.baseline,
        "baseline_days": t.baseline_days,
        "first_infusion": t.first_infusion,
        "peak": t.peak,
        "peak_on": t.peak_on,
        "recent": t.recent,
        "slope": t.slope,
        "peak_gain": t.peak_gain,
        "recent_gain": t.recent_gain,
        "retained": t.retained,
        "post_days": t.post_days,
        "last_check_in": t.last_check_in,
        "follow_up_days": t.follow_up_days,
        "courses": [
            {
                "course_id": c.course.id if c.course.id > 0 else None,
                "kind": c.course.kind,
                "planned": c.course.planned,
                "done": c.done,
                "status": c.status,
                "first_day": c.first_day,
                "last_day": c.last_day,
            }
            for c in insights.courses
        ],
        "booster_proposed": insights.booster_proposed,
        "booster_review_pending": insights.booster_review_pending,
        "non_response": insights.non_response is not None,
    }


@router.get("/patients", response={200: s.PatientPage} | READ_ERRORS)
def list_patients(request: HttpRequest, query: Query[s.PageQuery]) -> dict[str, Any]:
    """The clinic's patients by name; ``from``/``to`` filter on the day the record was made."""
    user = _user(request)
    patients = patients_visible_to(user).select_related("clinician")
    patients = filter_days(patients, "created_at", query, user.clinic.tz)
    rows, meta = page(patients.order_by("user__last_name", "user__first_name", "pk"), query)
    record_many(
        request,
        action="view",
        what="patient list (API)",
        clinic_id=user.clinic_id,
        patient_ids=(p.pk for p in rows),
    )
    return {"items": [patient_out(p) for p in rows], **meta}


@router.get("/patients/{patient_id}", response={200: s.PatientOut} | READ_ERRORS)
def get_patient_record(request: HttpRequest, patient_id: UUID) -> dict[str, Any]:
    return patient_out(_patient(request, patient_id, "patient record"))


@router.get("/patients/{patient_id}/courses", response={200: list[s.CourseOut]} | READ_ERRORS)
def patient_courses(request: HttpRequest, patient_id: UUID) -> list[dict[str, Any]]:
    """Every course of treatment, oldest first, with the infusions completed in it."""
    patient = _patient(request, patient_id, "courses")
    courses = patient.courses.annotate(
        completed=Count("infusions", filter=Q(infusions__status=Infusion.Status.COMPLETED))
    ).order_by("started_on", "pk")
    return [
        {
            "id": c.pk,
            "kind": c.kind,
            "planned_infusions": c.planned_infusions,
            "started_on": c.started_on,
            "completed_infusions": c.completed,
        }
        for c in courses
    ]


@router.get("/patients/{patient_id}/infusions", response={200: s.InfusionPage} | READ_ERRORS)
def patient_infusions(
    request: HttpRequest, patient_id: UUID, query: Query[s.PageQuery]
) -> dict[str, Any]:
    """Infusions by appointment time, newest first; ``from``/``to`` in the patient's days."""
    patient = _patient(request, patient_id, "infusions")
    infusions = filter_days(
        patient.infusions.select_related("discharge"), "scheduled_at", query, patient.tz
    )
    rows, meta = page(infusions.order_by("-scheduled_at", "-pk"), query)
    return {"items": [infusion_out(i) for i in rows], **meta}


@router.get("/patients/{patient_id}/check-ins", response={200: s.CheckInPage} | READ_ERRORS)
def patient_check_ins(
    request: HttpRequest, patient_id: UUID, query: Query[s.PageQuery]
) -> dict[str, Any]:
    patient = _patient(request, patient_id, "check-ins")
    rows, meta = page(filter_dates(patient.check_ins.all(), "local_date", query), query)
    return {"items": [check_in_out(r) for r in rows], **meta}


@router.get("/patients/{patient_id}/scales", response={200: s.ScalePage} | READ_ERRORS)
def patient_scales(
    request: HttpRequest, patient_id: UUID, query: Query[s.PageQuery]
) -> dict[str, Any]:
    patient = _patient(request, patient_id, "questionnaires")
    responses = filter_days(patient.scale_responses.all(), "taken_at", query, patient.tz)
    rows, meta = page(responses, query)
    return {"items": [scale_out(r) for r in rows], **meta}


@router.get("/patients/{patient_id}/trajectory", response={200: s.TrajectoryOut} | READ_ERRORS)
def patient_trajectory(request: HttpRequest, patient_id: UUID) -> dict[str, Any]:
    """The response insights the outcomes pages show: trajectory class, gains, courses."""
    patient = _patient(request, patient_id, "response trajectory")
    return trajectory_out(patient_insights(patient))


@router.get("/patients/{patient_id}/fhir", response={200: s.FhirBundle} | READ_ERRORS)
def patient_fhir(request: HttpRequest, patient_id: UUID) -> dict[str, Any]:
    """The patient's record as a FHIR R4 Bundle: Patient, infusions, questionnaires, mood."""
    return patient_bundle(_patient(request, patient_id, "FHIR record", action="export"))


FHIR_TYPES = Literal[
    "Patient", "Procedure", "MedicationAdministration", "QuestionnaireResponse", "Observation"
]
BULK_CHUNK = 100  # patients read at a time

NDJSON = {
    "description": "One FHIR R4 resource per line (FHIR Bulk Data layout: one file per type).",
    "content": {"application/fhir+ndjson": {"schema": {"type": "string"}}},
}


@router.get(
    "/fhir/{resource_type}",
    response=READ_ERRORS,
    openapi_extra={"responses": {200: NDJSON}},
)
def bulk_fhir(request: HttpRequest, resource_type: FHIR_TYPES) -> StreamingHttpResponse:
    """Bulk FHIR export of the clinic: every resource of one type for all its patients, as
    NDJSON, streamed (patients and their rows are read in chunks, as ``aftercare export fhir``
    does), so memory stays flat however large the clinic. Each patient exported leaves an audit
    record."""
    user = _user(request)
    patients = patients_visible_to(user).order_by("created_at", "pk")
    # Audited when asked for, before the first line goes out (ids only, in chunks).
    ids = list(patients.values_list("pk", flat=True))
    for i in range(0, len(ids), 1000):
        record_many(
            request,
            action="export",
            what="FHIR bulk export (API)",
            clinic_id=user.clinic_id,
            patient_ids=ids[i : i + 1000],
        )

    def lines() -> Iterator[str]:
        for patient in patients.iterator(chunk_size=BULK_CHUNK):
            for resource in iter_resources(patient):
                if resource["resourceType"] == resource_type:
                    yield dumps(resource) + "\n"

    response = StreamingHttpResponse(lines(), content_type="application/fhir+ndjson")
    response["Content-Disposition"] = f'attachment; filename="{resource_type}.ndjson"'
    return response


@router.get("/patients/{patient_id}/alerts", response={200: s.AlertPage} | READ_ERRORS)
def patient_alerts(
    request: HttpRequest, patient_id: UUID, query: Query[s.AlertQuery]
) -> dict[str, Any]:
    patient = _patient(request, patient_id, "safety alerts")
    return _alert_page(Alert.objects.filter(patient=patient), query, patient.tz)


@router.get("/alerts", response={200: s.AlertPage} | READ_ERRORS)
def list_alerts(request: HttpRequest, query: Query[s.AlertQuery]) -> dict[str, Any]:
    """The clinic's safety alerts, newest first; ``status`` filters (open, acknowledged, ...)."""
    user = _user(request)
    result = _alert_page(alerts_visible_to(user), query, user.clinic.tz)
    record_many(
        request,
        action="view",
        what="safety alerts (API)",
        clinic_id=user.clinic_id,
        patient_ids=(a["patient_id"] for a in result["items"]),
    )
    return result


def _alert_page(alerts: Any, query: s.AlertQuery, tz: Any) -> dict[str, Any]:
    if query.status:
        alerts = alerts.filter(status=query.status)
    alerts = filter_days(alerts, "created_at", query, tz).order_by("-created_at", "-pk")
    rows, meta = page(alerts, query)
    return {"items": [alert_out(a) for a in rows], **meta}
