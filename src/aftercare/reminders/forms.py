from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from aftercare.reminders.models import Channel, ReminderPreference

TIME_ERROR = _("Enter a time like 19:00.")
NO_DAYS = _("Choose at least one day, or turn reminders off.")


def time_field(label: Any, *, required: bool) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"invalid": TIME_ERROR, "required": TIME_ERROR},
    )


class ReminderPreferenceForm(forms.Form):
    enabled = forms.TypedChoiceField(
        label=_("Daily check-in reminder"),
        choices=[("yes", _("On")), ("no", _("Off"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose on or off."),
            "invalid_choice": _("Choose on or off."),
        },
    )
    time_of_day = time_field(_("Reminder time"), required=True)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        # Short names fit a phone screen in one grid (Mon … Sun).
        choices=[(str(day), name) for day, name in WEEKDAYS_ABBR.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": NO_DAYS,
            "invalid_choice": _("Choose days from the list."),
        },
    )
    quiet_start = time_field(_("Quiet hours start"), required=False)
    quiet_end = time_field(_("Quiet hours end"), required=False)
    channel = forms.ChoiceField(
        label=_("Send by"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how to receive reminders."),
            "invalid_choice": _("Choose how to receive reminders."),
        },
    )

    def __init__(self, *args: Any, preference: ReminderPreference, **kwargs: Any) -> None:
        self.preference = preference
        kwargs.setdefault(
            "initial",
            {
                "enabled": "yes" if preference.enabled else "no",
                "time_of_day": preference.time_of_day,
                "weekdays": list(preference.weekdays),
                "quiet_start": preference.quiet_start,
                "quiet_end": preference.quiet_end,
                "channel": preference.channel,
            },
        )
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get("enabled") == "no":
            # Turning reminders off keeps the days and the time chosen before.
            self.fields["weekdays"].required = False
            self.fields["time_of_day"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if "quiet_start" in data and "quiet_end" in data and (start is None) != (end is None):
            missing = "quiet_end" if end is None else "quiet_start"
            self.add_error(missing, _("Enter both times, or leave both empty for no quiet hours."))
        if "weekdays" in data:
            days = "".join(sorted(set(data["weekdays"])))
            data["weekdays"] = days or self.preference.weekdays
        if "time_of_day" in data and data["time_of_day"] is None:
            data["time_of_day"] = self.preference.time_of_day
        return data
