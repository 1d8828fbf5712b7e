"""Calendar feeds: a clinician's sessions by secret address, and both feeds' exact output.

UIDs come from database ids, so a moved session keeps its event and a refetch updates instead of
duplicating; the golden files replace the ids with names (ids differ between test runs).
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar

from aftercare.audit.models import AuditEvent
from aftercare.reminders.actions import calendar_feed_for
from aftercare.reports.clinician_calendar import feed_of
from aftercare.reports.models import ClinicianCalendarFeed
from aftercare.reports.tests.golden import assert_golden
from aftercare.treatment.actions import cancel_appointment, move_appointment, schedule_course

NOW = datetime(2026, 5, 4, 17, 0, tzinfo=UTC)  # 13:00 in New York, 10:00 in Los Angeles


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def sessions(frozen, alice, bob, carol):
    """Alice (Carol's patient): three sessions, the second moved, the third cancelled.
    Bob (no clinician): one session."""
    times = [NOW + timedelta(days=d, hours=-2) for d in (2, 4, 7)]
    course = schedule_course(patient=alice, by=carol, kind="induction", times=times, route="iv")
    first, second, third = course.infusions.order_by("scheduled_at")
    move_appointment(infusion=second, to=second.scheduled_at + timedelta(days=1, hours=1), by=carol)
    cancel_appointment(infusion=third, by=carol, reason="Unwell")
    bobs = schedule_course(patient=bob, by=carol, kind="induction", times=[NOW + timedelta(days=3)],
                           route="intranasal").infusions.get()  # fmt: skip
    return {"first": first, "second": second, "third": third, "bob": bobs}


def feed_path(user) -> str:
    return f"/ical/sessions/{feed_of(user).token}.ics"


def normalised(body: bytes, names: dict) -> str:
    """The feed with folded lines joined (RFC 5545 §3.1) and ids replaced by names."""
    text = body.decode().replace("\r\n ", "")
    for original, name in names.items():
        text = text.replace(original, name)
    return text


def uids(body: bytes) -> dict[str, tuple]:
    calendar = Calendar.from_ical(body)
    return {
        str(e["uid"]): (e.decoded("dtstart"), int(e.get("sequence", 0)), str(e.get("status", "")))
        for e in calendar.walk("VEVENT")
    }


def test_the_clinicians_feed_matches_the_golden_file(client, sessions, carol):
    response = client.get(feed_path(carol))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    names = {f"session-{s.pk}@": f"session-{n}@" for n, s in sessions.items()}
    names |= {f"/clinic/sessions/{s.pk}/": f"/clinic/sessions/{n}/" for n, s in sessions.items()}
    assert_golden("clinician-sessions.ics", normalised(response.content, names))


def test_the_patients_feed_matches_the_golden_file(client, sessions, alice):
    response = client.get(f"/ical/{calendar_feed_for(alice).token}.ics")
    assert response.status_code == 200
    names = {f"infusion-{s.pk}@": f"infusion-{n}@" for n, s in sessions.items()}
    names[str(alice.pk)] = "ALICE"
    assert_golden("patient.ics", normalised(response.content, names))


def test_a_moved_session_keeps_its_uid_and_a_cancelled_one_is_marked(
    client, frozen, sessions, carol
):
    before = uids(client.get(feed_path(carol)).content)
    second = sessions["second"]
    second.refresh_from_db()
    move_appointment(infusion=second, to=second.scheduled_at + timedelta(hours=3), by=carol)
    frozen.shift(timedelta(hours=1))
    after = uids(client.get(feed_path(carol)).content)
    assert before.keys() == after.keys()  # updated in place, never duplicated
    uid = f"session-{second.pk}@aftercare"
    assert after[uid][0] - before[uid][0] == timedelta(hours=3)
    assert (before[uid][1], after[uid][1]) == (1, 2)  # SEQUENCE goes up with each change
    assert after[f"session-{sessions['third'].pk}@aftercare"][2] == "CANCELLED"
    assert after[f"session-{sessions['first'].pk}@aftercare"][2] == "CONFIRMED"


def test_mine_lists_assigned_patients_and_clinic_lists_all(client, sessions, carol, dana):
    mine = uids(client.get(feed_path(carol)).content)
    assert f"session-{sessions['bob'].pk}@aftercare" not in mine
    assert len(mine) == 3
    ClinicianCalendarFeed.objects.filter(user=dana).delete()
    feed = feed_of(dana)
    feed.scope = ClinicianCalendarFeed.Scope.CLINIC
    feed.save()
    everything = uids(client.get(feed_path(dana)).content)
    assert len(everything) == 4


def test_events_name_patients_by_initials_only(client, sessions, carol):
    body = client.get(feed_path(carol)).content.decode()
    assert "SUMMARY:Session: A.A. (IV infusion)" in body
    for identifier in ("Alice", "Archer", "alice@"):
        assert identifier not in body


def test_every_fetch_is_audited_and_a_wrong_token_is_404(client, sessions, carol):
    client.get(feed_path(carol))
    assert AuditEvent.objects.filter(what="session calendar feed", actor=None).count() == 1
    assert client.get("/ical/sessions/not-a-token.ics").status_code == 404
    assert client.post(feed_path(carol)).status_code == 405


def test_a_deactivated_clinicians_feed_is_404(client, sessions, carol):
    path = feed_path(carol)
    carol.is_active = False
    carol.save()
    assert client.get(path).status_code == 404


def test_the_exports_page_sets_the_scope_and_renews_the_address(as_user, sessions, carol, client):
    staff = as_user(carol)
    page = staff.get("/clinic/exports/").content.decode()
    old = feed_of(carol).token
    assert old in page
    response = staff.post("/clinic/exports/", {"action": "scope", "scope": "everything"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    staff.post("/clinic/exports/", {"action": "scope", "scope": "clinic"})
    assert feed_of(carol).scope == "clinic"
    staff.post("/clinic/exports/", {"action": "renew"})
    assert client.get(f"/ical/sessions/{old}.ics").status_code == 404
    assert client.get(feed_path(carol)).status_code == 200
