"""Test data for sessions, set up through treatment.actions like real use."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aftercare.accounts.models import Patient, User
from aftercare.treatment import actions
from aftercare.treatment.models import Course, Infusion, Route

NORMAL = {
    "systolic_mmhg": 122,
    "diastolic_mmhg": 78,
    "heart_rate_bpm": 72,
    "spo2_pct": 98,
    "respiratory_rate": 14,
}
AWAKE = {**NORMAL, "moaas": 5, "dissociation": 0, "nausea": 0}
GOOD_CHECKLIST: dict[str, Any] = {
    "padss_vital_signs": 2,
    "padss_nausea_pain": 2,
    "padss_bleeding": 2,
    "padss_intake_output": 2,
    "oriented": True,
    "walks_steadily": True,
    "escort_name": "Sam Archer",
    "escort_phone": "+1 555 0199",
    "instructions_given": True,
    "adverse_events": "none",
}


def session_id_of(patient: Patient) -> int:
    """One scheduled appointment of the patient's, tomorrow (made once, then reused)."""
    existing = patient.infusions.filter(status=Infusion.Status.SCHEDULED).first()
    if existing is not None:
        return existing.pk
    staff = (
        patient.clinician
        or User.objects.filter(clinic=patient.clinic).exclude(role="patient").first()
    )
    assert staff is not None
    course = actions.schedule_course(
        patient=patient,
        by=staff,
        kind=Course.Kind.INDUCTION,
        times=[timezone.now() + timedelta(days=1)],
        route=Route.IV,
    )
    return course.infusions.get().pk


def book(patient: Patient, by: User, at: datetime, *, route: str = Route.IV) -> Infusion:
    course = actions.schedule_course(
        patient=patient, by=by, kind=Course.Kind.INDUCTION, times=[at], route=route
    )
    return course.infusions.get()


def run_until_end(
    infusion: Infusion,
    by: User,
    *,
    arrived: datetime,
    started: datetime,
    ended: datetime,
    pre_dose: dict[str, int | None] | None = None,
    weight_kg: str = "72.4",
    dose_mg_per_kg: str | None = "0.5",
    dose_mg: str | None = None,
) -> Infusion:
    """Arrival, pre-dose observations, start and end, as a nurse records them."""
    actions.record_arrival(infusion=infusion, at=arrived, by=by)
    actions.record_pre_dose(
        infusion=infusion,
        by=by,
        route=infusion.route,
        weight_kg=Decimal(weight_kg) if weight_kg else None,
        dose_mg_per_kg=Decimal(dose_mg_per_kg) if dose_mg_per_kg else None,
        dose_mg=Decimal(dose_mg) if dose_mg else None,
        taken_at=arrived + timedelta(minutes=5),
        vitals=pre_dose or NORMAL,
    )
    actions.start_session(infusion=infusion, at=started, by=by)
    actions.end_session(infusion=infusion, at=ended, by=by)
    infusion.refresh_from_db()
    return infusion


def start_dosing(infusion: Infusion, by: User, *, arrived: datetime, started: datetime) -> None:
    """Arrival, pre-dose observations (no dose recorded) and the start: the patient is in the
    chair, being dosed, with no end yet."""
    actions.record_arrival(infusion=infusion, at=arrived, by=by)
    actions.record_pre_dose(
        infusion=infusion,
        by=by,
        route=infusion.route,
        weight_kg=None,
        dose_mg_per_kg=None,
        dose_mg=None,
        taken_at=arrived + timedelta(minutes=5),
        vitals=NORMAL,
    )
    actions.start_session(infusion=infusion, at=started, by=by)


def add_round(infusion: Infusion, by: User, at: datetime, **values: int) -> None:
    actions.add_round(infusion=infusion, by=by, taken_at=at, vitals={**AWAKE, **values})
