"""SQL queries per request for the main pages: the same for 10 or 50 patients, and for two months or
a year of history, and never above the recorded budget (docs/performance.md).

A page that starts querying per patient or per check-in fails here long before it is slow. When
a change needs more queries for a good reason, raise the budget in the same change.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from conftest import utc
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.actions import create_patient
from aftercare.accounts.models import Clinic, Patient, User
from aftercare.tracking.models import CheckIn, ScaleResponse
from aftercare.treatment.models import Course, Infusion

NOW = utc(2026, 5, 20, 16)

# Queries per request, measured when this test was written; the page must stay at or under.
CLINIC_PAGES = {
    "/clinic/workspace/": 14,
    "/clinic/patients/": 5,
    "/clinic/outcomes/": 11,
}
PATIENT_PAGES = {
    # The user is read with the patient and the clinic in one query (accounts/backends.py).
    "patient home": 12,  # infusions read once, the clinic once (guidance/views.py)
    "check-in": 12,  # insert first, then screening in 3 queries (safety/screening.py)
    "recovery timeline": 9,  # response insights choose the articles (outcomes/selectors.py)
    "clinician's timeline": 17,  # with the care plan's medication changes
}


def add_patient(clinic: Clinic, number: int, *, days: int, clinician: User | None) -> Patient:
    """A patient whose treatment began ``days`` ago: six infusions two days apart, then one every
    four weeks (the last about 20 days ago whatever ``days`` is, so the phase of recovery is the
    same), daily check-ins and fortnightly questionnaires."""
    patient = create_patient(
        clinic=clinic,
        email=f"patient{number}@example.org",
        first_name="Pat",
        last_name=f"Number {number}",
        timezone="America/New_York",
        clinician=clinician,
    )
    induction = [days - 2 * i for i in range(6)]
    maintenance = list(range(induction[-1] - 28, 15, -28))
    courses = [
        Course.objects.create(
            patient=patient,
            kind=kind,
            planned_infusions=6 if kind == Course.Kind.INDUCTION else 12,
            started_on=(NOW - timedelta(days=infusion_days[0])).date(),
        )
        for kind, infusion_days in (
            (Course.Kind.INDUCTION, induction),
            (Course.Kind.MAINTENANCE, maintenance),
        )
        if infusion_days
    ]
    Infusion.objects.bulk_create(
        Infusion(
            patient=patient,
            course=courses[0] if k < len(induction) else courses[-1],
            status=Infusion.Status.COMPLETED,
            scheduled_at=NOW - timedelta(days=d),
            started_at=NOW - timedelta(days=d),
            ended_at=NOW - timedelta(days=d) + timedelta(minutes=40),
            dose_mg_per_kg="0.50",
        )
        for k, d in enumerate(induction + maintenance)
    )
    CheckIn.objects.bulk_create(
        CheckIn(
            patient=patient,
            submitted_at=NOW - timedelta(days=d, hours=3),
            local_date=(NOW - timedelta(days=d, hours=3)).astimezone(patient.tz).date(),
            mood=4 + d % 4,
            anxiety=4,
        )
        for d in range(days)
    )
    ScaleResponse.objects.bulk_create(
        ScaleResponse(
            patient=patient,
            instrument=instrument,
            answers=[1] * size,
            total=size,
            taken_at=NOW - timedelta(days=d, hours=5),
        )
        for d in range(0, days, 14)
        for instrument, size in (("phq9", 9), ("gad7", 7))
    )
    return patient


def queries(client, method: str, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(captured)


def clinic_counts(client) -> dict[str, int]:
    for url in CLINIC_PAGES:
        client.get(url)  # warm per-process caches (content types, insights, charts)
    return {url: queries(client, "get", url) for url in CLINIC_PAGES}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_clinic_pages_query_the_same_for_10_or_50_patients(clock, riverside, carol, as_user):
    client = as_user(carol)
    for number in range(10):
        add_patient(riverside, number, days=40, clinician=carol)
    with_10 = clinic_counts(client)
    for number in range(10, 50):
        add_patient(riverside, number, days=40, clinician=carol)
    with_50 = clinic_counts(client)
    assert with_50 == with_10
    for url, count in with_50.items():
        assert count <= CLINIC_PAGES[url], (url, count)


def patient_counts(patient: Patient, staff_client, as_user) -> dict[str, int]:
    client = as_user(patient.user)
    pages = {
        "patient home": ("get", "/me/", None),
        "recovery timeline": ("get", "/me/recovery/", None),
        "clinician's timeline": (
            "get",
            f"/clinic/patients/{patient.pk}/timeline/",
            None,
        ),
    }
    counts = {}
    for name, (method, url, data) in pages.items():
        who = staff_client if name == "clinician's timeline" else client
        queries(who, method, url, data)  # warm
        counts[name] = queries(who, method, url, data)
    answers = {"mood": "6", "anxiety": "3", "nothing_unusual": "on"}
    queries(client, "post", "/me/check-in/", {**answers, "submission_key": str(uuid.uuid4())})
    counts["check-in"] = queries(
        client, "post", "/me/check-in/", {**answers, "submission_key": str(uuid.uuid4())}
    )
    return counts


def test_patient_pages_query_the_same_for_two_months_or_a_year_of_history(
    clock, riverside, carol, as_user
):
    # Both in maintenance, last infusion ~20 days ago: the same phase, different history.
    staff = as_user(carol)
    short = patient_counts(add_patient(riverside, 1, days=58, clinician=carol), staff, as_user)
    year = patient_counts(add_patient(riverside, 2, days=365, clinician=carol), staff, as_user)
    assert year == short
    for name, count in year.items():
        assert count <= PATIENT_PAGES[name], (name, count)


# The chair board: the session and the user, the sessions with their patients, the rounds of all
# of them, the clinic's protocol, the clinic's patients who share a name (accounts/namesakes.py)
# and the audit records: the patients recorded in the last quarter hour, then one insert
# (treatment/chair.py).
CHAIR_BOARD = 8


def test_the_chair_board_queries_the_same_for_one_or_many_sessions(
    clock, riverside, carol, as_user
):
    from aftercare.treatment.tests.records import add_round, book, run_until_end

    client = as_user(carol)

    def seat(number: int) -> None:
        patient = create_patient(
            clinic=riverside,
            email=f"chair{number}@example.org",
            first_name="Pat",
            last_name=f"Chair {number}",
            timezone="America/New_York",
            clinician=carol,
        )
        arrived = NOW - timedelta(minutes=90)
        infusion = run_until_end(
            book(patient, carol, arrived),
            carol,
            arrived=arrived,
            started=arrived + timedelta(minutes=10),
            ended=arrived + timedelta(minutes=50),
        )
        for minutes in (55, 70, 85):
            add_round(infusion, carol, arrived + timedelta(minutes=minutes), spo2_pct=90)

    queries(client, "get", "/clinic/chair/")  # warm
    seat(0)
    one = queries(client, "get", "/clinic/chair/")
    for number in range(1, 8):
        seat(number)
    many = queries(client, "get", "/clinic/chair/")
    assert "Pat Chair 7" in client.get("/clinic/chair/").content.decode()
    assert many == one
    assert many <= CHAIR_BOARD, many
