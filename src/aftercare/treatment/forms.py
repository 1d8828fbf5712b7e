from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.treatment.models import Route

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class InfusionForm(forms.Form):
    """Times are entered in the clinic's local time and stored in UTC."""

    started_at = forms.DateTimeField(label=_("Start"), widget=DATETIME_INPUT)
    ended_at = forms.DateTimeField(label=_("End"), widget=DATETIME_INPUT)
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, initial=Route.IV)
    # Typical 0.5 mg/kg, range 0.5–1 mg/kg (CLINICAL.md §4); the bounds only catch typos.
    dose_mg_per_kg = forms.DecimalField(
        label=_("Dose (mg/kg)"),
        min_value=Decimal("0.05"),
        max_value=Decimal("3"),
        max_digits=5,
        decimal_places=3,
        required=False,
    )
    weight_kg = forms.DecimalField(
        label=_("Weight today (kg)"),
        min_value=Decimal("20"),
        max_value=Decimal("400"),
        max_digits=5,
        decimal_places=1,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_at"), data.get("ended_at")
        if start and end:
            if end <= start:
                self.add_error("ended_at", _("The end must be after the start."))
            elif end - start > timedelta(hours=6):
                self.add_error("ended_at", _("A session longer than 6 hours is not plausible."))
            if end > timezone.now() + timedelta(minutes=5):
                self.add_error("ended_at", _("An infusion cannot end in the future."))
        return data
