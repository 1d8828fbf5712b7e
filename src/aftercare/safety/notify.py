"""An urgent alert is emailed the moment it is raised: to the patient's clinician, or, when
the patient has none (or theirs cannot sign in), to every active clinician and admin of the
clinic. Escalation (escalation.py) follows only if nobody acknowledges it in time.

Sent after the commit that stored the alert, so a patient's check-in never waits on or fails
with the mail server; a failed send is logged and escalation still runs. Emails carry no
health data: a link only. Each send is noted on the alert's history.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.urls import reverse
from django.utils import timezone

from aftercare.accounts.models import Role, User
from aftercare.core.mail import message_id, send_mail
from aftercare.safety.models import Alert, AlertEvent

log = logging.getLogger(__name__)


def _recipients(alert: Alert) -> list[str]:
    staff = User.objects.filter(
        clinic_id=alert.clinic_id, role__in=(Role.CLINICIAN, Role.ADMIN), is_active=True
    ).exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    if alert.owner_id is not None:
        owner = staff.filter(pk=alert.owner_id).values_list("email", flat=True).first()
        if owner:
            return [owner]
    return list(staff.exclude(email="").order_by("pk").values_list("email", flat=True))


def notify_raised(alert_ids: Sequence[int]) -> None:
    # An alert someone has already acknowledged by the time this runs needs no "new alert"
    # email (a batch of answers stored and worked through in one transaction, as the demo's).
    urgent = Alert.objects.filter(
        pk__in=alert_ids, severity=Alert.Severity.URGENT, status=Alert.Status.OPEN
    )
    for alert in urgent:
        recipients = _recipients(alert)
        if not recipients:
            continue
        url = settings.SITE_URL + reverse("alert_detail", args=[alert.pk])
        try:
            send_mail(
                "[Urgent] New safety alert",
                "An urgent safety alert was raised at your clinic just now.\n\n"
                f"Open it and acknowledge it: {url}\n\n"
                "This email contains no patient details on purpose.\n",
                None,
                recipients,
                message_id=message_id("alert", alert.pk, "raised"),
            )
        except Exception:  # the alert stands; escalation follows if nobody acknowledges it
            log.exception("Could not email the new urgent alert %s", alert.pk)
            continue
        AlertEvent.objects.create(
            alert=alert,
            kind=AlertEvent.Kind.NOTE,
            at=timezone.now(),
            text=f"Emailed {', '.join(recipients)} when it was raised.",
        )
