"""Staff accounts: the clinic admin invites clinicians and admins, changes their role and
deactivates the accounts of people who leave.

Nobody is ever deleted: their name stays on the notes, rounds and audit records they signed.
A deactivated account signs in nowhere (web, API token, calendar feed) from its next request on.
An admin cannot remove their own admin access, so a clinic always keeps an admin to receive
escalated alerts (safety/escalation.py). Every change leaves an audit record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.accounts import invitations
from aftercare.accounts.actions import create_staff
from aftercare.accounts.forms import email_in_use
from aftercare.accounts.models import Clinic, Patient, Role, User
from aftercare.accounts.security import STAFF_ROLES
from aftercare.audit.actions import record_clinic


class StaffChangeRefused(ValueError):
    """A change that would lock the clinic out of its own administration."""


def with_overview(staff: QuerySet[User]) -> QuerySet[User]:
    """Staff with what the list shows: assigned patients and whether an authenticator is set
    up, in one query whatever the number of staff."""
    return staff.annotate(
        patient_count=Count("assigned_patients", distinct=True),
        has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
    ).order_by("-is_active", "last_name", "first_name", "pk")


def is_invitation_pending(member: User) -> bool:
    return member.is_active and not member.has_usable_password()


def _audit(by: User, member: User, event: str, action: str = "update") -> None:
    """One record "staff account <email>: <event>", so the log names the member."""
    record_clinic(
        None,
        action=action,
        what=f"staff account {member.email}: {event}"[:100],
        clinic_id=member.clinic_id,
        object_id=member.pk,
        actor=by,
    )


def send_staff_invitation(*, member: User, invited_by: User) -> None:
    url = settings.SITE_URL + reverse("accept_invitation", args=[invitations.new_token(member)])
    context = {
        "member": member,
        "clinic": member.clinic,
        "role": str(member.get_role_display()).lower(),
        "invited_by": invited_by.get_full_name() or invited_by.email,
        "url": url,
        "days": settings.INVITATION_MAX_AGE // 86400,
    }
    subject = _("Your staff account at %(clinic)s") % {"clinic": member.clinic.name}
    body = render_to_string("accounts/email/staff_invitation.txt", context)
    send_mail(subject, body, None, [member.email])
    _audit(invited_by, member, f"invitation sent ({member.role})", "invite")


@transaction.atomic
def invite_staff(
    *, clinic: Clinic, invited_by: User, email: str, first_name: str, last_name: str, role: str
) -> User:
    """A staff account without a password: the invitation link sets it."""
    member = create_staff(
        clinic=clinic,
        email=email,
        password=None,
        role=role,
        first_name=first_name,
        last_name=last_name,
    )
    _audit(invited_by, member, f"created as {role}", "create")
    # The email leaves only once the account surely exists.
    transaction.on_commit(lambda: send_staff_invitation(member=member, invited_by=invited_by))
    return member


@dataclass(frozen=True)
class StaffChange:
    """What an admin asks of one staff account. ``patients_to`` takes over the member's
    patients and open alerts when the account is deactivated (None: nobody in particular)."""

    first_name: str
    last_name: str
    role: str
    active: bool
    patients_to: User | None = None
    email: str | None = None  # None: unchanged


def refusal(member: User, by: User, change: StaffChange) -> str | None:
    """Why the change cannot be made, or None. The one rule: nobody removes their own admin
    access (it also keeps at least one active admin, since the actor is one)."""
    if member.pk == by.pk and not change.active:
        return _("You cannot deactivate your own account. Another admin can.")
    if member.pk == by.pk and change.role != Role.ADMIN:
        return _("You cannot remove your own admin role. Another admin can.")
    if change.role not in STAFF_ROLES:
        return _("Choose clinician or clinic admin.")
    if change.email is not None:
        taken = email_in_use(change.email, clinic_id=by.clinic_id, exclude_pk=member.pk)
        if taken is not None:
            return taken
    target = change.patients_to
    if target is not None and (
        target.pk == member.pk
        or target.clinic_id != member.clinic_id
        or target.role not in STAFF_ROLES
        or not target.is_active
    ):
        return _("Choose an active member of your clinic's staff.")
    if target is not None and not target.has_usable_password():
        return _("Choose an active member of your clinic's staff.")
    return None


@transaction.atomic
def change_member(member: User, *, by: User, change: StaffChange) -> list[str]:
    """Apply the change; return what changed, in words, for the admin's confirmation."""
    reason = refusal(member, by, change)
    if reason is not None:
        raise StaffChangeRefused(reason)
    done: list[str] = []
    if (member.first_name, member.last_name) != (change.first_name, change.last_name):
        member.first_name, member.last_name = change.first_name, change.last_name
        _audit(by, member, "name changed")
        done.append(_("name changed"))
    if change.email is not None and change.email != member.email:
        done.extend(_change_email(member, by=by, email=change.email))
    if member.role != change.role:
        _audit(by, member, f"role {member.role} → {change.role}")
        done.append(_("role is now %(role)s") % {"role": Role(change.role).label})
        member.role = change.role
    if member.is_active and not change.active:
        done.extend(_deactivate(member, by=by, patients_to=change.patients_to))
    elif not member.is_active and change.active:
        member.is_active = True
        _audit(by, member, "reactivated")
        done.append(_("account reactivated"))
    member.save(update_fields=["first_name", "last_name", "email", "username", "role", "is_active"])
    return done


