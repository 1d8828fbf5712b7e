"""The care plan, written with the patient: integration sessions, habits, medications, goals.

The setback plan lives in the safety app (SafetyPlan) and is linked, not copied.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftercare.careplan.interactions import MedicationClass, MedicationNote, note_for


class IntegrationSession(models.Model):
    """An integration-therapy session; ideally inside the neuroplasticity window."""

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="integration_sessions"
    )
    scheduled_at = models.DateTimeField()
    with_whom = models.CharField(max_length=200)
    note = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_at", "pk"]

    def __str__(self) -> str:
        return f"{self.scheduled_at:%Y-%m-%d %H:%M} {self.with_whom}"


class HabitGoal(models.Model):
    class Kind(models.TextChoices):
        EXERCISE = "exercise", _("Exercise")
        SLEEP = "sleep", _("Sleep")
        MINDFULNESS = "mindfulness", _("Mindfulness")
        SOCIAL = "social", _("Social connection")
        OTHER = "other", _("Other")

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="habit_goals"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class HabitTick(models.Model):
    """'Done today': one per habit per local day in the patient's time zone."""

    habit = models.ForeignKey(HabitGoal, on_delete=models.CASCADE, related_name="ticks")
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["habit", "day"], name="careplan_one_tick_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.habit_id} {self.day}"


class Medication(models.Model):
    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="care_medications"
    )
    name = models.CharField(max_length=200)
    medication_class = models.CharField(max_length=30, choices=MedicationClass.choices)
    dose = models.CharField(max_length=200, blank=True)
    started_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stopped_on", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def note(self) -> MedicationNote | None:
        return note_for(self.medication_class)


class PlanGoal(models.Model):
    """Short-, medium- and long-term goals (seed article: "Planning for the Future")."""

    class Horizon(models.TextChoices):
        SHORT = "short", _("Short-term")
        MEDIUM = "medium", _("Medium-term")
        LONG = "long", _("Long-term")

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="plan_goals"
    )
    horizon = models.CharField(max_length=10, choices=Horizon.choices)
    text = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_horizon_display()}: {self.text}"
