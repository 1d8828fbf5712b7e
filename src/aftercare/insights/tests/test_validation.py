"""The classifier, the booster forecast and the clinic figures on simulated cohorts."""

import math

import pytest

from aftercare.insights import validation


def test_the_classes_reach_the_target_with_thirty_percent_missing():
    report = validation.validate_classes(1500, seed=11, missing=0.3)
    assert report.macro_f1 >= validation.TARGET_MACRO_F1
    assert report.confusion.sum() == 1500


def test_the_patients_own_history_beats_the_priors_alone():
    report = validation.validate_booster(120, seed=5)
    assert report.mae_history < report.mae_priors
    assert 0.25 <= report.in_window <= 0.75
    assert report.in_range >= 0.6


def test_the_dashboard_recovers_the_figures_the_cohort_was_made_with():
    r = validation.validate_figures(1500, seed=5)
    assert r.response[1] == pytest.approx(r.response[0], abs=0.04)
    assert r.remission[1] == pytest.approx(r.remission[0], abs=0.04)
    assert r.worsened[1] == pytest.approx(r.worsened[0], abs=0.03)
    assert r.still_responding_4wk[1] == pytest.approx(0.80, abs=0.05)
    assert r.still_responding_8wk[1] == pytest.approx(0.60, abs=0.06)
    assert r.median_days[1] is not None
    # Weekly questionnaires and two-visit confirmation date a loss a little late.
    assert 0 <= r.median_days[1] - r.median_days[0] <= 20


def test_the_report_ends_with_the_macro_f1():
    lines = validation.report_lines(
        validation.validate_classes(300, seed=1),
        validation.validate_booster(20, seed=1),
        validation.validate_figures(200, seed=1),
    )
    assert lines[-1].startswith("macro-F1 ")
    assert any("| fade |" in line for line in lines)


def test_the_simulator_refuses_impossible_cohorts():
    with pytest.raises(ValueError, match="n >= 1"):
        validation.simulate_series(0, seed=1)
    with pytest.raises(ValueError, match="missing"):
        validation.simulate_series(10, seed=1, missing=1.0)


def test_the_weibull_goes_through_the_published_points():
    k, eta = validation._weibull()
    for t, s in validation.STILL_RESPONDING:
        assert math.exp(-((t / eta) ** k)) == pytest.approx(s)


def test_the_full_validation_meets_its_target():
    lines, ok = validation.validate(seed=7)
    assert ok
    assert lines[-1].startswith("macro-F1 0.9")
