"""The extended check-in: every answer, the "anything unusual" group, side effects."""

import re

import pytest

from aftercare.tracking.models import CheckIn

EVERYTHING = {
    "mood": "6",
    "energy": "5",
    "interest": "4",
    "sleep_quality": "7",
    "anxiety": "3",
    "suicidal_thoughts": "no",
    "panic": "yes",
    "unusual_perceptions": "no",
    "lingering_dissociation": "no",
    "ketamine_cravings": "no",
    "headache": "on",
    "urinary_symptoms": "on",
    "physical_symptoms": "Sore arm where the line was",
    "note": "Slept most of the afternoon.",
}


def test_it_stores_every_answer(as_user, alice):
    response = as_user(alice.user).post("/me/check-in/", EVERYTHING)
    assert response.status_code == 200  # panic: what to do now (safety.next_steps)
    entry = CheckIn.objects.get(patient=alice)
    assert (entry.mood, entry.energy, entry.interest, entry.sleep_quality, entry.anxiety) == (
        6, 5, 4, 7, 3,
    )  # fmt: skip
    assert (entry.suicidal_thoughts, entry.panic, entry.unusual_perceptions) == (False, True, False)
    assert (entry.lingering_dissociation, entry.ketamine_cravings) == (False, False)
    assert (entry.nausea, entry.headache, entry.dizziness, entry.urinary_symptoms) == (
        False, True, False, True,
    )  # fmt: skip
    assert entry.physical_symptoms == "Sore arm where the line was"


def test_warning_signs_left_open_stay_unanswered(as_user, alice):
    as_user(alice.user).post("/me/check-in/", {"mood": "5"})
    entry = CheckIn.objects.get(patient=alice)
    assert (entry.panic, entry.unusual_perceptions, entry.ketamine_cravings) == (None, None, None)
    assert entry.nausea is False


def test_none_of_these_answers_no_to_every_open_warning_sign(as_user, alice):
    as_user(alice.user).post("/me/check-in/", {"mood": "5", "nothing_unusual": "on"})
    entry = CheckIn.objects.get(patient=alice)
    assert (entry.suicidal_thoughts, entry.panic, entry.unusual_perceptions) == (False,) * 3
    assert (entry.lingering_dissociation, entry.ketamine_cravings) == (False, False)


def test_a_yes_beside_none_of_these_still_counts(as_user, alice):
    as_user(alice.user).post(
        "/me/check-in/", {"mood": "5", "nothing_unusual": "on", "ketamine_cravings": "yes"}
    )
    entry = CheckIn.objects.get(patient=alice)
    assert entry.ketamine_cravings is True
    assert entry.panic is False


def test_the_form_shows_every_question_on_one_page(as_user, alice):
    html = as_user(alice.user).get("/me/").content.decode()
    for name in ("mood", "energy", "interest", "sleep_quality", "anxiety"):
        assert html.count(f'name="{name}"') == 10
    for name in ("suicidal_thoughts", "panic", "unusual_perceptions", "lingering_dissociation",
                 "ketamine_cravings"):  # fmt: skip
        assert html.count(f'name="{name}"') == 2
        assert not re.search(rf'name="{name}" value="\w+"[^>]*checked', html)  # no default
    for name in ("nausea", "headache", "dizziness", "urinary_symptoms", "nothing_unusual"):
        assert f'type="checkbox" name="{name}"' in html
    assert "Anything unusual today?" in html
    # Mood comes first.
    assert html.index('name="mood"') < html.index('name="energy"') < html.index('name="panic"')


@pytest.mark.parametrize("bad", ["maybe", "1", "YES", "x" * 300])
def test_a_bad_yes_no_answer_is_explained_beside_it_and_nothing_is_lost(as_user, alice, bad):
    response = as_user(alice.user).post("/me/check-in/", {**EVERYTHING, "panic": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<p class="error" id="id_panic_error">Choose yes or no.</p>', html)
    assert re.search(r'name="mood" value="6"[^>]*checked', html)
    assert re.search(r'name="headache"[^>]*checked', html)
    assert "Sore arm where the line was" in html
    assert not CheckIn.objects.exists()


def test_a_huge_physical_symptoms_text_is_refused_with_a_message(as_user, alice):
    response = as_user(alice.user).post(
        "/me/check-in/", {"mood": "5", "physical_symptoms": "y" * 501}
    )
    assert response.status_code == 400
    assert 'id="id_physical_symptoms_error"' in response.content.decode()


def test_several_check_ins_a_day_are_kept(as_user, alice):
    client = as_user(alice.user)
    client.post("/me/check-in/", {"mood": "3"})
    client.post("/me/check-in/", {"mood": "7"})
    assert CheckIn.objects.filter(patient=alice).count() == 2
