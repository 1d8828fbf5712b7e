"""Proposed appointment times for a course, and grouping by local day. Pure: no database.

An induction series is typically 6 infusions over 2–3 weeks (PRODUCT.md §6; CLINICAL.md §3:
Murrough 2013 and Shiroma 2014 gave six infusions Monday–Wednesday–Friday over 12 days).
Maintenance boosters come "monthly or less, every few weeks" (PRODUCT.md §6): the default
interval of 4 weeks is a project default [U] that staff change per patient.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

INDUCTION_SIZE = 6
INDUCTION_WEEKDAYS = (0, 2, 4)  # Monday, Wednesday, Friday
BOOSTER_EVERY_WEEKS = 4
MAX_APPOINTMENTS = 50  # Course.planned_infusions allows at most 50

T = TypeVar("T")


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant a wall clock in ``tz`` shows ``day`` ``at``. A time skipped by a
    daylight-saving change (02:30 on the spring-forward night) lands an hour later."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    # Round-trip through UTC normalises skipped wall times.
    return aware.astimezone(UTC)


def propose_series(
    *, first_day: date, at: time, count: int, weekdays: Iterable[int], tz: ZoneInfo
) -> list[datetime]:
    """``count`` appointments at ``at`` local time on the given weekdays (0 = Monday), from
    ``first_day`` on. UTC instants, in order; the local time stays the same across DST."""
    days = sorted(set(weekdays))
    if not days or any(d not in range(7) for d in days):
        raise ValueError("weekdays must be a non-empty subset of 0..6")
    if not 1 <= count <= MAX_APPOINTMENTS:
        raise ValueError(f"count must be 1..{MAX_APPOINTMENTS}")
    out: list[datetime] = []
    day = first_day
    while len(out) < count:
        if day.weekday() in days:
            out.append(local_to_utc(day, at, tz))
        day += timedelta(days=1)
    return out


def propose_boosters(
    *, first_day: date, at: time, count: int, every_weeks: int, tz: ZoneInfo
) -> list[datetime]:
    """``count`` boosters ``every_weeks`` weeks apart from ``first_day``, at ``at`` local time."""
    if not 1 <= count <= MAX_APPOINTMENTS:
        raise ValueError(f"count must be 1..{MAX_APPOINTMENTS}")
    if not 1 <= every_weeks <= 52:
        raise ValueError("every_weeks must be 1..52")
    return [
        local_to_utc(first_day + timedelta(weeks=every_weeks * n), at, tz) for n in range(count)
    ]


@dataclass(frozen=True)
class Day(Generic[T]):
    day: date
    items: list[T]


def group_by_local_day(items: Sequence[T], when: Sequence[datetime], tz: ZoneInfo) -> list[Day[T]]:
    """Items grouped under the local calendar day (in ``tz``) of their instant, days in order."""
    groups: dict[date, list[T]] = {}
    for item, at in sorted(zip(items, when, strict=True), key=lambda pair: pair[1]):
        groups.setdefault(at.astimezone(tz).date(), []).append(item)
    return [Day(day, rows) for day, rows in sorted(groups.items())]
