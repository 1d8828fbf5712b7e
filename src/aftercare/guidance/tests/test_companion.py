from datetime import timedelta

import time_machine
from conftest import utc

from aftercare.guidance.companion import companion_for
from aftercare.guidance.phases import Phase
from aftercare.treatment.actions import record_infusion
from aftercare.treatment.models import Course, Infusion


def give_infusion(patient, carol, course, start):
    return record_infusion(
        patient=patient,
        recorded_by=carol,
        started_at=start,
        ended_at=start + timedelta(minutes=40),
        route="iv",
        course=course,
    )


def test_an_induction_series_shows_its_position_and_the_next_treatment(alice, carol):
    course = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    for day in (6, 8, 10):
        give_infusion(alice, carol, course, utc(2026, 4, day, 16))
    Infusion.objects.create(
        patient=alice,
        course=course,
        status=Infusion.Status.SCHEDULED,
        scheduled_at=utc(2026, 4, 13, 16),
    )
    companion = companion_for(alice, utc(2026, 4, 11, 20))
    assert companion.state.phase == Phase.DAY_1
    assert (companion.series_number, companion.series_total) == (3, 6)
    assert companion.next_infusion.scheduled_at == utc(2026, 4, 13, 16)


def test_the_patient_page_says_where_they_are_in_the_series(as_user, alice, carol):
    course = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    for day in (6, 8):
        give_infusion(alice, carol, course, utc(2026, 4, day, 16))
    with time_machine.travel(utc(2026, 4, 8, 17, 30), tick=False):
        html = as_user(alice.user).get("/me/").content.decode()
    assert "infusion 2 of 6" in html
    assert "The first two hours" in html


def test_before_any_infusion_the_patient_is_told_to_build_a_baseline(alice):
    companion = companion_for(alice, utc(2026, 4, 1))
    assert companion.state.phase == Phase.NOT_STARTED
    assert companion.series_number is None


def test_the_headline_names_the_day_and_the_series_position(alice, carol):
    course = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    for day in (6, 8, 10):
        give_infusion(alice, carol, course, utc(2026, 4, day, 16))
    # Alice is in Los Angeles: infusion 3 ended 09:40 local on 10 April; 12 April is day 2.
    assert companion_for(alice, utc(2026, 4, 12, 20)).headline == "Day 2 after infusion 3 of 6"
    assert companion_for(alice, utc(2026, 4, 10, 22)).headline == "Treatment day: infusion 3 of 6"


def test_in_maintenance_the_headline_counts_from_the_booster(alice, carol):
    induction = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-01-05")
    give_infusion(alice, carol, induction, utc(2026, 1, 5, 16))
    booster_course = Course.objects.create(
        patient=alice, kind=Course.Kind.MAINTENANCE, planned_infusions=12, started_on="2026-03-02"
    )
    give_infusion(alice, carol, booster_course, utc(2026, 3, 2, 18))
    companion = companion_for(alice, utc(2026, 3, 20, 18))
    assert companion.headline == "Day 18 after your booster"
    assert companion.staff_headline == "Day 18 after a booster"
    assert companion.series_number is None


def test_the_care_team_reads_the_headline_in_the_third_person(as_user, alice, carol):
    give_infusion(alice, carol, None, utc(2026, 4, 6, 16))
    with time_machine.travel(utc(2026, 4, 6, 18), tick=False):
        staff_page = as_user(carol).get(f"/clinic/patients/{alice.pk}/").content.decode()
        own_page = as_user(alice.user).get("/me/").content.decode()
    assert "Treatment day: the latest infusion" in staff_page
    assert "your infusion" not in staff_page
    assert "Treatment day: your infusion" in own_page


def test_boosters_booked_for_later_do_not_relabel_the_series_just_finished(alice, carol):
    induction = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    for day in (6, 8, 10, 13, 15, 17):
        give_infusion(alice, carol, induction, utc(2026, 4, day, 16))
    boosters = Course.objects.create(
        patient=alice, kind=Course.Kind.MAINTENANCE, planned_infusions=4, started_on="2026-05-15"
    )
    Infusion.objects.create(
        patient=alice,
        course=boosters,
        status=Infusion.Status.SCHEDULED,
        scheduled_at=utc(2026, 5, 15, 16),
    )
    companion = companion_for(alice, utc(2026, 4, 21, 20))
    assert companion.headline == "Day 4 after infusion 6 of 6"
    assert companion.course == induction
    assert companion.next_infusion.scheduled_at == utc(2026, 5, 15, 16)


