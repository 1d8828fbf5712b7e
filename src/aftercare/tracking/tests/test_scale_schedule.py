"""The clinic's questionnaire schedule: every staff member can read it, an admin can change it."""

import pytest

from aftercare.tracking.models import ScaleSchedule
from aftercare.tracking.queries import schedule_rules_for

VALID = {
    "phq9-active": "on",
    "phq9-baseline": "on",
    "phq9-before_each_infusion": "on",
    "phq9-days_after_each_infusion": "3",
    "phq9-weekly_first_month": "on",
    "phq9-maintenance_every_days": "21",
    "gad7-baseline": "on",
    "gad7-maintenance_every_days": "",
}


def test_defaults_are_shown_until_the_clinic_saves_its_own(as_user, carol, riverside):
    response = as_user(carol).get("/clinic/scale-schedule/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="phq9-maintenance_every_days" value="14"' in html
    assert "Only a clinic admin can change the schedule." in html
    assert [r.instrument for r in schedule_rules_for(riverside)] == ["phq9", "gad7"]


def test_an_admin_saves_the_schedule(as_user, dana, riverside):
    response = as_user(dana).post("/clinic/scale-schedule/", VALID)
    assert response.status_code == 302
    phq9 = ScaleSchedule.objects.get(clinic=riverside, instrument="phq9")
    assert (phq9.days_after_each_infusion, phq9.maintenance_every_days, phq9.updated_by) == (
        3, 21, dana,
    )  # fmt: skip
    gad7 = ScaleSchedule.objects.get(clinic=riverside, instrument="gad7")
    assert (gad7.active, gad7.weekly_first_month, gad7.maintenance_every_days) == (
        False, False, None,
    )  # fmt: skip
    assert [r.instrument for r in schedule_rules_for(riverside)] == ["phq9"]


@pytest.mark.parametrize(
    ("field", "bad"),
    [("phq9-days_after_each_infusion", "0"), ("phq9-days_after_each_infusion", "abc"),
     ("phq9-maintenance_every_days", "3"), ("phq9-maintenance_every_days", "9" * 50)],
)  # fmt: skip
def test_bad_numbers_are_explained_and_nothing_saved(as_user, dana, field, bad):
    response = as_user(dana).post("/clinic/scale-schedule/", {**VALID, field: bad})
    assert response.status_code == 400
    html = response.content.decode()
    name = field.split("-", 1)[1]
    assert f'id="id_{field}_error"' in html
    assert "Enter a number of days" in html
    assert f'name="{field}" value="{bad}"' in html or name == "x"
    assert not ScaleSchedule.objects.exists()


def test_a_clinician_cannot_change_it_and_other_clinics_are_untouched(
    as_user, carol, eve, riverside, lakeside
):
    assert as_user(carol).post("/clinic/scale-schedule/", VALID).status_code == 404
    as_user(eve).get("/clinic/scale-schedule/")
    assert not ScaleSchedule.objects.exists()


def test_patients_and_strangers_cannot_open_it(as_user, alice, client):
    assert as_user(alice.user).get("/clinic/scale-schedule/").status_code == 404
    assert client.get("/clinic/scale-schedule/").status_code == 302
