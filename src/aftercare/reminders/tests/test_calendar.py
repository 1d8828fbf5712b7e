import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from aftercare.audit.models import AuditEvent
from aftercare.reminders.actions import calendar_feed_for
from aftercare.treatment.models import Infusion

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def monday():
    # 10:00 on Monday 4 May 2026 in Los Angeles.
    with time_machine.travel("2026-05-04 17:00Z", tick=False) as traveller:
        yield traveller


def infusion(patient, when: datetime, status=Infusion.Status.SCHEDULED) -> Infusion:
    return Infusion.objects.create(patient=patient, status=status, scheduled_at=when)


def feed_path(patient) -> str:
    return f"/ical/{calendar_feed_for(patient).token}.ics"


def fetch(client, path: str) -> Calendar:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, datetime]:
    return {str(e["uid"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}


def test_the_feed_has_upcoming_infusions_and_two_weeks_of_reminders(client, alice, bob, monday):
    upcoming = infusion(alice, datetime(2026, 5, 6, 16, 0, tzinfo=UTC))
    infusion(alice, datetime(2026, 5, 1, 16, 0, tzinfo=UTC), Infusion.Status.COMPLETED)
    cancelled = infusion(alice, datetime(2026, 5, 8, 16, 0, tzinfo=UTC), Infusion.Status.CANCELLED)
    infusion(bob, datetime(2026, 5, 7, 16, 0, tzinfo=UTC))
    calendar = fetch(client, feed_path(alice))
    found = events(calendar)
    appointment = found.pop(f"infusion-{upcoming.pk}@aftercare")
    # A cancelled appointment stays, marked cancelled, so calendar apps remove it.
    found.pop(f"infusion-{cancelled.pk}@aftercare")
    statuses = {str(e["uid"]): str(e.get("status", "")) for e in calendar.walk("VEVENT")}
    assert statuses[f"infusion-{cancelled.pk}@aftercare"] == "CANCELLED"
    assert statuses[f"infusion-{upcoming.pk}@aftercare"] == ""
    # 16:00 UTC is 09:00 in Los Angeles; the event carries Alice's zone.
    assert appointment.tzinfo.key == "America/Los_Angeles"
    assert (appointment.hour, appointment.minute) == (9, 0)
    assert len(found) == 14
    for uid, start in found.items():
        assert uid.startswith(f"check-in-{alice.pk}-")
        assert str(start.tzinfo) == "America/Los_Angeles"
        assert (start.hour, start.minute) == (19, 0)
    assert f"check-in-{alice.pk}-20260504@aftercare" in found


def test_titles_are_discreet(client, alice, monday):
    infusion(alice, datetime(2026, 5, 6, 16, 0, tzinfo=UTC))
    body = client.get(feed_path(alice)).content.decode()
    assert "SUMMARY:Clinic appointment" in body
    assert "SUMMARY:Daily check-in" in body
    assert "etamine" not in body
    assert "BEGIN:VTIMEZONE" in body


def test_uids_are_stable_so_calendars_update_instead_of_duplicating(client, alice, monday):
    infusion(alice, datetime(2026, 5, 6, 16, 0, tzinfo=UTC))
    path = feed_path(alice)
    first = events(fetch(client, path))
    assert first == events(fetch(client, path))
    monday.shift(timedelta(days=1))
    later = events(fetch(client, path))
    shared = first.keys() & later.keys()
    assert len(shared) == 14  # 13 reminder days and the appointment
    assert all(first[uid] == later[uid] for uid in shared)


def test_reminder_events_follow_the_local_clock_across_daylight_saving(client, bob):
    with time_machine.travel("2026-03-05 12:00Z", tick=False):
        found = events(fetch(client, feed_path(bob)))
    before = found[f"check-in-{bob.pk}-20260307@aftercare"]
    after = found[f"check-in-{bob.pk}-20260308@aftercare"]
    assert (before.hour, after.hour) == (19, 19)
    assert before.astimezone(UTC).hour == 0  # EST
    assert after.astimezone(UTC).hour == 23  # EDT


def test_the_feed_follows_the_reminder_settings(as_user, client, alice, monday):
    as_user(alice.user).post(
        "/me/reminders/",
        {
            "enabled": "yes",
            "time_of_day": "08:30",
            "weekdays": ["0"],
            "quiet_start": "",
            "quiet_end": "",
            "channel": "email",
        },
    )
    found = events(fetch(client, feed_path(alice)))
    assert sorted(f"{s:%a %H:%M}" for s in found.values()) == ["Mon 08:30"] * 3


def test_every_fetch_is_audited(client, alice, monday):
    path = feed_path(alice)
    client.get(path)
    client.get(path)
    fetches = AuditEvent.objects.filter(patient=alice, what="calendar feed")
    assert fetches.count() == 2
    assert all(e.actor is None and e.action == "view" for e in fetches)


def test_the_calendar_page_shows_the_private_address(as_user, alice, monday):
    response = as_user(alice.user).get("/me/calendar/")
    assert response.status_code == 200
    html = response.content.decode()
    token = calendar_feed_for(alice).token
    assert f"http://127.0.0.1:8000/ical/{token}.ics" in html
    assert f"webcal://127.0.0.1:8000/ical/{token}.ics" in html


def test_a_new_address_revokes_the_old_one(as_user, client, alice, monday):
    old = feed_path(alice)
    assert client.get(old).status_code == 200
    response = as_user(alice.user).post("/me/calendar/")
    assert response.status_code == 302
    assert client.get(old).status_code == 404
    new = feed_path(alice)
    assert new != old
    assert client.get(new).status_code == 200
    assert re.search(re.escape(new), as_user(alice.user).get("/me/calendar/").content.decode())
    assert AuditEvent.objects.filter(patient=alice, what="calendar link", action="update").exists()


@pytest.mark.parametrize("token", ["wrong", "x" * 3000, "", "..%2F..%2Fetc"])
def test_a_wrong_token_is_404(client, alice, token):
    calendar_feed_for(alice)
    assert client.get(f"/ical/{token}.ics").status_code == 404


def test_a_deactivated_patients_feed_is_404(client, alice):
    path = feed_path(alice)
    alice.user.is_active = False
    alice.user.save()
    assert client.get(path).status_code == 404


def test_the_feed_accepts_only_get(client, alice):
    assert client.post(feed_path(alice)).status_code == 405


def test_staff_get_404_and_strangers_go_to_login(as_user, carol, eve, client, alice):
    for user in (carol, eve):
        assert as_user(user).get("/me/calendar/").status_code == 404
        assert as_user(user).post("/me/calendar/").status_code == 404
    assert client.get("/me/calendar/").url.startswith("/accounts/login/")
    assert client.post("/me/calendar/").url.startswith("/accounts/login/")


def test_bob_gets_his_own_address(as_user, alice, bob):
    alice_token = calendar_feed_for(alice).token
    html = as_user(bob.user).get("/me/calendar/").content.decode()
    assert alice_token not in html
    assert calendar_feed_for(bob).token in html
