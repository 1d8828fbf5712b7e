"""A double tap, a retry or a resubmitted page stores one check-in, questionnaire or entry."""

import re
import uuid
from datetime import date

import pytest
import time_machine
from django.db import IntegrityError, transaction

from aftercare.reminders import tokens
from aftercare.safety.models import Alert
from aftercare.tracking import actions
from aftercare.tracking.instruments import get_instrument
from aftercare.tracking.models import CheckIn, JournalEntry, ScaleResponse

PHQ9 = get_instrument("phq9")
PHQ9_MILD = {item.id: "1" for item in PHQ9.scored_items} | {"69722-7": "0"}  # total 9


def key_in(html: str) -> str:
    match = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert match, "the form carries no submission key"
    return match.group(1)


def test_it_gives_each_form_a_fresh_key(as_user, alice):
    client = as_user(alice.user)
    first, second = (key_in(client.get("/me/").content.decode()) for _ in range(2))
    assert first != second
    assert uuid.UUID(first).version == 4
    assert uuid.UUID(key_in(client.get("/me/scales/phq9/").content.decode())).version == 4
    assert uuid.UUID(key_in(client.get("/me/journal/new/").content.decode())).version == 4


def test_it_stores_one_check_in_when_the_same_form_is_sent_twice(as_user, alice):
    client = as_user(alice.user)
    key = key_in(client.get("/me/").content.decode())
    first = client.post("/me/check-in/", {"mood": "6", "submission_key": key})
    second = client.post("/me/check-in/", {"mood": "6", "submission_key": key})
    assert (first.status_code, first.url) == (second.status_code, second.url) == (302, "/")
    entry = CheckIn.objects.get(patient=alice)
    assert entry.submission_key == uuid.UUID(key)


def test_it_shows_the_crisis_screen_again_without_a_second_alert(as_user, alice):
    client = as_user(alice.user)
    data = {"mood": "2", "suicidal_thoughts": "yes", "submission_key": str(uuid.uuid4())}
    first = client.post("/me/check-in/", data)
    second = client.post("/me/check-in/", data)
    assert first.status_code == second.status_code == 200
    assert "988" in first.content.decode()
    assert "988" in second.content.decode()
    assert CheckIn.objects.filter(patient=alice).count() == 1
    alerts = Alert.objects.filter(patient=alice, source_kind=Alert.Source.CHECK_IN)
    assert alerts.count() == 1


def test_calling_the_action_twice_with_one_key_returns_the_same_check_in(alice):
    key = uuid.uuid4()
    first, first_alerts = actions.submit_check_in(
        patient=alice, answers={"mood": 2, "suicidal_thoughts": True}, submission_key=key
    )
    second, second_alerts = actions.submit_check_in(
        patient=alice, answers={"mood": 2, "suicidal_thoughts": True}, submission_key=key
    )
    assert first.pk == second.pk
    assert [a.pk for a in first_alerts] == [a.pk for a in second_alerts]
    assert first_alerts
    assert CheckIn.objects.filter(patient=alice).count() == 1


def test_a_repeated_key_hits_the_constraint_and_reads_the_first_check_in(alice):
    """A repeat, whether sent later or at the same moment, tries the insert, meets the unique
    constraint, rolls back to its savepoint and reads the first row; the transaction of the
    request stays usable."""
    key = uuid.uuid4()
    with transaction.atomic():
        winner, _alerts = actions.submit_check_in(
            patient=alice, answers={"mood": 5}, submission_key=key
        )
        loser, alerts = actions.submit_check_in(
            patient=alice, answers={"mood": 5}, submission_key=key
        )
        assert CheckIn.objects.filter(patient=alice).count() == 1
    assert loser.pk == winner.pk
    assert alerts == []


def test_the_database_refuses_a_second_row_with_one_key(alice):
    key = uuid.uuid4()
    actions.submit_check_in(patient=alice, answers={"mood": 5}, submission_key=key)
    with pytest.raises(IntegrityError):
        CheckIn.objects.create(
            patient=alice, submitted_at=CheckIn.objects.get().submitted_at, mood=4,
            local_date=date(2026, 1, 1), submission_key=key,
        )  # fmt: skip


def test_two_forms_make_two_check_ins(as_user, alice):
    client = as_user(alice.user)
    for mood in ("6", "7"):
        key = key_in(client.get("/me/").content.decode())
        assert (
            client.post("/me/check-in/", {"mood": mood, "submission_key": key}).status_code == 302
        )
    assert CheckIn.objects.filter(patient=alice).count() == 2


def test_one_key_belongs_to_one_patient(as_user, alice, bob):
    key = str(uuid.uuid4())
    as_user(alice.user).post("/me/check-in/", {"mood": "6", "submission_key": key})
    as_user(bob.user).post("/me/check-in/", {"mood": "3", "submission_key": key})
    assert CheckIn.objects.get(patient=alice).mood == 6
    assert CheckIn.objects.get(patient=bob).mood == 3


def test_a_form_without_a_key_is_still_saved(as_user, alice):
    client = as_user(alice.user)
    assert client.post("/me/check-in/", {"mood": "6"}).status_code == 302
    assert client.post("/me/check-in/", {"mood": "6", "submission_key": ""}).status_code == 302
    assert CheckIn.objects.filter(patient=alice, submission_key=None).count() == 2


