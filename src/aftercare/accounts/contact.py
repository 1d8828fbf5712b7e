"""How the clinic reaches a patient: their phone and a support person's.

Staff edit these on the patient record and patients keep them current under "Your details";
the numbers are shown where a person has to act on a warning sign (the alert page).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Patient, User
from aftercare.audit.actions import record

PHONE_CHARS = frozenset("0123456789+-() .")
# Short codes and extensions aside, real numbers have 3 (emergency) to 15 (E.164) digits;
# 20 leaves room for a trunk prefix.
MIN_DIGITS, MAX_DIGITS = 3, 20
CONTACT_FIELDS = ("phone", "support_name", "support_phone")


def clean_phone(value: str) -> str:
    """The number as typed, trimmed; ValidationError if it cannot be a phone number."""
    phone = " ".join(value.split())
    digits = sum(ch.isdigit() for ch in phone)
    if phone and (not set(phone) <= PHONE_CHARS or not MIN_DIGITS <= digits <= MAX_DIGITS):
        raise forms.ValidationError(
            _("Enter a phone number: digits, spaces, + - ( ) only, like +1 503 555 0142.")
        )
    return phone


def _phone_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={"max_length": gettext_lazy("Keep the number under 40 characters.")},
    )


class ContactForm(forms.Form):
    phone = _phone_field(gettext_lazy("Phone"))
    support_name = forms.CharField(
        label=gettext_lazy("Support person"),
        help_text=gettext_lazy(
            "Someone close who agreed to be called if the clinic cannot reach the patient."
        ),
        max_length=150,
        required=False,
        error_messages={"max_length": gettext_lazy("Keep the name under 150 characters.")},
    )
    support_phone = _phone_field(gettext_lazy("Support person's phone"))

    def __init__(self, *args: object, own: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if own:
            # The patient edits their own details: speak to them.
            self.fields["phone"].label = _("Your phone")
            self.fields["support_name"].help_text = _(
                "Someone close who agreed that the clinic may call them if it cannot reach you."
            )
            self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_support_phone(self) -> str:
        return clean_phone(self.cleaned_data["support_phone"])

    def clean_support_name(self) -> str:
        return " ".join(self.cleaned_data["support_name"].split())

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        name, phone = data.get("support_name"), data.get("support_phone")
        if phone and not name and "support_name" not in self.errors:
            self.add_error("support_name", _("Add the name of the person at this number."))
        if name and not phone and "support_phone" not in self.errors:
            self.add_error("support_phone", _("Add a number the clinic can call them on."))
        return data


def initial_for(patient: Patient) -> dict[str, str]:
    return {name: getattr(patient, name) for name in CONTACT_FIELDS}


@transaction.atomic
def update_contact(
    *, patient: Patient, by: User, values: dict[str, str], request: HttpRequest | None = None
) -> bool:
    """Save the contact details; True if anything changed (which leaves an audit record)."""
    changed = [name for name in CONTACT_FIELDS if getattr(patient, name) != values[name]]
    if not changed:
        return False
    for name in changed:
        setattr(patient, name, values[name])
    patient.save(update_fields=changed)
    record(
        request,
        action="update",
        what="contact details: " + ", ".join(changed),
        patient=patient,
        object_id=patient.pk,
        actor=by,
    )
    return True
