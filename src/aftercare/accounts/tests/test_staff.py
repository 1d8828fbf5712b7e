"""The clinic admin manages staff accounts: invite, change role, deactivate, reactivate."""

import re

import pytest
from conftest import PASSWORD
from django.core import mail
from django.test import Client

from aftercare.accounts.actions import create_staff
from aftercare.accounts.models import Role, User
from aftercare.api.tokens import issue
from aftercare.audit.models import AuditEvent
from aftercare.safety.actions import report_concern

NEW_NURSE = {
    "first_name": "Nia",
    "last_name": "Novak",
    "email": "Nia.Novak@Riverside.example",
    "role": "clinician",
}


def form_of(member: User, **changes) -> dict:
    return {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "role": member.role,
        "active": "yes" if member.is_active else "no",
        **changes,
    }


def audit_trail(member: User) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(object_id=str(member.pk), what__startswith="staff account")
    return [(e.action, e.what) for e in events.order_by("pk")]


@pytest.fixture
def ezra(riverside) -> User:
    """A second clinician at Riverside."""
    return create_staff(
        clinic=riverside,
        email="ezra@example.org",
        password=PASSWORD,
        role=Role.CLINICIAN,
        first_name="Ezra",
        last_name="Ellis",
    )


def test_the_admin_invites_a_nurse_who_sets_a_password_and_signs_in(
    as_user, dana, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(dana).post("/clinic/staff/invite/", NEW_NURSE)
    nia = User.objects.get(email="nia.novak@riverside.example")
    assert response.url == f"/clinic/staff/{nia.pk}/"
    assert (nia.clinic, nia.role, nia.has_usable_password()) == (dana.clinic, "clinician", False)
    assert mail.outbox[0].to == ["nia.novak@riverside.example"]
    assert (
        "Dana Diaz has given you a staff account at Riverside Ketamine Clinic, as a clinician."
        in (mail.outbox[0].body)
    )
    listing = as_user(dana).get("/clinic/staff/").content.decode()
    assert re.search(r"Nia Novak</a>.*?Clinician.*?Invited, not accepted yet", listing, re.S)

    link = re.search(r"http://[^/]+(/invitation/[^/\s]+/)", mail.outbox[0].body)
    assert link is not None
    new_password = {
        "new_password1": "a-long-new-passphrase",
        "new_password2": "a-long-new-passphrase",
    }
    assert client.post(link.group(1), new_password).url == "/"
    assert client.get("/clinic/workspace/").status_code == 200
    assert audit_trail(nia) == [
        ("create", "staff account nia.novak@riverside.example: created as clinician"),
        ("invite", "staff account nia.novak@riverside.example: invitation sent (clinician)"),
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "A name is needed here."),
        ({"email": ""}, "email", "An email address is needed: the invitation goes there."),
        ({"last_name": "x" * 151}, "last_name", "under 150 characters"),
        ({"email": "nia at riverside"}, "email", "Enter an email address"),
        ({"email": "CAROL@example.org"}, "email", "staff already has this email: Carol Chen."),
        ({"email": "n" * 250 + "@x.org"}, "email", "at most 254 characters"),
        ({"role": ""}, "role", "Choose a role."),
        ({"role": "patient"}, "role", "Choose clinician or clinic admin."),
        ({"role": ["admin", "superuser"]}, "role", "Choose clinician or clinic admin."),
    ],
)
def test_bad_invitation_input_is_explained_beside_the_field_and_kept(
    as_user, dana, carol, change, field, message
):
    response = as_user(dana).post("/clinic/staff/invite/", {**NEW_NURSE, **change})
    html = response.content.decode()
    assert response.status_code == 400
    error = re.search(rf'id="id_{field}_error">([^<]*)<', html)
    assert error is not None
    assert message in error.group(1)
    kept = NEW_NURSE | change
    for name in {"first_name", "last_name", "email"} - {field}:
        assert f'value="{kept[name]}"' in html
    assert not mail.outbox
    assert not User.objects.filter(first_name="Nia").exists()


