"""The clinic's own details: name, phone, time zone and the crisis numbers patients are shown.

Every patient-facing crisis screen reads these (safety/wording.py), so a clinic outside the US
must be able to set its own lines (CLINICAL.md §5: 988 is the US line). Staff can read them;
only the clinic admin changes them, and each change is in the audit log.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.core.validators import RegexValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, ngettext

from aftercare.accounts.forms import timezone_choices
from aftercare.accounts.models import Clinic, Role, User
from aftercare.accounts.scoping import staff_required
from aftercare.audit.actions import record_clinic

# Digits with the usual separators; a leading + for international numbers.
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-./]*$")
PHONE_MESSAGE = gettext_lazy(
    "Use digits, spaces, + and - only, like 988, 116 123 or +1 555 010 0199."
)


def _phone(
    label: Any, *, required: bool = True, max_length: int = 40, help_text: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        validators=[RegexValidator(PHONE, PHONE_MESSAGE)],
        error_messages={
            "required": gettext_lazy("A number is needed here."),
            "max_length": gettext_lazy("Please keep this under %(limit_value)d characters."),
        },
    )


class ClinicSettingsForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label=gettext_lazy("Clinic time zone"),
        choices=timezone_choices,
        help_text=gettext_lazy(
            "For the clinic's schedule and reports. Each patient's days and reminders follow "
            "the patient's own time zone."
        ),
    )
    phone = _phone(gettext_lazy("Clinic phone"), required=False)
    crisis_line_phone = _phone(
        gettext_lazy("Crisis line number"),
        help_text=gettext_lazy("Shown first on every crisis screen, e.g. 988 in the US."),
    )
    crisis_line_text = _phone(
        gettext_lazy("Crisis text number"),
        required=False,
        help_text=gettext_lazy("Leave empty if your crisis line takes no text messages."),
    )
    emergency_number = _phone(
        gettext_lazy("Emergency number"), max_length=20, help_text=gettext_lazy("e.g. 911, 999")
    )

    class Meta:
        model = Clinic
        fields = (
            "name",
            "phone",
            "timezone",
            "crisis_line_name",
            "crisis_line_phone",
            "crisis_line_text",
            "emergency_number",
        )
        error_messages = {
            "name": {"required": gettext_lazy("The clinic needs a name.")},
            "crisis_line_name": {
                "required": gettext_lazy("Name the crisis line, e.g. Samaritans."),
            },
        }


@staff_required
def clinic_settings(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    clinic = user.clinic
    can_edit = user.role == Role.ADMIN
    if request.method == "POST" and not can_edit:
        raise Http404
    before = {name: getattr(clinic, name) for name in ClinicSettingsForm.Meta.fields}
    form = ClinicSettingsForm(request.POST if request.method == "POST" else None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        changed = [name for name in before if form.cleaned_data[name] != before[name]]
        form.save()
        for name in changed:  # one record per setting: "what" holds at most 100 characters
            record_clinic(
                request, action="update", what=f"clinic setting: {name}", clinic_id=clinic.pk
            )
        messages.success(
            request,
            ngettext(
                "Saved. %(count)s setting changed.",
                "Saved. %(count)s settings changed.",
                len(changed),
            )
            % {"count": len(changed)},
        )
        return redirect("clinic_settings")
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "accounts/clinic_settings.html",
        {"form": form, "can_edit": can_edit},
        status=400 if form.errors else 200,
    )
