"""The patient record's response section, the detail page, and what the patient may see."""

from datetime import UTC, datetime, time

import pytest
import time_machine

from aftercare.audit.models import AuditEvent
from aftercare.library.actions import import_builtin
from aftercare.outcomes.selectors import booster_review_pending, patient_insights
from aftercare.outcomes.tests.helpers import NOW, fading, flat, give_history
from aftercare.treatment.models import Infusion

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def fading_alice(alice, carol, clock):
    give_history(alice, by=carol, mood=fading, phq9=[(0, 20, 2), (26, 8, 0), (40, 9, 0)])
    return alice


def test_it_shows_a_fading_patients_trajectory_and_booster_window_to_staff(
    fading_alice, carol, as_user
):
    page = as_user(carol).get(f"/clinic/patients/{fading_alice.pk}/").content.decode()
    assert "Gradual fade" in page
    assert "Mood rose from 3.0 (baseline) to a two-week average of 8.0" in page
    assert "Proposed booster window" in page
    assert "PHQ-9 went from 20 before treatment to 8" in page
    assert f"/clinic/patients/{fading_alice.pk}/response/" in page


def test_the_detail_page_has_each_infusion_each_course_and_the_chart(fading_alice, carol, as_user):
    response = as_user(carol).get(f"/clinic/patients/{fading_alice.pk}/response/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") == 1
    assert 'role="img"' in page
    for heading in ("Per infusion", "Per course", "Baseline", "Daily mood as a table"):
        assert heading in page
    assert "Induction series" in page
    assert "6 of 6" in page
    assert "Mood 3.0 (mean of 7 days with a check-in before the first infusion)" in page
    # Each table's peak says what it is (a day before the next infusion; a 7-day mean), so
    # the numbers are not read as contradicting each other.
    assert "Peak before the next infusion (day)" in page
    assert "Peak gain (best 7-day mean)" in page
    event = AuditEvent.objects.get(what="response insights")
    assert (event.actor, event.patient) == (carol, fading_alice)


def test_the_patient_only_learns_that_the_timing_is_being_reviewed(fading_alice, as_user):
    assert booster_review_pending(fading_alice)
    html = as_user(fading_alice.user).get("/me/").content.decode()
    assert "Your care team is reviewing the timing of your next treatment." in html
    assert "If the series has not helped enough" not in html
    forecast = patient_insights(fading_alice).booster
    assert f"{forecast.window_start:%-d %B}" not in html
    assert f"{forecast.window_start:%B %-d}" not in html


def test_a_patient_the_series_did_not_help_is_told_what_to_ask_not_about_relief(
    bob, carol, clock, as_user
):
    give_history(bob, by=carol, mood=flat, phq9=[(0, 20, 0), (26, 18, 0)])
    import_builtin()
    insight = patient_insights(bob)
    assert insight.non_response is not None
    assert not booster_review_pending(bob)
    html = as_user(bob.user).get("/me/").content.decode()
    # The article's "If You're Not Responding": not the end of options, what to ask.
    assert "If the series has not helped enough" in html
    assert "there are many other treatments for depression" in html
    assert "Ask what other options there are." in html
    assert "Your care team is reviewing the timing" not in html
    assert "/learn/if-treatment-is-not-working/" in html
    for assumes_relief in ("Building on the relief", "When the benefits start to fade"):
        assert assumes_relief not in html
    # The stage's own reading assumes relief too ("ask about a booster when ... slipping").
    assert "early signs of slipping" not in html
    assert "benefits start to fade" not in html
    # No raw numbers of the review reach the patient.
    assert "reduction" not in html
    stages = as_user(bob.user).get("/me/recovery/").content.decode()
    assert "If the series has not helped enough" in stages
    assert "/learn/if-treatment-is-not-working/" in stages
    assert "Building on the relief" not in stages


def test_a_patient_who_responded_sees_no_note_about_not_responding(fading_alice, as_user):
    import_builtin()
    html = as_user(fading_alice.user).get("/me/").content.decode()
    assert "If the series has not helped enough" not in html
    assert "/learn/if-treatment-is-not-working/" not in html


