"""When a patient's daily check-in reminder goes out: a pure module (stdlib only, no Django).

Rules (docs/reminders.md explains them for people):

- A reminder is planned for each local day whose weekday the patient chose, at their local
  time of day. "Local" is always the wall clock of the patient's time zone, so a 19:00 reminder
  is at 19:00 on both sides of a daylight-saving change.
- Quiet hours ``[quiet_start, quiet_end)`` are local wall-clock times and may wrap midnight
  (22:00–08:00). A reminder whose time falls inside them moves forward to the end of that quiet
  period: 23:00 with quiet hours 22:00–08:00 arrives at 08:00 the next morning; 07:00 arrives
  at 08:00 the same morning. Equal start and end, or no start, means no quiet hours.
- A wall-clock time that does not exist (the hour skipped when clocks spring forward) is sent at
  the first valid instant after it, the moment the clocks jump. A time that happens twice (the
  hour repeated when clocks fall back) is sent once, at its first occurrence.
- At most one reminder per local day: a reminder is identified by the local date on which it
  is sent (``Reminder.local_date``). If two planned days would land on one local date (only a
  zone that skips a whole calendar day can do that), the later one is dropped.
- ``due_reminders`` only ever offers today's reminder (today in the patient's zone): after a
  downtime it catches up on today's reminder, never on earlier days, and never during quiet
  hours.

Every ``datetime`` argument must be timezone-aware; every returned ``datetime`` is in UTC.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

ALL_DAYS: frozenset[int] = frozenset(range(7))
# Enough for a skipped calendar day (Pacific/Apia, 2011) plus one day each side.
_LOOKBEHIND = timedelta(days=3)


@dataclass(frozen=True)
class Preferences:
    """A patient's reminder settings.

    ``time_of_day``, ``quiet_start`` and ``quiet_end`` are naive local wall-clock times;
    ``weekdays`` holds ``date.weekday()`` numbers (Monday = 0 … Sunday = 6).
    """

    enabled: bool = True
    time_of_day: time = time(19, 0)
    quiet_start: time | None = time(22, 0)
    quiet_end: time | None = time(8, 0)
    weekdays: frozenset[int] = ALL_DAYS

    def __post_init__(self) -> None:
        for name in ("time_of_day", "quiet_start", "quiet_end"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is not None:
                raise ValueError(f"{name} must be a naive local time, got {value!r}")
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise ValueError("Quiet hours need both a start and an end, or neither")
        if not set(self.weekdays) <= ALL_DAYS:
            raise ValueError(f"weekdays must be numbers 0–6, got {sorted(self.weekdays)}")

    @property
    def has_quiet_hours(self) -> bool:
        return self.quiet_start is not None and self.quiet_start != self.quiet_end

    def in_quiet_hours(self, wall: time) -> bool:
        """Whether a local wall-clock time lies inside ``[quiet_start, quiet_end)``."""
        if not self.has_quiet_hours:
            return False
        start, end = self.quiet_start, self.quiet_end
        assert start is not None
        assert end is not None
        wall = wall.replace(tzinfo=None, fold=0)
        if start < end:
            return start <= wall < end
        return wall >= start or wall < end

    def quiet_period_end(self, wall: datetime) -> datetime:
        """The naive local end of the quiet period containing ``wall`` (which must be inside)."""
        start, end = self.quiet_start, self.quiet_end
        assert start is not None
        assert end is not None
        assert self.in_quiet_hours(wall.time())
        day = wall.date()
        if start > end and wall.time() >= start:
            day += timedelta(days=1)
        return datetime.combine(day, end)


@dataclass(frozen=True)
class Reminder:
    """One reminder: the patient's local date it belongs to and the UTC instant to send it."""

    local_date: date
    send_at: datetime


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


def _wall(instant: datetime, tz: tzinfo) -> datetime:
    return instant.astimezone(tz).replace(tzinfo=None, fold=0)


