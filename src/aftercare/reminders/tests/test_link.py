"""The one-tap link in a reminder opens Alice's check-in, and nothing else."""

from datetime import date

import pytest
import time_machine
from conftest import utc
from django.core import signing

from aftercare.audit.models import AuditEvent
from aftercare.reminders import tokens
from aftercare.tracking.actions import submit_check_in
from aftercare.tracking.models import CheckIn

# 19:05 on Monday 4 May 2026 in Los Angeles.
EVENING = "2026-05-05 02:05Z"


@pytest.fixture
def evening():
    with time_machine.travel(EVENING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def link(alice, evening) -> str:
    return f"/r/{tokens.make_token(alice, date(2026, 5, 4))}/"


def open_link(client, link):
    response = client.get(link)
    assert response.status_code == 302
    assert response.url == "/me/"
    return response


def test_the_link_opens_the_check_in_without_a_password(client, alice, link):
    open_link(client, link)
    page = client.get("/me/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'action="/me/check-in/"' in html
    opened = AuditEvent.objects.get(patient=alice, what="reminder link")
    assert opened.actor == alice.user


def test_a_check_in_through_the_link_is_saved_and_ends_the_session(client, alice, link):
    open_link(client, link)
    response = client.post("/me/check-in/", {"mood": "7"})
    assert response.status_code == 302
    assert response.url == "/r/done/"
    assert "Thank you" in client.get("/r/done/").content.decode()
    entry = CheckIn.objects.get(patient=alice)
    assert entry.mood == 7
    assert AuditEvent.objects.get(what="check-in").actor == alice.user
    # One check-in per link: the session is over, and the link has done its job.
    assert client.get("/me/").url.startswith("/accounts/login/")
    again = client.get(link)
    assert again.status_code == 200
    assert "already checked in" in again.content.decode()


def test_a_mistake_in_the_form_keeps_the_session(client, alice, link):
    open_link(client, link)
    assert client.post("/me/check-in/", {"mood": "11"}).status_code == 400
    assert client.get("/me/").status_code == 200
    assert client.post("/me/check-in/", {"mood": "5"}).url == "/r/done/"


def test_an_urgent_answer_still_shows_the_crisis_screen(client, alice, link):
    open_link(client, link)
    response = client.post("/me/check-in/", {"mood": "2", "suicidal_thoughts": "yes"})
    assert response.status_code == 200
    assert "988" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/me/recovery/",
        "/me/reminders/",
        "/me/calendar/",
        "/clinic/patients/",
        "/clinic/patients/invite/",
    ],
)
def test_the_link_opens_nothing_else(client, alice, link, path):
    open_link(client, link)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_concern_sent_from_the_link_reaches_the_care_team(client, alice, link):
    open_link(client, link)
    response = client.post("/me/concern/", {"text": "I feel very strange"})
    assert response.status_code == 200
    assert client.get("/me/").status_code == 200


def test_the_link_cannot_open_alices_record_on_the_staff_side(client, alice, link):
    open_link(client, link)
    response = client.get(f"/clinic/patients/{alice.pk}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_front_door_leads_to_the_check_in(client, alice, link):
    open_link(client, link)
    assert client.get("/").url == "/me/"


def test_the_link_starts_a_fresh_session(client, alice, link):
    client.get("/accounts/login/")
    before = client.session.session_key
    open_link(client, link)
    assert client.session.session_key != before


def test_the_link_expires_after_36_hours(client, alice, link, evening):
    evening.shift(36 * 3600 - 60)
    assert client.get(link).status_code == 302
    evening.shift(120)
    response = client.get(link)
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()


def test_an_open_session_stops_when_the_link_expires(client, alice, link, evening):
    open_link(client, link)
    evening.shift(37 * 3600)
    assert client.get("/me/").url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    "token",
    [
        "not-a-real-token",
        "x" * 5000,
        signing.dumps({"p": "1", "d": "2026-05-04", "f": "0"}, salt=tokens.SALT),
        signing.dumps({"p": "not-a-uuid", "d": "nope"}, salt=tokens.SALT),
        signing.dumps(["a", "list"], salt=tokens.SALT),
        signing.dumps({"p": "1", "d": "2026-05-04"}, salt="another.salt"),
    ],
)
def test_a_forged_or_wrong_link_is_a_friendly_404(client, alice, evening, token):
    response = client.get(f"/r/{token}/")
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()
    assert client.get("/me/").status_code == 302


def test_a_tampered_link_is_refused(client, alice, link):
    assert client.get(link[:-3] + "xx/").status_code == 404


def test_a_password_change_revokes_the_link(client, alice, link):
    alice.user.set_password("a-brand-new-password-7")
    alice.user.save()
    assert client.get(link).status_code == 404


def test_a_deactivated_patient_cannot_use_the_link(client, alice, link):
    alice.user.is_active = False
    alice.user.save()
    assert client.get(link).status_code == 404


def test_checking_in_elsewhere_ends_an_open_link_session(client, alice, link):
    open_link(client, link)
    submit_check_in(patient=alice, answers={"mood": 6})
    assert client.get("/me/").url.startswith("/accounts/login/")


def test_a_logged_in_patient_just_goes_to_today(as_user, alice, link):
    client = as_user(alice.user)
    response = client.get(link)
    assert response.status_code == 302
    assert client.get(response.url).url == "/me/"
    assert not AuditEvent.objects.filter(what="reminder link").exists()


def test_logging_in_fully_replaces_the_link_session(client, alice, link):
    from conftest import PASSWORD

    open_link(client, link)
    assert client.login(username="alice@example.org", password=PASSWORD)
    assert client.get("/me/reminders/").status_code == 200


def test_bobs_link_shows_bob_not_alice(client, bob, evening):
    open_link(client, f"/r/{tokens.make_token(bob, date(2026, 5, 4))}/")
    page = client.get("/me/").content.decode()
    assert "Hello, Bob" in page
    assert "Alice" not in page


def test_the_link_only_answers_get(client, alice, link):
    assert client.post(link).status_code == 405
    assert client.get("/me/").status_code == 302


def test_the_link_shows_the_check_in_and_nothing_else_of_the_patients(client, alice, link):
    """The email says the link opens only the check-in: whoever holds it (a forwarded email)
    sees no recent moods, alerts or menu of pages that would ask for a password anyway."""
    submit_check_in(patient=alice, answers={"mood": 3}, submitted_at=utc(2026, 5, 4, 1))
    open_link(client, link)
    html = client.get("/me/").content.decode()
    assert 'action="/me/check-in/"' in html
    assert "This link opens today's check-in only." in html
    assert 'href="/accounts/login/?next=/me/"' in html
    for hidden in ("Your recent check-ins", "Your records", 'href="/me/journal/"', "Your account"):
        assert hidden not in html, hidden
    assert "988" in html  # where to get help stays on every page
