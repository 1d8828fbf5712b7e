"""What patients report: daily check-ins, validated scales and the journal."""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ONE_TO_TEN = [MinValueValidator(1), MaxValueValidator(10)]


class CheckIn(models.Model):
    """One check-in. Scores run 1–10 where 10 is best, except anxiety where 10 is worst."""

    class Source(models.TextChoices):
        # Imported days come from another app's export (reports/imports.py): one per day.
        APP = "app", _("Aftercare")
        DAYLIO = "daylio", "Daylio"
        EMOODS = "emoods", "eMoods"

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
    # The key the form carried (tracking/forms.py, SubmissionKeyField): the same key sent twice
    # (double tap, retry, resubmitted page) is one submission. Empty for rows from older clients.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.APP)

    class Meta:
        ordering: ClassVar = ["-submitted_at"]
        indexes: ClassVar = [models.Index(fields=["patient", "-submitted_at"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["patient", "submission_key"], name="one_check_in_per_submission_key"
            ),
            # Re-importing the same export never duplicates a day.
            models.UniqueConstraint(
                fields=["patient", "local_date", "source"],
                condition=~models.Q(source="app"),
                name="one_imported_check_in_per_day_and_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_date} mood {self.mood}"


class ScaleResponse(models.Model):
    """A completed questionnaire (PHQ-9, GAD-7): item answers 0–3 and their total."""

    class Instrument(models.TextChoices):
        # Known keys; the definitions themselves are data (tracking/instrument_data/*.json).
        PHQ9 = "phq9", "PHQ-9"
        GAD7 = "gad7", "GAD-7"

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="scale_responses"
    )
    # Any key of tracking.instruments.INSTRUMENTS: a new instrument file needs no migration.
    instrument = models.CharField(max_length=20)
    # Item id (the item's LOINC code) -> answer value, including unscored items (PHQ-9 item 10).
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField()
    taken_at = models.DateTimeField()
    # The key the form carried (tracking/forms.py, SubmissionKeyField): the same key sent twice
    # (double tap, retry, resubmitted page) is one submission. Empty for rows from older clients.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering: ClassVar = ["-taken_at"]
        indexes: ClassVar = [models.Index(fields=["patient", "instrument", "-taken_at"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["patient", "submission_key"], name="one_scale_response_per_submission_key"
            )
        ]

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
    # The key the form carried (tracking/forms.py, SubmissionKeyField): the same key sent twice
    # (double tap, retry, resubmitted page) is one submission. Empty for rows from older clients.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering: ClassVar = ["-written_at"]
        indexes: ClassVar = [models.Index(fields=["patient", "-written_at"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["patient", "submission_key"], name="one_journal_entry_per_submission_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.written_at:%Y-%m-%d} journal"


class CheckInEdit(models.Model):
    """One change to a check-in: who changed it, when, and the answers it had before."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="edits")
    edited_at = models.DateTimeField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    previous = models.JSONField(help_text="Every answer field as it was before this edit.")
    changed_fields = models.JSONField(default=list)

    class Meta:
        ordering: ClassVar = ["-edited_at"]

    def __str__(self) -> str:
        return f"check-in {self.check_in_id} edited {self.edited_at:%Y-%m-%d %H:%M}"


class ScaleSchedule(models.Model):
    """When one instrument falls due at one clinic, relative to each patient's infusions.

    Rules and defaults: tracking/schedule.py and docs/tracking.md. A clinic without a row for an
    instrument uses the defaults.
    """

    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.CASCADE, related_name="scale_schedules"
    )
    instrument = models.CharField(max_length=20)
    active = models.BooleanField(_("ask patients to fill it in"), default=True)
    baseline = models.BooleanField(_("baseline before the first infusion"), default=True)
    before_each_infusion = models.BooleanField(_("the day before each infusion"), default=True)
    days_after_each_infusion = models.PositiveSmallIntegerField(
        _("days after each infusion"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    weekly_first_month = models.BooleanField(
        _("weekly in the first month after an infusion"), default=True
    )
    maintenance_every_days = models.PositiveSmallIntegerField(
        _("afterwards, every so many days"),
        null=True,
        blank=True,
        default=14,
        validators=[MinValueValidator(7), MaxValueValidator(90)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["clinic", "instrument"], name="one_schedule_per_scale")
        ]

    def __str__(self) -> str:
        return f"{self.instrument} schedule at clinic {self.clinic_id}"
