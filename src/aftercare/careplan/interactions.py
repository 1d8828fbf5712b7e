"""Medication classes that may blunt ketamine's effect or change its safety, as data.

Every note names its source (CLINICAL.md §6). The wording says "may" and is information for
the patient and their clinician to discuss; it is never advice to start, stop or change a dose.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class MedicationClass(models.TextChoices):
    BENZODIAZEPINE = "benzodiazepine", _("Benzodiazepine")
    NALTREXONE = "naltrexone", _("Naltrexone or another opioid blocker")
    LAMOTRIGINE = "lamotrigine", _("Lamotrigine")
    PSYCHOSTIMULANT = "psychostimulant", _("Psychostimulant")
    MAOI = "maoi", _("MAO inhibitor (MAOI)")
    CNS_DEPRESSANT = "cns_depressant", _("Other sedating medicine (opioid, sleep aid)")
    SSRI = "ssri", _("SSRI antidepressant")
    OTHER_ANTIDEPRESSANT = "other_antidepressant", _("Other antidepressant")
    THERAPY = "therapy", _("Talking therapy or other treatment")
    OTHER = "other", _("Other, or not sure")


@dataclass(frozen=True)
class MedicationNote:
    text: Promise
    source: str  # the study or label, shown to the patient beside the note
    reference: str = "CLINICAL.md §6"  # where the project records it, for reviewers
    # The patient also reads "Worth talking through with your clinician." (careplan's
    # sections); the care team, who are that clinician, read the finding alone.
    talk_it_through: bool = False


NOTES: dict[str, MedicationNote] = {
    MedicationClass.BENZODIAZEPINE: MedicationNote(
        _(
            "At higher daily doses (above about 8 mg of diazepam or its equivalent) this class "
            "may blunt the response to ketamine."
        ),
        "Andrashko et al., Front Psychiatry 2020;11:844",
        talk_it_through=True,
    ),
    MedicationClass.NALTREXONE: MedicationNote(
        _(
            "In one small study, naltrexone taken before ketamine may have weakened its "
            "antidepressant effect."
        ),
        "Williams et al., Am J Psychiatry 2018",
        talk_it_through=True,
    ),
    MedicationClass.LAMOTRIGINE: MedicationNote(
        _(
            "Lamotrigine may soften some side effects of ketamine; whether it changes the "
            "antidepressant effect is not known."
        ),
        "Andrade, J Clin Psychiatry 2017",
    ),
    MedicationClass.PSYCHOSTIMULANT: MedicationNote(
        _("Together with ketamine this class may raise blood pressure."),
        "esketamine (Spravato) label",
    ),
    MedicationClass.MAOI: MedicationNote(
        _("Together with ketamine this class may raise blood pressure."),
        "esketamine (Spravato) label",
    ),
    MedicationClass.CNS_DEPRESSANT: MedicationNote(
        _("Together with ketamine this class may add to drowsiness and sedation."),
        "esketamine (Spravato) label",
    ),
    MedicationClass.SSRI: MedicationNote(
        _("This class may go with a higher blood pressure peak after an infusion."),
        "Szarmach et al. 2020",
    ),
}


def note_for(medication_class: str) -> MedicationNote | None:
    return NOTES.get(medication_class)
