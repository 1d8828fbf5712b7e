"""Reminder preferences, the record of reminders sent, and calendar feed links."""

import secrets
from datetime import time
from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftercare.reminders import schedule

DEFAULTS = schedule.Preferences()
ALL_DAYS = "".join(str(d) for d in sorted(schedule.ALL_DAYS))


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")


class ReminderPreference(models.Model):
    """How and when a patient wants the daily check-in reminder; created on first use."""

    patient = models.OneToOneField(
        "accounts.Patient", on_delete=models.CASCADE, related_name="reminder_preference"
    )
    enabled = models.BooleanField(_("daily reminder"), default=DEFAULTS.enabled)
    time_of_day = models.TimeField(_("reminder time"), default=DEFAULTS.time_of_day)
    quiet_start = models.TimeField(
        _("quiet hours start"), null=True, blank=True, default=DEFAULTS.quiet_start
    )
    quiet_end = models.TimeField(
        _("quiet hours end"), null=True, blank=True, default=DEFAULTS.quiet_end
    )
    # date.weekday() digits, Monday = "0": "0123456" is every day.
    weekdays = models.CharField(
        _("days"),
        max_length=7,
        default=ALL_DAYS,
        validators=[RegexValidator(r"^0?1?2?3?4?5?6?$", _("Choose days from the list."))],
    )
    channel = models.CharField(
        _("send by"), max_length=20, choices=Channel.choices, default=Channel.EMAIL
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.time_of_day:%H:%M} {self.weekdays}"

    def as_schedule(self) -> schedule.Preferences:
        quiet = self.quiet_start is not None and self.quiet_end is not None
        return schedule.Preferences(
            enabled=self.enabled,
            time_of_day=_naive(self.time_of_day),
            quiet_start=_naive(self.quiet_start) if quiet else None,
            quiet_end=_naive(self.quiet_end) if quiet else None,
            weekdays=frozenset(int(d) for d in self.weekdays if d.isdigit() and d in ALL_DAYS),
        )


def _naive(value: time | None) -> time:
    assert value is not None
    return value.replace(tzinfo=None, second=0, microsecond=0)


class ReminderSent(models.Model):
    """One reminder that went out. The unique constraint is what makes sending idempotent."""

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="reminders_sent"
    )
    local_date = models.DateField(help_text="The day in the patient's time zone.")
    scheduled_for = models.DateTimeField()
    sent_at = models.DateTimeField()
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["patient", "local_date"], name="reminders_one_per_local_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_date} {self.channel}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a patient's calendar feed; a new token revokes the old one."""

    patient = models.OneToOneField(
        "accounts.Patient", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    issued_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.patient_id}"
