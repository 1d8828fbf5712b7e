"""The signed link for the person who drives the patient home.

The token names one discharge and nothing else; its salt is used for nothing else, so it cannot
open any other page, and an invitation or password-reset token cannot open it. It expires after
MAX_AGE (24 h, project default [U]: long enough for the trip home and a late confirmation).
"""

from datetime import timedelta

from django.core import signing

from aftercare.treatment.models import Discharge

SALT = "aftercare.treatment.driver-sheet"
MAX_AGE = timedelta(hours=24)


def make_token(discharge: Discharge) -> str:
    return signing.dumps({"d": discharge.pk}, salt=SALT)


def discharge_for_token(token: str) -> Discharge | None:
    """The discharge the link was made for, or None when forged, altered or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), int):
        return None
    return (
        Discharge.objects.select_related("infusion__patient__user", "infusion__patient__clinic")
        .filter(pk=data["d"])
        .first()
    )
