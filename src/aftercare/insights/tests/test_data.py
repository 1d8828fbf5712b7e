from datetime import date, timedelta

import numpy as np
import pytest

from aftercare.insights.data import DailySeries, blocks
from aftercare.insights.tests.helpers import infusions

D = date(2026, 1, 10)


def test_several_check_ins_a_day_count_once_as_their_mean():
    series = DailySeries.from_days([D, D, D + timedelta(days=2)], [3, 5, 8])
    assert series.start == D
    assert series.values.tolist()[:1] == [4.0]
    assert np.isnan(series.values[1])
    assert series.value_on(D + timedelta(days=2)) == 8
    assert series.end == D + timedelta(days=3)


def test_the_last_day_is_the_last_with_a_value():
    assert DailySeries.from_days([D + timedelta(days=4), D], [6, 2]).last_day == D + timedelta(
        days=4
    )
    assert DailySeries.from_days([], []).last_day is None
    trailing_gap = DailySeries(D, np.array([5.0, np.nan, np.nan]))
    assert trailing_gap.last_day == D
    assert DailySeries(D, np.array([np.nan])).last_day is None


def test_windows_outside_the_data_are_empty():
    series = DailySeries.from_days([D], [5])
    assert np.isnan(series.window(D - timedelta(days=5), D)).all()
    assert series.window(D, D).size == 0
    assert np.isnan(DailySeries.from_days([], []).value_on(D))


def test_days_as_ordinals_give_the_same_series_as_dates():
    days = [D + timedelta(days=k) for k in (3, 0, 0, 5)]
    values = [7.0, 3.0, 5.0, 2.0]
    by_date = DailySeries.from_days(days, values)
    by_ordinal = DailySeries.from_ordinals([d.toordinal() for d in days], values)
    assert by_ordinal.start == by_date.start == D
    assert np.array_equal(by_ordinal.values, by_date.values, equal_nan=True)
    assert len(DailySeries.from_ordinals([], [])) == 0
    with pytest.raises(ValueError, match="differ in length"):
        DailySeries.from_ordinals([1, 2], [1.0])


def test_days_and_values_must_pair_up():
    with pytest.raises(ValueError, match="differ in length"):
        DailySeries.from_days([D], [1, 2])


def test_infusions_a_week_apart_or_less_form_one_block():
    found = blocks(infusions([0, 2, 4, 7, 9, 11, 40, 70, 75]))
    assert [(b.first, b.last) for b in found] == [(0, 5), (6, 6), (7, 8)]
    assert found[0].size == 6
