"""Concern thresholds: each names the value and the limit; boundaries are exact."""

from decimal import Decimal

import pytest

from aftercare.treatment.models import total_dose_mg
from aftercare.treatment.vitals import DEFAULT_THRESHOLDS, Thresholds, Vitals, concerns


def messages(vitals, **kwargs):
    return [f.message for f in concerns(vitals, DEFAULT_THRESHOLDS, **kwargs)]


def test_normal_values_raise_nothing():
    normal = Vitals(120, 80, 72, 98, 14, 5, 0, 0)
    assert messages(normal) == []
    assert messages(normal, pre_dose=normal) == []
    assert messages(normal, is_pre_dose=True) == []


@pytest.mark.parametrize(
    ("vitals", "expected"),
    [
        (Vitals(spo2_pct=92), []),
        (Vitals(spo2_pct=91), ["SpO₂ 91 % is below 92 %."]),
        (Vitals(systolic_mmhg=160, diastolic_mmhg=100), []),
        (
            Vitals(systolic_mmhg=161, diastolic_mmhg=101),
            ["Systolic 161 mmHg is above 160 mmHg.", "Diastolic 101 mmHg is above 100 mmHg."],
        ),
        (Vitals(heart_rate_bpm=110), []),
        (Vitals(heart_rate_bpm=111), ["Heart rate 111/min is above 110/min."]),
        (Vitals(heart_rate_bpm=49), ["Heart rate 49/min is below 50/min."]),
        (Vitals(respiratory_rate=9), ["Respiratory rate 9/min is below 10/min."]),
        (Vitals(respiratory_rate=25), ["Respiratory rate 25/min is above 24/min."]),
        (Vitals(moaas=4), []),
        (Vitals(moaas=3), ["MOAA/S 3 is at or below 3."]),
        (Vitals(dissociation=3), ["Dissociation 3 is at or above 3."]),
        (Vitals(nausea=3), ["Nausea 3 is at or above 3."]),
    ],
)
def test_each_threshold_at_its_boundary(vitals, expected):
    assert messages(vitals) == expected


def test_rises_are_measured_from_the_pre_dose_value():
    pre = Vitals(systolic_mmhg=110, diastolic_mmhg=70)
    assert messages(Vitals(systolic_mmhg=149, diastolic_mmhg=94), pre_dose=pre) == []
    assert messages(Vitals(systolic_mmhg=150, diastolic_mmhg=95), pre_dose=pre) == [
        "Systolic rose 40 mmHg from 110 mmHg before the dose (limit: a rise of 40 mmHg).",
        "Diastolic rose 25 mmHg from 70 mmHg before the dose (limit: a rise of 25 mmHg).",
    ]


def test_pre_dose_blood_pressure_uses_the_delay_limits():
    assert messages(Vitals(systolic_mmhg=140, diastolic_mmhg=90), is_pre_dose=True) == []
    assert messages(Vitals(systolic_mmhg=138, diastolic_mmhg=92), is_pre_dose=True) == [
        "Pre-dose blood pressure 138/92 mmHg is above 140/90 mmHg: consider delaying the dose."
    ]
    # The post-dose limits do not apply before the dose.
    assert messages(Vitals(systolic_mmhg=170, diastolic_mmhg=85), is_pre_dose=True)[0].startswith(
        "Pre-dose blood pressure 170/85"
    )


def test_the_clinic_thresholds_are_used():
    strict = Thresholds(spo2_below=95)
    assert [f.message for f in concerns(Vitals(spo2_pct=94), strict)] == [
        "SpO₂ 94 % is below 95 %."
    ]


@pytest.mark.parametrize(
    ("mg_per_kg", "kg", "total"),
    [
        ("0.5", "72.4", "36.2"),
        ("0.5", "70.1", "35.1"),  # 35.05 rounds half up
        ("0.75", "83.3", "62.5"),  # 62.475
        ("1", "120", "120.0"),
        ("0.05", "20", "1.0"),
    ],
)
def test_total_dose_arithmetic(mg_per_kg, kg, total):
    assert total_dose_mg(Decimal(mg_per_kg), Decimal(kg)) == Decimal(total)
