"""Another clinic's staff, other patients and strangers get nothing of a session, at any stage."""

from datetime import timedelta

import pytest
import time_machine
from conftest import utc
from django.urls import reverse

from aftercare.treatment import actions, driver
from aftercare.treatment.tests.records import GOOD_CHECKLIST, add_round, book, run_until_end
from aftercare.treatment.urls import urlpatterns

NOW = utc(2026, 3, 10, 16, 0)
SESSION_VIEWS = sorted(
    p.name for p in urlpatterns if "<int:infusion_id>" in str(p.pattern) and p.name
)
PATIENT_VIEWS = sorted(
    p.name for p in urlpatterns if "<uuid:patient_id>" in str(p.pattern) and p.name
)


@pytest.fixture
def discharged(alice, carol):
    with time_machine.travel(NOW, tick=False):
        infusion = book(alice, carol, utc(2026, 3, 10, 14), route="intranasal")
        run_until_end(
            infusion,
            carol,
            arrived=utc(2026, 3, 10, 14),
            started=utc(2026, 3, 10, 14, 10),
            ended=utc(2026, 3, 10, 14, 50),
            weight_kg="",
            dose_mg_per_kg=None,
            dose_mg="56",
        )
        add_round(infusion, carol, NOW - timedelta(minutes=5))
        actions.sign_discharge(
            infusion=infusion, by=carol, now=NOW, checklist=GOOD_CHECKLIST, override_reason="test"
        )
    return infusion


def test_the_list_of_views_is_complete():
    assert len(SESSION_VIEWS) == 14
    assert PATIENT_VIEWS == ["new_course", "new_infusion", "patient_schedule"]


@pytest.mark.parametrize("name", SESSION_VIEWS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_clinics_and_patients_get_404(name, method, as_user, eve, bob, alice, discharged):
    path = reverse(name, kwargs={"infusion_id": discharged.pk})
    for user in (eve, bob.user, alice.user):
        response = getattr(as_user(user), method)(path, {"addendum-text": "x", "reason": "x"})
        assert response.status_code in (404, 405), (user.email, response.status_code)
        assert "Archer" not in response.content.decode()


@pytest.mark.parametrize("name", SESSION_VIEWS)
def test_strangers_are_sent_to_log_in(name, client, discharged):
    path = reverse(name, kwargs={"infusion_id": discharged.pk})
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", PATIENT_VIEWS)
def test_patient_pages_are_hidden_from_another_clinic(name, as_user, eve, alice, discharged):
    path = reverse(name, kwargs={"patient_id": alice.pk})
    assert as_user(eve).get(path).status_code == 404
    assert as_user(eve).post(path, {"action": "propose"}).status_code == 404


def test_a_session_id_that_does_not_exist_is_a_404(as_user, carol, discharged):
    assert as_user(carol).get("/clinic/sessions/999999/").status_code == 404


def test_the_driver_link_of_one_clinic_shows_only_that_discharge(client, discharged, eve):
    token = driver.make_token(discharged.discharge)
    html = client.get(f"/driver/{token}/").content.decode()
    assert "Taking Alice home" in html
    assert "Riverside" in html
