import re
import uuid

import pytest
import time_machine

from aftercare.safety.models import Alert
from aftercare.tracking.models import CheckIn

FULL_ANSWERS = {
    "mood": "7",
    "energy": "6",
    "interest": "5",
    "sleep_quality": "8",
    "anxiety": "3",
    "suicidal_thoughts": "no",
    "note": "Went for a walk with my sister.",
}


def test_it_saves_a_check_in_dated_by_the_patients_own_day(as_user, alice):
    # 02:30 UTC on 12 March is still the evening of 11 March in Los Angeles.
    with time_machine.travel("2026-03-12 02:30Z", tick=False):
        response = as_user(alice.user).post("/me/check-in/", FULL_ANSWERS)
    assert response.status_code == 302
    entry = CheckIn.objects.get(patient=alice)
    assert (entry.mood, entry.energy, entry.anxiety, entry.suicidal_thoughts) == (7, 6, 3, False)
    assert str(entry.local_date) == "2026-03-11"


def test_mood_alone_is_enough(as_user, alice):
    response = as_user(alice.user).post("/me/check-in/", {"mood": "4"})
    assert response.status_code == 302
    entry = CheckIn.objects.get(patient=alice)
    assert entry.mood == 4
    assert entry.energy is None
    assert entry.suicidal_thoughts is None


@pytest.mark.parametrize("bad_mood", ["0", "11", "abc", "", "-3", "7.5", "9" * 500])
def test_bad_mood_is_explained_beside_the_field_and_other_answers_stay(as_user, alice, bad_mood):
    response = as_user(alice.user).post("/me/check-in/", {**FULL_ANSWERS, "mood": bad_mood})
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'<p class="error" id="id_mood_error">([^<]*)</p>', html)
    assert error is not None
    assert error.group(1) == "Choose a number from 1 to 10."
    assert 'aria-describedby="id_mood_error"' in html
    # What the patient already answered is still selected or filled in.
    assert re.search(r'name="energy" value="6"[^>]*checked', html)
    assert re.search(r'name="sleep_quality" value="8"[^>]*checked', html)
    assert re.search(r'name="suicidal_thoughts" value="no"[^>]*checked', html)
    assert "Went for a walk with my sister." in html
    assert not CheckIn.objects.exists()


def test_missing_mood_is_refused(as_user, alice):
    response = as_user(alice.user).post("/me/check-in/", {"energy": "5"})
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_a_huge_note_is_refused_with_a_message(as_user, alice):
    response = as_user(alice.user).post("/me/check-in/", {"mood": "5", "note": "x" * 5000})
    assert response.status_code == 400
    page = response.content.decode()
    assert "id_note_error" in page
    assert "Please keep this under 4000 characters (it has 5000)." in page
    assert "Ensure this value" not in page
    assert "x" * 5000 in page  # kept, to shorten and send again


def test_the_page_does_not_cut_a_long_paste_short(as_user, alice):
    """A maxlength attribute makes the browser drop the end of a long paste without a word."""
    page = as_user(alice.user).get("/me/").content.decode()
    note = page[page.index('name="note"') - 200 : page.index('name="note"') + 200]
    assert "maxlength" not in note


def test_suicidal_thoughts_show_crisis_help_in_the_same_response(as_user, alice):
    answers = {**FULL_ANSWERS, "suicidal_thoughts": "yes"}
    response = as_user(alice.user).post("/me/check-in/", answers)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:988"' in html
    assert 'href="sms:988"' in html
    assert 'href="tel:+1 555 0100"' in html  # the clinic's own number
    assert "911" in html
    assert CheckIn.objects.get(patient=alice).suicidal_thoughts is True


def test_the_clinician_sees_the_check_in_on_the_patient_page(as_user, alice, carol):
    as_user(alice.user).post("/me/check-in/", FULL_ANSWERS)
    html = as_user(carol).get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert "Went for a walk with my sister." in html
    assert "<td>7</td>" in html


def test_staff_cannot_submit_check_ins(as_user, carol):
    assert as_user(carol).post("/me/check-in/", FULL_ANSWERS).status_code == 404


def test_check_in_needs_a_login(client, db):
    response = client.post("/me/check-in/", FULL_ANSWERS)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_nul_character_in_the_note_never_blocks_an_urgent_check_in(as_user, alice):
    answers = {**FULL_ANSWERS, "suicidal_thoughts": "yes", "note": "\x00hard day\x00"}
    response = as_user(alice.user).post("/me/check-in/", answers)
    assert response.status_code == 200
    assert 'href="tel:988"' in response.content.decode()
    assert CheckIn.objects.get(patient=alice).note == "hard day"


