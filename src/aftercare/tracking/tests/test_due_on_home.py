"""The home page says which questionnaire is due, with a link, and stops once it is answered."""

from datetime import UTC, datetime, timedelta

import time_machine

from aftercare.tracking.actions import submit_scale_response
from aftercare.tracking.instruments import get_instrument
from aftercare.tracking.models import ScaleSchedule
from aftercare.treatment.actions import record_infusion

ZEROS = {item.id: 0 for item in get_instrument("phq9").scored_items}


def test_a_baseline_phq9_is_due_before_treatment(as_user, alice):
    html = as_user(alice.user).get("/me/").content.decode()
    assert "PHQ-9 due: fill it in" in html
    assert 'href="/me/scales/phq9/"' in html
    assert "a starting point before treatment" in html


def test_it_disappears_once_answered(as_user, alice):
    submit_scale_response(patient=alice, instrument=get_instrument("phq9"), answers=ZEROS)
    html = as_user(alice.user).get("/me/").content.decode()
    assert "PHQ-9 due" not in html
    assert "GAD-7 due" in html


def test_a_week_after_an_infusion_it_is_due_again(as_user, alice, carol):
    ended = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    record_infusion(
        patient=alice, recorded_by=carol, started_at=ended - timedelta(minutes=40),
        ended_at=ended, route="iv",
    )  # fmt: skip
    with time_machine.travel(ended + timedelta(hours=2), tick=False):
        submit_scale_response(patient=alice, instrument=get_instrument("phq9"), answers=ZEROS)
        assert "PHQ-9 due" not in as_user(alice.user).get("/me/").content.decode()
    with time_machine.travel(ended + timedelta(days=7, hours=2), tick=False):
        html = as_user(alice.user).get("/me/").content.decode()
    assert "PHQ-9 due" in html
    assert "your weekly check" in html


def test_a_clinic_can_switch_a_questionnaire_off(as_user, alice, riverside):
    ScaleSchedule.objects.create(clinic=riverside, instrument="gad7", active=False)
    html = as_user(alice.user).get("/me/").content.decode()
    assert "GAD-7 due" not in html
    assert "PHQ-9 due" in html
