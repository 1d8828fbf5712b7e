"""Per infusion: day 1-3 mood and the peak; per block: how long the benefit lasted."""

from datetime import timedelta

from aftercare.insights.data import blocks
from aftercare.insights.episodes import durability, infusion_responses
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