def _change_email(member: User, *, by: User, email: str) -> list[str]:
    """Correct the address the member signs in with. A waiting invitation goes again, to the
    new address; the link sent to the old one stops working (invitations.py)."""
    old = member.email
    member.email = member.username = email
    _audit(by, member, f"email changed from {old}")
    if not is_invitation_pending(member):
        return [_("they now sign in as %(email)s") % {"email": email}]
    transaction.on_commit(lambda: send_staff_invitation(member=member, invited_by=by))
    return [
        _(
            "email is now %(email)s; a new invitation is on its way there, "
            "and the earlier link no longer works"
        )
        % {"email": email}
    ]


def _deactivate(member: User, *, by: User, patients_to: User | None) -> list[str]:
    from aftercare.safety.models import Alert

    member.is_active = False
    _audit(by, member, "deactivated")
    done = [_("account deactivated: it can no longer sign in")]
    moved = Patient.objects.filter(clinician=member).update(clinician=patients_to)
    alerts = (
        Alert.objects.filter(owner=member)
        .exclude(status=Alert.Status.RESOLVED)
        .update(owner=patients_to)
    )
    to = (patients_to.get_full_name() or patients_to.email) if patients_to else None
    if moved or alerts:
        _audit(
            by,
            member,
            f"{moved} patient(s), {alerts} open alert(s) to {to or 'nobody'}",
        )
    if moved:
        if to:
            done.append(
                ngettext(
                    "%(count)d patient now with %(name)s",
                    "%(count)d patients now with %(name)s",
                    moved,
                )
                % {"count": moved, "name": to}
            )
        else:
            done.append(
                ngettext(
                    "%(count)d patient has no assigned clinician",
                    "%(count)d patients have no assigned clinician",
                    moved,
                )
                % {"count": moved}
            )
    return done


def active_colleagues(member: User) -> QuerySet[User]:
    """Who can take over a member's patients: the clinic's other active staff."""
    # Not someone who has not accepted their invitation yet: they cannot sign in to see the
    # patients or acknowledge the alerts.
    return assignable_staff(member.clinic_id).exclude(pk=member.pk)


def open_alerts_owned(member: User) -> int:
    from aftercare.safety.models import Alert

    return Alert.objects.filter(Q(owner=member) & ~Q(status=Alert.Status.RESOLVED)).count()


@transaction.atomic
def assign_clinician(patient: Patient, *, clinician: User | None, by: User) -> None:
    """Give the patient (and their unresolved alerts) to a clinician, or to nobody in
    particular. ``clinician`` must be one of ``assignable_staff``."""
    from aftercare.audit.actions import record
    from aftercare.safety.models import Alert

    if (
        clinician is not None
        and not assignable_staff(patient.clinic_id).filter(pk=clinician.pk).exists()
    ):
        raise StaffChangeRefused(_("Choose an active member of your clinic's staff."))
    Alert.objects.filter(patient=patient, owner_id=patient.clinician_id).exclude(
        status=Alert.Status.RESOLVED
    ).update(owner=clinician)
    patient.clinician = clinician
    patient.save(update_fields=["clinician"])
    record(None, actor=by, action="update", what="assigned clinician", patient=patient)


def assignable_staff(clinic_id: int) -> QuerySet[User]:
    """Staff who can take patients: active, and signed in at least once (password set)."""
    return (
        User.objects.filter(clinic_id=clinic_id, role__in=STAFF_ROLES, is_active=True)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .order_by("last_name", "first_name", "pk")
    )
