"""The clinician's patient list: columns, search, filters, sort, pages, speed in queries."""

from datetime import timedelta

import pytest
import time_machine
from conftest import utc
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.actions import create_patient
from aftercare.tracking.actions import submit_check_in
from aftercare.workspace.tests.data import (
    completed_infusion,
    treated_patient,
    treated_patients,
)

NOW = utc(2026, 5, 20, 16)
URL = "/clinic/workspace/"


@pytest.fixture
def clinic_patients(riverside, carol, alice, bob):
    with time_machine.travel(NOW, tick=False):
        return {
            "quinn": treated_patient(
                riverside, now=NOW, last_name="Quinn", clinician=carol, alert="urgent"
            ),
            "rossi": treated_patient(
                riverside, now=NOW, last_name="Rossi", check_in_days=0, booked_in_days=3
            ),
            "stone": treated_patient(
                riverside, now=NOW, last_name="Stone", infusions=1, first_infusion_days_ago=1
            ),
        }


def get(client, query=""):
    with time_machine.travel(NOW, tick=False):
        return client.get(URL + query)


def names(response):
    return [row.patient.user.last_name for row in response.context["rows"]]


def test_it_shows_each_patients_state_at_a_glance(as_user, carol, clinic_patients):
    response = get(as_user(carol))
    assert response.status_code == 200
    page = response.content.decode()
    assert names(response) == ["Archer", "Baker", "Quinn", "Rossi", "Stone"]
    rows = {row.patient.user.last_name: row for row in response.context["rows"]}
    assert rows["Quinn"].course_label == "3 of 6"
    assert rows["Quinn"].alerts_urgent == 1
    assert rows["Stone"].phase_label == "Emergence, day 1"
    assert rows["Stone"].day_note is None  # the phase's name says the day already
    assert rows["Quinn"].day_note == rows["Quinn"].day_index
    assert rows["Rossi"].disengaged is True
    assert rows["Quinn"].disengaged is False
    assert rows["Rossi"].next_infusion == NOW + timedelta(days=3)
    assert "<svg" in page
    assert "Daily mood, last 14 days, oldest first: 6, 6" in page
    assert "htmx.min.js" in page
    assert "Check-in dates are each patient's own day, in their time zone" in page


def test_it_searches_by_name(as_user, carol, clinic_patients):
    assert names(get(as_user(carol), "?q=ros")) == ["Rossi"]
    assert names(get(as_user(carol), "?q=pat+sto")) == ["Stone"]
    assert names(get(as_user(carol), "?q=nobody")) == []


def test_it_shows_only_my_patients_when_asked(as_user, carol, clinic_patients):
    # Alice and Quinn have Carol as their clinician.
    assert names(get(as_user(carol), "?mine=on")) == ["Archer", "Quinn"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?alerts=urgent", ["Quinn"]),
        ("?alerts=none", ["Archer", "Baker", "Rossi", "Stone"]),
        ("?disengaged=1", ["Rossi"]),
        ("?phase=day_1", ["Stone"]),
        ("?course=none", ["Archer", "Baker"]),
        ("?course=induction", ["Quinn", "Rossi", "Stone"]),
        ("?next_infusion=7", ["Rossi"]),
        ("?checked_in=1", ["Quinn", "Stone"]),
        ("?trajectory=not_enough_data&alerts=any", ["Quinn"]),
        ("?overdue=1&q=archer", ["Archer"]),  # baseline questionnaires not yet answered
    ],
)
def test_it_filters_on_each_column(as_user, carol, clinic_patients, query, expected):
    assert names(get(as_user(carol), query)) == expected


def test_it_sorts_on_a_column_both_ways_with_missing_values_last(as_user, carol, clinic_patients):
    up = names(get(as_user(carol), "?sort=next_infusion"))
    assert up[0] == "Rossi"
    assert names(get(as_user(carol), "?sort=-name")) == [
        "Stone",
        "Rossi",
        "Quinn",
        "Baker",
        "Archer",
    ]
    assert names(get(as_user(carol), "?sort=-alerts"))[0] == "Quinn"
    # Patients without alerts come last both ways; the first click shows the most first.
    assert names(get(as_user(carol), "?sort=alerts"))[0] == "Quinn"
    assert "sort=-alerts" in get(as_user(carol)).content.decode()
    assert names(get(as_user(carol), "?sort=-check_in"))[-3:] == ["Archer", "Baker", "Rossi"]
    response = get(as_user(carol), "?sort=name")
    assert 'aria-sort="ascending"' in response.content.decode()
    # The heading link of the sorted column now sorts the other way.
    assert "sort=-name" in response.content.decode()


def test_sorting_by_booster_due_puts_the_earliest_first_and_the_rest_last():
    from datetime import date

    from aftercare.workspace.selectors import sort_rows

    class Row:
        def __init__(self, name, due, start):
            self.name, self.booster_due, self.booster_from = name, due, start

    rows = [
        Row("none", False, None),
        Row("late", True, date(2026, 6, 1)),
        Row("early", True, date(2026, 5, 25)),
        Row("also none", False, None),
    ]
    assert [r.name for r in sort_rows(rows, "booster", False)][:2] == ["early", "late"]
    assert [r.name for r in sort_rows(rows, "booster", True)][:2] == ["late", "early"]


