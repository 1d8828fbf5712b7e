"""Secret addresses of clinicians' calendar feeds (the patient's own feed lives in reminders)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class ClinicianCalendarFeed(models.Model):
    """A staff member's session calendar; a new token revokes the old address."""

    class Scope(models.TextChoices):
        MINE = "mine", _("Sessions of the patients assigned to me")
        CLINIC = "clinic", _("All sessions at the clinic")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_calendar"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    scope = models.CharField(
        _("which sessions"), max_length=10, choices=Scope.choices, default=Scope.MINE
    )
    issued_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"session calendar of {self.user_id}"
