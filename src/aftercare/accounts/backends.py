"""The login backend: Django's model backend, reading the user with what every request needs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import AllowAllUsersModelBackend


class AftercareBackend(AllowAllUsersModelBackend):
    """Every authenticated request reads its user; nearly every page then needs the user's
    clinic and, for a patient, the patient record and its clinic (time zone, scoping). One
    joined query instead of three (bench/http/profile_page.py, docs/performance.md).

    A deactivated account with the right password is let through ``authenticate`` only so that
    the sign-in form can say it is deactivated (``confirm_login_allowed``) instead of "wrong
    password"; it never gets a session, and ``get_user`` ends any session it had."""

    def get_user(self, user_id: Any) -> Any:
        from aftercare.accounts.models import User

        try:
            user = User._default_manager.select_related("clinic", "patient__clinic").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if user.is_active else None
