from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.reminders.schedule import (
    Preferences,
    due_reminders,
    occurrences,
    reminders,
    to_utc,
)

NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
NO_QUIET = {"quiet_start": None, "quiet_end": None}


def local(instants: list[datetime], tz: ZoneInfo) -> list[str]:
    return [f"{i.astimezone(tz):%Y-%m-%d %H:%M}" for i in instants]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_it_sends_at_the_same_local_time_on_both_sides_of_spring_forward():
    sends = occurrences(Preferences(), NEW_YORK, utc(2026, 3, 7), utc(2026, 3, 9, 12))
    assert local(sends, NEW_YORK) == ["2026-03-06 19:00", "2026-03-07 19:00", "2026-03-08 19:00"]
    # 19:00 EST is 00:00 UTC, 19:00 EDT is 23:00 UTC.
    assert [s.hour for s in sends] == [0, 0, 23]


def test_it_sends_at_the_same_local_time_on_both_sides_of_fall_back():
    sends = occurrences(Preferences(), NEW_YORK, utc(2026, 10, 31, 12), utc(2026, 11, 3, 12))
    assert local(sends, NEW_YORK) == ["2026-10-31 19:00", "2026-11-01 19:00", "2026-11-02 19:00"]
    assert [s.hour for s in sends] == [23, 0, 0]


def test_a_skipped_time_is_sent_when_the_clocks_jump():
    prefs = Preferences(time_of_day=time(2, 30), **NO_QUIET)
    sends = occurrences(prefs, NEW_YORK, utc(2026, 3, 7), utc(2026, 3, 10))
    assert local(sends, NEW_YORK) == ["2026-03-07 02:30", "2026-03-08 03:00", "2026-03-09 02:30"]
    assert sends[1] == utc(2026, 3, 8, 7, 0)


def test_a_repeated_time_is_sent_once_at_its_first_occurrence():
    prefs = Preferences(time_of_day=time(1, 30), **NO_QUIET)
    sends = occurrences(prefs, NEW_YORK, utc(2026, 11, 1), utc(2026, 11, 2))
    assert sends == [utc(2026, 11, 1, 5, 30)]  # 01:30 EDT, not 01:30 EST an hour later


def test_a_reminder_inside_quiet_hours_moves_to_their_end():
    late = Preferences(time_of_day=time(23, 0))  # quiet 22:00–08:00 by default
    early = Preferences(time_of_day=time(6, 0))
    start, end = utc(2026, 5, 4, 16), utc(2026, 5, 6, 16)
    assert local(occurrences(late, NEW_YORK, start, end), NEW_YORK) == [
        "2026-05-05 08:00",
        "2026-05-06 08:00",
    ]
    assert local(occurrences(early, NEW_YORK, start, end), NEW_YORK) == [
        "2026-05-05 08:00",
        "2026-05-06 08:00",
    ]


def test_a_late_reminder_for_monday_arrives_on_tuesday_morning():
    prefs = Preferences(time_of_day=time(23, 30), weekdays=frozenset({0}))
    found = reminders(prefs, NEW_YORK, utc(2026, 5, 3), utc(2026, 5, 10))
    assert [(r.local_date, f"{r.send_at.astimezone(NEW_YORK):%a %H:%M}") for r in found] == [
        (date(2026, 5, 5), "Tue 08:00")
    ]


def test_quiet_hours_that_do_not_wrap_midnight():
    prefs = Preferences(time_of_day=time(14, 0), quiet_start=time(13, 0), quiet_end=time(15, 30))
    sends = occurrences(prefs, NEW_YORK, utc(2026, 5, 4), utc(2026, 5, 5))
    assert local(sends, NEW_YORK) == ["2026-05-04 15:30"]


def test_equal_quiet_hours_mean_none():
    prefs = Preferences(time_of_day=time(23, 0), quiet_start=time(8, 0), quiet_end=time(8, 0))
    sends = occurrences(prefs, NEW_YORK, utc(2026, 5, 4, 12), utc(2026, 5, 5, 12))
    assert local(sends, NEW_YORK) == ["2026-05-04 23:00"]


