"""A patient who changes time zone: their 19:00 reminder follows the new zone from the same day,
never two reminders for one local day, never none.

Default settings: 19:00 every day, quiet hours 22:00–08:00. In May, Los Angeles is UTC−7,
New York UTC−4, London UTC+1, Tokyo UTC+9. The job runs every 10 minutes, as in the demo.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import mail

from aftercare.reminders import jobs
from aftercare.reminders.models import ReminderSent


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC)


def run_job(start: str, end: str, *, moves: dict[str, tuple[object, str]] | None = None) -> None:
    """Run the job every 10 minutes from ``start`` to ``end``; ``moves`` change a patient's
    zone at the given instant (the patient edits their settings on arrival)."""
    pending = sorted(((at(when), who, zone) for when, (who, zone) in (moves or {}).items()),
                     key=lambda move: move[0])  # fmt: skip
    now, stop = at(start), at(end)
    while now <= stop:
        while pending and pending[0][0] <= now:
            _when, patient, zone = pending.pop(0)
            patient.timezone = zone  # type: ignore[attr-defined]
            patient.save(update_fields=["timezone"])  # type: ignore[attr-defined]
        jobs.send_due_reminders(now)
        now += timedelta(minutes=10)


def sends(patient) -> list[tuple[date, str]]:
    """(reminder day, local send time in the zone the patient had when it was sent)."""
    return [
        (row.local_date, f"{row.sent_at:%Y-%m-%d %H:%M}Z")
        for row in ReminderSent.objects.filter(patient=patient).order_by("sent_at")
    ]


def test_flying_east_in_the_morning_the_reminder_comes_at_19_00_in_the_new_zone(alice):
    # Alice flies Los Angeles -> New York and changes her zone at 09:00 New York time.
    run_job("2026-05-04T13:00Z", "2026-05-06T04:00Z",
            moves={"2026-05-04T13:00Z": (alice, "America/New_York")})  # fmt: skip
    # 19:00 in New York is 23:00 UTC, not 02:00 UTC (19:00 in Los Angeles).
    assert sends(alice) == [
        (date(2026, 5, 4), "2026-05-04 23:00Z"),
        (date(2026, 5, 5), "2026-05-05 23:00Z"),
    ]
    assert len([m for m in mail.outbox if m.to == ["alice@example.org"]]) == 2


def test_flying_west_after_the_reminder_does_not_bring_a_second_one_that_day(bob):
    # Bob had his 19:00 New York reminder (23:00 UTC), then lands in Los Angeles at 17:00
    # local time on the same day: 19:00 there (02:00 UTC) is still the same local day.
    run_job("2026-05-04T22:00Z", "2026-05-06T03:00Z",
            moves={"2026-05-05T00:00Z": (bob, "America/Los_Angeles")})  # fmt: skip
    assert sends(bob) == [
        (date(2026, 5, 4), "2026-05-04 23:00Z"),  # 19:00 New York
        (date(2026, 5, 5), "2026-05-06 02:00Z"),  # 19:00 Los Angeles the next day
    ]


def test_flying_west_before_the_reminder_moves_it_later(bob):
    # Bob changes to Los Angeles at 18:30 New York time, before his reminder went out.
    run_job("2026-05-04T20:00Z", "2026-05-05T06:00Z",
            moves={"2026-05-04T22:30Z": (bob, "America/Los_Angeles")})  # fmt: skip
    assert sends(bob) == [(date(2026, 5, 4), "2026-05-05 02:00Z")]  # 19:00 Los Angeles


def test_arriving_where_19_00_has_passed_sends_the_days_reminder_at_once(alice):
    # Alice changes to New York at 17:30 Los Angeles time = 20:30 New York time: today's 19:00
    # has passed there and none was sent, so it comes now rather than never.
    run_job("2026-05-04T20:00Z", "2026-05-05T06:00Z",
            moves={"2026-05-05T00:30Z": (alice, "America/New_York")})  # fmt: skip
    assert sends(alice) == [(date(2026, 5, 4), "2026-05-05 00:30Z")]


def test_arriving_in_quiet_hours_waits_for_the_next_evening(alice):
    # Los Angeles 17:30 on 4 May -> London, where it is already 01:30 on 5 May (quiet hours):
    # the flight skipped 4 May's evening; 5 May's reminder comes at 19:00 London time.
    run_job("2026-05-04T20:00Z", "2026-05-06T00:00Z",
            moves={"2026-05-05T00:30Z": (alice, "Europe/London")})  # fmt: skip
    assert sends(alice) == [(date(2026, 5, 5), "2026-05-05 18:00Z")]


def test_across_many_moves_each_local_day_has_exactly_one_reminder(alice):
    """Los Angeles -> Tokyo -> London -> New York over a week.

    A local day is a date on the clock of the zone Alice is in. For every evening she spends in
    a zone (19:00 there falls within her stay), exactly one reminder arrived on that date by
    that zone's clock: flying west, the reminder she had before leaving counts for the day she
    lands in (Tokyo, 5 May: the Los Angeles reminder of 4 May arrived at 11:00 Tokyo time).
    """
    moves = {
        "2026-05-05T03:00Z": (alice, "Asia/Tokyo"),  # after Los Angeles' 4 May reminder
        "2026-05-07T12:00Z": (alice, "Europe/London"),
        "2026-05-09T12:00Z": (alice, "America/New_York"),
    }
    start, end = "2026-05-04T15:00Z", "2026-05-12T06:00Z"
    run_job(start, end, moves=moves)
    sent = [row.sent_at for row in ReminderSent.objects.filter(patient=alice)]
    assert len({row.local_date for row in ReminderSent.objects.filter(patient=alice)}) == len(sent)
    boundaries = [at(start), *(at(when) for when in moves), at(end)]
    zones = ["America/Los_Angeles", *(zone for _p, zone in moves.values())]
    evenings = 0
    for zone_name, stay_start, stay_end in zip(zones, boundaries, boundaries[1:], strict=False):
        zone = ZoneInfo(zone_name)
        day = stay_start.astimezone(zone).date()
        while day <= stay_end.astimezone(zone).date():
            evening = datetime.combine(day, time(19), zone)
            if stay_start <= evening < stay_end:
                evenings += 1
                on_that_day = [s for s in sent if s.astimezone(zone).date() == day]
                assert len(on_that_day) == 1, (zone_name, day, on_that_day)
            day += timedelta(days=1)
    assert evenings == 9  # Tokyo 5–7, London 7–8, New York 9–11 May, Los Angeles 4 May
