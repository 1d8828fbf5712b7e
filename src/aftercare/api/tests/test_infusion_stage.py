"""The staff API says where a session stands as the clinic's pages do: "completed" in the
record means the dose ended, and the stage says whether the patient is still recovering."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.treatment import actions
from aftercare.treatment.tests.records import GOOD_CHECKLIST, add_round, book, run_until_end


def ended_session(patient, nurse, minutes_ago):
    end = timezone.now() - timedelta(minutes=minutes_ago)
    return run_until_end(
        book(patient, nurse, end - timedelta(minutes=60)),
        nurse,
        arrived=end - timedelta(minutes=60),
        started=end - timedelta(minutes=40),
        ended=end,
    )


def test_a_session_reads_recovering_until_discharged(alice, carol, api_as):
    url = f"/api/v1/patients/{alice.pk}/infusions"
    session = ended_session(alice, carol, minutes_ago=70)
    (item,) = api_as(carol).get(url).json()["items"]
    assert (item["status"], item["stage"], item["discharged_at"]) == (
        "completed",
        "recovering",
        None,
    )

    add_round(session, carol, timezone.now() - timedelta(minutes=5))
    actions.sign_discharge(infusion=session, by=carol, now=timezone.now(), checklist=GOOD_CHECKLIST)
    (item,) = api_as(carol).get(url).json()["items"]
    assert (item["status"], item["stage"]) == ("completed", "discharged")
    assert item["discharged_at"] is not None


def test_the_stage_of_many_sessions_is_read_in_the_same_queries(alice, carol, api_as):
    client = api_as(carol)
    url = f"/api/v1/patients/{alice.pk}/infusions"
    ended_session(alice, carol, minutes_ago=60 * 24 * 10)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for days in (8, 6, 4):
        ended_session(alice, carol, minutes_ago=60 * 24 * days)
    with CaptureQueriesContext(connection) as more:
        assert len(client.get(url).json()["items"]) == 4
    assert len(more) == len(few)
