"""A form sent just after the idle sign-out is kept for the same person to send after signing
in again; urgent answers reach the care team at once; nobody else sees what was kept."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from conftest import PASSWORD
from django.test import Client, override_settings

from aftercare.safety.models import Alert
from aftercare.tracking.models import CheckIn, JournalEntry

LOGIN = "/accounts/login/"
URGENT_CHECK_IN = {
    "mood": "2",
    "suicidal_thoughts": "yes",
    "note": "I don't want to be here anymore.",
}

pytestmark = pytest.mark.usefixtures("idle_after_thirty_minutes")


@pytest.fixture
def idle_after_thirty_minutes():
    with override_settings(SESSION_IDLE_MINUTES=30):
        yield


@pytest.fixture
def start():
    return datetime.now(tz=UTC)


def sign_in(client: Client, email: str, next_url: str = "") -> None:
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    client.post(url, {"username": email, "password": PASSWORD})


def hidden_fields(page: str) -> tuple[str, dict[str, list[str]]]:
    form = re.search(
        r'<form method="post" action="([^"]+)" class="unsent-send">(.*?)</form>', page, re.S
    )
    assert form is not None
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)):
        fields.setdefault(name, []).append(unescape(value))
    fields.pop("csrfmiddlewaretoken", None)
    return form.group(1), fields


def test_an_urgent_check_in_sent_after_the_sign_out_is_told_and_kept(client, alice, start):
    sign_in(client, "alice@example.org")
    key = str(uuid.uuid4())
    with time_machine.travel(start + timedelta(minutes=31)):
        response = client.post("/me/check-in/", URGENT_CHECK_IN | {"submission_key": key})
        assert response.url == "/accounts/login/?next=%2Faccounts%2Funsent%2F"
        # The care team hears of it now, whether or not the patient signs in again.
        alerts = Alert.objects.filter(patient=alice, severity=Alert.Severity.URGENT)
        assert alerts.count() == 1
        assert not CheckIn.objects.exists()
        login_page = unescape(client.get(response.url).content.decode())
        assert "It is kept: sign in to send it." in login_page
        assert "Your care team has been told about your answers." in login_page
        assert "call 911, or call or text 988" in login_page

        sign_in(client, "alice@example.org", next_url="/accounts/unsent/")
        page = client.get("/accounts/unsent/").content.decode()
        assert "You sent your check-in after being signed out" in page
        assert "I don&#x27;t want to be here anymore." in page
        action, fields = hidden_fields(page)
        assert action == "/me/check-in/"
        sent = client.post(action, {k: v[0] for k, v in fields.items()})
    assert sent.status_code == 200  # the crisis screen, as for any urgent check-in
    entry = CheckIn.objects.get(patient=alice)
    assert (entry.mood, entry.suicidal_thoughts) == (2, True)
    assert entry.note == "I don't want to be here anymore."
    # The same submission: no second alert for the same answer.
    assert alerts.count() == 1
    assert client.get("/accounts/unsent/").url == "/"  # nothing kept any more


def test_a_journal_entry_is_kept_and_sent(client, alice, start):
    sign_in(client, "alice@example.org")
    body = "A long evening entry.\nSecond line, written slowly."
    with time_machine.travel(start + timedelta(minutes=45)):
        client.post("/me/journal/new/", {"body": body, "visibility": "private"})
        assert not JournalEntry.objects.exists()
        sign_in(client, "alice@example.org", next_url="/accounts/unsent/")
        page = client.get("/accounts/unsent/").content.decode()
        assert "a new journal entry" in page
        action, fields = hidden_fields(page)
        response = client.post(action, {k: v[0] for k, v in fields.items()})
    assert response.status_code == 302
    assert JournalEntry.objects.get(patient=alice).body == body


def test_someone_else_signing_in_never_sees_what_was_kept(client, alice, bob, start):
    sign_in(client, "alice@example.org")
    with time_machine.travel(start + timedelta(minutes=31)):
        client.post("/me/journal/new/", {"body": "Private words.", "visibility": "private"})
        sign_in(client, "bob@example.org", next_url="/accounts/unsent/")
        response = client.get("/accounts/unsent/")
        assert response.url == "/"
        sign_in(client, "alice@example.org")
        assert client.get("/accounts/unsent/").url == "/"  # dropped, not waiting for Alice


def test_what_was_kept_can_be_discarded(client, alice, start):
    sign_in(client, "alice@example.org")
    with time_machine.travel(start + timedelta(minutes=31)):
        client.post("/me/journal/new/", {"body": "Never mind.", "visibility": "private"})
        sign_in(client, "alice@example.org")
        page = client.post("/accounts/unsent/", follow=True).content.decode()
        assert "Discarded: it was not saved." in page
        assert client.get("/accounts/unsent/").url == "/"
    assert not JournalEntry.objects.exists()


def test_it_is_not_kept_for_ever(client, alice, start):
    sign_in(client, "alice@example.org")
    with time_machine.travel(start + timedelta(minutes=31)):
        client.post("/me/journal/new/", {"body": "Old words.", "visibility": "private"})
    with time_machine.travel(start + timedelta(minutes=31, hours=3)):
        sign_in(client, "alice@example.org")
        assert client.get("/accounts/unsent/").url == "/"


def test_a_nurses_round_note_is_kept_too(client, carol, start):
    sign_in(client, "carol@example.org")
    with time_machine.travel(start + timedelta(minutes=31)):
        response = client.post("/clinic/sessions/1/rounds/", {"round-notes": "Calm, talking."})
        assert response.url == "/accounts/login/?next=%2Faccounts%2Funsent%2F"
        sign_in(client, "carol@example.org")
        page = client.get("/accounts/unsent/").content.decode()
        assert "Calm, talking." in page
        assert "a form" in page


def test_signing_in_the_usual_way_shows_a_notice_on_every_page(client, alice, start):
    sign_in(client, "alice@example.org")
    with time_machine.travel(start + timedelta(minutes=31)):
        client.post("/me/journal/new/", {"body": "Kept words.", "visibility": "private"})
        sign_in(client, "alice@example.org")  # not through the link to the kept form
        for url in ("/me/", "/me/journal/"):
            page = client.get(url).content.decode()
            assert "has not been saved yet." in page, url
            assert 'href="/accounts/unsent/">Send or discard it</a>' in page


def test_nobody_else_sees_the_notice(client, alice, bob, start):
    sign_in(client, "alice@example.org")
    with time_machine.travel(start + timedelta(minutes=31)):
        client.post("/me/journal/new/", {"body": "Alice's words.", "visibility": "private"})
        sign_in(client, "bob@example.org")
        assert "has not been saved yet." not in client.get("/me/").content.decode()


# 21:05 UTC is 14:05 in Los Angeles (Alice's zone) on this day.
SENT_AT = datetime(2026, 3, 10, 21, 5, tzinfo=UTC)
DROPPED = "was kept for 2 hours and has now been discarded"


def keep_a_check_in_sent_at(client: Client, email: str, sent_at: datetime) -> None:
    with time_machine.travel(sent_at - timedelta(minutes=31), tick=False):
        sign_in(client, email)
    with time_machine.travel(sent_at, tick=False):
        response = client.post("/me/check-in/", {"mood": "3", "note": "A private worry."})
    assert response.url == "/accounts/login/?next=%2Faccounts%2Funsent%2F"


def test_signing_in_after_it_expired_says_so_once(client, alice):
    keep_a_check_in_sent_at(client, "alice@example.org", SENT_AT)
    with time_machine.travel(SENT_AT + timedelta(hours=2, minutes=1), tick=False):
        sign_in(client, "alice@example.org", next_url="/accounts/unsent/")
        page = unescape(client.get("/accounts/unsent/", follow=True).content.decode())
        assert (
            "You sent your check-in on 10 March 2026, 14:05, just after being signed out. It "
            "was kept for 2 hours and has now been discarded, so it was not saved. Please fill "
            "it in again."
        ) in page
        # What it said is not repeated, and there is nothing left to send.
        assert "A private worry." not in page
        assert "has not been saved yet." not in page
        again = client.get("/me/").content.decode()
    assert DROPPED not in again
    assert "has not been saved yet." not in again
    assert not CheckIn.objects.exists()


def test_signing_in_the_usual_way_after_it_expired_says_so_too(client, alice):
    keep_a_check_in_sent_at(client, "alice@example.org", SENT_AT)
    with time_machine.travel(SENT_AT + timedelta(hours=5), tick=False):
        sign_in(client, "alice@example.org")
        page = client.get("/me/").content.decode()
    assert DROPPED in page
    assert "has not been saved yet." not in page


def test_opening_it_after_it_expired_says_so(client, alice):
    keep_a_check_in_sent_at(client, "alice@example.org", SENT_AT)
    with time_machine.travel(SENT_AT + timedelta(hours=1, minutes=40), tick=False):
        sign_in(client, "alice@example.org")
        page = client.get("/me/").content.decode()
        assert "has not been saved yet." in page
        assert DROPPED not in page
    with time_machine.travel(SENT_AT + timedelta(hours=2, minutes=5), tick=False):
        page = client.get("/accounts/unsent/", follow=True).content.decode()
    assert DROPPED in page
    assert "10 March 2026, 14:05" in page


def test_within_two_hours_there_is_no_such_notice(client, alice):
    keep_a_check_in_sent_at(client, "alice@example.org", SENT_AT)
    with time_machine.travel(SENT_AT + timedelta(hours=1, minutes=59), tick=False):
        sign_in(client, "alice@example.org")
        page = client.get("/accounts/unsent/").content.decode()
    assert "You sent your check-in after being signed out" in page
    assert DROPPED not in page


def test_someone_else_is_not_told_of_an_expired_form(client, alice, bob):
    keep_a_check_in_sent_at(client, "alice@example.org", SENT_AT)
    with time_machine.travel(SENT_AT + timedelta(hours=3), tick=False):
        sign_in(client, "bob@example.org", next_url="/accounts/unsent/")
        page = client.get("/accounts/unsent/", follow=True).content.decode()
    assert DROPPED not in page


def test_the_notice_on_every_page_ends_when_the_form_expires(client, alice):
    keep_a_check_in_sent_at(client, "alice@example.org", SENT_AT)
    with time_machine.travel(SENT_AT + timedelta(hours=1, minutes=50), tick=False):
        sign_in(client, "alice@example.org")
        assert "has not been saved yet." in client.get("/me/").content.decode()
    with time_machine.travel(SENT_AT + timedelta(hours=2, minutes=1), tick=False):
        page = client.get("/me/journal/").content.decode()
        later = client.get("/me/").content.decode()
    assert "has not been saved yet." not in page
    assert DROPPED in page  # told on the page where the notice would have been
    assert DROPPED not in later
    assert "has not been saved yet." not in later
