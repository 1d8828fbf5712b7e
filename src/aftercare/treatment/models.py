"""Treatment courses and the infusions (sessions) in them."""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["scheduled_at"]
        indexes: ClassVar = [models.Index(fields=["patient", "status", "scheduled_at"])]
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
        if self.dose_mg_per_kg is None or self.weight_kg is None:
            return None
        return (self.dose_mg_per_kg * self.weight_kg).quantize(Decimal("0.1"))

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return round((self.ended_at - self.started_at).total_seconds() / 60)
