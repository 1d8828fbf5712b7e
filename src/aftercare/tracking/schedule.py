"""When a clinic's questionnaires (PHQ-9, GAD-7, ...) fall due. Pure Python, no Django.

A clinic sets, per instrument, a small set of rules relative to the patient's infusions
(``ScheduleRule``; defaults in ``DEFAULT_RULES``, documented in docs/tracking.md):

- ``baseline``: before the first infusion, due while no answer from the last
  ``recall_window_days`` (14: the questionnaires ask about the past 2 weeks, CLINICAL.md §1)
  exists. Sanacora et al. 2017 (CLINICAL.md §4) ask for a baseline severity measurement "to allow
  later assessments of clinical change".
- ``before_each_infusion``: from the start of the local day before a booked infusion.
- ``days_after_each_infusion`` (N): from the start of local day N after an infusion's day.
- ``weekly_first_month``: local days 7, 14, 21 and 28 after an infusion's day (the month matches
  the phase engine's weeks 2–4, which end on day 28).
- ``maintenance_every_days`` (M): afterwards, every M days (days 28 + M, 28 + 2M, ...).

The clock restarts with each infusion: every "after" occasion counts from the latest completed
infusion, and only answers given after that infusion started can settle an occasion. Only the
most recent occasion matters, so missed ones do not pile up. An answer given up to
``EARLY_TOLERANCE`` before an occasion opens still settles it, so a questionnaire answered on
day 6 is not asked for again on day 7.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

FIRST_MONTH_DAYS = 28
WEEK = 7
EARLY_TOLERANCE = timedelta(days=1)
DEFAULT_RECALL_WINDOW_DAYS = 14


class Reason(StrEnum):
    BASELINE = "baseline"
    BEFORE_INFUSION = "before_infusion"
    AFTER_INFUSION = "after_infusion"
    WEEKLY = "weekly"
    MAINTENANCE = "maintenance"


@dataclass(frozen=True)
class ScheduleRule:
    """One instrument's schedule at one clinic. Day counts are local calendar days."""

    instrument: str
    baseline: bool = True
    before_each_infusion: bool = True
    days_after_each_infusion: int | None = None  # 1..90 when set
    weekly_first_month: bool = True
    maintenance_every_days: int | None = 14  # 7..90 when set
    recall_window_days: int = DEFAULT_RECALL_WINDOW_DAYS

    def __post_init__(self) -> None:
        n = self.days_after_each_infusion
        if n is not None and not 1 <= n <= 90:
            raise ValueError("days_after_each_infusion must be 1..90")
        m = self.maintenance_every_days
        if m is not None and not 7 <= m <= 90:
            raise ValueError("maintenance_every_days must be 7..90")


# Project defaults, the same for both instruments: measurement-based care before and through
# the course (PRODUCT.md §3; McInnes et al. 2022 measured PHQ-9 through and after induction,
# CLINICAL.md §3). N days after each infusion is off: with a 2-week recall window a PHQ-9 the
# day after an infusion mostly describes the weeks before it.
DEFAULT_RULES: tuple[ScheduleRule, ...] = (
    ScheduleRule(instrument="phq9"),
    ScheduleRule(instrument="gad7"),
)


@dataclass(frozen=True)
class InfusionTime:
    """An infusion's start (aware). ``completed`` False means booked, not yet given."""

    at: datetime
    completed: bool


@dataclass(frozen=True)
class Taken:
    """One answered questionnaire (aware time)."""

    instrument: str
    at: datetime


@dataclass(frozen=True)
class Due:
    """``since`` is when the occasion opened (UTC); None for a baseline (due until answered)."""

    instrument: str
    reason: Reason
    since: datetime | None
    infusion_at: datetime | None = None  # the infusion the occasion counts from or before


@lru_cache(maxsize=4096)
def start_of_local_day(day: date, tz: ZoneInfo) -> datetime:
    """First instant (UTC) of local date ``day``; a midnight skipped by DST maps forward."""
    wall = datetime.combine(day, time())
    instant = wall.replace(tzinfo=tz).astimezone(UTC)
    # zoneinfo resolves a non-existent wall time with the offset before the gap, which lands
    # after the gap once converted: that instant is the first one of the day.
    if instant.astimezone(tz).date() < day:  # pragma: no cover - defensive
        instant += timedelta(hours=1)
    return instant


