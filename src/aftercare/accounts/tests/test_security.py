"""Login throttling, session expiry, password rules and the browser-facing headers.

docs/security.md maps each safeguard to the test here that proves it.
"""

import os
import re
import secrets
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from conftest import PASSWORD
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings

from aftercare.accounts.actions import create_staff
from aftercare.accounts.models import Role

LOGIN = "/accounts/login/"
axes_on = override_settings(AXES_ENABLED=True)


def fail(client, email="alice@example.org", times=1, **extra):
    response = None
    for _ in range(times):
        response = client.post(LOGIN, {"username": email, "password": "wrong-guess"}, **extra)
    return response


@axes_on
def test_five_wrong_passwords_lock_the_account_on_that_address(client, alice):
    for attempt in range(4):
        assert fail(client).status_code == 200, attempt
    locked = fail(client)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many attempts" in html
    assert "Try again in 15 minutes." in html
    assert 'href="/accounts/password-reset/"' in html
    # Even the right password is refused while the lockout lasts.
    right = client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD})
    assert right.status_code == 429
    assert client.get("/me/").status_code == 302


@axes_on
def test_the_lockout_ends_after_the_cool_off(client, alice):
    fail(client, times=5)
    later = datetime.now(tz=UTC) + settings.AXES_COOLOFF_TIME + timedelta(seconds=5)
    with time_machine.travel(later):
        response = client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD})
        assert response.status_code == 302


@axes_on
def test_the_lockout_is_per_account_and_address(client, alice, bob):
    fail(client, times=5)
    # Another account from the same address, and the same account from elsewhere, still work.
    other = client.post(LOGIN, {"username": "bob@example.org", "password": PASSWORD})
    assert other.status_code == 302
    elsewhere = client.post(
        LOGIN,
        {"username": "alice@example.org", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    assert elsewhere.status_code == 302


@axes_on
def test_a_successful_login_resets_the_count(client, alice):
    fail(client, times=4)
    client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD})
    client.post("/accounts/logout/")
    assert fail(client, times=4).status_code == 200


def test_throttling_is_on_in_production_settings():
    # The test settings switch it off for Client.login(); production never does.
    from aftercare import settings as production

    assert not hasattr(production, "AXES_ENABLED")
    assert production.AXES_FAILURE_LIMIT == 5
    assert production.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_passwords_are_stored_with_argon2(db, riverside):
    from aftercare import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = create_staff(
            clinic=riverside,
            email="gail@example.org",
            password=PASSWORD,
            role=Role.CLINICIAN,
            first_name="Gail",
            last_name="Green",
        )
        assert identify_hasher(user.password).algorithm == "argon2"
        assert user.check_password(PASSWORD)


@override_settings(SESSION_IDLE_MINUTES=30)
def test_a_session_ends_after_thirty_idle_minutes(client, alice):
    start = datetime.now(tz=UTC)
    client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD})
    with time_machine.travel(start + timedelta(minutes=29)):
        assert client.get("/me/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=58)):
        assert client.get("/me/").status_code == 200  # activity moved the clock on
    with time_machine.travel(start + timedelta(minutes=89)):
        response = client.get("/me/journal/")
        assert response.url == "/accounts/login/?next=%2Fme%2Fjournal%2F"
        page = client.get(response.url).content.decode()
        assert "signed out after a while without activity" in page
        assert client.get("/me/").status_code == 302


@override_settings(SESSION_IDLE_MINUTES=0, SESSION_COOKIE_AGE=3600)
def test_a_session_ends_at_its_age_even_when_busy(client, alice):
    start = datetime.now(tz=UTC)
    client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD})
    for minutes in (20, 40, 55):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get("/me/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=61)):
        assert client.get("/me/").status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw-1", "too short"),
        ("password1234", "too common"),
        ("alice@example.org1", "too similar"),
        ("384729105638", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_next_to_the_field(client, alice, password, message):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(alice.user.pk))
    token = default_token_generator.make_token(alice.user)
    form_url = client.get(f"/accounts/reset/{uid}/{token}/").url
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    html = response.content.decode()
    assert response.status_code == 200
    error = html.split('id="id_new_password1_error"', 1)[1].split("</p>", 1)[0]
    assert message in error


def test_headers_protect_every_page(client, db):
    response = client.get(LOGIN)
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response.cookies["csrftoken"]["samesite"] == "Lax"


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AFTERCARE_", "DJANGO_"))
    }
    return (
        env
        | {
            "DJANGO_SETTINGS_MODULE": "aftercare.settings",
            "AFTERCARE_SECRET_KEY": secrets.token_urlsafe(60),
            "AFTERCARE_ALLOWED_HOSTS": "aftercare.clinic.example",
            "AFTERCARE_DATA_DIR": str(tmp_path),
        }
        | extra
    )


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_and_transport_are_secure(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER,"
        " s.SESSION_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip() == (
        "True True True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https') True"
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["AFTERCARE_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert "AFTERCARE_SECRET_KEY must be set" in result.stderr


INLINE = {
    # A JSON data block is never run (the API docs' settings), so the policy allows it.
    "inline script": re.compile(
        r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.IGNORECASE
    ),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle=", re.IGNORECASE),
    "event handler": re.compile(r"\son[a-z]+=", re.IGNORECASE),
    "hx-on": re.compile(r"\shx-on", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}
# PDFs are drawn by WeasyPrint on the server, not by a browser under the policy.
SERVER_ONLY = ("_pdf.html", "pdf.html")


def test_no_template_needs_inline_script_or_style():
    package = Path(__file__).resolve().parents[2]
    found = []
    for template in package.rglob("templates/**/*.html"):
        if template.name.endswith(SERVER_ONLY):
            continue
        text = template.read_text()
        found += [
            f"{template.relative_to(package)}: {what}"
            for what, pattern in INLINE.items()
            if pattern.search(text)
        ]
    assert found == []


@axes_on
@override_settings(AUDIT_TRUSTED_PROXY_HEADER="X-Forwarded-For")
def test_behind_a_proxy_the_lockout_follows_the_address_the_proxy_saw(client, alice):
    # The client may put anything first; the proxy's own last entry is what counts.
    for forged in ("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4", "x"):
        fail(client, HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5", REMOTE_ADDR="10.0.0.2")
    right = {"username": "alice@example.org", "password": PASSWORD}
    same = client.post(LOGIN, right, HTTP_X_FORWARDED_FOR="203.0.113.5", REMOTE_ADDR="10.0.0.2")
    assert same.status_code == 429
    other = client.post(LOGIN, right, HTTP_X_FORWARDED_FOR="203.0.113.6", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302