def test_only_the_chosen_weekdays():
    prefs = Preferences(weekdays=frozenset({0, 3}))  # Monday and Thursday
    sends = occurrences(prefs, NEW_YORK, utc(2026, 5, 4), utc(2026, 5, 18))
    assert [s.astimezone(NEW_YORK).strftime("%a %d") for s in sends] == [
        "Mon 04",
        "Thu 07",
        "Mon 11",
        "Thu 14",
    ]


def test_turned_off_means_nothing():
    prefs = Preferences(enabled=False)
    assert occurrences(prefs, NEW_YORK, utc(2026, 5, 1), utc(2026, 6, 1)) == []
    assert due_reminders(prefs, NEW_YORK, None, utc(2026, 5, 4, 23, 30)) == []


def test_a_zone_that_skips_a_whole_day_still_gets_one_reminder_a_day():
    apia = ZoneInfo("Pacific/Apia")  # 30 December 2011 did not happen there
    found = reminders(Preferences(), apia, utc(2011, 12, 28), utc(2012, 1, 3))
    dates = [r.local_date for r in found]
    assert len(dates) == len(set(dates))
    assert date(2011, 12, 30) not in dates


def test_due_catches_up_after_downtime_on_the_same_day():
    # Alice's 19:00 in Los Angeles is 02:00 UTC; the job only comes back at 21:00 local.
    due = due_reminders(Preferences(), LOS_ANGELES, None, utc(2026, 5, 5, 4, 0))
    assert [(r.local_date, r.send_at) for r in due] == [(date(2026, 5, 4), utc(2026, 5, 5, 2, 0))]


def test_due_is_nothing_before_the_time():
    assert due_reminders(Preferences(), LOS_ANGELES, None, utc(2026, 5, 5, 1, 59)) == []


def test_due_is_nothing_during_quiet_hours():
    # 23:00 in Los Angeles, quiet since 22:00: today's missed reminder is not sent.
    assert due_reminders(Preferences(), LOS_ANGELES, None, utc(2026, 5, 5, 6, 0)) == []


def test_due_never_catches_up_on_earlier_days():
    # 09:00 the next morning: yesterday's 19:00 was missed, today's is not due yet.
    assert due_reminders(Preferences(), LOS_ANGELES, None, utc(2026, 5, 5, 16, 0)) == []


def test_due_is_nothing_once_sent_today():
    sent = utc(2026, 5, 5, 2, 1)
    assert due_reminders(Preferences(), LOS_ANGELES, sent, utc(2026, 5, 5, 3, 0)) == []
    # The next day it is due again.
    assert due_reminders(Preferences(), LOS_ANGELES, sent, utc(2026, 5, 6, 3, 0)) != []


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        occurrences(Preferences(), NEW_YORK, datetime(2026, 5, 1), utc(2026, 5, 2))
    with pytest.raises(ValueError, match="timezone-aware"):
        due_reminders(Preferences(), NEW_YORK, None, datetime(2026, 5, 1))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"quiet_start": time(22, 0), "quiet_end": None},
        {"weekdays": frozenset({7})},
        {"time_of_day": time(19, 0, tzinfo=UTC)},
    ],
)
def test_inconsistent_preferences_are_refused(kwargs):
    with pytest.raises(ValueError):  # noqa: PT011
        Preferences(**kwargs)


# --- Properties -------------------------------------------------------------------------------

# Zones with daylight saving, one that skipped a day, and some with odd offsets.
ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Europe/Dublin",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "Asia/Kathmandu",
    "Pacific/Apia",
    "Pacific/Chatham",
    "UTC",
]
zones = st.sampled_from(ZONES) | st.sampled_from(sorted(available_timezones()))
minutes = st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60))
quiet = st.one_of(st.tuples(st.none(), st.none()), st.tuples(minutes, minutes))
preferences = st.builds(
    lambda t, q, days: Preferences(
        time_of_day=t, quiet_start=q[0], quiet_end=q[1], weekdays=frozenset(days)
    ),
    minutes,
    quiet,
    st.sets(st.integers(0, 6), min_size=1),
)
starts = st.datetimes(
    min_value=datetime(2005, 1, 1), max_value=datetime(2036, 12, 1), timezones=st.just(UTC)
)


def wall(instant: datetime, tz: ZoneInfo) -> datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


