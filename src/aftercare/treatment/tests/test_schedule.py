"""Planning a course, the appointment book by local day, moving, cancelling and no-shows."""

import re
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import utc
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.actions import create_patient
from aftercare.audit.models import AuditEvent
from aftercare.guidance.companion import companion_for
from aftercare.treatment import actions
from aftercare.treatment.models import Course, Infusion, ScheduleChange
from aftercare.treatment.schedule import propose_boosters, propose_series
from aftercare.treatment.tests.records import book, run_until_end

NEW_YORK = ZoneInfo("America/New_York")
# Friday 27 February 2026, 15:00 UTC (10:00 in New York).
NOW = "2026-02-27 15:00Z"


@pytest.fixture
def friday():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_default_series_is_six_on_monday_wednesday_friday_at_local_time():
    times = propose_series(
        first_day=date(2026, 3, 2), at=time(10, 0), count=6, weekdays=(0, 2, 4), tz=NEW_YORK
    )
    local = [t.astimezone(NEW_YORK) for t in times]
    assert [t.strftime("%a %d %H:%M") for t in local] == [
        "Mon 02 10:00",
        "Wed 04 10:00",
        "Fri 06 10:00",
        "Mon 09 10:00",
        "Wed 11 10:00",
        "Fri 13 10:00",
    ]
    # The clocks change on 8 March: 10:00 stays 10:00, so UTC moves from 15:00 to 14:00.
    assert times[0] == utc(2026, 3, 2, 15)
    assert times[3] == utc(2026, 3, 9, 14)
    assert (local[-1].date() - local[0].date()).days == 11  # within two weeks


def test_boosters_are_weeks_apart():
    times = propose_boosters(
        first_day=date(2026, 4, 6), at=time(9, 30), count=3, every_weeks=4, tz=NEW_YORK
    )
    assert [t.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M") for t in times] == [
        "2026-04-06 09:30",
        "2026-05-04 09:30",
        "2026-06-01 09:30",
    ]


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [({"weekdays": ()}, "weekdays"), ({"weekdays": (7,)}, "weekdays"), ({"count": 0}, "count")],
)
def test_a_series_needs_sensible_parameters(kwargs, problem):
    args = {"first_day": date(2026, 3, 2), "at": time(10), "count": 6, "weekdays": (0,)}
    with pytest.raises(ValueError, match=problem):
        propose_series(**{**args, **kwargs}, tz=NEW_YORK)


PLAN = {
    "kind": "induction",
    "route": "iv",
    "first_day": "2026-03-02",
    "at": "10:00",
    "count": "6",
    "weekdays": ["0", "2", "4"],
    "every_weeks": "4",
}


def rows_from(html: str) -> dict[str, str]:
    values = re.findall(r'name="rows-(\d+)-scheduled_at" value="([^"]+)"', html)
    data = {f"rows-{n}-scheduled_at": v for n, v in values}
    data |= {f"rows-{n}-keep": "on" for n, _ in values}
    data |= {"rows-TOTAL_FORMS": str(len(values)), "rows-INITIAL_FORMS": str(len(values))}
    return data


def test_staff_propose_edit_and_book_an_induction_series(as_user, carol, alice, friday):
    client = as_user(carol)
    page = client.get(f"/clinic/patients/{alice.pk}/courses/new/").content.decode()
    assert 'value="6"' in page
    assert 'value="2026-02-28"' in page
    proposal = client.post(
        f"/clinic/patients/{alice.pk}/courses/new/", {**PLAN, "action": "propose"}
    )
    assert proposal.status_code == 200
    rows = rows_from(proposal.content.decode())
    assert rows["rows-0-scheduled_at"] == "2026-03-02T10:00"
    assert rows["rows-5-scheduled_at"] == "2026-03-13T10:00"
    # Staff move the third one to Thursday afternoon and drop the last.
    rows["rows-2-scheduled_at"] = "2026-03-05T14:30"
    del rows["rows-5-keep"]
    response = client.post(
        f"/clinic/patients/{alice.pk}/courses/new/", {**PLAN, **rows, "action": "save"}
    )
    assert response.status_code == 302
    course = Course.objects.get(patient=alice)
    assert (course.kind, course.planned_infusions, str(course.started_on)) == (
        "induction",
        5,
        "2026-03-02",
    )
    times = list(course.infusions.values_list("scheduled_at", flat=True))
    assert times[2] == utc(2026, 3, 5, 19, 30)  # 14:30 in New York, before the clocks change
    assert times[3] == utc(2026, 3, 9, 14)  # 10:00 in New York, after
    assert set(course.infusions.values_list("status", flat=True)) == {"scheduled"}
    assert ScheduleChange.objects.filter(change="booked").count() == 5
    assert AuditEvent.objects.filter(patient=alice, what="treatment course").exists()
    # The patient's companion shows the first one as the next treatment.
    assert companion_for(alice, utc(2026, 2, 28)).next_infusion.scheduled_at == times[0]


