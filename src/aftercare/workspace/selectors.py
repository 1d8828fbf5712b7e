"""Reads for the clinician workspace.

``patient_rows`` builds the whole patient list with a fixed number of queries whatever the
clinic's size: the patients with their alert counts (1), the outcomes bulk loader (4: courses,
infusions, check-ins, questionnaires), the infusions with their end times (1), every answered
questionnaire's instrument and time (1), the clinic's outcome definitions, questionnaire
schedule and safety settings (3). Everything else (phase, course position, sparkline,
trajectory, scales due) is computed in Python by the pure engines.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from aftercare.accounts.models import Patient, User
from aftercare.guidance.phases import Infusion as PhaseInfusion
from aftercare.guidance.phases import Phase, current_phase
from aftercare.insights.patient import analyse_patient, trajectories
from aftercare.insights.trajectory import Trajectory
from aftercare.outcomes.labels import TRAJECTORY
from aftercare.outcomes.loaders import definitions_for, load_patients
from aftercare.safety.models import Alert, SafetySettings
from aftercare.safety.rules import DEFAULT_THRESHOLDS
from aftercare.tracking.queries import schedule_rules_for
from aftercare.tracking.schedule import InfusionTime, Taken, due_scales
from aftercare.treatment.models import Infusion

SPARK_DAYS = 14
PAGE_SIZE = 50
UNRESOLVED = (Alert.Status.OPEN, Alert.Status.ACKNOWLEDGED)

# Order of phases from the start of treatment on, for sorting the "phase" column.
PHASE_ORDER = {phase: i for i, phase in enumerate(Phase)}


def phase_labels() -> dict[Phase, str]:
    """Short staff labels of the phases of guidance/phases.py (sources named there), in the
    active language."""
    labels = {
        Phase.NOT_STARTED: _("Not started"),
        Phase.IN_SESSION: _("In session"),
        Phase.IMMEDIATE: _("Just after infusion"),
        Phase.GETTING_HOME: _("Getting home"),
        Phase.TREATMENT_DAY: _("Treatment day"),
        Phase.DAY_1: _("Emergence, day 1"),
        Phase.DAY_2: _("Emergence, day 2"),
        Phase.DAY_3: _("Emergence, day 3"),
        Phase.FIRST_WEEK: _("First week"),
        Phase.WEEKS_2_4: _("Weeks 2–4"),
        Phase.MAINTENANCE: _("Maintenance"),
        Phase.LONG_TERM: _("Long term"),
    }
    return {phase: str(label) for phase, label in labels.items()}


def phase_label(phase: Phase) -> str:
    return phase_labels()[phase]


@dataclass
class Row:
    """One patient's line in the list."""

    patient: Patient
    name: str
    phase: Phase
    phase_label: str
    day_index: int | None
    course_label: str
    course_sort: tuple[int, int]
    last_check_in: date | None
    spark: list[float | None]
    trajectory: Trajectory
    trajectory_label: str
    alerts_urgent: int
    alerts_high: int
    alerts_routine: int
    next_infusion: datetime | None
    booster_due: bool
    booster_from: date | None
    overdue: list[str] = field(default_factory=list)
    disengaged: bool = False

    @property
    def alerts_total(self) -> int:
        return self.alerts_urgent + self.alerts_high + self.alerts_routine

    @property
    def mine_id(self) -> Any:
        return self.patient.clinician_id


def patient_queryset(user: User, *, search: str = "", mine: bool = False) -> QuerySet[Patient]:
    """The clinic's patients (scoping.patients_visible_to) with unresolved alerts counted."""
    from aftercare.accounts.scoping import patients_visible_to

    patients = patients_visible_to(user)
    for word in search.split()[:5]:
        patients = patients.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    if mine:
        patients = patients.filter(clinician=user)
    unresolved = Q(safety_alerts__status__in=UNRESOLVED)
    return patients.annotate(
        alerts_urgent=Count(
            "safety_alerts", filter=unresolved & Q(safety_alerts__severity=Alert.Severity.URGENT)
        ),
        alerts_high=Count(
            "safety_alerts", filter=unresolved & Q(safety_alerts__severity=Alert.Severity.HIGH)
        ),
        alerts_routine=Count(
            "safety_alerts", filter=unresolved & Q(safety_alerts__severity=Alert.Severity.ROUTINE)
        ),
    ).order_by("user__last_name", "user__first_name", "pk")


