from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Patient, User
from aftercare.audit.actions import record
from aftercare.safety.screening import screen_check_in
from aftercare.tracking.models import CheckIn

ANSWER_FIELDS = frozenset(
    {
        "mood", "energy", "interest", "sleep_quality", "anxiety", "suicidal_thoughts", "panic",
        "unusual_perceptions", "lingering_dissociation", "ketamine_cravings", "nausea",
        "headache", "dizziness", "urinary_symptoms", "physical_symptoms", "note",
    }
)  # fmt: skip


@transaction.atomic
def submit_check_in(
    *,
    patient: Patient,
    answers: Mapping[str, Any],
    submitted_at: datetime | None = None,
    actor: User | None = None,
) -> tuple[CheckIn, list[Any]]:
    """Store a check-in, dated by the patient's own day, and screen it for warning signs.

    Screening runs in the same transaction: a check-in is never stored without its alerts.
    """
    unknown = set(answers) - ANSWER_FIELDS
    if unknown:
        raise ValueError(f"Not check-in answers: {sorted(unknown)}")
    submitted_at = submitted_at or timezone.now()
    check_in = CheckIn.objects.create(
        patient=patient,
        submitted_at=submitted_at,
        local_date=submitted_at.astimezone(patient.tz).date(),
        **{name: value for name, value in answers.items() if value is not None or name != "note"},
    )
    record(
        None,
        actor=actor or patient.user,
        action="create",
        what="check-in",
        patient=patient,
        object_id=check_in.pk,
    )
    return check_in, screen_check_in(check_in)
