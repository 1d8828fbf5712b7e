from datetime import timedelta

import time_machine
from conftest import utc

from aftercare.guidance.companion import companion_for
from aftercare.guidance.phases import Phase
from aftercare.treatment.actions import record_infusion
from aftercare.treatment.models import Course, Infusion


def give_infusion(patient, carol, course, start):
    return record_infusion(
        patient=patient,
        recorded_by=carol,
        started_at=start,
        ended_at=start + timedelta(minutes=40),
        route="iv",
        course=course,
    )


def test_an_induction_series_shows_its_position_and_the_next_treatment(alice, carol):
    course = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    for day in (6, 8, 10):
        give_infusion(alice, carol, course, utc(2026, 4, day, 16))
    Infusion.objects.create(
        patient=alice,
        course=course,
        status=Infusion.Status.SCHEDULED,
        scheduled_at=utc(2026, 4, 13, 16),
    )
    companion = companion_for(alice, utc(2026, 4, 11, 20))
    assert companion.state.phase == Phase.DAY_1
    assert (companion.series_number, companion.series_total) == (3, 6)
    assert companion.next_infusion.scheduled_at == utc(2026, 4, 13, 16)


def test_the_patient_page_says_where_they_are_in_the_series(as_user, alice, carol):
    course = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    for day in (6, 8):
        give_infusion(alice, carol, course, utc(2026, 4, day, 16))
    with time_machine.travel(utc(2026, 4, 8, 17, 30), tick=False):
        html = as_user(alice.user).get("/me/").content.decode()
    assert "infusion 2 of 6" in html
    assert "The first two hours" in html


def test_before_any_infusion_the_patient_is_told_to_build_a_baseline(alice):
    companion = companion_for(alice, utc(2026, 4, 1))
    assert companion.state.phase == Phase.NOT_STARTED
    assert companion.series_number is None
