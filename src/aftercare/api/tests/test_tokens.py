"""Personal tokens: stored hashed, shown once, revocable; the browser session needs CSRF."""

import re
import shlex
from html import unescape
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from aftercare.api import tokens
from aftercare.api.models import ApiToken
from aftercare.api.tests.conftest import ApiClient, assert_error_shape


def test_only_a_digest_of_the_token_is_stored(alice):
    token, raw = tokens.issue(alice.user, "phone")
    stored = ApiToken.objects.values_list(*[f.attname for f in ApiToken._meta.fields]).get()
    assert raw not in [str(value) for value in stored]
    assert token.digest == tokens.digest(raw)
    assert raw.startswith(token.prefix)


def test_a_token_acts_as_its_user(alice, carol):
    _token, raw = tokens.issue(carol, "EHR")
    data = ApiClient(raw).get("/api/v1/me").json()
    assert (data["email"], data["role"], data["clinic"]["slug"]) == (
        "carol@example.org",
        "clinician",
        "riverside",
    )
    assert data["patient_id"] is None
    data = ApiClient(tokens.issue(alice.user, "phone")[1]).get("/api/v1/me").json()
    assert data["patient_id"] == str(alice.pk)


def test_the_token_page_shows_a_new_token_once(as_user, alice):
    client = as_user(alice.user)
    response = client.post("/account/api-tokens/", {"name": "Mood app"})
    assert response.status_code == 200
    raw = re.search(r'value="(akc_[^"]+)"', response.content.decode()).group(1)
    assert ApiClient(raw).get("/api/v1/me/phase").status_code == 200
    again = client.get("/account/api-tokens/").content.decode()
    assert raw not in again
    assert "Mood app" in again
    assert raw[: tokens.PREFIX_LENGTH] in again


def token_rows(page: str) -> list[list[str]]:
    """The cells of each row of the token list, as text."""
    body = page.split('id="tokens-caption"')[1].split("</tbody>")[0]
    return [
        [
            unescape(re.sub(r"<[^>]+>", " ", cell)).split()
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)
    ]


@override_settings(SITE_URL="https://care.example.org")
def test_the_token_page_shows_a_working_example_and_that_tokens_do_not_expire(
    as_user, carol, client
):
    _token, raw = tokens.issue(carol, "EHR")
    page = as_user(carol).get("/account/api-tokens/").content.decode()
    example = unescape(re.search(r'<pre class="command"><code>(.*?)</code></pre>', page).group(1))
    assert example == (
        'curl -H "Authorization: Bearer YOUR_TOKEN" https://care.example.org/api/v1/me'
    )
    # Run as written, with the token in place of YOUR_TOKEN, it answers.
    _curl, _h, header, url = shlex.split(example.replace("YOUR_TOKEN", raw))
    name, value = header.split(": ")
    response = client.get(urlsplit(url).path, headers={name: value})
    assert (response.status_code, response.json()["email"]) == (200, "carol@example.org")
    docs = re.search(r'<a href="([^"]+)">The API documentation', page).group(1)
    assert docs == "https://care.example.org/api/v1/docs"
    assert client.get(urlsplit(docs).path).status_code == 200
    assert "Tokens do not expire: a token works until you revoke it in the list below." in page
    assert token_rows(page)[0][3:5] == [["Never"], ["Never:", "works", "until", "revoked"]]


def test_the_token_list_shows_when_each_token_was_made_used_and_revoked(as_user, alice):
    used, raw = tokens.issue(alice.user, "phone")
    tokens.issue(alice.user, "unused")
    ApiClient(raw).get("/api/v1/me")
    used.refresh_from_db()
    tokens.revoke(used)
    rows = token_rows(as_user(alice.user).get("/account/api-tokens/").content.decode())
    made = [row[2] for row in rows]
    assert all(cell and cell != ["Never"] for cell in made)
    (unused, revoked) = rows
    assert unused[0] == ["unused"]
    assert unused[3:5] == [["Never"], ["Never:", "works", "until", "revoked"]]
    assert revoked[0] == ["phone"]
    assert revoked[3] != ["Never"]  # when it was last used
    assert revoked[4] == ["—"]
    assert revoked[5][0] == "Revoked"


