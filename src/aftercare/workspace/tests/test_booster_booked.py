"""A booster once booked is no longer "due" on the patient list: the column says when it is
booked, and the "booster due" filter leaves the patient out."""

from datetime import timedelta

import time_machine
from conftest import utc

from aftercare.accounts.models import Patient
from aftercare.demo.load import load_demo_clinic
from aftercare.outcomes.selectors import booster_review_pending
from aftercare.treatment import actions
from aftercare.treatment.models import Course, Route

NOW = utc(2026, 6, 15, 18)


def test_booking_the_booster_clears_the_flag(db, as_user):
    load_demo_clinic(seed=11, now=NOW)
    with time_machine.travel(NOW, tick=False):
        patient = next(
            p
            for p in Patient.objects.select_related("user", "clinician")
            if booster_review_pending(p, NOW)
        )
        client = as_user(patient.clinician)
        due = client.get("/clinic/workspace/?booster=1").context["rows"]
        assert patient.pk in [row.patient.pk for row in due]
        actions.schedule_course(
            patient=patient,
            by=patient.clinician,
            kind=Course.Kind.MAINTENANCE,
            times=[NOW + timedelta(days=2)],
            route=Route.IV,
        )
        due = client.get("/clinic/workspace/?booster=1").context["rows"]
        assert patient.pk not in [row.patient.pk for row in due]
        response = client.get(f"/clinic/workspace/?q={patient.user.last_name}")
    (row,) = [r for r in response.context["rows"] if r.patient.pk == patient.pk]
    assert (row.booster_due, row.booster_booked) == (False, True)
    assert "booked 17 Jun" in response.content.decode()
