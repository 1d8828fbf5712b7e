"""Contact details: the numbers whoever follows up on a warning sign needs to call."""

import html
import io
import json
import re
import zipfile

import pytest

from aftercare.accounts.models import Patient, tel_href
from aftercare.audit.models import AuditEvent
from aftercare.lifecycle.erasure import erase_patient
from aftercare.lifecycle.export import patient_zip
from aftercare.safety.actions import raise_alerts
from aftercare.safety.rules import Finding, Severity

FULL = {"phone": "+1 (503) 555-0142", "support_name": "Sam Archer", "support_phone": "503 555 0199"}


def _error(response, field: str) -> str:
    found = re.search(rf'id="id_{field}_error">([^<]*)<', response.content.decode())
    assert found is not None, f"no error beside {field}"
    return html.unescape(found.group(1))


def _audited(patient: Patient) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(patient_id=patient.pk, what__startswith="contact details")
        .order_by("at", "pk")
        .values_list("action", "what")
    )


def test_staff_add_contact_details_that_show_as_numbers_to_call(as_user, carol, alice):
    client = as_user(carol)
    record = client.get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert "No phone number on record." in record
    response = client.post(f"/clinic/patients/{alice.pk}/contact/", FULL, follow=True)
    page = response.content.decode()
    assert "Contact details saved." in page
    assert '<a href="tel:+15035550142">+1 (503) 555-0142</a>' in page
    assert 'Sam Archer, <a href="tel:5035550199">503 555 0199</a>' in page
    alice.refresh_from_db()
    assert (alice.phone, alice.support_name, alice.support_phone) == tuple(FULL.values())
    assert _audited(alice) == [("update", "contact details: phone, support_name, support_phone")]


def test_the_patient_keeps_their_own_number_current(as_user, alice, carol):
    client = as_user(alice.user)
    form = client.get("/me/contact/").content.decode()
    assert "Your phone" in form
    response = client.post("/me/contact/", {**FULL, "support_name": "", "support_phone": ""})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.phone == "+1 (503) 555-0142"
    assert ("view", "contact details") in _audited(alice)
    assert ("update", "contact details: phone") in _audited(alice)
    staff_view = as_user(carol).get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert "tel:+15035550142" in staff_view


def test_saving_the_same_details_again_changes_nothing(as_user, alice):
    client = as_user(alice.user)
    client.post("/me/contact/", FULL)
    response = client.post("/me/contact/", FULL, follow=True)
    assert "Nothing changed." in response.content.decode()
    assert [a for a in _audited(alice) if a[0] == "update"] == [
        ("update", "contact details: phone, support_name, support_phone")
    ]


def test_clearing_the_fields_removes_the_numbers(as_user, carol, alice):
    Patient.objects.filter(pk=alice.pk).update(**FULL)
    empty = {"phone": "", "support_name": "", "support_phone": ""}
    as_user(carol).post(f"/clinic/patients/{alice.pk}/contact/", empty)
    alice.refresh_from_db()
    assert (alice.phone, alice.support_name, alice.support_phone) == ("", "", "")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "call me maybe"}, "phone", "Enter a phone number"),
        ({"phone": "12"}, "phone", "Enter a phone number"),
        ({"phone": "1" * 41}, "phone", "under 40 characters"),
        ({"phone": "+1 503 555 0142 <script>"}, "phone", "Enter a phone number"),
        ({"support_phone": "0800-FLOWERS"}, "support_phone", "Enter a phone number"),
        ({"support_name": ""}, "support_name", "Add the name of the person at this number."),
        ({"support_phone": ""}, "support_phone", "Add a number the clinic can call them on."),
        ({"support_name": "S" * 151}, "support_name", "under 150 characters"),
    ],
)
def test_bad_details_are_explained_beside_the_field_and_kept(
    as_user, carol, alice, changes, field, message
):
    typed = {**FULL, **changes}
    response = as_user(carol).post(f"/clinic/patients/{alice.pk}/contact/", typed)
    assert response.status_code == 400
    assert message in _error(response, field)
    page = response.content.decode()
    for name, value in typed.items():
        if value and len(value) < 40 and name != field:
            assert f'value="{html.escape(value)}"' in page
    alice.refresh_from_db()
    assert (alice.phone, alice.support_name) == ("", "")
    assert not [a for a in _audited(alice) if a[0] == "update"]


def test_a_list_in_place_of_a_phone_is_refused_without_error(as_user, alice):
    response = as_user(alice.user).post("/me/contact/", {"phone": ["1", "2"], "support_name": ""})
    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.phone == ""


def test_the_alert_page_gives_the_numbers_to_call(as_user, carol, alice):
    (alert,) = raise_alerts(
        patient=alice,
        findings=[Finding("patient_concern", Severity.URGENT, {"x": 1}, "urgent finding")],
        source_kind="concern",
    )
    page = as_user(carol).get(f"/clinic/alerts/{alert.pk}/").content.decode()
    assert "No phone number on record" in page
    assert f'href="/clinic/patients/{alice.pk}/contact/"' in page
    Patient.objects.filter(pk=alice.pk).update(**FULL)
    page = as_user(carol).get(f"/clinic/alerts/{alert.pk}/").content.decode()
    assert '<a href="tel:+15035550142">+1 (503) 555-0142</a>' in page
    assert 'Support person: Sam Archer, <a href="tel:5035550199">' in page


def test_an_invitation_can_carry_the_phone_number(as_user, carol):
    new = {
        "first_name": "Nora",
        "last_name": "North",
        "email": "nora@example.org",
        "timezone": "UTC",
        "phone": "  503  555 0100 ",
    }
    as_user(carol).post("/clinic/patients/invite/", new)
    assert Patient.objects.get(user__email="nora@example.org").phone == "503 555 0100"
    response = as_user(carol).post(
        "/clinic/patients/invite/", {**new, "email": "nell@example.org", "phone": "ring ring"}
    )
    assert response.status_code == 400
    assert "Enter a phone number" in _error(response, "phone")
    assert not Patient.objects.filter(user__email="nell@example.org").exists()


@pytest.mark.parametrize(
    ("typed", "href"),
    [("+44 20 7946 0958", "tel:+442079460958"), ("(503) 555-0142", "tel:5035550142"), ("", "tel:")],
)
def test_a_number_is_dialled_as_its_digits(typed, href):
    assert tel_href(typed) == href


def test_the_numbers_leave_with_an_export_and_go_with_an_erasure(alice, dana):
    Patient.objects.filter(pk=alice.pk).update(**FULL)
    alice.refresh_from_db()
    profile = json.loads(zipfile.ZipFile(io.BytesIO(patient_zip(alice))).read("profile.json"))
    assert profile["phone"] == "+1 (503) 555-0142"
    assert profile["support_person"] == {"name": "Sam Archer", "phone": "503 555 0199"}

    erase_patient(patient=alice, by=dana)
    alice.refresh_from_db()
    assert (alice.phone, alice.support_name, alice.support_phone) == ("", "", "")