def test_deactivating_a_clinician_ends_their_access_and_hands_over_their_patients(
    as_user, dana, carol, ezra, alice
):
    alert = report_concern(patient=alice, text="")
    assert alert.owner == carol
    carol_browser = as_user(carol)
    _token, secret = issue(carol, "phone")
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200

    response = as_user(dana).post(
        f"/clinic/staff/{carol.pk}/", form_of(carol, active="no", patients_to=ezra.pk), follow=True
    )
    assert "account deactivated: it can no longer sign in; 1 patient now with Ezra Ellis" in (
        response.content.decode()
    )
    alice.refresh_from_db()
    alert.refresh_from_db()
    assert (alice.clinician, alert.owner) == (ezra, ezra)
    # The session she had open, her API token and a new sign-in all stop working.
    assert carol_browser.get("/clinic/workspace/").url.startswith("/accounts/login/")
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    sign_in = Client().post(
        "/accounts/login/", {"username": "carol@example.org", "password": PASSWORD}
    )
    assert sign_in.status_code == 200
    assert "_auth_user_id" not in sign_in.client.session
    assert "This account has been deactivated, so it cannot sign in." in sign_in.content.decode()
    Client().post("/accounts/password-reset/", {"email": "carol@example.org"})
    assert not mail.outbox
    # Her name stays on what she did; the account stays listed, as deactivated.
    listing = as_user(dana).get("/clinic/staff/").content.decode()
    assert re.search(r"Carol Chen</a>.*?Deactivated", listing, re.S)
    assert audit_trail(carol) == [
        ("update", "staff account carol@example.org: deactivated"),
        ("update", "staff account carol@example.org: 1 patient(s), 1 open alert(s) to Ezra Ellis"),
    ]

    as_user(dana).post(f"/clinic/staff/{carol.pk}/", form_of(carol, active="yes"))
    assert as_user(carol).get("/clinic/workspace/").status_code == 200
    assert audit_trail(carol)[-1] == ("update", "staff account carol@example.org: reactivated")


def test_without_a_successor_the_patients_are_left_to_the_whole_team(as_user, dana, carol, alice):
    response = as_user(dana).post(
        f"/clinic/staff/{carol.pk}/", form_of(carol, active="no"), follow=True
    )
    assert "1 patient has no assigned clinician" in response.content.decode()
    alice.refresh_from_db()
    assert alice.clinician is None
    assert alice_is_on_the_team_list(as_user(dana))


def alice_is_on_the_team_list(client) -> bool:
    return "Archer" in client.get("/clinic/patients/").content.decode()


def test_the_successor_must_be_an_active_colleague_of_the_same_clinic(
    as_user, dana, carol, ezra, eve, alice, riverside
):
    ezra.is_active = False
    ezra.save()
    invited = create_staff(
        clinic=riverside, email="new@example.org", password=None, role=Role.CLINICIAN
    )
    for someone in (ezra, eve, carol, invited):
        response = as_user(dana).post(
            f"/clinic/staff/{carol.pk}/", form_of(carol, active="no", patients_to=someone.pk)
        )
        assert response.status_code == 400
        assert "Choose someone from the list." in response.content.decode()
    carol.refresh_from_db()
    assert carol.is_active


def test_the_admin_cannot_lock_themselves_out(as_user, dana, carol):
    for change, message in (
        ({"active": "no"}, "You cannot deactivate your own account. Another admin can."),
        ({"role": "clinician"}, "You cannot remove your own admin role. Another admin can."),
    ):
        response = as_user(dana).post(f"/clinic/staff/{dana.pk}/", form_of(dana, **change))
        assert response.status_code == 400
        assert message in response.content.decode()
    dana.refresh_from_db()
    assert (dana.role, dana.is_active) == ("admin", True)
    # A second admin can: the clinic still has an admin afterwards.
    carol.role = Role.ADMIN
    carol.save()
    as_user(carol).post(f"/clinic/staff/{dana.pk}/", form_of(dana, role="clinician"))
    dana.refresh_from_db()
    assert dana.role == "clinician"
    assert as_user(dana).get("/clinic/staff/").status_code == 404


