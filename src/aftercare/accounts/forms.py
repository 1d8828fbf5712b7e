import datetime
import zoneinfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import User

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

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email already exists."))
        return email