def test_an_urgent_yes_on_an_invalid_form_still_shows_where_to_get_help(as_user, alice):
    answers = {**FULL_ANSWERS, "mood": "", "suicidal_thoughts": "yes"}
    response = as_user(alice.user).post("/me/check-in/", answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert "the rest of your check-in is not saved yet" in html
    assert "Your care team has been told" in html
    assert 'href="tel:988"' in html
    assert 'id="id_mood_error"' in html
    # Without an urgent answer the error page has no crisis block.
    calm = as_user(alice.user).post("/me/check-in/", {**FULL_ANSWERS, "mood": ""})
    assert "not saved yet" not in calm.content.decode()


def test_an_urgent_yes_on_an_invalid_form_reaches_the_care_team_once(as_user, alice, carol):
    client = as_user(alice.user)
    key = str(uuid.uuid4())
    answers = {**FULL_ANSWERS, "mood": "", "unusual_perceptions": "yes", "submission_key": key}
    client.post("/me/check-in/", answers)
    client.post("/me/check-in/", answers)  # sent again without fixing it
    alert = Alert.objects.get(patient=alice)
    assert (alert.rule_id, alert.severity, alert.owner) == ("psychotic_symptoms", "urgent", carol)
    assert alert.status == Alert.Status.OPEN
    assert "could not be saved" in alert.explanation
    assert not CheckIn.objects.filter(patient=alice).exists()
    # Fixed and saved with the same form: stored, crisis screen, and still one alert.
    saved = client.post("/me/check-in/", {**answers, "mood": "3"})
    assert saved.status_code == 200
    assert 'href="tel:988"' in saved.content.decode()
    assert CheckIn.objects.filter(patient=alice).count() == 1
    assert Alert.objects.filter(patient=alice).count() == 1
    assert Alert.objects.get().source_id == str(CheckIn.objects.get().pk)  # now the check-in's
    retry = client.post("/me/check-in/", {**answers, "mood": "3"})  # a double tap
    assert 'href="tel:988"' in retry.content.decode()
    assert (CheckIn.objects.count(), Alert.objects.count()) == (1, 1)


def test_a_later_form_with_the_same_urgent_yes_is_a_new_alert(as_user, alice):
    client = as_user(alice.user)
    first = {**FULL_ANSWERS, "mood": "", "suicidal_thoughts": "yes"}
    client.post("/me/check-in/", {**first, "submission_key": str(uuid.uuid4())})
    client.post("/me/check-in/", {**first, "mood": "2", "submission_key": str(uuid.uuid4())})
    assert Alert.objects.filter(patient=alice, rule_id="suicidal_thoughts").count() == 2


def test_an_invalid_form_without_an_urgent_yes_raises_no_alert(as_user, alice):
    as_user(alice.user).post("/me/check-in/", {**FULL_ANSWERS, "mood": "", "panic": "yes"})
    assert not Alert.objects.filter(patient=alice).exists()


def test_crisis_words_in_the_note_of_an_invalid_form_reach_the_care_team_once(
    as_user, alice, carol
):
    client = as_user(alice.user)
    key = str(uuid.uuid4())
    answers = {**FULL_ANSWERS, "mood": "", "note": "I feel hopeless.", "submission_key": key}
    page = client.post("/me/check-in/", answers)
    assert page.status_code == 400
    assert "I feel hopeless." in page.content.decode()  # kept for the patient to send again
    client.post("/me/check-in/", answers)  # sent again without fixing it
    alert = Alert.objects.get(patient=alice)
    assert (alert.rule_id, alert.severity, alert.owner) == (
        "note_crisis_language", "routine", carol,
    )  # fmt: skip
    assert alert.explanation.startswith("Check-in note contains: “hopeless”. ")
    assert "could not be saved" in alert.explanation
    saved = client.post("/me/check-in/", {**answers, "mood": "3"})
    assert saved.status_code == 302
    assert Alert.objects.get().source_id == str(CheckIn.objects.get().pk)  # now the check-in's


def test_new_crisis_words_in_an_edit_that_cannot_be_saved_reach_the_care_team(
    as_user, alice, carol
):
    with time_machine.travel("2026-03-10 16:00Z", tick=False):
        client = as_user(alice.user)
        client.post("/me/check-in/", {**FULL_ANSWERS, "submission_key": str(uuid.uuid4())})
        entry = CheckIn.objects.get(patient=alice)
        edit = {**FULL_ANSWERS, "mood": "", "note": "I want to hurt myself"}
        client.post(f"/me/check-ins/{entry.pk}/edit/", edit)
        (alert,) = Alert.objects.filter(patient=alice)
        assert (alert.rule_id, alert.severity) == ("note_crisis_language", "high")
        assert "could not be saved" in alert.explanation
        client.post(f"/me/check-ins/{entry.pk}/edit/", {**edit, "mood": "5"})  # saved now
    assert CheckIn.objects.get().note == "I want to hurt myself"
    assert Alert.objects.get().source_id == str(entry.pk)  # taken over, not raised twice


def test_crisis_words_already_saved_are_not_raised_again_by_a_bad_edit(as_user, alice):
    with time_machine.travel("2026-03-10 16:00Z", tick=False):
        client = as_user(alice.user)
        words = {**FULL_ANSWERS, "note": "No reason to live.", "submission_key": str(uuid.uuid4())}
        client.post("/me/check-in/", words)
        entry = CheckIn.objects.get(patient=alice)
        assert Alert.objects.filter(patient=alice).count() == 1
        client.post(f"/me/check-ins/{entry.pk}/edit/", {**words, "mood": ""})  # cannot be saved
    assert Alert.objects.filter(patient=alice).count() == 1


def test_reopening_the_check_in_address_leads_to_the_form(as_user, alice):
    response = as_user(alice.user).get("/me/check-in/")
    assert response.status_code == 302
    assert response.url == "/me/"


def test_the_home_page_says_when_the_patient_already_checked_in_today(as_user, alice):
    client = as_user(alice.user)
    assert "You checked in today" not in client.get("/me/").content.decode()
    client.post("/me/check-in/", {"mood": "6"})
    page = client.get("/me/").content.decode()
    assert "You checked in today at" in page
    assert "Change that check-in" in page
    assert "Check in again only if something has changed" in page
    assert 'name="mood"' in page  # a second check-in stays one tap away
