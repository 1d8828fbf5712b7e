"""Signed, expiring, single-use invitation links.

The token carries the user id and a fingerprint of the password state: once the patient
sets a password the fingerprint changes, so the link works once.
"""

import hashlib

from django.conf import settings
from django.core import signing

from aftercare.accounts.models import User

SALT = "aftercare.accounts.invitation"


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.pk}:{user.password}".encode()).hexdigest()[:16]


def make_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=SALT, compress=True)


def user_for_token(token: str) -> User | None:
    """The invited user, or None when the link is forged, expired or already used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.INVITATION_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None or data.get("f") != _fingerprint(user):
        return None
    return user
