"""The definitions page cites its sources; a clinic admin can set the clinic's own definitions."""

import pytest
import time_machine

from aftercare.outcomes.loaders import definitions_for
from aftercare.outcomes.models import ClinicDefinitions
from aftercare.outcomes.tests.helpers import NOW, fading, give_history

pytestmark = pytest.mark.django_db

VALID = {
    "instrument": "phq9",
    "response_percent": "60",
    "partial_percent": "30",
    "remission_below": "5",
    "mcid_points": "6",
    "response_confirm_visits": "1",
    "remission_confirm_visits": "2",
    "loss_confirm_visits": "2",
    "assessment_from_days": "14",
    "assessment_to_days": "31",
}


def test_every_definition_names_its_source(carol, as_user):
    page = as_user(carol).get("/clinic/outcomes/definitions/").content.decode()
    anchors = "baseline response partial remission worsening mcid loss completion dropout"
    for anchor in (*anchors.split(), "intervals", "suicidal", "trajectory", "booster"):
        assert f'id="{anchor}"' in page
    for source in ("McInnes", "Löwe", "Sanacora", "Murrough 2013", "Shiroma 2014"):
        assert source in page
    assert "This clinic uses the published defaults." in page
    assert "Change the clinic" not in page  # clinicians read, admins change


def test_an_admin_sets_the_clinics_own_definitions_and_they_apply(
    dana, alice, carol, as_user, riverside
):
    client = as_user(dana)
    assert "Change the clinic" in client.get("/clinic/outcomes/definitions/").content.decode()
    response = client.post("/clinic/outcomes/definitions/", VALID)
    assert response.status_code == 302
    definitions = definitions_for(riverside)
    assert definitions.response_reduction == 0.6
    assert definitions.remission_confirm_visits == 2
    assert ClinicDefinitions.objects.get(clinic=riverside).updated_by == dana
    page = client.get("/clinic/outcomes/definitions/").content.decode()
    assert "This clinic uses its own definitions." in page
    # A 55 % reduction is a response by default, not with 60 %.
    with time_machine.travel(NOW, tick=False):
        give_history(alice, by=carol, mood=fading, phq9=[(0, 20, 0), (26, 9, 0)])
        listed = client.get("/clinic/outcomes/patients/?metric=partial").content.decode()
    assert "Archer" in listed
    client.post("/clinic/outcomes/definitions/", {"reset": "1"})
    assert not ClinicDefinitions.objects.filter(clinic=riverside).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"partial_percent": "60"}, "partial_percent"),
        ({"response_percent": "abc"}, "response_percent"),
        ({"response_percent": "1000"}, "response_percent"),
        ({"remission_below": ""}, "remission_below"),
        ({"instrument": "madrs"}, "instrument"),
        ({"instrument": "gad7", "remission_below": "25"}, "remission_below"),
        ({"assessment_from_days": "40"}, "assessment_to_days"),
        ({"loss_confirm_visits": "-1"}, "loss_confirm_visits"),
    ],
)
def test_impossible_definitions_are_explained_and_nothing_typed_is_lost(
    dana, as_user, riverside, change, field
):
    response = as_user(dana).post("/clinic/outcomes/definitions/", {**VALID, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert 'value="6"' in page  # the other answers stay
    assert not ClinicDefinitions.objects.filter(clinic=riverside).exists()


def test_clinicians_cannot_change_the_definitions(carol, riverside, as_user):
    assert as_user(carol).post("/clinic/outcomes/definitions/", VALID).status_code == 404
    assert not ClinicDefinitions.objects.filter(clinic=riverside).exists()


def test_the_definitions_page_is_for_staff(alice, client, as_user):
    assert as_user(alice.user).get("/clinic/outcomes/definitions/").status_code == 404
    assert client.get("/clinic/outcomes/definitions/").status_code == 302
