"""Reads that feed the pure tracking functions from the database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from aftercare.accounts.models import Clinic, Patient
from aftercare.tracking.instruments import INSTRUMENTS
from aftercare.tracking.models import ScaleSchedule
from aftercare.tracking.schedule import (
    DEFAULT_RULES,
    Due,
    InfusionTime,
    ScheduleRule,
    Taken,
    due_scales,
)
from aftercare.treatment.models import Infusion

_DEFAULTS = {rule.instrument: rule for rule in DEFAULT_RULES}


def default_rule(instrument: str) -> ScheduleRule:
    return _DEFAULTS.get(instrument) or ScheduleRule(instrument=instrument)


def rule_from_row(row: ScaleSchedule) -> ScheduleRule:
    return ScheduleRule(
        instrument=row.instrument,
        baseline=row.baseline,
        before_each_infusion=row.before_each_infusion,
        days_after_each_infusion=row.days_after_each_infusion,
        weekly_first_month=row.weekly_first_month,
        maintenance_every_days=row.maintenance_every_days,
        recall_window_days=INSTRUMENTS[row.instrument].recall_window_days,
    )


def schedule_rules_for(clinic: Clinic) -> list[ScheduleRule]:
    """The clinic's active rules: its own row per instrument, else the default rule."""
    rows = {row.instrument: row for row in ScaleSchedule.objects.filter(clinic=clinic)}
    rules = []
    for key in INSTRUMENTS:
        row = rows.get(key)
        if row is None:
            if key in _DEFAULTS:
                rules.append(_DEFAULTS[key])
        elif row.active:
            rules.append(rule_from_row(row))
    return rules


def infusion_times(patient: Patient) -> list[InfusionTime]:
    # Plain rows: model instances from .only() load the deferred patient_id one query each.
    times = []
    for status, started_at, scheduled_at in patient.infusions.filter(
        status__in=(Infusion.Status.COMPLETED, Infusion.Status.SCHEDULED)
    ).values_list("status", "started_at", "scheduled_at"):
        completed = status == Infusion.Status.COMPLETED
        at = (started_at if completed else None) or scheduled_at
        times.append(InfusionTime(at=at, completed=completed))
    return times


def times_of(infusions: Iterable[Infusion]) -> list[InfusionTime]:
    """``infusion_times`` from infusions the caller has already read (cancelled ones left out)."""
    times = []
    for infusion in infusions:
        if infusion.status not in (Infusion.Status.COMPLETED, Infusion.Status.SCHEDULED):
            continue
        completed = infusion.status == Infusion.Status.COMPLETED
        at = (infusion.started_at if completed else None) or infusion.scheduled_at
        times.append(InfusionTime(at=at, completed=completed))
    return times


def due_for_patient(
    patient: Patient, now: datetime, infusions: Iterable[Infusion] | None = None
) -> list[Due]:
    """``infusions``: the patient's infusions when the caller has read them, else read here."""
    times = infusion_times(patient) if infusions is None else times_of(infusions)
    responses = [
        Taken(instrument=instrument, at=at)
        for instrument, at in patient.scale_responses.values_list("instrument", "taken_at")
    ]
    return due_scales(schedule_rules_for(patient.clinic), times, responses, now, patient.tz)
