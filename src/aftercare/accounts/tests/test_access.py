"""Who may open what. Built from the URL conf, so a new view without an entry fails here.

Eve (another clinic) and Bob (another patient) must get 404 for anything of Alice's;
patients get 404 for staff pages and staff for patient pages; anonymous users go to login.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accept_invitation",
    "healthz",
    "home",
    "logout",
}

# name -> (method, path template). {alice} is Alice's patient id.
ALICE_PAGES = {
    "patient_detail": ("get", "/clinic/patients/{alice}/"),
    "resend_invitation": ("post", "/clinic/patients/{alice}/invitation/"),
    "new_infusion": ("get", "/clinic/patients/{alice}/infusions/new/"),
}
STAFF_PAGES = {
    "patient_list": ("get", "/clinic/patients/"),
    "invite_patient": ("get", "/clinic/patients/invite/"),
}
PATIENT_PAGES = {
    "patient_home": ("get", "/me/"),
    "recovery_timeline": ("get", "/me/recovery/"),
    "check_in": ("post", "/me/check-in/"),
}


def url_names(resolver=None) -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            names |= url_names(pattern)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_view_has_an_access_rule():
    covered = PUBLIC | ALICE_PAGES.keys() | STAFF_PAGES.keys() | PATIENT_PAGES.keys()
    assert url_names() - covered == set()


def call(client, spec, alice):
    method, template = spec
    return getattr(client, method)(template.format(alice=alice.pk))


@pytest.mark.parametrize("name", sorted(ALICE_PAGES))
def test_alices_pages_are_hidden_from_others(name, as_user, alice, bob, eve, carol, dana, client):
    spec = ALICE_PAGES[name]
    assert call(as_user(eve), spec, alice).status_code == 404
    assert call(as_user(bob.user), spec, alice).status_code == 404
    assert call(as_user(alice.user), spec, alice).status_code == 404
    assert call(client, spec, alice).status_code == 302
    assert call(as_user(carol), spec, alice).status_code in (200, 302)
    assert call(as_user(dana), spec, alice).status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_staff_pages_are_for_staff(name, as_user, alice, eve, carol, client):
    spec = STAFF_PAGES[name]
    assert call(as_user(alice.user), spec, alice).status_code == 404
    assert call(client, spec, alice).status_code == 302
    assert call(as_user(carol), spec, alice).status_code == 200
    assert call(as_user(eve), spec, alice).status_code == 200


@pytest.mark.parametrize("name", sorted(PATIENT_PAGES))
def test_patient_pages_are_for_patients(name, as_user, alice, carol, client):
    spec = PATIENT_PAGES[name]
    assert call(as_user(carol), spec, alice).status_code == 404
    assert call(client, spec, alice).status_code == 302
    assert call(as_user(alice.user), spec, alice).status_code in (200, 400)


def test_the_patient_list_shows_only_the_clinics_own_patients(as_user, alice, bob, eve, lakeside):
    from aftercare.accounts.actions import create_patient

    create_patient(
        clinic=lakeside,
        email="lena@example.org",
        first_name="Lena",
        last_name="Lake",
        timezone="America/Chicago",
    )
    riverside_list = as_user(alice.clinician).get("/clinic/patients/").content.decode()
    lakeside_list = as_user(eve).get("/clinic/patients/").content.decode()
    assert "Archer" in riverside_list
    assert "Baker" in riverside_list
    assert "Lake" not in riverside_list
    assert "Lake" in lakeside_list
    assert "Archer" not in lakeside_list


def test_the_patient_list_uses_a_constant_number_of_queries(
    as_user, carol, riverside, django_assert_max_num_queries
):
    from aftercare.accounts.actions import create_patient

    for i in range(30):
        create_patient(
            clinic=riverside,
            email=f"p{i}@example.org",
            first_name="P",
            last_name=f"Number{i}",
            timezone="America/New_York",
        )
    client = as_user(carol)
    with django_assert_max_num_queries(6):
        response = client.get("/clinic/patients/")
    assert response.content.decode().count("Number") == 30


def test_reading_a_patient_record_is_audited(as_user, alice, carol):
    from aftercare.audit.models import AuditEvent

    as_user(carol).get(f"/clinic/patients/{alice.pk}/")
    event = AuditEvent.objects.get(patient=alice, what="patient record")
    assert (event.actor, event.action, event.ip_address) == (carol, "view", "127.0.0.1")
