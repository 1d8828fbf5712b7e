"""Forms for recording infusions and running a session.

Times are entered in the clinic's local time (the middleware activates it for staff) and stored
in UTC. Numbers use text inputs with a numeric keypad, so whatever was typed comes back exactly
as typed when the form has an error. Plausible ranges: treatment.vitals.PLAUSIBLE.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aftercare.accounts.contact import clean_phone
from aftercare.treatment.discharge_rules import (
    CRITERION_CODES,
    PADSS_BLEEDING,
    PADSS_INTAKE_OUTPUT,
    PADSS_NAUSEA_PAIN,
    PADSS_VITAL_SIGNS,
)
from aftercare.treatment.models import Infusion, Ride, Route
from aftercare.treatment.vitals import (
    DISSOCIATION_CHOICES,
    MOAAS_CHOICES,
    NAUSEA_CHOICES,
    PLAUSIBLE,
    VITAL_FIELDS,
)
from aftercare.treatment.weight_check import RecordedWeight, add_confirmation_field, check_weight

# An infusion recorded after the fact further back than this is a mistyped year (1990).
RECORDED_AFTERWARDS_REACH = timedelta(days=2 * 366)
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
FUTURE_GRACE = timedelta(minutes=5)


class HiddenTime(forms.DateTimeInput):
    input_type = "hidden"


def shown_time_field() -> forms.DateTimeField:
    """The time a step's time field was filled in with when the page was drawn."""
    return forms.DateTimeField(required=False, widget=HiddenTime(format=DATETIME_INPUT.format))


def now_if_untouched(form: forms.Form, given: datetime) -> datetime:
    """A time sent back as the page filled it in means "now": a page left open on a tablet
    must not date a round, a start or an end to when the page was opened."""
    try:
        shown = form.fields["shown_time"].clean(form.data.get(form.add_prefix("shown_time")))
    except forms.ValidationError:
        return given
    return max(given, timezone.now()) if shown is not None and shown == given else given


def numeric(decimal: bool = False) -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "decimal" if decimal else "numeric", "autocomplete": "off"}
    )


def _not_future(form: forms.Form, name: str, value: datetime | None) -> None:
    if value is not None and value > timezone.now() + FUTURE_GRACE:
        form.add_error(name, _("This time is in the future."))


