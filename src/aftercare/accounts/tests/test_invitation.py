import re

import time_machine
from django.core import mail

from aftercare.accounts.models import Patient

NEW_PATIENT = {
    "first_name": "Frank",
    "last_name": "Foster",
    "email": "Frank@Example.org",
    "timezone": "America/Denver",
    "birth_year": "1980",
}


def invite(as_user, carol, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return as_user(carol).post("/clinic/patients/invite/", {**NEW_PATIENT, **changes})


def invitation_path() -> str:
    match = re.search(r"http://[^/]+(/invitation/[^/\s]+/)", mail.outbox[-1].body)
    assert match is not None
    return match.group(1)


def test_a_clinician_invites_and_the_patient_sets_a_password(
    as_user, carol, client, django_capture_on_commit_callbacks
):
    response = invite(as_user, carol, django_capture_on_commit_callbacks)
    patient = Patient.objects.get(user__email="frank@example.org")
    assert response.url == f"/clinic/patients/{patient.pk}/"
    assert patient.clinic == carol.clinic
    assert patient.clinician == carol
    assert patient.timezone == "America/Denver"
    assert not patient.user.has_usable_password()
    assert mail.outbox[0].to == ["frank@example.org"]
    assert "Riverside Ketamine Clinic" in mail.outbox[0].subject

    path = invitation_path()
    assert client.get(path).status_code == 200
    new_password = {
        "new_password1": "calm-river-stones-42",
        "new_password2": "calm-river-stones-42",
    }
    response = client.post(path, new_password)
    assert response.url == "/"
    assert client.get("/me/").status_code == 200
    # The link works once.
    client.logout()
    assert client.get(path).status_code == 404
    assert client.login(username="frank@example.org", password="calm-river-stones-42")


def test_the_invitation_expires_after_a_week(
    as_user, carol, client, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-05-01 12:00Z"):
        invite(as_user, carol, django_capture_on_commit_callbacks)
    path = invitation_path()
    with time_machine.travel("2026-05-08 11:00Z"):
        assert client.get(path).status_code == 200
    with time_machine.travel("2026-05-08 13:00Z"):
        assert client.get(path).status_code == 404


def test_a_forged_link_is_refused(client, db):
    response = client.get("/invitation/not-a-real-token/")
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()


def test_a_weak_password_is_explained_and_the_link_stays_valid(
    as_user, carol, client, django_capture_on_commit_callbacks
):
    invite(as_user, carol, django_capture_on_commit_callbacks)
    path = invitation_path()
    response = client.post(path, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 400
    assert 'id="id_new_password1_error"' in response.content.decode()
    assert client.get(path).status_code == 200


def test_bad_invitation_input_is_explained_and_kept(as_user, carol, alice):
    response = as_user(carol).post(
        "/clinic/patients/invite/",
        {**NEW_PATIENT, "email": "alice@example.org", "birth_year": "abc", "first_name": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        'id="id_email_error">A patient of this clinic already has this email: Alice Archer.' in html
    )
    assert 'id="id_birth_year_error">Enter a year such as 1984.' in html
    assert 'id="id_first_name_error">This field is required.' in html
    assert 'value="Foster"' in html
    assert 'value="abc"' in html
    assert '<option value="America/Denver" selected>' in html
    assert Patient.objects.count() == 1


def test_out_of_range_and_huge_invitation_input(as_user, carol):
    response = as_user(carol).post(
        "/clinic/patients/invite/",
        {**NEW_PATIENT, "birth_year": "1700", "last_name": "x" * 10_000, "timezone": "Mars/Base"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("birth_year", "last_name", "timezone"):
        assert f'id="id_{field}_error"' in html
    assert Patient.objects.count() == 0


def test_resending_sends_a_fresh_link(as_user, carol, django_capture_on_commit_callbacks):
    invite(as_user, carol, django_capture_on_commit_callbacks)
    patient = Patient.objects.get()
    response = as_user(carol).post(f"/clinic/patients/{patient.pk}/invitation/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2


def test_a_new_invitation_cancels_the_earlier_link(
    as_user, carol, client, django_capture_on_commit_callbacks
):
    invite(as_user, carol, django_capture_on_commit_callbacks)
    first = invitation_path()
    patient = Patient.objects.get()
    as_user(carol).post(f"/clinic/patients/{patient.pk}/invitation/")
    second = invitation_path()
    assert second != first
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_a_birth_year_this_year_is_questioned(as_user, carol):
    import datetime

    this_year = datetime.date.today().year
    response = as_user(carol).post(
        "/clinic/patients/invite/", {**NEW_PATIENT, "birth_year": str(this_year)}
    )
    assert response.status_code == 400
    assert (
        f'id="id_birth_year_error">Enter a year from 1900 to {this_year - 12}.'
        in response.content.decode()
    )
    assert Patient.objects.count() == 0


def test_a_namesake_is_shown_and_needs_confirming_before_a_second_record(as_user, carol, alice):
    same_name = {
        **NEW_PATIENT,
        "first_name": " alice ",
        "last_name": "ARCHER",
        "email": "a2@example.org",
    }
    response = as_user(carol).post("/clinic/patients/invite/", same_name)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_different_person_error">alice ARCHER is already a patient here.' in html
    assert f'<a href="/clinic/patients/{alice.pk}/">Alice Archer</a>: alice@example.org' in html
    assert 'value="a2@example.org"' in html
    assert not Patient.objects.filter(user__email="a2@example.org").exists()

    confirmed = as_user(carol).post(
        "/clinic/patients/invite/", {**same_name, "different_person": "on"}
    )
    assert confirmed.status_code == 302
    assert Patient.objects.filter(user__email="a2@example.org").exists()


def test_a_namesake_at_another_clinic_is_not_mentioned(as_user, eve, alice):
    response = as_user(eve).post(
        "/clinic/patients/invite/",
        {**NEW_PATIENT, "first_name": "Alice", "last_name": "Archer", "email": "a3@example.org"},
    )
    assert response.status_code == 302  # no warning: Alice is Riverside's patient
