"""Writes for clinics, staff and patients. Tests set up data through these too."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from aftercare.accounts import invitations
from aftercare.accounts.models import Clinic, Patient, Role, User
from aftercare.audit.actions import record


def create_staff(
    *,
    clinic: Clinic,
    email: str,
    password: str | None,
    role: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    if role not in (Role.CLINICIAN, Role.ADMIN):
        raise ValueError(f"Not a staff role: {role}")
    return User.objects.create_user(
        username=email,
        email=email,
        password=password,
        clinic=clinic,
        role=role,
        first_name=first_name,
        last_name=last_name,
    )


@transaction.atomic
def create_patient(
    *,
    clinic: Clinic,
    email: str,
    first_name: str,
    last_name: str,
    timezone: str,
    birth_year: int | None = None,
    clinician: User | None = None,
    password: str | None = None,
    phone: str = "",
) -> Patient:
    """A patient record and its login; without a password the login waits for an invitation."""
    user = User.objects.create_user(
        username=email,
        email=email,
        password=password,
        clinic=clinic,
        role=Role.PATIENT,
        first_name=first_name,
        last_name=last_name,
    )
    return Patient.objects.create(
        clinic=clinic,
        user=user,
        timezone=timezone,
        birth_year=birth_year,
        clinician=clinician,
        phone=phone,
    )


def invitation_url(patient: Patient) -> str:
    token = invitations.new_token(patient.user)
    return settings.SITE_URL + reverse("accept_invitation", args=[token])


def send_invitation(*, patient: Patient, invited_by: User) -> None:
    url = invitation_url(patient)
    context = {
        "patient": patient,
        "clinic": patient.clinic,
        "url": url,
        "days": settings.INVITATION_MAX_AGE // 86400,
    }
    with translation.override(translation.get_language()):
        subject = _("Your aftercare account at %(clinic)s") % {"clinic": patient.clinic.name}
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [patient.user.email])
    record(
        None,
        actor=invited_by,
        action="invite",
        what="patient",
        patient=patient,
        object_id=patient.pk,
    )


@transaction.atomic
def invite_patient(
    *,
    clinic: Clinic,
    invited_by: User,
    email: str,
    first_name: str,
    last_name: str,
    timezone: str,
    birth_year: int | None = None,
    phone: str = "",
) -> Patient:
    clinician = invited_by if invited_by.role == Role.CLINICIAN else None
    patient = create_patient(
        clinic=clinic,
        email=email,
        first_name=first_name,
        last_name=last_name,
        timezone=timezone,
        birth_year=birth_year,
        clinician=clinician,
        phone=phone,
    )
    # The email leaves only once the patient surely exists.
    transaction.on_commit(lambda: send_invitation(patient=patient, invited_by=invited_by))
    return patient


def accept_invitation(*, user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
