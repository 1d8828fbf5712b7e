"""A clinic's own outcome definitions, overriding the published defaults (CLINICAL.md §2)."""

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftercare.insights.definitions import INSTRUMENT_MAX, OutcomeDefinitions

DEFAULTS = OutcomeDefinitions()


def _range(lo: int, hi: int) -> list:
    return [MinValueValidator(lo), MaxValueValidator(hi)]


class ClinicDefinitions(models.Model):
    """Per-clinic overrides of ``insights.definitions.OutcomeDefinitions``.

    CLINICAL.md §2 recommends configuration over hard-coding because papers differ (MADRS ≤ 10
    vs ≤ 12, PHQ-9 < 5, one or two confirming visits). A clinic without a row uses the defaults.
    """

    class Instrument(models.TextChoices):
        PHQ9 = "phq9", "PHQ-9"
        GAD7 = "gad7", "GAD-7"

    clinic = models.OneToOneField(
        "accounts.Clinic", on_delete=models.CASCADE, related_name="outcome_definitions"
    )
    instrument = models.CharField(
        _("questionnaire"), max_length=10, choices=Instrument.choices, default=DEFAULTS.instrument
    )
    response_percent = models.PositiveSmallIntegerField(
        _("response: reduction of at least (%)"),
        default=round(100 * DEFAULTS.response_reduction),
        validators=_range(2, 100),
    )
    partial_percent = models.PositiveSmallIntegerField(
        _("partial response: reduction of at least (%)"),
        default=round(100 * DEFAULTS.partial_reduction),
        validators=_range(1, 99),
    )
    remission_below = models.PositiveSmallIntegerField(
        _("remission: total below"), default=DEFAULTS.remission_below, validators=_range(1, 27)
    )
    mcid_points = models.PositiveSmallIntegerField(
        _("meaningful change (points)"), default=DEFAULTS.mcid_points, validators=_range(1, 27)
    )
    response_confirm_visits = models.PositiveSmallIntegerField(
        _("visits in a row to confirm response"),
        default=DEFAULTS.response_confirm_visits,
        validators=_range(1, 5),
    )
    remission_confirm_visits = models.PositiveSmallIntegerField(
        _("visits in a row to confirm remission"),
        default=DEFAULTS.remission_confirm_visits,
        validators=_range(1, 5),
    )
    loss_confirm_visits = models.PositiveSmallIntegerField(
        _("visits in a row to confirm loss of response"),
        default=DEFAULTS.loss_confirm_visits,
        validators=_range(1, 5),
    )
    assessment_from_days = models.PositiveSmallIntegerField(
        _("post-induction assessment from day"),
        default=DEFAULTS.post_induction_days[0],
        validators=_range(0, 180),
    )
    assessment_to_days = models.PositiveSmallIntegerField(
        _("post-induction assessment until day"),
        default=DEFAULTS.post_induction_days[1],
        validators=_range(0, 180),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"outcome definitions of {self.clinic_id}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (
            self.partial_percent is not None
            and self.response_percent is not None
            and self.partial_percent >= self.response_percent
        ):
            errors["partial_percent"] = _(
                "Partial response must start below the response threshold."
            )
        top = INSTRUMENT_MAX.get(self.instrument, 27)
        for name in ("remission_below", "mcid_points"):
            value = getattr(self, name)
            if value is not None and value > top:
                errors[name] = _("The questionnaire's total goes up to %(top)s.") % {"top": top}
        if (
            self.assessment_from_days is not None
            and self.assessment_to_days is not None
            and self.assessment_from_days > self.assessment_to_days
        ):
            errors["assessment_to_days"] = _("The window must end on or after its first day.")
        if errors:
            raise ValidationError(errors)

    def to_definitions(self) -> OutcomeDefinitions:
        return OutcomeDefinitions(
            instrument=self.instrument,
            response_reduction=self.response_percent / 100,
            partial_reduction=self.partial_percent / 100,
            remission_below=self.remission_below,
            mcid_points=self.mcid_points,
            response_confirm_visits=self.response_confirm_visits,
            remission_confirm_visits=self.remission_confirm_visits,
            loss_confirm_visits=self.loss_confirm_visits,
            post_induction_days=(self.assessment_from_days, self.assessment_to_days),
        )


class DataStamp(models.Model):
    """A token that changes whenever anything the insights are computed from changes for a
    patient (check-ins, questionnaires, infusions, courses: ``outcomes.stamps``).

    Pages that analyse many patients keep each patient's loaded data and results in memory and
    reuse them while the token is unchanged, so only patients with new data are read again. A
    patient without a row is always read afresh."""

    patient = models.OneToOneField(
        "accounts.Patient", on_delete=models.CASCADE, primary_key=True, related_name="data_stamp"
    )
    stamp = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.stamp}"


class LoadedData(models.Model):
    """A patient's loaded data (``insights.data.PatientData``) as an app process built it, kept
    so that other processes, and this one after a restart, need not read the history again
    (``outcomes.memory``, ``outcomes.kept`` for the format).

    A row is used only under the rules of the in-memory store: the same data stamp, the same
    time zone and questionnaire, and ``loaded_at <= now < valid_until``; otherwise it is
    replaced by a fresh read. ``results`` holds what some pages compute from the same rows and
    keep beside the data (the workspace's infusion and questionnaire times).

    A cache of health data: erased with the patient's data (``lifecycle.erasure``), left out of
    backups (rebuilt on first use) and of the patient's export (it repeats exported records).
    Reading a row writes no audit record: it is not a person reading; the page that shows the
    data records its view, as it does when the data comes from memory or from the source rows.
    """

    patient = models.OneToOneField(
        "accounts.Patient", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    stamp = models.UUIDField()
    zone = models.CharField(max_length=64)
    instrument = models.CharField(max_length=10)
    loaded_at = models.DateTimeField()
    valid_until = models.DateTimeField()
    data = models.BinaryField()
    results = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"{self.patient_id}: loaded {self.loaded_at:%Y-%m-%d %H:%M}"
