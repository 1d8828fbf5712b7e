from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.core.fields import FreeTextField
from aftercare.safety import wording
from aftercare.safety.models import SafetyPlan, SafetySettings
from aftercare.safety.rules import CONCERN_MAX_LENGTH

TEXT_MAX = 4000


TOO_LONG = _("Please shorten this to %(limit_value)d characters (it has %(show_value)d).")


TOO_LONG_ERRORS = {"max_length": TOO_LONG}


class ConcernForm(forms.Form):
    text = FreeTextField(
        label=wording.CONCERN_PROMPT,
        required=False,
        max_length=CONCERN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TOO_LONG_ERRORS,
    )


class AcknowledgeForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=TOO_LONG_ERRORS,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the note first."), **TOO_LONG_ERRORS},
    )


class ContactForm(forms.Form):
    text = forms.CharField(
        label=_("How did you try to reach the patient, and what happened?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Describe the contact attempt, for example “Called, no answer”."),
            **TOO_LONG_ERRORS,
        },
    )


class ResolveForm(forms.Form):
    text = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Write the outcome first: what was done, and how the patient is."),
            **TOO_LONG_ERRORS,
        },
    )

    def __init__(self, *args: Any, alert: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An urgent or high alert closes with what was done: the record a later reader, or
        # an inquiry, needs. A routine one (a missed check-in) may close without words.
        if alert is not None and alert.severity != "routine":
            self.fields["text"].required = True


ALERT_ACTION_FORMS: dict[str, type[forms.Form]] = {
    "acknowledge": AcknowledgeForm,
    "note": NoteForm,
    "contact": ContactForm,
    "resolve": ResolveForm,
}


class SafetySettingsForm(forms.ModelForm):
    class Meta:
        model = SafetySettings
        fields = SafetySettings.FIELDS

    def clean(self) -> dict[str, Any]:
        # A more severe alert must never wait longer before it is escalated:
        # urgent <= high <= routine. The message goes beside the window that is too long.
        data = super().clean() or {}
        urgent = data.get("urgent_ack_minutes")
        high = data.get("high_ack_minutes")
        routine = data.get("routine_ack_minutes")
        if urgent is not None and high is not None and urgent > high:
            self.add_error(
                "urgent_ack_minutes",
                _(
                    "Urgent alerts must be escalated no later than high ones: use %(high)s "
                    "minutes or fewer (the time for a high alert)."
                )
                % {"high": high},
            )
        if high is not None and routine is not None and high > routine:
            self.add_error(
                "high_ack_minutes",
                _(
                    "High alerts must be escalated no later than routine ones: use %(routine)s "
                    "minutes or fewer (the time for a routine alert)."
                )
                % {"routine": routine},
            )
        return data


class SafetyPlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = SafetyPlan
        fields = SafetyPlan.TEXT_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in SafetyPlan.TEXT_FIELDS}
        help_texts = {
            "warning_signs": _("What tells you things are starting to slide?"),
            "coping_strategies": _("What has helped before, on your own or with others?"),
            "people_to_call": _("Names and numbers: family, friends, your clinic."),
            "booster_when": _("What would make you call about the next treatment?"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in SafetyPlan.TEXT_FIELDS:
            self.fields[name].error_messages["max_length"] = TOO_LONG
