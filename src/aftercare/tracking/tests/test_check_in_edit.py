"""Correcting a check-in within AFTERCARE_CHECKIN_EDIT_HOURS, with its history kept and audited."""

import re
import uuid

import pytest
import time_machine

from aftercare.audit.models import AuditEvent
from aftercare.safety import wording
from aftercare.safety.models import Alert
from aftercare.tracking.actions import submit_check_in
from aftercare.tracking.models import CheckIn, CheckInEdit


@pytest.fixture
def morning_check_in(alice):
    with time_machine.travel("2026-03-10 16:00Z", tick=False):
        entry, _alerts = submit_check_in(
            patient=alice, answers={"mood": 4, "energy": 3, "note": "Tired."}
        )
    return entry


def url(entry):
    return f"/me/check-ins/{entry.pk}/edit/"


def test_the_form_opens_with_the_earlier_answers(as_user, alice, morning_check_in):
    with time_machine.travel("2026-03-10 18:00Z", tick=False):
        response = as_user(alice.user).get(url(morning_check_in))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'name="mood" value="4"[^>]*checked', html)
    assert re.search(r'name="energy" value="3"[^>]*checked', html)
    assert "Tired." in html


def test_an_edit_keeps_the_previous_answers_and_who_made_it(as_user, alice, morning_check_in):
    with time_machine.travel("2026-03-11 10:00Z", tick=False):
        response = as_user(alice.user).post(
            url(morning_check_in), {"mood": "6", "energy": "3", "note": "Better after lunch."}
        )
    assert response.status_code == 302
    entry = CheckIn.objects.get(pk=morning_check_in.pk)
    assert (entry.mood, entry.note) == (6, "Better after lunch.")
    assert entry.edited_at.isoformat() == "2026-03-11T10:00:00+00:00"
    assert str(entry.local_date) == "2026-03-10"  # still counts for the day it was made
    edit = CheckInEdit.objects.get(check_in=entry)
    assert edit.edited_by == alice.user
    assert (edit.previous["mood"], edit.previous["note"], edit.previous["energy"]) == (
        4, "Tired.", 3,
    )  # fmt: skip
    assert edit.changed_fields == ["mood", "note"]
    event = AuditEvent.objects.get(action="update", what="check-in")
    assert (event.actor, event.object_id, event.patient) == (
        alice.user, str(entry.pk), alice,
    )  # fmt: skip


def test_two_edits_keep_two_histories(as_user, alice, morning_check_in):
    client = as_user(alice.user)
    with time_machine.travel("2026-03-10 17:00Z", tick=False):
        client.post(url(morning_check_in), {"mood": "5"})
        client.post(url(morning_check_in), {"mood": "6"})
    moods = [e.previous["mood"] for e in CheckInEdit.objects.order_by("pk")]
    assert moods == [4, 5]


def test_an_unchanged_form_stores_no_edit(as_user, alice, morning_check_in):
    with time_machine.travel("2026-03-10 17:00Z", tick=False):
        as_user(alice.user).post(
            url(morning_check_in), {"mood": "4", "energy": "3", "note": "Tired."}
        )
    assert not CheckInEdit.objects.exists()
    assert CheckIn.objects.get(pk=morning_check_in.pk).edited_at is None


def test_after_the_window_it_can_no_longer_be_changed(as_user, alice, morning_check_in):
    client = as_user(alice.user)
    with time_machine.travel("2026-03-12 16:00Z", tick=False):  # 48 h later
        assert client.get(url(morning_check_in)).status_code == 403
        response = client.post(url(morning_check_in), {"mood": "9"})
    assert response.status_code == 403
    assert "can no longer be changed" in response.content.decode()
    assert CheckIn.objects.get(pk=morning_check_in.pk).mood == 4


def test_the_window_is_a_setting(as_user, alice, morning_check_in, settings):
    settings.CHECKIN_EDIT_HOURS = 1
    with time_machine.travel("2026-03-10 17:30Z", tick=False):
        assert as_user(alice.user).get(url(morning_check_in)).status_code == 403
    settings.CHECKIN_EDIT_HOURS = 0
    with time_machine.travel("2026-03-10 16:01Z", tick=False):
        assert as_user(alice.user).get(url(morning_check_in)).status_code == 403


def test_the_home_page_offers_change_only_within_the_window(as_user, alice, morning_check_in):
    with time_machine.travel("2026-03-11 10:00Z", tick=False):
        assert url(morning_check_in) in as_user(alice.user).get("/me/").content.decode()
    with time_machine.travel("2026-03-13 10:00Z", tick=False):
        assert url(morning_check_in) not in as_user(alice.user).get("/me/").content.decode()


