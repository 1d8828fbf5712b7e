from django.http import HttpRequest

from aftercare.accounts.models import Patient, User
from aftercare.audit.models import AuditEvent


def record(
    request: HttpRequest | None,
    *,
    action: str,
    what: str,
    patient: Patient,
    object_id: object = "",
    actor: User | None = None,
) -> AuditEvent:
    """Leave an audit record for one read or write of a patient's health data."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    return AuditEvent.objects.create(
        actor=actor,
        clinic_id=patient.clinic_id,
        patient=patient,
        action=action,
        what=what,
        object_id=str(object_id),
        ip_address=ip or None,
    )
