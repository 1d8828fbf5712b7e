"""Forms of the reports app: the progress report's period, the calendar scope, mood imports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.reports.models import ClinicianCalendarFeed
from aftercare.reports.progress import MAX_DAYS


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter a date."),
            "invalid": _("Enter a date like 2026-03-31."),
        },
    )


class ProgressReportForm(forms.Form):
    """The period of a progress report, in the patient's days (both ends included)."""

    start = _date_field(_("From"))
    end = _date_field(_("To"))

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_start(self) -> date:
        start: date = self.cleaned_data["start"]
        if start > self.today:
            raise forms.ValidationError(_("The period cannot start in the future."))
        return start

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date must be on or after the start date."))
            elif end - start > timedelta(days=MAX_DAYS):
                self.add_error("end", _("Choose a period of at most three years."))
        return data


class CalendarScopeForm(forms.ModelForm):
    class Meta:
        model = ClinicianCalendarFeed
        fields = ("scope",)
        widgets = {"scope": forms.RadioSelect}


class MoodImportForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Which app is the file from?"),
        choices=[("daylio", "Daylio"), ("emoods", "eMoods")],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the app the file comes from.")},
    )
    file = forms.FileField(
        label=_("The CSV file the app exported"),
        help_text=_("At most 2 MB and 5,000 entries."),
        error_messages={
            "required": _("Choose a file."),
            "empty": _("The file is empty."),
            "invalid": _("Choose a file."),
        },
    )


class MoodMappingForm(forms.Form):
    """One number (1–10, 10 best) per mood label found in the file."""

    def __init__(self, *args: Any, labels: list[str], mapping: dict, source: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.labels = labels
        for n, label in enumerate(labels):
            shown = (
                _("Depressed mood “%(level)s”") % {"level": label}
                if source == "emoods"
                else _("Mood “%(label)s”") % {"label": label}
            )
            self.fields[f"map_{n}"] = forms.IntegerField(
                label=shown,
                min_value=1,
                max_value=10,
                initial=mapping.get(label),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "required": _("Give “%(label)s” a number from 1 to 10.") % {"label": label},
                    "invalid": _("Enter a whole number from 1 to 10."),
                    "min_value": _("Enter a whole number from 1 to 10."),
                    "max_value": _("Enter a whole number from 1 to 10."),
                },
            )

    def mapping(self) -> dict[str, int]:
        return {label: self.cleaned_data[f"map_{n}"] for n, label in enumerate(self.labels)}
