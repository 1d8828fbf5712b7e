"""The clinic outcomes dashboard: numbers with their patients, filters, scope, query count."""

import re
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.actions import create_staff
from aftercare.accounts.models import Clinic, Patient, Role, User
from aftercare.demo.load import load_demo_clinic
from aftercare.outcomes.tests.helpers import NOW, fading, flat, give_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def demo(clock):
    clinic = load_demo_clinic(seed=11, now=NOW, patients=14)
    return clinic, User.objects.get(email="dr.patel@riverside.example")


def links(page: str) -> dict[str, str]:
    """metric link text by URL."""
    found = re.findall(r'<a href="(/clinic/outcomes/patients/\?[^"]+)"[^>]*>(\d+)</a>', page)
    return {unescape(url): int(n) for url, n in found}


def test_it_shows_every_section_with_charts_and_tables(demo, as_user):
    _, staff = demo
    response = as_user(staff).get("/clinic/outcomes/")
    page = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "Induction series: completion and drop-out",
        "Response and remission after the series",
        "Time until loss of response",
        "Booster intervals",
        "Suicidal thoughts",
        "Trajectories and flags",
    ):
        assert heading in page
    assert page.count("<svg") >= 3
    assert page.count("<table") >= 6  # every chart has its table
    assert "Counting 14 patients" in page


def test_every_number_links_to_the_patients_behind_it(demo, as_user):
    _, staff = demo
    client = as_user(staff)
    page = client.get("/clinic/outcomes/").content.decode()
    found = links(page)
    assert any("metric=response&part=numerator" in url for url in found)
    for url, n in found.items():
        listing = client.get(url)
        assert listing.status_code == 200, url
        assert listing.content.decode().count('<th scope="row"><a href="/clinic/patients/') == n
    assert 'href="/clinic/outcomes/definitions/#response"' in page


def test_listing_patients_is_audited(demo, as_user):
    from aftercare.audit.models import AuditEvent

    _, staff = demo
    as_user(staff).get("/clinic/outcomes/patients/?metric=treated")
    assert AuditEvent.objects.filter(what="outcomes list", actor=staff).count() == 14


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-13-01",
        "start=yesterday",
        "end=2020-01-01&start=2021-01-01",
        "start=1066-10-14",
        "clinician=abc",
        "clinician=99999999999999999999999999",
        "clinician=-1",
        "route=zzz",
        "route=" + "x" * 5000,
        "start=" + "9" * 500,
    ],
)
def test_bad_filters_get_a_message_not_an_error(demo, as_user, query):
    _, staff = demo
    response = as_user(staff).get(f"/clinic/outcomes/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please check these answers" in page
    assert "Counting 14 patients" in page  # the bad filter is left out, the page still works


def test_filters_narrow_the_count(demo, as_user):
    clinic, staff = demo
    client = as_user(staff)
    mine = Patient.objects.filter(clinic=clinic, clinician=staff).count()
    page = client.get(f"/clinic/outcomes/?clinician={staff.pk}").content.decode()
    assert f"Counting {mine} patients" in page
    assert "Counting 0 patients" in client.get("/clinic/outcomes/?route=im").content.decode()
    assert (
        "Counting 0 patients" in client.get("/clinic/outcomes/?start=2030-01-01").content.decode()
    )
    kept = client.get(f"/clinic/outcomes/?clinician={staff.pk}&start=2020-01-01").content.decode()
    assert f"clinician={staff.pk}" in kept  # links keep the filters


def test_the_clinician_filter_offers_staff_who_left_only_while_patients_are_theirs(
    alice, bob, carol, dana, as_user, clock
):
    give_history(alice, by=carol, mood=flat)
    give_history(bob, by=carol, mood=flat)

    def leaver(first: str, last: str) -> User:
        member = create_staff(
            clinic=carol.clinic,
            email=f"{first.lower()}@example.org",
            password=None,
            role=Role.CLINICIAN,
            first_name=first,
            last_name=last,
        )
        member.is_active = False
        member.save(update_fields=["is_active"])
        return member

    frank = leaver("Frank", "Former")  # Bob is still his
    gina = leaver("Gina", "Gone")  # her patients were handed over
    Patient.objects.filter(pk=bob.pk).update(clinician=frank)
    client = as_user(dana)
    page = client.get("/clinic/outcomes/").content.decode()
    options = dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page))
    assert options == {
        str(carol.pk): "Carol Chen",
        str(dana.pk): "Dana Diaz",
        str(frank.pk): "Frank Former (inactive)",
    }
    # Bob's outcomes are still reachable through the clinician who treated him.
    assert (
        "Counting 1 patient."
        in client.get(f"/clinic/outcomes/?clinician={frank.pk}").content.decode()
    )
    listing = client.get(f"/clinic/outcomes/patients/?metric=treated&clinician={frank.pk}")
    assert listing.status_code == 200
    assert "Baker" in listing.content.decode()
    assert "Archer" not in listing.content.decode()
    # Nobody is behind Gina any more: she is not offered, and asking for her is explained.
    response = client.get(f"/clinic/outcomes/?clinician={gina.pk}")
    assert response.status_code == 400
    assert "Counting 2 patients" in response.content.decode()


