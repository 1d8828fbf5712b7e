"""Check-ins raise alerts in the same transaction; urgent ones show the crisis screen at once."""

from datetime import timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import utc
from django.db import DatabaseError
from django.utils import timezone

from aftercare.audit.models import AuditEvent
from aftercare.safety import wording
from aftercare.safety.models import Alert, SafetySettings
from aftercare.tracking.models import CheckIn

NOON = utc(2026, 3, 12, 19)  # 12:00 in Los Angeles (Alice), 15:00 in New York (Riverside)


def test_it_raises_an_urgent_alert_owned_by_the_clinician_due_in_15_minutes(alice, carol, check_in):
    entry, alerts = check_in(alice, at=NOON, suicidal_thoughts=True, mood=3)
    (alert,) = alerts
    assert alert.is_urgent
    assert (alert.rule_id, alert.patient, alert.clinic, alert.owner) == (
        "suicidal_thoughts",
        alice,
        alice.clinic,
        carol,
    )
    assert alert.triggering_answers == {"suicidal_thoughts": True}
    assert (alert.source_kind, alert.source_id) == ("check_in", str(entry.pk))
    assert alert.ack_due_at - alert.created_at == timedelta(minutes=15)
    assert alert.status == "open"
    assert "Simon" not in alert.source_text  # the check-in rule cites the article and §5
    assert AuditEvent.objects.filter(what="safety alert", object_id=str(alert.pk)).exists()


def test_benign_answers_raise_nothing(alice, check_in):
    _entry, alerts = check_in(alice, mood=7, anxiety=3, suicidal_thoughts=False, panic=False)
    assert alerts == []
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("answers", "rule_id", "severity", "days"),
    [
        ({"unusual_perceptions": True}, "psychotic_symptoms", "urgent", 0),
        ({"panic": True}, "severe_anxiety", "high", 0),
        ({"anxiety": 9}, "severe_anxiety", "high", 0),
        ({"ketamine_cravings": True}, "ketamine_cravings", "high", 0),
        ({"urinary_symptoms": True}, "urinary_symptoms", "routine", 2),
    ],
)
def test_each_warning_sign_gets_its_severity_and_deadline(
    alice, check_in, answers, rule_id, severity, days
):
    _entry, (alert,) = check_in(alice, at=NOON, **answers)
    assert (alert.rule_id, alert.severity) == (rule_id, severity)
    expected = {"urgent": timedelta(minutes=15), "high": timedelta(hours=4)}.get(
        severity, timedelta(days=days)
    )
    assert alert.ack_due_at - alert.created_at == expected


def test_the_clinics_anxiety_threshold_and_deadlines_apply(alice, riverside, check_in):
    SafetySettings.objects.create(clinic=riverside, anxiety_threshold=7, high_ack_minutes=60)
    _entry, (alert,) = check_in(alice, anxiety=7)
    assert alert.ack_due_at - alert.created_at == timedelta(hours=1)


def test_settings_are_created_with_defaults_on_first_use(alice, riverside, check_in):
    assert not SafetySettings.objects.exists()
    check_in(alice, mood=5)
    safety = SafetySettings.objects.get(clinic=riverside)
    assert (safety.urgent_ack_minutes, safety.high_ack_minutes, safety.routine_ack_minutes) == (
        15,
        240,
        2880,
    )
    assert safety.anxiety_threshold == 9
    assert safety.missed_check_in_days == 3


def test_dissociation_on_treatment_day_is_expected_but_not_the_next_day(alice, check_in, infusion):
    # Infusion ends 10:00 in Los Angeles on 12 March.
    infusion(alice, ended_at=utc(2026, 3, 12, 17))
    _entry, same_day = check_in(alice, at=utc(2026, 3, 13, 5), lingering_dissociation=True)
    assert same_day == []  # 22:00 the same local day
    _entry, next_day = check_in(alice, at=utc(2026, 3, 13, 17), lingering_dissociation=True)
    assert [a.rule_id for a in next_day] == ["prolonged_dissociation"]
    assert next_day[0].triggering_answers["latest_infusion_date"] == "2026-03-12"


def test_mood_well_below_the_pre_treatment_baseline_is_one_alert_while_it_lasts(
    alice, check_in, infusion
):
    for day in range(1, 5):  # baseline: mood 7 on 1–4 March
        check_in(alice, at=utc(2026, 3, day, 20), mood=7)
    infusion(alice, ended_at=utc(2026, 3, 5, 18))
    check_in(alice, at=utc(2026, 3, 9, 20), mood=4)
    _e, first = check_in(alice, at=utc(2026, 3, 10, 20), mood=4)
    assert first == []  # two days so far
    _e, third = check_in(alice, at=utc(2026, 3, 11, 20), mood=4)
    assert [a.rule_id for a in third] == ["mood_worsening"]
    assert third[0].triggering_answers == {
        "recent_mean_mood": 4.0,
        "baseline_mean_mood": 7.0,
        "days": 3,
    }
    _e, fourth = check_in(alice, at=utc(2026, 3, 12, 20), mood=3)
    assert fourth == []  # still the same open alert
    assert Alert.objects.filter(rule_id="mood_worsening").count() == 1


