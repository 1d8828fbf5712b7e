from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.core.fields import FreeTextField
from aftercare.tracking.instruments import Instrument
from aftercare.tracking.models import JournalEntry, ScaleSchedule
from aftercare.tracking.summaries import SIDE_EFFECTS, WARNING_SIGNS

# The answers that safety/rules.py treats as urgent (suicidal thoughts; hallucinations/paranoia).
URGENT_SIGNS = ("suicidal_thoughts", "unusual_perceptions")

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from aftercare.tracking.prompts import Prompt

SUBMISSION_KEY_ERROR = _(
    "This form arrived damaged, so nothing was saved. Please check your answers and send it again."
)


def new_submission_key() -> str:
    return str(uuid.uuid4())


class SubmissionKeyField(forms.CharField):
    """A hidden key, fresh each time the form is shown, kept when the form comes back with errors.

    The same key sent twice (double tap, retry after a network error, a resubmitted page) is one
    submission: the action returns what the first sending stored (tracking/actions.py). A form
    without a key (a page from before this field existed) is taken as a new submission.
    """

    widget = forms.HiddenInput

    def __init__(self) -> None:
        super().__init__(required=False, initial=new_submission_key)


class SubmissionKeyMixin:
    """Cleans ``submission_key`` to a UUID or None; a garbled key is an error above the form."""

    data: Any
    add_error: Any

    def clean_submission_key(self) -> uuid.UUID | None:
        value = self.cleaned_data.get("submission_key") or ""  # type: ignore[attr-defined]
        if not value:
            return None
        try:
            if len(value) > 100:
                raise ValueError(value)
            return uuid.UUID(value)
        except ValueError:
            # Shown in the error summary (the field is hidden); the form comes back with a
            # fresh key so that sending it again works.
            self.add_error(None, SUBMISSION_KEY_ERROR)
            self.data = self.data.copy()
            self.data["submission_key"] = new_submission_key()
            return None

    def submitted_key(self) -> uuid.UUID | None:
        return self.cleaned_data.get("submission_key")  # type: ignore[attr-defined]


SCALE_ERROR = _("Choose a number from 1 to 10.")
YES_NO_ERROR = _("Choose yes or no.")
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