def test_maintenance_boosters_are_planned_the_same_way(as_user, carol, alice, friday):
    client = as_user(carol)
    plan = {**PLAN, "kind": "maintenance", "count": "2", "every_weeks": "6", "weekdays": []}
    proposal = client.post(
        f"/clinic/patients/{alice.pk}/courses/new/", {**plan, "action": "propose"}
    )
    rows = rows_from(proposal.content.decode())
    assert [v for k, v in rows.items() if k.endswith("scheduled_at")] == [
        "2026-03-02T10:00",
        "2026-04-13T10:00",
    ]
    client.post(f"/clinic/patients/{alice.pk}/courses/new/", {**plan, **rows, "action": "save"})
    assert Course.objects.get().kind == "maintenance"
    page = client.get(f"/clinic/patients/{alice.pk}/schedule/").content.decode()
    assert "Maintenance 2 of 2" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"count": "0"}, "count", "from 1 to 50"),
        ({"count": "51"}, "count", "from 1 to 50"),
        ({"count": "six"}, "count", "from 1 to 50"),
        ({"first_day": "2026-02-01"}, "first_day", "Choose today or a later day."),
        ({"first_day": "2031-01-01"}, "first_day", "within the next two years"),
        ({"first_day": "soon"}, "first_day", "Enter a valid date."),
        ({"weekdays": []}, "weekdays", "Choose at least one weekday."),
        ({"weekdays": ["9"]}, "weekdays", "Select a valid choice."),
        ({"kind": "maintenance", "every_weeks": ""}, "every_weeks", "weeks between boosters"),
        ({"at": "25:00"}, "at", "Enter a valid time."),
    ],
)
def test_bad_plans_are_explained_and_kept(as_user, carol, alice, friday, changes, field, message):
    data = {**PLAN, **changes, "action": "propose"}
    response = as_user(carol).post(f"/clinic/patients/{alice.pk}/courses/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert 'value="10:00"' in html or field == "at"
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("row", "value", "message"),
    [
        (1, "2026-03-02T15:00", "Appointment 1 is on the same day."),
        (1, "2026-02-20T10:00", "This time has already passed."),
        (1, "next week", "Enter a valid date/time."),
        (1, "", "This field is required."),
    ],
)
def test_bad_appointment_times_are_explained_and_kept(
    as_user, carol, alice, friday, row, value, message
):
    client = as_user(carol)
    proposal = client.post(
        f"/clinic/patients/{alice.pk}/courses/new/", {**PLAN, "action": "propose"}
    )
    rows = rows_from(proposal.content.decode()) | {f"rows-{row}-scheduled_at": value}
    response = client.post(
        f"/clinic/patients/{alice.pk}/courses/new/", {**PLAN, **rows, "action": "save"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_rows-{row}-scheduled_at_error"' in html
    assert message in html
    assert 'value="2026-03-13T10:00"' in html  # the other rows stay as edited
    assert not Course.objects.exists()


def test_a_day_that_already_has_an_appointment_is_refused(as_user, carol, alice, friday):
    book(alice, carol, utc(2026, 3, 4, 20))  # Wednesday 4 March, 15:00 local
    client = as_user(carol)
    proposal = client.post(
        f"/clinic/patients/{alice.pk}/courses/new/", {**PLAN, "action": "propose"}
    )
    rows = rows_from(proposal.content.decode())
    response = client.post(
        f"/clinic/patients/{alice.pk}/courses/new/", {**PLAN, **rows, "action": "save"}
    )
    assert response.status_code == 400
    assert "The patient already has an appointment on this day." in response.content.decode()


def test_dropping_every_row_is_refused(as_user, carol, alice, friday):
    client = as_user(carol)
    proposal = client.post(
        f"/clinic/patients/{alice.pk}/courses/new/", {**PLAN, "action": "propose"}
    )
    rows = {k: v for k, v in rows_from(proposal.content.decode()).items() if not k.endswith("keep")}
    response = client.post(
        f"/clinic/patients/{alice.pk}/courses/new/", {**PLAN, **rows, "action": "save"}
    )
    assert response.status_code == 400
    assert "Keep at least one appointment." in response.content.decode()


def test_the_clinic_schedule_groups_by_clinic_day(as_user, carol, alice, bob, eve, friday):
    late = book(alice, carol, utc(2026, 3, 3, 4, 30))  # Monday 2 March, 23:30 in New York
    morning = book(bob, carol, utc(2026, 3, 2, 15))  # Monday 2 March, 10:00
    html = as_user(carol).get("/clinic/schedule/").content.decode()
    monday = html.index("Monday 2 March 2026")
    assert "Tuesday 3 March 2026" not in html
    assert html.index(f"/clinic/sessions/{morning.pk}/") > monday
    assert html.index(f"/clinic/sessions/{morning.pk}/") < html.index(
        f"/clinic/sessions/{late.pk}/"
    )
    assert "23:30" in html
    assert "Induction series 1 of 1" in html
    assert "Alice Archer" in html
    assert "Bob Baker" in html
    assert AuditEvent.objects.filter(patient=alice, what="clinic schedule").exists()
    # Lakeside's clinician sees none of it.
    other = as_user(eve).get("/clinic/schedule/").content.decode()
    assert "Archer" not in other
    assert "No appointments in this period." in other


def test_the_schedule_range_can_be_chosen(as_user, carol, alice, friday):
    book(alice, carol, utc(2026, 4, 20, 14))
    client = as_user(carol)
    assert "Monday 20 April 2026" not in client.get("/clinic/schedule/").content.decode()
    html = client.get("/clinic/schedule/?start=2026-04-15&days=7").content.decode()
    assert "Monday 20 April 2026" in html
    bad = client.get("/clinic/schedule/?start=yesterday&days=400")
    assert bad.status_code == 400
    assert "Enter a valid date." in bad.content.decode()
    assert "Enter a whole number from 1 to 62." in bad.content.decode()


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "2015-02-26", "2037-02-28"])
def test_a_start_date_far_from_today_is_explained_not_a_server_error(as_user, carol, friday, start):
    response = as_user(carol).get(f"/clinic/schedule/?start={start}&days=14")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_start_error"' in html
    assert "Choose a date within 10 years of today." in html
    assert f'value="{start}"' in html  # what was typed is kept
    assert "27 February to 12 March 2026" in html  # the usual two weeks from today instead


