"""The reminder job: find reminders that are due and send each exactly once.

Idempotence comes from the database, not from the job's memory: a ``ReminderSent`` row, unique
per (patient, local date), is written in the same transaction as the decision to send and the
send itself. If sending fails, the row rolls back and the next round tries again. On PostgreSQL
each patient's preference row is locked with SKIP LOCKED, so several workers share the work
without waiting on each other; on SQLite the write transaction (IMMEDIATE mode) serialises them.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftercare.accounts.models import Patient
from aftercare.audit.actions import record
from aftercare.core.mail import message_id, send_mail
from aftercare.reminders import schedule, tokens
from aftercare.reminders.actions import preferences_for
from aftercare.reminders.models import DEFAULTS, ReminderPreference, ReminderSent
from aftercare.tracking.models import CheckIn

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = 60

SENT = "sent"
NOT_DUE = "not due"
ALREADY_SENT = "already sent"
CHECKED_IN = "already checked in"
BUSY = "handled by another worker"
FAILED = "failed"


def reachable_patients() -> QuerySet[Patient]:
    """Patients who can receive a reminder: an active login with a password they chose.

    A patient whose invitation is still pending has no usable password, and a link in a
    reminder would let them in without ever setting one: they get no reminders.
    """
    last_sent = ReminderSent.objects.filter(patient=OuterRef("pk")).order_by("-sent_at")
    return (
        Patient.objects.filter(user__is_active=True)
        .exclude(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .exclude(user__password="")
        .filter(Q(reminder_preference__isnull=True) | Q(reminder_preference__enabled=True))
        .select_related("reminder_preference")
        .annotate(last_sent_at=Subquery(last_sent.values("sent_at")[:1]))
        .order_by("pk")
    )


def _preferences(patient: Patient) -> schedule.Preferences:
    try:
        return patient.reminder_preference.as_schedule()
    except ReminderPreference.DoesNotExist:
        return DEFAULTS


def send_due_reminders(now: datetime | None = None) -> Counter[str]:
    """One round: send every reminder due at ``now``. Returns how many patients ended how."""
    now = now or timezone.now()
    outcomes: Counter[str] = Counter()
    for patient in reachable_patients().iterator(chunk_size=500):
        last_sent_at = patient.last_sent_at  # type: ignore[attr-defined]
        due = schedule.due_reminders(_preferences(patient), patient.tz, last_sent_at, now)
        if not due:
            outcomes[NOT_DUE] += 1
            continue
        try:
            outcomes[_send(patient, now)] += 1
        except Exception:
            logger.exception("Reminder to patient %s failed; retrying next round", patient.pk)
            outcomes[FAILED] += 1
    return outcomes


def _send(patient: Patient, now: datetime) -> str:
    # The preference row is what workers lock, so it must exist first.
    preferences_for(patient)
    with transaction.atomic():
        preference = (
            ReminderPreference.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("patient__user", "patient__clinic")
            .filter(patient_id=patient.pk)
            .first()
        )
        if preference is None:
            return BUSY
        patient = preference.patient
        # Decide again under the lock: the patient may have changed their settings meanwhile.
        last = patient.reminders_sent.order_by("-sent_at").first()
        due = schedule.due_reminders(
            preference.as_schedule(), patient.tz, last.sent_at if last else None, now
        )
        if not due:
            today = now.astimezone(patient.tz).date()
            return ALREADY_SENT if last and last.local_date == today else NOT_DUE
        reminder = due[0]
        if CheckIn.objects.filter(patient=patient, local_date=reminder.local_date).exists():
            return CHECKED_IN
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    patient=patient,
                    local_date=reminder.local_date,
                    scheduled_for=reminder.send_at,
                    sent_at=now,
                    channel=preference.channel,
                )
        except IntegrityError:
            return ALREADY_SENT
        record(
            None,
            action="create",
            what="check-in reminder",
            patient=patient,
            object_id=reminder.local_date.isoformat(),
        )
        # Last thing before the commit, so that a crash can only repeat a send (at least once,
        # docs/reliability.md); if the mail server refuses, the rows above are rolled back.
        _email(patient, reminder)
    return SENT


def check_in_link(patient: Patient, reminder: schedule.Reminder) -> str:
    token = tokens.make_token(patient, reminder.local_date)
    return settings.SITE_URL + reverse("reminder_link", args=[token])


def _email(patient: Patient, reminder: schedule.Reminder) -> None:
    context = {
        "patient": patient,
        "clinic": patient.clinic,
        "url": check_in_link(patient, reminder),
        "settings_url": settings.SITE_URL + reverse("reminder_preferences"),
        "hours": tokens.max_age() // 3600,
    }
    with translation.override(settings.LANGUAGE_CODE), timezone.override(patient.tz):
        subject = _("Your daily check-in")
        body = render_to_string("reminders/email/reminder.txt", context)
    send_mail(
        subject,
        body,
        None,
        [patient.user.email],
        message_id=message_id("reminder", patient.pk, f"{reminder.local_date:%Y%m%d}"),
    )


def run(
    *,
    once: bool = False,
    interval: float = INTERVAL_SECONDS,
    report: Callable[[datetime, Counter[str]], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Send due reminders now, then (unless ``once``) again every ``interval`` seconds."""
    stop = stop or threading.Event()
    while True:
        if not connection.in_atomic_block:  # (tests run inside one)
            # A long-running process must drop connections the database has closed meanwhile.
            close_old_connections()
        started = timezone.now()
        try:
            outcomes = send_due_reminders(started)
        except Exception:
            # A database hiccup must not end the loop: the next round catches up.
            logger.exception("Reminder round failed")
            outcomes = Counter({FAILED: 1})
        if report is not None:
            report(started, outcomes)
        if once:
            return
        elapsed = (timezone.now() - started).total_seconds()
        if stop.wait(max(0.0, interval - elapsed)):
            return


_started: threading.Thread | None = None
_start_lock = threading.Lock()


def start_background_jobs(interval: float = INTERVAL_SECONDS) -> threading.Thread:
    """Run the reminder loop in a daemon thread of this process (for the demo server).

    Safe to call more than once: only the first call starts a thread.
    """
    global _started
    with _start_lock:
        if _started is None or not _started.is_alive():
            _started = threading.Thread(
                target=run,
                kwargs={"interval": interval, "report": _log_round},
                name="aftercare-reminders",
                daemon=True,
            )
            _started.start()
        return _started


def _log_round(started: datetime, outcomes: Counter[str]) -> None:
    if outcomes[SENT] or outcomes[FAILED]:
        logger.info("Reminders at %s: %s", started.isoformat(timespec="seconds"), summary(outcomes))


def summary(outcomes: Counter[str]) -> str:
    checked = sum(outcomes.values())
    return (
        f"{checked} patients checked, {outcomes[SENT]} sent, "
        f"{outcomes[CHECKED_IN]} skipped (already checked in), "
        f"{outcomes[ALREADY_SENT]} already sent, {outcomes[BUSY]} taken by another worker, "
        f"{outcomes[FAILED]} failed"
    )
