"""An urgent alert reaches a person at once, by email, without waiting for escalation."""

from django.core import mail

from aftercare.safety.actions import acknowledge_alert
from aftercare.safety.models import Alert, AlertEvent
from aftercare.tracking.actions import submit_check_in

URGENT = {"mood": 2, "suicidal_thoughts": True}


def test_the_patients_clinician_is_emailed_when_an_urgent_alert_is_raised(
    alice, carol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_check_in(patient=alice, answers=URGENT)
    alert = Alert.objects.get(severity=Alert.Severity.URGENT)
    (message,) = mail.outbox
    assert message.to == [carol.email]
    assert message.subject == "[Urgent] New safety alert"
    assert f"/clinic/alerts/{alert.pk}/" in message.body
    assert "Alice" not in message.body + message.subject  # a link only, no health data
    note = AlertEvent.objects.get(alert=alert)
    assert note.text == f"Emailed {carol.email} when it was raised."


def test_no_new_alert_email_for_an_alert_already_acknowledged(
    alice, carol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_check_in(patient=alice, answers=URGENT)
        acknowledge_alert(alert=Alert.objects.get(), by=carol)
    assert mail.outbox == []
    assert not AlertEvent.objects.filter(kind=AlertEvent.Kind.NOTE).exists()


def test_without_a_clinician_every_active_staff_member_is_emailed(
    alice, carol, dana, django_capture_on_commit_callbacks
):
    alice.clinician = None
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit_check_in(patient=alice, answers=URGENT)
    assert sorted(mail.outbox[0].to) == sorted([carol.email, dana.email])


def test_a_high_alert_waits_for_the_list_and_escalation(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit_check_in(patient=alice, answers={"mood": 3, "anxiety": 10})
    assert Alert.objects.get().severity == Alert.Severity.HIGH
    assert mail.outbox == []


def test_a_mail_server_failure_never_fails_the_check_in(
    as_user, alice, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("aftercare.safety.notify.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(alice.user).post(
            "/me/check-in/", {"mood": "2", "suicidal_thoughts": "yes"}
        )
    assert response.status_code == 200  # the crisis screen
    assert Alert.objects.filter(severity=Alert.Severity.URGENT).count() == 1
