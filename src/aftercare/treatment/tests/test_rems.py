"""Esketamine sessions: the record holds the REMS monitoring form's fields; forms due in 7 days."""

from datetime import timedelta

import pytest
import time_machine
from conftest import utc

from aftercare.audit.models import AuditEvent
from aftercare.treatment import actions, rems
from aftercare.treatment.models import Route
from aftercare.treatment.tests.records import GOOD_CHECKLIST, add_round, book, run_until_end

DOSE_END = utc(2026, 3, 10, 14, 20)  # 10:20 in New York


def esketamine_session(patient, nurse, *, discharged=True, end=DOSE_END):
    with time_machine.travel(end + timedelta(hours=2, minutes=5), tick=False):
        infusion = book(patient, nurse, end - timedelta(minutes=30), route=Route.INTRANASAL)
        run_until_end(
            infusion,
            nurse,
            arrived=end - timedelta(minutes=30),
            started=end - timedelta(minutes=10),
            ended=end,
            weight_kg="",
            dose_mg_per_kg=None,
            dose_mg="84",
        )
        add_round(
            infusion, nurse, end + timedelta(minutes=40), systolic_mmhg=138, moaas=4, dissociation=2
        )
        add_round(infusion, nurse, end + timedelta(minutes=120))
        if discharged:
            actions.sign_discharge(
                infusion=infusion,
                by=nurse,
                now=end + timedelta(hours=2, minutes=5),
                checklist={**GOOD_CHECKLIST, "adverse_events": "Brief nausea, resolved."},
            )
    infusion.refresh_from_db()
    return infusion


def test_the_record_holds_every_form_field(alice, carol):
    infusion = esketamine_session(alice, carol)
    fields = rems.form_fields(
        infusion, list(infusion.rounds.all()), actions.protocol_for(alice.clinic)
    )
    values = {str(f.label): f.value for f in fields}
    assert values == {
        "Patient": "Alice Archer",
        "Date and time of the dose": "10 Mar 2026, 10:10",
        "Dose (mg)": "84 mg",
        "Blood pressure before the dose": "122/78 mmHg",
        "Blood pressure about 40 minutes after the dose": "138/78 mmHg (10 Mar 2026, 11:00)",
        "Sedation observed (lowest MOAA/S)": "Yes, lowest MOAA/S 4",
        "Dissociation observed (highest rating 0–4)": "Yes, highest rating 2",
        "Adverse events": "Brief nausea, resolved.",
        "Time the patient was ready to leave": "10 Mar 2026, 12:25",
    }


def test_the_clinic_sees_which_forms_are_due(as_user, carol, alice, bob, eve):
    done = esketamine_session(alice, carol)
    pending = esketamine_session(bob, carol, discharged=False, end=utc(2026, 3, 12, 14))
    with time_machine.travel(utc(2026, 3, 13, 15), tick=False):
        html = as_user(carol).get("/clinic/rems/").content.decode()
        assert html.index("Alice Archer") < html.index("Bob Baker")  # soonest first
        assert "Tue 17 Mar" in html
        assert "4 days left" in html
        assert "Thu 19 Mar" in html
        assert "6 days left" in html
        # Bob's record still lacks the discharge fields.
        assert "Adverse events, Time the patient was ready to leave" in html
        assert (
            "No REMS forms are outstanding." in as_user(eve).get("/clinic/rems/").content.decode()
        )
    with time_machine.travel(utc(2026, 3, 19, 15), tick=False):
        html = as_user(carol).get("/clinic/rems/").content.decode()
        assert "2 days overdue" in html
        assert 'class="overdue"' in html
        as_user(carol).post(f"/clinic/sessions/{done.pk}/rems/", {"rems-reference": "RX-1234"})
        html = as_user(carol).get("/clinic/rems/").content.decode()
    done.refresh_from_db()
    assert (done.rems_reference, done.rems_submitted_by) == ("RX-1234", carol)
    assert "Recently submitted" in html
    assert "2 days overdue" not in html
    assert AuditEvent.objects.filter(patient=alice, what="REMS form submitted").exists()
    assert AuditEvent.objects.filter(patient=bob, what="REMS forms due").exists()
    assert pending.rems_submitted_at is None


def test_iv_sessions_have_no_rems_form(as_user, carol, alice):
    with time_machine.travel(DOSE_END + timedelta(hours=2), tick=False):
        infusion = book(alice, carol, DOSE_END - timedelta(hours=1))
        run_until_end(
            infusion, carol, arrived=DOSE_END - timedelta(hours=1),
            started=DOSE_END - timedelta(minutes=40), ended=DOSE_END,
        )  # fmt: skip
        html = as_user(carol).get("/clinic/rems/").content.decode()
        response = as_user(carol).post(f"/clinic/sessions/{infusion.pk}/rems/", follow=True)
    assert "No REMS forms are outstanding." in html
    assert "Only a completed esketamine session has a REMS form." in response.content.decode()
    assert "REMS patient monitoring form" not in response.content.decode()


def test_the_session_page_shows_the_form_and_what_is_missing(as_user, carol, alice):
    infusion = esketamine_session(alice, carol, discharged=False)
    with time_machine.travel(DOSE_END + timedelta(hours=2, minutes=10), tick=False):
        html = as_user(carol).get(f"/clinic/sessions/{infusion.pk}/").content.decode()
    assert "Esketamine REMS patient monitoring form" in html
    assert "Due by 17 March 2026." in html
    assert html.count(">Missing<") == 2


@pytest.mark.parametrize("reference", ["", "A-1"])
def test_a_reference_is_optional(as_user, carol, alice, reference):
    infusion = esketamine_session(alice, carol)
    as_user(carol).post(f"/clinic/sessions/{infusion.pk}/rems/", {"rems-reference": reference})
    infusion.refresh_from_db()
    assert infusion.rems_submitted_at is not None
    response = as_user(carol).post(f"/clinic/sessions/{infusion.pk}/rems/", follow=True)
    assert "already marked as submitted" in response.content.decode()
