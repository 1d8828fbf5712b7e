from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.guidance.phases import Phase
from aftercare.outcomes.labels import TRAJECTORY
from aftercare.workspace.selectors import SORTS, phase_label

YES = [("", _("Any")), ("1", _("Yes only"))]


class PatientFilterForm(forms.Form):
    """The list's search, filters and sort, read from GET parameters."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    mine = forms.BooleanField(label=_("Only my patients"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    course = forms.ChoiceField(
        label=_("Course"),
        required=False,
        choices=[
            ("", _("Any")),
            ("induction", _("Induction series")),
            ("maintenance", _("Maintenance")),
            ("none", _("No course yet")),
        ],
    )
    checked_in = forms.ChoiceField(
        label=_("Last check-in"),
        required=False,
        choices=[("", _("Any")), ("1", _("Within a day")), ("7", _("Within 7 days"))],
    )
    trajectory = forms.ChoiceField(label=_("Trajectory"), required=False)
    alerts = forms.ChoiceField(
        label=_("Open alerts"),
        required=False,
        choices=[
            ("", _("Any")),
            ("any", _("At least one")),
            ("urgent", _("Urgent")),
            ("none", _("None")),
        ],
    )
    next_infusion = forms.ChoiceField(
        label=_("Next infusion"),
        required=False,
        choices=[("", _("Any")), ("7", _("Within 7 days")), ("30", _("Within 30 days"))],
    )
    booster = forms.ChoiceField(label=_("Booster due"), required=False, choices=YES)
    overdue = forms.ChoiceField(label=_("Overdue questionnaires"), required=False, choices=YES)
    disengaged = forms.ChoiceField(label=_("Disengaged"), required=False, choices=YES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["phase"]).choices = [("", _("Any"))] + [
            (p.value, phase_label(p)) for p in Phase
        ]
        cast(forms.ChoiceField, self.fields["trajectory"]).choices = [("", _("Any"))] + [
            (t.value, label) for t, label in TRAJECTORY.items()
        ]
        cast(forms.ChoiceField, self.fields["sort"]).choices = [("", _("Name"))] + [
            (f"{sign}{key}", key) for key in SORTS for sign in ("", "-")
        ]


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the note before saving it.")},
    )


class AddendumForm(forms.Form):
    body = forms.CharField(
        label=_("Addendum"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the addendum before adding it.")},
    )
