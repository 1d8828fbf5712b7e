"""The clinic admin's staff pages: the list, inviting someone, and one member's account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts import staff
from aftercare.accounts.forms import InvitePatientForm
from aftercare.accounts.models import Role, User
from aftercare.accounts.scoping import admin_required, get_staff_member, staff_visible_to

ROLE_CHOICES = [
    (Role.CLINICIAN.value, gettext_lazy("Clinician: patients, sessions, alerts, outcomes")),
    (Role.ADMIN.value, gettext_lazy("Clinic admin: all of that, plus staff and settings")),
]
ROLE_ERRORS = {
    "required": gettext_lazy("Choose a role."),
    "invalid_choice": gettext_lazy("Choose clinician or clinic admin."),
}


def _name_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=150,
        error_messages={
            "required": gettext_lazy("A name is needed here."),
            "max_length": gettext_lazy("Please keep this under %(limit_value)d characters."),
        },
    )


def _name_and_role(member: User) -> str:
    return f"{member.get_full_name() or member.email} ({member.get_role_display()})"


def _email_field() -> forms.EmailField:
    return forms.EmailField(
        label=gettext_lazy("Work email"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("An email address is needed: the invitation goes there."),
            "invalid": gettext_lazy("Enter an email address, like name@clinic.org."),
        },
    )


class InviteStaffForm(forms.Form):
    first_name = _name_field(gettext_lazy("First name"))
    last_name = _name_field(gettext_lazy("Last name"))
    email = _email_field()
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages=ROLE_ERRORS,
    )

    def __init__(self, *args: Any, clinic_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic_id = clinic_id

    clean_email = InvitePatientForm.clean_email


class StaffMemberForm(forms.Form):
    first_name = _name_field(gettext_lazy("First name"))
    last_name = _name_field(gettext_lazy("Last name"))
    email = _email_field()
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages=ROLE_ERRORS,
    )
    active = forms.ChoiceField(
        label=gettext_lazy("Account"),
        choices=[
            ("yes", gettext_lazy("Active: can sign in")),
            ("no", gettext_lazy("Deactivated: cannot sign in; their records stay")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose active or deactivated."),
            "invalid_choice": gettext_lazy("Choose active or deactivated."),
        },
    )
    patients_to = forms.ModelChoiceField(
        label=gettext_lazy("When deactivated, their patients and open alerts go to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("Nobody in particular (the whole team sees them)"),
        error_messages={"invalid_choice": gettext_lazy("Choose someone from the list.")},
    )

    def __init__(self, data: Any, *, member: User, by: User) -> None:
        initial = {
            "first_name": member.first_name,
            "last_name": member.last_name,
            "email": member.email,
            "role": member.role,
            "active": "yes" if member.is_active else "no",
        }
        super().__init__(data, initial=initial)
        self.member, self.by = member, by
        successor = self.fields["patients_to"]
        successor.queryset = staff.active_colleagues(member)  # type: ignore[attr-defined]
        successor.label_from_instance = _name_and_role  # type: ignore[attr-defined]

    def change(self) -> staff.StaffChange:
        data = self.cleaned_data
        return staff.StaffChange(
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            active=data["active"] == "yes",
            patients_to=data.get("patients_to"),
            email=data["email"].strip().lower(),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        reason = staff.refusal(self.member, self.by, self.change())
        if reason is not None:
            self.add_error(self._field_refused(data), reason)
        return data

    def _field_refused(self, data: dict[str, Any]) -> str:
        """Which field staff.refusal's reason belongs beside (the same order of rules)."""
        if self.member == self.by:
            return "active" if data["active"] == "no" else "role"
        email = data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.member.pk).exists():
            return "email"
        return "patients_to" if data.get("patients_to") is not None else "role"


@admin_required
def staff_list(request: HttpRequest) -> HttpResponse:
    members = list(staff.with_overview(staff_visible_to(request.user)))  # type: ignore[arg-type]
    return render(request, "accounts/staff_list.html", {"members": members})


@admin_required
def invite_staff(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = InviteStaffForm(request.POST or None, clinic_id=user.clinic_id)
    if request.method == "POST" and form.is_valid():
        member = staff.invite_staff(clinic=user.clinic, invited_by=user, **form.cleaned_data)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": member.email})
        return redirect("staff_member", member_id=member.pk)
    return render(
        request, "accounts/staff_invite.html", {"form": form}, status=400 if form.errors else 200
    )


@admin_required
def staff_member(request: HttpRequest, member_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    member = get_staff_member(user, member_id)
    form = StaffMemberForm(request.POST or None, member=member, by=user)
    if request.method == "POST" and form.is_valid():
        done = staff.change_member(member, by=user, change=form.change())
        if done:
            messages.success(request, _("Saved: %(changes)s.") % {"changes": "; ".join(done)})
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("staff_member", member_id=member.pk)
    overview = staff.with_overview(staff_visible_to(user)).get(pk=member.pk)
    return render(
        request,
        "accounts/staff_member.html",
        {
            "member": overview,
            "form": form,
            "is_self": member == user,
            "invitation_pending": staff.is_invitation_pending(member),
            "open_alerts": staff.open_alerts_owned(member),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@admin_required
def resend_staff_invitation(request: HttpRequest, member_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    member = get_staff_member(user, member_id)
    if staff.is_invitation_pending(member):
        staff.send_staff_invitation(member=member, invited_by=user)
        messages.success(
            request, _("A new invitation is on its way to %(email)s.") % {"email": member.email}
        )
    elif not member.is_active:
        messages.warning(request, _("Reactivate the account first."))
    else:
        messages.info(
            request,
            _("%(name)s has already set a password.")
            % {"name": member.get_full_name() or member.email},
        )
    return redirect("staff_member", member_id=member.pk)