def test_staff_of_another_clinic_count_none_of_these_patients(demo, eve, as_user):
    page = as_user(eve).get("/clinic/outcomes/").content.decode()
    assert "Counting 0 patients" in page
    listing = as_user(eve).get("/clinic/outcomes/patients/?metric=treated").content.decode()
    assert '<th scope="row"><a href="/clinic/patients/' not in listing


def test_patients_and_anonymous_visitors_are_kept_out(alice, client, as_user):
    for url in ("/clinic/outcomes/", "/clinic/outcomes/patients/?metric=treated"):
        assert as_user(alice.user).get(url).status_code == 404
        assert client.get(url).status_code == 302


def test_the_query_count_does_not_grow_with_the_number_of_patients(clock, as_user):
    clinic = load_demo_clinic(seed=5, now=NOW, patients=40)
    client = as_user(User.objects.get(email="dr.patel@riverside.example"))
    client.get("/clinic/outcomes/")  # warm caches (session, content types)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/clinic/outcomes/").status_code == 200
        return len(queries)

    with_40 = count()
    elsewhere = Clinic.objects.create(name="Elsewhere", slug="elsewhere")
    moved = Patient.objects.filter(clinic=clinic).order_by("pk").values_list("pk", flat=True)[10:]
    Patient.objects.filter(pk__in=list(moved)).update(clinic=elsewhere)
    assert Patient.objects.filter(clinic=clinic).count() == 10
    with_10 = count()
    assert with_40 == with_10
    assert with_10 <= 12


def test_a_small_clinic_shows_its_own_patients(alice, bob, carol, as_user, clock):
    give_history(alice, by=carol, mood=fading, phq9=[(0, 20, 2), (26, 8, 0), (40, 9, 0)])
    give_history(bob, by=carol, mood=flat, phq9=[(0, 20, 0), (26, 18, 0)])
    client = as_user(carol)
    page = client.get("/clinic/outcomes/").content.decode()
    assert "Counting 2 patients" in page
    # One responder, followed 14 days: nothing is claimed about 4 or 8 weeks, and no band is
    # described where none is drawn (no loss of response yet).
    assert page.count("(not known yet: the longest follow-up is 14 days)") == 2
    assert "100 %</strong>still responding" not in page
    assert "The shaded band" not in page
    response_list = client.get("/clinic/outcomes/patients/?metric=response&part=numerator")
    assert "Archer" in response_list.content.decode()
    assert "Baker" not in response_list.content.decode()
    flagged = client.get("/clinic/outcomes/patients/?metric=non_response_flag").content.decode()
    assert "Baker" in flagged
    assert "20 → 18" in flagged
    proposed = client.get("/clinic/outcomes/patients/?metric=booster_proposed").content.decode()
    assert "Archer" in proposed
    survival = client.get("/clinic/outcomes/patients/?metric=survival").content.decode()
    assert "responding after 14 days" in survival
    assert ">Detail</th>" in survival
    assert ">Detail</th>" not in response_list.content.decode()  # no empty column
    assert client.get("/clinic/outcomes/patients/?metric=intervals").status_code == 200


@pytest.mark.parametrize(
    "query", ["", "metric=nope", "metric=response&part=all", "metric=" + "r" * 3000]
)
def test_the_patient_list_needs_a_known_number(query, carol, as_user):
    response = as_user(carol).get(f"/clinic/outcomes/patients/?{query}")
    assert response.status_code == 400
    assert "Choose a number on the clinic outcomes page." in response.content.decode()


def test_the_denominator_list_has_the_denominators_label(alice, carol, as_user, clock):
    give_history(alice, by=carol, mood=fading, phq9=[(0, 20, 2), (26, 8, 0), (40, 9, 0)])
    page = (
        as_user(carol)
        .get("/clinic/outcomes/patients/?metric=response&part=denominator")
        .content.decode()
    )
    assert "<h1>Assessed after the series</h1>" in page
    assert "Archer" in page
