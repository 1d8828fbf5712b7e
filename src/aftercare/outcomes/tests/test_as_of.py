"""Insights as of an earlier moment: what was recorded later is left out, never a crash."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from aftercare.insights.definitions import DEFAULT_DEFINITIONS
from aftercare.outcomes import memory
from aftercare.outcomes.selectors import insights_for_patients
from aftercare.outcomes.tests.helpers import NOW, fading, give_history
from aftercare.treatment.actions import schedule_course
from aftercare.treatment.models import Infusion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("days_before", [0, 1, 20, 45, 59, 61, 100])
def test_insights_as_of_an_earlier_day_ignore_later_records(alice, carol, days_before):
    with time_machine.travel(NOW, tick=False):
        give_history(alice, by=carol, mood=fading, phq9=[(0, 20, 2), (26, 8, 0), (50, 12, 0)])
    memory.clear()
    then = NOW - timedelta(days=days_before)
    (insight,) = insights_for_patients(
        [alice], now=then, definitions=DEFAULT_DEFINITIONS, detail=True
    )
    assert insight.today == then.astimezone(alice.tz).date()
    last = insight.trajectory.last_check_in
    assert last is None or last <= insight.today


def test_an_infusion_booked_for_after_the_day_counts_as_planned_then_even_once_given(alice, carol):
    # Three infusions in early May, the fourth booked for 10 June and given that day. As of
    # 31 May (over two weeks after the third) the series was waiting for a booked session,
    # not dropped; today all four are done.
    may = datetime(2026, 5, 4, 16, 0, tzinfo=UTC)
    times = [
        may,
        may + timedelta(days=2),
        may + timedelta(days=4),
        datetime(2026, 6, 10, 16, tzinfo=UTC),
    ]
    with time_machine.travel(may - timedelta(days=1), tick=False):
        course = schedule_course(patient=alice, by=carol, kind="induction", times=times, route="iv")
    for infusion in course.infusions.order_by("scheduled_at"):
        infusion.status = Infusion.Status.COMPLETED
        infusion.started_at = infusion.scheduled_at
        infusion.ended_at = infusion.scheduled_at + timedelta(minutes=40)
        infusion.save()
    memory.clear()
    end_of_may = datetime(2026, 5, 31, 23, 0, tzinfo=UTC)
    (then,) = insights_for_patients([alice], now=end_of_may, definitions=DEFAULT_DEFINITIONS)
    assert (then.induction.status, then.induction.done) == ("in_progress", 3)
    (now,) = insights_for_patients(
        [alice], now=datetime(2026, 6, 20, tzinfo=UTC), definitions=DEFAULT_DEFINITIONS
    )
    assert (now.induction.status, now.induction.done) == ("completed", 4)
    # Cancelled instead, it was still booked on 31 May; but when it was cancelled is not
    # recorded, so it does not count as planned then (the series shows as dropped).
    last = course.infusions.order_by("scheduled_at").last()
    last.status, last.started_at, last.ended_at = Infusion.Status.CANCELLED, None, None
    last.save()
    memory.clear()
    (then,) = insights_for_patients([alice], now=end_of_may, definitions=DEFAULT_DEFINITIONS)
    assert (then.induction.status, then.induction.done) == ("dropped_out", 3)
