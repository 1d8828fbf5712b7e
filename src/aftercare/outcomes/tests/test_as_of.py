"""Insights as of an earlier moment: what was recorded later is left out, never a crash."""

from datetime import timedelta

import pytest
import time_machine

from aftercare.insights.definitions import DEFAULT_DEFINITIONS
from aftercare.outcomes import memory
from aftercare.outcomes.selectors import insights_for_patients
from aftercare.outcomes.tests.helpers import NOW, fading, give_history

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
