"""The clinic's plain patient list: every patient with their latest check-in."""

from datetime import timedelta

from conftest import utc

from aftercare.tracking.models import CheckIn


def test_it_shows_each_patients_latest_check_in(alice, bob, carol, as_user):
    for at in (utc(2026, 3, 1, 15), utc(2026, 3, 9, 18, 30), utc(2026, 2, 20, 9)):
        CheckIn.objects.create(patient=alice, submitted_at=at, local_date=at.date(), mood=6)
    CheckIn.objects.create(
        patient=bob, submitted_at=utc(2026, 3, 9, 18, 30) - timedelta(days=30),
        local_date=utc(2026, 2, 7).date(), mood=5,
    )  # fmt: skip
    response = as_user(carol).get("/clinic/patients/")
    assert response.status_code == 200
    last = {p.user.first_name: p.last_check_in for p in response.context["patients"]}
    assert last == {"Alice": utc(2026, 3, 9, 18, 30), "Bob": utc(2026, 2, 7, 18, 30)}
    page = response.content.decode()
    assert "9 Mar 2026, 14:30" in page  # in the clinic's zone, New York (summer time)


def test_a_patient_without_check_ins_shows_none_yet(alice, carol, as_user):
    response = as_user(carol).get("/clinic/patients/")
    assert [p.last_check_in for p in response.context["patients"]] == [None]
    assert "none yet" in response.content.decode()
