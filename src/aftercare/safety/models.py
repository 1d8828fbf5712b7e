"""Alerts that a human must acknowledge, clinic safety settings, and the safety plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftercare.safety.rules import RULES, Severity, Thresholds


def _between(low: int, high: int) -> list:
    return [MinValueValidator(low), MaxValueValidator(high)]


class AppendOnly(models.Model):
    """Rows that record what happened: written once, never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"{type(self).__name__} rows are append-only")


class SafetySettings(models.Model):
    """A clinic's safety numbers. Created on first use with the defaults below.

    Every default is a starting point for the clinic to review (docs: RULES in safety/rules.py).
    Acknowledgement windows (15 min / 4 h / 2 days) are project defaults, not from a study.
    """

    FIELDS: ClassVar = (
        "on_call_email",
        "urgent_ack_minutes",
        "high_ack_minutes",
        "routine_ack_minutes",
        "anxiety_threshold",
        "gad7_severe_threshold",
        "phq9_worsening_points",
        "mood_drop_points",
        "mood_window_days",
        "missed_check_in_days",
    )

    clinic = models.OneToOneField(
        "accounts.Clinic", on_delete=models.CASCADE, related_name="safety_settings"
    )
    on_call_email = models.EmailField(
        _("on-call email"),
        blank=True,
        help_text=_(
            "Unacknowledged alerts go here first, then to the clinic admins. Empty: the clinic "
            "admins first, then the admins and every clinician."
        ),
    )
    urgent_ack_minutes = models.PositiveIntegerField(
        _("minutes to acknowledge an urgent alert"), default=15, validators=_between(1, 1440)
    )
    high_ack_minutes = models.PositiveIntegerField(
        _("minutes to acknowledge a high alert"), default=240, validators=_between(1, 10080)
    )
    routine_ack_minutes = models.PositiveIntegerField(
        _("minutes to acknowledge a routine alert"), default=2880, validators=_between(1, 43200)
    )
    anxiety_threshold = models.PositiveSmallIntegerField(
        _("check-in anxiety that counts as severe (1–10)"), default=9, validators=_between(1, 10)
    )
    gad7_severe_threshold = models.PositiveSmallIntegerField(
        _("GAD-7 total that counts as severe (0–21)"), default=15, validators=_between(1, 21)
    )
    phq9_worsening_points = models.PositiveSmallIntegerField(
        _("PHQ-9 rise over baseline that counts as worse (points)"),
        default=5,
        validators=_between(1, 27),
    )
    mood_drop_points = models.PositiveSmallIntegerField(
        _("drop in mean daily mood below baseline (points)"), default=3, validators=_between(1, 9)
    )
    mood_window_days = models.PositiveSmallIntegerField(
        _("days of mood to average"), default=3, validators=_between(1, 14)
    )
    missed_check_in_days = models.PositiveSmallIntegerField(
        _("days without a check-in before an alert"), default=3, validators=_between(1, 60)
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("safety settings")
        verbose_name_plural = _("safety settings")

    def __str__(self) -> str:
        return f"Safety settings of clinic {self.clinic_id}"

    @classmethod
    def for_clinic(cls, clinic: Any) -> SafetySettings:
        found, _created = cls.objects.get_or_create(clinic_id=getattr(clinic, "pk", clinic))
        return found

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(
            anxiety_severe=self.anxiety_threshold,
            gad7_severe=self.gad7_severe_threshold,
            phq9_worsening_points=self.phq9_worsening_points,
            mood_drop_points=self.mood_drop_points,
            mood_window_days=self.mood_window_days,
            missed_check_in_days=self.missed_check_in_days,
        )

    def ack_window(self, severity: str) -> timedelta:
        minutes = {
            Severity.URGENT: self.urgent_ack_minutes,
            Severity.HIGH: self.high_ack_minutes,
            Severity.ROUTINE: self.routine_ack_minutes,
        }[Severity(severity)]
        return timedelta(minutes=minutes)


class SafetySettingChange(AppendOnly):
    """Who changed which safety number, from what to what."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=50)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["-at"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class Alert(models.Model):
    """A warning sign that a human must acknowledge, then resolve."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    class Severity(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        HIGH = "high", _("High")
        ROUTINE = "routine", _("Routine")

    class Source(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in")
        SCALE = "scale", _("Questionnaire")
        JOURNAL = "journal", _("Shared journal entry")
        CONCERN = "concern", _("“Something concerns me”")
        ENGAGEMENT = "engagement", _("Missed check-ins")

    RULE_CHOICES: ClassVar = [(rule.id, rule.title) for rule in RULES.values()]

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.PROTECT, related_name="safety_alerts"
    )
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    rule_id = models.CharField(max_length=40, choices=RULE_CHOICES)
    explanation = models.TextField(blank=True)
    source_text = models.TextField(blank=True)  # the rule's source, as it was when it fired
    triggering_answers = models.JSONField(default=dict)
    source_kind = models.CharField(max_length=20, choices=Source.choices)
    source_id = models.CharField(max_length=64, blank=True)
    dedupe_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ack_due_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # 0 = not escalated, 1 = sent to on-call, 2 = sent to clinic admins.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [
            models.Index(fields=["clinic", "status", "created_at"]),
            models.Index(fields=["patient", "-created_at"]),
            models.Index(fields=["status", "next_escalation_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.severity} {self.rule_id} ({self.status})"

    @property
    def rule(self) -> Any:
        return RULES.get(self.rule_id)

    @property
    def is_urgent(self) -> bool:
        return self.severity == self.Severity.URGENT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, now: Any) -> bool:
        return self.status == self.Status.OPEN and self.ack_due_at <= now


class AlertEvent(AppendOnly):
    """What people did about an alert, in order. Never edited."""

    class Kind(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", _("Acknowledged")
        NOTE = "note", _("Note")
        CONTACT = "contact", _("Contact attempt")
        RESOLVE = "resolve", _("Resolved")
        ESCALATE = "escalate", _("Escalated")

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField()
    text = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering: ClassVar = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class SafetyPlan(models.Model):
    """The patient's safety & setback plan (seed article, “Planning for Setbacks”).

    Written by the patient with their clinician; both can edit. `version` counts saves so a
    save over someone else's newer text is refused instead of silently lost.
    """

    patient = models.OneToOneField(
        "accounts.Patient", on_delete=models.CASCADE, related_name="safety_plan"
    )
    warning_signs = models.TextField(_("My early warning signs"), blank=True, max_length=4000)
    coping_strategies = models.TextField(_("Things that help me cope"), blank=True, max_length=4000)
    people_to_call = models.TextField(
        _("People and numbers I can call"), blank=True, max_length=4000
    )
    booster_when = models.TextField(
        _("When I ask my clinic about a booster"), blank=True, max_length=4000
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    TEXT_FIELDS: ClassVar = ("warning_signs", "coping_strategies", "people_to_call", "booster_when")

    def __str__(self) -> str:
        return f"Safety plan of {self.patient_id}"

    def sections(self) -> list[tuple[Any, str]]:
        """(label, text) for each part of the plan, in order."""
        return [
            (getattr(self._meta.get_field(name), "verbose_name", name), getattr(self, name))
            for name in self.TEXT_FIELDS
        ]

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in self.TEXT_FIELDS)
