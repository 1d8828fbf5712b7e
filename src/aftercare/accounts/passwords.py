"""Choosing a password: at an invitation, after a reset link, and when a signed-in person
changes their own. What is wrong with a new password is said beside the field it was typed in
(Django puts it beside the confirmation)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import update_session_auth_hash
from django.core.mail import send_mail
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import User
from aftercare.accounts.scoping import signed_in_required
from aftercare.audit.actions import record_clinic

# Long enough for any passphrase or password manager; a megabyte is not a password.
MAX_PASSWORD_LENGTH = 200


class _NewPasswordMixin:
    """Labels in plain words; the password's own faults beside the password."""

    def _relabel(self) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        too_long = _("Please keep it under %(limit)d characters.") % {"limit": MAX_PASSWORD_LENGTH}
        for name in ("new_password1", "new_password2"):
            fields[name].validators.append(MaxLengthValidator(MAX_PASSWORD_LENGTH, too_long))
        fields["new_password1"].label = gettext_lazy("New password")
        fields["new_password2"].label = gettext_lazy("New password, again")
        fields["new_password2"].help_text = gettext_lazy("The same password, to catch a typo.")

    def validate_password_for_user(self, user: Any, password_field_name: str = "") -> None:
        super().validate_password_for_user(user, "new_password1")  # type: ignore[misc]


class NewPasswordForm(_NewPasswordMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relabel()


class ChangePasswordForm(_NewPasswordMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relabel()
        self.fields["old_password"].label = gettext_lazy("Your current password")
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": _("That is not your current password. Please type it again."),
        }


def _tell_owner(user: User) -> None:
    """Someone who did not change it learns at once, and whom to call."""
    context = {"user": user, "clinic": user.clinic, "url": settings.SITE_URL + reverse("login")}
    body = render_to_string("accounts/email/password_changed.txt", context)
    send_mail(_("Your password was changed"), body, None, [user.email])


@signed_in_required
def change_password(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ChangePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        # This browser stays signed in; every other session of the account ends.
        update_session_auth_hash(request, user)
        if user.clinic_id is not None:
            record_clinic(
                request,
                action="update",
                what=f"password changed by {user.email}"[:100],
                clinic_id=user.clinic_id,
                object_id=user.pk,
                actor=user,
            )
        _tell_owner(user)
        messages.success(
            request,
            _(
                "Your password is changed. Anywhere else you were signed in, "
                "you are now signed out."
            ),
        )
        return redirect("change_password")
    return render(
        request,
        "accounts/change_password.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
