"""A patient being dosed right now is "in session" everywhere, not still "day 1 after" the
infusion before: on the patient list (and its filter), in the course count and on their own
page, until the nurse records the end."""

from datetime import timedelta

import pytest
import time_machine
from conftest import utc

from aftercare.guidance.companion import companion_for
from aftercare.guidance.phases import Phase
from aftercare.treatment import actions
from aftercare.treatment.models import Course, Route
from aftercare.treatment.tests.records import run_until_end, start_dosing

YESTERDAY = utc(2026, 3, 9, 15)  # 11:00 in New York
NOW = utc(2026, 3, 10, 15, 30)  # 11:30 in New York, 20 minutes into the second infusion


@pytest.fixture
def dosing(alice, carol):
    """Alice: infusion 1 of 2 yesterday; infusion 2 started at 11:10 today, no end yet."""
    course = actions.schedule_course(
        patient=alice,
        by=carol,
        kind=Course.Kind.INDUCTION,
        times=[YESTERDAY, NOW - timedelta(minutes=30)],
        route=Route.IV,
    )
    first, second = course.infusions.order_by("scheduled_at")
    run_until_end(
        first,
        carol,
        arrived=YESTERDAY,
        started=YESTERDAY + timedelta(minutes=10),
        ended=YESTERDAY + timedelta(minutes=50),
    )
    with time_machine.travel(NOW, tick=False):
        start_dosing(
            second, carol, arrived=NOW - timedelta(minutes=30), started=NOW - timedelta(minutes=20)
        )
    return second


def test_the_patient_is_in_session_and_the_infusion_counts(alice, dosing):
    companion = companion_for(alice, NOW)
    assert companion.state.phase == Phase.IN_SESSION
    assert (companion.series_number, companion.series_total) == (2, 2)
    # Guidance after an infusion still follows the last one that ended.
    assert companion.last_infusion.started_at == YESTERDAY + timedelta(minutes=10)


def test_the_patient_list_shows_them_in_session(as_user, carol, alice, dosing):
    with time_machine.travel(NOW, tick=False):
        response = as_user(carol).get("/clinic/workspace/?phase=in_session")
    (row,) = response.context["rows"]
    assert row.patient.pk == alice.pk
    assert row.phase_label == "In session"
    assert row.day_note is None  # "day 0" under "In session" says nothing
    assert row.course_label == "2 of 2"


def test_once_the_end_is_recorded_recovery_begins(as_user, carol, alice, dosing):
    with time_machine.travel(NOW, tick=False):
        client = as_user(carol)
        client.get("/clinic/workspace/")  # the list keeps what it computed (outcomes.memory)
        actions.end_session(infusion=dosing, at=NOW, by=carol)
    later = NOW + timedelta(minutes=30)
    assert companion_for(alice, later).state.phase == Phase.IMMEDIATE
    with time_machine.travel(later, tick=False):
        rows = client.get("/clinic/workspace/?phase=immediate").context["rows"]
    assert [row.patient.pk for row in rows] == [alice.pk]
