"""The reminder job. Alice lives in Los Angeles (19:00 PDT = 02:00 UTC the next day), Bob in
New York (19:00 EDT = 23:00 UTC). Default settings: 19:00 every day, quiet 22:00–08:00."""

import re
import threading
from datetime import UTC, datetime, time
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from aftercare.accounts.actions import create_patient
from aftercare.audit.models import AuditEvent
from aftercare.reminders import jobs
from aftercare.reminders.actions import preferences_for, update_preferences
from aftercare.reminders.models import ReminderSent
from aftercare.tracking.actions import submit_check_in


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC)


def sent_to(email: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [email]]


def set_preferences(patient, **changes):
    preference = preferences_for(patient)
    fields = {
        "enabled": preference.enabled,
        "time_of_day": preference.time_of_day,
        "quiet_start": preference.quiet_start,
        "quiet_end": preference.quiet_end,
        "weekdays": preference.weekdays,
        "channel": preference.channel,
    }
    return update_preferences(patient=patient, actor=patient.user, **{**fields, **changes})


def test_it_sends_one_reminder_with_a_one_tap_link(alice):
    outcomes = jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    assert outcomes[jobs.SENT] == 1
    [message] = sent_to("alice@example.org")
    assert message.subject == "Your daily check-in"
    assert re.search(r"http://127\.0\.0\.1:8000/r/[^/\s]+/", message.body)
    assert "Hello Alice" in message.body
    assert "988" in message.body
    row = ReminderSent.objects.get(patient=alice)
    assert str(row.local_date) == "2026-05-04"
    assert row.scheduled_for == at("2026-05-05T02:00Z")
    assert AuditEvent.objects.filter(patient=alice, what="check-in reminder").count() == 1


def test_a_second_run_sends_nothing(alice):
    jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    outcomes = jobs.send_due_reminders(at("2026-05-05T02:01Z"))
    assert outcomes[jobs.SENT] == 0
    assert len(sent_to("alice@example.org")) == 1
    assert ReminderSent.objects.filter(patient=alice).count() == 1


def test_the_next_day_sends_again(alice):
    jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    jobs.send_due_reminders(at("2026-05-06T02:00Z"))
    assert len(sent_to("alice@example.org")) == 2


def test_nothing_before_the_time(alice):
    assert jobs.send_due_reminders(at("2026-05-05T01:59Z"))[jobs.SENT] == 0
    assert mail.outbox == []


def test_it_catches_up_after_downtime_the_same_evening(alice):
    # The job was down at 19:00 and comes back at 21:00 Los Angeles time.
    jobs.send_due_reminders(at("2026-05-05T04:00Z"))
    assert len(sent_to("alice@example.org")) == 1


def test_it_does_not_catch_up_during_quiet_hours_or_on_later_days(alice):
    jobs.send_due_reminders(at("2026-05-05T06:00Z"))  # 23:00: quiet
    jobs.send_due_reminders(at("2026-05-05T16:00Z"))  # 09:00 the next day: yesterday is gone
    assert mail.outbox == []
    jobs.send_due_reminders(at("2026-05-06T02:00Z"))  # 19:00: today's reminder
    assert len(sent_to("alice@example.org")) == 1


def test_a_time_inside_quiet_hours_arrives_when_they_end(alice):
    set_preferences(alice, time_of_day=time(23, 30))
    jobs.send_due_reminders(at("2026-05-05T06:30Z"))  # 23:30 Monday
    assert mail.outbox == []
    jobs.send_due_reminders(at("2026-05-05T15:00Z"))  # 08:00 Tuesday
    assert len(sent_to("alice@example.org")) == 1
    assert str(ReminderSent.objects.get(patient=alice).local_date) == "2026-05-05"


def test_on_the_spring_forward_day_it_is_still_19_00_local(bob):
    # 8 March 2026: New York moves from UTC-5 to UTC-4.
    jobs.send_due_reminders(at("2026-03-07T23:30Z"))  # 18:30 EST on the 7th: not yet
    assert mail.outbox == []
    jobs.send_due_reminders(at("2026-03-08T00:00Z"))  # 19:00 EST on the 7th
    jobs.send_due_reminders(at("2026-03-08T22:59Z"))  # 18:59 EDT on the 8th: not yet
    assert len(sent_to("bob@example.org")) == 1
    jobs.send_due_reminders(at("2026-03-08T23:00Z"))  # 19:00 EDT on the 8th
    assert len(sent_to("bob@example.org")) == 2
    days = sorted(str(d) for d in ReminderSent.objects.values_list("local_date", flat=True))
    assert days == ["2026-03-07", "2026-03-08"]


def test_a_repeated_hour_sends_once(bob):
    set_preferences(bob, time_of_day=time(1, 30), quiet_start=None, quiet_end=None)
    # 1 November 2026: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    jobs.send_due_reminders(at("2026-11-01T05:30Z"))
    jobs.send_due_reminders(at("2026-11-01T06:30Z"))
    assert len(sent_to("bob@example.org")) == 1


def test_a_patient_who_already_checked_in_today_gets_nothing(alice):
    submit_check_in(patient=alice, answers={"mood": 6}, submitted_at=at("2026-05-04T20:00Z"))
    outcomes = jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    assert outcomes[jobs.CHECKED_IN] == 1
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_yesterdays_check_in_does_not_count_for_today(alice):
    submit_check_in(patient=alice, answers={"mood": 6}, submitted_at=at("2026-05-04T02:30Z"))
    jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    assert len(sent_to("alice@example.org")) == 1


