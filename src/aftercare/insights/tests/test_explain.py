"""Every explanation branch, in words a clinician would sign, with the numbers."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from aftercare.insights.booster import Basis, Observation, Trend, forecast
from aftercare.insights.cohort import clinic_outcomes
from aftercare.insights.data import CourseInfo
from aftercare.insights.explain import (
    explain_booster,
    explain_non_response,
    explain_scale,
    explain_trajectory,
)
from aftercare.insights.patient import NonResponseFlag, analyse_patient, trajectories
from aftercare.insights.scales import scale_outcome
from aftercare.insights.tests.helpers import (
    DAY0,
    SERIES,
    at,
    curve,
    mood_series,
    patient,
    step_up,
)
from aftercare.insights.tests.test_scales import s
from aftercare.insights.trajectory import Trajectory

END = DAY0 + timedelta(days=11)


def words(data):
    result = trajectories([data])[0]
    return result, explain_trajectory(result, [i.day for i in data.infusions])


def test_sustained_says_it_held_with_the_share_kept():
    result, text = words(patient(curve(75, step_up(3, 4)), today=60))
    assert result.trajectory == Trajectory.SUSTAINED
    assert "It has held: the last 7 days averaged 7.0, 100% of the gain." in text


def test_variable_says_how_far_it_dipped_and_came_back():
    def fn(d):
        return 3.0 if d <= 0 or 25 <= d < 33 else 7.5

    result, text = words(patient(curve(75, fn), today=60))
    assert result.trajectory == Trajectory.VARIABLE
    assert "later dipped to 3.0 and climbed back by 4.5 points without a new infusion" in text


def test_no_response_compares_the_best_two_weeks_with_the_needed_rise():
    _, text = words(patient(curve(75, step_up(4, 1)), today=60))
    assert "averaged 5.0 against a baseline of 4.0, a change of 1.0 points" in text
    assert "needs a rise of at least 2.0 points" in text


def test_a_fade_back_to_baseline_says_so():
    result, text = words(patient(curve(75, step_up(3, 4, fade_from=16, per_day=0.3)), today=60))
    assert result.trajectory == Trajectory.FADE
    assert "back at or below its baseline" in text


def test_a_fade_past_half_says_more_than_half_is_lost():
    result, text = words(patient(curve(75, step_up(3, 4, fade_from=16, per_day=0.08)), today=55))
    assert result.retained < 0.5
    assert "More than half of the gain is lost" in text


def test_a_recent_booster_is_mentioned():
    fade = step_up(3, 4.5, fade_from=16, per_day=0.1)
    _, text = words(patient(curve(70, fade), today=55, infusion_days=(*SERIES, 52)))
    assert text.startswith("The infusion on 22 Apr 2026 is too recent to judge")


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (patient(curve(30, lambda d: 5), today=10, infusion_days=()), "No completed infusion"),
        (
            patient(curve(75, lambda d: None if d < 0 else 6.0), today=60),
            "There is no baseline: 0 days with a check-in in the 14 days",
        ),
        (
            patient(curve(40, step_up(3, 4)), today=16, infusion_days=(0, 3, 7, 10, 14)),
            "still under way",
        ),
        (
            patient(curve(30, step_up(4, 0.2)), today=16),  # series done on day 11
            "The last infusion was on 12 Mar 2026; its effect is judged from 7 days after it",
        ),
        (
            patient(curve(75, lambda d: 5.0 if d < 35 else None), today=60),
            "No check-in since 4 Apr 2026",
        ),
        (
            patient(curve(75, lambda d: 5.0 if d < 1 or d in (12, 14) else None), today=20),
            "Not enough check-ins after the infusion on 12 Mar 2026",
        ),
    ],
)
def test_not_enough_data_says_what_is_missing(data, phrase):
    result, text = words(data)
    assert result.trajectory == Trajectory.NOT_ENOUGH_DATA
    assert phrase in text


def test_the_peak_before_any_infusion_has_no_day_number():
    result, _ = words(patient(curve(75, step_up(3, 4)), today=60))
    assert explain_trajectory(result, []).count("()") == 1


def test_scale_texts_cover_every_outcome():
    no_base = scale_outcome([s(20, 10)], first_infusion_at=at(0), series_end=END)
    assert explain_scale(no_base).startswith("No PHQ-9 was taken in the 30 days")
    waiting = scale_outcome([s(-1, 20)], first_infusion_at=at(0), series_end=END)
    assert "No PHQ-9 yet 14-31 days after the series" in explain_scale(waiting)
    partial = scale_outcome([s(-1, 20), s(26, 13)], first_infusion_at=at(0), series_end=END)
    assert "35% lower: partial response." in explain_scale(partial)
    worse = scale_outcome([s(-1, 20), s(26, 23)], first_infusion_at=at(0), series_end=END)
    text = explain_scale(worse)
    assert "15% higher: no response." in text
    assert "higher than before treatment" in text
    lost = scale_outcome(
        [s(-1, 20), s(26, 4), s(33, 12), s(40, 13)], first_infusion_at=at(0), series_end=END
    )
    text = explain_scale(lost)
    assert "Below 5: remission." in text
    assert "Response was lost on 3 Apr 2026 (2 questionnaires in a row" in text
    pending = scale_outcome(
        [s(-1, 20), s(26, 8), s(33, 12)], first_infusion_at=at(0), series_end=END
    )
    assert "another is needed to confirm" in explain_scale(pending)


def test_booster_texts_name_what_the_forecast_rests_on():
    last = date(2026, 5, 1)
    prior = forecast(last_infusion=last, today=last)
    assert (
        "published figures for how long benefit lasts after a series (median about 17 days)"
        in explain_booster(prior)
    )
    own = forecast(last_infusion=last, today=last, history=[Observation(30, True)])
    assert own.basis == Basis.HISTORY
    assert "earlier treatments (1)" in explain_booster(own, proposed=False)
    assert explain_booster(own, proposed=False).startswith("Going by how long")
    trend = Trend(peak_day=5, peak_gain=4, intercept=4, slope=-0.1, slope_se=0.01)
    both = forecast(last_infusion=last, today=last, history=[Observation(30, True)], trend=trend)
    assert both.basis == Basis.HISTORY_AND_TREND
    assert (
        "the current downward trend and this patient's earlier treatments (1)"
        in explain_booster(both)
    )
    slow = Trend(peak_day=5, peak_gain=4, intercept=4, slope=-0.001, slope_se=0.01)
    assert forecast(last_infusion=last, today=last, trend=slow).trend_days is None  # > a year
    only_trend = forecast(last_infusion=last, today=last, trend=trend)
    assert "the current downward trend and published figures" in explain_booster(only_trend)


def test_non_response_without_scores_uses_mood_only():
    flag = NonResponseFlag(END, 6, None, None, None, None, False, False, 4.0, 4.6)
    text = explain_non_response(flag)
    assert "PHQ-9" not in text
    assert "Daily mood: baseline 4.0, best two weeks 4.6." in text
    bare = replace(flag, baseline_mood=None)
    assert explain_non_response(bare).endswith("For review by the care team.")


def test_edge_cases_of_the_patient_summary():
    result = trajectories([patient(curve(75, step_up(5, -2)), today=60)])[0]
    assert result.retained is None  # a negative peak: no share to keep
    assert result.follow_up_days == 60
    none_yet = analyse_patient(
        replace(
            patient(curve(40, step_up(3, 4)), today=30),
            courses=(CourseInfo(1, "induction", 6, DAY0), CourseInfo(9, "maintenance", 4, DAY0)),
        )
    )
    assert [c.status for c in none_yet.courses] == ["completed", "not_started"]
    si = mood_series([1.0] * 20, start=-10)
    no_assessment = analyse_patient(patient(curve(40, step_up(3, 4)), today=20, suicidal=si))
    assert no_assessment.suicidal.at_baseline
    assert no_assessment.suicidal.resolved is None


def test_booster_flags_count_on_the_dashboard():
    fade = step_up(3, 4.5, fade_from=18, per_day=0.08)
    result = analyse_patient(replace(patient(curve(60, fade), today=42), patient_id="f"))
    out = clinic_outcomes([result])
    assert out.counts["booster_proposed"].numerator == ("f",)
    assert out.counts["booster_review_pending"].numerator == ("f",)
