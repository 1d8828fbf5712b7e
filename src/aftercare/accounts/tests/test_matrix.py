"""The full authorization matrix: every URL of the URL conf × every persona.

The URL names and their example requests live in test_access.py, grouped by who a page is for
(ALICE_PAGES, STAFF_PAGES, ...). This file derives, for each group, what each persona must get,
and checks all of them. A new view without an entry there fails test_access; a new group there
without a rule here fails ``test_every_group_of_the_access_file_has_a_rule``.

Personas (root conftest.py): nobody logged in; Alice and Bob, Riverside patients; Carol, Riverside
clinician (Alice's); Dana, Riverside clinic admin; Eve, Lakeside clinician. The library has no
role of its own for publishing: a clinic admin publishes for their clinic. Pat, Lakeside's admin,
is the publisher of another clinic, who must not reach Riverside's patients or articles.

Outcomes: 200 (or 302 onward, never to the login page) when allowed; 400 for an empty form that
is allowed; 404 for anything outside the persona's role or clinic (existence is not revealed);
302 to the login page for nobody logged in.
"""

from __future__ import annotations

import pytest
from django.test import Client

from aftercare.accounts.tests import test_access as access

PERSONAS = ("anonymous", "alice", "bob", "carol", "dana", "eve", "pat")
OK = frozenset({200, 302})
FORM = frozenset({200, 302, 400})
NOT_FOUND = frozenset({404})
TO_LOGIN = "login"


def everyone(outcome: frozenset[int] | str) -> dict[str, frozenset[int] | str]:
    return dict.fromkeys(PERSONAS, outcome)


# Group name in test_access.py -> persona -> allowed statuses (or TO_LOGIN).
RULES: dict[str, dict[str, frozenset[int] | str]] = {
    "ALICE_PAGES": everyone(NOT_FOUND) | {"anonymous": TO_LOGIN, "carol": OK, "dana": OK},
    "ALICE_SESSION_STEPS": everyone(NOT_FOUND)
    | {"anonymous": TO_LOGIN, "carol": frozenset({400}), "dana": frozenset({400})},
    "STAFF_PAGES": everyone(OK) | {"anonymous": TO_LOGIN, "alice": NOT_FOUND, "bob": NOT_FOUND},
    # Bob gets his own pages; a page about one of Alice's records ({check_in}...) is a 404.
    "PATIENT_PAGES": everyone(NOT_FOUND) | {"anonymous": TO_LOGIN, "alice": FORM, "bob": FORM},
    # About one of Alice's own records: Bob, another patient, gets a 404 too.
    "PATIENT_ACTIONS": everyone(NOT_FOUND) | {"anonymous": TO_LOGIN, "alice": OK},
    # Lakeside never sees Riverside's own article: a 404 for the article, absent from lists.
    "LIBRARY_READER_PAGES": everyone(OK) | {"anonymous": TO_LOGIN},
    "LIBRARY_STAFF_PAGES": everyone(OK)
    | {"anonymous": TO_LOGIN, "alice": NOT_FOUND, "bob": NOT_FOUND},
    "LIBRARY_PUBLISHER_PAGES": everyone(NOT_FOUND)
    | {"anonymous": TO_LOGIN, "dana": FORM, "pat": FORM},
    # The clinic admin only (audit log, patients' data requests); Pat sees his own clinic's.
    "ADMIN_PAGES": everyone(NOT_FOUND) | {"anonymous": TO_LOGIN, "dana": OK, "pat": OK},
    "ALICE_ADMIN_PAGES": everyone(NOT_FOUND) | {"anonymous": TO_LOGIN, "dana": OK},
    "STAFF_MEMBER_PAGES": everyone(NOT_FOUND) | {"anonymous": TO_LOGIN, "dana": OK},
    "ACCOUNT_PAGES": everyone(OK) | {"anonymous": TO_LOGIN},
}
# Groups that only combine others, and groups checked below by their own table: the public
# pages (PUBLIC_CALLS) and the API operations (api/tests/endpoints.py, API_PAGES).
UNIONS = {"LIBRARY_PAGES"}
ELSEWHERE = {"PUBLIC", "API"}
LAKESIDE = {"eve", "pat"}

