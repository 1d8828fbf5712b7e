"""The clinic's plain patient list: every patient with their latest check-in, a page at a time."""

import re
from datetime import timedelta

import pytest
from conftest import utc
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.actions import create_patient
from aftercare.accounts.views import PATIENTS_PER_PAGE
from aftercare.tracking.models import CheckIn


def test_it_shows_each_patients_latest_check_in(alice, bob, carol, as_user):
    for at in (utc(2026, 3, 1, 15), utc(2026, 3, 9, 18, 30), utc(2026, 2, 20, 9)):
        CheckIn.objects.create(patient=alice, submitted_at=at, local_date=at.date(), mood=6)
    CheckIn.objects.create(
        patient=bob, submitted_at=utc(2026, 3, 9, 18, 30) - timedelta(days=30),
        local_date=utc(2026, 2, 7).date(), mood=5,
    )  # fmt: skip
    response = as_user(carol).get("/clinic/patients/")
    assert response.status_code == 200
    last = {p.user.first_name: p.last_check_in for p in response.context["patients"]}
    assert last == {"Alice": utc(2026, 3, 9, 18, 30), "Bob": utc(2026, 2, 7, 18, 30)}
    page = response.content.decode()
    assert "9 Mar 2026, 14:30" in page  # in the clinic's zone, New York (summer time)


def test_a_patient_without_check_ins_shows_none_yet(alice, carol, as_user):
    response = as_user(carol).get("/clinic/patients/")
    assert [p.last_check_in for p in response.context["patients"]] == [None]
    assert "none yet" in response.content.decode()


def _add(clinic, first: int, n: int) -> None:
    for i in range(first, first + n):
        patient = create_patient(clinic=clinic, email=f"p{i:03d}@example.org", first_name="Pat",
                                 last_name=f"Number{i:03d}", timezone="UTC")  # fmt: skip
        at = utc(2026, 3, 1, 9) + timedelta(hours=i)
        CheckIn.objects.create(patient=patient, submitted_at=at, local_date=at.date(), mood=5)


def _names(response) -> list[str]:
    return re.findall(r">(Number\d{3}), Pat<", response.content.decode())


def test_the_list_is_read_a_page_at_a_time_with_the_same_queries_for_10_or_150(
    riverside, carol, as_user
):
    client = as_user(carol)

    def queries(query: str = "") -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/clinic/patients/" + query).status_code == 200
        return len(captured)

    _add(riverside, 0, 10)
    few = queries()
    _add(riverside, 10, 140)
    assert queries() == few
    assert queries("?page=2") == few


def test_page_two_shows_the_next_names_and_the_pages_are_named(riverside, carol, as_user):
    _add(riverside, 0, PATIENTS_PER_PAGE + 30)
    client = as_user(carol)
    first = client.get("/clinic/patients/")
    assert _names(first) == [f"Number{i:03d}" for i in range(PATIENTS_PER_PAGE)]
    page = first.content.decode()
    assert 'aria-label="Pages"' in page
    assert "Page 1 of 2" in page
    assert 'href="?page=2"' in page
    second = client.get("/clinic/patients/", {"page": 2})
    assert _names(second) == [f"Number{i:03d}" for i in range(PATIENTS_PER_PAGE, 130)]
    assert "Page 2 of 2" in second.content.decode()
    assert 'href="?page=1"' in second.content.decode()
    # Other parameters of the address stay in the page links.
    kept = client.get("/clinic/patients/", {"q": "x", "page": 1}).content.decode()
    assert 'href="?q=x&amp;page=2"' in kept


@pytest.mark.parametrize(
    ("page", "shown"), [("abc", 1), ("0", 2), ("-1", 2), ("99", 2), ("", 1), ("1.5", 1)]
)
def test_a_page_out_of_range_or_not_a_number_shows_the_first_or_the_last(
    riverside, carol, as_user, page, shown
):
    _add(riverside, 0, PATIENTS_PER_PAGE + 5)
    response = as_user(carol).get("/clinic/patients/", {"page": page})
    assert response.status_code == 200
    assert f"Page {shown} of 2" in response.content.decode()


def test_one_page_of_patients_has_no_page_links(alice, carol, as_user):
    page = as_user(carol).get("/clinic/patients/").content.decode()
    assert "Page 1 of" not in page
    assert 'aria-label="Pages"' not in page
