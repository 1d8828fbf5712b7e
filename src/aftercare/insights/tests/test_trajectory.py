"""The trajectory classes on hand-made series, the edge cases, and properties of the classifier."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from aftercare.insights.patient import trajectories
from aftercare.insights.tests.helpers import SERIES, curve, mood_series, patient, step_up
from aftercare.insights.trajectory import CLASSES, Missing, Trajectory, baseline_mood, classify

RNG = np.random.default_rng(3)


def judge(data):
    return trajectories([data])[0]


def noisy(fn, sd=0.5, seed=1):
    rng = np.random.default_rng(seed)
    return lambda d: float(np.clip(round(fn(d) + rng.normal(0, sd)), 1, 10))


def test_a_held_rise_is_sustained_improvement():
    result = judge(patient(curve(75, noisy(step_up(3, 4))), today=60))
    assert result.trajectory == Trajectory.SUSTAINED
    assert result.baseline == pytest.approx(3, abs=0.4)
    assert result.retained > 0.8


def test_a_shrinking_rise_is_a_gradual_fade_before_baseline():
    fade = step_up(3, 4.5, fade_from=20, per_day=0.08)
    result = judge(patient(curve(75, noisy(fade)), today=60))
    assert result.trajectory == Trajectory.FADE
    assert result.slope < 0
    assert 0 < result.recent_gain < result.peak_gain * 0.7  # still above baseline


def test_a_patient_back_at_baseline_has_faded():
    fade = step_up(3, 4, fade_from=16, per_day=0.2)
    result = judge(patient(curve(75, noisy(fade)), today=60))
    assert result.trajectory == Trajectory.FADE
    assert result.recent_gain < 0.5


def test_dips_and_recoveries_without_infusions_are_a_variable_response():
    def fn(d):
        if d <= 0:
            return 3.0
        return 3.0 if 25 <= d < 33 or 45 <= d < 53 else 7.5

    result = judge(patient(curve(75, noisy(fn, 0.3)), today=60))
    assert result.trajectory == Trajectory.VARIABLE
    assert result.rebound >= 2


def test_no_rise_is_no_clear_response():
    result = judge(patient(curve(75, noisy(step_up(4, 0.5))), today=60))
    assert result.trajectory == Trajectory.NO_RESPONSE


def test_a_patient_who_worsens_shows_no_clear_response():
    result = judge(patient(curve(75, step_up(5, -2)), today=60))
    assert result.trajectory == Trajectory.NO_RESPONSE
    assert result.peak_gain < 0


def test_constant_mood_is_no_clear_response_and_does_not_crash():
    result = judge(patient(curve(75, lambda d: 5.0), today=60))
    assert result.trajectory == Trajectory.NO_RESPONSE
    assert result.slope == pytest.approx(0)
    assert result.peak_gain == 0


def test_extreme_values_stay_on_the_scale():
    result = judge(patient(curve(75, lambda d: 1.0 if d <= 0 else 10.0), today=60))
    assert result.trajectory == Trajectory.SUSTAINED
    assert result.peak == 10
    assert result.peak_gain == 9


def test_without_baseline_it_says_not_enough_data():
    result = judge(patient(curve(75, lambda d: None if d < 0 else 7.0), today=60))
    assert (result.trajectory, result.missing) == (Trajectory.NOT_ENOUGH_DATA, Missing.NO_BASELINE)
    assert result.baseline is None


def test_a_thin_baseline_week_falls_back_to_two_weeks():
    fn = step_up(3, 4)
    sparse = curve(75, lambda d: fn(d) if d >= 0 or d in (-13, -12, -10, -3) else None)
    result = judge(patient(sparse, today=60))
    assert result.baseline_days == 4
    assert result.trajectory == Trajectory.SUSTAINED


def test_one_data_point_is_not_enough():
    result = judge(patient(mood_series([4.0], start=-3), today=60))
    assert result.trajectory == Trajectory.NOT_ENOUGH_DATA


def test_all_missing_is_not_enough():
    result = judge(patient(mood_series([None] * 80), today=60))
    assert result.trajectory == Trajectory.NOT_ENOUGH_DATA


def test_no_infusion_is_not_enough():
    result = judge(patient(curve(30, lambda d: 5.0), today=10, infusion_days=()))
    assert result.missing == Missing.NO_INFUSION
    assert result.follow_up_days is None


def test_too_early_after_the_first_infusion():
    result = judge(patient(curve(30, step_up(3, 4)), today=9, infusion_days=(0, 2, 4, 7, 9)))
    assert result.missing == Missing.SHORT_FOLLOW_UP


def test_a_series_still_under_way_is_not_judged():
    result = judge(patient(curve(40, step_up(3, 4)), today=16, infusion_days=(0, 3, 7, 10, 14)))
    assert result.missing == Missing.SERIES_IN_PROGRESS


def test_no_check_in_lately_is_not_current():
    fn = step_up(3, 4)
    result = judge(patient(curve(75, lambda d: fn(d) if d < 35 else None), today=60))
    assert result.missing == Missing.STALE
    assert result.last_check_in is not None


def test_too_few_check_ins_after_the_infusion():
    fn = step_up(3, 4)
    result = judge(
        patient(curve(75, lambda d: fn(d) if d < 1 or d in (12, 20) else None), today=25)
    )
    assert result.missing in (Missing.FEW_CHECK_INS, Missing.STALE)


def test_a_booster_before_the_fade_restarts_the_judged_episode():
    """Benefit fading, then a booster restores it: judged from the booster, sustained."""

    def fn(d):
        if d <= 0:
            return 3.0
        if d <= 40:
            return max(7.5 - 0.1 * max(d - 14, 0), 3.0)
        return 7.5

    result = judge(patient(curve(85, noisy(fn, 0.3)), today=70, infusion_days=(*SERIES, 41)))
    assert result.episode.block.start.day == 11  # the booster on day 41 = 11 April
    assert result.trajectory == Trajectory.SUSTAINED


def test_a_booster_given_days_ago_is_too_recent_and_the_time_before_it_is_judged():
    fade = step_up(3, 4.5, fade_from=16, per_day=0.1)
    result = judge(patient(curve(70, noisy(fade)), today=55, infusion_days=(*SERIES, 52)))
    assert result.episode.newer_block_days == 3
    assert result.trajectory == Trajectory.FADE


def test_the_baseline_is_the_mean_of_the_week_before():
    mood = np.full((1, 20), np.nan)
    mood[0, 3:10] = [2, 3, 4, 3, 4, 3, 2]
    assert baseline_mood(mood, [10])[0] == pytest.approx(3)
    mood[0, 3:10] = np.nan
    mood[0, 8:10] = [5, 5]
    assert np.isnan(baseline_mood(mood, [10])[0])


def test_batch_results_name_their_classes():
    mood = np.full((2, 40), 5.0)
    mood[1] = np.nan
    out = classify(mood, [5.0, 5.0], 10, 40, 10)
    assert out.classes() == [Trajectory.NO_RESPONSE, Trajectory.NOT_ENOUGH_DATA]


def test_classify_refuses_bad_shapes():
    with pytest.raises(ValueError, match="2-D"):
        classify(np.zeros(5), 3.0, 0, 5, 0)
    with pytest.raises(ValueError, match="end"):
        classify(np.zeros((1, 5)), 3.0, 0, 9, 0)


moods = arrays(
    np.float64,
    st.tuples(st.integers(1, 6), st.integers(30, 90)),
    elements=st.one_of(st.just(np.nan), st.integers(1, 10).map(float)),
)


@settings(max_examples=60, deadline=None)
@given(moods, st.integers(0, 20), st.floats(1, 9))
def test_it_never_fails_and_always_gives_a_class(mood, start, base):
    n, t = mood.shape
    start = min(start, t - 1)
    out = classify(mood, np.full(n, base), start, t, start)
    assert out.code.shape == (n,)
    assert set(out.code.tolist()) <= set(range(len(CLASSES)))
    enough = out.code != 0
    assert np.all(out.missing[enough] == 0)
    assert np.all(out.missing[~enough] > 0)


@settings(max_examples=40, deadline=None)
@given(moods, st.integers(-3, 3))
def test_shifting_every_mood_and_the_baseline_together_changes_nothing(mood, shift):
    n, t = mood.shape
    a = classify(mood, np.full(n, 4.37), 10, t, 10)
    b = classify(mood + shift, np.full(n, 4.37 + shift), 10, t, 10)
    assert a.code.tolist() == b.code.tolist()


@settings(max_examples=30, deadline=None)
@given(moods)
def test_rows_are_classified_independently_of_each_other(mood):
    n, t = mood.shape
    together = classify(mood, np.full(n, 4.0), 10, t, 10).code.tolist()
    alone = [classify(mood[i : i + 1], np.array([4.0]), 10, t, 10).code[0] for i in range(n)]
    assert together == alone


def test_chunks_give_the_same_result_as_one_pass(monkeypatch):
    from aftercare.insights import trajectory

    mood = np.clip(np.round(RNG.normal(5, 2, (50, 60))), 1, 10)
    mood[RNG.random(mood.shape) < 0.3] = np.nan
    whole = classify(mood, 4.0, 10, 60, 10)
    monkeypatch.setattr(trajectory, "CHUNK_ROWS", 7)
    chunked = classify(mood, 4.0, 10, 60, 10)
    assert whole.code.tolist() == chunked.code.tolist()
    np.testing.assert_allclose(whole.peak, chunked.peak)