def _course_label(kind: str | None, number: int | None, total: int | None) -> tuple[str, int]:
    if kind is None:
        return "", 0
    if kind == "induction" and total:
        return _("%(n)s of %(total)s") % {"n": number or 0, "total": total}, 1
    if kind == "induction":
        return _("Series"), 1
    return _("Maintenance"), 2


def patient_rows(user: User, *, now: datetime, search: str = "", mine: bool = False) -> list[Row]:
    """Every row of the list for ``user``'s clinic, unsorted (name order)."""
    clinic = user.clinic
    patients = list(patient_queryset(user, search=search, mine=mine))
    if not patients:
        return []
    ids = [p.pk for p in patients]
    definitions = definitions_for(clinic)
    data = load_patients(patients, now=now, definitions=definitions)
    # As outcomes.selectors.insights_for_patients (minimal), reusing the loaded data.
    insights = [
        analyse_patient(d, definitions=definitions, trajectory=t, detail=False, minimal=True)
        for d, t in zip(data, trajectories(data), strict=True)
    ]

    ended: dict[Any, list[PhaseInfusion]] = defaultdict(list)
    times: dict[Any, list[InfusionTime]] = defaultdict(list)
    next_at: dict[Any, datetime] = {}
    done_by_course: dict[Any, int] = defaultdict(int)
    for pid, status, scheduled, started, end, course_id in (
        Infusion.objects.filter(
            patient_id__in=ids,
            status__in=(Infusion.Status.COMPLETED, Infusion.Status.SCHEDULED),
        )
        .order_by("scheduled_at")
        .values_list("patient_id", "status", "scheduled_at", "started_at", "ended_at", "course_id")
    ):
        completed = status == Infusion.Status.COMPLETED
        if completed and started is not None and end is not None and started <= now:
            ended[pid].append(PhaseInfusion(started_at=started, ended_at=end))
            if course_id is not None:
                done_by_course[course_id] += 1
        if not completed and scheduled > now and pid not in next_at:
            next_at[pid] = scheduled
        times[pid].append(
            InfusionTime(at=(started if completed else None) or scheduled, completed=completed)
        )

    taken: dict[Any, list[Taken]] = defaultdict(list)
    from aftercare.tracking.models import ScaleResponse

    for pid, instrument, at in ScaleResponse.objects.filter(patient_id__in=ids).values_list(
        "patient_id", "instrument", "taken_at"
    ):
        taken[pid].append(Taken(instrument=instrument, at=at))

    rules = schedule_rules_for(clinic)
    safety = SafetySettings.objects.filter(clinic=clinic).first()
    missed_days = (safety.thresholds if safety else DEFAULT_THRESHOLDS).missed_check_in_days

    labels = phase_labels()
    rows = []
    for patient, d, insight in zip(patients, data, insights, strict=True):
        pid = patient.pk
        course = max(d.courses, key=lambda c: (c.started_on, c.id), default=None)
        series_total = None
        if course is not None and course.kind == "induction":
            series_total = course.planned
        # The phase follows the latest infusion only (guidance/phases.py current_phase), so the
        # engine gets just that one: the same phase and day, without rebuilding every span.
        latest = [max(ended[pid], key=lambda i: i.started_at)] if ended[pid] else []
        state = current_phase(latest, now, patient.tz, series_total=series_total)
        label, rank = _course_label(
            course.kind if course else None,
            done_by_course.get(course.id) if course else None,
            series_total,
        )
        window = d.mood.window(d.today - timedelta(days=SPARK_DAYS - 1), d.today + timedelta(1))
        spark = [None if math.isnan(v) else round(float(v), 1) for v in window]
        last = insight.trajectory.last_check_in
        # Disengaged: no check-in for the clinic's missed-check-in days (safety/rules.py
        # missed_check_ins, a project default of 3 days) once treatment has started.
        disengaged = state.phase != Phase.NOT_STARTED and (
            last is None or (d.today - last).days >= missed_days
        )
        due = due_scales(rules, times[pid], taken[pid], now, patient.tz)
        booster = insight.booster
        rows.append(
            Row(
                patient=patient,
                name=patient.display_name,
                phase=state.phase,
                phase_label=labels[state.phase],
                day_index=state.day_index,
                course_label=label,
                course_sort=(rank, done_by_course.get(course.id, 0) if course else 0),
                last_check_in=last,
                spark=spark,
                trajectory=insight.trajectory.trajectory,
                trajectory_label=str(TRAJECTORY[insight.trajectory.trajectory]),
                alerts_urgent=patient.alerts_urgent,  # type: ignore[attr-defined]
                alerts_high=patient.alerts_high,  # type: ignore[attr-defined]
                alerts_routine=patient.alerts_routine,  # type: ignore[attr-defined]
                next_infusion=next_at.get(pid),
                booster_due=insight.booster_proposed,
                booster_from=booster.window_start if booster and insight.booster_proposed else None,
                overdue=sorted(item.instrument for item in due),
                disengaged=disengaged,
            )
        )
    return rows