def to_utc(wall: datetime, tz: tzinfo) -> datetime:
    """The UTC instant of a naive local wall-clock time in ``tz``.

    Repeated times (clocks fall back) give their first occurrence. Skipped times (clocks spring
    forward) give the first instant after them: the moment of the jump.
    """
    wall = wall.replace(tzinfo=None, fold=0)
    earlier = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if _wall(earlier, tz) == wall:
        return earlier
    # ``wall`` is in a gap. fold=0 reads it with the offset before the jump, fold=1 with the
    # offset after, so the jump lies between the two readings; find it to the second.
    later = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    low, high = sorted((earlier, later))
    lo = math.floor(low.timestamp())
    hi = math.ceil(high.timestamp())
    # Invariant: the wall clock at ``lo`` is before ``wall``, at ``hi`` it is at or after it.
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _wall(datetime.fromtimestamp(mid, UTC), tz) < wall:
            lo = mid
        else:
            hi = mid
    return datetime.fromtimestamp(hi, UTC)


def planned_time(prefs: Preferences) -> tuple[int, time]:
    """(days after the planned day, local time) at which a reminder is sent."""
    wall = datetime.combine(date(2000, 1, 3), prefs.time_of_day)
    if prefs.in_quiet_hours(wall.time()):
        wall = prefs.quiet_period_end(wall)
    return (wall.date() - date(2000, 1, 3)).days, wall.time()


def reminder_for_day(prefs: Preferences, tz: tzinfo, day: date) -> Reminder:
    """The reminder planned for local ``day`` (ignores ``enabled`` and ``weekdays``)."""
    offset, wall_time = planned_time(prefs)
    wall = datetime.combine(day + timedelta(days=offset), wall_time)
    send_at = to_utc(wall, tz)
    # A skipped hour can push the send into quiet hours (02:30 → 03:00 with quiet from 03:00).
    for _attempt in range(3):
        actual = _wall(send_at, tz)
        if not prefs.in_quiet_hours(actual.time()):
            break
        send_at = to_utc(prefs.quiet_period_end(actual), tz)
    return Reminder(local_date=_wall(send_at, tz).date(), send_at=send_at)


def reminders(
    prefs: Preferences, tz: tzinfo, start_utc: datetime, end_utc: datetime
) -> list[Reminder]:
    """Every reminder sent in ``[start_utc, end_utc)``, in order, at most one per local date."""
    _require_aware("start_utc", start_utc)
    _require_aware("end_utc", end_utc)
    if not prefs.enabled or not prefs.weekdays or end_utc <= start_utc:
        return []
    day = (start_utc - _LOOKBEHIND).astimezone(tz).date()
    last_day = (end_utc + timedelta(days=1)).astimezone(tz).date()
    found: list[Reminder] = []
    while day <= last_day:
        if day.weekday() in prefs.weekdays:
            reminder = reminder_for_day(prefs, tz, day)
            if not found or reminder.local_date > found[-1].local_date:
                found.append(reminder)
        day += timedelta(days=1)
    return [r for r in found if start_utc <= r.send_at < end_utc]


def occurrences(
    prefs: Preferences, tz: tzinfo, start_utc: datetime, end_utc: datetime
) -> list[datetime]:
    """The UTC instants at which reminders are sent in ``[start_utc, end_utc)``."""
    return [r.send_at for r in reminders(prefs, tz, start_utc, end_utc)]


def due_reminders(
    prefs: Preferences, tz: tzinfo, last_sent_utc: datetime | None, now_utc: datetime
) -> list[Reminder]:
    """The reminder to send now, if any (a list of at most one).

    Today's reminder (today in ``tz``) is due once its time has passed, unless one was already
    sent today (``last_sent_utc``, the latest send to this patient, falls on today's local date)
    or it is quiet hours now. Earlier days are never caught up on.
    """
    _require_aware("now_utc", now_utc)
    if last_sent_utc is not None:
        _require_aware("last_sent_utc", last_sent_utc)
    now_wall = _wall(now_utc, tz)
    today = now_wall.date()
    if not prefs.enabled or prefs.in_quiet_hours(now_wall.time()):
        return []
    if last_sent_utc is not None and _wall(last_sent_utc, tz).date() >= today:
        return []
    candidates = reminders(prefs, tz, now_utc - _LOOKBEHIND, now_utc + timedelta(microseconds=1))
    return [r for r in candidates if r.local_date == today]