# Public pages: a request each, and what nobody-logged-in and everyone logged in get.
# Token pages get a made-up token: a 404, never a 500.
PUBLIC_CALLS: dict[str, tuple[str, str, frozenset[int], frozenset[int]]] = {
    "login": ("get", "/accounts/login/", frozenset({200}), frozenset({200})),
    "password_reset": ("get", "/accounts/password-reset/", frozenset({200}), frozenset({200})),
    "password_reset_done": (
        "get",
        "/accounts/password-reset/sent/",
        frozenset({200}),
        frozenset({200}),
    ),
    "password_reset_confirm": (
        "get",
        "/accounts/reset/MQ/made-up-token/",
        frozenset({200}),
        frozenset({200}),
    ),
    "password_reset_complete": ("get", "/accounts/reset/done/", frozenset({200}), frozenset({200})),
    "accept_invitation": ("get", "/invitation/made-up-token/", NOT_FOUND, NOT_FOUND),
    "healthz": ("get", "/healthz", frozenset({200}), frozenset({200})),
    "home": ("get", "/", frozenset({302}), frozenset({302})),
    "logout": ("post", "/accounts/logout/", frozenset({302}), frozenset({302})),
    "keepalive": ("post", "/accounts/keepalive/", frozenset({401}), frozenset({204})),
    # Someone logged in is sent to their own home instead of using a link.
    "reminder_link": ("get", "/r/made-up-token/", NOT_FOUND, frozenset({302})),
    "reminder_link_done": ("get", "/r/done/", frozenset({200}), frozenset({200})),
    "ical_feed": ("get", "/ical/made-up-token.ics", NOT_FOUND, NOT_FOUND),
    "clinician_ical_feed": ("get", "/ical/sessions/made-up-token.ics", NOT_FOUND, NOT_FOUND),
    "driver_sheet": ("get", "/driver/made-up-token/", NOT_FOUND, NOT_FOUND),
}
# Finer rules than a group's, each with its reason.
EXCEPTIONS: dict[tuple[str, str], frozenset[int]] = {
    # A draft note is its author's (Carol's) until signed; the admin cannot edit it either.
    ("note_edit", "dana"): NOT_FOUND,
    # The tag exists only on Riverside's own article: at Lakeside there is no such tag.
    ("library_tag", "eve"): NOT_FOUND,
    ("library_tag", "pat"): NOT_FOUND,
}


@pytest.fixture
def clients(alice, bob, carol, dana, eve, pat, as_user) -> dict[str, Client]:
    users = {"alice": alice.user, "bob": bob.user, "carol": carol, "dana": dana, "eve": eve}
    return (
        {"anonymous": Client()}
        | {name: as_user(u) for name, u in users.items()}
        | {"pat": as_user(pat)}
    )


def groups() -> dict[str, dict]:
    return {
        name: value
        for name, value in vars(access).items()
        if name.isupper() and isinstance(value, dict | set | frozenset)
    }


def cases() -> list[tuple[str, str]]:
    return sorted(
        (group, name) for group, entries in groups().items() if group in RULES for name in entries
    )


def test_every_group_of_the_access_file_has_a_rule():
    assert set(groups()) - set(RULES) - UNIONS - ELSEWHERE == set()


def test_every_public_page_has_a_request():
    assert access.PUBLIC - PUBLIC_CALLS.keys() == set()


def expected(group: str, name: str, persona: str) -> frozenset[int] | str:
    rule = RULES[group][persona]
    template = getattr(access, group)[name][1]
    if rule == TO_LOGIN:
        return rule
    if (name, persona) in EXCEPTIONS:
        return EXCEPTIONS[name, persona]
    # A page about one of Alice's own records: Bob is another patient.
    if group == "PATIENT_PAGES" and persona == "bob" and "{" in template:
        return NOT_FOUND
    # Riverside's own article, seen from Lakeside.
    if group.startswith("LIBRARY") and persona in LAKESIDE and "{article}" in template:
        return NOT_FOUND
    return rule


def request(group: str, name: str, client: Client, alice, riverside):
    spec = getattr(access, group)[name]
    if group.startswith("LIBRARY"):
        return access.call_library(client, spec, riverside)
    return access.call(client, spec, alice)


