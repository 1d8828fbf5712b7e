"""What patients report: daily check-ins and validated scales."""

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ONE_TO_TEN = [MinValueValidator(1), MaxValueValidator(10)]


class CheckIn(models.Model):
    """One check-in. Scores run 1–10 where 10 is best, except anxiety where 10 is worst."""

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="check_ins"
    )
    submitted_at = models.DateTimeField(db_index=True)
    local_date = models.DateField(help_text="The day in the patient's time zone.")
    mood = models.PositiveSmallIntegerField(_("mood"), validators=ONE_TO_TEN)
    energy = models.PositiveSmallIntegerField(_("energy"), null=True, validators=ONE_TO_TEN)
    interest = models.PositiveSmallIntegerField(
        _("interest in activities"), null=True, validators=ONE_TO_TEN
    )
    sleep_quality = models.PositiveSmallIntegerField(
        _("sleep quality"), null=True, validators=ONE_TO_TEN
    )
    anxiety = models.PositiveSmallIntegerField(_("anxiety"), null=True, validators=ONE_TO_TEN)
    suicidal_thoughts = models.BooleanField(_("thoughts of suicide or self-harm"), null=True)
    note = models.TextField(_("note"), blank=True, max_length=4000)

    class Meta:
        ordering: ClassVar = ["-submitted_at"]
        indexes: ClassVar = [models.Index(fields=["patient", "-submitted_at"])]

    def __str__(self) -> str:
        return f"{self.local_date} mood {self.mood}"


class ScaleResponse(models.Model):
    """A completed questionnaire (PHQ-9, GAD-7): item answers 0–3 and their total."""

    class Instrument(models.TextChoices):
        PHQ9 = "phq9", "PHQ-9"
        GAD7 = "gad7", "GAD-7"

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="scale_responses"
    )
    instrument = models.CharField(max_length=10, choices=Instrument.choices)
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField()
    taken_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["-taken_at"]
        indexes: ClassVar = [models.Index(fields=["patient", "instrument", "-taken_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} {self.total}"
