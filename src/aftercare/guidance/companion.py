"""Where a patient is in recovery: the pure phase engine fed from the database."""

from dataclasses import dataclass
from datetime import datetime

from aftercare.accounts.models import Patient
from aftercare.guidance.phases import Infusion, PhaseState, current_phase
from aftercare.guidance.texts import PHASE_TEXTS, PhaseText
from aftercare.treatment.models import Course
from aftercare.treatment.models import Infusion as InfusionRecord


@dataclass(frozen=True)
class Companion:
    state: PhaseState
    text: PhaseText
    series_number: int | None  # position in the induction series, e.g. 3 ...
    series_total: int | None  # ... of 6
    next_infusion: InfusionRecord | None


def companion_for(patient: Patient, now: datetime) -> Companion:
    infusions = list(
        patient.infusions.filter(
            status=InfusionRecord.Status.COMPLETED, started_at__lte=now, ended_at__isnull=False
        )
        .order_by("started_at")
        .only("started_at", "ended_at", "course_id")
    )
    course = patient.courses.order_by("-started_on").first()
    series_number = series_total = None
    if course is not None and course.kind == Course.Kind.INDUCTION:
        series_total = course.planned_infusions
        series_number = sum(1 for i in infusions if i.course_id == course.pk)
    state = current_phase(
        [
            Infusion(started_at=i.started_at, ended_at=i.ended_at)
            for i in infusions
            if i.started_at is not None and i.ended_at is not None
        ],
        now,
        patient.tz,
        series_total=series_total,
    )
    next_infusion = (
        patient.infusions.filter(status=InfusionRecord.Status.SCHEDULED, scheduled_at__gt=now)
        .order_by("scheduled_at")
        .first()
    )
    return Companion(
        state=state,
        text=PHASE_TEXTS[state.phase],
        series_number=series_number or None,
        series_total=series_total,
        next_infusion=next_infusion,
    )
