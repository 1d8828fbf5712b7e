"""Recovery phases after a ketamine infusion: a pure engine (stdlib only, no Django).

Phases and their sources:

- IN_SESSION: from an infusion's ``started_at`` until its ``ended_at``. An infusion under way has
  no end yet: ``under_way`` gives it one, ``TYPICAL_INFUSION`` (40 min, PRODUCT.md §1: typical
  40-60 min) after its start or a minute from now, whichever is later.
- IMMEDIATE, 0 to ``immediate_hours`` (2 h) after the end: the seed article's "Immediate
  Post-Infusion Period (0-2 Hours)", and CLINICAL.md §4 (Spravato label: observe for at least 2 h).
- GETTING_HOME, ``immediate_hours`` to ``getting_home_hours`` (4 h): the seed article's "Getting
  Home". The 4 h value follows CLINICAL.md §3–4 (Spravato label: blood pressure rises last about
  4 h; Murrough 2013: response measured at 4 h).
- TREATMENT_DAY: the rest of the local calendar day on which the infusion ended (seed article: "The
  Rest of Treatment Day").
- DAY_1 to DAY_3: local days 1, 2 and 3 after treatment day (seed article: "Days 1-3: The Emergence
  Window"; the response usually peaks by about 72 h).
- FIRST_WEEK: local days 4 to ``first_week_last_day`` (7) (seed article: "The First Week").
- WEEKS_2_4: local days 8 to ``weeks_2_4_last_day`` (28) (seed article: "Weeks 2-4").
- MAINTENANCE: local days 29 to ``maintenance_last_day`` (90) (seed article: "The Maintenance
  Phase"). The article gives no end; 90 days is a project default (CLINICAL.md §3: responders
  in Murrough 2013 were followed for up to 83 days).
- LONG_TERM: afterwards, open-ended (seed article: "Long-Term Considerations").

The neuroplasticity window runs from DAY_1 to the end of local day ``neuroplasticity_last_day``
(14) (seed article: "a window of enhanced neuroplasticity lasting several days to two weeks").

Hour boundaries are absolute elapsed time. Day boundaries are local midnights in the patient's
time zone, so a local day may last 23 or 25 hours across a daylight-saving change. Where midnight
does not exist (clocks jump from 00:00 to 01:00, e.g. America/Santiago), the day starts at its
first instant. Every span starts at the later of its nominal start and the previous span's start,
so the timeline stays contiguous; spans that end up empty are dropped. After a late-evening
infusion (ending at 22:30, say) the getting-home phase runs past midnight: TREATMENT_DAY is then
dropped and DAY_1 starts when GETTING_HOME ends, not at midnight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo


class Phase(StrEnum):
    NOT_STARTED = "not_started"
    IN_SESSION = "in_session"
    IMMEDIATE = "immediate"
    GETTING_HOME = "getting_home"
    TREATMENT_DAY = "treatment_day"
    DAY_1 = "day_1"
    DAY_2 = "day_2"
    DAY_3 = "day_3"
    FIRST_WEEK = "first_week"
    WEEKS_2_4 = "weeks_2_4"
    MAINTENANCE = "maintenance"
    LONG_TERM = "long_term"


_EMERGENCE = (Phase.DAY_1, Phase.DAY_2, Phase.DAY_3)
_BEFORE_DAY_1 = (Phase.IN_SESSION, Phase.IMMEDIATE, Phase.GETTING_HOME, Phase.TREATMENT_DAY)


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


@dataclass(frozen=True)
class Infusion:
    """One infusion; both times aware (any zone, usually UTC), ``ended_at >= started_at``."""

    started_at: datetime
    ended_at: datetime

    def __post_init__(self) -> None:
        _require_aware("started_at", self.started_at)
        _require_aware("ended_at", self.ended_at)
        if self.ended_at < self.started_at:
            raise ValueError("An infusion cannot end before it starts")


TYPICAL_INFUSION = timedelta(minutes=40)


def under_way(started_at: datetime, now: datetime) -> Infusion:
    """An infusion started at ``started_at`` and not ended by ``now``, with a provisional end
    so that ``now`` falls in its IN_SESSION span."""
    return Infusion(
        started_at=started_at,
        ended_at=max(started_at + TYPICAL_INFUSION, now + timedelta(minutes=1)),
    )


@dataclass(frozen=True)
class Boundaries:
    """Phase boundaries. Hours are elapsed hours after the infusion ended (>= 0); days are local
    calendar days after treatment day (day 0). Sources: see the module docstring."""

    immediate_hours: float = 2
    getting_home_hours: float = 4
    first_week_last_day: int = 7
    weeks_2_4_last_day: int = 28
    maintenance_last_day: int = 90
    neuroplasticity_last_day: int = 14

    def __post_init__(self) -> None:
        if not 0 <= self.immediate_hours <= self.getting_home_hours:
            raise ValueError("Need 0 <= immediate_hours <= getting_home_hours")
        days = (3, self.first_week_last_day, self.weeks_2_4_last_day, self.maintenance_last_day)
        if list(days) != sorted(days):
            raise ValueError("Need 3 <= first_week <= weeks_2_4 <= maintenance last days")
        if self.neuroplasticity_last_day < 1:
            raise ValueError("neuroplasticity_last_day must be at least 1")


@dataclass(frozen=True)
class PhaseSpan:
    """``[start, end)`` in UTC; ``end`` is None for the open-ended last span."""

    phase: Phase
    start: datetime
    end: datetime | None

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant and (self.end is None or instant < self.end)


@dataclass(frozen=True)
class PhaseState:
    """Where a patient is at one instant. All datetimes are UTC.

    ``infusion_number`` is 1-based (infusion 3 of ``series_total`` 6). ``day_index`` is the local
    calendar day since treatment day (0 = treatment day, never negative). ``hours_since_end`` is
    elapsed hours since the infusion ended (None while in session). ``next_transition_at`` is None
    when the current phase is open-ended and no further infusion is booked.
    """

    phase: Phase
    infusion_number: int | None
    series_total: int | None
    day_index: int | None
    hours_since_end: float | None
    started_at: datetime | None
    next_phase: Phase | None
    next_transition_at: datetime | None
    in_neuroplasticity_window: bool
    in_emergence_window: bool


@lru_cache(maxsize=4096)
def _start_of_local_day(day: date, tz: ZoneInfo) -> datetime:
    """First instant (UTC) of the local date ``day`` in ``tz``."""
    wall = datetime.combine(day, time())
    candidates = sorted({wall.replace(tzinfo=tz, fold=f).astimezone(UTC) for f in (0, 1)})
    for instant in candidates:  # earliest first, so an ambiguous midnight gives the first one
        if instant.astimezone(tz).replace(tzinfo=None) == wall:
            return instant
    # Midnight falls in a gap (clocks jump forward over it): the day starts at the transition,
    # which lies between the two readings; bisect for it to the second.
    lo, hi = (int(c.timestamp()) for c in candidates)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, tz).replace(tzinfo=None) >= wall:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, UTC)


def phase_spans(
    infusion: Infusion, tz: ZoneInfo, boundaries: Boundaries = Boundaries()
) -> list[PhaseSpan]:
    """The full timeline after one infusion, IN_SESSION to LONG_TERM: ordered, contiguous, in UTC,
    without empty spans. ``tz`` is the patient's zone; it fixes the local midnights."""
    b = boundaries
    end = infusion.ended_at.astimezone(UTC)
    treatment_day = end.astimezone(tz).date()

    def midnight(days_after: int) -> datetime:
        return _start_of_local_day(treatment_day + timedelta(days=days_after), tz)

    nominal = [
        (Phase.IN_SESSION, infusion.started_at.astimezone(UTC)),
        (Phase.IMMEDIATE, end),
        (Phase.GETTING_HOME, end + timedelta(hours=b.immediate_hours)),
        (Phase.TREATMENT_DAY, end + timedelta(hours=b.getting_home_hours)),
        (Phase.DAY_1, midnight(1)),
        (Phase.DAY_2, midnight(2)),
        (Phase.DAY_3, midnight(3)),
        (Phase.FIRST_WEEK, midnight(4)),
        (Phase.WEEKS_2_4, midnight(b.first_week_last_day + 1)),
        (Phase.MAINTENANCE, midnight(b.weeks_2_4_last_day + 1)),
        (Phase.LONG_TERM, midnight(b.maintenance_last_day + 1)),
    ]
    starts: list[tuple[Phase, datetime]] = []
    for phase, start in nominal:
        starts.append((phase, max(start, starts[-1][1]) if starts else start))
    ends: list[datetime | None] = [s for _, s in starts[1:]]
    ends.append(None)
    return [
        PhaseSpan(phase, start, stop)
        for (phase, start), stop in zip(starts, ends, strict=True)
        if stop is None or start < stop
    ]


