import re

import pytest
import time_machine

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
    assert "id_note_error" in response.content.decode()


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
    assert "your check-in is not saved yet" in html
    assert 'href="tel:988"' in html
    assert 'id="id_mood_error"' in html
    # Without an urgent answer the error page has no crisis block.
    calm = as_user(alice.user).post("/me/check-in/", {**FULL_ANSWERS, "mood": ""})
    assert "your check-in is not saved yet" not in calm.content.decode()