def _latest_after_occasion(
    rule: ScheduleRule, infusion_day: date, today: date
) -> tuple[int, Reason] | None:
    """The latest "after" occasion (day offset, reason) on or before ``today``."""
    elapsed = (today - infusion_day).days
    best: tuple[int, Reason] | None = None

    def consider(offset: int, reason: Reason) -> None:
        nonlocal best
        if 0 < offset <= elapsed and (best is None or offset > best[0]):
            best = (offset, reason)

    if rule.days_after_each_infusion is not None:
        consider(rule.days_after_each_infusion, Reason.AFTER_INFUSION)
    if rule.weekly_first_month:
        consider(min(elapsed // WEEK, FIRST_MONTH_DAYS // WEEK) * WEEK, Reason.WEEKLY)
    m = rule.maintenance_every_days
    if m is not None and elapsed >= FIRST_MONTH_DAYS + m:
        consider(FIRST_MONTH_DAYS + (elapsed - FIRST_MONTH_DAYS) // m * m, Reason.MAINTENANCE)
    return best


def _due_for_rule(
    rule: ScheduleRule,
    infusions: Sequence[InfusionTime],
    taken: Sequence[datetime],
    now: datetime,
    tz: ZoneInfo,
) -> Due | None:
    past = [i.at for i in infusions if i.completed and i.at <= now]
    latest = max(past) if past else None
    upcoming = [i.at for i in infusions if not i.completed and i.at > now]
    next_infusion = min(upcoming) if upcoming else None

    def answered_since(floor: datetime) -> bool:
        return any(floor <= at <= now for at in taken)

    occasions: list[tuple[datetime, Reason, datetime | None]] = []
    if latest is not None:
        found = _latest_after_occasion(
            rule, latest.astimezone(tz).date(), now.astimezone(tz).date()
        )
        if found is not None:
            offset, reason = found
            opens = start_of_local_day(latest.astimezone(tz).date() + timedelta(offset), tz)
            occasions.append((opens, reason, latest))
    if rule.before_each_infusion and next_infusion is not None:
        opens = start_of_local_day(next_infusion.astimezone(tz).date() - timedelta(1), tz)
        if latest is not None:
            opens = max(opens, latest)
        if opens <= now:
            occasions.append((opens, Reason.BEFORE_INFUSION, next_infusion))
    if occasions:
        opens, reason, infusion_at = max(occasions, key=lambda o: o[0])
        floor = opens - EARLY_TOLERANCE
        if latest is not None:
            floor = max(floor, latest)
        if answered_since(floor):
            return None
        return Due(rule.instrument, reason, opens.astimezone(UTC), infusion_at)
    if latest is None and rule.baseline:
        if answered_since(now - timedelta(days=rule.recall_window_days)):
            return None
        return Due(rule.instrument, Reason.BASELINE, None, next_infusion)
    return None


def due_scales(
    schedule_rules: Iterable[ScheduleRule],
    infusions: Iterable[InfusionTime],
    responses: Iterable[Taken],
    now: datetime,
    tz: ZoneInfo,
) -> list[Due]:
    """Which questionnaires are due at ``now`` (aware), at most one per instrument.

    ``infusions``: completed infusions (their start) and booked ones; cancelled ones left out.
    ``responses``: every answered questionnaire of the patient. ``tz``: the patient's zone,
    which decides where local days begin.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    infusion_list = list(infusions)
    response_list = list(responses)
    due = []
    seen: set[str] = set()
    for rule in schedule_rules:
        if rule.instrument in seen:
            continue
        seen.add(rule.instrument)
        taken = [r.at for r in response_list if r.instrument == rule.instrument]
        found = _due_for_rule(rule, infusion_list, taken, now, tz)
        if found is not None:
            due.append(found)
    return due


def due_unchanged_until(
    schedule_rules: Iterable[ScheduleRule],
    infusions: Iterable[InfusionTime],
    responses: Iterable[Taken],
    now: datetime,
    tz: ZoneInfo,
) -> datetime:
    """An instant after ``now`` before which ``due_scales`` gives the same answer for the same
    inputs, so a list of many patients can keep the answer instead of asking again.

    The answer depends on time only through: the local date (next local midnight), which
    infusions lie in the past (the next infusion's time), which answers lie in the past (the
    next future answer) and the baseline's recall window (an answer leaving it)."""
    rules = list(schedule_rules)
    midnight = start_of_local_day(now.astimezone(tz).date() + timedelta(days=1), tz)
    changes = [midnight]
    changes += [i.at for i in infusions if i.at > now]
    for r in responses:
        if r.at > now:
            changes.append(r.at)
        for rule in rules:
            leaves = r.at + timedelta(days=rule.recall_window_days, microseconds=1)
            if rule.baseline and rule.instrument == r.instrument and leaves > now:
                changes.append(leaves)
    return min(changes)
