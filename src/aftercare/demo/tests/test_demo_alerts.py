"""The demo's alerts look like a clinic's: dated from the answers that raised them, the older
ones seen within the clinic's window and closed or still followed up, the newest waiting."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from aftercare.demo.alerts import STILL_OPEN
from aftercare.demo.load import load_demo_clinic
from aftercare.safety.models import Alert, AlertEvent
from aftercare.tracking.models import CheckIn, ScaleResponse

# Mid-afternoon in New York (as in test_load.py).
NOW = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)


@pytest.fixture
def alerts(db) -> list[Alert]:
    load_demo_clinic(seed=11, now=NOW)
    return list(Alert.objects.select_related("acknowledged_by").order_by("created_at"))


def source_time(alert: Alert) -> datetime:
    if alert.source_kind == Alert.Source.CHECK_IN:
        return CheckIn.objects.get(pk=alert.source_id).submitted_at
    return ScaleResponse.objects.get(pk=alert.source_id).taken_at


def test_each_alert_is_dated_from_the_answers_that_raised_it(alerts):
    from_answers = [a for a in alerts if a.source_kind != Alert.Source.ENGAGEMENT]
    assert len(from_answers) >= 5
    assert all(a.created_at == source_time(a) for a in from_answers)
    assert len({a.created_at for a in from_answers}) > len(from_answers) / 2
    assert all(a.created_at <= NOW for a in alerts)


def is_older(alert: Alert) -> bool:
    return alert.created_at < NOW - STILL_OPEN[Alert.Severity(alert.severity)]


def test_older_alerts_were_seen_in_time_and_the_newest_wait(alerts):
    older = [a for a in alerts if is_older(a)]
    newer = [a for a in alerts if not is_older(a)]
    assert older
    assert newer
    # No urgent alert is left unanswered from the evening before.
    assert all(a.severity != Alert.Severity.URGENT for a in newer)
    assert any(a.severity == Alert.Severity.URGENT for a in older)
    assert all(a.status == Alert.Status.OPEN for a in newer)
    for alert in older:
        assert alert.status != Alert.Status.OPEN
        assert alert.created_at < alert.acknowledged_at <= alert.ack_due_at
        assert alert.acknowledged_by.role != "patient"
    statuses = Counter(a.status for a in older)
    assert statuses[Alert.Status.RESOLVED] > statuses[Alert.Status.ACKNOWLEDGED] > 0


def test_the_history_says_what_the_care_team_did(alerts):
    resolved = [a for a in alerts if a.status == Alert.Status.RESOLVED]
    for alert in resolved:
        kinds = list(alert.events.order_by("at", "pk").values_list("kind", flat=True))
        assert kinds[0] == AlertEvent.Kind.ACKNOWLEDGE
        assert kinds[-1] == AlertEvent.Kind.RESOLVE
        assert alert.events.exclude(text="").exists()
        assert alert.resolved_at > alert.acknowledged_at
