from datetime import datetime

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Patient, User
from aftercare.audit.actions import record
from aftercare.tracking.models import CheckIn


@transaction.atomic
def submit_check_in(
    *,
    patient: Patient,
    mood: int,
    energy: int | None = None,
    interest: int | None = None,
    sleep_quality: int | None = None,
    anxiety: int | None = None,
    suicidal_thoughts: bool | None = None,
    note: str = "",
    submitted_at: datetime | None = None,
    actor: User | None = None,
) -> CheckIn:
    """Store a check-in, dated by the patient's own calendar day."""
    submitted_at = submitted_at or timezone.now()
    check_in = CheckIn.objects.create(
        patient=patient,
        submitted_at=submitted_at,
        local_date=submitted_at.astimezone(patient.tz).date(),
        mood=mood,
        energy=energy,
        interest=interest,
        sleep_quality=sleep_quality,
        anxiety=anxiety,
        suicidal_thoughts=suicidal_thoughts,
        note=note,
    )
    record(
        None,
        actor=actor or patient.user,
        action="create",
        what="check-in",
        patient=patient,
        object_id=check_in.pk,
    )
    return check_in