def mood_days(patient, first_local_day, moods):
    from aftercare.tracking.actions import submit_check_in

    for offset, mood in enumerate(moods):
        day = first_local_day + timedelta(days=offset)
        # 19:00 in Los Angeles (UTC-7 in April)
        at = utc(day.year, day.month, day.day, 19) + timedelta(hours=7)
        submit_check_in(patient=patient, answers={"mood": mood}, submitted_at=at)


def test_no_clear_rise_by_day_3_brings_the_gradual_responder_note(as_user, alice, carol):
    from datetime import date

    course = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    mood_days(alice, date(2026, 3, 30), [3, 3, 4, 3, 3, 3, 4])  # baseline week
    give_infusion(alice, carol, course, utc(2026, 4, 6, 16))
    mood_days(alice, date(2026, 4, 7), [3, 4, 3])  # days 1-3: no clear change
    with time_machine.travel(utc(2026, 4, 9, 20), tick=False):
        html = as_user(alice.user).get("/me/").content.decode()
    assert "If you do not feel different yet" in html
    assert "improve gradually over several treatments" in html


def test_a_clear_rise_brings_no_gradual_note(alice, carol):
    from datetime import date

    course = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    mood_days(alice, date(2026, 3, 30), [3, 3, 4, 3, 3, 3, 4])
    give_infusion(alice, carol, course, utc(2026, 4, 6, 16))
    mood_days(alice, date(2026, 4, 7), [6, 7, 6])
    assert companion_for(alice, utc(2026, 4, 9, 20)).gradual_response is None


def test_the_timeline_shows_every_stage_with_the_current_one_open(as_user, alice, carol):
    course = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    give_infusion(alice, carol, course, utc(2026, 4, 6, 16))
    with time_machine.travel(utc(2026, 4, 8, 20), tick=False):
        html = as_user(alice.user).get("/me/recovery/").content.decode()
    for title in (
        "The first two hours",
        "Getting home",
        "Day 1: the emergence window",
        "Weeks 2 to 4",
        "Maintenance",
        "The long term",
    ):
        assert title in html
    current = html.split('aria-current="step"')[1]
    assert "Day 2: the emergence window" in current.split("</li>")[0]
    # Local times: the infusion ended 09:40 in Los Angeles, the first two hours start then.
    assert "from Mon 6 Apr, 09:40" in html


def test_the_patient_page_links_articles_for_the_current_stage(as_user, alice, carol):
    from aftercare.library.actions import import_builtin

    import_builtin()
    course = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    give_infusion(alice, carol, course, utc(2026, 4, 6, 16))
    with time_machine.travel(utc(2026, 4, 8, 20), tick=False):
        html = as_user(alice.user).get("/me/").content.decode()
    section = html.split('id="phase-articles-title"')[1].split("</section>")[0]
    assert section.count('href="/learn/') >= 2  # at least one article plus "All articles"


def test_a_fading_patient_is_told_the_care_team_is_reviewing_the_timing(client, db):
    from aftercare.accounts.models import Patient
    from aftercare.demo.load import DEMO_PASSWORD, load_demo_clinic
    from aftercare.outcomes.selectors import booster_review_pending

    now = utc(2026, 6, 15, 18)
    load_demo_clinic(seed=11, now=now)
    with time_machine.travel(now, tick=False):
        patients = Patient.objects.select_related("user", "clinic")
        pending = [p for p in patients if booster_review_pending(p, now)]
        quiet = [p for p in patients if not booster_review_pending(p, now)]
        assert pending, "the demo clinic should have a patient whose benefit is fading"
        client.login(username=pending[0].user.email, password=DEMO_PASSWORD)
        html = client.get("/me/").content.decode()
        assert "reviewing the timing of your next treatment" in html
        client.logout()
        client.login(username=quiet[0].user.email, password=DEMO_PASSWORD)
        assert "reviewing the timing" not in client.get("/me/").content.decode()


def test_an_infusion_outside_the_finished_series_is_not_counted_in_it(alice, carol):
    course = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    for day in (6, 8, 10, 13, 15, 17):
        give_infusion(alice, carol, course, utc(2026, 4, day, 16))
    give_infusion(alice, carol, None, utc(2026, 5, 22, 16))  # five weeks on, no course
    companion = companion_for(alice, utc(2026, 5, 22, 22))
    assert (companion.series_number, companion.series_total) == (None, None)
    assert companion.headline == "Treatment day: your infusion"
