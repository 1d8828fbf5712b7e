"""One patient's insights: courses, questionnaire outcome, non-response flag, booster window,
suicidal thoughts, per-infusion rows; and the words that explain them."""

from datetime import timedelta

import pytest

from aftercare.insights.episodes import TooEarly
from aftercare.insights.explain import (
    explain_booster,
    explain_non_response,
    explain_scale,
    explain_trajectory,
)
from aftercare.insights.patient import analyse_patient, trajectories
from aftercare.insights.tests.helpers import (
    DAY0,
    SERIES,
    curve,
    mood_series,
    patient,
    step_up,
)
from aftercare.insights.trajectory import Missing, Trajectory


def fading(today=42, scheduled=()):
    fade = step_up(3, 4.5, fade_from=18, per_day=0.08)
    scores = [(0, 20, 2), (26, 8, 0), (40, 12, 0)]
    return patient(curve(today + 15, fade), today=today, scores=scores, scheduled=scheduled)


def test_a_fading_responder_gets_a_booster_window_before_baseline():
    result = analyse_patient(fading())
    assert 0.5 < result.trajectory.retained < 0.7
    assert not result.booster.due_now
    assert result.trajectory.trajectory == Trajectory.FADE
    assert result.booster_proposed
    assert result.booster_review_pending
    assert result.booster.window_start >= result.today
    assert result.induction.status == "completed"
    assert result.induction_outcome.responded
    assert result.non_response is None


def test_a_booster_already_booked_in_the_window_settles_the_review():
    result = analyse_patient(fading())
    booked = result.booster.window_start - DAY0
    again = analyse_patient(fading(scheduled=(booked.days,)))
    assert again.booster_proposed
    assert not again.booster_review_pending


def test_no_response_after_the_series_is_flagged_with_the_numbers():
    data = patient(curve(75, step_up(4, 0.4)), today=45, scores=[(0, 20, 0), (26, 17, 0)])
    result = analyse_patient(data)
    flag = result.non_response
    assert flag is not None
    assert (flag.baseline_score, flag.score, flag.infusions) == (20, 17, 6)
    assert flag.reduction == pytest.approx(0.15)
    text = explain_non_response(flag)
    assert "20 before treatment, 17" in text
    assert "15% reduction" in text
    assert result.booster is None


def test_a_partial_responder_is_flagged_as_partial():
    data = patient(curve(75, step_up(4, 2.5)), today=45, scores=[(0, 20, 0), (26, 12, 0)])
    assert analyse_patient(data).non_response.partial


def test_before_the_assessment_a_flat_mood_is_flagged_and_a_rise_is_not():
    flat = patient(curve(40, step_up(4, 0.2)), today=24, scores=[(0, 20, 0)])
    assert analyse_patient(flat).non_response is not None
    risen = patient(curve(40, step_up(4, 4)), today=24, scores=[(0, 20, 0)])
    assert analyse_patient(risen).non_response is None


def test_courses_report_completion_drop_out_and_progress():
    done = analyse_patient(patient(curve(60, step_up(4, 3)), today=40))
    assert done.induction.status == "completed"
    assert done.series_end == DAY0 + timedelta(days=11)
    dropped = analyse_patient(patient(curve(60, step_up(4, 1)), today=40, infusion_days=(0, 2, 4)))
    assert (dropped.induction.status, dropped.induction.done) == ("dropped_out", 3)
    going = analyse_patient(
        patient(curve(30, step_up(4, 1)), today=16, infusion_days=(0, 3, 7), scheduled=(18,))
    )
    assert going.induction.status == "in_progress"
    assert going.booster is None


def test_without_course_records_the_first_block_is_the_series():
    data = patient(
        curve(100, step_up(4, 3)), today=80, infusion_days=(*SERIES, 40, 70), with_courses=False
    )
    result = analyse_patient(data)
    assert [c.course.kind for c in result.courses] == ["induction", "maintenance"]
    assert result.booster_intervals == (29, 30)