def test_a_start_date_ten_years_away_is_still_shown(as_user, carol, friday):
    client = as_user(carol)
    assert client.get("/clinic/schedule/?start=2016-02-27").status_code == 200
    later = client.get("/clinic/schedule/?start=2036-02-27&days=62")
    assert later.status_code == 200
    assert "27 February to 28 April 2036" in later.content.decode()


def test_moving_an_appointment_is_recorded(as_user, carol, alice, friday):
    infusion = book(alice, carol, utc(2026, 3, 2, 15))
    client = as_user(carol)
    page = client.get(f"/clinic/sessions/{infusion.pk}/move/").content.decode()
    assert 'value="2026-03-02T10:00"' in page  # clinic time
    response = client.post(
        f"/clinic/sessions/{infusion.pk}/move/",
        {"scheduled_at": "2026-03-03T11:00", "reason": "Patient asked"},
    )
    assert response.status_code == 302
    infusion.refresh_from_db()
    assert infusion.scheduled_at == utc(2026, 3, 3, 16)
    change = ScheduleChange.objects.get(change="moved")
    assert (change.from_at, change.to_at, change.reason, change.by) == (
        utc(2026, 3, 2, 15),
        utc(2026, 3, 3, 16),
        "Patient asked",
        carol,
    )
    assert AuditEvent.objects.filter(patient=alice, what="appointment moved").exists()
    html = client.get(f"/clinic/sessions/{infusion.pk}/").content.decode()
    assert "Moved → 3 Mar 2026, 11:00 · Patient asked" in html


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-26T10:00", "Choose a time in the future."),
        ("2029-01-01T10:00", "within the next two years"),
        ("tomorrow", "Enter a valid date/time."),
    ],
)
def test_bad_new_times_are_explained(as_user, carol, alice, friday, value, message):
    infusion = book(alice, carol, utc(2026, 3, 2, 15))
    response = as_user(carol).post(
        f"/clinic/sessions/{infusion.pk}/move/", {"scheduled_at": value, "reason": "Busy"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'value="Busy"' in response.content.decode()


def test_cancelling_needs_a_reason_and_frees_the_slot(as_user, carol, alice, friday):
    infusion = book(alice, carol, utc(2026, 3, 2, 15))
    client = as_user(carol)
    response = client.post(f"/clinic/sessions/{infusion.pk}/cancel/", {"reason": ""})
    assert response.status_code == 400
    assert "Give a reason for cancelling." in response.content.decode()
    client.post(f"/clinic/sessions/{infusion.pk}/cancel/", {"reason": "Flu"})
    infusion.refresh_from_db()
    assert (infusion.status, infusion.status_note) == ("cancelled", "Flu")
    assert AuditEvent.objects.filter(patient=alice, what="appointment cancelled").exists()
    assert companion_for(alice, utc(2026, 2, 28)).next_infusion is None
    # A cancelled appointment cannot be moved or started.
    response = client.post(
        f"/clinic/sessions/{infusion.pk}/arrival/", {"arrival-at": "2026-02-27T09:00"}, follow=True
    )
    assert "cannot be changed that way any more" in response.content.decode()


def test_a_no_show_only_after_the_appointment_time(as_user, carol, alice, friday):
    infusion = book(alice, carol, utc(2026, 2, 27, 16))  # 11:00 today, an hour from now
    client = as_user(carol)
    response = client.post(f"/clinic/sessions/{infusion.pk}/no-show/", follow=True)
    assert "only once the appointment time has passed" in response.content.decode()
    with time_machine.travel(utc(2026, 2, 27, 17), tick=False):
        client.post(f"/clinic/sessions/{infusion.pk}/no-show/", {"reason": "No answer by phone"})
    infusion.refresh_from_db()
    assert infusion.status == Infusion.Status.NO_SHOW
    assert AuditEvent.objects.filter(patient=alice, what="appointment no-show").exists()
    assert ScheduleChange.objects.filter(change="no_show", reason="No answer by phone").exists()


def test_an_appointment_under_way_cannot_be_moved(as_user, carol, alice, friday):
    infusion = book(alice, carol, utc(2026, 2, 27, 15))
    client = as_user(carol)
    client.post(f"/clinic/sessions/{infusion.pk}/arrival/", {"arrival-at": "2026-02-27T09:55"})
    response = client.post(
        f"/clinic/sessions/{infusion.pk}/move/", {"scheduled_at": "2026-03-03T11:00"}, follow=True
    )
    assert "cannot be changed that way any more" in response.content.decode()
    infusion.refresh_from_db()
    assert infusion.scheduled_at == utc(2026, 2, 27, 15)


def test_the_patient_schedule_lists_every_appointment(as_user, carol, alice, friday):
    first = book(alice, carol, utc(2026, 3, 2, 15))
    book(alice, carol, utc(2026, 3, 4, 15))
    html = as_user(carol).get(f"/clinic/patients/{alice.pk}/schedule/").content.decode()
    assert "Monday 2 March 2026" in html
    assert "Wednesday 4 March 2026" in html
    assert f"/clinic/sessions/{first.pk}/" in html
    assert "Plan a course or boosters" in html
    assert AuditEvent.objects.filter(patient=alice, what="patient schedule").exists()


def day_section(html: str, heading: str) -> str:
    """The part of a schedule page under one day's heading ("" when the day is not listed)."""
    at = html.find(f">{heading}")
    if at < 0:
        return ""
    end = html.find("</section>", at)
    return html[at:end]


def give(infusion, carol, *, started):
    """Arrival 20 minutes before the start, a 40-minute infusion."""
    return run_until_end(
        infusion,
        carol,
        arrived=started - timedelta(minutes=20),
        started=started,
        ended=started + timedelta(minutes=40),
    )


def test_a_session_is_listed_on_the_day_it_was_given(as_user, carol, alice, bob, friday):
    # Alice was booked for Thursday 10:00 but came today, Friday, at 09:00; Bob was booked for
    # today at 14:00 but came on Thursday at 15:00. Neither appointment was moved.
    late = give(book(alice, carol, utc(2026, 2, 26, 15)), carol, started=utc(2026, 2, 27, 14, 20))
    early = give(book(bob, carol, utc(2026, 2, 27, 19)), carol, started=utc(2026, 2, 26, 20))
    client = as_user(carol)

    today = day_section(client.get("/clinic/schedule/").content.decode(), "Friday 27 February")
    assert f"/clinic/sessions/{late.pk}/" in today
    assert "09:20" in today  # when it was given, clinic time
    assert "booked for Thu 26 Feb, 10:00" in today
    assert f"/clinic/sessions/{early.pk}/" not in today

    html = client.get("/clinic/schedule/?start=2026-02-26&days=1").content.decode()
    thursday = day_section(html, "Thursday 26 February")
    assert f"/clinic/sessions/{early.pk}/" in thursday
    assert "booked for Fri 27 Feb, 14:00" in thursday
    assert f"/clinic/sessions/{late.pk}/" not in html

    # The patient's own schedule lists them the same way.
    page = client.get(f"/clinic/patients/{alice.pk}/schedule/").content.decode()
    assert "booked for Thu 26 Feb, 10:00" in day_section(page, "Friday 27 February")
    assert "Thursday 26 February" not in page


def test_the_day_given_is_the_clinic_day(as_user, carol, alice, friday):
    # Booked for Thursday 10:00, given at 21:30 that evening in New York: 02:30 on Friday in
    # UTC, yet still Thursday at the clinic, listed at its appointment time without a note.
    evening = give(book(alice, carol, utc(2026, 2, 26, 15)), carol, started=utc(2026, 2, 27, 2, 30))
    html = as_user(carol).get("/clinic/schedule/?start=2026-02-26&days=2").content.decode()
    thursday = day_section(html, "Thursday 26 February")
    assert f"/clinic/sessions/{evening.pk}/" in thursday
    assert "10:00" in thursday
    assert "booked for" not in html
    assert "Friday 27 February" not in html


def test_a_session_under_way_is_listed_on_the_day_the_patient_arrived(
    as_user, carol, alice, friday
):
    booked = book(alice, carol, utc(2026, 2, 25, 15))  # Wednesday
    actions.record_arrival(infusion=booked, at=utc(2026, 2, 27, 14, 50), by=carol)
    today = day_section(
        as_user(carol).get("/clinic/schedule/").content.decode(), "Friday 27 February"
    )
    assert f"/clinic/sessions/{booked.pk}/" in today
    assert "09:50" in today
    assert "booked for Wed 25 Feb, 10:00" in today


def test_the_schedule_reads_the_same_for_few_or_many_sessions(as_user, carol, riverside, friday):
    client = as_user(carol)

    def add_patients(first: int, count: int) -> None:
        for number in range(first, first + count):
            patient = create_patient(
                clinic=riverside,
                email=f"patient{number}@example.org",
                first_name="Pat",
                last_name=f"Number {number}",
                timezone="America/New_York",
                clinician=carol,
            )
            give(book(patient, carol, utc(2026, 2, 26, 15)), carol, started=utc(2026, 2, 27, 14))
            book(patient, carol, utc(2026, 3, 2, 15 + number % 5))

    def count() -> int:
        client.get("/clinic/schedule/")  # warm per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/clinic/schedule/").status_code == 200
        return len(captured)

    add_patients(0, 2)
    few = count()
    add_patients(2, 6)
    assert count() == few
    assert (
        AuditEvent.objects.filter(what="clinic schedule").values("patient").distinct().count() == 8
    )
