from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from aftercare.treatment.models import Infusion

VALID = {
    "started_at": "2026-03-10T10:00",
    "ended_at": "2026-03-10T10:40",
    "route": "iv",
    "dose_mg_per_kg": "0.5",
    "weight_kg": "72.4",
}


@pytest.fixture
def march_11():
    with time_machine.travel("2026-03-11 15:00Z", tick=False):
        yield


def post(as_user, carol, alice, data):
    return as_user(carol).post(f"/clinic/patients/{alice.pk}/infusions/new/", data)


def test_a_clinician_records_an_infusion_in_clinic_time(as_user, carol, alice, march_11):
    response = post(as_user, carol, alice, VALID)
    assert response.status_code == 302
    infusion = Infusion.objects.get(patient=alice)
    # Riverside is in New York (UTC-4 after the 8 March 2026 change): 10:00 local = 14:00 UTC.
    assert infusion.started_at.isoformat() == "2026-03-10T14:00:00+00:00"
    assert infusion.duration_minutes == 40
    assert infusion.recorded_by == carol
    assert infusion.status == Infusion.Status.COMPLETED


def test_total_dose_comes_from_weight_on_the_day(as_user, carol, alice, march_11):
    post(as_user, carol, alice, VALID)
    infusion = Infusion.objects.get()
    # 0.5 mg/kg x 72.4 kg = 36.2 mg
    assert infusion.total_mg == Decimal("36.2")
    page = as_user(carol).get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert "0.5 mg/kg (36.2 mg)" in page


def test_a_fixed_dose_reads_as_written_everywhere(as_user, carol, alice, march_11):
    """100 mg once read "1E+2 mg" on the session page and "—" on the patient's record."""
    post(as_user, carol, alice, VALID)
    # A fixed dose is given at the pre-dose step of a session (test_session.py).
    Infusion.objects.update(dose_mg_per_kg=None, dose_mg=Decimal("100.0"), route="im")
    infusion = Infusion.objects.get()
    client = as_user(carol)
    session = client.get(f"/clinic/sessions/{infusion.pk}/").content.decode()
    record = client.get(f"/clinic/patients/{alice.pk}/").content.decode()
    timeline = client.get(f"/clinic/patients/{alice.pk}/timeline/").content.decode()
    for page in (session, record, timeline):
        assert "100 mg (fixed dose)" in page
        assert "E+" not in page


def test_no_trailing_zeros_in_a_dose(as_user, carol, alice, march_11):
    """ "1.0 mg" is read as "10 mg" (ISMP): doses are written 1 mg/kg, 70 kg, 70 mg."""
    post(as_user, carol, alice, {**VALID, "dose_mg_per_kg": "1.000", "weight_kg": "70.0"})
    infusion = Infusion.objects.get()
    client = as_user(carol)
    session = client.get(f"/clinic/sessions/{infusion.pk}/").content.decode()
    assert "1 mg/kg × 70 kg = <strong>70 mg</strong>" in session
    timeline = client.get(f"/clinic/patients/{alice.pk}/timeline/").content.decode()
    assert "1 mg/kg (70 mg)" in timeline
    assert "1.000" not in timeline


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ended_at": "2026-03-10T09:00"}, "ended_at", "The end must be after the start."),
        ({"ended_at": "2026-03-10T18:00"}, "ended_at", "longer than 6 hours"),
        (
            {"started_at": "2026-03-12T10:00", "ended_at": "2026-03-12T10:40"},
            "ended_at",
            "cannot end in the future",
        ),
        ({"dose_mg_per_kg": "50"}, "dose_mg_per_kg", "Enter a number from 0.05 to 3 mg/kg."),
        ({"dose_mg_per_kg": "abc"}, "dose_mg_per_kg", "Enter a number from 0.05 to 3 mg/kg."),
        ({"weight_kg": "5"}, "weight_kg", "Enter a number from 20 to 400 kg."),
        ({"weight_kg": "72.45"}, "weight_kg", "Use at most 1 decimal place."),
        ({"started_at": "yesterday"}, "started_at", "Enter a valid date/time."),
        ({"started_at": ""}, "started_at", "This field is required."),
        ({"route": "smoked"}, "route", "Select a valid choice."),
    ],
)
def test_bad_infusion_input_is_explained_and_kept(
    as_user, carol, alice, march_11, changes, field, message
):
    response = post(as_user, carol, alice, {**VALID, **changes})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert 'value="72.4"' in html or field == "weight_kg"
    assert not Infusion.objects.exists()


def test_the_patient_home_follows_the_recorded_infusion(as_user, carol, alice):
    with time_machine.travel("2026-03-11 15:00Z", tick=False):
        post(as_user, carol, alice, VALID)
    # Alice lives in Los Angeles: the infusion ended 07:40 her time on 10 March.
    with time_machine.travel("2026-03-12 18:00Z", tick=False):
        html = as_user(alice.user).get("/me/").content.decode()
    assert "Day 2: the emergence window" in html
    assert "Day 2 after your infusion" in html


def test_a_mistyped_year_is_questioned_beside_the_start(as_user, carol, alice, march_11):
    response = post(
        as_user,
        carol,
        alice,
        VALID | {"started_at": "1990-01-01T10:00", "ended_at": "1990-01-01T10:40"},
    )
    assert response.status_code == 400
    assert (
        'id="id_started_at_error">This is more than two years ago: check the year.'
        in response.content.decode()
    )
    assert not Infusion.objects.exists()


def test_an_infusion_overlapping_one_already_recorded_is_refused(as_user, carol, alice, march_11):
    assert post(as_user, carol, alice, VALID).status_code == 302
    overlapping = VALID | {"started_at": "2026-03-10T10:30", "ended_at": "2026-03-10T11:10"}
    response = post(as_user, carol, alice, overlapping)
    assert response.status_code == 400
    assert (
        "This overlaps the infusion already recorded on 10 Mar 2026, 10:00–10:40."
        in response.content.decode()
    )
    later = VALID | {"started_at": "2026-03-10T10:40", "ended_at": "2026-03-10T11:20"}
    assert post(as_user, carol, alice, later).status_code == 302  # back to back is fine
    assert Infusion.objects.filter(patient=alice).count() == 2


def test_an_infusion_overlapping_a_session_under_way_is_refused(as_user, carol, alice, march_11):
    from aftercare.treatment.tests.records import book

    under_way = book(alice, carol, datetime(2026, 3, 10, 14, tzinfo=UTC))
    Infusion.objects.filter(pk=under_way.pk).update(
        status=Infusion.Status.IN_PROGRESS, started_at=datetime(2026, 3, 10, 14, tzinfo=UTC)
    )
    response = post(as_user, carol, alice, VALID)  # 10:00–10:40 New York = 14:00 UTC on
    assert response.status_code == 400
    assert "This overlaps the session under way since 10 Mar 2026, 10:00." in (
        response.content.decode()
    )