@pytest.mark.parametrize("bad", ["0", "abc", ""])
def test_bad_input_keeps_the_stored_answers_and_what_was_typed(
    as_user, alice, morning_check_in, bad
):
    with time_machine.travel("2026-03-10 17:00Z", tick=False):
        response = as_user(alice.user).post(
            url(morning_check_in), {"mood": bad, "note": "New words"}
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_mood_error"' in html
    assert "New words" in html
    assert CheckIn.objects.get(pk=morning_check_in.pk).mood == 4


def test_adding_suicidal_thoughts_in_an_edit_shows_crisis_help(as_user, alice, morning_check_in):
    with time_machine.travel("2026-03-10 17:00Z", tick=False):
        response = as_user(alice.user).post(
            url(morning_check_in), {"mood": "4", "suicidal_thoughts": "yes"}
        )
    assert response.status_code == 200
    assert 'href="tel:988"' in response.content.decode()


def test_a_new_urgent_yes_in_an_edit_that_cannot_be_saved_reaches_the_care_team_once(
    as_user, alice, carol
):
    with time_machine.travel("2026-03-10 16:00Z", tick=False):
        entry, _alerts = submit_check_in(
            patient=alice, answers={"mood": 4}, submission_key=uuid.uuid4()
        )
    client = as_user(alice.user)
    with time_machine.travel("2026-03-10 17:00Z", tick=False):
        for _ in range(2):  # mood left out, sent twice
            response = client.post(url(entry), {"mood": "", "suicidal_thoughts": "yes"})
            assert response.status_code == 400
            html = response.content.decode()
            assert "Your care team has been told, but your change is not saved yet" in html
            assert 'href="tel:988"' in html
        alert = Alert.objects.get(patient=alice)
        assert (alert.rule_id, alert.severity, alert.owner) == (
            "suicidal_thoughts",
            "urgent",
            carol,
        )
        assert CheckIn.objects.get().suicidal_thoughts is None
        saved = client.post(url(entry), {"mood": "4", "suicidal_thoughts": "yes"})
    assert 'href="tel:988"' in saved.content.decode()
    assert CheckIn.objects.get().suicidal_thoughts is True
    assert Alert.objects.get().source_id == str(entry.pk)


def test_an_urgent_yes_already_saved_is_not_raised_again_by_a_bad_edit(as_user, alice):
    with time_machine.travel("2026-03-10 16:00Z", tick=False):
        entry, _alerts = submit_check_in(
            patient=alice,
            answers={"mood": 4, "suicidal_thoughts": True},
            submission_key=uuid.uuid4(),
        )
    with time_machine.travel("2026-03-10 17:00Z", tick=False):
        response = as_user(alice.user).post(url(entry), {"mood": "", "suicidal_thoughts": "yes"})
    assert "Your care team has been told" in response.content.decode()
    assert Alert.objects.filter(patient=alice).count() == 1


def test_nobody_else_can_open_or_change_it(
    as_user, alice, bob, carol, eve, client, morning_check_in
):
    for user in (bob.user, carol, eve):
        assert as_user(user).get(url(morning_check_in)).status_code == 404
        assert as_user(user).post(url(morning_check_in), {"mood": "9"}).status_code == 404
    response = client.post(url(morning_check_in), {"mood": "9"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert CheckIn.objects.get(pk=morning_check_in.pk).mood == 4
    assert as_user(alice.user).get("/me/check-ins/999999/edit/").status_code == 404


def test_crisis_words_added_to_the_note_in_an_edit_reach_the_care_team_once(
    as_user, alice, carol, morning_check_in
):
    client = as_user(alice.user)
    words = {"mood": "4", "energy": "3", "note": "Tired. No reason to live lately."}
    with time_machine.travel("2026-03-10 17:00Z", tick=False):
        response = client.post(url(morning_check_in), words)
    # The change is saved, and the patient sees where to get help in the same response.
    assert response.status_code == 200
    html = response.content.decode()
    assert str(wording.WORDS_REASON) in html
    assert str(wording.CARE_TEAM_TOLD) in html
    assert CheckIn.objects.get(pk=morning_check_in.pk).note == words["note"]
    (alert,) = Alert.objects.all()
    assert (alert.rule_id, alert.severity, alert.owner) == ("note_crisis_language", "high", carol)
    assert alert.source_id == str(morning_check_in.pk)
    with time_machine.travel("2026-03-10 18:00Z", tick=False):  # the same words, one more edit
        again = client.post(url(morning_check_in), {**words, "mood": "5"})
        client.post(url(morning_check_in), {**words, "note": words["note"] + " Still."})
    assert Alert.objects.count() == 1
    assert again.status_code == 302  # nothing new: thanked, not shown the screen again