def test_a_role_change_takes_effect_at_once_and_is_audited(as_user, dana, carol):
    assert as_user(carol).get("/clinic/audit/").status_code == 404
    response = as_user(dana).post(
        f"/clinic/staff/{carol.pk}/", form_of(carol, role="admin", last_name="Chen-Wu"), follow=True
    )
    assert "Saved: name changed; role is now Clinic admin." in response.content.decode()
    assert as_user(carol).get("/clinic/audit/").status_code == 200
    assert audit_trail(carol) == [
        ("update", "staff account carol@example.org: name changed"),
        ("update", "staff account carol@example.org: role clinician → admin"),
    ]
    carol.refresh_from_db()
    unchanged = as_user(dana).post(f"/clinic/staff/{carol.pk}/", form_of(carol), follow=True)
    assert "Nothing changed." in unchanged.content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"role": "patient"}, "role", "Choose clinician or clinic admin."),
        ({"active": "maybe"}, "active", "Choose active or deactivated."),
        ({"active": ""}, "active", "Choose active or deactivated."),
        ({"patients_to": "not-a-number"}, "patients_to", "Choose someone from the list."),
        ({"patients_to": "9" * 30}, "patients_to", "Choose someone from the list."),
        ({"first_name": " "}, "first_name", "A name is needed here."),
    ],
)
def test_bad_account_changes_are_explained_and_nothing_changes(
    as_user, dana, carol, alice, change, field, message
):
    response = as_user(dana).post(
        f"/clinic/staff/{carol.pk}/", form_of(carol, last_name="Typed", active="no") | change
    )
    html = response.content.decode()
    assert response.status_code == 400
    error = re.search(rf'id="id_{field}_error">([^<]*)<', html)
    assert error is not None
    assert message in error.group(1)
    assert 'value="Typed"' in html
    carol.refresh_from_db()
    assert (carol.last_name, carol.is_active, carol.role) == ("Chen", True, "clinician")


