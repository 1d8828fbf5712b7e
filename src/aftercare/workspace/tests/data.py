"""Treated patients with a course, infusions, check-ins, questionnaires and alerts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from aftercare.accounts.actions import create_patient
from aftercare.accounts.models import Clinic, Patient, User
from aftercare.safety.actions import raise_alerts
from aftercare.safety.rules import Finding, Severity
from aftercare.tracking.models import CheckIn, ScaleResponse
from aftercare.treatment.models import Course, Infusion


def completed_infusion(patient: Patient, course: Course | None, at: datetime) -> Infusion:
    """A 40-minute infusion of 0.5 mg/kg, done at ``at``."""
    return Infusion.objects.create(
        patient=patient,
        course=course,
        status=Infusion.Status.COMPLETED,
        scheduled_at=at,
        started_at=at,
        ended_at=at + timedelta(minutes=40),
        dose_mg_per_kg="0.50",
        dose_mg="35.00",
    )


def treated_patient(
    clinic: Clinic,
    *,
    now: datetime,
    last_name: str,
    first_name: str = "Pat",
    clinician: User | None = None,
    infusions: int = 3,
    first_infusion_days_ago: int = 20,
    mood: int = 6,
    check_in_days: int = 14,
    alert: str | None = None,
    booked_in_days: int | None = None,
) -> Patient:
    patient = create_patient(
        clinic=clinic,
        email=f"{first_name}.{last_name}@example.org".lower(),
        first_name=first_name,
        last_name=last_name,
        timezone="America/New_York",
        clinician=clinician,
    )
    start = now - timedelta(days=first_infusion_days_ago)
    course = Course.objects.create(
        patient=patient, kind=Course.Kind.INDUCTION, planned_infusions=6, started_on=start.date()
    )
    for i in range(infusions):
        completed_infusion(patient, course, start + timedelta(days=2 * i))
    if booked_in_days is not None:
        Infusion.objects.create(
            patient=patient,
            course=course,
            status=Infusion.Status.SCHEDULED,
            scheduled_at=now + timedelta(days=booked_in_days),
        )
    for d in range(check_in_days):
        at = now - timedelta(days=d, hours=2)
        CheckIn.objects.create(
            patient=patient, submitted_at=at, local_date=at.astimezone(patient.tz).date(), mood=mood
        )
    ScaleResponse.objects.create(
        patient=patient, instrument="phq9", answers={}, total=14, taken_at=start - timedelta(days=2)
    )
    if alert:
        raise_alerts(
            patient=patient,
            findings=[Finding("patient_concern", Severity(alert), {"x": 1}, "finding")],
            source_kind="concern",
            now=now - timedelta(hours=1),
        )
    return patient


def treated_patients(
    clinic: Clinic,
    indices: range,
    *,
    now: datetime,
    clinician: User,
    prefix: str,
    check_in_days: Callable[[int], int] = lambda i: 5,
) -> None:
    """A mixed list, numbered by ``indices``: every other patient is ``clinician``'s, every
    third has a high alert open, every fourth an infusion booked in four days."""
    for i in indices:
        treated_patient(
            clinic,
            now=now,
            last_name=f"{prefix}{i:03d}",
            clinician=clinician if i % 2 else None,
            alert="high" if i % 3 == 0 else None,
            booked_in_days=4 if i % 4 == 0 else None,
            check_in_days=check_in_days(i),
        )