def test_the_latest_check_in_of_a_day_counts_for_mood(alice, check_in, infusion):
    for day in range(1, 4):
        check_in(alice, at=utc(2026, 3, day, 20), mood=8)
    infusion(alice, ended_at=utc(2026, 3, 4, 18))
    check_in(alice, at=utc(2026, 3, 9, 20), mood=5)
    check_in(alice, at=utc(2026, 3, 10, 20), mood=5)
    check_in(alice, at=utc(2026, 3, 11, 17), mood=1)
    _e, alerts = check_in(alice, at=utc(2026, 3, 11, 20), mood=6)
    assert alerts == []  # 5, 5, 6 against 8: 2.67 below


def test_urinary_symptoms_every_day_are_one_alert_until_resolved(alice, carol, check_in):
    from aftercare.safety.actions import resolve_alert

    check_in(alice, at=utc(2026, 3, 10, 20), urinary_symptoms=True)
    check_in(alice, at=utc(2026, 3, 11, 20), urinary_symptoms=True)
    assert Alert.objects.filter(rule_id="urinary_symptoms").count() == 1
    resolve_alert(alert=Alert.objects.get(), by=carol)
    check_in(alice, at=utc(2026, 3, 12, 20), urinary_symptoms=True)
    assert Alert.objects.filter(rule_id="urinary_symptoms").count() == 2


def test_suicidal_thoughts_raise_a_new_alert_every_time(alice, check_in):
    check_in(alice, suicidal_thoughts=True)
    check_in(alice, suicidal_thoughts=True)
    assert Alert.objects.filter(rule_id="suicidal_thoughts").count() == 2


def test_screening_the_same_check_in_again_raises_no_duplicate(alice, check_in):
    from aftercare.safety.screening import screen_check_in

    entry, _alerts = check_in(alice, suicidal_thoughts=True)
    assert screen_check_in(entry) == []
    assert Alert.objects.count() == 1


def test_if_the_alert_cannot_be_stored_the_check_in_is_not_stored_either(as_user, alice, check_in):
    with (
        mock.patch(
            "aftercare.safety.actions.Alert.objects.create",
            side_effect=DatabaseError("disk full"),
        ),
        pytest.raises(DatabaseError),
    ):
        check_in(alice, suicidal_thoughts=True)
    assert not CheckIn.objects.exists()
    assert not Alert.objects.exists()


def test_the_view_stores_nothing_when_the_alert_fails(as_user, alice):
    client = as_user(alice.user)
    with (
        mock.patch(
            "aftercare.safety.actions.Alert.objects.create",
            side_effect=DatabaseError("disk full"),
        ),
        pytest.raises(DatabaseError),
    ):
        client.post("/me/check-in/", {"mood": "3", "suicidal_thoughts": "yes"})
    assert not CheckIn.objects.exists()


# --- what the patient sees ---------------------------------------------------------------------


