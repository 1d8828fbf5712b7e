"""The "Your account" links at the foot of every page: each signed-in user finds their password
and API tokens; staff find their own sign-in codes and, under "Your clinic", the clinic's
settings; only the clinic admin, who can change them, finds staff accounts and the clinic's
sign-in settings. No link leads to a page the user may not open."""

import re

import pytest

API_TOKENS = 'href="/account/api-tokens/"'
SIGN_IN_SETTINGS = 'href="/clinic/settings/sign-in/"'
OWN_CODES = 'href="/accounts/two-factor/setup/"'


CHANGE_PASSWORD = 'href="/accounts/password/"'
STAFF_ACCOUNTS = 'href="/clinic/staff/"'


def account_nav(page: str) -> str:
    """Every link at the foot of the page: the account's own, then the clinic's."""
    navs = re.findall(r'<nav class="account-nav".*?</nav>', page, re.S)
    assert navs, "no account links on the page"
    return "".join(navs)


def nav_titled(page: str, title: str) -> str:
    for nav in re.findall(r'<nav class="account-nav".*?</nav>', page, re.S):
        if f">{title}</h2>" in nav:
            return nav
    return ""


def nav_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return account_nav(response.content.decode())


def test_a_patient_finds_their_password_and_tokens_and_no_staff_settings(as_user, alice):
    page = as_user(alice.user).get("/me/").content.decode()
    assert nav_titled(page, "Your clinic") == ""
    nav = nav_titled(page, "Your account")
    assert CHANGE_PASSWORD in nav
    assert API_TOKENS in nav
    assert SIGN_IN_SETTINGS not in nav
    assert OWN_CODES not in nav
    # In a patient's words: the page is for connecting an app, not "API tokens".
    assert "Connect an app" in nav
    assert "API tokens" not in nav


def test_a_patient_reads_what_connecting_an_app_means(as_user, alice):
    page = as_user(alice.user).get("/account/api-tokens/").content.decode()
    assert "<h1>Connect an app</h1>" in page
    assert "You do not need this to use this site." in page
    assert "Only connect an app you trust" in page


def test_staff_still_read_api_tokens(as_user, carol):
    page = as_user(carol).get("/account/api-tokens/").content.decode()
    assert "<h1>API tokens</h1>" in page
    assert "You do not need this" not in page


def test_a_clinic_admin_finds_tokens_and_sign_in_settings(as_user, dana):
    page = as_user(dana).get("/clinic/workspace/").content.decode()
    own, clinic = nav_titled(page, "Your account"), nav_titled(page, "Your clinic")
    for link in (CHANGE_PASSWORD, API_TOKENS, OWN_CODES):
        assert link in own
    for link in (SIGN_IN_SETTINGS, STAFF_ACCOUNTS):
        assert link in clinic
        assert link not in own


def test_a_clinician_who_cannot_change_sign_in_settings_is_not_offered_them(as_user, carol):
    nav = nav_of(as_user(carol), "/clinic/workspace/")
    assert API_TOKENS in nav
    assert OWN_CODES in nav
    assert SIGN_IN_SETTINGS not in nav
    assert STAFF_ACCOUNTS not in nav


def test_nobody_logged_in_gets_no_account_links(client, riverside):
    assert 'class="account-nav"' not in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize("persona", ["alice", "carol", "dana"])
def test_every_account_link_opens_and_marks_itself_current(request, as_user, persona):
    user = request.getfixturevalue(persona)
    client = as_user(getattr(user, "user", user))
    start = "/me/" if persona == "alice" else "/clinic/workspace/"
    links = re.findall(r'href="([^"]+)"', nav_of(client, start))
    assert links
    for link in links:
        nav = nav_of(client, link)
        assert f'href="{link}" aria-current="page"' in nav
        assert nav.count('aria-current="page"') == 1
