"""Baseline, post-induction assessment and loss of response by questionnaire (CLINICAL.md §2)."""

from dataclasses import replace
from datetime import timedelta

from aftercare.insights.data import ScaleScore
from aftercare.insights.definitions import DEFAULT_DEFINITIONS
from aftercare.insights.scales import baseline_score, scale_outcome
from aftercare.insights.tests.helpers import DAY0, at

END = DAY0 + timedelta(days=11)  # the series' last infusion


def s(day: int, total: int, hour: int = 8) -> ScaleScore:
    return ScaleScore(at(day, hour), DAY0 + timedelta(days=day), total)


def outcome(scores, **kw):
    return scale_outcome(scores, first_infusion_at=at(0), series_end=END, **kw)


def test_the_baseline_is_the_last_score_before_the_first_infusion():
    scores = [s(-20, 22), s(-2, 19), s(0, 17, hour=8), s(0, 15, hour=11)]
    assert baseline_score(scores, at(0)).total == 17  # 08:00 is before the 09:00 infusion


def test_a_baseline_older_than_thirty_days_does_not_count():
    assert baseline_score([s(-31, 20)], at(0)) is None
    assert baseline_score([s(-29, 20)], at(0)).total == 20


def test_the_assessment_is_the_first_score_14_to_31_days_after_the_series():
    result = outcome([s(-1, 20), s(20, 16), s(25, 9), s(45, 8)])
    assert result.assessment.total == 9  # day 25 = 14 days after day 11
    assert result.change.reduction == 0.55
    assert result.responded
    assert not result.remitted


def test_without_an_assessment_there_is_no_outcome_but_the_latest_score_is_kept():
    result = outcome([s(-1, 20), s(20, 12)])
    assert not result.assessed
    assert result.latest.score == 12
    assert not result.responded


def test_remission_is_below_five_at_the_assessment():
    assert outcome([s(-1, 20), s(26, 4)]).remitted
    assert not outcome([s(-1, 20), s(26, 5)]).remitted


def test_loss_of_response_needs_two_questionnaires_in_a_row_and_is_dated_to_the_first():
    scores = [s(-1, 20), s(26, 8), s(33, 12), s(40, 9), s(47, 12), s(54, 14)]
    result = outcome(scores)
    assert result.responded
    assert result.loss_on == DAY0 + timedelta(days=47)
    assert result.follow_up_until == result.loss_on


def test_one_questionnaire_above_the_threshold_is_a_pending_loss():
    result = outcome([s(-1, 20), s(26, 8), s(33, 12)])
    assert result.loss_on is None
    assert result.loss_pending


def test_with_one_visit_confirmation_a_single_score_is_a_loss():
    one = replace(DEFAULT_DEFINITIONS, loss_confirm_visits=1)
    result = outcome([s(-1, 20), s(26, 8), s(33, 12)], definitions=one)
    assert result.loss_on == DAY0 + timedelta(days=33)


def test_scores_after_a_booster_are_not_used_for_loss_of_response():
    scores = [s(-1, 20), s(26, 8), s(40, 7), s(50, 15), s(57, 16)]
    result = outcome(scores, censor_on=DAY0 + timedelta(days=45))
    assert result.loss_on is None
    assert result.follow_up_until == DAY0 + timedelta(days=40)


def test_two_visit_confirmation_of_response():
    two = replace(DEFAULT_DEFINITIONS, response_confirm_visits=2, remission_confirm_visits=2)
    assert not outcome([s(-1, 20), s(26, 4), s(33, 12)], definitions=two).responded
    both = outcome([s(-1, 20), s(26, 4), s(33, 3)], definitions=two)
    assert both.responded
    assert both.remitted
