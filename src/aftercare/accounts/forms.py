import datetime
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.contact import clean_phone
from aftercare.accounts.models import Patient, Role, User

EARLIEST_BIRTH_YEAR = 1900
YOUNGEST_PATIENT_AGE = 12

COMMON_TIMEZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Madrid",
    "Australia/Sydney",
]


def timezone_choices() -> list[tuple[str, str]]:
    others = sorted(zoneinfo.available_timezones() - set(COMMON_TIMEZONES))
    return [(tz, tz.replace("_", " ")) for tz in COMMON_TIMEZONES + others]


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "That email and password do not match an account. Check both and try again."
        ),
        "inactive": _(
            "This account has been deactivated, so it cannot sign in. If you think this is a "
            "mistake, contact your clinic."
        ),
    }


class InvitePatientForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    timezone = forms.ChoiceField(label=_("Patient's time zone"), choices=timezone_choices)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        error_messages={"invalid": _("Enter a year such as 1984.")},
    )

    phone = forms.CharField(
        label=_("Phone"),
        help_text=_("The number the clinic calls when a check-in needs a person to follow up."),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={"max_length": _("Keep the number under 40 characters.")},
    )

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_birth_year(self) -> int | None:
        # Bounds from today, not from when the server started; a child is not a patient here.
        year: int | None = self.cleaned_data.get("birth_year")
        latest = datetime.date.today().year - YOUNGEST_PATIENT_AGE
        if year is not None and not EARLIEST_BIRTH_YEAR <= year <= latest:
            raise forms.ValidationError(
                _("Enter a year from %(earliest)s to %(latest)s.")
                % {"earliest": EARLIEST_BIRTH_YEAR, "latest": latest}
            )
        return year

    # Shown only when the clinic already has a patient of this name: a second record for
    # the same person would split their history and their alerts.
    different_person = forms.BooleanField(
        label=_("This is a different person with the same name"), required=False
    )

    def __init__(self, *args: Any, clinic_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic_id = clinic_id
        self.namesakes: list[Patient] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_name", "").strip(), data.get("last_name", "").strip()
        if self.clinic_id is None or not (first and last):
            return data
        self.namesakes = list(
            Patient.objects.filter(
                clinic_id=self.clinic_id,
                user__first_name__iexact=first,
                user__last_name__iexact=last,
            )
            .select_related("user")
            .order_by("created_at")[:5]
        )
        if self.namesakes and not data.get("different_person"):
            self.add_error(
                "different_person",
                ngettext(
                    "%(name)s is already a patient here. Open that record, or tick this box "
                    "if this is someone else.",
                    "%(count)d patients here are called %(name)s. Open their records, or tick "
                    "this box if this is someone else.",
                    len(self.namesakes),
                )
                % {"name": f"{first} {last}", "count": len(self.namesakes)},
            )
        return data

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        reason = email_in_use(email, clinic_id=self.clinic_id)
        if reason is not None:
            raise forms.ValidationError(reason)
        return email


def email_in_use(email: str, *, clinic_id: int | None, exclude_pk: int | None = None) -> str | None:
    """Why `email` cannot be given to a new or changed account, or None.

    The holder is named only to their own clinic. That another clinic has an account with
    this email is that clinic's business: for a patient it would say where they are treated.
    """
    holders = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        holders = holders.exclude(pk=exclude_pk)
    holder = holders.first()
    if holder is None:
        return None
    if clinic_id is not None and holder.clinic_id == clinic_id:
        name = holder.get_full_name() or holder.email
        if holder.role == Role.PATIENT:
            return gettext("A patient of this clinic already has this email: %(name)s.") % {
                "name": name
            }
        return gettext("A member of this clinic's staff already has this email: %(name)s.") % {
            "name": name
        }
    return gettext(
        "This email address cannot be used here. Ask for another one, such as a personal address."
    )
