"""Signed, expiring, single-use invitation links.

The token carries the user id and a fingerprint of the password state and email: once the
person sets a password the fingerprint changes, so the link works once. Each new invitation
first gives the waiting account a new unusable password, so sending one cancels the links sent
before; correcting the email cancels the links sent to the wrong address.
"""

import hashlib

from django.conf import settings
from django.core import signing

from aftercare.accounts.models import User

SALT = "aftercare.accounts.invitation"


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.pk}:{user.email}:{user.password}".encode()).hexdigest()[:16]


def make_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=SALT, compress=True)


def new_token(user: User) -> str:
    """A link for a new invitation; every earlier link to this account stops working."""
    if not user.has_usable_password():
        user.set_unusable_password()  # a new random marker, hence a new fingerprint
        user.save(update_fields=["password"])
    return make_token(user)


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
