"""The periodic job notices a patient who stopped checking in: one alert per silence."""

from conftest import utc

from aftercare.safety.actions import resolve_alert
from aftercare.safety.models import Alert, SafetySettings
from aftercare.safety.screening import screen_missed_check_ins


def test_three_whole_days_without_a_check_in_raise_a_routine_alert(alice, bob, check_in):
    check_in(alice, at=utc(2026, 3, 8, 20))  # 8 March in Los Angeles
    check_in(bob, at=utc(2026, 3, 11, 20))
    # 06:00 UTC on 12 March is still 11 March in Los Angeles: 9 and 10 March missed only.
    assert screen_missed_check_ins(utc(2026, 3, 12, 6)) == []
    (alert,) = screen_missed_check_ins(utc(2026, 3, 12, 9))  # 12 March there
    assert (alert.patient, alert.rule_id, alert.severity) == (alice, "missed_check_ins", "routine")
    assert alert.triggering_answers == {"last_check_in": "2026-03-08", "days_without": 3}


def test_it_never_raises_the_same_silence_twice_even_once_resolved(alice, carol, check_in):
    check_in(alice, at=utc(2026, 3, 8, 20))
    (alert,) = screen_missed_check_ins(utc(2026, 3, 12, 20))
    assert screen_missed_check_ins(utc(2026, 3, 13, 20)) == []
    resolve_alert(alert=alert, by=carol)
    assert screen_missed_check_ins(utc(2026, 3, 14, 20)) == []
    # A new silence after a new check-in is a new alert.
    check_in(alice, at=utc(2026, 3, 15, 20))
    assert len(screen_missed_check_ins(utc(2026, 3, 20, 20))) == 1
    assert Alert.objects.count() == 2


def test_patients_who_never_checked_in_are_left_alone(alice):
    assert screen_missed_check_ins(utc(2026, 3, 20, 20)) == []


def test_the_number_of_days_is_the_clinics(alice, riverside, check_in):
    SafetySettings.objects.create(clinic=riverside, missed_check_in_days=7)
    check_in(alice, at=utc(2026, 3, 1, 20))
    assert screen_missed_check_ins(utc(2026, 3, 8, 20)) == []  # 6 whole days
    assert len(screen_missed_check_ins(utc(2026, 3, 9, 20))) == 1