def yes_no_field(label: _StrPromise) -> forms.TypedChoiceField:
    """Unanswered stays None: a warning sign is never recorded as "no" without the patient."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": YES_NO_ERROR},
    )


class CheckInForm(SubmissionKeyMixin, forms.Form):
    """The daily check-in: mood first (required), the other scales, then anything unusual.

    Warning signs are the source article's list ("When to Contact Your Provider"; PRODUCT.md §4);
    side effects include the urinary check of CLINICAL.md §5.
    """

    mood = scale_field(_("Mood"), required=True, low=_("very low"), high=_("very good"))
    energy = scale_field(_("Energy"), required=False, low=_("none"), high=_("plenty"))
    interest = scale_field(
        _("Interest in things you usually enjoy"), required=False, low=_("none"), high=_("a lot")
    )
    sleep_quality = scale_field(
        _("Sleep last night"), required=False, low=_("very poor"), high=_("very good")
    )
    anxiety = scale_field(_("Anxiety"), required=False, low=_("calm"), high=_("severe"))
    nothing_unusual = forms.BooleanField(
        label=_("None of these since my last check-in"),
        required=False,
        help_text=_("Ticking this answers “no” to every question below that you leave open."),
    )
    suicidal_thoughts = yes_no_field(
        _("Since your last check-in, have you had thoughts of suicide or of hurting yourself?")
    )
    panic = yes_no_field(_("Severe anxiety or panic?"))
    unusual_perceptions = yes_no_field(
        _("Seeing or hearing things others don’t, or feeling people are against you?")
    )
    lingering_dissociation = yes_no_field(
        _("Still feeling detached or unreal, more than a few hours after treatment?")
    )
    ketamine_cravings = yes_no_field(_("Strong urges to use ketamine outside the clinic?"))
    nausea = forms.BooleanField(label=_("Nausea"), required=False)
    headache = forms.BooleanField(label=_("Headache"), required=False)
    dizziness = forms.BooleanField(label=_("Dizziness"), required=False)
    urinary_symptoms = forms.BooleanField(
        label=_("Bladder trouble: pain, urgency, going often, or blood in urine"), required=False
    )
    physical_symptoms = FreeTextField(
        label=_("Other physical symptoms"), required=False, max_length=500
    )
    note = FreeTextField(
        label=_("Anything else you want to note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    submission_key = SubmissionKeyField()

    SCALES = ("mood", "energy", "interest", "sleep_quality", "anxiety")
    WARNING_SIGNS = WARNING_SIGNS
    SIDE_EFFECTS = SIDE_EFFECTS

    def urgent_answered(self) -> bool:
        """A yes to an urgent warning sign, read from the raw answers: also true when the form
        is invalid and nothing could be saved (the patient must still see where to get help)."""
        return any(self.urgent_signs().values())

    def urgent_signs(self) -> dict[str, bool]:
        """Each urgent warning sign: answered yes in the raw answers (whether or not valid)."""
        return {name: self.data.get(name) == "yes" for name in URGENT_SIGNS}

    def typed_note(self) -> str:
        """The note as typed, whether or not the form is valid (read for crisis words)."""
        note = self.data.get("note", "")
        return note if isinstance(note, str) else ""

    def scale_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SCALES]

    def warning_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.WARNING_SIGNS]

    def side_effect_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SIDE_EFFECTS]

    def answers(self) -> dict[str, Any]:
        """The cleaned answers as check-in fields.

        "None of these" fills in "no" only where the patient left a warning sign open: a "yes"
        given beside it always wins, so a contradictory form can never hide a warning sign.
        """
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        nothing_unusual = data.pop("nothing_unusual", False)
        if nothing_unusual:
            for name in self.WARNING_SIGNS:
                if data.get(name) is None:
                    data[name] = False
        return data

    @classmethod
    def initial_from(cls, check_in: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in cls.base_fields:
            if name in ("nothing_unusual", "submission_key"):
                continue
            value = getattr(check_in, name)
            if name in cls.WARNING_SIGNS:
                value = None if value is None else ("yes" if value else "no")
            initial[name] = value
        return initial


class JournalForm(SubmissionKeyMixin, forms.ModelForm):
    submission_key = SubmissionKeyField()
    prompt_key = forms.ChoiceField(
        label=_("Start from a prompt"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the prompts, or none.")},
    )

    class Meta:
        model = JournalEntry
        fields: tuple[str, ...] = ("body", "shared_with_care_team")
        labels: dict[str, Any] = {
            "body": _("Your entry"),
            "shared_with_care_team": _("Share this entry with my care team"),
        }
        help_texts: dict[str, Any] = {
            "shared_with_care_team": _(
                "Left unticked, only you can read it. You can change this later."
            ),
        }
        widgets: dict[str, Any] = {"body": forms.Textarea(attrs={"rows": 10})}
        error_messages: dict[str, Any] = {
            "body": {
                "required": _("Write something before saving, even a few words."),
                "max_length": _("Please keep an entry under 20,000 characters."),
            }
        }

    def __init__(self, *args: Any, prompts: tuple[Prompt, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prompts = prompts
        if prompts:
            self.fields["prompt_key"].choices = [  # type: ignore[attr-defined]
                ("", _("No prompt: write freely")),
                *((p.key, p.text) for p in prompts),
            ]
        else:
            del self.fields["prompt_key"]
        # The server checks the length: a browser limit would cut pasted text off silently.
        self.fields["body"].widget.attrs.pop("maxlength", None)


ANSWER_ERROR = _("Choose one answer for this question.")


class ScaleForm(SubmissionKeyMixin, forms.Form):
    """One radio group per item of an instrument definition; nothing instrument-specific here."""

    submission_key = SubmissionKeyField()

    def __init__(self, instrument: Instrument, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            field = forms.TypedChoiceField(
                label=item.text,
                choices=[(option.value, option.label) for option in item.options],
                coerce=int,
                required=item.required,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"required": ANSWER_ERROR, "invalid_choice": ANSWER_ERROR},
            )
            field.item = item  # type: ignore[attr-defined]
            self.fields[item.id] = field

    def answers(self) -> dict[str, int]:
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if value is not None and key != "submission_key"
        }

    def warning_answers(self) -> dict[str, int]:
        """Answers that need the care team's attention (an item's ``warning_from`` or more),
        read from the raw answers: also when the form is invalid and nothing could be saved."""
        found = {}
        for item in self.instrument.items:
            if item.warning_from is None:
                continue
            values = {str(option.value): option.value for option in item.options}
            value = values.get(str(self.data.get(item.id)))
            if value is not None and value >= item.warning_from:
                found[item.id] = value
        return found


class ScaleScheduleForm(forms.ModelForm):
    class Meta:
        model = ScaleSchedule
        fields: tuple[str, ...] = (
            "active",
            "baseline",
            "before_each_infusion",
            "days_after_each_infusion",
            "weekly_first_month",
            "maintenance_every_days",
        )
        error_messages: dict[str, Any] = {
            "days_after_each_infusion": {
                "min_value": _("Enter a number of days from 1 to 90, or leave it empty."),
                "max_value": _("Enter a number of days from 1 to 90, or leave it empty."),
                "invalid": _("Enter a number of days from 1 to 90, or leave it empty."),
            },
            "maintenance_every_days": {
                "min_value": _("Enter a number of days from 7 to 90, or leave it empty."),
                "max_value": _("Enter a number of days from 7 to 90, or leave it empty."),
                "invalid": _("Enter a number of days from 7 to 90, or leave it empty."),
            },
        }
        help_texts: dict[str, Any] = {
            "days_after_each_infusion": _("Empty: not asked on a fixed day after each infusion."),
            "maintenance_every_days": _(
                "After the first month since the latest infusion. Empty: not asked then."
            ),
        }