def test_the_token_page_explains_a_missing_name(as_user, alice):
    response = as_user(alice.user).post("/account/api-tokens/", {"name": ""})
    assert response.status_code == 400
    assert "Give the token a name." in response.content.decode()
    assert not ApiToken.objects.exists()
    response = as_user(alice.user).post("/account/api-tokens/", {"name": "x" * 500})
    assert response.status_code == 400
    assert "x" * 500 in response.content.decode()  # what was typed is kept


def test_revoking_on_the_page_stops_the_token_at_once(as_user, alice):
    token, raw = tokens.issue(alice.user, "phone")
    client = ApiClient(raw)
    assert client.get("/api/v1/me").status_code == 200
    response = as_user(alice.user).post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert_error_shape(client.get("/api/v1/me"), 401)
    assert "Revoked" in as_user(alice.user).get("/account/api-tokens/").content.decode()


def test_nobody_can_revoke_someone_elses_token(as_user, alice, bob, eve, client):
    token, raw = tokens.issue(alice.user, "phone")
    for user in (bob.user, eve):
        assert as_user(user).post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 302
    assert as_user(alice.user).get(f"/account/api-tokens/{token.pk}/revoke/").status_code == 405
    assert ApiClient(raw).get("/api/v1/me").status_code == 200


def test_the_token_page_needs_a_login(client):
    assert client.get("/account/api-tokens/").status_code == 302


def test_the_command_creates_lists_and_revokes(carol):
    out, err = StringIO(), StringIO()
    call_command(
        "api_token", "create", "CAROL@example.org", "--name", "EHR", stdout=out, stderr=err
    )
    raw = out.getvalue().strip()
    assert "not be shown again" in err.getvalue()
    assert ApiClient(raw).get("/api/v1/patients").status_code == 200
    out = StringIO()
    call_command("api_token", "list", "carol@example.org", stdout=out)
    assert "EHR" in out.getvalue()
    assert raw not in out.getvalue()
    call_command("api_token", "revoke", "carol@example.org", stdout=StringIO())
    assert ApiClient(raw).get("/api/v1/patients").status_code == 401
    with pytest.raises(CommandError, match="nothing was revoked"):
        call_command("api_token", "revoke", "carol@example.org", stdout=StringIO())
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "create", "nobody@example.org", stdout=StringIO())


def test_the_aftercare_command_takes_the_hyphenated_name(monkeypatch, carol):
    from aftercare import cli

    seen = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.append(argv)
    )
    cli.main(["aftercare", "api-token", "list", "carol@example.org"])
    assert seen == [["aftercare", "api_token", "list", "carol@example.org"]]


def test_the_browser_session_needs_the_csrf_token_for_writes(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice.user)
    assert browser.get("/api/v1/me/check-ins").status_code == 200
    refused = browser.post("/api/v1/me/check-ins", {"mood": 5}, content_type="application/json")
    assert_error_shape(refused, 403)
    browser.get("/account/api-tokens/")  # sets the CSRF cookie, as any page does
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/api/v1/me/check-ins",
        {"mood": 5},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201
    assert alice.check_ins.count() == 1


def test_a_token_needs_no_csrf_token(alice):
    _token, raw = tokens.issue(alice.user, "phone")
    client = ApiClient(raw, Client(enforce_csrf_checks=True))
    assert client.post("/api/v1/me/check-ins", {"mood": 5}).status_code == 201


def test_a_wrong_token_is_refused_even_with_a_session(as_user, alice):
    client = ApiClient("akc_wrong", as_user(alice.user))
    assert_error_shape(client.get("/api/v1/me"), 401)


def test_last_use_is_recorded(alice):
    token, raw = tokens.issue(alice.user, "phone")
    assert token.last_used_at is None
    ApiClient(raw).get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at is not None
