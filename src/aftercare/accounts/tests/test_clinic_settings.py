"""The clinic admin sets the clinic's details and the crisis numbers its patients are shown."""

import pytest

from aftercare.accounts.models import Clinic
from aftercare.audit.models import AuditEvent

URL = "/clinic/settings/"
UK = {
    "name": "Riverside Ketamine Clinic",
    "phone": "+44 20 7946 0000",
    "timezone": "Europe/London",
    "crisis_line_name": "Samaritans",
    "crisis_line_phone": "116 123",
    "crisis_line_text": "",
    "emergency_number": "999",
}


def test_the_admin_sets_the_crisis_lines_and_patients_see_them(as_user, dana, alice, riverside):
    response = as_user(dana).post(URL, UK, follow=True)
    assert "Saved. 6 settings changed." in response.content.decode()
    riverside.refresh_from_db()
    assert (riverside.crisis_line_phone, riverside.emergency_number) == ("116 123", "999")
    assert riverside.timezone == "Europe/London"
    events = AuditEvent.objects.filter(what__startswith="clinic setting: ")
    assert {(e.actor, e.action) for e in events} == {(dana, "update")}
    assert sorted(e.what.removeprefix("clinic setting: ") for e in events) == [
        "crisis_line_name",
        "crisis_line_phone",
        "crisis_line_text",
        "emergency_number",
        "phone",
        "timezone",
    ]
    # The patient's crisis screen now offers the clinic's own lines, and no text line.
    screen = as_user(alice.user).post("/me/check-in/", {"mood": "2", "suicidal_thoughts": "yes"})
    html = screen.content.decode()
    assert 'href="tel:116 123"' in html
    assert "Samaritans" in html
    assert "Call 999 (emergency)" in html
    assert "sms:" not in html
    assert "988" not in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"crisis_line_phone": ""}, "crisis_line_phone", "A number is needed here."),
        ({"crisis_line_phone": "call us"}, "crisis_line_phone", "Use digits, spaces, + and -"),
        ({"emergency_number": "9" * 21}, "emergency_number", "under 20 characters"),
        ({"crisis_line_text": "<script>"}, "crisis_line_text", "Use digits, spaces, + and -"),
        ({"timezone": "Mars/Olympus"}, "timezone", "Select a valid choice"),
        ({"name": ""}, "name", "The clinic needs a name."),
        ({"crisis_line_name": "x" * 5000}, "crisis_line_name", "at most 100 characters"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_kept(
    as_user, dana, riverside, change, field, message
):
    data = {**UK, **change}
    response = as_user(dana).post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert 'value="Samaritans"' in html or field == "crisis_line_name"  # nothing typed is lost
    riverside.refresh_from_db()
    assert riverside.crisis_line_phone == "988"  # nothing saved


def test_clinicians_read_but_cannot_change_them(as_user, carol, riverside):
    client = as_user(carol)
    page = client.get(URL).content.decode()
    assert "Only a clinic admin can change these." in page
    assert 'value="988"' in page
    assert "disabled" in page
    assert client.post(URL, UK).status_code == 404
    assert Clinic.objects.get(pk=riverside.pk).crisis_line_phone == "988"


def test_the_page_leads_to_every_other_setting(as_user, dana):
    page = as_user(dana).get(URL).content.decode()
    for url in (
        "/clinic/settings/monitoring/",
        "/clinic/safety-settings/",
        "/clinic/scale-schedule/",
        "/clinic/settings/sign-in/",
        "/clinic/library/",
        "/clinic/audit/",
    ):
        assert f'href="{url}"' in page, url
    # It is one link away from any staff page.
    assert f'href="{URL}"' in as_user(dana).get("/clinic/alerts/").content.decode()
