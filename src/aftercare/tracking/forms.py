from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

SCALE_ERROR = _("Choose a number from 1 to 10.")
ONE_TO_TEN = [(n, str(n)) for n in range(1, 11)]


def scale_field(
    label: _StrPromise, *, required: bool, low: _StrPromise, high: _StrPromise
) -> forms.TypedChoiceField:
    field = forms.TypedChoiceField(
        label=label,
        choices=ONE_TO_TEN,
        coerce=int,
        required=required,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": SCALE_ERROR, "invalid_choice": SCALE_ERROR},
    )
    field.low_label, field.high_label = low, high  # type: ignore[attr-defined]
    return field


class CheckInForm(forms.Form):
    mood = scale_field(_("Mood"), required=True, low=_("very low"), high=_("very good"))
    energy = scale_field(_("Energy"), required=False, low=_("none"), high=_("plenty"))
    interest = scale_field(
        _("Interest in things you usually enjoy"), required=False, low=_("none"), high=_("a lot")
    )
    sleep_quality = scale_field(
        _("Sleep last night"), required=False, low=_("very poor"), high=_("very good")
    )
    anxiety = scale_field(_("Anxiety"), required=False, low=_("calm"), high=_("severe"))
    suicidal_thoughts = forms.TypedChoiceField(
        label=_(
            "Since your last check-in, have you had thoughts of suicide or of hurting yourself?"
        ),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose yes or no.")},
    )
    note = forms.CharField(
        label=_("Anything else you want to note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
