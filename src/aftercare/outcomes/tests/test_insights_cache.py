"""The dashboard reuses a patient's insights while their data is unchanged, never stale ones."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.models import Patient
from aftercare.insights.definitions import DEFAULT_DEFINITIONS
from aftercare.outcomes import selectors
from aftercare.outcomes.tests.helpers import NOW, fading, give_history, local
from aftercare.tracking.actions import submit_check_in

pytestmark = pytest.mark.django_db


def _insights(now=NOW):
    return selectors.insights_for_patients(
        Patient.objects.order_by("pk"), now=now, definitions=DEFAULT_DEFINITIONS, minimal=True
    )


@pytest.fixture
def histories(alice, bob, carol):
    with time_machine.travel(NOW, tick=False):
        give_history(alice, by=carol, mood=fading, phq9=[(0, 20, 2), (26, 8, 0)])
        give_history(bob, by=carol, mood=lambda d: 4)
    selectors._RESULTS.clear()
    return alice, bob


def test_it_reuses_the_insights_of_patients_whose_data_did_not_change(histories):
    first = _insights()
    with CaptureQueriesContext(connection) as queries:
        again = _insights()
    assert [a is b for a, b in zip(first, again, strict=True)] == [True, True]
    assert len(queries) == 5  # the data is still read each time: only the analysis is reused


def test_new_data_or_another_day_gives_fresh_insights(histories):
    alice, _bob = histories
    first = _insights()
    with time_machine.travel(NOW, tick=False):
        submit_check_in(
            patient=alice,
            answers={"mood": 1, "suicidal_thoughts": False},
            submitted_at=local(alice, 60, 21),
        )
    changed = _insights()
    by_id = {i.patient_id: (a, i) for a, i in zip(first, changed, strict=True)}
    old, new = by_id[str(alice.pk)]
    assert old is not new
    assert old.trajectory.recent != new.trajectory.recent
    others = [pair for pid, pair in by_id.items() if pid != str(alice.pk)]
    assert all(a is b for a, b in others)
    later = _insights(NOW + timedelta(days=1))
    assert all(a is not b for a, b in zip(changed, later, strict=True))


def test_the_cache_stays_bounded(histories, monkeypatch):
    monkeypatch.setattr(selectors, "RESULTS_MAX", 1)
    _insights()
    assert len(selectors._RESULTS) == 1
