from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.guidance.phases import (
    Boundaries,
    Infusion,
    Phase,
    current_phase,
    phase_spans,
)

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
SANTIAGO = ZoneInfo("America/Santiago")
HAVANA = ZoneInfo("America/Havana")
ORDER = list(Phase)


def infusion_ending(end: datetime, minutes: int = 45) -> Infusion:
    return Infusion(started_at=end - timedelta(minutes=minutes), ended_at=end)


def span_starts(infusion: Infusion, tz: ZoneInfo) -> dict[Phase, datetime]:
    return {span.phase: span.start for span in phase_spans(infusion, tz)}


def test_it_builds_the_whole_timeline_in_order():
    infusion = infusion_ending(datetime(2026, 5, 12, 11, 0, tzinfo=NEW_YORK))
    spans = phase_spans(infusion, NEW_YORK)
    assert [s.phase for s in spans] == ORDER[1:]
    for before, after in pairwise(spans):
        assert before.end == after.start
    assert spans[0].start == infusion.started_at
    assert spans[-1].end is None
    assert all(s.start.tzinfo is UTC for s in spans)
    starts = span_starts(infusion, NEW_YORK)
    assert starts[Phase.GETTING_HOME] == datetime(2026, 5, 12, 13, 0, tzinfo=NEW_YORK)
    assert starts[Phase.TREATMENT_DAY] == datetime(2026, 5, 12, 15, 0, tzinfo=NEW_YORK)
    assert starts[Phase.FIRST_WEEK] == datetime(2026, 5, 16, tzinfo=NEW_YORK)
    assert starts[Phase.WEEKS_2_4] == datetime(2026, 5, 20, tzinfo=NEW_YORK)
    assert starts[Phase.MAINTENANCE] == datetime(2026, 6, 10, tzinfo=NEW_YORK)
    assert starts[Phase.LONG_TERM] == datetime(2026, 8, 11, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("tz", "end", "day_2_hours"),
    [
        (NEW_YORK, datetime(2026, 3, 7, 14, 0), 23),  # spring forward on 8 March
        (NEW_YORK, datetime(2026, 10, 31, 14, 0), 25),  # fall back on 1 November
        (BERLIN, datetime(2026, 3, 28, 14, 0), 23),  # spring forward on 29 March
        (BERLIN, datetime(2026, 10, 24, 14, 0), 25),  # fall back on 25 October
        (HAVANA, datetime(2025, 11, 1, 14, 0), 25),  # 2 November: midnight happens twice
    ],
)
def test_day_boundaries_are_local_midnights_across_dst(tz, end, day_2_hours):
    starts = span_starts(infusion_ending(end.replace(tzinfo=tz)), tz)
    day_1, day_2 = starts[Phase.DAY_1], starts[Phase.DAY_2]
    assert day_1.astimezone(tz).replace(tzinfo=None) == datetime.combine(
        end.date() + timedelta(days=1), time()
    )
    assert day_2.astimezone(tz).replace(tzinfo=None) == datetime.combine(
        end.date() + timedelta(days=2), time()
    )
    assert day_2 - day_1 == timedelta(hours=day_2_hours)


def test_a_day_whose_midnight_does_not_exist_starts_at_its_first_instant():
    # Chile moves clocks from 00:00 to 01:00 on 6 September 2026.
    starts = span_starts(infusion_ending(datetime(2026, 9, 5, 14, 0, tzinfo=SANTIAGO)), SANTIAGO)
    assert starts[Phase.DAY_1] == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)
    assert starts[Phase.DAY_1].astimezone(SANTIAGO).hour == 1
    assert (starts[Phase.DAY_1] - timedelta(seconds=1)).astimezone(SANTIAGO).day == 5


def test_hour_boundaries_are_elapsed_time():
    end = datetime(2026, 3, 8, 1, 30, tzinfo=NEW_YORK)  # clocks skip 02:00-03:00 that night
    starts = span_starts(infusion_ending(end), NEW_YORK)
    assert starts[Phase.GETTING_HOME] - end == timedelta(hours=2)
    assert starts[Phase.GETTING_HOME].astimezone(NEW_YORK).hour == 4
    assert starts[Phase.TREATMENT_DAY].astimezone(NEW_YORK).hour == 6


