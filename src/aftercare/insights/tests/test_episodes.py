"""Per infusion: day 1-3 mood and the peak; per block: how long the benefit lasted."""

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.insights.data import blocks
from aftercare.insights.definitions import DEFAULT_TRAJECTORY
from aftercare.insights.episodes import TooEarly, durability, infusion_responses
from aftercare.insights.tests.helpers import DAY0, curve, infusions, mood_series


def test_it_reads_day_one_to_three_and_the_peak_before_the_next_infusion():
    mood = mood_series([3, 3, 3, 3, 6, 8, None, 5, 9, 4], start=-3)
    rows = infusion_responses(mood, infusions([0, 4]), baseline=3.0)
    first = rows[0]
    assert (first.pre, first.day1, first.day2, first.day3) == (3.0, 6.0, 8.0, None)
    assert (first.peak, first.peak_day) == (8.0, 2)  # day 4 is the next infusion's day
    assert first.peak_gain == 5.0
    second = rows[1]
    assert (second.day1, second.day2, second.peak, second.peak_day) == (9.0, 4.0, 9.0, 1)
    assert second.number == 2


def test_without_baseline_or_check_ins_the_gains_are_unknown():
    rows = infusion_responses(mood_series([None] * 30), infusions([0]), baseline=None)
    assert rows[0].peak is None
    assert rows[0].gain(5.0) is None
    assert infusion_responses(mood_series([]), (), baseline=3.0) == []


def test_it_finds_the_day_half_the_gain_was_lost():
    mood = curve(60, lambda d: 3.0 if d <= 0 else max(8.0 - 0.25 * max(d - 14, 0), 3.0))
    block = blocks(infusions([0, 2, 4, 7, 9, 11]))[0]
    result = durability(mood, block, until=DAY0 + timedelta(days=46), baseline=3.0)
    assert result.responded
    assert result.event
    assert 12 <= result.days <= 15  # gain 5 -> 2.5 on day 24: 13 days after day 11


def test_benefit_that_held_is_censored_at_the_next_block():
    mood = curve(60, lambda d: 3.0 if d <= 0 else 8.0)
    block = blocks(infusions([0, 2, 4, 7, 9, 11]))[0]
    result = durability(mood, block, until=DAY0 + timedelta(days=40), baseline=3.0)
    assert not result.event
    assert result.days == 28


def test_a_block_without_a_clear_rise_has_no_duration():
    mood = curve(60, lambda d: 3.5)
    block = blocks(infusions([0]))[0]
    result = durability(mood, block, until=DAY0 + timedelta(days=40), baseline=3.0)
    assert not result.responded
    assert result.days is None
    assert durability(mood, block, until=DAY0 + timedelta(days=1), baseline=3.0).peak_gain is None
    empty = durability(mood_series([None] * 60), block, until=DAY0 + timedelta(days=30), baseline=3)
    assert empty.peak_gain is None


# A block that is too recent to judge is not a block without a rise: the page says "too early
# to tell" for it (as the trajectory's "too recent to judge"), "no clear rise" only once judged.


def latest(mood, days_since_end, block_days=(0, 2, 4, 7, 9, 11)):
    """The durability of the latest block, today being ``days_since_end`` after its end."""
    block = blocks(infusions(block_days))[0]
    today = block.end + timedelta(days=days_since_end)
    return durability(mood, block, until=today + timedelta(days=1), baseline=3.0, ongoing=True)


@pytest.mark.parametrize("days_since_end", [0, 1])
def test_a_block_that_ended_today_or_yesterday_is_too_early_not_without_a_rise(days_since_end):
    # Per-infusion gains of +2 to +4 and a rising 7-day mean: the days after it are too few.
    rising = curve(60, lambda d: 3.0 if d < 0 else 5.0 + (d % 3))
    result = latest(rising, days_since_end)
    assert result.too_early == TooEarly.RECENT
    assert not result.responded
    assert not result.no_clear_rise
    assert result.days is None
    booster = latest(rising, days_since_end, block_days=(30,))  # a single booster
    assert booster.too_early == TooEarly.RECENT


@settings(max_examples=60, deadline=None)
@given(
    days_since_end=st.integers(0, DEFAULT_TRAJECTORY.min_episode_days - 1),
    moods=st.lists(st.one_of(st.none(), st.integers(1, 10)), min_size=40, max_size=40),
)
def test_a_latest_block_is_never_no_clear_rise_before_its_first_week_is_over(days_since_end, moods):
    mood = mood_series([3] * 14 + moods, start=-14)  # baseline 3, then anything
    result = latest(mood, days_since_end)
    assert not result.no_clear_rise
    assert result.responded or result.too_early == TooEarly.RECENT
    assert result.responded == (result.too_early is None)


def test_a_recent_block_with_a_clear_rise_is_already_a_response():
    result = latest(curve(60, lambda d: 3.0 if d <= 0 else 8.0), days_since_end=4)
    assert result.responded
    assert result.too_early is None
    assert not result.event
    assert result.peak_gain == pytest.approx(5.0)


def test_a_block_with_a_real_rise_and_enough_days_is_judged():
    result = latest(curve(60, lambda d: 3.0 if d <= 0 else 8.0), days_since_end=10)
    assert (result.responded, result.too_early, result.no_clear_rise) == (True, None, False)
    assert result.days == 10


def test_a_block_with_enough_days_and_no_rise_is_no_clear_rise():
    flat = curve(60, lambda d: 3.5)
    result = latest(flat, days_since_end=DEFAULT_TRAJECTORY.min_episode_days)
    assert result.no_clear_rise
    assert result.too_early is None
    assert result.peak_gain == pytest.approx(0.5)
    # A week after a block, a small rise is no longer "too early": it was not a clear one.
    assert latest(flat, days_since_end=DEFAULT_TRAJECTORY.min_episode_days - 1).too_early


def test_without_check_ins_after_a_block_it_cannot_be_told():
    silent = mood_series([3.0] * 14 + [None] * 60)
    assert latest(silent, days_since_end=10).too_early == TooEarly.FEW_CHECK_INS
    assert latest(silent, days_since_end=3).too_early == TooEarly.RECENT
    block = blocks(infusions([0]))[0]
    past = durability(silent, block, until=DAY0 + timedelta(days=30), baseline=3.0)
    assert past.too_early == TooEarly.FEW_CHECK_INS
    assert not past.no_clear_rise
    cut = durability(silent, block, until=DAY0 + timedelta(days=1), baseline=3.0)
    assert cut.too_early == TooEarly.FEW_CHECK_INS
