"""Planning a course: parameters for a proposed schedule, then the editable list of times."""

from datetime import date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.treatment.forms import DATETIME_INPUT, numeric
from aftercare.treatment.models import Course, Route
from aftercare.treatment.schedule import (
    BOOSTER_EVERY_WEEKS,
    INDUCTION_SIZE,
    INDUCTION_WEEKDAYS,
    MAX_APPOINTMENTS,
    propose_boosters,
    propose_series,
)

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class CoursePlanForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of course"), choices=Course.Kind.choices, initial=Course.Kind.INDUCTION
    )
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, initial=Route.IV)
    first_day = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    at = forms.TimeField(
        label=_("Time of day (clinic time)"),
        initial=time(10, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    count = forms.IntegerField(
        label=_("Number of appointments"),
        min_value=1,
        max_value=MAX_APPOINTMENTS,
        initial=INDUCTION_SIZE,
        widget=numeric(),
        error_messages={
            "min_value": _("Enter a whole number from 1 to 50."),
            "max_value": _("Enter a whole number from 1 to 50."),
            "invalid": _("Enter a whole number from 1 to 50."),
        },
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Induction: on these weekdays"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        initial=list(INDUCTION_WEEKDAYS),
        widget=forms.CheckboxSelectMultiple,
    )
    every_weeks = forms.IntegerField(
        label=_("Maintenance: weeks between boosters"),
        min_value=1,
        max_value=52,
        initial=BOOSTER_EVERY_WEEKS,
        required=False,
        widget=numeric(),
        error_messages={
            "min_value": _("Enter a whole number of weeks from 1 to 52."),
            "max_value": _("Enter a whole number of weeks from 1 to 52."),
            "invalid": _("Enter a whole number of weeks from 1 to 52."),
        },
    )

    def clean_first_day(self) -> date:
        day: date = self.cleaned_data["first_day"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("Choose today or a later day."))
        if day > today + timedelta(days=730):
            raise forms.ValidationError(_("Choose a day within the next two years."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if (
            kind == Course.Kind.INDUCTION
            and not data.get("weekdays")
            and not self.has_error("weekdays")
        ):
            self.add_error("weekdays", _("Choose at least one weekday."))
        if (
            kind == Course.Kind.MAINTENANCE
            and data.get("every_weeks") is None
            and not self.has_error("every_weeks")
        ):
            self.add_error("every_weeks", _("Enter the number of weeks between boosters."))
        return data

    def propose(self, tz: ZoneInfo) -> list[datetime]:
        data = self.cleaned_data
        if data["kind"] == Course.Kind.INDUCTION:
            return propose_series(
                first_day=data["first_day"],
                at=data["at"],
                count=data["count"],
                weekdays=data["weekdays"],
                tz=tz,
            )
        return propose_boosters(
            first_day=data["first_day"],
            at=data["at"],
            count=data["count"],
            every_weeks=data["every_weeks"],
            tz=tz,
        )


class AppointmentRowForm(forms.Form):
    scheduled_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_INPUT)
    keep = forms.BooleanField(label=_("Keep"), required=False, initial=True)


class BaseAppointmentFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, taken_days: set[date] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.taken_days = taken_days or set()

    def clean(self) -> None:
        if any(self.errors):
            return
        now = timezone.now()
        seen: dict[date, int] = {}
        kept = 0
        for number, form in enumerate(self.forms, start=1):
            if not form.cleaned_data.get("keep"):
                continue
            kept += 1
            at: datetime = form.cleaned_data["scheduled_at"]
            day = timezone.localtime(at).date()
            if at < now:
                form.add_error("scheduled_at", _("This time has already passed."))
            elif day in seen:
                form.add_error(
                    "scheduled_at",
                    _("Appointment %(n)s is on the same day.") % {"n": seen[day]},
                )
            elif day in self.taken_days:
                form.add_error(
                    "scheduled_at", _("The patient already has an appointment on this day.")
                )
            seen.setdefault(day, number)
        if kept == 0:
            raise forms.ValidationError(_("Keep at least one appointment."))

    def kept_times(self) -> list[datetime]:
        return [f.cleaned_data["scheduled_at"] for f in self.forms if f.cleaned_data.get("keep")]


AppointmentFormSet = cast(
    type[BaseAppointmentFormSet],
    forms.formset_factory(
        AppointmentRowForm,
        formset=BaseAppointmentFormSet,
        extra=0,
        max_num=MAX_APPOINTMENTS,
        validate_max=True,
        absolute_max=MAX_APPOINTMENTS,
    ),
)
