"""Alerts nobody acknowledged in time go to more people (run by `aftercare sendalerts`).

Step 1, at the acknowledgement deadline: the clinic's on-call email (SafetySettings), or the
clinic admins when there is none. Step 2, one more acknowledgement window later: the clinic
admins, and every clinician too when the admins already had step 1 (so that the step reaches
someone new; when there is no one new, the alert's history says so). After downtime every step
that came due is taken at once (catching up).

Each step is claimed and sent inside one transaction that holds the alert's row lock
(select_for_update(skip_locked=True) on PostgreSQL; SQLite serialises writers with BEGIN
IMMEDIATE): two workers never send the same step, and a failed send rolls back so the step is
tried again on the next pass instead of being lost. Emails carry no health data: a link only.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aftercare.accounts.models import Role, User
from aftercare.audit.actions import record
from aftercare.core.mail import message_id, send_mail
from aftercare.safety.models import Alert, AlertEvent, SafetySettings

log = logging.getLogger(__name__)

LAST_LEVEL = 2

# Spelled out per severity: "an urgent", not "a urgent" (the article follows the sound).
OPENING = {
    Alert.Severity.URGENT: "An urgent",
    Alert.Severity.HIGH: "A high",
    Alert.Severity.ROUTINE: "A routine",
}


def _admin_emails(clinic_id: int) -> list[str]:
    return list(
        User.objects.filter(clinic_id=clinic_id, role=Role.ADMIN, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _clinician_emails(clinic_id: int) -> list[str]:
    """Active clinicians who can sign in (an invitation not yet accepted cannot act on a link)."""
    return list(
        User.objects.filter(clinic_id=clinic_id, role=Role.CLINICIAN, is_active=True)
        .exclude(email="")
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _recipients(alert: Alert, level: int, safety: SafetySettings) -> list[str]:
    if level == 1:
        return [safety.on_call_email] if safety.on_call_email else _admin_emails(alert.clinic_id)
    admins = _admin_emails(alert.clinic_id)
    if safety.on_call_email:
        return admins
    # The admins had step 1 already: step 2 must reach someone new, so every clinician too.
    return admins + [e for e in _clinician_emails(alert.clinic_id) if e not in admins]


def _step_text(level: int, recipients: list[str], earlier: list[str]) -> str:
    if not recipients:
        return f"Escalation step {level}: nobody to email (no on-call address, no clinic admin)."
    text = f"Escalation step {level}: emailed {', '.join(recipients)}."
    if earlier and set(recipients) <= set(earlier):
        text += (
            " No one else at the clinic to escalate to: set an on-call email in Safety settings."
        )
    return text


def _duration(minutes: int) -> str:
    """15 min, 4 h, 4 h 30 min, 2 days: read at a glance in an inbox (1381 min was not)."""
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return f"{minutes // (24 * 60)} days"


def _send(alert: Alert, level: int, recipients: list[str], now: datetime) -> None:
    url = settings.SITE_URL + reverse("alert_detail", args=[alert.pk])
    waited = _duration(int((now - alert.created_at).total_seconds() // 60))
    subject = f"[{alert.get_severity_display()}] Safety alert not acknowledged for {waited}"
    body = (
        f"{OPENING[Alert.Severity(alert.severity)]} safety alert at your clinic has not been "
        f"acknowledged in time (escalation step {level} of {LAST_LEVEL}).\n\n"
        f"Open it and acknowledge it: {url}\n\n"
        "This email contains no patient details on purpose.\n"
    )
    send_mail(
        subject, body, None, recipients, message_id=message_id("alert", alert.pk, "step", level)
    )


def _escalate(alert: Alert, now: datetime) -> None:
    level = alert.escalation_level + 1
    safety = SafetySettings.for_clinic(alert.clinic_id)
    recipients = _recipients(alert, level, safety)
    earlier = _recipients(alert, level - 1, safety) if level > 1 else []
    text = _step_text(level, recipients, earlier)
    alert.escalation_level = level
    alert.next_escalation_at = (
        alert.ack_due_at + safety.ack_window(alert.severity) if level < LAST_LEVEL else None
    )
    alert.save(update_fields=["escalation_level", "next_escalation_at"])
    AlertEvent.objects.create(alert=alert, kind=AlertEvent.Kind.ESCALATE, at=now, text=text)
    record(
        None,
        action="update",
        what="safety alert escalate",
        patient=alert.patient,
        object_id=alert.pk,
    )
    # Last, so a failed send rolls the step back and it is tried again.
    if recipients:
        _send(alert, level, recipients, now)


def escalate_due_alerts(now: datetime | None = None) -> int:
    """Take every escalation step that is due; return how many were taken."""
    now = now or timezone.now()
    taken = 0
    failed: set[int] = set()
    while True:
        claimed: int | None = None
        try:
            with transaction.atomic():
                alert = (
                    Alert.objects.select_for_update(skip_locked=True)
                    .filter(
                        status=Alert.Status.OPEN,
                        escalation_level__lt=LAST_LEVEL,
                        next_escalation_at__lte=now,
                    )
                    .exclude(pk__in=failed)
                    .order_by("next_escalation_at", "pk")
                    .first()
                )
                if alert is None:
                    return taken
                claimed = alert.pk
                # No savepoint: the send is followed only by the commit, which keeps the
                # window in which a crash repeats it as short as it can be (at least once,
                # docs/reliability.md).
                _escalate(alert, now)
        except Exception:
            if claimed is None:
                raise
            log.exception("Escalating alert %s failed; will retry on the next pass", claimed)
            failed.add(claimed)
            continue
        taken += 1