def test_a_late_evening_infusion_has_no_treatment_day_left():
    end = datetime(2026, 5, 12, 23, 15, tzinfo=NEW_YORK)
    starts = span_starts(infusion_ending(end), NEW_YORK)
    assert Phase.TREATMENT_DAY not in starts
    assert starts[Phase.DAY_1] == end + timedelta(hours=4)
    assert starts[Phase.DAY_2] == datetime(2026, 5, 14, tzinfo=NEW_YORK)

    on_the_way_home = current_phase([infusion_ending(end)], end + timedelta(hours=3), NEW_YORK)
    assert on_the_way_home.phase is Phase.GETTING_HOME
    assert on_the_way_home.day_index == 1  # already the next calendar day
    assert not on_the_way_home.in_emergence_window
    assert not on_the_way_home.in_neuroplasticity_window
    assert on_the_way_home.next_phase is Phase.DAY_1

    next_night = current_phase([infusion_ending(end)], end + timedelta(hours=5), NEW_YORK)
    assert next_night.phase is Phase.DAY_1
    assert next_night.day_index == 1
    assert next_night.in_emergence_window


def test_it_reports_the_position_in_the_series():
    ends = [datetime(2026, 5, d, 11, 0, tzinfo=NEW_YORK) for d in (4, 6, 8, 11, 13, 15)]
    infusions = [infusion_ending(e) for e in reversed(ends)]  # order must not matter
    state = current_phase(infusions, ends[2] + timedelta(hours=1), NEW_YORK, series_total=6)
    assert (state.phase, state.infusion_number, state.series_total) == (Phase.IMMEDIATE, 3, 6)
    assert state.hours_since_end == pytest.approx(1.0)
    assert state.day_index == 0
    assert state.next_transition_at == ends[2] + timedelta(hours=2)


def test_a_booked_infusion_cuts_the_current_phase_short():
    first_end = datetime(2026, 5, 4, 11, 0, tzinfo=NEW_YORK)
    second = infusion_ending(datetime(2026, 5, 5, 11, 0, tzinfo=NEW_YORK))
    now = datetime(2026, 5, 5, 8, 0, tzinfo=NEW_YORK)
    state = current_phase([second, infusion_ending(first_end)], now, NEW_YORK)
    assert (state.phase, state.infusion_number) == (Phase.DAY_1, 1)
    assert state.next_phase is Phase.IN_SESSION
    assert state.next_transition_at == second.started_at

    later = infusion_ending(datetime(2026, 5, 30, 11, 0, tzinfo=NEW_YORK))
    state = current_phase([later, infusion_ending(first_end)], now, NEW_YORK)
    assert state.next_phase is Phase.DAY_2
    assert state.next_transition_at == datetime(2026, 5, 6, tzinfo=NEW_YORK)


def test_it_is_not_started_before_the_first_infusion():
    empty = current_phase([], datetime(2026, 5, 4, tzinfo=UTC), NEW_YORK, series_total=6)
    assert empty.phase is Phase.NOT_STARTED
    assert (empty.infusion_number, empty.day_index, empty.next_transition_at) == (None,) * 3
    assert empty.series_total == 6

    booked = infusion_ending(datetime(2026, 5, 4, 11, 0, tzinfo=NEW_YORK))
    state = current_phase([booked], booked.started_at - timedelta(seconds=1), NEW_YORK)
    assert state.phase is Phase.NOT_STARTED
    assert (state.next_phase, state.next_transition_at) == (Phase.IN_SESSION, booked.started_at)


def test_it_tracks_the_session_and_the_windows():
    infusion = infusion_ending(datetime(2026, 5, 4, 11, 0, tzinfo=NEW_YORK))
    in_session = current_phase([infusion], infusion.started_at, NEW_YORK)
    assert in_session.phase is Phase.IN_SESSION
    assert (in_session.hours_since_end, in_session.day_index) == (None, 0)
    assert in_session.next_transition_at == infusion.ended_at

    def on_day(day: int) -> datetime:
        return datetime.combine(date(2026, 5, 4) + timedelta(days=day), time(12), NEW_YORK)

    assert not current_phase([infusion], on_day(0), NEW_YORK).in_neuroplasticity_window
    assert current_phase([infusion], on_day(14), NEW_YORK).in_neuroplasticity_window
    assert not current_phase([infusion], on_day(15), NEW_YORK).in_neuroplasticity_window
    assert current_phase([infusion], on_day(3), NEW_YORK).in_emergence_window
    assert not current_phase([infusion], on_day(4), NEW_YORK).in_emergence_window

    long_term = current_phase([infusion], on_day(400), NEW_YORK)
    assert long_term.phase is Phase.LONG_TERM
    assert (long_term.next_phase, long_term.next_transition_at) == (None, None)


def test_it_rejects_naive_datetimes_and_bad_input():
    naive = datetime(2026, 5, 4, 11, 0)
    with pytest.raises(ValueError, match="naive"):
        Infusion(started_at=naive, ended_at=naive.replace(tzinfo=UTC))
    with pytest.raises(ValueError, match="naive"):
        Infusion(started_at=naive.replace(tzinfo=UTC), ended_at=naive)
    with pytest.raises(ValueError, match="naive"):
        current_phase([], naive, NEW_YORK)
    with pytest.raises(ValueError, match="end before"):
        Infusion(started_at=naive.replace(tzinfo=UTC), ended_at=datetime(2026, 5, 4, tzinfo=UTC))
    with pytest.raises(ValueError, match="immediate_hours"):
        Boundaries(immediate_hours=5)
    with pytest.raises(ValueError, match="last days"):
        Boundaries(weeks_2_4_last_day=100)


