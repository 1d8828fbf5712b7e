"""The proposed booster window: priors, the patient's own history, the current trend."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.insights.booster import Basis, Observation, Trend, forecast
from aftercare.insights.definitions import BoosterPriors

LAST = date(2026, 5, 1)


def days(d: date) -> int:
    return (d - LAST).days


def test_with_no_history_it_falls_back_to_the_published_median():
    fc = forecast(last_infusion=LAST, today=LAST)
    assert fc.basis == Basis.PRIORS
    assert days(fc.median) == 17  # CLINICAL.md §3: ~16-18 days after a series
    assert fc.range_start <= fc.window_start <= fc.median <= fc.window_end <= fc.range_end
    assert not fc.due_now


def test_the_patients_own_history_moves_the_forecast():
    long = [Observation(40, True), Observation(44, True), Observation(38, True)]
    fc = forecast(last_infusion=LAST, today=LAST, history=long)
    assert fc.basis == Basis.HISTORY
    assert fc.events == 3
    assert 33 <= days(fc.median) <= 42
    narrow = fc.window_end - fc.window_start
    prior = forecast(last_infusion=LAST, today=LAST)
    assert narrow < prior.window_end - prior.window_start  # own history: less uncertain


def test_benefit_that_outlasted_observation_pushes_the_forecast_later():
    event = forecast(last_infusion=LAST, today=LAST, history=[Observation(20, True)])
    censored = forecast(last_infusion=LAST, today=LAST, history=[Observation(20, False)])
    assert censored.median > event.median
    assert censored.censored == 1


def test_a_falling_trend_is_projected_to_half_the_gain():
    # Peak 4 points on day 5, falling 0.1 a day: half (2 points) lost by day 25.
    trend = Trend(peak_day=5, peak_gain=4, intercept=4, slope=-0.1, slope_se=0.005)
    fc = forecast(last_infusion=LAST, today=LAST + timedelta(days=15), trend=trend)
    assert fc.basis == Basis.TREND
    assert fc.trend_days == pytest.approx(25)
    assert 22 <= days(fc.median) <= 26


def test_a_rising_trend_is_ignored():
    trend = Trend(peak_day=5, peak_gain=4, intercept=4, slope=0.1, slope_se=0.01)
    fc = forecast(last_infusion=LAST, today=LAST + timedelta(days=10), trend=trend)
    assert fc.basis == Basis.PRIORS
    assert fc.trend_days is None


def test_half_the_gain_lost_means_due_now():
    today = LAST + timedelta(days=30)
    fc = forecast(last_infusion=LAST, today=today, half_lost=True)
    assert fc.due_now
    assert fc.window_start == today
    assert days(fc.window_end) == 37


def test_the_window_never_starts_in_the_past():
    today = LAST + timedelta(days=40)
    fc = forecast(last_infusion=LAST, today=today, history=[Observation(10, True)] * 3)
    assert fc.window_start >= today
    assert fc.range_start >= today


def test_today_before_the_last_infusion_is_refused():
    with pytest.raises(ValueError, match="before the last infusion"):
        forecast(last_infusion=LAST, today=LAST - timedelta(days=1))


@settings(max_examples=80, deadline=None)
@given(
    st.integers(0, 120),
    st.lists(st.tuples(st.floats(1, 200), st.booleans()), max_size=6),
    st.floats(5, 60),
)
def test_the_window_is_ordered_and_ahead(elapsed, history, median):
    today = LAST + timedelta(days=elapsed)
    fc = forecast(
        last_infusion=LAST,
        today=today,
        history=[Observation(d, e) for d, e in history],
        priors=BoosterPriors(median_days=median),
    )
    assert today <= fc.range_start <= fc.window_start <= fc.median <= fc.window_end <= fc.range_end
    assert days(fc.range_end) <= 366