def current_phase(
    infusions: Sequence[Infusion],
    now: datetime,
    tz: ZoneInfo,
    *,
    series_total: int | None = None,
    boundaries: Boundaries = Boundaries(),
) -> PhaseState:
    """The phase at ``now`` (aware). It follows the latest infusion that has started by ``now``
    (order of ``infusions`` does not matter); a booked later infusion cuts the current phase short
    (``next_phase`` IN_SESSION). Before any infusion the phase is NOT_STARTED."""
    _require_aware("now", now)
    now = now.astimezone(UTC)
    ordered = sorted(infusions, key=lambda i: (i.started_at, i.ended_at))
    past = [i for i in ordered if i.started_at <= now]
    upcoming = next((i.started_at.astimezone(UTC) for i in ordered if i.started_at > now), None)
    if not past:
        return PhaseState(
            phase=Phase.NOT_STARTED,
            infusion_number=None,
            series_total=series_total,
            day_index=None,
            hours_since_end=None,
            started_at=None,
            next_phase=Phase.IN_SESSION if upcoming else None,
            next_transition_at=upcoming,
            in_neuroplasticity_window=False,
            in_emergence_window=False,
        )
    infusion = past[-1]
    spans = phase_spans(infusion, tz, boundaries)
    index = next(n for n, span in enumerate(spans) if span.contains(now))
    span = spans[index]
    next_phase = spans[index + 1].phase if index + 1 < len(spans) else None
    next_at = span.end
    if upcoming is not None and (next_at is None or upcoming <= next_at):
        next_phase, next_at = Phase.IN_SESSION, upcoming
    end = infusion.ended_at.astimezone(UTC)
    day_index = max(0, (now.astimezone(tz).date() - end.astimezone(tz).date()).days)
    after_day_0 = span.phase not in _BEFORE_DAY_1
    return PhaseState(
        phase=span.phase,
        infusion_number=len(past),
        series_total=series_total,
        day_index=day_index,
        hours_since_end=None
        if span.phase is Phase.IN_SESSION
        else (now - end).total_seconds() / 3600,
        started_at=span.start,
        next_phase=next_phase,
        next_transition_at=next_at,
        in_neuroplasticity_window=after_day_0 and day_index <= boundaries.neuroplasticity_last_day,
        in_emergence_window=span.phase in _EMERGENCE,
    )
