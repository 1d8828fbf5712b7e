"""Reads for the clinician workspace.

``patient_rows`` builds the whole patient list with a fixed number of queries whatever the
clinic's size: the patients with their alert counts and data stamps (1), the clinic's outcome
definitions, questionnaire schedule and safety settings (3), and only for patients with new
data since the last request (``outcomes.memory``): the outcomes loader (4: courses, infusions,
check-ins, questionnaires) and the infusions and questionnaire times (2). Everything else
(phase, course position, sparkline, trajectory, scales due) is computed in Python by the pure
engines.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from aftercare.accounts.models import Patient, User
from aftercare.guidance.phases import Infusion as PhaseInfusion
from aftercare.guidance.phases import Phase, current_phase, under_way
from aftercare.insights.data import DailySeries
from aftercare.insights.trajectory import Trajectory
from aftercare.outcomes import kept, memory
from aftercare.outcomes.labels import TRAJECTORY
from aftercare.outcomes.loaders import definitions_for
from aftercare.outcomes.selectors import insights_of_entries
from aftercare.safety.models import Alert, SafetySettings
from aftercare.safety.rules import DEFAULT_THRESHOLDS
from aftercare.tracking.models import ScaleResponse
from aftercare.tracking.queries import schedule_rules_for
from aftercare.tracking.schedule import (
    InfusionTime,
    ScheduleRule,
    Taken,
    due_scales,
    due_unchanged_until,
)
from aftercare.treatment.models import Infusion

SPARK_DAYS = 14
PAGE_SIZE = 50
UNRESOLVED = (Alert.Status.OPEN, Alert.Status.ACKNOWLEDGED)

# Order of phases from the start of treatment on, for sorting the "phase" column.
PHASE_ORDER = {phase: i for i, phase in enumerate(Phase)}


_DAY_0 = (Phase.IN_SESSION, Phase.IMMEDIATE, Phase.GETTING_HOME, Phase.TREATMENT_DAY)


def phase_labels() -> dict[Phase, str]:
    """Short staff labels of the phases of guidance/phases.py (sources named there), in the
    active language."""
    labels = {
        Phase.NOT_STARTED: _("Not started"),
        Phase.IN_SESSION: _("In session"),
        Phase.IMMEDIATE: _("First two hours"),  # the patient's page: "The first two hours"
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

    patient: PatientRef
    name: str
    phase: Phase
    phase_label: str
    day_index: int | None
    course_label: str
    course_sort: tuple[int, int]
    last_check_in: date | None
    mood: DailySeries
    today: date
    trajectory: Trajectory
    trajectory_label: str
    alerts_urgent: int
    alerts_high: int
    alerts_routine: int
    next_infusion: datetime | None
    booster_due: bool  # a booster window is proposed and nothing is booked before it ends
    booster_from: date | None
    overdue: list[str] = field(default_factory=list)
    booster_booked: bool = False  # proposed, and an infusion is booked in time
    disengaged: bool = False
    namesake: bool = False  # another patient in the list has the same name: show the email

    @cached_property
    def spark(self) -> list[float | None]:
        """Daily mood of the last SPARK_DAYS days (None where no check-in), computed only for
        the rows shown."""
        start = self.today - timedelta(days=SPARK_DAYS - 1)
        window = self.mood.window(start, self.today + timedelta(1))
        return [None if math.isnan(v) else round(float(v), 1) for v in window]

    @property
    def day_note(self) -> int | None:
        """Days since the latest infusion, shown under the phase unless the phase's own name
        already says the day ("Emergence, day 2") or it is the day itself ("Treatment day")."""
        if self.phase in (Phase.DAY_1, Phase.DAY_2, Phase.DAY_3) or self.phase in _DAY_0:
            return None
        return self.day_index

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


def _course_labels() -> dict[str, str]:
    """The course column's words in the active language, looked up once per list."""
    return {
        "position": _("%(n)s of %(total)s"),
        "series": _("Series"),
        "maintenance": _("Maintenance"),
    }


def _course_label(
    kind: str | None, number: int | None, total: int | None, labels: dict[str, str]
) -> tuple[str, int]:
    if kind is None:
        return "", 0
    if kind == "induction" and total:
        return labels["position"] % {"n": number or 0, "total": total}, 1
    if kind == "induction":
        return labels["series"], 1
    return labels["maintenance"], 2


@dataclass(frozen=True)
class PersonRef:
    first_name: str
    last_name: str
    email: str


@dataclass(frozen=True)
class PatientRef:
    """What the list needs of a patient, read as plain values (no model instances)."""

    pk: Any
    clinician_id: Any
    user: PersonRef

    @property
    def display_name(self) -> str:
        full = f"{self.user.first_name} {self.user.last_name}".strip()
        return full or self.user.email


@dataclass(frozen=True)
class TreatmentInputs:
    """A patient's infusions and questionnaire times, as the phase engine and the questionnaire
    schedule take them; kept beside the patient's loaded data (``outcomes.memory``)."""

    # started, ended (None: under way), course
    completed: tuple[tuple[datetime, datetime | None, Any], ...]
    scheduled: tuple[datetime, ...]
    times: tuple[InfusionTime, ...]
    taken: tuple[Taken, ...]