def test_an_invitation_can_be_sent_again_until_it_is_accepted(
    as_user, dana, carol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_user(dana).post("/clinic/staff/invite/", NEW_NURSE)
    nia = User.objects.get(first_name="Nia")
    page = as_user(dana).get(f"/clinic/staff/{nia.pk}/").content.decode()
    assert "They have not accepted the invitation yet." in page
    response = as_user(dana).post(f"/clinic/staff/{nia.pk}/invitation/", follow=True)
    assert "A new invitation is on its way to nia.novak@riverside.example." in (
        response.content.decode()
    )
    assert len(mail.outbox) == 2
    already = as_user(dana).post(f"/clinic/staff/{carol.pk}/invitation/", follow=True)
    assert "Carol Chen has already set a password." in already.content.decode()
    assert len(mail.outbox) == 2


def test_the_staff_list_reads_a_constant_number_of_queries(
    as_user, dana, riverside, alice, django_assert_max_num_queries
):
    for i in range(25):
        create_staff(
            clinic=riverside,
            email=f"s{i}@example.org",
            password=None,
            role=Role.CLINICIAN,
            first_name="Staff",
            last_name=f"Member{i}",
        )
    client = as_user(dana)
    with django_assert_max_num_queries(5):
        response = client.get("/clinic/staff/")
    assert response.content.decode().count("Invited, not accepted yet") == 25


def test_staff_accounts_are_linked_from_the_admins_settings(as_user, dana, carol):
    assert 'href="/clinic/staff/"' in as_user(dana).get("/clinic/settings/").content.decode()
    assert 'href="/clinic/staff/"' not in as_user(carol).get("/clinic/settings/").content.decode()


def test_a_patient_is_handed_back_to_a_reactivated_clinician_from_their_record(
    as_user, dana, carol, ezra, alice
):
    alert = report_concern(patient=alice, text="")
    as_user(dana).post(
        f"/clinic/staff/{carol.pk}/", form_of(carol, active="no", patients_to=ezra.pk)
    )
    as_user(dana).post(f"/clinic/staff/{carol.pk}/", form_of(carol, active="yes"))
    page = as_user(ezra).get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert re.search(rf'<option value="{ezra.pk}" selected>Ezra Ellis</option>', page)

    response = as_user(ezra).post(
        f"/clinic/patients/{alice.pk}/clinician/", {"clinician": str(carol.pk)}, follow=True
    )
    assert "Carol Chen is now the clinician for this patient." in response.content.decode()
    alice.refresh_from_db()
    alert.refresh_from_db()
    assert (alice.clinician, alert.owner) == (carol, carol)
    assert AuditEvent.objects.filter(
        patient=alice, actor=ezra, action="update", what="assigned clinician"
    ).exists()


@pytest.mark.parametrize("choice", ["not-a-number", "9" * 30, "eve", "invited"])
def test_a_patient_cannot_be_given_to_someone_outside_the_list(
    as_user, carol, alice, eve, riverside, choice
):
    invited = create_staff(
        clinic=riverside, email="new@example.org", password=None, role=Role.CLINICIAN
    )
    value = {"eve": str(eve.pk), "invited": str(invited.pk)}.get(choice, choice)
    response = as_user(carol).post(
        f"/clinic/patients/{alice.pk}/clinician/", {"clinician": value}, follow=True
    )
    assert "Choose someone from the list." in response.content.decode()
    alice.refresh_from_db()
    assert alice.clinician == carol


def test_a_mistyped_invitation_address_is_corrected_and_the_old_link_dies(
    as_user, dana, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_user(dana).post("/clinic/staff/invite/", {**NEW_NURSE, "email": "nia@rivresde.example"})
    nia = User.objects.get(first_name="Nia")
    wrong_link = re.search(r"http://[^/]+(/invitation/[^/\s]+/)", mail.outbox[0].body)
    assert wrong_link is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(dana).post(
            f"/clinic/staff/{nia.pk}/",
            form_of(nia, email=" Nia@Riverside.example "),
            follow=True,
        )
    assert (
        "email is now nia@riverside.example; a new invitation is on its way there"
        in response.content.decode()
    )
    assert mail.outbox[-1].to == ["nia@riverside.example"]
    nia.refresh_from_db()
    assert (nia.email, nia.username) == ("nia@riverside.example", "nia@riverside.example")
    assert client.get(wrong_link.group(1)).status_code == 404
    right_link = re.search(r"http://[^/]+(/invitation/[^/\s]+/)", mail.outbox[-1].body)
    assert right_link is not None
    new_password = {
        "new_password1": "a-long-new-passphrase",
        "new_password2": "a-long-new-passphrase",
    }
    assert client.post(right_link.group(1), new_password).url == "/"
    assert (
        "update",
        "staff account nia@riverside.example: email changed from nia@rivresde.example",
    ) in (audit_trail(nia))


def test_an_active_member_signs_in_with_their_corrected_address(as_user, dana, carol):
    response = as_user(dana).post(
        f"/clinic/staff/{carol.pk}/", form_of(carol, email="carol.chen@example.org"), follow=True
    )
    assert "they now sign in as carol.chen@example.org" in response.content.decode()
    assert Client().login(username="carol.chen@example.org", password=PASSWORD)
    assert not Client().login(username="carol@example.org", password=PASSWORD)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("alice@example.org", "A patient of this clinic already has this email: Alice Archer."),
        ("ALICE@example.org", "A patient of this clinic already has this email: Alice Archer."),
        ("zed@@bad", "Enter an email address, like name@clinic.org."),
        ("", "An email address is needed"),
        ("x" * 300 + "@example.org", "Ensure this value has at most 254 characters"),
    ],
)
def test_a_wrong_address_is_explained_and_nothing_changes(
    as_user, dana, carol, alice, email, message
):
    response = as_user(dana).post(
        f"/clinic/staff/{carol.pk}/", form_of(carol, email=email, last_name="Typed")
    )
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'id="id_email_error">([^<]*)<', html)
    assert error is not None
    assert message in error.group(1)
    assert 'value="Typed"' in html
    carol.refresh_from_db()
    assert (carol.email, carol.last_name) == ("carol@example.org", "Chen")
