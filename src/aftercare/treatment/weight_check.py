"""A second look at a weight far from the patient's last recorded one.

The dose in mg is mg/kg times the weight typed on the day, so a swapped digit (58 for 85) is a
30 % underdose. Such a weight is more often a typo than a real change in a few weeks; the form
says so beside the weight and saves it once someone ticks that it is right. Not a clinical
threshold: it only asks for the weight to be read again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Patient
from aftercare.treatment.models import Infusion

RECHECK_FRACTION = Decimal("0.10")


@dataclass(frozen=True)
class RecordedWeight:
    kg: Decimal
    on: date


def last_recorded_weight(
    patient: Patient, *, besides: Infusion | None = None
) -> RecordedWeight | None:
    """The weight measured at the patient's most recent infusion given (not a booking's planned
    weight), with the day it was given in the patient's days."""
    infusions = patient.infusions.filter(weight_kg__isnull=False, started_at__isnull=False)
    if besides is not None:
        infusions = infusions.exclude(pk=besides.pk)
    last = infusions.order_by("-started_at").only("weight_kg", "started_at").first()
    if last is None or last.weight_kg is None or last.started_at is None:
        return None
    return RecordedWeight(last.weight_kg, last.started_at.astimezone(patient.tz).date())


def add_confirmation_field(form: forms.Form) -> None:
    """A hidden box, shown as a checkbox only once the weight is questioned; and the weight it
    was asked about, so a tick never covers a weight typed afterwards."""
    form.fields["weight_confirmed"] = forms.BooleanField(
        label=gettext_lazy("The weight is right: I have checked it"),
        required=False,
        widget=forms.HiddenInput,
    )
    form.fields["weight_questioned"] = forms.CharField(
        required=False, max_length=20, widget=forms.HiddenInput
    )


def _confirmed(data: dict[str, Any], weight: Decimal) -> bool:
    if not data.get("weight_confirmed"):
        return False
    try:
        return Decimal(str(data.get("weight_questioned") or "")) == weight
    except InvalidOperation:
        return False


def check_weight(form: forms.Form, data: dict[str, Any], previous: RecordedWeight | None) -> None:
    weight: Decimal | None = data.get("weight_kg")
    if weight is None or previous is None or _confirmed(data, weight):
        return
    change = weight - previous.kg
    if abs(change) <= previous.kg * RECHECK_FRACTION:
        return
    form.fields["weight_confirmed"].widget = forms.CheckboxInput()
    # The page comes back asking about this weight, with the box unticked.
    bound = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict: copy to change
    bound[form.add_prefix("weight_questioned")] = str(weight)
    bound.pop(form.add_prefix("weight_confirmed"), None)
    form.data = bound
    message = _(
        "%(weight)s kg is %(percent)d %% %(direction)s than the %(previous)s kg recorded on "
        "%(day)s, and the dose in mg follows it. Read the weight again; if it is right, tick "
        "the box below and save again."
    ) % {
        "weight": weight,
        "percent": round(abs(change) / previous.kg * 100),
        "direction": _("more") if change > 0 else _("less"),
        "previous": previous.kg,
        "day": formats.date_format(previous.on, "j M Y"),
    }
    form.add_error("weight_kg", message)