# Sort keys: missing values always last, whichever the direction.
SORTS: dict[str, Any] = {
    "name": lambda r: (r.patient.user.last_name.lower(), r.patient.user.first_name.lower()),
    "phase": lambda r: (PHASE_ORDER[r.phase], r.day_index or 0),
    "course": lambda r: r.course_sort,
    "check_in": lambda r: r.last_check_in,
    "trajectory": lambda r: r.trajectory_label,
    "alerts": lambda r: (r.alerts_urgent, r.alerts_high, r.alerts_routine),
    "next_infusion": lambda r: r.next_infusion,
    "booster": lambda r: (r.booster_due, r.booster_from or date.max),
    "overdue": lambda r: len(r.overdue),
    "disengaged": lambda r: r.disengaged,
}


def sort_rows(rows: Sequence[Row], key: str, descending: bool) -> list[Row]:
    get = SORTS.get(key, SORTS["name"])
    present = [r for r in rows if get(r) is not None]
    missing = [r for r in rows if get(r) is None]
    return sorted(present, key=get, reverse=descending) + missing


def filter_rows(
    rows: Sequence[Row],
    *,
    phase: str = "",
    trajectory: str = "",
    alerts: str = "",
    course: str = "",
    booster: bool = False,
    overdue: bool = False,
    disengaged: bool = False,
    checked_in_days: int | None = None,
    next_infusion_days: int | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> list[Row]:
    out = []
    for r in rows:
        if phase and r.phase != phase:
            continue
        if trajectory and r.trajectory != trajectory:
            continue
        if alerts == "any" and not r.alerts_total:
            continue
        if alerts == "urgent" and not r.alerts_urgent:
            continue
        if alerts == "none" and r.alerts_total:
            continue
        if course == "induction" and r.course_sort[0] != 1:
            continue
        if course == "maintenance" and r.course_sort[0] != 2:
            continue
        if course == "none" and r.course_sort[0] != 0:
            continue
        if booster and not r.booster_due:
            continue
        if overdue and not r.overdue:
            continue
        if disengaged and not r.disengaged:
            continue
        if (
            checked_in_days is not None
            and today is not None
            and (r.last_check_in is None or (today - r.last_check_in).days > checked_in_days)
        ):
            continue
        if (
            next_infusion_days is not None
            and now is not None
            and (
                r.next_infusion is None
                or r.next_infusion > now + timedelta(days=next_infusion_days)
            )
        ):
            continue
        out.append(r)
    return out
