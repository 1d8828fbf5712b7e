"""Before the idle sign-out the page warns and offers to stay signed in (WCAG 2.2.1); a
keep-alive counts as activity."""

from datetime import UTC, datetime, timedelta

import time_machine
from conftest import PASSWORD
from django.test import override_settings

LOGIN = "/accounts/login/"


@override_settings(SESSION_IDLE_MINUTES=30)
def test_pages_of_a_signed_in_session_carry_the_warning(client, alice):
    client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD})
    html = client.get("/me/").content.decode()
    assert 'data-idle-seconds="1800" data-warn-seconds="120"' in html
    assert "Stay signed in" in html
    assert "aftercare/session.js" in html


@override_settings(SESSION_IDLE_MINUTES=30)
def test_no_warning_without_a_session_to_lose(client, db):
    html = client.get(LOGIN).content.decode()
    assert "session-warning" not in html
    assert "session.js" not in html


@override_settings(SESSION_IDLE_MINUTES=30)
def test_staying_signed_in_moves_the_idle_clock_on(client, alice):
    start = datetime.now(tz=UTC)
    client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD})
    with time_machine.travel(start + timedelta(minutes=28)):
        assert client.post("/accounts/keepalive/").status_code == 204
    with time_machine.travel(start + timedelta(minutes=50)):
        assert client.get("/me/").status_code == 200  # 22 min after the keep-alive
    with time_machine.travel(start + timedelta(minutes=85)):
        # Too late: the session has ended, and a keep-alive cannot revive it.
        assert client.post("/accounts/keepalive/").status_code != 204
        assert client.get("/me/").status_code == 302


@override_settings(SESSION_IDLE_MINUTES=30)
def test_a_keep_alive_moves_the_clock_on_even_seconds_after_a_page(client, alice):
    start = datetime.now(tz=UTC)
    client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD})
    with time_machine.travel(start + timedelta(minutes=29, seconds=30)):
        assert client.get("/me/").status_code == 200  # moves the clock on (once a minute)
    with time_machine.travel(start + timedelta(minutes=29, seconds=50)):
        assert client.post("/accounts/keepalive/").status_code == 204  # 20 s later: still
    with time_machine.travel(start + timedelta(minutes=59, seconds=40)):
        assert client.get("/me/").status_code == 200  # 29 min 50 s after the keep-alive
