"""Database rows -> the pure inputs of ``aftercare.insights`` (``PatientData``).

``load_patients`` reads any number of patients with a fixed number of queries (courses,
infusions, check-ins, questionnaires), so the dashboard's query count does not grow with the
clinic. Days are the patient's local days; "today" is the patient's local date at ``now``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import CharField, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast

from aftercare.accounts.models import Clinic, Patient
from aftercare.insights.data import (
    CourseInfo,
    DailySeries,
    InfusionEvent,
    PatientData,
    ScaleScore,
)
from aftercare.insights.definitions import (
    DEFAULT_DEFINITIONS,
    DEFAULT_TRAJECTORY,
    OutcomeDefinitions,
)
from aftercare.insights.patient import MAX_EPISODE_DAYS
from aftercare.outcomes.models import ClinicDefinitions
from aftercare.tracking.models import CheckIn, ScaleResponse
from aftercare.treatment.models import Course, Infusion

# Check-ins older than this are not loaded, except those in the baseline weeks before the first
# infusion: the judged episode looks back at most MAX_EPISODE_DAYS.
LOOKBACK_DAYS = MAX_EPISODE_DAYS + 60
BASELINE_MARGIN = timedelta(days=DEFAULT_TRAJECTORY.baseline_fallback_days + 2)
PHQ9_ITEM9 = "44260-8"  # LOINC code of PHQ-9 item 9 (CLINICAL.md §1.1)


def definitions_for(clinic: Clinic) -> OutcomeDefinitions:
    """The clinic's definitions, or the published defaults (CLINICAL.md §2)."""
    row = ClinicDefinitions.objects.filter(clinic=clinic).first()
    return row.to_definitions() if row is not None else DEFAULT_DEFINITIONS


def item9(answers: Any) -> int | None:
    """PHQ-9 item 9 from stored answers: a mapping by LOINC item code, or a list in item order."""
    value = None
    if isinstance(answers, dict):
        value = answers.get(PHQ9_ITEM9)
    elif isinstance(answers, list) and len(answers) >= 9:
        value = answers[8]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
        return None
    return value


def load_patients(
    patients: QuerySet[Patient] | Sequence[Patient],
    *,
    now: datetime,
    definitions: OutcomeDefinitions = DEFAULT_DEFINITIONS,
) -> list[PatientData]:
    """``PatientData`` for each patient, in the order given; 4 queries whatever their number
    (plus one for the patients when given a queryset)."""
    scope: Any = patients.values("pk") if isinstance(patients, QuerySet) else None
    patients = list(patients)
    if not patients:
        return []
    ids = scope if scope is not None else [p.pk for p in patients]
    tz = {p.pk: p.tz for p in patients}

    courses: dict[Any, list[CourseInfo]] = defaultdict(list)
    kinds: dict[int, str] = {}
    for pid, cid, kind, size, started_on in Course.objects.filter(patient_id__in=ids).values_list(
        "patient_id", "id", "kind", "planned_infusions", "started_on"
    ):
        courses[pid].append(CourseInfo(cid, kind, size, started_on))
        kinds[cid] = kind

    done: dict[Any, list[InfusionEvent]] = defaultdict(list)
    planned: dict[Any, list[date]] = defaultdict(list)
    rows = (
        Infusion.objects.filter(
            Q(status=Infusion.Status.COMPLETED)
            | Q(status=Infusion.Status.SCHEDULED, scheduled_at__gte=now),
            patient_id__in=ids,
        )
        .order_by("scheduled_at")
        .values_list("patient_id", "status", "started_at", "scheduled_at", "course_id", "route")
    )
    for pid, status, started, scheduled, cid, route in rows:
        if status == Infusion.Status.COMPLETED and started is not None:
            kind = kinds.get(cid, "induction" if cid is None else "maintenance")
            day = started.astimezone(tz[pid]).date()
            done[pid].append(InfusionEvent(started, day, cid, kind, route))
        elif status == Infusion.Status.SCHEDULED and scheduled >= now:
            planned[pid].append(scheduled.astimezone(tz[pid]).date())

    first_infusion = Subquery(
        Infusion.objects.filter(
            patient=OuterRef("patient"),
            status=Infusion.Status.COMPLETED,
            started_at__isnull=False,
        )
        .order_by("started_at")
        .values("started_at")[:1]
    )
    # The bulk of the rows: read the patient id, the day and the yes/no as plain text and
    # numbers (no per-row conversions in the ORM; days parsed by date.fromisoformat).
    check_ins = (
        CheckIn.objects.filter(patient_id__in=ids)
        .annotate(
            first_infusion=first_infusion,
            pid=Cast("patient_id", CharField()),
            day=Cast("local_date", CharField()),
            si=Cast("suicidal_thoughts", IntegerField()),
        )
        .filter(
            Q(submitted_at__gte=now - timedelta(days=LOOKBACK_DAYS))
            | Q(
                submitted_at__lt=F("first_infusion"),
                submitted_at__gte=F("first_infusion") - BASELINE_MARGIN,
            )
        )
        .values_list("pid", "day", "mood", "si")
    )
    sql, params = check_ins.query.sql_with_params()
    with connection.cursor() as cursor:  # plain rows: tens of thousands of them
        cursor.execute(sql, params)
        check_in_rows = cursor.fetchall()
    mood_days: dict[str, list[date]] = defaultdict(list)
    moods: dict[str, list[float]] = defaultdict(list)
    si_days: dict[str, list[date]] = defaultdict(list)
    si: dict[str, list[float]] = defaultdict(list)
    parse = date.fromisoformat
    for text_id, text_day, mood, suicidal in check_in_rows:
        day = parse(text_day)
        mood_days[text_id].append(day)
        moods[text_id].append(mood)
        if suicidal is not None:
            si_days[text_id].append(day)
            si[text_id].append(1.0 if suicidal else 0.0)

    def text_key(pk: Any) -> str:
        """How the database wrote the id as text: hex on SQLite, dashed on PostgreSQL."""
        return pk.hex if pk.hex in mood_days or pk.hex in si_days else str(pk)

    instrument = definitions.instrument
    scores: dict[Any, list[ScaleScore]] = defaultdict(list)
    phq9: dict[Any, list[ScaleScore]] = defaultdict(list)
    for pid, name, total, answers, taken in (
        ScaleResponse.objects.filter(patient_id__in=ids, instrument__in={instrument, "phq9"})
        .order_by("taken_at")
        .values_list("patient_id", "instrument", "total", "answers", "taken_at")
    ):
        score = ScaleScore(
            taken,
            taken.astimezone(tz[pid]).date(),
            total,
            item9(answers) if name == "phq9" else None,
        )
        if name == instrument:
            scores[pid].append(score)
        if name == "phq9":
            phq9[pid].append(score)

    out = []
    for p in patients:
        pid = p.pk
        text = text_key(pid)
        out.append(
            PatientData(
                patient_id=str(pid),
                today=now.astimezone(tz[pid]).date(),
                mood=DailySeries.from_days(mood_days[text], moods[text]),
                suicidal=DailySeries.from_days(si_days[text], si[text]),
                infusions=tuple(done[pid]),
                scores=tuple(scores[pid]),
                courses=tuple(courses[pid]),
                scheduled=tuple(planned[pid]),
                phq9=tuple(phq9[pid]),
            )
        )
    return out


def load_patient(
    patient: Patient, *, now: datetime, definitions: OutcomeDefinitions = DEFAULT_DEFINITIONS
) -> PatientData:
    return load_patients([patient], now=now, definitions=definitions)[0]
