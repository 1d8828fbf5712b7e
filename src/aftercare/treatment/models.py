"""Treatment courses, the infusions (sessions) in them, monitoring rounds and discharge.

A session runs: scheduled → arrival → pre-dose vitals → start → end → monitoring rounds →
discharge. The patient's companion reads "completed" infusions (it counts from ``ended_at``) and
"scheduled" ones (upcoming appointments); a session under way is "in progress".
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftercare.treatment.vitals import PLAUSIBLE, VITAL_FIELDS, Thresholds, Vitals


def total_dose_mg(mg_per_kg: Decimal, weight_kg: Decimal) -> Decimal:
    return (mg_per_kg * weight_kg).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class Route(models.TextChoices):
    IV = "iv", _("IV infusion")
    IM = "im", _("IM injection")
    INTRANASAL = "intranasal", _("Intranasal esketamine")
    ORAL = "oral", _("Oral / sublingual")
    KAP = "kap", _("Ketamine-assisted psychotherapy")


class Course(models.Model):
    """An induction series (typically 6 infusions over 2–3 weeks, PRODUCT.md §6) or maintenance."""

    class Kind(models.TextChoices):
        INDUCTION = "induction", _("Induction series")
        MAINTENANCE = "maintenance", _("Maintenance")

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="courses"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INDUCTION)
    planned_infusions = models.PositiveSmallIntegerField(
        _("planned infusions"), default=6, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    started_on = models.DateField(_("start date"))

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on}"


class Infusion(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="infusions"
    )
    course = models.ForeignKey(
        Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="infusions"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COMPLETED)
    scheduled_at = models.DateTimeField(_("scheduled for"))
    started_at = models.DateTimeField(_("start"), null=True, blank=True)
    ended_at = models.DateTimeField(_("end"), null=True, blank=True)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices, default=Route.IV)
    # Typical IV dose 0.5 mg/kg over 40 min; ASKP range 0.5–1 mg/kg (CLINICAL.md §4).
    dose_mg_per_kg = models.DecimalField(
        _("dose (mg/kg)"),
        max_digits=5,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("5"))],
    )
    weight_kg = models.DecimalField(
        _("weight on the day (kg)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("20")), MaxValueValidator(Decimal("400"))],
    )
    # A fixed dose (intranasal esketamine devices, oral/sublingual tablets) instead of mg/kg.
    dose_mg = models.DecimalField(
        _("dose (mg)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("1000"))],
    )
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    status_note = models.CharField(_("reason"), max_length=500, blank=True)
    # Esketamine REMS patient monitoring form, due within 7 days (CLINICAL.md §4 [S]).
    rems_submitted_at = models.DateTimeField(_("REMS form submitted"), null=True, blank=True)
    rems_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rems_reference = models.CharField(_("REMS confirmation number"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["scheduled_at"]
        indexes: ClassVar = [
            models.Index(fields=["patient", "status", "scheduled_at"]),
            # Each patient's first completed infusion, looked up per check-in row by the
            # outcomes loader: one index probe instead of a scan and sort (docs/performance.md).
            models.Index(
                fields=["patient", "started_at"],
                condition=Q(status="completed", started_at__isnull=False),
                name="infusion_completed_start",
            ),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gt=models.F("started_at")),
                name="infusion_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} {self.scheduled_at:%Y-%m-%d}"

    @property
    def total_mg(self) -> Decimal | None:
        """The dose in mg: the fixed dose, or mg/kg times the weight on the day, to 0.1 mg
        (halves round up: 0.5 mg/kg x 70.1 kg = 35.05 -> 35.1 mg)."""
        if self.dose_mg is not None:
            return self.dose_mg
        if self.dose_mg_per_kg is None or self.weight_kg is None:
            return None
        return total_dose_mg(self.dose_mg_per_kg, self.weight_kg)

    @property
    def is_esketamine(self) -> bool:
        return self.route == Route.INTRANASAL

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return round((self.ended_at - self.started_at).total_seconds() / 60)


class ImmutableRecordError(Exception):
    """A signed or append-only record was about to be changed or deleted."""


class AppendOnly(models.Model):
    """Rows are written once. Corrections are new rows (addenda), never edits."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecordError(f"{type(self).__name__} is signed and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableRecordError(f"{type(self).__name__} is signed and cannot be deleted")


def _minutes(label: Any, default: int, source: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=source,
    )


def _limit(
    label: Any, default: int, low: int, high: int, source: Any
) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
        help_text=source,
    )