# Property tests over random zones, infusion times and instants.

ZONES = st.sampled_from(sorted(available_timezones())).map(ZoneInfo)
ENDS = st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC))
SESSION = st.integers(min_value=0, max_value=180).map(lambda m: timedelta(minutes=m))
OFFSET = st.timedeltas(timedelta(0), timedelta(days=120))
DAYS = {
    Phase.TREATMENT_DAY: range(0, 1),
    Phase.DAY_1: range(1, 2),
    Phase.DAY_2: range(2, 3),
    Phase.DAY_3: range(3, 4),
    Phase.FIRST_WEEK: range(4, 8),
    Phase.WEEKS_2_4: range(8, 29),
    Phase.MAINTENANCE: range(29, 91),
}


def starts_a_local_day(instant: datetime, tz: ZoneInfo) -> bool:
    return instant.astimezone(tz).date() > (instant - timedelta(seconds=1)).astimezone(tz).date()


@settings(deadline=None)
@given(tz=ZONES, end=ENDS, session=SESSION, offset=OFFSET)
def test_every_instant_is_in_exactly_one_phase(tz, end, session, offset):
    infusion = Infusion(started_at=end - session, ended_at=end)
    spans = phase_spans(infusion, tz)
    assert spans[0].start == infusion.started_at
    assert [ORDER.index(s.phase) for s in spans] == sorted({ORDER.index(s.phase) for s in spans})
    for before, after in pairwise(spans):
        assert before.start < after.start == before.end
    assert spans[-1].phase is Phase.LONG_TERM
    assert spans[-1].end is None
    starts = {s.phase: s.start for s in spans}
    assert starts[Phase.IMMEDIATE] == end
    assert starts[Phase.GETTING_HOME] == end + timedelta(hours=2)
    assert starts[Phase.DAY_1] >= end + timedelta(hours=4)
    for phase in (Phase.DAY_2, Phase.DAY_3, Phase.FIRST_WEEK, Phase.WEEKS_2_4, Phase.LONG_TERM):
        assert starts_a_local_day(starts[phase], tz)

    now = infusion.started_at + offset
    containing = [s for s in spans if s.contains(now)]
    assert len(containing) == 1
    state = current_phase([infusion], now, tz)
    assert state.phase is containing[0].phase
    assert state.started_at == containing[0].start
    assert state.next_transition_at == containing[0].end
    assert state.infusion_number == 1
    if state.phase in DAYS:
        assert state.day_index in DAYS[state.phase]
    assert state.in_emergence_window == (state.phase in (Phase.DAY_1, Phase.DAY_2, Phase.DAY_3))


@settings(deadline=None)
@given(
    tz=ZONES,
    ends=st.lists(ENDS, min_size=1, max_size=6, unique=True),
    offset=st.timedeltas(timedelta(days=-3), timedelta(days=60)),
)
def test_the_phase_follows_the_latest_started_infusion(tz, ends, offset):
    infusions = [infusion_ending(e) for e in ends]
    now = min(ends) + offset
    state = current_phase(infusions, now, tz, series_total=len(ends))
    started = sorted(i.started_at for i in infusions if i.started_at <= now)
    upcoming = [i.started_at for i in infusions if i.started_at > now]
    assert state.infusion_number == (len(started) or None)
    assert state.series_total == len(ends)
    assert (state.phase is Phase.NOT_STARTED) == (not started)
    if state.next_transition_at is not None:
        assert state.next_transition_at > now
    if upcoming:
        assert state.next_transition_at is not None
        assert state.next_transition_at <= min(upcoming)
        if state.next_transition_at == min(upcoming):
            assert state.next_phase is Phase.IN_SESSION
    if started:
        latest = next(i for i in infusions if i.started_at == started[-1])
        assert state.phase is current_phase([latest], now, tz).phase


def test_an_infusion_under_way_is_in_session_until_its_end_is_recorded():
    from aftercare.guidance.phases import TYPICAL_INFUSION, under_way

    started = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    tz = ZoneInfo("America/New_York")
    for minutes in (0, 20, 39, 41, 95):  # a long session stays in session too
        now = started + timedelta(minutes=minutes)
        infusion = under_way(started, now)
        assert infusion.ended_at >= started + TYPICAL_INFUSION
        assert current_phase([infusion], now, tz).phase is Phase.IN_SESSION
