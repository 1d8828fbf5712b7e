"""Clinics, users and their roles, and patient records."""

import uuid
import zoneinfo
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="America/New_York", validators=[validate_timezone]
    )
    phone = models.CharField(_("clinic phone"), max_length=40, blank=True)
    # Crisis resources are per clinic: 988 is the US line (CLINICAL.md §5).
    crisis_line_name = models.CharField(
        _("crisis line name"), max_length=100, default="988 Suicide & Crisis Lifeline"
    )
    crisis_line_phone = models.CharField(_("crisis line number"), max_length=40, default="988")
    crisis_line_text = models.CharField(_("crisis text number"), max_length=40, default="988")
    emergency_number = models.CharField(_("emergency number"), max_length=20, default="911")
    # Off by default so a clinic turns it on once its staff know; docs/security.md.
    require_staff_2fa = models.BooleanField(
        _("staff sign in with a one-time code"),
        default=False,
        help_text=_(
            "Clinicians and admins enter a code from an authenticator app after their password."
        ),
    )

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    CLINICIAN = "clinician", _("Clinician")
    ADMIN = "admin", _("Clinic admin")


class User(AbstractUser):
    """Everyone who logs in. Every user belongs to exactly one clinic."""

    email = models.EmailField(_("email address"), unique=True)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    # Email is the login; username mirrors it so Django's auth forms keep working.
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT


class Patient(models.Model):
    """A patient's record at a clinic; the login (user) exists from the invitation on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="patient")
    clinician = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_patients",
        verbose_name=_("clinician"),
    )
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    # How the clinic reaches the patient, and someone close to them, when a warning sign
    # needs a person (an urgent alert, a missed session). Both optional: not everyone shares.
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    support_name = models.CharField(_("support person"), max_length=150, blank=True)
    support_phone = models.CharField(_("support person's phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["clinic", "created_at"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def phone_href(self) -> str:
        return tel_href(self.phone)

    @property
    def support_phone_href(self) -> str:
        return tel_href(self.support_phone)


def tel_href(phone: str) -> str:
    """A tel: address a phone can dial: the digits, with a leading + kept."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "tel:" + ("+" if phone.lstrip().startswith("+") else "") + digits
