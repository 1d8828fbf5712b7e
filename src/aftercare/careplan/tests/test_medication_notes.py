"""Medication classes that may blunt ketamine or raise blood pressure (CLINICAL.md §6)."""

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
    assert "CLINICAL.md §6" in note.source
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
