"""The patient home page: the check-in form kept between requests, and infusions read once."""

import re
from datetime import timedelta

import pytest
import time_machine
from conftest import utc
from django.template.loader import render_to_string
from django.utils import translation

from aftercare.guidance import fragments
from aftercare.guidance.companion import companion_for, read_infusions
from aftercare.tracking.forms import CheckInForm
from aftercare.tracking.models import CheckIn
from aftercare.tracking.queries import due_for_patient, infusion_times, times_of
from aftercare.treatment.models import Course, Infusion

KEY = re.compile(r'name="submission_key" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_fragments(monkeypatch):
    monkeypatch.setattr(fragments, "_blank_check_in", {})


def test_each_visit_gets_its_own_submission_key_so_each_check_in_is_saved(as_user, alice):
    client = as_user(alice.user)
    for mood in ("6", "4"):
        keys = KEY.findall(client.get("/me/").content.decode())
        assert len(keys) == 1
        response = client.post(
            "/me/check-in/", {"mood": mood, "nothing_unusual": "on", "submission_key": keys[0]}
        )
        assert response.status_code == 302
    assert sorted(CheckIn.objects.filter(patient=alice).values_list("mood", flat=True)) == [4, 6]


def test_the_kept_form_is_what_the_page_would_render(rf, alice):
    # The fields must not depend on anything but the form: the page's context (patient, user,
    # clinic, request) would otherwise be frozen into the markup kept for everyone.
    request = rf.get("/me/")
    request.user = alice.user
    on_the_page = render_to_string(
        fragments.CHECK_IN_FIELDS, {"form": CheckInForm(), "patient": alice}, request=request
    )
    assert fragments.blank_check_in_fields() == on_the_page
    assert fragments.blank_check_in_fields() == on_the_page  # and again, from the store
    assert "submission_key" not in on_the_page


def test_the_form_follows_the_language(monkeypatch, settings, as_user, alice):
    # The stored blank form is kept per language, ready for a second one (settings.LANGUAGES).
    settings.LANGUAGES = [("en", "English"), ("es", "Spanish")]
    real = translation._trans.gettext

    def gettext(message):
        text = real(message)
        return f"[es] {text}" if translation.get_language() == "es" else text

    monkeypatch.setattr(translation._trans, "gettext", gettext)
    client = as_user(alice.user)
    english = client.get("/me/").content.decode()
    spanish = client.get("/me/", headers={"accept-language": "es"}).content.decode()
    assert "[es] Mood" not in english
    assert "[es] Mood" in spanish
    assert "[es] Mood" not in client.get("/me/").content.decode()


def test_a_form_with_errors_is_shown_with_the_answers_not_the_blank_one(as_user, alice):
    client = as_user(alice.user)
    client.get("/me/")
    html = client.post("/me/check-in/", {"energy": "7", "note": "kept"}).content.decode()
    assert "kept</textarea>" in html
    assert 'value="7" required' not in html  # energy is optional
    assert re.search(r'name="energy" value="7"[^>]* checked', html)
    assert 'class="field choices has-error"' in html


def infusions_of_every_kind(alice, carol):
    course = Course.objects.create(patient=alice, planned_infusions=6, started_on="2026-04-06")
    for day in (6, 8):
        start = utc(2026, 4, day, 16)
        Infusion.objects.create(
            patient=alice,
            course=course,
            status=Infusion.Status.COMPLETED,
            scheduled_at=start,
            started_at=start,
            ended_at=start + timedelta(minutes=40),
        )
    for day, status in (
        (9, Infusion.Status.NO_SHOW),
        (10, Infusion.Status.CANCELLED),
        (12, Infusion.Status.SCHEDULED),
    ):
        Infusion.objects.create(
            patient=alice, course=course, status=status, scheduled_at=utc(2026, 4, day, 16)
        )
    Infusion.objects.create(
        patient=alice, course=course, status=Infusion.Status.SCHEDULED, scheduled_at=utc(2026, 5, 1)
    )


def test_infusions_read_once_give_the_same_phase_and_questionnaires(alice, carol):
    infusions_of_every_kind(alice, carol)
    records = read_infusions(alice)

    def key(time):
        return (time.at, time.completed)

    assert sorted(times_of(records), key=key) == sorted(infusion_times(alice), key=key)
    for now in (utc(2026, 4, 5), utc(2026, 4, 9, 20), utc(2026, 4, 11, 20), utc(2026, 4, 30)):
        assert companion_for(alice, now, records) == companion_for(alice, now)
        assert due_for_patient(alice, now, records) == due_for_patient(alice, now)


def test_the_page_shows_the_next_booked_treatment_not_a_cancelled_one(as_user, alice, carol):
    infusions_of_every_kind(alice, carol)
    with time_machine.travel(utc(2026, 4, 9, 20), tick=False):
        html = as_user(alice.user).get("/me/").content.decode()
    assert "Next treatment: Sunday 12 April" in html
    assert "infusion 2 of 6" in html
