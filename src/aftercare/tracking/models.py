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
    # Warning signs the source article lists; None = not asked or not answered.
    panic = models.BooleanField(_("severe anxiety or panic"), null=True)
    unusual_perceptions = models.BooleanField(_("hallucinations or paranoia"), null=True)
    lingering_dissociation = models.BooleanField(_("still feeling detached or unreal"), null=True)
    ketamine_cravings = models.BooleanField(
        _("urges to use ketamine outside the clinic"), null=True
    )
    # Side effects (CLINICAL.md §5: urinary symptoms are checked periodically).
    nausea = models.BooleanField(_("nausea"), default=False)
    headache = models.BooleanField(_("headache"), default=False)
    dizziness = models.BooleanField(_("dizziness"), default=False)
    urinary_symptoms = models.BooleanField(_("urinary or bladder symptoms"), default=False)
    physical_symptoms = models.CharField(_("other physical symptoms"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    edited_at = models.DateTimeField(null=True, blank=True)

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


class JournalEntry(models.Model):
    """Free writing. Private unless the patient shares it with the care team."""

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="journal_entries"
    )
    written_at = models.DateTimeField()
    prompt = models.CharField(_("prompt"), max_length=300, blank=True)
    body = models.TextField(_("entry"), max_length=20000)
    shared_with_care_team = models.BooleanField(_("share with my care team"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-written_at"]
        indexes: ClassVar = [models.Index(fields=["patient", "-written_at"])]

    def __str__(self) -> str:
        return f"{self.written_at:%Y-%m-%d} journal"
