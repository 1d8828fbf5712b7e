"""Staff sign in with a one-time code where their clinic requires it (docs/security.md)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from conftest import PASSWORD
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, steps_ahead)
    return f"{value:0{device.digits}d}"


def log_in(client, email: str):
    return client.post("/accounts/login/", {"username": email, "password": PASSWORD})


@pytest.fixture
def requiring(riverside):
    riverside.require_staff_2fa = True
    riverside.save()
    return riverside


def set_up_authenticator(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/accounts/two-factor/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    done = client.post("/accounts/two-factor/setup/", {"code": current_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([^<]+)</code></li>", done.content.decode())
    device.refresh_from_db()
    return device, codes


def test_clinics_do_not_require_codes_until_they_turn_it_on(client, carol):
    assert log_in(client, "carol@example.org").url == "/"
    assert client.get("/clinic/patients/").status_code == 200


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, carol, requiring):
    log_in(client, "carol@example.org")
    response = client.get("/clinic/patients/")
    assert response.status_code == 302
    assert response.url == "/accounts/two-factor/setup/?next=%2Fclinic%2Fpatients%2F"
    page = client.get(response.url).content.decode()
    assert '<svg role="img" aria-label="QR code' in page
    assert 'autocomplete="one-time-code"' in page


def test_setting_up_shows_recovery_codes_once_and_opens_the_pages(client, carol, requiring):
    log_in(client, "carol@example.org")
    device, codes = set_up_authenticator(client)
    assert device.confirmed
    assert len(codes) == 10
    assert client.get("/clinic/patients/").status_code == 200


def test_a_wrong_code_is_explained_next_to_the_field_and_kept(client, carol, requiring):
    log_in(client, "carol@example.org")
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"code": "12 34"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_code_error"' in html
    assert 'value="12 34"' in html
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get("/clinic/patients/").status_code == 302


@pytest.mark.parametrize("code", ["", "x" * 5000, "<script>", "000000"])
def test_bad_codes_never_pass_and_never_fail_the_server(client, carol, requiring, code):
    log_in(client, "carol@example.org")
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"code": code})
    assert response.status_code == 400


def test_the_next_login_asks_for_a_code_then_returns_where_asked(client, carol, requiring):
    log_in(client, "carol@example.org")
    device, _codes = set_up_authenticator(client)
    client.post("/accounts/logout/")

    log_in(client, "carol@example.org")
    response = client.get("/clinic/alerts/")
    assert response.url == "/accounts/two-factor/verify/?next=%2Fclinic%2Falerts%2F"
    wrong = client.post(response.url, {"code": "000000", "next": "/clinic/alerts/"})
    assert wrong.status_code == 400
    assert "That code does not match" in wrong.content.decode()
    # Right after a wrong code the next one is refused for a moment (throttling) ...
    form = {"code": current_code(device, steps_ahead=1), "next": "/clinic/alerts/"}
    assert client.post("/accounts/two-factor/verify/", form).status_code == 400
    # ... then it works.
    with time_machine.travel(datetime.now(tz=UTC) + timedelta(seconds=3)):
        right = client.post("/accounts/two-factor/verify/", form)
    assert right.url == "/clinic/alerts/"
    assert client.get("/clinic/alerts/").status_code == 200


def test_a_recovery_code_works_once(client, carol, requiring):
    log_in(client, "carol@example.org")
    _device, codes = set_up_authenticator(client)
    for attempt in ("works", "used up"):
        client.post("/accounts/logout/")
        log_in(client, "carol@example.org")
        response = client.post("/accounts/two-factor/verify/", {"code": codes[0]})
        assert (response.status_code == 302) == (attempt == "works")


def test_a_password_alone_cannot_replace_the_authenticator(client, carol, requiring):
    log_in(client, "carol@example.org")
    set_up_authenticator(client)
    client.post("/accounts/logout/")
    log_in(client, "carol@example.org")
    response = client.get("/accounts/two-factor/setup/")
    assert response.url.startswith("/accounts/two-factor/verify/")
    assert TOTPDevice.objects.filter(confirmed=False).count() == 0


def test_an_outside_next_address_is_ignored(client, carol, requiring):
    log_in(client, "carol@example.org")
    device, _codes = set_up_authenticator(client)
    client.post("/accounts/logout/")
    log_in(client, "carol@example.org")
    response = client.post(
        "/accounts/two-factor/verify/",
        {"code": current_code(device, steps_ahead=1), "next": "https://evil.example/"},
    )
    assert response.url == "/"


def test_staff_who_set_up_codes_themselves_are_asked_even_if_the_clinic_does_not_require(
    client, carol
):
    log_in(client, "carol@example.org")
    set_up_authenticator(client)
    client.post("/accounts/logout/")
    log_in(client, "carol@example.org")
    assert client.get("/clinic/patients/").url.startswith("/accounts/two-factor/verify/")


def test_patients_are_never_asked_for_a_code(client, alice, requiring):
    log_in(client, "alice@example.org")
    assert client.get("/me/").status_code == 200
    assert client.get("/accounts/two-factor/setup/").status_code == 404


def test_the_clinic_admin_turns_the_requirement_on(as_user, carol, dana):
    admin = as_user(dana)
    page = admin.get("/clinic/settings/sign-in/").content.decode()
    assert "Require sign-in codes for all staff" in page
    admin.post("/clinic/settings/sign-in/", {"require_staff_2fa": "on"})
    carol.clinic.refresh_from_db()
    assert carol.clinic.require_staff_2fa
    # Already signed-in staff are held at the next page, the admin too.
    assert as_user(carol).get("/clinic/patients/").url.startswith("/accounts/two-factor/setup/")
    assert admin.get("/clinic/patients/").url.startswith("/accounts/two-factor/setup/")


def test_clinicians_see_but_cannot_change_the_requirement(as_user, carol):
    clinician = as_user(carol)
    page = clinician.get("/clinic/settings/sign-in/").content.decode()
    assert "does not require sign-in codes yet" in page
    assert 'name="require_staff_2fa"' not in page
    assert (
        clinician.post("/clinic/settings/sign-in/", {"require_staff_2fa": "on"}).status_code == 404
    )
    assert clinician.post("/clinic/settings/sign-in/", {"reset": carol.pk}).status_code == 404


def test_the_admin_resets_a_lost_authenticator_of_their_own_clinic_only(
    client, as_user, carol, dana, eve
):
    log_in(client, "carol@example.org")
    set_up_authenticator(client)
    client.post("/accounts/logout/")
    admin = as_user(dana)
    assert admin.post("/clinic/settings/sign-in/", {"reset": eve.pk}).status_code == 404
    for bad in ("x", "9" * 40, ""):
        assert admin.post("/clinic/settings/sign-in/", {"reset": bad}).status_code == 404
    assert "Reset for Carol Chen" in admin.get("/clinic/settings/sign-in/").content.decode()
    admin.post("/clinic/settings/sign-in/", {"reset": carol.pk})
    assert not TOTPDevice.objects.filter(user=carol).exists()
    # Without an authenticator and without the clinic requiring one, Carol gets straight in.
    log_in(client, "carol@example.org")
    assert client.get("/clinic/patients/").status_code == 200
