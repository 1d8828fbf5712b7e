"""'Done today' counts one tick per habit per local day in the patient's time zone."""

from datetime import date

import time_machine

from aftercare.careplan.actions import add_habit
from aftercare.careplan.models import HabitTick


def tick(client, habit):
    return client.post("/me/care-plan/", {"action": "tick", "habit": habit.pk})


def test_it_counts_one_tick_per_local_day(as_user, alice, carol):
    # Alice lives in America/Los_Angeles (UTC-8 in January).
    habit = add_habit(patient=alice, by=carol, kind="exercise", description="Walk 20 minutes")
    client = as_user(alice.user)
    with time_machine.travel("2026-01-10T17:00:00Z", tick=False):  # 09:00 local, 10 Jan
        assert tick(client, habit).status_code == 302
        assert tick(client, habit).status_code == 302
    with time_machine.travel("2026-01-11T07:30:00Z", tick=False):  # 23:30 local, still 10 Jan
        tick(client, habit)
        page = client.get("/me/care-plan/").content.decode()
        assert "done on 1 day in the last 7" in page
    assert list(HabitTick.objects.values_list("day", flat=True)) == [date(2026, 1, 10)]
    with time_machine.travel("2026-01-11T08:30:00Z", tick=False):  # 00:30 local, 11 Jan
        tick(client, habit)
        page = client.get("/me/care-plan/").content.decode()
        assert "done on 2 days in the last 7" in page
    assert HabitTick.objects.count() == 2


def test_it_tells_the_patient_when_already_ticked(as_user, alice, carol):
    habit = add_habit(patient=alice, by=carol, kind="sleep", description="Bed by 11")
    client = as_user(alice.user)
    tick(client, habit)
    tick(client, habit)
    page = client.get("/me/care-plan/").content.decode()
    assert "Done today" in page
    response = client.post("/me/care-plan/", {"action": "tick", "habit": habit.pk}, follow=True)
    assert "Already marked as done today." in response.content.decode()


def test_staff_see_the_count_but_only_the_patient_ticks(as_user, alice, carol):
    habit = add_habit(patient=alice, by=carol, kind="sleep", description="Bed by 11")
    url = f"/clinic/patients/{alice.pk}/care-plan/"
    page = as_user(carol).get(url).content.decode()
    assert "done on 0 days in the last 7" in page
    assert 'value="tick"' not in page
    response = as_user(carol).post(url, {"action": "tick", "habit": habit.pk})
    assert response.status_code == 400
    assert "Only the patient marks a habit as done." in response.content.decode()
    assert not HabitTick.objects.exists()
