from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.careplan.interactions import MedicationClass
from aftercare.careplan.models import HabitGoal, PlanGoal

TEXT = {"required": _("Please fill this in.")}


def _text(label: Any, max_length: int, *, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            **TEXT,
            "max_length": _("Please keep this under %(limit_value)d characters."),
        },
        **kwargs,
    )


# A date years off is a typo (2062 for 2026), not a plan: say so before it lands in the plan.
SESSION_REACH = timedelta(days=366)
MEDICATION_EARLIEST = date(1900, 1, 1)


def _within(day: date | None, earliest: date, latest: date, message: Any) -> date | None:
    if day is not None and not earliest <= day <= latest:
        raise forms.ValidationError(message)
    return day


class PlanForm(forms.Form):
    """A care-plan form, worded for whoever writes: the patient about themselves ("What you aim
    for"), the care team about the patient ("What the patient aims for")."""

    # Field name: {"label": ..., "help_text": ...} for staff.
    STAFF_WORDING: ClassVar[dict[str, dict[str, Any]]] = {}

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff:
            for name, wording in self.STAFF_WORDING.items():
                for attribute, text in wording.items():
                    setattr(self.fields[name], attribute, text)


class IntegrationSessionForm(PlanForm):
    """Date and time are the patient's local date and time."""

    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Please give the date."),
            "invalid": _("Please give a real date, like 2026-05-14."),
        },
    )
    time = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={
            "required": _("Please give the time."),
            "invalid": _("Please give a time, like 14:30."),
        },
    )
    with_whom = _text(_("With whom (therapist, group)"), 200)
    note = _text(_("Note"), 2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_day(self) -> date | None:
        today = timezone.localdate()
        return _within(
            self.cleaned_data.get("day"),
            today - SESSION_REACH,
            today + SESSION_REACH,
            _("Please give a date within a year of today."),
        )


class HabitForm(PlanForm):
    kind = forms.ChoiceField(
        label=_("Kind of habit"),
        choices=HabitGoal.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a kind of habit."),
            "invalid_choice": _("Please choose one of the listed kinds."),
        },
    )
    description = _text(_("What you aim for"), 200, help_text=_("For example: a 20-minute walk."))

    STAFF_WORDING: ClassVar[dict[str, dict[str, Any]]] = {
        "description": {"label": _("What the patient aims for")},
    }


class MedicationForm(PlanForm):
    name = _text(_("Name"), 200)
    medication_class = forms.ChoiceField(
        label=_("Kind of medicine or treatment"),
        # No kind is chosen for the patient: a wrong one shows a wrong note (e.g. "may blunt
        # the response") beside the medicine.
        choices=[("", _("Choose one")), *MedicationClass.choices],
        error_messages={
            "required": _("Please choose a kind, or “Other, or not sure”."),
            "invalid_choice": _("Please choose one of the listed kinds."),
        },
    )
    dose = _text(_("Dose"), 200, required=False, help_text=_("As you take it, e.g. 10 mg daily."))
    started_on = forms.DateField(
        label=_("Started on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Please give a real date, like 2026-05-14.")},
    )
    stopped_on = forms.DateField(
        label=_("Stopped on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Please give a real date, like 2026-05-14.")},
    )

    STAFF_WORDING: ClassVar[dict[str, dict[str, Any]]] = {
        "dose": {"help_text": _("As the patient takes it, e.g. 10 mg daily.")},
    }

    def _clean_medication_day(self, field: str) -> date | None:
        return _within(
            self.cleaned_data.get(field),
            MEDICATION_EARLIEST,
            timezone.localdate() + SESSION_REACH,
            _("Please give a date between 1900 and a year from today."),
        )

    def clean_started_on(self) -> date | None:
        return self._clean_medication_day("started_on")

    def clean_stopped_on(self) -> date | None:
        return self._clean_medication_day("stopped_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, stopped = data.get("started_on"), data.get("stopped_on")
        if started and stopped and stopped < started:
            self.add_error("stopped_on", _("The stop date cannot be before the start date."))
        return data


class GoalForm(PlanForm):
    horizon = forms.ChoiceField(
        label=_("When"),
        choices=PlanGoal.Horizon.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose short, medium or long term."),
            "invalid_choice": _("Please choose one of the listed terms."),
        },
    )
    text = _text(_("Goal"), 300)


FORMS: dict[str, type[PlanForm]] = {
    "session": IntegrationSessionForm,
    "habit": HabitForm,
    "medication": MedicationForm,
    "goal": GoalForm,
}