WORKSPACE_KEY = "workspace"


def _encode_inputs(inputs: TreatmentInputs) -> list[Any]:
    def at(value: datetime | None) -> str | None:
        return None if value is None else kept.instant(value)

    return [
        [[at(started), at(ended), course] for started, ended, course in inputs.completed],
        [at(value) for value in inputs.scheduled],
        [[at(t.at), t.completed] for t in inputs.times],
        [[t.instrument, at(t.at)] for t in inputs.taken],
    ]


def _decode_inputs(value: list[Any]) -> TreatmentInputs:
    parse = kept.from_instant
    completed, scheduled, times, taken = value
    return TreatmentInputs(
        tuple(
            (parse(started), None if ended is None else parse(ended), course)
            for started, ended, course in completed
        ),
        tuple(parse(text) for text in scheduled),
        tuple(InfusionTime(parse(text), done) for text, done in times),
        tuple(Taken(name, parse(text)) for name, text in taken),
    )


# A process that has just started reads these from the kept rows too, not from the infusions
# and questionnaires of the whole clinic.
memory.keep_results(WORKSPACE_KEY, _encode_inputs, _decode_inputs)


def _treatment_inputs(entries: Sequence[memory.Entry], ids: Any) -> None:
    """Read the infusions and questionnaires of the entries that lack them (2 queries)."""
    todo = {e.data.patient_id: e for e in entries if WORKSPACE_KEY not in e.results}
    if not todo:
        return
    completed: dict[str, list] = defaultdict(list)
    scheduled: dict[str, list] = defaultdict(list)
    times: dict[str, list] = defaultdict(list)
    for pid, status, at, started, end, course_id in (
        Infusion.objects.filter(
            patient_id__in=ids,
            status__in=(
                Infusion.Status.COMPLETED,
                Infusion.Status.IN_PROGRESS,
                Infusion.Status.SCHEDULED,
            ),
        )
        .order_by("scheduled_at")
        .values_list("patient_id", "status", "scheduled_at", "started_at", "ended_at", "course_id")
    ):
        key = str(pid)
        if key not in todo:
            continue
        if status == Infusion.Status.IN_PROGRESS:  # dosing now: no end yet, not yet "done"
            if started is not None:
                completed[key].append((started, None, course_id))
            continue
        if status == Infusion.Status.COMPLETED:
            if started is not None and end is not None:  # an end of None means under way
                completed[key].append((started, end, course_id))
        else:
            scheduled[key].append(at)
        done = status == Infusion.Status.COMPLETED
        times[key].append(InfusionTime(at=(started if done else None) or at, completed=done))
    taken: dict[str, list] = defaultdict(list)
    for pid, instrument, at in ScaleResponse.objects.filter(patient_id__in=ids).values_list(
        "patient_id", "instrument", "taken_at"
    ):
        if str(pid) in todo:
            taken[str(pid)].append(Taken(instrument=instrument, at=at))
    for key, entry in todo.items():
        entry.results[WORKSPACE_KEY] = TreatmentInputs(
            tuple(completed[key]), tuple(scheduled[key]), tuple(times[key]), tuple(taken[key])
        )


def _timed_state(
    inputs: TreatmentInputs,
    rules: Sequence[ScheduleRule],
    now: datetime,
    tz: ZoneInfo,
    series_total: int | None,
) -> tuple[datetime, datetime, Phase, int | None, tuple[str, ...]]:
    """The phase, day and overdue questionnaires at ``now``, with the span of time over which
    they stay the same (from ``now`` until the next phase change, local midnight, infusion or
    answer), so the list can keep them between requests."""
    # The phase follows the latest infusion only (guidance/phases.py current_phase), so the
    # engine gets just that one: the same phase and day, without rebuilding every span.
    latest = None
    for started, end, _course in inputs.completed:
        if started <= now and (latest is None or started > latest.started_at):
            # An infusion under way (no end yet) puts the patient in session.
            latest = PhaseInfusion(started, end) if end is not None else under_way(started, now)
    state = current_phase([latest] if latest else [], now, tz, series_total=series_total)
    due = due_scales(rules, inputs.times, inputs.taken, now, tz)
    until = due_unchanged_until(rules, inputs.times, inputs.taken, now, tz)
    if state.next_transition_at is not None:
        until = min(until, state.next_transition_at)
    overdue = tuple(sorted(item.instrument for item in due))
    return now, until, state.phase, state.day_index, overdue