@pytest.mark.parametrize("garbled", ["not-a-key", "1234", "x" * 5000, "😀", "0" * 33])
def test_a_garbled_key_is_refused_with_a_message_and_the_answers_stay(as_user, alice, garbled):
    client = as_user(alice.user)
    response = client.post(
        "/me/check-in/", {"mood": "6", "note": "A calm day.", "submission_key": garbled}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This form arrived damaged, so nothing was saved" in html
    assert "A calm day." in html
    assert 'value="6" checked' in html or re.search(r'value="6"[^>]*checked', html)
    fresh = key_in(html)
    assert uuid.UUID(fresh)
    assert not CheckIn.objects.exists()
    assert client.post("/me/check-in/", {"mood": "6", "submission_key": fresh}).status_code == 302


def test_the_key_survives_a_mistake_in_the_form(as_user, alice):
    client = as_user(alice.user)
    key = str(uuid.uuid4())
    response = client.post("/me/check-in/", {"mood": "11", "submission_key": key})
    assert response.status_code == 400
    assert key_in(response.content.decode()) == key


def test_editing_a_check_in_ignores_the_key(as_user, alice):
    client = as_user(alice.user)
    client.post("/me/check-in/", {"mood": "6", "submission_key": str(uuid.uuid4())})
    entry = CheckIn.objects.get(patient=alice)
    html = client.get(f"/me/check-ins/{entry.pk}/edit/").content.decode()
    assert "submission_key" not in html
    response = client.post(f"/me/check-ins/{entry.pk}/edit/", {"mood": "7"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.mood == 7


# Questionnaires and journal


def test_a_questionnaire_sent_twice_is_scored_and_stored_once(as_user, alice):
    client = as_user(alice.user)
    key = key_in(client.get("/me/scales/phq9/").content.decode())
    first = client.post("/me/scales/phq9/", {**PHQ9_MILD, "submission_key": key})
    second = client.post("/me/scales/phq9/", {**PHQ9_MILD, "submission_key": key})
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    response = ScaleResponse.objects.get(patient=alice)
    assert response.total == 9


def test_an_urgent_questionnaire_sent_twice_raises_one_alert(as_user, alice):
    client = as_user(alice.user)
    data = {**PHQ9_MILD, "44260-8": "2", "submission_key": str(uuid.uuid4())}  # item 9
    first = client.post("/me/scales/phq9/", data)
    second = client.post("/me/scales/phq9/", data)
    assert first.status_code == second.status_code
    assert ScaleResponse.objects.filter(patient=alice).count() == 1
    assert Alert.objects.filter(patient=alice, source_kind=Alert.Source.SCALE).count() == 1


def test_a_garbled_questionnaire_key_is_refused(as_user, alice):
    response = as_user(alice.user).post(
        "/me/scales/phq9/", {**PHQ9_MILD, "submission_key": "garbled"}
    )
    assert response.status_code == 400
    assert "This form arrived damaged" in response.content.decode()
    assert not ScaleResponse.objects.exists()


def test_a_journal_entry_sent_twice_is_stored_once(as_user, alice):
    client = as_user(alice.user)
    key = key_in(client.get("/me/journal/new/").content.decode())
    data = {"body": "The light was kind today.", "submission_key": key}
    first = client.post("/me/journal/new/", data)
    second = client.post("/me/journal/new/", data)
    assert first.status_code == second.status_code == 302
    assert JournalEntry.objects.filter(patient=alice).count() == 1
    other = client.post("/me/journal/new/", {**data, "submission_key": str(uuid.uuid4())})
    assert other.status_code == 302
    assert JournalEntry.objects.filter(patient=alice).count() == 2


def test_a_garbled_journal_key_keeps_the_text(as_user, alice):
    response = as_user(alice.user).post(
        "/me/journal/new/", {"body": "Do not lose me.", "submission_key": "{bad}"}
    )
    assert response.status_code == 400
    assert "Do not lose me." in response.content.decode()
    assert not JournalEntry.objects.exists()


# Through the one-tap reminder link


@pytest.fixture
def link(alice):
    with time_machine.travel("2026-05-05 02:05Z", tick=False):  # 19:05 in Los Angeles
        yield f"/r/{tokens.make_token(alice, date(2026, 5, 4))}/"


def test_a_double_tap_through_the_reminder_link_stores_one_check_in(client, alice, link):
    assert client.get(link).status_code == 302
    key = key_in(client.get("/me/").content.decode())
    first = client.post("/me/check-in/", {"mood": "7", "submission_key": key})
    second = client.post("/me/check-in/", {"mood": "7", "submission_key": key})
    assert first.url == second.url == "/r/done/"
    assert CheckIn.objects.filter(patient=alice).count() == 1
    # The replay opened nothing else: the session is still over.
    assert client.get("/me/").url.startswith("/accounts/login/")
    other = client.post("/me/check-in/", {"mood": "7", "submission_key": str(uuid.uuid4())})
    assert other.url.startswith("/accounts/login/")
    assert CheckIn.objects.filter(patient=alice).count() == 1


def test_a_retry_through_the_link_shows_the_crisis_screen_again(client, alice, link):
    client.get(link)
    data = {"mood": "2", "suicidal_thoughts": "yes", "submission_key": str(uuid.uuid4())}
    assert "988" in client.post("/me/check-in/", data).content.decode()
    assert "988" in client.post("/me/check-in/", data).content.decode()
    assert CheckIn.objects.filter(patient=alice).count() == 1
    assert Alert.objects.filter(patient=alice, source_kind=Alert.Source.CHECK_IN).count() == 1


def test_a_garbled_key_through_the_link_keeps_the_session(client, alice, link):
    client.get(link)
    response = client.post("/me/check-in/", {"mood": "7", "submission_key": "nope"})
    assert response.status_code == 400
    fresh = key_in(response.content.decode())
    assert client.post("/me/check-in/", {"mood": "7", "submission_key": fresh}).url == "/r/done/"
