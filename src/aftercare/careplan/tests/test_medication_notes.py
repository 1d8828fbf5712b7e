"""Medication classes that may blunt ketamine or raise blood pressure (CLINICAL.md §6)."""

import re

import pytest

from aftercare.careplan.interactions import NOTES, MedicationClass, note_for

EXPECTED = {
    MedicationClass.BENZODIAZEPINE: ("8 mg", "Andrashko"),
    MedicationClass.NALTREXONE: ("weakened", "Williams"),
    MedicationClass.LAMOTRIGINE: ("side effects", "Andrade"),
    MedicationClass.PSYCHOSTIMULANT: ("blood pressure", "esketamine"),
    MedicationClass.MAOI: ("blood pressure", "esketamine"),
    MedicationClass.CNS_DEPRESSANT: ("sedation", "esketamine"),
    MedicationClass.SSRI: ("blood pressure", "Szarmach"),
}


@pytest.mark.parametrize("cls", sorted(EXPECTED))
def test_it_notes_each_class_with_its_source_and_says_may(cls):
    note = note_for(cls)
    assert note is not None
    words, source = EXPECTED[cls]
    assert words in str(note.text)
    assert source in note.source
    assert note.reference == "CLINICAL.md §6"
    assert "CLINICAL.md" not in note.source  # the patient reads the study, not our file
    assert " may " in f" {note.text} "


def test_it_has_no_note_for_classes_without_a_known_effect():
    assert set(NOTES) == set(EXPECTED)
    for cls in (
        MedicationClass.OTHER,
        MedicationClass.THERAPY,
        MedicationClass.OTHER_ANTIDEPRESSANT,
    ):
        assert note_for(cls) is None


def test_no_note_gives_advice():
    for note in NOTES.values():
        text = str(note.text).lower()
        for advice in ("you should", "stop taking", "do not take", "must"):
            assert advice not in text


def test_it_shows_the_note_beside_the_medication(as_user, alice, carol):
    client = as_user(carol)
    url = f"/clinic/patients/{alice.pk}/care-plan/"
    response = client.post(
        url,
        {
            "action": "medication",
            "medication-name": "Lorazepam",
            "medication-medication_class": "benzodiazepine",
            "medication-dose": "2 mg at night",
            "medication-started_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    page = as_user(alice.user).get("/me/care-plan/").content.decode()
    assert "Lorazepam" in page
    assert "2 mg at night" in page
    assert "Andrashko" in page
    assert "5 Jan 2026" in page
    assert "CLINICAL.md" not in page  # a project file means nothing to the patient


def test_the_kind_of_medicine_is_never_chosen_for_the_patient(as_user, alice):
    client = as_user(alice.user)
    form = client.get("/me/care-plan/").content.decode()
    select = re.search(r'<select name="medication-medication_class".*?</select>', form, re.S)
    assert select is not None
    # The first option is empty and nothing else is preselected.
    assert re.search(r'<option value=""[^>]*selected[^>]*>Choose one</option>', select.group())
    assert select.group().count("selected") == 1
    response = client.post(
        "/me/care-plan/",
        {"action": "medication", "medication-name": "Sertraline", "medication-dose": "50 mg"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose a kind, or “Other, or not sure”." in html
    assert 'value="Sertraline"' in html  # nothing typed is lost
    assert not alice.care_medications.exists()
