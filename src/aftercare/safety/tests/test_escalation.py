"""Unacknowledged alerts escalate: on-call first, clinic admins one window later. Never twice."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
import time_machine
from conftest import utc
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, transaction

from aftercare.safety.actions import acknowledge_alert, raise_alerts
from aftercare.safety.escalation import escalate_due_alerts
from aftercare.safety.management.commands import sendalerts
from aftercare.safety.models import Alert, SafetySettings
from aftercare.safety.rules import Finding, Severity

T0 = utc(2026, 3, 12, 15)
MINUTE = timedelta(minutes=1)


def urgent_alert(patient, at=T0):
    (alert,) = raise_alerts(
        patient=patient,
        findings=[Finding("suicidal_thoughts", Severity.URGENT, {"suicidal_thoughts": True})],
        source_kind="check_in",
        source_id="1",
        now=at,
    )
    return alert


def on_call(clinic, email="oncall@riverside.example"):
    safety = SafetySettings.for_clinic(clinic)
    safety.on_call_email = email
    safety.save()


def run(at):
    with time_machine.travel(at, tick=False):
        return escalate_due_alerts()


def test_nothing_happens_before_the_deadline(alice, riverside, dana):
    on_call(riverside)
    urgent_alert(alice)
    assert run(T0 + 14 * MINUTE) == 0
    assert mail.outbox == []


def test_at_the_deadline_the_on_call_contact_is_emailed_once(alice, riverside, dana):
    on_call(riverside)
    alert = urgent_alert(alice)
    assert run(T0 + 15 * MINUTE) == 1
    (email,) = mail.outbox
    assert email.to == ["oncall@riverside.example"]
    assert f"/clinic/alerts/{alert.pk}/" in email.body
    assert "Alice" not in email.body + email.subject  # no patient details by email
    assert "Archer" not in email.body + email.subject
    assert run(T0 + 16 * MINUTE) == 0
    assert run(T0 + 20 * MINUTE) == 0
    assert len(mail.outbox) == 1
    alert.refresh_from_db()
    assert alert.escalation_level == 1
    (event,) = alert.events.all()
    assert event.kind == "escalate"
    assert "oncall@riverside.example" in event.text


def test_one_window_later_the_clinic_admins_are_emailed(alice, riverside, dana):
    on_call(riverside)
    urgent_alert(alice)
    run(T0 + 15 * MINUTE)
    assert run(T0 + 29 * MINUTE) == 0
    assert run(T0 + 30 * MINUTE) == 1
    assert [m.to for m in mail.outbox] == [["oncall@riverside.example"], ["dana@example.org"]]
    assert run(T0 + 3 * 60 * MINUTE) == 0  # two steps, then it stays on the list
    assert len(mail.outbox) == 2


def test_without_an_on_call_address_the_admins_are_first(alice, dana):
    urgent_alert(alice)
    run(T0 + 15 * MINUTE)
    assert [m.to for m in mail.outbox] == [["dana@example.org"]]


def test_without_an_on_call_address_step_2_reaches_the_clinicians_too(alice, carol, dana):
    # Step 1 went to the admins already: a second email to them alone would reach no one new.
    alert = urgent_alert(alice)
    run(T0 + 15 * MINUTE)
    run(T0 + 30 * MINUTE)
    assert [m.to for m in mail.outbox] == [["dana@example.org"], [dana.email, carol.email]]
    step_2 = alert.events.filter(kind="escalate").last()
    assert "No one else" not in step_2.text


def test_when_no_one_new_is_left_the_alert_history_says_what_to_set(alice, carol, dana):
    carol.is_active = False
    carol.save()
    alert = urgent_alert(alice)
    run(T0 + 15 * MINUTE)
    run(T0 + 30 * MINUTE)
    # Still sent (a reminder is better than silence), and the history says why it is the same.
    assert [m.to for m in mail.outbox] == [["dana@example.org"], ["dana@example.org"]]
    step_2 = alert.events.filter(kind="escalate").last()
    assert "No one else at the clinic to escalate to" in step_2.text
    assert "on-call email" in step_2.text


def test_acknowledged_alerts_do_not_escalate(alice, riverside, carol, dana):
    on_call(riverside)
    alert = urgent_alert(alice)
    with time_machine.travel(T0 + 14 * MINUTE, tick=False):
        acknowledge_alert(alert=alert, by=carol)
    assert run(T0 + 60 * MINUTE) == 0
    assert mail.outbox == []


def test_acknowledging_between_the_steps_stops_the_second(alice, riverside, carol, dana):
    on_call(riverside)
    alert = urgent_alert(alice)
    run(T0 + 15 * MINUTE)
    acknowledge_alert(alert=alert, by=carol)
    assert run(T0 + 60 * MINUTE) == 0
    assert len(mail.outbox) == 1


def test_after_downtime_every_due_step_is_taken_at_once(alice, bob, riverside, dana):
    on_call(riverside)
    urgent_alert(alice)
    urgent_alert(bob, at=T0 + 5 * MINUTE)
    assert run(T0 + 6 * 60 * MINUTE) == 4
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dana@example.org",
        "dana@example.org",
        "oncall@riverside.example",
        "oncall@riverside.example",
    ]
    assert run(T0 + 7 * 60 * MINUTE) == 0


def test_deadlines_follow_severity(alice, dana):
    raise_alerts(
        patient=alice,
        findings=[Finding("urinary_symptoms", Severity.ROUTINE)],
        source_kind="check_in",
        now=T0,
    )
    assert run(T0 + timedelta(days=2) - MINUTE) == 0
    assert run(T0 + timedelta(days=2)) == 1


@pytest.mark.parametrize(
    ("rule", "severity", "wait", "subject", "opening"),
    [
        ("suicidal_thoughts", Severity.URGENT, 15, "[Urgent]", "An urgent safety alert"),
        ("severe_anxiety", Severity.HIGH, 4 * 60, "[High]", "A high safety alert"),
        ("urinary_symptoms", Severity.ROUTINE, 2 * 24 * 60, "[Routine]", "A routine safety alert"),
    ],
)
def test_the_email_reads_correctly_for_each_severity(
    alice, riverside, dana, rule, severity, wait, subject, opening
):
    on_call(riverside)
    raise_alerts(patient=alice, findings=[Finding(rule, severity)], source_kind="check_in", now=T0)
    assert run(T0 + wait * MINUTE) == 1
    (email,) = mail.outbox
    waited = {15: "15 min", 4 * 60: "4 h", 2 * 24 * 60: "2 days"}[wait]
    assert email.subject == f"{subject} Safety alert not acknowledged for {waited}"
    assert email.body.startswith(
        f"{opening} at your clinic has not been acknowledged in time (escalation step 1 of 2)."
    )
    assert "A urgent" not in email.subject + email.body


def test_a_failed_email_is_retried_not_lost(alice, riverside, dana):
    on_call(riverside)
    alert = urgent_alert(alice)
    with mock.patch("aftercare.safety.escalation.send_mail", side_effect=OSError("smtp down")):
        assert run(T0 + 15 * MINUTE) == 0
    alert.refresh_from_db()
    assert alert.escalation_level == 0
    assert not alert.events.exists()
    assert run(T0 + 16 * MINUTE) == 1
    assert len(mail.outbox) == 1


def test_a_clinic_without_anyone_to_email_still_records_the_step(alice, bob):
    alert = urgent_alert(alice)
    assert run(T0 + 15 * MINUTE) == 1
    assert mail.outbox == []
    assert "nobody to email" in alert.events.get().text


def test_sendalerts_once_escalates_and_flags_missed_check_ins(alice, dana, check_in):
    check_in(alice, at=utc(2026, 3, 1, 20))
    urgent_alert(alice)
    out = StringIO()
    with time_machine.travel(T0 + 15 * MINUTE, tick=False):
        call_command("sendalerts", "--once", stdout=out)
    assert "escalated 1" in out.getvalue()
    assert "missed check-in alerts 1" in out.getvalue()
    with time_machine.travel(T0 + 16 * MINUTE, tick=False):
        call_command("sendalerts", "--once", stdout=out)
    assert len(mail.outbox) == 1
    assert Alert.objects.filter(rule_id="missed_check_ins").count() == 1


def test_each_step_has_its_own_message_id_and_a_repeat_keeps_it(alice, riverside, dana):
    # A repeat after a crash before the commit (docs/reliability.md) is the same message.
    on_call(riverside)
    alert = urgent_alert(alice)
    with transaction.atomic():
        run(T0 + 15 * MINUTE)
        transaction.set_rollback(True)  # the worker died before its commit
    run(T0 + 16 * MINUTE)
    run(T0 + 30 * MINUTE)
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    step1 = f"<alert.{alert.pk}.step.1@127.0.0.1>"
    assert ids == [step1, step1, f"<alert.{alert.pk}.step.2@127.0.0.1>"]


def test_a_failed_pass_does_not_end_sendalerts(alice, riverside, dana, monkeypatch):
    # A database restart makes one pass fail; the worker must keep escalating afterwards.
    on_call(riverside)
    urgent_alert(alice)
    real = sendalerts.escalate_due_alerts
    calls = []

    def flaky(now):
        calls.append(now)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(now)

    def sleep(seconds):
        if len(calls) == 2:
            raise KeyboardInterrupt  # how the loop is stopped by hand

    monkeypatch.setattr(sendalerts, "escalate_due_alerts", flaky)
    monkeypatch.setattr(sendalerts.time, "sleep", sleep)
    out = StringIO()
    with time_machine.travel(T0 + 15 * MINUTE, tick=False):
        call_command("sendalerts", stdout=out)
    assert len(calls) == 2
    assert "escalated 1" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["oncall@riverside.example"]]


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0 min"), (119, "119 min"), (120, "2 h"), (270, "4 h 30 min"), (1381, "23 h 1 min"),
     (48 * 60 - 1, "47 h 59 min"), (48 * 60, "2 days"), (5 * 24 * 60 + 600, "5 days")],
)  # fmt: skip
def test_how_long_an_alert_waited_reads_at_a_glance(minutes, text):
    from aftercare.safety.escalation import _duration

    assert _duration(minutes) == text