def test_a_patient_who_turned_reminders_off_gets_nothing(alice):
    set_preferences(alice, enabled=False)
    jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    assert mail.outbox == []


def test_only_the_chosen_days(alice):
    set_preferences(alice, weekdays="0")  # Mondays; 5 May 2026 (local 4 May) is a Monday
    jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    jobs.send_due_reminders(at("2026-05-06T02:00Z"))
    assert len(sent_to("alice@example.org")) == 1


def test_a_patient_whose_invitation_is_pending_gets_nothing(riverside):
    create_patient(
        clinic=riverside,
        email="nora@example.org",
        first_name="Nora",
        last_name="New",
        timezone="America/Los_Angeles",
    )
    jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    assert mail.outbox == []


def test_a_deactivated_patient_gets_nothing(alice):
    alice.user.is_active = False
    alice.user.save()
    jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    assert mail.outbox == []


def test_a_failed_send_is_rolled_back_and_retried(alice, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(jobs, "send_mail", refuse)
    outcomes = jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    assert outcomes[jobs.FAILED] == 1
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    jobs.send_due_reminders(at("2026-05-05T02:01Z"))
    assert len(sent_to("alice@example.org")) == 1


def test_one_patients_failure_does_not_stop_the_others(alice, bob, monkeypatch):
    real = jobs.send_mail

    def refuse_alice(subject, body, sender, to, **kwargs):
        if to == ["alice@example.org"]:
            raise ConnectionRefusedError("mailbox unavailable")
        return real(subject, body, sender, to, **kwargs)

    monkeypatch.setattr(jobs, "send_mail", refuse_alice)
    set_preferences(bob, quiet_start=None, quiet_end=None)  # 22:00 in New York is fine for Bob
    outcomes = jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    assert (outcomes[jobs.SENT], outcomes[jobs.FAILED]) == (1, 1)
    assert len(sent_to("bob@example.org")) == 1


def test_the_database_refuses_a_second_reminder_for_the_same_day(alice):
    jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    row = ReminderSent.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderSent.objects.create(
            patient=alice,
            local_date=row.local_date,
            scheduled_for=row.scheduled_for,
            sent_at=row.sent_at,
        )


def test_a_worker_that_lost_the_race_sends_nothing(alice):
    # Another worker sent while this one was deciding: the decision is re-made under the lock.
    jobs.send_due_reminders(at("2026-05-05T02:00Z"))
    assert jobs._send(alice, at("2026-05-05T02:00Z")) == jobs.ALREADY_SENT
    assert len(mail.outbox) == 1


def test_the_command_runs_once_and_prints_counts(alice, bob):
    out = StringIO()
    with time_machine.travel("2026-05-05 02:00Z", tick=False):
        call_command("sendreminders", "--once", stdout=out)
        call_command("sendreminders", "--once", stdout=out)
    first, second = out.getvalue().strip().splitlines()
    assert "2 patients checked, 1 sent" in first
    assert "0 sent" in second
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_zero_interval(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="interval"):
        call_command("sendreminders", "--interval", "0")


def test_the_loop_runs_until_stopped(alice):
    stop = threading.Event()
    rounds = []

    def report(started, outcomes):
        rounds.append(outcomes)
        stop.set()

    with time_machine.travel("2026-05-05 02:00Z", tick=False):
        jobs.run(interval=0.01, report=report, stop=stop)
    assert len(rounds) == 1
    assert rounds[0][jobs.SENT] == 1


def test_the_loop_survives_a_failing_round(monkeypatch, db):
    calls = []
    stop = threading.Event()

    def broken(now):
        calls.append(now)
        if len(calls) == 2:
            stop.set()
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs, "send_due_reminders", broken)
    jobs.run(interval=0.001, stop=stop)
    assert len(calls) == 2


def test_background_jobs_start_one_daemon_thread(monkeypatch):
    started = threading.Event()
    release = threading.Event()

    def fake_run(**kwargs):
        started.set()
        release.wait(5)

    monkeypatch.setattr(jobs, "run", fake_run)
    monkeypatch.setattr(jobs, "_started", None)
    thread = jobs.start_background_jobs()
    try:
        assert started.wait(5)
        assert thread.daemon
        assert jobs.start_background_jobs() is thread
    finally:
        release.set()
        thread.join(5)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(riverside):
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; concurrent workers are a PostgreSQL setup")
    for i in range(20):
        create_patient(
            clinic=riverside,
            email=f"p{i}@example.org",
            first_name="P",
            last_name=str(i),
            timezone="America/Los_Angeles",
            password="correct-horse-battery",
        )
    start = threading.Barrier(2)
    results = []

    def worker():
        try:
            start.wait(5)
            results.append(jobs.send_due_reminders(at("2026-05-05T02:00Z")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(r[jobs.SENT] for r in results) == 20
    assert sum(r[jobs.FAILED] for r in results) == 0
    assert len(mail.outbox) == 20
    assert ReminderSent.objects.count() == 20


def test_a_reminder_resent_after_a_crash_carries_the_same_message_id(alice):
    # A worker killed between the mail server's acceptance and its commit sends the reminder
    # again on restart (at least once, docs/reliability.md): the copy must be recognisable.
    with transaction.atomic():
        jobs.send_due_reminders(at("2026-05-05T02:00Z"))
        transaction.set_rollback(True)  # the commit that never happened
    jobs.send_due_reminders(at("2026-05-05T02:01Z"))
    first, again = sent_to("alice@example.org")
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"] == f"<reminder.{alice.pk}.20260504@127.0.0.1>"
    assert ReminderSent.objects.filter(patient=alice).count() == 1
