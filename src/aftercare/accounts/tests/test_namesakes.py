"""Two patients of one clinic with the same name do not look the same in the lists staff pick
from: each shows their email under the name. A name no one else at the clinic has stays bare,
and a namesake at another clinic changes nothing."""

from conftest import utc
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.actions import create_patient
from aftercare.safety.actions import raise_alerts
from aftercare.safety.rules import Finding, Severity
from aftercare.treatment.tests.records import book


def sam(clinic, email, first="Sam", last="Lee"):
    return create_patient(
        clinic=clinic, email=email, first_name=first, last_name=last, timezone="America/New_York"
    )


def alert_for(patient):
    raise_alerts(
        patient=patient,
        findings=[Finding("severe_anxiety", Severity.HIGH, {"panic": True})],
        source_kind="check_in",
        source_id=str(patient.pk),
    )


def test_the_alert_list_tells_namesakes_apart_and_nobody_else(
    as_user, riverside, lakeside, alice, carol
):
    one = sam(riverside, "sam.one@example.org")
    two = sam(riverside, "SAM.two@example.org", first=" sam ", last="LEE")  # same name, other case
    elsewhere = sam(lakeside, "sam.lakeside@example.org", first="Alice", last="Archer")
    for patient in (one, two, alice):
        alert_for(patient)
    page = as_user(carol).get("/clinic/alerts/").content.decode()
    assert "sam.one@example.org" in page
    assert "SAM.two@example.org" in page
    # Alice has a namesake only at another clinic: no email, and nothing of that clinic.
    assert alice.user.email not in page
    assert elsewhere.user.email not in page


def test_the_audit_log_and_the_schedule_tell_them_apart(as_user, riverside, carol, dana):
    one = sam(riverside, "sam.one@example.org")
    two = sam(riverside, "sam.two@example.org")
    for patient in (one, two):
        book(patient, carol, utc(2026, 3, 10, 15))
    schedule = as_user(carol).get("/clinic/schedule/?start=2026-03-10&days=1").content.decode()
    assert "sam.one@example.org" in schedule
    assert "sam.two@example.org" in schedule
    as_user(carol).get(f"/clinic/patients/{one.pk}/")  # an audited read of one of them
    log = as_user(dana).get("/clinic/audit/").content.decode()
    assert "sam.one@example.org" in log


def test_telling_them_apart_costs_one_query_whatever_their_number(as_user, riverside, carol):
    client = as_user(carol)
    alert_for(sam(riverside, "sam.1@example.org"))
    alert_for(sam(riverside, "sam.2@example.org"))
    client.get("/clinic/alerts/")
    with CaptureQueriesContext(connection) as few:
        client.get("/clinic/alerts/")
    for n in range(3, 9):
        alert_for(sam(riverside, f"sam.{n}@example.org"))
        alert_for(sam(riverside, f"kim.{n}@example.org", first="Kim"))
    with CaptureQueriesContext(connection) as more:
        page = client.get("/clinic/alerts/").content.decode()
    assert "kim.8@example.org" in page
    assert len(more) == len(few)
