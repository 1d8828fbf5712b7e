from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import User
from aftercare.accounts.scoping import patients_visible_to
from aftercare.audit.models import AuditEvent


# Each with the email: two people of the same name must be told apart in the list.
class PatientChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.user.email})"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class AuditFilterForm(forms.Form):
    """Filters of the clinic's audit log, read from GET parameters; choices are clinic-scoped."""

    person = PersonChoice(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    patient = PatientChoice(
        label=_("Patient"), queryset=User.objects.none(), required=False, empty_label=_("Any")
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, admin: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person: Any = self.fields["person"]
        person.queryset = User.objects.filter(clinic_id=admin.clinic_id).order_by(
            "last_name", "first_name", "email"
        )
        patient: Any = self.fields["patient"]
        patient.queryset = (
            patients_visible_to(admin)
            .select_related("user")
            .order_by("user__last_name", "user__email")
        )
        action: Any = self.fields["action"]
        action.choices = [("", _("Any")), *AuditEvent.Action.choices]

    def _clean_day(self, name: str) -> Any:
        # The log adds a day to "To": a date near year 9999 would overflow into a server error.
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(_("Choose a date from 2000 to 2100."))
        return day

    def clean_since(self) -> Any:
        return self._clean_day("since")

    def clean_until(self) -> Any:
        return self._clean_day("until")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data
