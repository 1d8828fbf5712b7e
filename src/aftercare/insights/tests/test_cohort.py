"""Clinic outcomes: every number keeps the patients behind it."""

from dataclasses import replace

from aftercare.insights.cohort import METRICS, clinic_outcomes
from aftercare.insights.patient import analyse_patient
from aftercare.insights.tests.helpers import SERIES, curve, mood_series, patient, step_up


def make(pid, **kw):
    data = patient(**kw)
    return analyse_patient(replace(data, patient_id=pid))


def test_counts_rates_and_the_curve_come_with_their_patients():
    si = mood_series([1.0] * 14 + [0.0] * 80, start=-14)
    insights = [
        make(
            "responder",
            mood=curve(90, step_up(3, 4)),
            today=70,
            infusion_days=(*SERIES, 50),
            scores=[(0, 20, 1), (26, 6, 0), (33, 12, 0), (40, 13, 0)],
            suicidal=si,
        ),
        make(
            "remitter",
            mood=curve(90, step_up(3, 5)),
            today=70,
            scores=[(0, 18, 0), (26, 3, 0), (40, 4, 0)],
        ),
        make("none", mood=curve(90, step_up(4, 0.3)), today=70, scores=[(0, 20, 0), (26, 21, 0)]),
        make("dropped", mood=curve(90, step_up(4, 1)), today=70, infusion_days=(0, 2)),
        make("untreated", mood=curve(20, lambda d: 5), today=5, infusion_days=()),
    ]
    out = clinic_outcomes(insights)
    c = out.counts
    assert set(c) == set(METRICS)
    assert c["started"].numerator == ("dropped", "none", "remitter", "responder")
    assert (c["completed"].n, c["completed"].of) == (3, 4)
    assert c["dropped_out"].numerator == ("dropped",)
    assert c["assessed"].numerator == ("none", "remitter", "responder")
    assert c["response"].numerator == ("remitter", "responder")
    assert c["response"].rate == 2 / 3
    assert c["remission"].numerator == ("remitter",)
    assert c["worsened"].numerator == ("none",)
    assert c["mcid"].numerator == ("remitter", "responder")
    assert c["lost_response"].numerator == ("responder",)
    assert c["non_response_flag"].numerator == ("none",)
    assert c["si_baseline"].numerator == ("responder",)
    assert c["si_baseline"].of == 4  # out of everyone treated
    assert c["si_assessed"].of == 1  # ... and of them, those assessed after the series
    assert c["si_resolved"].numerator == ("responder",)
    assert c["treated"].n == 4
    assert (
        sum(
            c[f"trajectory_{k}"].n
            for k in ("sustained", "fade", "variable", "no_response", "not_enough_data")
        )
        == 4
    )
    # The responder lost response 7 days after the assessment (day 33 vs 26); the remitter is
    # censored at its last questionnaire (day 40: 14 days).
    followed = zip(out.survival.days, out.survival.events, strict=True)
    assert dict(zip(out.survival.ids, followed, strict=True)) == {
        "responder": (7.0, True),
        "remitter": (14.0, False),
    }
    assert out.survival.curve.median == 7
    assert out.intervals.days == (39,)  # the booster on day 50, 39 days after day 11
    assert out.intervals.median == 39
    assert out.intervals.quartiles == (39, 39)
    assert out.patients == 5


def test_an_empty_clinic_has_empty_numbers():
    out = clinic_outcomes([])
    assert out.counts["response"].rate is None
    assert out.survival.curve.n == 0
    assert out.intervals.median is None
    assert out.intervals.quartiles is None
