"""Database rows -> the pure inputs of ``aftercare.insights`` (``PatientData``).

Everything is read as of ``now``: check-ins, questionnaires and infusions recorded after it are
left out, so insights can be computed for an earlier moment (a report's period end).

``load_patients`` reads any number of patients with a fixed number of queries (courses,
infusions, check-ins, questionnaires), so the dashboard's query count does not grow with the
clinic. Days are the patient's local days; "today" is the patient's local date at ``now``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
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
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # numpy's datetime64[D] counts days from here
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


def _aware(value: Any) -> datetime:
    """A datetime read as text (``Cast`` in the query, so the database's driver does not parse
    it row by row): with an offset on PostgreSQL, naive UTC on SQLite."""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _plain_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset without the ORM's per-value conversions."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def load_patients(
    patients: QuerySet[Patient] | Sequence[Patient],
    *,
    now: datetime,
    definitions: OutcomeDefinitions = DEFAULT_DEFINITIONS,
) -> list[PatientData]:
    """``PatientData`` for each patient, in the order given; 4 queries whatever their number
    (plus one for the patients when given a queryset)."""
    if isinstance(patients, QuerySet):
        # Only the id and the time zone are needed: no model instances (nor their joins).
        zones = list(patients.values_list("pk", "timezone"))
    else:
        zones = [(p.pk, p.timezone) for p in patients]
    return [data for data, _until in load_zones(zones, now=now, definitions=definitions)]


def load_zones(
    zones: Sequence[tuple[Any, str]],
    *,
    now: datetime,
    definitions: OutcomeDefinitions = DEFAULT_DEFINITIONS,
    ids: Any = None,
) -> list[tuple[PatientData, datetime]]:
    """``PatientData`` of each (patient id, time zone name), with the moment until which it
    stays what a fresh read would give if nothing is written meanwhile: the patient's next
    local midnight ("today" moves on) or the next scheduled infusion (it stops counting as
    planned), whichever comes first. 4 queries whatever the number of patients.

    ``ids`` may be a subquery selecting at least these patients (rows of others are skipped),
    so that thousands of ids need not be sent as parameters."""
    if not zones:
        return []
    if ids is None:
        ids = [pk for pk, _zone in zones]
    tz = {pk: ZoneInfo(name) for pk, name in zones}
    native_uuid = connection.features.has_native_uuid_field

    def as_text(pk: Any) -> str:
        """How the database writes the id as text: dashed on PostgreSQL, hex elsewhere."""
        return str(pk) if native_uuid else pk.hex

    text_tz = {as_text(pk): zone for pk, zone in tz.items()}

    courses: dict[Any, list[CourseInfo]] = defaultdict(list)
    kinds: dict[int, str] = {}
    for pid, cid, kind, size, started_on in Course.objects.filter(patient_id__in=ids).values_list(
        "patient_id", "id", "kind", "planned_infusions", "started_on"
    ):
        courses[pid].append(CourseInfo(cid, kind, size, started_on))
        kinds[cid] = kind

    done: dict[Any, list[InfusionEvent]] = defaultdict(list)
    planned: dict[Any, list[date]] = defaultdict(list)
    next_planned: dict[str, datetime] = {}
    # Planned as of ``now``: booked for ``now`` or later and not given by then, also when it
    # was given since (an earlier moment, e.g. a report's period end). A cancelled or missed
    # booking is left out: when it was called off is not recorded.
    given_later = Q(
        status__in=[Infusion.Status.COMPLETED, Infusion.Status.IN_PROGRESS], started_at__gt=now
    )
    rows = (
        Infusion.objects.filter(
            Q(status=Infusion.Status.COMPLETED, started_at__lte=now)
            | Q(Q(status=Infusion.Status.SCHEDULED) | given_later, scheduled_at__gte=now),
            patient_id__in=ids,
        )
        .annotate(
            pid=Cast("patient_id", CharField()),
            started=Cast("started_at", CharField()),
            scheduled=Cast("scheduled_at", CharField()),
        )
        .order_by("scheduled_at")
        .values_list("pid", "status", "started", "scheduled", "course_id", "route")
    )
    # Plain rows (thousands of them): ids as text, datetimes parsed here.
    for text_id, status, started_at, scheduled_at, cid, route in _plain_rows(rows):
        if text_id not in text_tz:
            continue
        started = _aware(started_at) if started_at is not None else None
        if status == Infusion.Status.COMPLETED and started is not None and started <= now:
            kind = kinds.get(cid, "induction" if cid is None else "maintenance")
            day = started.astimezone(text_tz[text_id]).date()
            done[text_id].append(InfusionEvent(started, day, cid, kind, route))
        else:  # booked for now or later (see above)
            scheduled = _aware(scheduled_at)
            if scheduled >= now:
                planned[text_id].append(scheduled.astimezone(text_tz[text_id]).date())
                if text_id not in next_planned:
                    next_planned[text_id] = scheduled  # rows come in time order

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
        .filter(submitted_at__lte=now)
        .filter(
            Q(submitted_at__gte=now - timedelta(days=LOOKBACK_DAYS))
            | Q(
                submitted_at__lt=F("first_infusion"),
                submitted_at__gte=F("first_infusion") - BASELINE_MARGIN,
            )
        )
        .values_list("pid", "day", "mood", "si")
    )
    check_in_rows = _plain_rows(check_ins)  # tens of thousands of them
    # Days to ordinals in one numpy pass ("YYYY-MM-DD" text on every backend), then each
    # patient's rows as one slice (a stable sort keeps their order within a patient).
    position = {text: i for i, text in enumerate(text_tz)}
    owner = np.fromiter((position.get(r[0], -1) for r in check_in_rows), np.int64)
    ordinal = np.array([r[1] for r in check_in_rows], dtype="datetime64[D]").astype(np.int64)
    ordinal += EPOCH_ORDINAL
    mood = np.array([r[2] for r in check_in_rows], dtype=np.float64)
    answer = np.array([np.nan if r[3] is None else float(bool(r[3])) for r in check_in_rows])
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(len(position) + 1))
    mood_series: dict[str, DailySeries] = {}
    si_series: dict[str, DailySeries] = {}
    for text, i in position.items():
        rows_of = order[bounds[i] : bounds[i + 1]]
        mood_series[text] = DailySeries.from_ordinals(ordinal[rows_of], mood[rows_of])
        answered = rows_of[~np.isnan(answer[rows_of])]
        si_series[text] = DailySeries.from_ordinals(ordinal[answered], answer[answered])

    instrument = definitions.instrument
    scores: dict[Any, list[ScaleScore]] = defaultdict(list)
    phq9: dict[Any, list[ScaleScore]] = defaultdict(list)
    answers_field = ScaleResponse._meta.get_field("answers")
    for text_id, name, total, raw_answers, taken_at in _plain_rows(
        ScaleResponse.objects.filter(
            patient_id__in=ids, instrument__in={instrument, "phq9"}, taken_at__lte=now
        )
        .annotate(pid=Cast("patient_id", CharField()), taken=Cast("taken_at", CharField()))
        .order_by("taken_at")
        .values_list("pid", "instrument", "total", "answers", "taken")
    ):
        if text_id not in text_tz:
            continue
        taken = _aware(taken_at)
        item = None
        if name == "phq9":  # JSON decoded as the field does it
            answers = answers_field.from_db_value(raw_answers, None, connection)  # type: ignore[arg-type]
            item = item9(answers)
        score = ScaleScore(taken, taken.astimezone(text_tz[text_id]).date(), total, item)
        if name == instrument:
            scores[text_id].append(score)
        if name == "phq9":
            phq9[text_id].append(score)

    out = []
    for pid, _zone in zones:
        text = as_text(pid)
        today = now.astimezone(tz[pid]).date()
        midnight = datetime.combine(today + timedelta(days=1), time(), tzinfo=tz[pid])
        until = min(midnight.astimezone(UTC), next_planned.get(text, midnight).astimezone(UTC))
        data = PatientData(
            patient_id=str(pid),
            today=today,
            mood=mood_series[text],
            suicidal=si_series[text],
            infusions=tuple(done[text]),
            scores=tuple(scores[text]),
            courses=tuple(courses[pid]),
            scheduled=tuple(planned[text]),
            phq9=tuple(phq9[text]),
        )
        out.append((data, until))
    return out


def load_patient(
    patient: Patient, *, now: datetime, definitions: OutcomeDefinitions = DEFAULT_DEFINITIONS
) -> PatientData:
    return load_patients([patient], now=now, definitions=definitions)[0]