def test_non_response_is_flagged_for_review_with_the_numbers(bob, carol, clock, as_user):
    give_history(bob, by=carol, mood=flat, phq9=[(0, 20, 0), (26, 18, 0)])
    page = as_user(carol).get(f"/clinic/patients/{bob.pk}/").content.decode()
    assert "For review:" in page
    assert "No response after the 6-infusion series" in page
    assert "a 10% reduction; response needs 50%" in page


def test_a_new_patient_has_not_enough_data_yet(alice, carol, as_user, clock):
    page = as_user(carol).get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert "Not enough data yet" in page
    assert "No completed infusion is recorded yet." in page


@pytest.mark.parametrize("who", ["eve", "bob", "alice"])
def test_others_cannot_open_the_response_page(who, alice, bob, eve, as_user):
    user = {"eve": eve, "bob": bob.user, "alice": alice.user}[who]
    assert as_user(user).get(f"/clinic/patients/{alice.pk}/response/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(alice, client):
    response = client.get(f"/clinic/patients/{alice.pk}/response/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def benefit_rows(page: str) -> str:
    """The "How long the benefit lasted" table of the response page."""
    start = page.index("How long the benefit lasted after each block of treatment")
    return page[start : page.index("</table>", start)]


def test_a_booster_given_yesterday_is_too_early_to_tell_not_without_a_rise(
    alice, carol, clock, as_user
):
    give_history(alice, by=carol, mood=fading, infusion_days=(0, 2, 4, 7, 9, 11, 59))
    page = as_user(carol).get(f"/clinic/patients/{alice.pk}/response/").content.decode()
    rows = benefit_rows(page)
    booster = patient_insights(alice).durability[-1]
    assert booster.block.start == booster.block.end  # the one-infusion booster of yesterday
    assert "too early to tell" in rows
    assert "no clear rise" not in rows
    assert "not within" in rows  # the series before it: judged, and it held
    # The same as the trajectory text on the page says of that infusion.
    assert "is too recent to judge" in page


def test_a_series_that_ended_two_days_ago_is_too_early_to_tell(alice, carol, clock, as_user):
    # Gains of +2 to +4 after each infusion and a rising 7-day mean, but only two days since.
    give_history(
        alice,
        by=carol,
        mood=lambda d: 4 if d < 48 else 6 + (d % 3),
        infusion_days=(48, 50, 52, 54, 56, 58),
    )
    rows = benefit_rows(
        as_user(carol).get(f"/clinic/patients/{alice.pk}/response/").content.decode()
    )
    assert "too early to tell" in rows
    assert "no clear rise" not in rows


def test_a_series_without_a_rise_still_says_no_clear_rise(bob, carol, clock, as_user):
    give_history(bob, by=carol, mood=flat, phq9=[(0, 20, 0), (26, 18, 0)])
    rows = benefit_rows(as_user(carol).get(f"/clinic/patients/{bob.pk}/response/").content.decode())
    assert "no clear rise" in rows
    assert "too early to tell" not in rows


def test_the_note_goes_once_a_later_phq9_shows_a_response(bob, carol, clock, as_user):
    give_history(bob, by=carol, mood=flat, phq9=[(0, 21, 0), (26, 18, 0), (50, 8, 0)])
    insight = patient_insights(bob)
    assert insight.non_response is not None  # the review flag stays for the care team
    html = as_user(bob.user).get("/me/").content.decode()
    assert "If the series has not helped enough" not in html


def test_staff_are_told_when_an_infusion_is_already_booked_before_the_window_ends(
    fading_alice, carol, as_user
):
    record = f"/clinic/patients/{fading_alice.pk}/"
    page = as_user(carol).get(record).content.decode()
    assert "Nothing is scheduled before the window ends." in page
    assert "already booked" not in page

    window = patient_insights(fading_alice).booster
    course = fading_alice.courses.order_by("-started_on").first()
    Infusion.objects.create(
        patient=fading_alice,
        course=course,
        status=Infusion.Status.SCHEDULED,
        scheduled_at=datetime.combine(window.window_start, time(15), tzinfo=UTC),
    )
    page = as_user(carol).get(record).content.decode()
    assert "An infusion is already booked before the window ends" in page
    assert "Nothing is scheduled before the window ends." not in page
