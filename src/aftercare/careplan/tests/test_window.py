"""Integration sessions inside local days 1–14 after the latest infusion; outside: a warning."""

from datetime import date

import time_machine
from conftest import utc

from aftercare.careplan.actions import neuroplasticity_window
from aftercare.treatment.actions import record_infusion


def infuse(alice, carol, *, ended):
    return record_infusion(
        patient=alice,
        recorded_by=carol,
        started_at=ended.replace(hour=ended.hour - 1),
        ended_at=ended,
        route="iv",
    )


def add_session(client, url, day, time="10:00"):
    return client.post(
        url,
        {
            "action": "session",
            "session-day": day,
            "session-time": time,
            "session-with_whom": "Dr Kim",
        },
        follow=True,
    )


WARNING = "outside the days 1–14 after the latest infusion"


def test_it_counts_the_window_in_the_patients_local_days(alice, carol):
    # 03:30 UTC on 5 Mar is 19:30 on 4 Mar in Los Angeles: treatment day is 4 Mar.
    infuse(alice, carol, ended=utc(2026, 3, 5, 3, 30))
    window = neuroplasticity_window(alice, utc(2026, 3, 6))
    assert window is not None
    assert (window.first_day, window.last_day) == (date(2026, 3, 5), date(2026, 3, 18))


def test_it_uses_the_latest_completed_infusion(alice, carol):
    infuse(alice, carol, ended=utc(2026, 3, 2, 18))
    infuse(alice, carol, ended=utc(2026, 3, 9, 18))
    window = neuroplasticity_window(alice, utc(2026, 3, 10))
    assert window is not None
    assert window.first_day == date(2026, 3, 10)


def test_it_saves_a_session_inside_the_window_without_a_warning(as_user, alice, carol):
    infuse(alice, carol, ended=utc(2026, 3, 5, 3, 30))
    with time_machine.travel("2026-03-06T12:00:00Z", tick=False):
        for day in ("2026-03-05", "2026-03-18"):
            page = add_session(as_user(alice.user), "/me/care-plan/", day).content.decode()
            assert "Integration session added." in page
            assert WARNING not in page
    session = alice.integration_sessions.first()
    assert session.scheduled_at == utc(2026, 3, 5, 18)  # 10:00 in Los Angeles


def test_it_warns_but_saves_a_session_to_come_outside_the_window(as_user, alice, carol):
    infuse(alice, carol, ended=utc(2026, 3, 5, 3, 30))
    url = f"/clinic/patients/{alice.pk}/care-plan/"
    with time_machine.travel("2026-03-06T12:00:00Z", tick=False):
        page = add_session(as_user(carol), url, "2026-03-19").content.decode()
        assert "Integration session added." in page
        assert WARNING in page
        # A session that already happened is recorded without advice to move it.
        page = add_session(as_user(carol), url, "2026-03-04").content.decode()
        assert "Integration session added." in page
        assert WARNING not in page
    assert alice.integration_sessions.count() == 2


def test_a_window_that_has_passed_is_not_offered_as_if_to_come(as_user, alice, carol):
    infuse(alice, carol, ended=utc(2026, 3, 5, 3, 30))
    with time_machine.travel("2026-04-01T12:00:00Z", tick=False):
        page = as_user(alice.user).get("/me/care-plan/").content.decode()
    assert "ended on 18 Mar 2026. After any further infusion, the two weeks that follow" in page
    assert "may be a good time for therapy: from" not in page


@time_machine.travel("2026-03-06T12:00:00Z", tick=False)
def test_it_warns_when_there_is_no_infusion_yet(as_user, alice):
    page = add_session(as_user(alice.user), "/me/care-plan/", "2026-03-10").content.decode()
    assert WARNING in page
    assert alice.integration_sessions.count() == 1
