"""A patient who writes of suicide or self-harm sees where to get help in the same response.

Words of the high list (rules.JOURNAL_PHRASES) in a check-in note or a journal entry bring the
crisis screen, saved or not; hopeless words (routine) only tell the care team. A private journal
entry tells nobody, but its writer still sees the numbers and how to share it.
"""

from __future__ import annotations

import time_machine

from aftercare.safety import wording
from aftercare.safety.models import Alert
from aftercare.tracking.actions import submit_check_in
from aftercare.tracking.models import CheckIn, JournalEntry

WORDS = "Some nights I think everyone would be better off dead without me."


def test_a_check_in_note_with_crisis_words_is_saved_and_shows_where_to_get_help(as_user, alice):
    response = as_user(alice.user).post("/me/check-in/", {"mood": "4", "note": WORDS})
    html = response.content.decode()
    assert response.status_code == 200
    assert CheckIn.objects.get(patient=alice).note == WORDS
    assert str(wording.WORDS_TITLE) in html
    assert str(wording.WORDS_REASON) in html
    assert str(wording.CARE_TEAM_TOLD) in html
    assert 'href="tel:988"' in html
    assert Alert.objects.get(patient=alice).rule_id == "note_crisis_language"


def test_hopeless_words_tell_the_care_team_and_thank_the_patient(as_user, alice):
    response = as_user(alice.user).post("/me/check-in/", {"mood": "4", "note": "So hopeless."})
    assert response.status_code == 302
    alert = Alert.objects.get(patient=alice)
    assert (alert.rule_id, alert.severity) == ("note_crisis_language", "routine")


def test_an_urgent_yes_with_crisis_words_shows_the_urgent_screen(as_user, alice):
    response = as_user(alice.user).post(
        "/me/check-in/", {"mood": "2", "suicidal_thoughts": "yes", "note": WORDS}
    )
    html = response.content.decode()
    assert str(wording.URGENT_TITLE) in html
    assert str(wording.URGENT_REASONS["suicidal_thoughts"]) in html
    assert str(wording.WORDS_TITLE) not in html


def test_an_unsaved_check_in_with_crisis_words_says_the_care_team_knows_and_keeps_the_note(
    as_user, alice
):
    response = as_user(alice.user).post("/me/check-in/", {"note": WORDS})  # no mood
    html = response.content.decode()
    assert response.status_code == 400
    assert str(wording.UNSAVED_CHECK_IN_WORDS) in html
    assert str(wording.UNSAVED_CHECK_IN) not in html
    assert 'href="tel:988"' in html
    assert "better off dead without me" in html  # the note is kept in the form
    assert Alert.objects.get(patient=alice).rule_id == "note_crisis_language"


def test_an_unsaved_check_in_with_hopeless_words_shows_only_the_errors(as_user, alice):
    response = as_user(alice.user).post("/me/check-in/", {"note": "hopeless"})
    html = response.content.decode()
    assert response.status_code == 400
    assert str(wording.HELP_NOW) not in html
    assert Alert.objects.get(patient=alice).severity == "routine"


def test_an_unsaved_edit_that_turns_hopeless_words_into_crisis_words_is_told(as_user, alice):
    with time_machine.travel("2026-03-10 16:00Z", tick=False):
        entry, (routine,) = submit_check_in(patient=alice, answers={"mood": 4, "note": "hopeless"})
    with time_machine.travel("2026-03-10 17:00Z", tick=False):
        response = as_user(alice.user).post(
            f"/me/check-ins/{entry.pk}/edit/", {"mood": "42", "note": WORDS}
        )
    assert response.status_code == 400
    assert str(wording.UNSAVED_CHECK_IN_EDIT_WORDS) in response.content.decode()
    new = Alert.objects.exclude(pk=routine.pk).get(patient=alice)
    assert (new.rule_id, new.severity) == ("note_crisis_language", "high")
    assert "could not be saved" in new.explanation


def test_a_shared_journal_entry_with_crisis_words_shows_where_to_get_help(as_user, alice):
    response = as_user(alice.user).post(
        "/me/journal/new/", {"body": WORDS, "shared_with_care_team": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert str(wording.WORDS_REASON) in html
    assert str(wording.CARE_TEAM_TOLD) in html
    assert Alert.objects.get(patient=alice).rule_id == "journal_crisis_language"


def test_a_private_entry_with_crisis_words_tells_nobody_but_shows_help_and_how_to_share(
    as_user, alice
):
    client = as_user(alice.user)
    response = client.post("/me/journal/new/", {"body": WORDS})
    html = response.content.decode()
    entry = JournalEntry.objects.get(patient=alice)
    assert response.status_code == 200
    assert not entry.shared_with_care_team
    assert not Alert.objects.exists()
    assert str(wording.WORDS_REASON) in html
    assert str(wording.CARE_TEAM_TOLD) not in html  # it was not
    assert str(wording.WORDS_PRIVATE) in html
    assert f'href="/me/journal/{entry.pk}/"' in html  # share it
    assert 'href="/me/concern/"' in html  # or say what worries you
    assert 'href="tel:988"' in html
    # Changing the entry again, words unchanged: saved and thanked, no screen each time.
    again = client.post(f"/me/journal/{entry.pk}/", {"body": WORDS + " Still."})
    assert again.status_code == 302
    # Shared now: the care team is told, and the patient sees that it is.
    shared = client.post(f"/me/journal/{entry.pk}/", {"body": WORDS, "shared_with_care_team": "on"})
    assert str(wording.CARE_TEAM_TOLD) in shared.content.decode()
    assert Alert.objects.get(patient=alice).rule_id == "journal_crisis_language"


def test_a_private_entry_edited_to_crisis_words_shows_help(as_user, alice):
    client = as_user(alice.user)
    client.post("/me/journal/new/", {"body": "A quiet day."})
    entry = JournalEntry.objects.get(patient=alice)
    response = client.post(f"/me/journal/{entry.pk}/", {"body": WORDS})
    assert response.status_code == 200
    assert str(wording.WORDS_PRIVATE) in response.content.decode()
    assert not Alert.objects.exists()


def test_a_private_entry_with_hopeless_words_is_just_saved(as_user, alice):
    response = as_user(alice.user).post("/me/journal/new/", {"body": "hopeless"})
    assert response.status_code == 302
    assert not Alert.objects.exists()
