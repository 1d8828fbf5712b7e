"""Kaplan–Meier against a hand-computed example and against scipy."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import CensoredData, ecdf

from aftercare.insights.survival import kaplan_meier


def test_it_matches_a_hand_computed_example():
    # Times (days) 3, 5+, 7, 7, 9+, 12: six at risk.
    # t=3: 1 of 6 -> 5/6; t=5: censored; t=7: 2 of 4 -> 5/6 * 2/4 = 5/12;
    # t=9: censored; t=12: 1 of 1 -> 0.
    km = kaplan_meier([3, 5, 7, 7, 9, 12], [True, False, True, True, False, True])
    assert km.times.tolist() == [3, 5, 7, 9, 12]
    assert km.at_risk.tolist() == [6, 5, 4, 2, 1]
    assert km.events.tolist() == [1, 0, 2, 0, 1]
    assert km.censored.tolist() == [0, 1, 0, 1, 0]
    np.testing.assert_allclose(km.survival, [5 / 6, 5 / 6, 5 / 12, 5 / 12, 0])
    assert km.median == 7
    assert km.survival_at(2) == 1.0
    assert km.survival_at(8) == pytest.approx(5 / 12)
    # Greenwood at t=3: var(log S) = 1/(6*5); the log-log band contains S.
    assert km.lower[0] < 5 / 6 < km.upper[0]
    assert np.isnan(km.lower[-1])  # S = 0: band undefined


def test_nothing_is_said_past_the_longest_follow_up():
    km = kaplan_meier([3, 5, 28], [False, True, False])
    assert km.known_at(28) == pytest.approx(0.5)
    assert km.known_at(56) is None  # nobody was followed that long
    assert kaplan_meier([], []).known_at(0) is None
    assert km.has_band
    assert not kaplan_meier([4, 9], [False, False]).has_band  # no loss yet: S stays 1


def test_censoring_at_an_event_time_counts_as_at_risk():
    km = kaplan_meier([4, 4, 4, 8], [True, False, False, True])
    assert km.survival_at(4) == pytest.approx(3 / 4)
    assert km.at_risk.tolist() == [4, 1]


def test_the_median_is_none_when_never_reached():
    km = kaplan_meier([10, 20, 30], [True, False, False])
    assert km.median is None


def test_nobody_gives_an_empty_curve():
    km = kaplan_meier([], [])
    assert km.n == 0
    assert km.median is None
    assert km.survival_at(10) == 1.0


@pytest.mark.parametrize(
    ("durations", "events"),
    [([1, 2], [True]), ([-1], [True]), ([np.inf], [True]), ([[1, 2]], [[True, True]])],
)
def test_bad_input_is_refused(durations, events):
    with pytest.raises(ValueError, match="durations"):
        kaplan_meier(durations, events)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 120), st.booleans()), min_size=1, max_size=60).filter(
        lambda rows: any(e for _, e in rows)
    )
)
def test_it_agrees_with_scipy(rows):
    t = np.array([r[0] for r in rows], float)
    e = np.array([r[1] for r in rows])
    km = kaplan_meier(t, e)
    data = CensoredData(uncensored=t[e], right=t[~e])
    reference = ecdf(data).sf
    np.testing.assert_allclose(km.survival, reference.evaluate(km.times), atol=1e-12)
    assert np.all(np.diff(km.survival) <= 1e-12)
    assert np.all((km.survival >= 0) & (km.survival <= 1))


@given(st.lists(st.integers(0, 50), min_size=1, max_size=40))
def test_without_censoring_it_is_the_share_not_yet_failed(times):
    km = kaplan_meier(times, [True] * len(times))
    t = np.array(times)
    for x in km.times:
        assert km.survival_at(x) == pytest.approx(np.mean(t > x))
