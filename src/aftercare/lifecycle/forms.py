from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.lifecycle.models import DataRequest


class ConfirmDeletionForm(forms.Form):
    name = forms.CharField(label=_("Type the patient's full name to confirm"), max_length=300)

    def __init__(self, *args: Any, expected: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if " ".join(name.split()).casefold() != " ".join(self.expected.split()).casefold():
            raise forms.ValidationError(_("This is not the patient's name as on file."))
        return name


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like?"),
        choices=DataRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a copy of your data or deleting it."),
            "invalid_choice": _("Choose a copy of your data or deleting it."),
        },
    )
    # Shown (as a checkbox) only once deletion is chosen: it cannot be undone.
    sure = forms.BooleanField(
        label=_("Yes, delete my data"), required=False, widget=forms.HiddenInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == DataRequest.Kind.DELETION and not data.get("sure"):
            self.fields["sure"].widget = forms.CheckboxInput()
            self.add_error(
                "kind",
                _(
                    "Once your clinic acts on it, your check-ins, questionnaires and journal are "
                    "deleted, and this cannot be undone. To go ahead, tick the box below and "
                    "send again."
                ),
            )
        return data
