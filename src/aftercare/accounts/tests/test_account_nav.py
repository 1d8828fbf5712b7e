"""The "Your account" links at the foot of every page: each logged-in user finds their API tokens;
staff find their own sign-in codes; only the clinic admin, who can change them, finds the
clinic's sign-in settings. No link leads to a page the user may not open."""

import re

import pytest

API_TOKENS = 'href="/account/api-tokens/"'
SIGN_IN_SETTINGS = 'href="/clinic/settings/sign-in/"'
OWN_CODES = 'href="/accounts/two-factor/setup/"'


def account_nav(page: str) -> str:
    match = re.search(r'<nav class="account-nav".*?</nav>', page, re.S)
    assert match, "no account links on the page"
    return match.group(0)


def nav_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return account_nav(response.content.decode())


def test_a_patient_finds_their_tokens_and_no_staff_settings(as_user, alice):
    nav = nav_of(as_user(alice.user), "/me/")
    assert API_TOKENS in nav
    assert SIGN_IN_SETTINGS not in nav
    assert OWN_CODES not in nav


def test_a_clinic_admin_finds_tokens_and_sign_in_settings(as_user, dana):
    nav = nav_of(as_user(dana), "/clinic/workspace/")
    assert API_TOKENS in nav
    assert SIGN_IN_SETTINGS in nav
    assert OWN_CODES in nav


def test_a_clinician_who_cannot_change_sign_in_settings_is_not_offered_them(as_user, carol):
    nav = nav_of(as_user(carol), "/clinic/workspace/")
    assert API_TOKENS in nav
    assert OWN_CODES in nav
    assert SIGN_IN_SETTINGS not in nav


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
