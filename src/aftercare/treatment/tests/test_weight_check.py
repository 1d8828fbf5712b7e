"""A weight more than 10 % from the patient's last recorded one is read again before it sets
the dose in mg: explained beside the weight, saved once someone ticks that it is right."""

import re
from decimal import Decimal

import pytest
from conftest import utc

from aftercare.treatment.actions import record_infusion
from aftercare.treatment.models import Infusion
from aftercare.treatment.tests.test_infusion import VALID
from aftercare.treatment.tests.test_session import PRE_DOSE, url

QUESTION = re.compile(r'id="id_predose-weight_kg_error">([^<]*)<')


@pytest.fixture
def weighed_70kg_on_6_march(alice, carol):
    return record_infusion(
        patient=alice,
        recorded_by=carol,
        started_at=utc(2026, 3, 6, 14),
        ended_at=utc(2026, 3, 6, 14, 40),
        route="iv",
        dose_mg_per_kg=Decimal("0.5"),
        weight_kg=Decimal("70"),
    )


@pytest.fixture
def arrived(as_user, carol, session):
    client = as_user(carol)
    client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    return client


def test_a_swapped_digit_is_questioned_then_saved_once_confirmed(
    weighed_70kg_on_6_march, arrived, session
):
    response = arrived.post(url(session, "pre-dose/"), PRE_DOSE | {"predose-weight_kg": "58"})
    assert response.status_code == 400
    html = response.content.decode()
    question = QUESTION.search(html)
    assert question is not None
    assert question.group(1) == (
        "58 kg is 17 % less than the 70.0 kg recorded on 6 Mar 2026, and the dose in mg "
        "follows it. Read the weight again; if it is right, tick the box below and save again."
    )
    assert 'type="checkbox" name="predose-weight_confirmed"' in html
    assert 'name="predose-weight_questioned" value="58"' in html
    assert 'name="predose-weight_kg" value="58"' in html
    session.refresh_from_db()
    assert session.weight_kg is None

    confirmed = PRE_DOSE | {
        "predose-weight_kg": "58",
        "predose-weight_confirmed": "on",
        "predose-weight_questioned": "58",
    }
    assert arrived.post(url(session, "pre-dose/"), confirmed).status_code == 302
    session.refresh_from_db()
    assert session.weight_kg == Decimal("58")
    assert session.total_mg == Decimal("29.0")


@pytest.mark.parametrize("weight", ["72.4", "63.5", "77"])
def test_a_weight_within_ten_percent_is_not_questioned(
    weighed_70kg_on_6_march, arrived, session, weight
):
    page = arrived.get(url(session)).content.decode()
    assert 'type="hidden" name="predose-weight_confirmed"' in page
    assert 'type="checkbox" name="predose-weight_confirmed"' not in page
    response = arrived.post(url(session, "pre-dose/"), PRE_DOSE | {"predose-weight_kg": weight})
    assert response.status_code == 302


def test_a_first_weight_has_nothing_to_compare_with(arrived, session):
    response = arrived.post(url(session, "pre-dose/"), PRE_DOSE | {"predose-weight_kg": "140"})
    assert response.status_code == 302


def test_an_infusion_recorded_afterwards_is_checked_too(
    as_user, carol, alice, weighed_70kg_on_6_march, noon
):
    client = as_user(carol)
    new = f"/clinic/patients/{alice.pk}/infusions/new/"
    response = client.post(new, VALID | {"weight_kg": "85"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "85 kg is 21 % more than the 70.0 kg recorded on 6 Mar 2026" in html
    assert Infusion.objects.filter(patient=alice).count() == 1
    confirmed = {"weight_kg": "85", "weight_confirmed": "on", "weight_questioned": "85"}
    response = client.post(new, VALID | confirmed)
    assert response.status_code == 302
    assert Infusion.objects.filter(patient=alice, weight_kg=Decimal("85")).exists()


def test_a_tick_never_covers_a_weight_typed_after_it(weighed_70kg_on_6_march, arrived, session):
    # 80 kg questioned and ticked, but the form came back for another error; then 40 typed.
    ticked = PRE_DOSE | {
        "predose-weight_kg": "40",
        "predose-weight_confirmed": "on",
        "predose-weight_questioned": "80",
    }
    response = arrived.post(url(session, "pre-dose/"), ticked)
    assert response.status_code == 400
    html = response.content.decode()
    assert "40 kg is 43 % less than the 70.0 kg" in html
    assert 'name="predose-weight_questioned" value="40"' in html
    assert (
        'type="checkbox" name="predose-weight_confirmed" id="id_predose-weight_confirmed">' in html
    )
    session.refresh_from_db()
    assert session.weight_kg is None


def test_a_booked_weight_is_not_a_measured_one(alice, carol, arrived, session):
    from aftercare.treatment.tests.records import book

    later = book(alice, carol, utc(2026, 3, 20, 14))
    later.weight_kg = Decimal("100")
    later.save()
    response = arrived.post(url(session, "pre-dose/"), PRE_DOSE | {"predose-weight_kg": "58"})
    assert response.status_code == 302  # nothing measured before to compare with
