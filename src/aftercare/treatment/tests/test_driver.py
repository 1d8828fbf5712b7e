"""The person driving the patient home gets the sheet by a signed link and confirms arrival."""

import re
from datetime import timedelta

import pytest
import time_machine
from conftest import utc
from django.core import signing
from django.test import Client

from aftercare.accounts import invitations
from aftercare.audit.models import AuditEvent
from aftercare.treatment import actions, driver
from aftercare.treatment.models import ArrivalConfirmation
from aftercare.treatment.tests.records import GOOD_CHECKLIST, add_round, book, run_until_end

NOW = utc(2026, 3, 10, 16, 0)


@pytest.fixture
def discharge(alice, carol):
    with time_machine.travel(NOW, tick=False):
        infusion = book(alice, carol, utc(2026, 3, 10, 14))
        run_until_end(
            infusion,
            carol,
            arrived=utc(2026, 3, 10, 14),
            started=utc(2026, 3, 10, 14, 10),
            ended=utc(2026, 3, 10, 14, 50),
        )
        add_round(infusion, carol, NOW - timedelta(minutes=5), systolic_mmhg=131)
        return actions.sign_discharge(
            infusion=infusion, by=carol, now=NOW, checklist=GOOD_CHECKLIST
        )


def link_on_session_page(as_user, carol, discharge) -> str:
    html = as_user(carol).get(f"/clinic/sessions/{discharge.infusion_id}/").content.decode()
    match = re.search(
        r'id="driver-link" class="link-box" type="text" readonly value="([^"]+)"', html
    )
    assert match, "the session page shows the driver's link"
    return match.group(1).replace("http://testserver", "")


def test_the_driver_opens_the_sheet_and_confirms_arrival(as_user, carol, alice, discharge):
    with time_machine.travel(NOW, tick=False):
        path = link_on_session_page(as_user, carol, discharge)
    driver_client = Client()
    with time_machine.travel(NOW + timedelta(minutes=50), tick=False):
        response = driver_client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Taking Alice home" in html
        assert "Driving, cycling or using machinery." in html
        assert "call or text 988" in html
        # Nothing else of the patient's: no e-mail, dose, observations or QR to her account.
        for private in ("alice@example.org", "mg/kg", "131", "/me/", "72.4"):
            assert private not in html
        assert response["Cache-Control"].startswith("max-age=0")
        response = driver_client.post(path, {"name": "Sam"})
        assert response.status_code == 302
        assert "Arrival home confirmed by Sam" in driver_client.get(path).content.decode()
    confirmation = ArrivalConfirmation.objects.get()
    assert (confirmation.confirmed_by_name, confirmation.confirmed_at) == (
        "Sam",
        NOW + timedelta(minutes=50),
    )
    page = as_user(carol).get(f"/clinic/sessions/{discharge.infusion_id}/").content.decode()
    assert "Confirmed by Sam at 10 March, 12:50" in page  # clinic time
    assert AuditEvent.objects.filter(
        patient=alice, what="arrival home (driver link)", actor=None
    ).exists()
    assert AuditEvent.objects.filter(patient=alice, what="discharge sheet (driver link)").exists()


def test_the_first_confirmation_stands(discharge):
    actions.confirm_arrival_home(discharge=discharge, name="Sam", now=NOW)
    actions.confirm_arrival_home(discharge=discharge, name="Someone else", now=NOW)
    assert ArrivalConfirmation.objects.get().confirmed_by_name == "Sam"


def test_a_name_is_needed_to_confirm(client, discharge):
    path = f"/driver/{driver.make_token(discharge)}/"
    response = client.post(path, {"name": ""})
    assert response.status_code == 400
    assert "Enter your name" in response.content.decode()
    assert not ArrivalConfirmation.objects.exists()


def test_the_link_expires_after_24_hours(client, discharge):
    with time_machine.travel(NOW, tick=False):
        path = f"/driver/{driver.make_token(discharge)}/"
    with time_machine.travel(NOW + timedelta(hours=23, minutes=59), tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(NOW + timedelta(hours=24, minutes=1), tick=False):
        response = client.get(path)
        assert response.status_code == 404
        assert "This link does not work any more" in response.content.decode()
        assert client.post(path, {"name": "Sam"}).status_code == 404
    assert not ArrivalConfirmation.objects.exists()


def test_the_link_opens_nothing_else(client, alice, discharge):
    token = driver.make_token(discharge)
    # Altered, or signed for another purpose: refused.
    assert client.get(f"/driver/{token[:-2]}xx/").status_code == 404
    other_purpose = signing.dumps({"d": discharge.pk}, salt="aftercare.accounts.invitation")
    assert client.get(f"/driver/{other_purpose}/").status_code == 404
    invitation = invitations.make_token(alice.user)
    assert client.get(f"/driver/{invitation}/").status_code == 404
    # The driver's token is no invitation either, and opens no staff page.
    assert client.get(f"/invitation/{token}/").status_code == 404
    assert client.get(f"/clinic/sessions/{discharge.infusion_id}/").status_code == 302
    # Holding the link logs nobody in.
    client.get(f"/driver/{token}/")
    assert client.get("/me/").status_code == 302
    assert driver.discharge_for_token(signing.dumps({"d": "1"}, salt=driver.SALT)) is None