@pytest.mark.parametrize(("group", "name"), cases())
def test_matrix(group, name, clients, alice, riverside):
    failures = []
    for persona in PERSONAS:
        response = request(group, name, clients[persona], alice, riverside)
        want = expected(group, name, persona)
        location = response.get("Location", "")
        if want == TO_LOGIN:
            ok = response.status_code == 302 and location.startswith("/accounts/login/")
        else:
            ok = response.status_code in want and "/accounts/login/" not in location
        if ok and persona in LAKESIDE and response.status_code == 200:
            ok = "Riverside only" not in body(response)
        if not ok:
            failures.append((persona, response.status_code, location, want))
    assert failures == []


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("name", sorted(PUBLIC_CALLS))
def test_public_pages(name, clients):
    method, path, anonymous, logged_in = PUBLIC_CALLS[name]
    for persona in PERSONAS:
        status = getattr(clients[persona], method)(path).status_code
        assert status in (anonymous if persona == "anonymous" else logged_in), (persona, status)


# ------------------------------------------------------------------------------- the JSON API
# Each operation with a personal token and with the browser session. Nobody logged in: 401.
# The wrong role, another clinic or another patient: 404, as on the pages.
SUCCESS = {"get": frozenset({200}), "post": frozenset({201})}
# URL names of the API that are not operations, with a request each.
API_PAGES: dict[str, tuple[str, str, dict[str, frozenset[int] | str]]] = {
    # Where the description and docs are; no data.
    "api-root": ("get", "/api/v1/", everyone(frozenset({200}))),
    "api_index": ("get", "/api/v1/", everyone(frozenset({200}))),
    "api_not_found": ("get", "/api/v1/no-such-thing", everyone(NOT_FOUND)),
    "openapi-json": ("get", "/api/v1/openapi.json", everyone(frozenset({200}))),
    "openapi-view": ("get", "/api/v1/docs", everyone(frozenset({200}))),
    "api_tokens": (
        "get",
        "/account/api-tokens/",
        everyone(frozenset({200})) | {"anonymous": TO_LOGIN},
    ),
    "api_token_revoke": (
        "post",
        "/account/api-tokens/999999/revoke/",
        everyone(NOT_FOUND) | {"anonymous": TO_LOGIN},
    ),
}


def api_expected(method: str, template: str, who: str, persona: str) -> frozenset[int]:
    ok = SUCCESS[method]
    if persona == "anonymous":
        return frozenset({401})
    patient = persona in {"alice", "bob"}
    if who == "anyone":
        return ok
    if who == "patient":
        return ok if patient else NOT_FOUND
    if patient:
        return NOT_FOUND
    return NOT_FOUND if persona in LAKESIDE and "{alice}" in template else ok


def api_operations() -> list[str]:
    try:
        from aftercare.api.tests.endpoints import ENDPOINTS
    except ImportError:  # a build without the API
        return []
    return sorted(ENDPOINTS)


@pytest.mark.parametrize("name", api_operations())
def test_api_matrix(name, alice, bob, carol, dana, eve, pat, as_user):
    from aftercare.api import tokens
    from aftercare.api.tests.conftest import ApiClient, call, records_of
    from aftercare.api.tests.endpoints import ENDPOINTS

    records_of(alice)
    method, template, who, _body = ENDPOINTS[name]
    users = {"alice": alice.user, "bob": bob.user, "carol": carol, "dana": dana, "eve": eve}
    users["pat"] = pat
    failures = []
    for persona in PERSONAS:
        user = users.get(persona)
        ways = {"token": ApiClient(), "session": ApiClient()}
        if user is not None:
            ways = {
                "token": ApiClient(tokens.issue(user, "matrix")[1]),
                "session": ApiClient(client=as_user(user)),
            }
        want = api_expected(method, template, who, persona)
        for how, client in ways.items():
            status = call(client, name, alice).status_code
            if status not in want:
                failures.append((persona, how, status, want))
    assert failures == []


def test_every_api_url_name_has_a_rule():
    if not hasattr(access, "API"):
        pytest.skip("no API in this build")
    operations = {f"api_{name}" for name in api_operations()}
    assert access.API - operations - API_PAGES.keys() == set()


@pytest.mark.parametrize("name", sorted(API_PAGES))
def test_api_pages(name, clients):
    method, path, rules = API_PAGES[name]
    for persona in PERSONAS:
        response = getattr(clients[persona], method)(path)
        want = rules[persona]
        if want == TO_LOGIN:
            assert response.status_code == 302, persona
            assert response["Location"].startswith("/accounts/login/"), persona
        else:
            assert response.status_code in want, (persona, response.status_code)
