"""One-tap links in reminder emails: signed, expiring, bound to one patient and one local day.

The link is a bearer token: whoever holds it may open that patient's check-in page and submit
one check-in (docs/reminders.md, "The one-tap link"). It stops working when it expires, when a
check-in for its day exists, or when the patient's password changes.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core import signing

from aftercare.accounts.models import Patient

SALT = "aftercare.reminders.check-in-link"
# Long enough for a reminder read the next morning, short enough to limit a forwarded email.
DEFAULT_MAX_AGE = 36 * 60 * 60


def max_age() -> int:
    return int(getattr(settings, "REMINDER_LINK_MAX_AGE", DEFAULT_MAX_AGE))


@dataclass(frozen=True)
class LinkGrant:
    patient: Patient
    local_date: date


def _fingerprint(patient: Patient) -> str:
    return hashlib.sha256(f"{patient.pk}:{patient.user.password}".encode()).hexdigest()[:16]


def make_token(patient: Patient, local_date: date) -> str:
    payload = {"p": str(patient.pk), "d": local_date.isoformat(), "f": _fingerprint(patient)}
    return signing.dumps(payload, salt=SALT, compress=True)


def grant_for_token(token: str) -> LinkGrant | None:
    """What the link allows, or None when it is forged, expired or no longer valid."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.BadSignature:  # includes SignatureExpired
        return None
    try:
        local_date = date.fromisoformat(data["d"])
        patient_id = uuid.UUID(data["p"])
    except (KeyError, TypeError, ValueError):
        return None
    patient = (
        Patient.objects.select_related("user", "clinic")
        .filter(pk=patient_id, user__is_active=True)
        .first()
    )
    if patient is None or data.get("f") != _fingerprint(patient):
        return None
    if not patient.user.has_usable_password():
        return None
    return LinkGrant(patient=patient, local_date=local_date)
