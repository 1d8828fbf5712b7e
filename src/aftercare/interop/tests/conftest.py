"""A fixture patient with fixed ids and times, for the FHIR golden files and round trips."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from aftercare.accounts.models import Patient, Role, User
from aftercare.tracking.models import CheckIn, ScaleResponse
from aftercare.treatment.models import Infusion

FIONA_ID = uuid.UUID("6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e")

PHQ9 = {
    "44250-9": 2, "44255-8": 3, "44259-0": 1, "44254-1": 2, "44251-7": 0,
    "44258-2": 1, "44252-5": 2, "44253-3": 0, "44260-8": 1, "69722-7": 2,
}  # fmt: skip  # total 12; item 10 (unscored) answered
GAD7 = {
    "69725-0": 1, "68509-9": 2, "69733-4": 2, "69734-2": 1, "69735-9": 0,
    "69689-8": 3, "69736-7": 1,
}  # fmt: skip  # total 10


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def fiona(riverside, carol) -> Patient:
    """Fiona: two completed sessions (IV by weight, intranasal fixed dose), a scheduled and a
    cancelled one (not exported), two PHQ-9s (one stored as a plain list, as older rows are),
    a GAD-7 and three daily moods. Every primary key is fixed so ids in the export are too."""
    user = User.objects.create_user(
        username="fiona@example.org",
        email="fiona@example.org",
        clinic=riverside,
        role=Role.PATIENT,
        first_name="Fiona",
        last_name="Fraser",
    )
    patient = Patient.objects.create(
        id=FIONA_ID,
        clinic=riverside,
        user=user,
        timezone="America/New_York",
        birth_year=1984,
        clinician=carol,
    )
    common = {"patient": patient, "recorded_by": carol}
    Infusion.objects.create(
        pk=9101,
        scheduled_at=at(2, 14),
        started_at=at(2, 14, 5),
        ended_at=at(2, 14, 45),
        route="iv",
        dose_mg_per_kg=Decimal("0.5"),
        weight_kg=Decimal("70.1"),
        **common,
    )
    Infusion.objects.create(
        pk=9102,
        scheduled_at=at(5, 15),
        started_at=at(5, 15, 2),
        ended_at=at(5, 15, 30),
        route="intranasal",
        dose_mg=Decimal("56"),
        **common,
    )
    Infusion.objects.create(
        pk=9103, status=Infusion.Status.SCHEDULED, scheduled_at=at(30, 14), **common
    )
    Infusion.objects.create(
        pk=9104, status=Infusion.Status.CANCELLED, scheduled_at=at(9, 14), **common
    )
    ScaleResponse.objects.create(
        pk=9201, patient=patient, instrument="phq9", answers=PHQ9, total=12, taken_at=at(1, 13)
    )
    ScaleResponse.objects.create(
        pk=9202, patient=patient, instrument="gad7", answers=GAD7, total=10, taken_at=at(1, 13, 5)
    )
    ScaleResponse.objects.create(
        pk=9203,
        patient=patient,
        instrument="phq9",
        answers=[1, 1, 0, 1, 0, 0, 1, 0, 0],
        total=4,
        taken_at=at(8, 18, 30),
    )
    for pk, day, mood in ((9301, 2, 4), (9302, 3, 6), (9303, 4, 7)):
        CheckIn.objects.create(
            pk=pk,
            patient=patient,
            submitted_at=at(day, 23, 15),
            local_date=at(day, 12).date(),
            mood=mood,
        )
    return patient
