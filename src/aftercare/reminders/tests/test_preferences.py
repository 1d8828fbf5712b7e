import re

import pytest
import time_machine

from aftercare.audit.models import AuditEvent
from aftercare.reminders.models import ReminderPreference

VALID = {
    "enabled": "yes",
    "time_of_day": "20:15",
    "weekdays": ["0", "2", "4"],
    "quiet_start": "21:30",
    "quiet_end": "07:00",
    "channel": "email",
}


@pytest.fixture
def monday():
    # 10:00 on Monday 4 May 2026 in Los Angeles.
    with time_machine.travel("2026-05-04 17:00Z", tick=False):
        yield


def error_for(html: str, field: str) -> str | None:
    match = re.search(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', html)
    return match.group(1) if match else None


def test_it_starts_with_a_daily_reminder_at_19_00(as_user, alice, monday):
    response = as_user(alice.user).get("/me/reminders/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="19:00"' in html
    assert 'value="22:00"' in html
    assert 'value="08:00"' in html
    assert html.count('name="weekdays"') == 7
    assert len(re.findall(r'name="weekdays" value="\d"[^>]*checked', html)) == 7
    assert "America/Los_Angeles" in html
    # The next reminders, in Alice's own time.
    assert "Monday 4 May, 19:00" in html
    preference = ReminderPreference.objects.get(patient=alice)
    assert (preference.enabled, preference.weekdays) == (True, "0123456")


def test_alice_changes_her_reminder(as_user, alice, monday):
    response = as_user(alice.user).post("/me/reminders/", VALID)
    assert response.status_code == 302
    assert response.url == "/me/reminders/"
    preference = ReminderPreference.objects.get(patient=alice)
    assert f"{preference.time_of_day:%H:%M}" == "20:15"
    assert (f"{preference.quiet_start:%H:%M}", f"{preference.quiet_end:%H:%M}") == (
        "21:30",
        "07:00",
    )
    assert preference.weekdays == "024"
    event = AuditEvent.objects.get(patient=alice, what="reminder preferences")
    assert (event.actor, event.action) == (alice.user, "update")
    page = as_user(alice.user).get("/me/reminders/").content.decode()
    upcoming = page.split('id="upcoming-title"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<li>([^<]*)</li>", upcoming) == [
        "Monday 4 May, 20:15",
        "Wednesday 6 May, 20:15",
        "Friday 8 May, 20:15",
    ]


def test_a_time_inside_quiet_hours_is_explained(as_user, alice, monday):
    as_user(alice.user).post("/me/reminders/", {**VALID, "time_of_day": "23:00"})
    page = as_user(alice.user).get("/me/reminders/").content.decode()
    assert "arrives at 07:00 the next morning" in page


def test_no_quiet_hours(as_user, alice, monday):
    data = {**VALID, "quiet_start": "", "quiet_end": ""}
    assert as_user(alice.user).post("/me/reminders/", data).status_code == 302
    preference = ReminderPreference.objects.get(patient=alice)
    assert preference.quiet_start is None
    assert preference.quiet_end is None


def test_turning_reminders_off_keeps_the_chosen_days_and_time(as_user, alice, monday):
    as_user(alice.user).post("/me/reminders/", VALID)
    data = {**VALID, "enabled": "no", "weekdays": [], "time_of_day": ""}
    assert as_user(alice.user).post("/me/reminders/", data).status_code == 302
    preference = ReminderPreference.objects.get(patient=alice)
    assert (preference.enabled, preference.weekdays) == (False, "024")
    assert preference.time_of_day.strftime("%H:%M") == VALID["time_of_day"]
    assert "Reminders are off." in as_user(alice.user).get("/me/reminders/").content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_of_day", "25:99", "Enter a time like 19:00."),
        ("time_of_day", "", "Enter a time like 19:00."),
        ("time_of_day", "seven", "Enter a time like 19:00."),
        ("time_of_day", "9" * 5000, "Enter a time like 19:00."),
        ("quiet_start", "-1:00", "Enter a time like 19:00."),
        ("quiet_end", "", "Enter both times, or leave both empty for no quiet hours."),
        ("weekdays", [], "Choose at least one day, or turn reminders off."),
        ("weekdays", ["9"], "Choose days from the list."),
        ("weekdays", ["Monday"], "Choose days from the list."),
        ("enabled", "maybe", "Choose on or off."),
        ("enabled", "", "Choose on or off."),
        ("channel", "sms", "Choose how to receive reminders."),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_is_lost(
    as_user, alice, monday, field, value, message
):
    response = as_user(alice.user).post("/me/reminders/", {**VALID, field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert error_for(html, field) == message
    # What Alice typed elsewhere is still there.
    if field != "time_of_day":
        assert 'value="20:15"' in html
    if field != "weekdays":
        assert re.search(r'name="weekdays" value="2"[^>]*checked', html)
    assert not ReminderPreference.objects.filter(weekdays="024").exists()


def test_bob_sees_his_own_settings_not_alices(as_user, alice, bob, monday):
    as_user(alice.user).post("/me/reminders/", VALID)
    html = as_user(bob.user).get("/me/reminders/").content.decode()
    assert 'value="19:00"' in html
    assert 'value="20:15"' not in html
    assert "America/New_York" in html


def test_staff_get_404_and_strangers_go_to_login(as_user, carol, eve, dana, client, alice):
    for user in (carol, eve, dana):
        assert as_user(user).get("/me/reminders/").status_code == 404
        assert as_user(user).post("/me/reminders/", VALID).status_code == 404
    response = client.get("/me/reminders/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert client.post("/me/reminders/", VALID).status_code == 302
    assert not ReminderPreference.objects.exists()


def test_a_day_already_checked_in_lists_no_reminder(as_user, alice, monday):
    from aftercare.tracking.actions import submit_check_in

    submit_check_in(patient=alice, answers={"mood": 6})  # Monday morning
    html = as_user(alice.user).get("/me/reminders/").content.decode()
    assert "Monday 4 May, 19:00" not in html
    assert "Tuesday 5 May, 19:00" in html
