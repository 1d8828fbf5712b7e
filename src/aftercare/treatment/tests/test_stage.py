"""The stage staff read for a session: "Completed" no longer stands for a patient still in the
chair. Clock: noon in New York on 10 March 2026; Alice's session is booked for 10:00."""

from datetime import timedelta

from conftest import utc
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.treatment import actions
from aftercare.treatment.models import Infusion, Route
from aftercare.treatment.stage import Stage, stage_of
from aftercare.treatment.tests.records import GOOD_CHECKLIST, NORMAL, add_round, book

ARRIVED = utc(2026, 3, 10, 14, 0)  # 10:00 in New York
STARTED = utc(2026, 3, 10, 14, 10)
ENDED = utc(2026, 3, 10, 14, 50)
NOON = utc(2026, 3, 10, 16)


def arrive(session, carol):
    actions.record_arrival(infusion=session, at=ARRIVED, by=carol)
    session.refresh_from_db()
    return session


def start(session, carol):
    arrive(session, carol)
    actions.record_pre_dose(
        infusion=session,
        by=carol,
        route=Route.IV,
        weight_kg=None,
        dose_mg_per_kg=None,
        dose_mg=None,
        taken_at=ARRIVED + timedelta(minutes=5),
        vitals=NORMAL,
    )
    actions.start_session(infusion=session, at=STARTED, by=carol)
    session.refresh_from_db()
    return session


def end(session, carol):
    start(session, carol)
    actions.end_session(infusion=session, at=ENDED, by=carol)
    session.refresh_from_db()
    return session


def discharge(session, carol):
    end(session, carol)
    add_round(session, carol, ENDED + timedelta(minutes=60))
    actions.sign_discharge(
        infusion=session,
        by=carol,
        now=NOON,
        checklist=GOOD_CHECKLIST,
        override_reason="Ready by the clinician's judgement.",
    )
    return Infusion.objects.select_related("discharge").get(pk=session.pk)


def test_a_booked_session(session):
    assert stage_of(session).stage == Stage.BOOKED


def test_arrived_then_dosing(session, carol):
    assert stage_of(arrive(session, carol)).stage == Stage.ARRIVED
    assert stage_of(session).since == ARRIVED
    dosing = stage_of(start(book_again(session, carol), carol))
    assert (dosing.stage, dosing.since) == (Stage.DOSING, STARTED)


def book_again(session, carol):
    return book(session.patient, carol, session.scheduled_at + timedelta(days=1))


def test_recovering_is_not_completed_until_discharged(session, carol):
    ended = end(session, carol)
    # The record says "completed" (outcomes count the dose); staff read "recovering".
    assert ended.status == Infusion.Status.COMPLETED
    assert (stage_of(ended).stage, stage_of(ended).since) == (Stage.RECOVERING, ENDED)
    assert stage_of(ended).in_the_chair


def test_discharged_carries_the_time(session, carol):
    done = discharge(session, carol)
    stage = stage_of(done)
    assert (stage.stage, stage.since) == (Stage.DISCHARGED, NOON)
    assert not stage.in_the_chair


def test_cancelled_and_no_show(session, alice, carol):
    actions.cancel_appointment(infusion=session, by=carol, reason="Unwell")
    session.refresh_from_db()
    assert stage_of(session).stage == Stage.CANCELLED
    missed = book(alice, carol, utc(2026, 3, 10, 13))
    actions.mark_no_show(infusion=missed, by=carol, now=NOON, reason="")
    missed.refresh_from_db()
    assert stage_of(missed).stage == Stage.NO_SHOW


def test_a_dose_recorded_afterwards_never_sat_in_the_chair_here(alice, carol, noon):
    past = actions.record_infusion(
        patient=alice,
        recorded_by=carol,
        started_at=utc(2026, 3, 2, 15),
        ended_at=utc(2026, 3, 2, 15, 40),
        route=Route.IV,
    )
    assert stage_of(past).stage == Stage.RECORDED
    assert not stage_of(past).in_the_chair


def day_row(html: str, infusion_id: int) -> str:
    """The schedule row that links to the session."""
    link = html.index(f"/clinic/sessions/{infusion_id}/")
    return html[html.rindex("<tr", 0, link) : html.index("</tr>", link)]


def test_the_schedules_say_recovering_until_the_discharge(as_user, alice, carol, session):
    client = as_user(carol)
    end(session, carol)
    for url in ("/clinic/schedule/", f"/clinic/patients/{alice.pk}/schedule/"):
        row = day_row(client.get(url).content.decode(), session.pk)
        assert "Recovering, dose ended 10:50" in row
        assert "Completed" not in row
    page = client.get(f"/clinic/sessions/{session.pk}/").content.decode()
    assert "Recovering, dose ended 10:50" in page
    assert "Completed" not in page

    other = discharge(book_again(session, carol), carol)  # given the same day, discharged at noon
    row = day_row(client.get("/clinic/schedule/").content.decode(), other.pk)
    assert "Discharged at 12:00" in row


def test_the_stage_of_each_session_in_the_schedule_is_read_in_one_query(
    as_user, alice, bob, carol, session
):
    # The discharge comes with each session: listing more does not query more.
    end(session, carol)
    client = as_user(carol)
    client.get("/clinic/schedule/")
    with CaptureQueriesContext(connection) as few:
        client.get("/clinic/schedule/")
    end(book(bob, carol, utc(2026, 3, 10, 14)), carol)
    with CaptureQueriesContext(connection) as more:
        client.get("/clinic/schedule/")
    assert len(more) == len(few)


def test_the_patient_record_says_recovering_too_and_reads_each_discharge_with_its_session(
    as_user, alice, carol, session
):
    client = as_user(carol)
    end(session, carol)
    url = f"/clinic/patients/{alice.pk}/"
    page = client.get(url).content.decode()
    assert "Recovering, dose ended 10:50" in page
    assert "Completed" not in page
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    discharge(book_again(session, carol), carol)
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert "Discharged at 12:00" in page
    assert len(more) == len(few)
