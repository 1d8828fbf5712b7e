"""When questionnaires fall due (tracking/schedule.py): examples, then properties."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.tracking.schedule import (
    DEFAULT_RULES,
    EARLY_TOLERANCE,
    InfusionTime,
    Reason,
    ScheduleRule,
    Taken,
    due_scales,
    due_unchanged_until,
    start_of_local_day,
)

LA = ZoneInfo("America/Los_Angeles")
PHQ9 = ScheduleRule(instrument="phq9")
# 10:00 in Los Angeles on Monday 2 March 2026 (UTC-8).
FIRST = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def done(at):
    return InfusionTime(at=at, completed=True)


def booked(at):
    return InfusionTime(at=at, completed=False)


def due(now, infusions=(), responses=(), rules=(PHQ9,)):
    return due_scales(rules, infusions, responses, now, LA)


def test_baseline_is_due_before_any_infusion():
    (found,) = due(FIRST - timedelta(days=5), [booked(FIRST)])
    assert (found.instrument, found.reason, found.since) == ("phq9", Reason.BASELINE, None)
    assert found.infusion_at == FIRST


def test_a_baseline_answered_within_the_two_week_recall_window_counts():
    now = FIRST - timedelta(days=5)
    assert due(now, [], [Taken("phq9", now - timedelta(days=13))]) == []
    assert due(now, [], [Taken("phq9", now - timedelta(days=15))])[0].reason == Reason.BASELINE


def test_it_is_due_from_the_start_of_the_local_day_before_a_booked_infusion():
    day_before = start_of_local_day(datetime(2026, 3, 1).date(), LA)
    answered_10_days_ago = [Taken("phq9", FIRST - timedelta(days=10))]
    assert due(day_before - timedelta(minutes=1), [booked(FIRST)], answered_10_days_ago) == []
    (found,) = due(day_before, [booked(FIRST)], answered_10_days_ago)
    assert (found.reason, found.since, found.infusion_at) == (
        Reason.BEFORE_INFUSION,
        day_before,
        FIRST,
    )


def test_weekly_in_the_first_month_then_every_two_weeks():
    infusions = [done(FIRST)]
    day = lambda n: start_of_local_day(FIRST.astimezone(LA).date() + timedelta(n), LA)  # noqa: E731
    answered_right_after = [Taken("phq9", FIRST + timedelta(hours=3))]
    assert due(day(7) - timedelta(seconds=1), infusions, answered_right_after) == []
    for n, reason in [(7, Reason.WEEKLY), (14, Reason.WEEKLY), (28, Reason.WEEKLY),
                      (42, Reason.MAINTENANCE), (56, Reason.MAINTENANCE)]:  # fmt: skip
        (found,) = due(day(n) + timedelta(hours=9), infusions, answered_right_after)
        assert (found.reason, found.since) == (reason, day(n)), n
    # Between day 28 and day 42 the day-28 occasion stays the one due.
    (found,) = due(day(35), infusions, answered_right_after)
    assert found.since == day(28)


def test_an_answer_the_day_before_settles_the_weekly_occasion():
    day7 = start_of_local_day(FIRST.astimezone(LA).date() + timedelta(7), LA)
    answered = [Taken("phq9", day7 - timedelta(hours=20))]
    assert due(day7 + timedelta(hours=1), [done(FIRST)], answered) == []


def test_n_days_after_each_infusion():
    rule = ScheduleRule(instrument="phq9", days_after_each_infusion=2, weekly_first_month=False)
    day2 = start_of_local_day(FIRST.astimezone(LA).date() + timedelta(2), LA)
    (found,) = due(day2, [done(FIRST)], rules=[rule])
    assert (found.reason, found.since, found.infusion_at) == (Reason.AFTER_INFUSION, day2, FIRST)


def test_the_clock_restarts_with_each_infusion():
    second = FIRST + timedelta(days=9)
    # Answered on day 8 after the first infusion: that cannot count for the second one.
    answered = [Taken("phq9", FIRST + timedelta(days=8))]
    day7_after_second = start_of_local_day(second.astimezone(LA).date() + timedelta(7), LA)
    (found,) = due(day7_after_second, [done(FIRST), done(second)], answered)
    assert (found.reason, found.infusion_at) == (Reason.WEEKLY, second)
    # And nothing is due on day 14 of the first infusion, which is only day 5 of the second.
    assert due(second + timedelta(days=5), [done(FIRST), done(second)], answered) == []


def test_an_answer_before_an_infusion_does_not_settle_the_next_before_occasion():
    # Mon/Wed series: answered on Monday morning before Monday's infusion.
    wednesday = FIRST + timedelta(days=2)
    answered = [Taken("phq9", FIRST - timedelta(hours=2))]
    (found,) = due(FIRST + timedelta(days=1, hours=8), [done(FIRST), booked(wednesday)], answered)
    assert (found.reason, found.infusion_at) == (Reason.BEFORE_INFUSION, wednesday)


def test_an_inactive_rule_set_asks_for_nothing():
    assert due(FIRST, [], [], rules=[]) == []


def test_each_instrument_is_followed_on_its_own():
    now = FIRST - timedelta(days=1)
    found = due(now, [], [Taken("phq9", now)], rules=DEFAULT_RULES)
    assert [d.instrument for d in found] == ["gad7"]


def test_local_days_follow_daylight_saving():
    # US clocks spring forward on 8 March 2026; day 7 after 2 March starts at local midnight.
    day7 = start_of_local_day(datetime(2026, 3, 9).date(), LA)
    assert day7.astimezone(LA).hour == 0
    assert day7 == datetime(2026, 3, 9, 7, 0, tzinfo=UTC)  # UTC-7 after the change


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        due_scales([PHQ9], [], [], datetime(2026, 3, 1), LA)


@pytest.mark.parametrize("kwargs", [{"days_after_each_infusion": 0}, {"maintenance_every_days": 3}])
def test_rules_out_of_range_are_refused(kwargs):
    with pytest.raises(ValueError, match="must be"):
        ScheduleRule(instrument="phq9", **kwargs)


# Properties

START = datetime(2026, 1, 1, tzinfo=UTC)
instants = st.integers(min_value=0, max_value=200 * 24).map(lambda h: START + timedelta(hours=h))
rules = st.builds(
    ScheduleRule,
    instrument=st.sampled_from(["phq9", "gad7"]),
    baseline=st.booleans(),
    before_each_infusion=st.booleans(),
    days_after_each_infusion=st.one_of(st.none(), st.integers(1, 90)),
    weekly_first_month=st.booleans(),
    maintenance_every_days=st.one_of(st.none(), st.integers(7, 90)),
)
zones = st.sampled_from([ZoneInfo("UTC"), LA, ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Kolkata")])
infusion_lists = st.lists(st.builds(InfusionTime, at=instants, completed=st.booleans()), max_size=8)
response_lists = st.lists(
    st.builds(Taken, instrument=st.sampled_from(["phq9", "gad7"]), at=instants), max_size=8
)


@settings(max_examples=300)
@given(st.lists(rules, max_size=3), infusion_lists, response_lists, instants, zones)
def test_at_most_one_due_per_instrument_and_never_one_already_answered(
    rule_list, infusions, responses, now, tz
):
    found = due_scales(rule_list, infusions, responses, now, tz)
    assert len({d.instrument for d in found}) == len(found)
    latest = max((i.at for i in infusions if i.completed and i.at <= now), default=None)
    for d in found:
        assert d.since is None or d.since <= now
        floor = (d.since - EARLY_TOLERANCE) if d.since else now - timedelta(days=14)
        if latest is not None:
            floor = max(floor, latest)
        assert not any(r.instrument == d.instrument and floor <= r.at <= now for r in responses)


@settings(max_examples=300)
@given(st.lists(rules, max_size=3), infusion_lists, response_lists, instants, zones)
def test_answering_now_settles_everything(rule_list, infusions, responses, now, tz):
    answered = [*responses, Taken("phq9", now), Taken("gad7", now)]
    assert due_scales(rule_list, infusions, answered, now, tz) == []


@settings(max_examples=300)
@given(st.lists(rules, max_size=3), infusion_lists, response_lists, response_lists, instants, zones)
def test_more_answers_never_make_more_due(rule_list, infusions, responses, more, now, tz):
    fewer = {d.instrument for d in due_scales(rule_list, infusions, responses, now, tz)}
    after = {d.instrument for d in due_scales(rule_list, infusions, responses + more, now, tz)}
    assert after <= fewer


@settings(max_examples=300)
@given(rules, infusion_lists, response_lists, instants, zones)
def test_only_the_latest_completed_infusion_matters(rule, infusions, responses, now, tz):
    """The clock restarts with each infusion: earlier completed ones change nothing."""
    past = [i for i in infusions if i.completed and i.at <= now]
    if not past:
        return
    latest = max(past, key=lambda i: i.at)
    others = [i for i in infusions if not (i.completed and i.at <= now)]
    assert due_scales([rule], infusions, responses, now, tz) == due_scales(
        [rule], [*others, latest], responses, now, tz
    )


@settings(max_examples=300)
@given(
    st.lists(rules, max_size=3),
    infusion_lists,
    response_lists,
    instants,
    zones,
    st.floats(min_value=0, max_value=1),
)
def test_the_answer_holds_until_the_instant_given(
    rule_list, infusions, responses, now, tz, fraction
):
    until = due_unchanged_until(rule_list, infusions, responses, now, tz)
    assert until > now
    later = now + (until - now) * fraction
    if later >= until:
        later = until - timedelta(microseconds=1)
    assert due_scales(rule_list, infusions, responses, later, tz) == due_scales(
        rule_list, infusions, responses, now, tz
    )


def test_the_answer_may_change_at_the_instant_given():
    # Before an infusion is booked for tomorrow: nothing due today, due from midnight.
    now = FIRST - timedelta(days=1, hours=12)
    answered = [Taken("phq9", FIRST - timedelta(days=10))]
    until = due_unchanged_until([PHQ9], [booked(FIRST)], answered, now, LA)
    assert until == start_of_local_day((FIRST - timedelta(days=1)).astimezone(LA).date(), LA)
    assert due(now, [booked(FIRST)], answered) == []
    assert due(until, [booked(FIRST)], answered)[0].reason == Reason.BEFORE_INFUSION