# Sources are shown beside each setting and listed in docs/clinical-rules.md.
# Staff read published work here, never this project's own notes (CLINICAL.md §4 holds the
# figures and how sure they are).
SRC_LABEL = _("Source: SPRAVATO (esketamine) prescribing information and REMS, Janssen.")
SRC_LABEL_S = _(
    "Source: SPRAVATO prescribing information as quoted by a drug reference; "
    "check it against the current label."
)
SRC_PROJECT = _("No published figure: a starting value for the clinic to set.")
SRC_CHUNG = _(
    "Source: Chung F, Chan VW, Ong D. A post-anesthetic discharge scoring system for home "
    "readiness after ambulatory surgery. J Clin Anesth 1995;7:500–6 (9 or more: fit for "
    "discharge)."
)


class ClinicProtocol(models.Model):
    """A clinic's monitoring and discharge rules; created with the defaults on first use."""

    clinic = models.OneToOneField(
        "accounts.Clinic", on_delete=models.CASCADE, related_name="treatment_protocol"
    )
    min_observation_esketamine_minutes = _minutes(
        _("minimum observation after intranasal esketamine (min)"), 120, SRC_LABEL
    )
    min_observation_minutes = _minutes(
        _("minimum observation after other routes (min)"), 60, SRC_PROJECT
    )
    latest_round_max_age_minutes = _minutes(
        _("the last monitoring round before discharge is at most (min) old"), 30, SRC_PROJECT
    )
    esketamine_bp_check_from_minutes = _minutes(
        _("esketamine: blood pressure check after the dose, from (min)"), 30, SRC_LABEL
    )
    esketamine_bp_check_to_minutes = _minutes(
        _("esketamine: blood pressure check after the dose, until (min)"), 60, SRC_LABEL
    )
    padss_minimum = _limit(_("PADSS score needed for discharge"), 9, 0, 10, SRC_CHUNG)
    spo2_below = _limit(_("SpO₂ concerning below (%)"), 92, 50, 100, SRC_PROJECT)
    systolic_above = _limit(_("systolic concerning above (mmHg)"), 160, 60, 260, SRC_PROJECT)
    diastolic_above = _limit(_("diastolic concerning above (mmHg)"), 100, 30, 160, SRC_PROJECT)
    systolic_rise = _limit(_("systolic rise from pre-dose (mmHg)"), 40, 1, 200, SRC_LABEL)
    diastolic_rise = _limit(_("diastolic rise from pre-dose (mmHg)"), 25, 1, 130, SRC_LABEL)
    predose_systolic_above = _limit(
        _("pre-dose systolic: consider delaying above (mmHg)"), 140, 60, 260, SRC_LABEL_S
    )
    predose_diastolic_above = _limit(
        _("pre-dose diastolic: consider delaying above (mmHg)"), 90, 30, 160, SRC_LABEL_S
    )
    heart_rate_above = _limit(_("heart rate concerning above (/min)"), 110, 25, 250, SRC_PROJECT)
    heart_rate_below = _limit(_("heart rate concerning below (/min)"), 50, 25, 250, SRC_PROJECT)
    respiratory_rate_above = _limit(
        _("respiratory rate concerning above (/min)"), 24, 4, 60, SRC_PROJECT
    )
    respiratory_rate_below = _limit(
        _("respiratory rate concerning below (/min)"), 10, 4, 60, SRC_PROJECT
    )
    moaas_at_or_below = _limit(_("MOAA/S concerning at or below"), 3, 0, 5, SRC_PROJECT)
    dissociation_at_or_above = _limit(
        _("dissociation (0–4) concerning at or above"), 3, 0, 4, SRC_PROJECT
    )
    nausea_at_or_above = _limit(_("nausea (0–3) concerning at or above"), 3, 0, 3, SRC_PROJECT)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    THRESHOLD_FIELDS: ClassVar = (
        "spo2_below",
        "systolic_above",
        "diastolic_above",
        "systolic_rise",
        "diastolic_rise",
        "predose_systolic_above",
        "predose_diastolic_above",
        "heart_rate_above",
        "heart_rate_below",
        "respiratory_rate_above",
        "respiratory_rate_below",
        "moaas_at_or_below",
        "dissociation_at_or_above",
        "nausea_at_or_above",
    )

    def __str__(self) -> str:
        return f"Protocol of clinic {self.clinic_id}"

    def thresholds(self) -> Thresholds:
        return Thresholds(**{name: getattr(self, name) for name in self.THRESHOLD_FIELDS})

    def min_observation_for(self, route: str) -> int:
        if route == Route.INTRANASAL:
            return self.min_observation_esketamine_minutes
        return self.min_observation_minutes


def _vital(label: Any, field: str) -> models.PositiveSmallIntegerField:
    low, high, _unit = PLAUSIBLE[field]
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
    )


