"""Reads for the outcomes pages and for other apps: insights of one patient or of many."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from aftercare.accounts.models import Patient
from aftercare.insights.definitions import OutcomeDefinitions
from aftercare.insights.patient import PatientInsights, analyse_patient, trajectories
from aftercare.outcomes.loaders import definitions_for, load_patients


def insights_for_patients(
    patients: QuerySet[Patient] | Sequence[Patient],
    *,
    now: datetime,
    definitions: OutcomeDefinitions,
    detail: bool = False,
    minimal: bool = False,
) -> list[PatientInsights]:
    """Insights of many patients: a fixed number of queries, trajectories in one numpy pass.
    ``detail`` adds the per-infusion rows (the patient page needs them); ``minimal`` computes
    only what the dashboard counts (``analyse_patient``)."""
    data = load_patients(patients, now=now, definitions=definitions)
    trajs = trajectories(data)
    return [
        analyse_patient(d, definitions=definitions, trajectory=t, detail=detail, minimal=minimal)
        for d, t in zip(data, trajs, strict=True)
    ]


def patient_insights(patient: Patient, now: datetime | None = None) -> PatientInsights:
    """Everything the staff see about one patient's response."""
    definitions = definitions_for(patient.clinic)
    return insights_for_patients(
        [patient], now=now or timezone.now(), definitions=definitions, detail=True
    )[0]


def booster_review_pending(patient: Patient, now: datetime | None = None) -> bool:
    """True when the benefit is fading, a booster window is proposed to the care team and no
    treatment is scheduled before the window ends.

    For the patient's page: show only "your care team is reviewing the timing of your next
    treatment" (``outcomes.texts.BOOSTER_REVIEW``), never the forecast itself.
    """
    return patient_insights(patient, now).booster_review_pending
