"""Writes to the care plan. Each write leaves an audit record; ticks count local days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, models, transaction

from aftercare.accounts.models import Patient, User
from aftercare.audit.actions import record
from aftercare.careplan.models import HabitGoal, HabitTick, IntegrationSession, Medication, PlanGoal
from aftercare.guidance.companion import companion_for
from aftercare.guidance.phases import Boundaries

# The neuroplasticity window: local days 1 to 14 after the day the latest completed infusion
# ended (seed article: "a window of enhanced neuroplasticity lasting several days to two weeks";
# the same default as guidance.phases.Boundaries.neuroplasticity_last_day).
WINDOW_LAST_DAY = Boundaries().neuroplasticity_last_day


@dataclass(frozen=True)
class Window:
    first_day: date
    last_day: date

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def neuroplasticity_window(patient: Patient, now: datetime) -> Window | None:
    """Local days 1–14 after the latest completed infusion, or None before any infusion."""
    last = companion_for(patient, now).last_infusion
    if last is None or last.ended_at is None:
        return None
    treatment_day = last.ended_at.astimezone(patient.tz).date()
    return Window(
        first_day=treatment_day + timedelta(days=1),
        last_day=treatment_day + timedelta(days=WINDOW_LAST_DAY),
    )


def in_window(patient: Patient, scheduled_at: datetime, now: datetime) -> bool:
    window = neuroplasticity_window(patient, now)
    return window is not None and window.contains(scheduled_at.astimezone(patient.tz).date())


@transaction.atomic
def add_integration_session(
    *, patient: Patient, by: User, scheduled_at: datetime, with_whom: str, note: str = ""
) -> IntegrationSession:
    session = IntegrationSession.objects.create(
        patient=patient, scheduled_at=scheduled_at, with_whom=with_whom, note=note, created_by=by
    )
    record(
        None,
        actor=by,
        action="create",
        what="integration session",
        patient=patient,
        object_id=session.pk,
    )
    return session


@transaction.atomic
def add_habit(*, patient: Patient, by: User, kind: str, description: str) -> HabitGoal:
    habit = HabitGoal.objects.create(
        patient=patient, kind=kind, description=description, created_by=by
    )
    record(None, actor=by, action="create", what="habit goal", patient=patient, object_id=habit.pk)
    return habit


def tick_habit(*, habit: HabitGoal, by: User, now: datetime) -> bool:
    """Mark the habit done for the patient's local day; False if it was already ticked."""
    patient = habit.patient
    today = now.astimezone(patient.tz).date()
    try:
        with transaction.atomic():
            tick = HabitTick.objects.create(habit=habit, day=today)
    except IntegrityError:
        return False
    record(None, actor=by, action="create", what="habit tick", patient=patient, object_id=tick.pk)
    return True


@transaction.atomic
def add_medication(
    *,
    patient: Patient,
    by: User,
    name: str,
    medication_class: str,
    dose: str = "",
    started_on: date | None = None,
    stopped_on: date | None = None,
) -> Medication:
    medication = Medication.objects.create(
        patient=patient,
        name=name,
        medication_class=medication_class,
        dose=dose,
        started_on=started_on,
        stopped_on=stopped_on,
        created_by=by,
    )
    record(
        None, actor=by, action="create", what="medication", patient=patient, object_id=medication.pk
    )
    return medication


@transaction.atomic
def add_goal(*, patient: Patient, by: User, horizon: str, text: str) -> PlanGoal:
    goal = PlanGoal.objects.create(patient=patient, horizon=horizon, text=text, created_by=by)
    record(
        None, actor=by, action="create", what="care plan goal", patient=patient, object_id=goal.pk
    )
    return goal


@transaction.atomic
def remove_item(*, patient: Patient, by: User, item: models.Model, what: str) -> None:
    """Delete one care-plan item of this patient's, leaving an audit record of who did it."""
    object_id = item.pk
    item.delete()
    record(
        None,
        actor=by,
        action="update",
        what=f"{what} removed",
        patient=patient,
        object_id=object_id,
    )