def test_the_crisis_screen_comes_in_the_same_response(as_user, alice, riverside):
    response = as_user(alice.user).post("/me/check-in/", {"mood": "3", "suicidal_thoughts": "yes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert str(wording.URGENT_TITLE) in html
    assert str(wording.URGENT_REASONS["suicidal_thoughts"]) in html
    assert str(wording.CARE_TEAM_TOLD) in html
    assert 'href="tel:988"' in html
    assert "Call 988 — 988 Suicide &amp; Crisis Lifeline" in html
    assert 'href="sms:988"' in html
    assert 'href="tel:+1 555 0100"' in html  # Clinic.phone
    assert 'href="tel:911"' in html
    assert "call 911" in html
    assert Alert.objects.get().is_urgent


def test_the_crisis_screen_uses_the_clinics_own_numbers(as_user, alice, riverside):
    riverside.crisis_line_name = "Samaritans"
    riverside.crisis_line_phone = "116 123"
    riverside.crisis_line_text = ""
    riverside.emergency_number = "999"
    riverside.save()
    response = as_user(alice.user).post("/me/check-in/", {"mood": "3", "suicidal_thoughts": "yes"})
    html = response.content.decode()
    assert 'href="tel:116 123"' in html
    assert "Samaritans" in html
    assert "sms:" not in html
    assert "call 999" in html
    assert "988" not in html


def test_a_high_alert_does_not_show_the_crisis_screen(as_user, alice):
    response = as_user(alice.user).post("/me/check-in/", {"mood": "3", "anxiety": "10"})
    html = response.content.decode()
    assert str(wording.URGENT_TITLE) not in html
    assert "Saved. Here is what to do now." in html  # safety.next_steps instead
    assert Alert.objects.get().severity == "high"


def test_the_patient_sees_on_their_page_that_the_care_team_was_told(as_user, alice, carol):
    from aftercare.safety.actions import acknowledge_alert

    client = as_user(alice.user)
    with time_machine.travel(NOON, tick=False):
        client.post("/me/check-in/", {"mood": "3", "anxiety": "10"})
        html = client.get("/me/").content.decode()
    # It says what was told and when, in Alice's time (Los Angeles).
    when = timezone.localtime(NOON, ZoneInfo("America/Los_Angeles")).strftime("%A %-d %B, %H:%M")
    assert f"About your check-in of {when}: your care team has been told, and no one" in html
    assert "If you need help now, use the numbers at the bottom of this page." in html
    # Carol acknowledges at 15:05 New York time = 12:05 in Alice's Los Angeles.
    with time_machine.travel(NOON + timedelta(minutes=5), tick=False):
        acknowledge_alert(alert=Alert.objects.get(), by=carol)
        html = client.get("/me/").content.decode()
    assert f"About your check-in of {when}: your care team saw it at 12:05." in html
    with time_machine.travel(NOON + timedelta(days=4), tick=False):
        html = client.get("/me/").content.decode()
    assert "care team saw it" not in html  # shown for three days


def test_the_status_gives_the_time_of_the_check_in_even_when_the_alert_came_later(as_user, alice):
    from aftercare.safety.screening import screen_check_in
    from aftercare.tracking.actions import submit_check_in
    from aftercare.tracking.models import CheckIn

    with time_machine.travel(NOON, tick=False):
        entry, _alerts = submit_check_in(patient=alice, answers={"mood": 6})
    CheckIn.objects.filter(pk=entry.pk).update(anxiety=10)
    with time_machine.travel(NOON + timedelta(hours=3), tick=False):
        assert screen_check_in(CheckIn.objects.get(pk=entry.pk))  # raised three hours later
        html = as_user(alice.user).get("/me/").content.decode()
    when = timezone.localtime(NOON, ZoneInfo("America/Los_Angeles")).strftime("%A %-d %B, %H:%M")
    assert f"About your check-in of {when}:" in html


def test_hallucinations_or_paranoia_show_the_crisis_screen_with_their_own_reason(as_user, alice):
    response = as_user(alice.user).post(
        "/me/check-in/", {"mood": "5", "suicidal_thoughts": "no", "unusual_perceptions": "yes"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert str(wording.URGENT_REASONS["psychotic_symptoms"]) in html
    assert str(wording.URGENT_REASONS["suicidal_thoughts"]) not in html
    assert 'href="tel:988"' in html
    assert Alert.objects.get().rule_id == "psychotic_symptoms"


def test_crisis_response_serves_other_apps_submissions(rf, alice):
    from aftercare.safety.screening import PHQ9_ITEMS, screen_scale
    from aftercare.safety.views import crisis_response
    from aftercare.tracking.models import ScaleResponse

    scale = ScaleResponse.objects.create(
        patient=alice,
        instrument="phq9",
        answers=dict(zip(PHQ9_ITEMS, [1] * 8 + [3], strict=True)),
        total=11,
        taken_at=NOON,
    )
    alerts = screen_scale(scale)
    request = rf.post("/me/scales/phq9/")
    request.user = alice.user
    response = crisis_response(request, alerts=alerts)
    html = response.content.decode()
    assert response.status_code == 200
    assert str(wording.URGENT_REASONS["phq9_item9"]) in html
    assert str(wording.CARE_TEAM_TOLD) in html
    assert 'href="tel:988"' in html


def test_crisis_words_in_the_note_reach_the_care_team(alice, carol, check_in):
    entry, (alert,) = check_in(
        alice, at=NOON, mood=4, suicidal_thoughts=False, note="Honestly I want to die some days."
    )
    assert (alert.rule_id, alert.severity, alert.owner) == ("note_crisis_language", "high", carol)
    assert (alert.source_kind, alert.source_id) == ("check_in", str(entry.pk))
    assert alert.triggering_answers == {"phrases": ["want to die"]}
    assert alert.ack_due_at - alert.created_at == timedelta(hours=4)


def test_a_note_without_listed_words_raises_nothing(alice, check_in):
    _entry, alerts = check_in(alice, at=NOON, mood=4, note="Long day, but the walk helped.")
    assert alerts == []