@settings(max_examples=300, deadline=None)
@given(prefs=preferences, zone=zones, start=starts, days=st.integers(1, 40))
def test_property_one_send_per_local_day_never_in_quiet_hours(prefs, zone, start, days):
    tz = ZoneInfo(zone)
    found = reminders(prefs, tz, start, start + timedelta(days=days))
    dates = [r.local_date for r in found]
    assert len(dates) == len(set(dates))
    assert [r.send_at for r in found] == sorted(r.send_at for r in found)
    for r in found:
        assert r.send_at.tzinfo is UTC
        assert start <= r.send_at < start + timedelta(days=days)
        assert wall(r.send_at, tz).date() == r.local_date
        assert not prefs.in_quiet_hours(wall(r.send_at, tz).time())
    # A plain daily reminder at a time outside quiet hours is missed on no day but a skipped one.
    assert len(found) <= days + 1


@settings(max_examples=300, deadline=None)
@given(zone=zones, start=starts, t=minutes)
def test_property_every_send_is_at_the_chosen_local_time_or_the_first_instant_after(zone, start, t):
    tz = ZoneInfo(zone)
    prefs = Preferences(time_of_day=t, **NO_QUIET)
    for send in occurrences(prefs, tz, start, start + timedelta(days=10)):
        local_wall = wall(send, tz)
        if local_wall.time() == t:
            continue
        # The chosen time did not exist that day (or the day before, for a jump over midnight):
        # the send is the jump itself, a second earlier the clock showed an earlier time.
        before = wall(send - timedelta(seconds=1), tz)
        chosen = [datetime.combine(local_wall.date() - timedelta(days=k), t) for k in (0, 1)]
        assert any(before < c < local_wall for c in chosen)


@settings(max_examples=300, deadline=None)
@given(
    zone=zones,
    wall_time=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 1, 1)),
)
def test_property_to_utc_round_trips_or_lands_on_the_jump(zone, wall_time):
    tz = ZoneInfo(zone)
    wall_time = wall_time.replace(second=0, microsecond=0)
    instant = to_utc(wall_time, tz)
    back = wall(instant, tz)
    if back != wall_time:
        # A skipped time: the instant is the first one whose wall clock is past it.
        assert back > wall_time
        assert wall(instant - timedelta(seconds=1), tz) < wall_time


@settings(max_examples=200, deadline=None)
@given(
    prefs=preferences,
    zone=zones,
    start=starts,
    gaps=st.lists(st.integers(1, 6 * 60), min_size=1, max_size=200),
)
def test_property_a_job_waking_at_random_never_sends_twice_a_day(prefs, zone, start, gaps):
    tz = ZoneInfo(zone)
    now, last_sent, sent = start, None, []
    for gap in gaps:
        now += timedelta(minutes=gap)
        for r in due_reminders(prefs, tz, last_sent, now):
            assert r.send_at <= now
            assert r.local_date == wall(now, tz).date()
            assert not prefs.in_quiet_hours(wall(now, tz).time())
            sent.append(r.local_date)
            last_sent = now
    assert len(sent) == len(set(sent))


@settings(max_examples=200, deadline=None)
@given(prefs=preferences, zone=zones, start=starts, days=st.integers(1, 10))
def test_property_a_job_running_on_time_sends_every_reminder(prefs, zone, start, days):
    tz = ZoneInfo(zone)
    end = start + timedelta(days=days)
    planned = reminders(prefs, tz, start, end)
    last_sent, sent = None, []
    for r in planned:
        due = due_reminders(prefs, tz, last_sent, r.send_at)
        assert due == [r]
        sent.append(r.local_date)
        last_sent = r.send_at
        # A minute later nothing more is due.
        assert due_reminders(prefs, tz, last_sent, r.send_at + timedelta(minutes=1)) == []
    assert sent == [r.local_date for r in planned]


def test_sends_are_in_order_with_no_duplicates_over_a_year_in_every_dst_zone():
    for zone in ZONES:
        tz = ZoneInfo(zone)
        found = reminders(
            Preferences(time_of_day=time(2, 30), **NO_QUIET), tz, utc(2026, 1, 1), utc(2027, 1, 1)
        )
        assert len(found) in (364, 365)
        for a, b in pairwise(found):
            assert a.local_date < b.local_date
