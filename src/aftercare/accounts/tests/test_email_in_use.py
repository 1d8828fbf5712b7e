"""An email already held at another clinic is refused without saying where or by whom."""

import html
import re

import pytest
from conftest import PASSWORD

from aftercare.accounts.actions import create_patient
from aftercare.accounts.models import User

GENERIC = "This email address cannot be used here. Ask for another one, such as a personal address."


def _email_error(response) -> str:
    found = re.search(r'id="id_email_error">([^<]*)<', response.content.decode())
    assert found is not None
    return html.unescape(found.group(1))


@pytest.fixture
def lakeside_patient(lakeside):
    return create_patient(
        clinic=lakeside,
        email="quinn@example.org",
        first_name="Quinn",
        last_name="Quade",
        timezone="UTC",
        password=PASSWORD,
    )


NEW = {"first_name": "Quinn", "last_name": "Quade", "email": "Quinn@Example.org"}


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/clinic/patients/invite/", {"timezone": "UTC"}),
        ("/clinic/staff/invite/", {"role": "clinician"}),
    ],
)
def test_an_invitation_to_another_clinics_patient_does_not_reveal_them(
    as_user, dana, lakeside_patient, path, extra
):
    response = as_user(dana).post(path, {**NEW, **extra})
    assert response.status_code == 400
    error = _email_error(response)
    assert error == GENERIC
    for revealing in ("Lakeside", "patient", "Quade", "already"):
        assert revealing not in error
    assert 'value="Quinn@Example.org"' in response.content.decode()
    assert User.objects.filter(email__iexact="quinn@example.org").count() == 1


def test_correcting_a_staff_email_to_another_clinics_address_does_not_reveal_it(
    as_user, dana, carol, eve
):
    form = {
        "first_name": carol.first_name,
        "last_name": carol.last_name,
        "email": eve.email,
        "role": carol.role,
        "active": "yes",
    }
    response = as_user(dana).post(f"/clinic/staff/{carol.pk}/", form)
    assert response.status_code == 400
    assert _email_error(response) == GENERIC
    carol.refresh_from_db()
    assert carol.email == "carol@example.org"


def test_the_own_clinic_is_told_who_holds_the_email(as_user, dana, alice, carol):
    response = as_user(dana).post(
        "/clinic/staff/invite/", {**NEW, "email": "carol@example.org", "role": "clinician"}
    )
    assert _email_error(response) == (
        "A member of this clinic's staff already has this email: Carol Chen."
    )
