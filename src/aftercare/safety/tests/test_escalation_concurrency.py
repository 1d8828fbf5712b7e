"""Two sendalerts workers never take the same escalation step (PostgreSQL row locks)."""

import threading
from datetime import timedelta

import pytest
from conftest import utc
from django.core import mail
from django.db import connection, connections, transaction

from aftercare.safety.actions import raise_alerts
from aftercare.safety.escalation import escalate_due_alerts
from aftercare.safety.models import Alert
from aftercare.safety.rules import Finding, Severity

T0 = utc(2026, 3, 12, 15)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_an_alert_another_worker_holds_is_skipped_then_taken_once(alice, dana):
    (alert,) = raise_alerts(
        patient=alice,
        findings=[Finding("suicidal_thoughts", Severity.URGENT)],
        source_kind="check_in",
        now=T0,
    )
    # Emailed once when raised (safety/notify.py); what follows counts the escalations.
    assert [m.subject for m in mail.outbox] == ["[Urgent] New safety alert"]
    mail.outbox.clear()
    locked = threading.Event()
    release = threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                Alert.objects.select_for_update().get(pk=alert.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    worker = threading.Thread(target=other_worker)
    worker.start()
    assert locked.wait(10)
    try:
        assert escalate_due_alerts(T0 + timedelta(minutes=15)) == 0  # skipped, not blocked
    finally:
        release.set()
        worker.join(10)
    assert escalate_due_alerts(T0 + timedelta(minutes=15)) == 1
    assert escalate_due_alerts(T0 + timedelta(minutes=16)) == 0
    assert len(mail.outbox) == 1