def test_per_infusion_rows_give_day_one_to_three():
    result = analyse_patient(patient(curve(60, step_up(3, 4)), today=40))
    first = result.infusions[0]
    assert (first.day1, first.day2, first.day3) == (7.0, 7.0, 7.0)
    assert (first.peak, first.peak_day) == (7.0, 1)  # only day 1 before infusion 2
    assert len(result.infusions) == 6
    assert (
        analyse_patient(patient(curve(60, step_up(3, 4)), today=40), detail=False).infusions == ()
    )


def test_suicidal_thoughts_resolved_by_the_assessment():
    si = mood_series([1.0] * 10 + [0.0] * 60, start=-10)
    data = patient(curve(70, step_up(3, 4)), today=45, scores=[(0, 20, 2), (26, 6, 0)], suicidal=si)
    result = analyse_patient(data).suicidal
    assert result.at_baseline
    assert (result.baseline_item9, result.item9, result.resolved, result.reduced) == (
        2,
        0,
        True,
        True,
    )


def test_suicidal_thoughts_in_the_week_before_the_assessment_are_not_resolved():
    si = mood_series([0.0] * 34 + [1.0] + [0.0] * 30, start=-10)
    data = patient(curve(70, step_up(3, 4)), today=45, scores=[(0, 20, 1), (26, 6, 0)], suicidal=si)
    assert analyse_patient(data).suicidal.resolved is False


def test_without_suicidal_thoughts_at_baseline_there_is_nothing_to_resolve():
    data = patient(curve(70, step_up(3, 4)), today=45, scores=[(0, 20, 0), (26, 6, 0)])
    result = analyse_patient(data).suicidal
    assert not result.at_baseline
    assert result.resolved is None
    assert (
        analyse_patient(patient(curve(30, lambda d: 5), today=10, infusion_days=())).suicidal
        is None
    )


def test_the_explanation_gives_the_numbers_a_clinician_checks():
    data = fading()
    result = analyse_patient(data)
    text = explain_trajectory(result.trajectory, [i.day for i in data.infusions])
    assert "Mood rose from 3.0 (baseline) to a two-week average of" in text
    assert "after infusion 6" in text
    assert "points a day" in text
    assert "% of the gain is lost" in text
    assert "Response" not in explain_scale(result.induction_outcome)[:3]
    assert "PHQ-9 went from 20 before treatment to 8" in explain_scale(result.induction_outcome)
    assert "Proposed booster window" in explain_booster(result.booster)
    late = analyse_patient(fading(today=60))
    assert late.booster.due_now
    assert "already lost" in explain_booster(late.booster)


def test_explanations_go_through_the_translation_function():
    result = trajectories([patient(curve(30, lambda d: 5), today=9, infusion_days=(0, 2, 4))])[0]
    assert result.missing == Missing.SHORT_FOLLOW_UP
    marked = explain_trajectory(result, gettext=lambda text: "[es] " + text)
    assert marked.startswith("[es] The first infusion was 9 days ago")


def test_a_series_is_not_called_a_non_response_days_after_its_last_infusion():
    # Six infusions, the last on day 11; mood stays flat.
    flat = curve(40, step_up(4, 0.2))
    soon = analyse_patient(patient(flat, today=16)).trajectory
    assert soon.trajectory == Trajectory.NOT_ENOUGH_DATA
    assert soon.missing == Missing.SOON_AFTER_LAST_INFUSION
    later = analyse_patient(patient(flat, today=18)).trajectory  # 7 days after the last
    assert later.trajectory == Trajectory.NO_RESPONSE


def test_a_booster_given_yesterday_is_too_early_to_tell_not_without_a_rise():
    data = patient(curve(80, step_up(3, 4)), today=41, infusion_days=(*SERIES, 40))
    result = analyse_patient(data)
    earlier, booster = result.durability
    assert earlier.responded  # the series worked, and its duration is judged
    assert earlier.too_early is None
    assert booster.too_early == TooEarly.RECENT
    assert not booster.no_clear_rise
    # The trajectory says the same of that infusion: too recent to judge.
    assert result.trajectory.episode.newer_block_days == 1
