"""Who may call what, on every operation: a token of clinic A never reads clinic B.

Eve (Lakeside) gets 404 for anything of Alice's (Riverside) and her lists never hold Riverside
data; Bob never sees Alice's records; patients get 404 from staff operations and staff from
patient operations; no token, a wrong token or a revoked token is 401.
"""

import pytest

from aftercare.api import tokens
from aftercare.api.tests.conftest import ApiClient, assert_error_shape, call
from aftercare.api.tests.endpoints import ENDPOINTS

STAFF_OPS = sorted(name for name, spec in ENDPOINTS.items() if spec[2] == "staff")
PATIENT_OPS = sorted(name for name, spec in ENDPOINTS.items() if spec[2] == "patient")
ALICE_OPS = sorted(name for name in STAFF_OPS if "{alice}" in ENDPOINTS[name][1])
# The bulk FHIR export is NDJSON, not a page: test_bulk_fhir.py covers its tenancy.
CLINIC_LISTS = sorted(
    name for name in STAFF_OPS if "{alice}" not in ENDPOINTS[name][1] and name != "bulk_fhir"
)
SUCCESS = {"get": 200, "post": 201}


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_anonymous_callers_get_401(name, alice_records, api_as):
    response = call(api_as(None), name, alice_records)
    assert_error_shape(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_a_revoked_or_unknown_token_gets_401(name, alice_records, carol):
    who = ENDPOINTS[name][2]
    user = alice_records.user if who == "patient" else carol
    token, raw = tokens.issue(user, "old phone")
    tokens.revoke(token)
    assert_error_shape(call(ApiClient(raw), name, alice_records), 401)
    assert_error_shape(call(ApiClient(raw[:-2] + "xx"), name, alice_records), 401)
    assert_error_shape(call(ApiClient("not-a-token"), name, alice_records), 401)


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_the_right_caller_succeeds(name, alice_records, carol, dana, api_as):
    who = ENDPOINTS[name][2]
    users = {"patient": [alice_records.user], "staff": [carol, dana]}.get(
        who, [alice_records.user, carol]
    )
    for user in users:
        response = call(api_as(user), name, alice_records)
        expected = SUCCESS[ENDPOINTS[name][0]]
        assert response.status_code == expected, (user.email, response.content[:300])


@pytest.mark.parametrize("name", ALICE_OPS)
def test_another_clinics_token_gets_404_for_alices_data(name, alice_records, eve, api_as):
    assert_error_shape(call(api_as(eve), name, alice_records), 404)


@pytest.mark.parametrize("name", CLINIC_LISTS)
def test_another_clinics_lists_hold_nothing_of_alices(name, alice_records, eve, api_as):
    response = call(api_as(eve), name, alice_records)
    assert response.status_code == 200
    assert response.json()["total"] == 0
    assert str(alice_records.pk) not in response.content.decode()


@pytest.mark.parametrize("name", STAFF_OPS)
def test_patients_get_404_from_staff_operations(name, alice_records, bob, api_as):
    for patient in (alice_records, bob):
        assert_error_shape(call(api_as(patient.user), name, alice_records), 404)


@pytest.mark.parametrize("name", PATIENT_OPS)
def test_staff_get_404_from_patient_operations(name, alice_records, carol, eve, api_as):
    for user in (carol, eve):
        assert_error_shape(call(api_as(user), name, alice_records), 404)


@pytest.mark.parametrize("name", ["my_check_ins", "my_scales", "my_phase", "whoami"])
def test_a_patient_reads_only_their_own_records(name, alice_records, bob, api_as):
    response = call(api_as(bob.user), name, alice_records)
    assert response.status_code == 200
    text = response.content.decode()
    assert "private words" not in text
    assert str(alice_records.pk) not in text
    if "total" in response.json():
        assert response.json()["total"] == 0


def test_a_patients_submission_is_stored_for_them_only(alice, bob, api_as):
    response = call(api_as(bob.user), "submit_check_in", alice)
    assert response.status_code == 201
    assert bob.check_ins.count() == 1
    assert alice.check_ins.count() == 0


def test_another_clinics_patient_list_is_its_own(alice_records, eve, lakeside, api_as):
    from aftercare.accounts.actions import create_patient

    lena = create_patient(
        clinic=lakeside,
        email="lena@example.org",
        first_name="Lena",
        last_name="Lake",
        timezone="America/Chicago",
    )
    items = api_as(eve).get("/api/v1/patients").json()["items"]
    assert [item["id"] for item in items] == [str(lena.pk)]


def test_a_token_stops_working_when_its_user_is_deactivated(alice, api_as):
    client = api_as(alice.user)
    assert client.get("/api/v1/me").status_code == 200
    alice.user.is_active = False
    alice.user.save()
    assert_error_shape(client.get("/api/v1/me"), 401)


def test_a_token_stops_working_when_its_user_moves_clinic(carol, lakeside, api_as):
    client = api_as(carol)
    carol.clinic = lakeside
    carol.save()
    assert_error_shape(client.get("/api/v1/patients"), 401)