@memory.no_collection()  # thousands of patients' objects built at once (outcomes/memory.py)
def patient_rows(user: User, *, now: datetime, search: str = "", mine: bool = False) -> list[Row]:
    """Every row of the list for ``user``'s clinic, unsorted (name order).

    Patients whose data is unchanged since an earlier request (``outcomes.memory``) are
    neither read nor analysed again: only the patients with their alert counts and data stamps
    are read each time, plus the clinic's settings."""
    clinic = user.clinic
    queryset = patient_queryset(user, search=search, mine=mine)
    # The stamp is only compared: read as text, without a UUID object per row.
    values = list(
        queryset.annotate(stamp=Cast("data_stamp__stamp", CharField())).values_list(
            "pk",
            "user__first_name",
            "user__last_name",
            "user__email",
            "timezone",
            "clinician_id",
            "stamp",
            "alerts_urgent",
            "alerts_high",
            "alerts_routine",
        )
    )
    if not values:
        return []
    definitions = definitions_for(clinic)
    subquery = queryset.values("pk")
    entries = memory.entries_for(
        [(v[0], v[4], v[6]) for v in values],
        now=now,
        definitions=definitions,
        subquery=subquery,
        save=False,  # saved below, with the treatment inputs
    )
    insights = insights_of_entries(entries, definitions=definitions, minimal=True)
    stale = sum(WORKSPACE_KEY not in e.results for e in entries)
    _treatment_inputs(
        entries,
        subquery
        if stale > memory.MAX_ID_PARAMETERS
        else [v[0] for v, e in zip(values, entries, strict=True) if WORKSPACE_KEY not in e.results],
    )
    memory.save_entries(entries)

    rules = schedule_rules_for(clinic)
    safety = SafetySettings.objects.filter(clinic=clinic).first()
    missed_days = (safety.thresholds if safety else DEFAULT_THRESHOLDS).missed_check_in_days

    labels = phase_labels()
    trajectory_labels = {key: str(label) for key, label in TRAJECTORY.items()}
    course_labels = _course_labels()
    timed_key = ("timed", tuple(rules))
    zones: dict[str, ZoneInfo] = {}
    rows = []
    for value, entry, insight in zip(values, entries, insights, strict=True):
        pk, first, last, email, zone_name, clinician_id, _stamp, urgent, high, routine = value
        tz = zones.get(zone_name) or zones.setdefault(zone_name, ZoneInfo(zone_name))
        d = entry.data
        inputs: TreatmentInputs = entry.results[WORKSPACE_KEY]
        course = max(d.courses, key=lambda c: (c.started_on, c.id), default=None)
        series_total = None
        if course is not None and course.kind == "induction":
            series_total = course.planned
        done_in_course = sum(
            1
            for started, _end, course_id in inputs.completed
            if started <= now and course is not None and course_id == course.id
        )
        timed = entry.results.get(timed_key)
        if timed is None or not timed[0] <= now < timed[1]:
            timed = _timed_state(inputs, rules, now, tz, series_total)
            entry.results[timed_key] = timed
        _from, _until, phase, day_index, overdue = timed
        label, rank = _course_label(
            course.kind if course else None,
            done_in_course if course else None,
            series_total,
            course_labels,
        )
        # The patient's own last check-in, not the judged episode's (which ends at the next
        # block: after a new infusion it showed the day before it, and "disengaged").
        last_check_in = d.mood.last_day
        # Disengaged: no check-in for the clinic's missed-check-in days (safety/rules.py
        # missed_check_ins, a project default of 3 days) once treatment has started.
        disengaged = phase != Phase.NOT_STARTED and (
            last_check_in is None or (d.today - last_check_in).days >= missed_days
        )
        booster = insight.booster
        patient = PatientRef(pk, clinician_id, PersonRef(first, last, email))
        rows.append(
            Row(
                patient=patient,
                name=patient.display_name,
                phase=phase,
                phase_label=labels[phase],
                day_index=day_index,
                course_label=label,
                course_sort=(rank, done_in_course if course else 0),
                last_check_in=last_check_in,
                mood=d.mood,
                today=d.today,
                trajectory=insight.trajectory.trajectory,
                trajectory_label=trajectory_labels[insight.trajectory.trajectory],
                alerts_urgent=urgent,
                alerts_high=high,
                alerts_routine=routine,
                next_infusion=next((at for at in inputs.scheduled if at > now), None),
                booster_due=insight.booster_review_pending,
                booster_booked=insight.booster_proposed and not insight.booster_review_pending,
                booster_from=booster.window_start if booster and insight.booster_proposed else None,
                overdue=list(overdue),
                disengaged=disengaged,
            )
        )
    names = Counter(row.name.casefold() for row in rows)
    for row in rows:
        row.namesake = names[row.name.casefold()] > 1
    return rows


# Sort keys: missing values always last, whichever the direction.
SORTS: dict[str, Any] = {
    "name": lambda r: (r.patient.user.last_name.lower(), r.patient.user.first_name.lower()),
    "phase": lambda r: (PHASE_ORDER[r.phase], r.day_index or 0),
    "course": lambda r: r.course_sort,
    "check_in": lambda r: r.last_check_in,
    "trajectory": lambda r: r.trajectory_label,
    "alerts": lambda r: (
        (r.alerts_urgent, r.alerts_high, r.alerts_routine) if r.alerts_total else None
    ),
    "next_infusion": lambda r: r.next_infusion,
    # Earliest due first; patients with no booster due are the missing values.
    "booster": lambda r: (r.booster_from or date.min) if r.booster_due else None,
    "overdue": lambda r: len(r.overdue) or None,
    "disengaged": lambda r: True if r.disengaged else None,
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
