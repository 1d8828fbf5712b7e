"""The login backend: Django's model backend, reading the user with what every request needs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class AftercareBackend(ModelBackend):
    """Every authenticated request reads its user; nearly every page then needs the user's
    clinic and, for a patient, the patient record and its clinic (time zone, scoping). One
    joined query instead of three (bench/http/profile_page.py, docs/performance.md)."""

    def get_user(self, user_id: Any) -> Any:
        from aftercare.accounts.models import User

        try:
            user = User._default_manager.select_related("clinic", "patient__clinic").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
