"""Database rows into the pure inputs: local days, item 9, baseline weeks long ago."""

from datetime import timedelta

import pytest
import time_machine

from aftercare.insights.definitions import OutcomeDefinitions
from aftercare.outcomes.loaders import item9, load_patient
from aftercare.outcomes.tests.helpers import NOW, give_history, local

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"44260-8": 2}, 2),
        ([0, 1, 2, 3, 0, 1, 2, 3, 1], 1),
        ({"44260-8": "2"}, None),
        ({"44260-8": 7}, None),
        ({"44260-8": True}, None),
        ([1, 2], None),
        ("garbage", None),
        (None, None),
    ],
)
def test_item_nine_is_read_from_either_stored_form(answers, expected):
    assert item9(answers) == expected


def test_days_are_the_patients_own_and_old_baselines_are_loaded(alice, carol):
    with time_machine.travel(NOW, tick=False):
        give_history(
            alice,
            by=carol,
            mood=lambda d: 3 if d < 0 else 7,
            infusion_days=(0, 2, 4, 7, 9, 11),
            phq9=[(0, 20, 2)],
            days=range(-10, 61),
        )
        data = load_patient(alice, now=NOW)
    assert data.today == NOW.astimezone(alice.tz).date()
    assert data.infusions[0].day == local(alice, 0, 9).astimezone(alice.tz).date()
    assert data.mood.value_on(data.infusions[0].day - timedelta(days=1)) == 3
    assert data.scores[0].item9 == 2
    assert data.phq9 == data.scores
    assert data.courses[0].planned == 6


def test_baseline_check_ins_from_long_ago_are_still_found(alice, carol):
    later = NOW + timedelta(days=400)
    with time_machine.travel(NOW, tick=False):
        give_history(alice, by=carol, mood=lambda d: 3 if d < 0 else 7, days=range(-10, 3))
    data = load_patient(alice, now=later)
    first = data.infusions[0].day
    assert data.mood.value_on(first - timedelta(days=2)) == 3
    assert data.mood.value_on(first + timedelta(days=2)) != data.mood.value_on(
        first + timedelta(days=2)
    )


def test_gad7_definitions_load_gad7_scores_and_keep_phq9_for_item_nine(alice, carol):
    with time_machine.travel(NOW, tick=False):
        give_history(alice, by=carol, mood=lambda d: 5, phq9=[(0, 20, 1)], days=range(0))
        data = load_patient(alice, now=NOW, definitions=OutcomeDefinitions(instrument="gad7"))
    assert data.scores == ()
    assert data.phq9_scores[0].item9 == 1
