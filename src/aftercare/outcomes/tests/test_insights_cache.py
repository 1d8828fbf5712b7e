"""The dashboard reuses a patient's data and insights while they are unchanged, never stale ones."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.models import Patient
from aftercare.insights.definitions import DEFAULT_DEFINITIONS
from aftercare.outcomes import memory, selectors, stamps
from aftercare.outcomes.models import DataStamp
from aftercare.outcomes.tests.helpers import NOW, local
from aftercare.tracking.actions import submit_check_in
from aftercare.tracking.models import CheckIn
from aftercare.treatment.models import Infusion

pytestmark = pytest.mark.django_db


def _insights(now=NOW):
    return selectors.insights_for_patients(
        Patient.objects.order_by("pk"), now=now, definitions=DEFAULT_DEFINITIONS, minimal=True
    )


def _statements(queries) -> list[str]:
    """The SQL run, without the savepoint around the write of the kept rows."""
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_it_reuses_the_insights_of_patients_whose_data_did_not_change(histories):
    first = _insights()
    with CaptureQueriesContext(connection) as queries:
        again = _insights()
    assert [a is b for a, b in zip(first, again, strict=True)] == [True, True]
    assert len(queries) == 1  # only the patients' data stamps are read again


def test_new_data_or_another_day_gives_fresh_insights(histories):
    alice, _bob = histories
    first = _insights()
    with time_machine.travel(NOW, tick=False):
        submit_check_in(
            patient=alice,
            answers={"mood": 1, "suicidal_thoughts": False},
            submitted_at=local(alice, 60, 9),
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


def test_the_cache_stays_bounded(histories, settings):
    settings.PATIENT_MEMORY = 1
    _insights()
    assert len(memory._ENTRIES) == 1


def test_a_patient_with_new_data_is_read_again_and_the_others_are_not(histories):
    alice, bob = histories
    _insights()
    CheckIn.objects.filter(patient=alice).order_by("-submitted_at").first().delete()
    with CaptureQueriesContext(connection) as queries:
        changed = _insights()
    # The stamps, Alice's kept row (stale), the four reads of the loader, her stamp checked
    # again and her row written back, for Alice only.
    assert len(_statements(queries)) == 8
    loaded = " ".join(_statements(queries)[1:])
    assert alice.pk.hex in loaded or str(alice.pk) in loaded
    assert bob.pk.hex not in loaded
    assert str(bob.pk) not in loaded
    by_id = {i.patient_id: i for i in changed}
    assert by_id[str(alice.pk)].trajectory.last_check_in < NOW.date()


def test_a_scheduled_infusion_coming_due_ends_the_reuse(histories, carol):
    alice, _bob = histories
    due = NOW + timedelta(hours=2)
    with time_machine.travel(NOW, tick=False):
        Infusion.objects.create(
            patient=alice, status=Infusion.Status.SCHEDULED, scheduled_at=due, route="iv"
        )
    before = {i.patient_id: i for i in _insights()}
    with CaptureQueriesContext(connection) as queries:
        same = {i.patient_id: i for i in _insights(NOW + timedelta(hours=1))}
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        after = {i.patient_id: i for i in _insights(due + timedelta(minutes=1))}
    assert len(_statements(queries)) == 8  # stamps, kept row, loader, stamp again, row written
    assert same[str(alice.pk)] is before[str(alice.pk)]
    assert after[str(alice.pk)] is not before[str(alice.pk)]


def test_patients_without_a_stamp_are_always_read_afresh(histories):
    DataStamp.objects.all().delete()  # as after writes that bypass the model signals
    first = _insights()
    with CaptureQueriesContext(connection) as queries:
        again = _insights()
    assert len(queries) == 5
    assert all(a is not b for a, b in zip(first, again, strict=True))


def test_a_clock_set_back_reads_afresh(histories):
    later = _insights(NOW + timedelta(hours=3))
    earlier = _insights(NOW)
    assert all(a is not b for a, b in zip(later, earlier, strict=True))


def test_bulk_writes_that_touch_the_stamp_are_seen(histories):
    alice, _bob = histories
    first = {i.patient_id: i for i in _insights()}
    CheckIn.objects.filter(patient=alice).update(mood=1)  # no signal
    stamps.touch([alice.pk])
    again = {i.patient_id: i for i in _insights()}
    assert again[str(alice.pk)] is not first[str(alice.pk)]
    assert again[str(alice.pk)].trajectory.recent < first[str(alice.pk)].trajectory.recent