class AmountField(forms.DecimalField):
    """A decimal whose range checks share one message: say it once, not once per check
    (1000 kg breaks both the maximum and the number of digits)."""

    def run_validators(self, value: Any) -> None:
        try:
            super().run_validators(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(list(dict.fromkeys(error.messages))) from None


def amount_field(
    label: Any,
    low: str,
    high: str,
    unit: str,
    *,
    places: int,
    help_text: Any = "",
    widget: forms.Widget | None = None,
) -> forms.DecimalField:
    """An optional decimal amount whose every error names the range and the unit (Django's own
    say "Ensure this value is less than or equal to 3.")."""
    message = _("Enter a number from %(low)s to %(high)s %(unit)s.") % {
        "low": low,
        "high": high,
        "unit": unit,
    }
    places_message = ngettext(
        "Use at most %(n)s decimal place.", "Use at most %(n)s decimal places.", places
    ) % {"n": places}
    digits = len(high.split(".")[0]) + places
    return AmountField(
        label=label,
        help_text=help_text,
        min_value=Decimal(low),
        max_value=Decimal(high),
        max_digits=digits,
        decimal_places=places,
        required=False,
        widget=widget,
        error_messages={
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "max_digits": message,
            "max_whole_digits": message,
            "max_decimal_places": places_message,
        },
    )


class InfusionForm(forms.Form):
    """A completed infusion recorded after the fact."""

    started_at = forms.DateTimeField(label=_("Start"), widget=DATETIME_INPUT)
    ended_at = forms.DateTimeField(label=_("End"), widget=DATETIME_INPUT)
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, initial=Route.IV)
    # Typical 0.5 mg/kg, range 0.5–1 mg/kg (CLINICAL.md §4); the bounds only catch typos.
    dose_mg_per_kg = amount_field(_("Dose (mg/kg)"), "0.05", "3", "mg/kg", places=3)
    weight_kg = amount_field(_("Weight today (kg)"), "20", "400", "kg", places=1)

    def __init__(
        self,
        *args: Any,
        previous_weight: RecordedWeight | None = None,
        others: QuerySet[Infusion] | None = None,
        **kwargs: Any,
    ) -> None:
        """``others``: the patient's infusions this one must not overlap."""
        super().__init__(*args, **kwargs)
        self.previous_weight = previous_weight
        self.others = others
        add_confirmation_field(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_weight(self, data, self.previous_weight)
        start, end = data.get("started_at"), data.get("ended_at")
        if start and timezone.now() - start > RECORDED_AFTERWARDS_REACH:
            self.add_error(
                "started_at",
                _("This is more than two years ago: check the year."),
            )
        if start and end:
            if end <= start:
                self.add_error("ended_at", _("The end must be after the start."))
            elif end - start > timedelta(hours=6):
                self.add_error("ended_at", _("A session longer than 6 hours is not plausible."))
            if end > timezone.now() + FUTURE_GRACE:
                self.add_error("ended_at", _("An infusion cannot end in the future."))
            elif end > start:
                self._check_overlap(start, end)
        return data

    def _check_overlap(self, start: datetime, end: datetime) -> None:
        """Two infusions of one patient at once is a duplicate or a wrong time."""
        if self.others is None:
            return
        # A session still under way (no end yet) overlaps whatever starts after its start.
        under_way = Q(ended_at__isnull=True, status=Infusion.Status.IN_PROGRESS)
        clash = (
            self.others.filter(Q(ended_at__gt=start) | under_way, started_at__lt=end)
            .order_by("started_at")
            .first()
        )
        if clash is not None and clash.started_at and clash.ended_at is None:
            local_start = timezone.localtime(clash.started_at)
            self.add_error(
                "started_at",
                _("This overlaps the session under way since %(start)s.")
                % {"start": formats.date_format(local_start, "j M Y, H:i")},
            )
        elif clash is not None and clash.started_at and clash.ended_at:
            local = timezone.localtime
            self.add_error(
                "started_at",
                _(
                    "This overlaps the infusion already recorded on %(day)s, %(start)s–%(end)s. "
                    "If it is the same one, it is recorded already."
                )
                % {
                    "day": formats.date_format(local(clash.started_at), "j M Y"),
                    "start": local(clash.started_at).strftime("%H:%M"),
                    "end": local(clash.ended_at).strftime("%H:%M"),
                },
            )


# Observations ---------------------------------------------------------------------------------

VITAL_LABELS = {
    "systolic_mmhg": _("Blood pressure, systolic (mmHg)"),
    "diastolic_mmhg": _("Blood pressure, diastolic (mmHg)"),
    "heart_rate_bpm": _("Heart rate (beats/min)"),
    "spo2_pct": _("SpO₂ (%)"),
    "respiratory_rate": _("Respiratory rate (breaths/min)"),
}
SCORE_CHOICES = {
    "moaas": (_("Sedation (MOAA/S)"), MOAAS_CHOICES),
    "dissociation": (_("Dissociation (clinician rating 0–4)"), DISSOCIATION_CHOICES),
    "nausea": (_("Nausea (0–3)"), NAUSEA_CHOICES),
}


def vital_field(name: str, *, required: bool = False) -> forms.IntegerField:
    low, high, unit = PLAUSIBLE[name]
    message = _("Enter a whole number from %(low)s to %(high)s %(unit)s.") % {
        "low": low,
        "high": high,
        "unit": unit,
    }
    return forms.IntegerField(
        label=VITAL_LABELS[name],
        required=required,
        min_value=low,
        max_value=high,
        widget=numeric(),
        # Django fills min/max messages with %-formatting: a literal "%" must be doubled there.
        error_messages={
            "invalid": message,
            "min_value": message.replace("%", "%%"),
            "max_value": message.replace("%", "%%"),
            "required": _("Enter this value: it is needed before the dose."),
        },
    )


def score_field(name: str) -> forms.TypedChoiceField:
    label, choices = SCORE_CHOICES[name]
    return forms.TypedChoiceField(
        label=label,
        choices=[("", _("Not assessed")), *choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the listed values.")},
    )


class ObservationsForm(forms.Form):
    taken_at = forms.DateTimeField(label=_("Time of the observations"), widget=DATETIME_INPUT)
    shown_time = shown_time_field()
    systolic_mmhg = vital_field("systolic_mmhg")
    diastolic_mmhg = vital_field("diastolic_mmhg")
    heart_rate_bpm = vital_field("heart_rate_bpm")
    spo2_pct = vital_field("spo2_pct")
    respiratory_rate = vital_field("respiratory_rate")
    moaas = score_field("moaas")
    dissociation = score_field("dissociation")
    nausea = score_field("nausea")
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, earliest: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.earliest = earliest

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        taken = data.get("taken_at")
        if taken is not None:
            taken = data["taken_at"] = now_if_untouched(self, taken)
        _not_future(self, "taken_at", taken)
        if taken is not None and self.earliest is not None and taken < self.earliest:
            self.add_error(
                "taken_at",
                _("This is before the patient arrived (%(t)s).")
                % {"t": timezone.localtime(self.earliest).strftime("%H:%M")},
            )
        systolic, diastolic = data.get("systolic_mmhg"), data.get("diastolic_mmhg")
        if (systolic is None) != (diastolic is None) and not (
            self.has_error("systolic_mmhg") or self.has_error("diastolic_mmhg")
        ):
            missing = "diastolic_mmhg" if diastolic is None else "systolic_mmhg"
            self.add_error(missing, _("Enter both blood pressure values, or neither."))
        elif systolic is not None and diastolic is not None and systolic <= diastolic:
            self.add_error("diastolic_mmhg", _("Diastolic must be lower than systolic."))
        if not self.errors and all(data.get(name) is None for name in VITAL_FIELDS):
            raise forms.ValidationError(_("Enter at least one observation."))
        return data

    def vitals(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in VITAL_FIELDS}


class PreDoseForm(ObservationsForm):
    """Route, dose and the weight on the day, with the pre-dose observations (the baseline)."""

    route = forms.ChoiceField(label=_("Route"), choices=Route.choices)
    weight_kg = amount_field(
        _("Weight today (kg)"),
        "20",
        "400",
        "kg",
        places=1,
        help_text=_("Needed for a dose in mg/kg."),
        widget=numeric(decimal=True),
    )
    # Typical IV 0.5 mg/kg; ASKP 0.5–1 mg/kg (CLINICAL.md §4). The bounds only catch typos.
    dose_mg_per_kg = amount_field(
        _("Dose (mg/kg)"), "0.05", "3", "mg/kg", places=3, widget=numeric(decimal=True)
    )
    dose_mg = amount_field(
        _("Or a fixed dose (mg)"),
        "1",
        "1000",
        "mg",
        places=1,
        help_text=_("For intranasal esketamine or tablets: the total in mg instead of mg/kg."),
        widget=numeric(decimal=True),
    )
    field_order = [
        "route",
        "weight_kg",
        "weight_confirmed",
        "weight_questioned",
        "dose_mg_per_kg",
        "dose_mg",
        "taken_at",
        "systolic_mmhg",
        "diastolic_mmhg",
        "heart_rate_bpm",
        "spo2_pct",
        "respiratory_rate",
        "notes",
    ]

    def __init__(
        self, *args: Any, previous_weight: RecordedWeight | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.previous_weight = previous_weight
        add_confirmation_field(self)
        self.order_fields(self.field_order)
        for name in ("moaas", "dissociation", "nausea"):
            del self.fields[name]
        # Blood pressure before dosing is required (Spravato label, CLINICAL.md §4 [V]).
        for name in ("systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm", "spo2_pct"):
            self.fields[name].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        per_kg, fixed, weight = (
            data.get("dose_mg_per_kg"),
            data.get("dose_mg"),
            data.get("weight_kg"),
        )
        dose_errors = any(self.has_error(n) for n in ("dose_mg_per_kg", "dose_mg", "weight_kg"))
        if dose_errors:
            return data
        check_weight(self, data, self.previous_weight)
        if per_kg is not None and fixed is not None:
            self.add_error("dose_mg", _("Give the dose either in mg/kg or in mg, not both."))
        elif per_kg is None and fixed is None:
            self.add_error("dose_mg_per_kg", _("Enter the dose in mg/kg, or a fixed dose in mg."))
        elif per_kg is not None and weight is None:
            self.add_error("weight_kg", _("Enter today's weight to work out the dose in mg."))
        return data


class TimeForm(forms.Form):
    """One moment of the session (arrival, start, end), in clinic time, defaulting to now."""

    at = forms.DateTimeField(label=_("Time"), widget=DATETIME_INPUT)
    shown_time = shown_time_field()

    def __init__(
        self,
        *args: Any,
        label: Any = None,
        after: datetime | None = None,
        after_message: Any = None,
        strict: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["at"].label = label
        self.after, self.after_message, self.strict = after, after_message, strict

    def clean_at(self) -> datetime:
        at: datetime = now_if_untouched(self, self.cleaned_data["at"])
        if at > timezone.now() + FUTURE_GRACE:
            raise forms.ValidationError(_("This time is in the future."))
        too_early = self.after is not None and (
            at <= self.after if self.strict else at < self.after
        )
        if too_early:
            raise forms.ValidationError(self.after_message or _("This time is too early."))
        if self.after is not None and at - self.after > timedelta(hours=12):
            raise forms.ValidationError(_("This is more than 12 hours after the previous step."))
        return at


# Discharge ------------------------------------------------------------------------------------


def padss_field(label: Any, choices: list[tuple[int, Any]], help_text: Any = "") -> Any:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", _("Choose")), *choices],
        coerce=int,
        help_text=help_text,
        error_messages={
            "required": _("Choose a score."),
            "invalid_choice": _("Choose one of the listed scores."),
        },
    )


class DischargeForm(forms.Form):
    padss_vital_signs = padss_field(_("PADSS: vital signs"), PADSS_VITAL_SIGNS)
    padss_nausea_pain = padss_field(_("PADSS: pain, nausea or vomiting"), PADSS_NAUSEA_PAIN)
    padss_bleeding = padss_field(_("PADSS: bleeding (e.g. at the cannula site)"), PADSS_BLEEDING)
    padss_intake_output = padss_field(
        _("PADSS: fluids taken and passed urine"), PADSS_INTAKE_OUTPUT
    )
    oriented = forms.BooleanField(label=_("Oriented to person, place and time"), required=False)
    walks_steadily = forms.BooleanField(label=_("Walks steadily without help"), required=False)
    ride = forms.ChoiceField(
        label=_("How the patient goes home"),
        choices=Ride.choices,
        initial=Ride.DRIVEN,
        required=False,
        widget=forms.RadioSelect,
    )
    escort_name = forms.CharField(
        label=_("Name of the adult taking them home"), max_length=120, required=False
    )
    escort_phone = forms.CharField(
        label=_("Their phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    instructions_given = forms.BooleanField(
        label=_("Discharge instructions given and explained"), required=False
    )
    adverse_events = forms.CharField(
        label=_("Adverse events during the session"),
        help_text=_("Write “none” if there were none."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Describe any adverse events, or write “none”.")},
    )
    override_reason = forms.CharField(
        label=_("Override reason"),
        help_text=_("Only when discharging although something above is not met."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # One box per unmet check, shown once the page has said which are unmet: an override names
    # each check it overrides (treatment.actions.sign_discharge).
    confirmed = forms.MultipleChoiceField(
        choices=[(code, code) for code in CRITERION_CODES], required=False
    )

    def clean_escort_phone(self) -> str:
        return clean_phone(self.cleaned_data["escort_phone"])

    def clean_ride(self) -> str:
        return self.cleaned_data.get("ride") or Ride.DRIVEN  # left unanswered: driven, as before

    def checklist(self) -> dict[str, Any]:
        return {
            k: v for k, v in self.cleaned_data.items() if k not in ("override_reason", "confirmed")
        }


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"),
        help_text=_("Corrections and later notes. The signed discharge itself does not change."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# Appointments --------------------------------------------------------------------------------


class MoveForm(forms.Form):
    scheduled_at = forms.DateTimeField(label=_("New date and time"), widget=DATETIME_INPUT)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def clean_scheduled_at(self) -> datetime:
        at: datetime = self.cleaned_data["scheduled_at"]
        if at < timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        if at > timezone.now() + timedelta(days=730):
            raise forms.ValidationError(_("Choose a time within the next two years."))
        return at


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        error_messages={"required": _("Give a reason for cancelling.")},
    )


class NoShowForm(forms.Form):
    reason = forms.CharField(label=_("Note"), max_length=500, required=False)


class RemsSubmittedForm(forms.Form):
    reference = forms.CharField(
        label=_("Confirmation number from the REMS submission"), max_length=100, required=False
    )


class DriverConfirmForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        error_messages={"required": _("Enter your name, so the clinic knows who confirmed.")},
    )