def test_it_answers_htmx_with_the_results_only(as_user, carol, clinic_patients):
    with time_machine.travel(NOW, tick=False):
        response = as_user(carol).get(
            URL + "?q=quinn", headers={"HX-Request": "true", "HX-Target": "results"}
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<div id="results"')
    assert "<html" not in page
    assert "Quinn" in page


@pytest.mark.parametrize(
    "query",
    [
        "?phase=nonsense",
        "?sort=password",
        "?page=abc",
        "?page=-3",
        "?q=" + "x" * 5000,
        "?alerts=%00",
    ],
)
def test_it_refuses_bad_filters_without_breaking(as_user, carol, clinic_patients, query):
    response = get(as_user(carol), query)
    assert response.status_code == 400
    assert "Please check these answers" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(as_user, carol, clinic_patients):
    response = get(as_user(carol), "?page=999")
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_it_pages_by_fifty(as_user, carol, riverside):
    from aftercare.accounts.actions import create_patient

    for i in range(53):
        create_patient(
            clinic=riverside,
            email=f"p{i}@example.org",
            first_name="P",
            last_name=f"Number{i:02d}",
            timezone="America/New_York",
        )
    first = get(as_user(carol))
    second = get(as_user(carol), "?sort=-name&page=2")
    assert len(first.context["rows"]) == 50
    assert names(second) == ["Number02", "Number01", "Number00"]
    assert "Page 1 of 2" in first.content.decode()


def test_other_clinics_patients_never_appear(as_user, eve, clinic_patients):
    response = get(as_user(eve))
    assert response.status_code == 200
    assert names(response) == []
    assert names(get(as_user(eve), "?q=quinn")) == []


def test_patients_and_visitors_cannot_open_the_list(as_user, alice, client):
    assert get(as_user(alice.user)).status_code == 404
    response = get(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _patients(clinic, n, carol):
    treated_patients(clinic, range(n), now=NOW, clinician=carol, prefix="Many")


def _count_queries(client, django_assert_max_num_queries, limit):
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(limit) as ctx:
        response = client.get(URL + "?sort=-alerts")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_it_uses_the_same_number_of_queries_for_10_or_60_patients(
    as_user, carol, riverside, django_assert_max_num_queries
):
    with time_machine.travel(NOW, tick=False):
        _patients(riverside, 10, carol)
    # 17: a first look also reads the kept rows, checks the stamps again and writes the rows
    # back (in a savepoint here).
    few = _count_queries(as_user(carol), django_assert_max_num_queries, 17)
    with time_machine.travel(NOW, tick=False):
        _patients_more = [
            treated_patient(riverside, now=NOW, last_name=f"More{i:03d}", alert="routine")
            for i in range(50)
        ]
    many = _count_queries(as_user(carol), django_assert_max_num_queries, 17)
    assert few == many


def test_a_second_look_reads_only_what_changed(as_user, carol, clinic_patients):
    client = as_user(carol)
    first = get(client)
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as unchanged:
        again = client.get(URL)
    assert again.context["rows"][2].phase_label == first.context["rows"][2].phase_label
    with time_machine.travel(NOW, tick=False):
        submit_check_in(
            patient=clinic_patients["rossi"],
            answers={"mood": 2, "suicidal_thoughts": False},
            submitted_at=NOW,
        )
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as changed:
        after = client.get(URL)
    # The data of one patient is read again (its kept row, the loader's 4 reads and the
    # treatment's 2), its stamp checked again and its row written back (in a savepoint).
    assert len(changed) == len(unchanged) + 11
    rows = {row.patient.user.last_name: row for row in after.context["rows"]}
    assert rows["Rossi"].last_check_in == NOW.date()
    assert rows["Rossi"].disengaged is False


def test_the_phase_moves_on_with_the_clock_without_any_new_data(as_user, carol, clinic_patients):
    client = as_user(carol)
    stone = {row.patient.user.last_name: row for row in get(client).context["rows"]}["Stone"]
    assert stone.phase_label == "Emergence, day 1"
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        later = client.get(URL)
    stone = {row.patient.user.last_name: row for row in later.context["rows"]}["Stone"]
    assert stone.phase_label == "Emergence, day 2"


def test_the_last_check_in_is_the_patients_own_after_a_new_infusion(as_user, carol, riverside):
    from aftercare.treatment.models import Course

    with time_machine.travel(NOW, tick=False):
        patient = treated_patient(
            riverside, now=NOW, last_name="Ito", infusions=6, first_infusion_days_ago=40
        )  # check-ins on each of the last 14 days
        booster = Course.objects.create(
            patient=patient, kind=Course.Kind.MAINTENANCE, started_on=NOW.date()
        )
        completed_infusion(patient, booster, NOW - timedelta(days=2))
    row = next(r for r in get(as_user(carol)).context["rows"] if r.patient.pk == patient.pk)
    # Not the day before the booster (where the judged episode ends), and not disengaged.
    assert row.last_check_in == NOW.date()
    assert row.disengaged is False


def test_two_patients_with_the_same_name_are_told_apart_by_their_email(
    as_user, carol, riverside, clinic_patients
):
    twin = create_patient(
        clinic=riverside,
        email="pat.quinn.2@example.org",
        first_name="Pat",
        last_name="Quinn",
        timezone="America/New_York",
    )
    page = get(as_user(carol)).content.decode()
    quinns = [row for row in page.split("<tr>") if "Pat Quinn</a>" in row]
    assert len(quinns) == 2
    emails = {clinic_patients["quinn"].user.email, twin.user.email}
    assert all(sum(email in row for email in emails) == 1 for row in quinns)
    assert clinic_patients["rossi"].user.email not in page  # only namesakes carry it