class MonitoringRound(models.Model):
    """One set of observations: before the dose, or during and after the session."""

    class Kind(models.TextChoices):
        PRE_DOSE = "pre_dose", _("Before the dose")
        ROUND = "round", _("Monitoring round")

    infusion = models.ForeignKey(Infusion, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ROUND)
    taken_at = models.DateTimeField(_("time"))
    systolic_mmhg = _vital(_("systolic (mmHg)"), "systolic_mmhg")
    diastolic_mmhg = _vital(_("diastolic (mmHg)"), "diastolic_mmhg")
    heart_rate_bpm = _vital(_("heart rate (/min)"), "heart_rate_bpm")
    spo2_pct = _vital(_("SpO₂ (%)"), "spo2_pct")
    respiratory_rate = _vital(_("respiratory rate (/min)"), "respiratory_rate")
    moaas = _vital(_("sedation (MOAA/S)"), "moaas")
    dissociation = _vital(_("dissociation (0–4)"), "dissociation")
    nausea = _vital(_("nausea (0–3)"), "nausea")
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["taken_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.taken_at:%Y-%m-%d %H:%M}"

    @property
    def vitals(self) -> Vitals:
        return Vitals(**{name: getattr(self, name) for name in VITAL_FIELDS})


class Ride(models.TextChoices):
    """How the patient goes home: never driving themselves on treatment day, with the ride
    arranged beforehand (seed article, "Immediate Post-Infusion Period"), and always with a
    responsible adult, whose name and phone are recorded."""

    DRIVEN = "driven", _("Driven home by")
    ACCOMPANIED = "accompanied", _("Accompanied home (taxi, public transport or on foot) by")


class Discharge(AppendOnly):
    """The signed discharge of one session. Immutable once saved; corrections are addenda."""

    infusion = models.OneToOneField(Infusion, on_delete=models.PROTECT, related_name="discharge")
    discharged_at = models.DateTimeField(_("discharged"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    observed_minutes = models.PositiveIntegerField(_("observed after the end (min)"))
    # PADSS items, each 0-2 (Chung 1995, CLINICAL.md §4 [V]); total >= 9 = fit for discharge.
    padss_vital_signs = models.PositiveSmallIntegerField(validators=[MaxValueValidator(2)])
    padss_activity = models.PositiveSmallIntegerField(validators=[MaxValueValidator(2)])
    padss_nausea_pain = models.PositiveSmallIntegerField(validators=[MaxValueValidator(2)])
    padss_bleeding = models.PositiveSmallIntegerField(validators=[MaxValueValidator(2)])
    padss_intake_output = models.PositiveSmallIntegerField(validators=[MaxValueValidator(2)])
    padss_total = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    oriented = models.BooleanField(_("oriented"))
    walks_steadily = models.BooleanField(_("walks steadily"))
    instructions_given = models.BooleanField(_("instructions given"))
    # The adult who takes the patient home (``ride`` says how: driving them or with them).
    ride = models.CharField(
        _("going home"), max_length=20, choices=Ride.choices, default=Ride.DRIVEN
    )
    escort_name = models.CharField(_("name of the adult taking them home"), max_length=120)
    escort_phone = models.CharField(_("phone of the adult taking them home"), max_length=40)
    adverse_events = models.TextField(_("adverse events"), max_length=4000)
    # Criteria not met at signing: [{"code", "label", "detail"}]; non-empty only with an override.
    unmet = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Discharge of infusion {self.infusion_id}"

    @property
    def overridden(self) -> bool:
        return bool(self.unmet)


class DischargeAddendum(AppendOnly):
    discharge = models.ForeignKey(Discharge, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("addendum"), max_length=4000)

    class Meta:
        ordering: ClassVar = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Addendum to discharge {self.discharge_id}"


class ArrivalConfirmation(AppendOnly):
    """The person who drove the patient home says they arrived (through the signed link)."""

    discharge = models.OneToOneField(
        Discharge, on_delete=models.PROTECT, related_name="arrival_confirmation"
    )
    confirmed_at = models.DateTimeField()
    confirmed_by_name = models.CharField(_("your name"), max_length=120)

    def __str__(self) -> str:
        return f"Arrival home after discharge {self.discharge_id}"


class ScheduleChange(AppendOnly):
    """History of an appointment: booked, moved, cancelled, no-show."""

    class Change(models.TextChoices):
        BOOKED = "booked", _("Booked")
        MOVED = "moved", _("Moved")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    infusion = models.ForeignKey(Infusion, on_delete=models.CASCADE, related_name="changes")
    change = models.CharField(max_length=20, choices=Change.choices)
    from_at = models.DateTimeField(null=True, blank=True)
    to_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.change} infusion {self.infusion_id}"
