"""Every questionnaire definition against its published threshold (CLINICAL.md §1.1, §2)."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftercare.insights.definitions import (
    DEFAULT_DEFINITIONS,
    BoosterPriors,
    OutcomeDefinitions,
    TrajectorySettings,
)
from aftercare.insights.scales import score_change

totals = st.integers(min_value=0, max_value=27)


def test_the_published_defaults_are_the_ones_in_clinical_md():
    d = DEFAULT_DEFINITIONS
    assert d.instrument == "phq9"
    assert (d.response_reduction, d.partial_reduction) == (0.5, 0.25)
    assert d.remission_below == 5
    assert d.mcid_points == 5
    assert d.worsening_min_increase == 1
    assert d.post_induction_days == (14, 31)


@pytest.mark.parametrize(
    ("baseline", "score", "response", "partial"),
    [
        (20, 10, True, False),  # exactly 50 %: response
        (20, 11, False, True),  # 45 %: partial
        (20, 15, False, True),  # exactly 25 %: partial
        (20, 16, False, False),  # 20 %: neither
        (19, 9, True, False),  # 52.6 %
        (19, 10, False, True),  # 47.4 %
        (10, 5, True, False),
        (4, 2, True, False),
    ],
)
def test_it_calls_response_at_half_and_partial_from_a_quarter(baseline, score, response, partial):
    change = score_change(baseline, score)
    assert (change.response, change.partial) == (response, partial)


@pytest.mark.parametrize(("score", "remission"), [(4, True), (5, False), (0, True), (27, False)])
def test_it_calls_remission_strictly_below_five(score, remission):
    assert score_change(20, score).remission is remission


@pytest.mark.parametrize(
    ("baseline", "score", "improved", "worse"),
    [(20, 15, True, False), (20, 16, False, False), (10, 15, False, True), (10, 14, False, False)],
)
def test_it_counts_a_five_point_change_as_meaningful(baseline, score, improved, worse):
    change = score_change(baseline, score)
    assert (change.meaningful_improvement, change.meaningful_worsening) == (improved, worse)


def test_any_increase_is_worsening_and_no_change_is_not():
    assert score_change(12, 13).worsened
    assert not score_change(12, 12).worsened
    assert score_change(12, 13).reduction == pytest.approx(-1 / 12)


def test_a_zero_baseline_can_remit_but_not_respond():
    change = score_change(0, 0)
    assert change.reduction is None
    assert not change.response
    assert not change.partial
    assert change.remission


def test_a_clinic_can_use_its_own_thresholds():
    strict = replace(DEFAULT_DEFINITIONS, response_reduction=0.6, remission_below=3)
    assert not score_change(20, 10, strict).response
    assert score_change(20, 10, strict).partial
    assert not score_change(20, 4, strict).remission


def test_gad7_uses_its_own_range():
    gad = OutcomeDefinitions(instrument="gad7")
    assert gad.max_score == 21
    with pytest.raises(ValueError, match="within 0-21"):
        score_change(22, 10, gad)


@pytest.mark.parametrize("bad", [-1, 28, 1.5, "10", None, True])
def test_it_refuses_scores_outside_the_instrument(bad):
    with pytest.raises(ValueError, match="whole number"):
        score_change(bad, 10)
    with pytest.raises(ValueError, match="whole number"):
        score_change(10, bad)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"instrument": "madrs"},
        {"partial_reduction": 0.6},
        {"response_reduction": 1.5},
        {"remission_below": 0},
        {"remission_below": 28},
        {"mcid_points": 0},
        {"loss_confirm_visits": 0},
        {"response_confirm_visits": 9},
        {"post_induction_days": (31, 14)},
        {"post_induction_days": (0, 999)},
        {"baseline_max_days": 0},
    ],
)
def test_impossible_definitions_are_refused(kwargs):
    with pytest.raises(ValueError, match=r"\w"):
        OutcomeDefinitions(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_baseline_days": 9},
        {"clear_rise": 0},
        {"fade_retained": 1.2},
        {"window_days": 8},
        {"peak_window_days": 1},
        {"min_post_days": 0},
    ],
)
def test_impossible_trajectory_settings_are_refused(kwargs):
    with pytest.raises(ValueError, match=r"\w"):
        TrajectorySettings(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [{"median_days": 0}, {"log_sd": 0}, {"within_log_sd": -1}, {"window_quantiles": (0.8, 0.2)}],
)
def test_impossible_priors_are_refused(kwargs):
    with pytest.raises(ValueError, match=r"\w"):
        BoosterPriors(**kwargs)


@given(totals, totals)
def test_response_partial_and_none_exclude_each_other(baseline, score):
    change = score_change(baseline, score)
    assert not (change.response and change.partial)
    if change.reduction is not None:
        assert change.response == (change.reduction >= 0.5 - 1e-9)
        assert change.partial == (0.25 - 1e-9 <= change.reduction < 0.5 - 1e-9)


@given(totals, totals, totals)
def test_a_lower_score_is_never_a_worse_outcome(baseline, a, b):
    lo, hi = sorted((a, b))
    better, worse = score_change(baseline, lo), score_change(baseline, hi)
    assert better.response >= worse.response
    assert better.remission >= worse.remission
    assert better.worsened <= worse.worsened
