"""A nurse runs a session: arrival, pre-dose observations, start, end and monitoring rounds."""

import re
from decimal import Decimal

import pytest
import time_machine
from conftest import utc

from aftercare.audit.models import AuditEvent
from aftercare.guidance.companion import companion_for
from aftercare.guidance.phases import Phase
from aftercare.treatment.models import Infusion, MonitoringRound, Route
from aftercare.treatment.tests.records import book

# Riverside is in New York: on 10 March 2026 (after the 8 March change) 10:00 local = 14:00 UTC.
NOW = "2026-03-10 16:00Z"  # 12:00 in New York

PRE_DOSE = {
    "predose-route": "iv",
    "predose-weight_kg": "72.4",
    "predose-dose_mg_per_kg": "0.5",
    "predose-dose_mg": "",
    "predose-taken_at": "2026-03-10T10:05",
    "predose-systolic_mmhg": "122",
    "predose-diastolic_mmhg": "78",
    "predose-heart_rate_bpm": "72",
    "predose-spo2_pct": "98",
    "predose-respiratory_rate": "14",
    "predose-notes": "",
}
ROUND = {
    "round-taken_at": "2026-03-10T11:30",
    "round-systolic_mmhg": "128",
    "round-diastolic_mmhg": "80",
    "round-heart_rate_bpm": "76",
    "round-spo2_pct": "97",
    "round-respiratory_rate": "15",
    "round-moaas": "5",
    "round-dissociation": "1",
    "round-nausea": "0",
    "round-notes": "Chatting, drinking water.",
}


def url(session, step=""):
    return f"/clinic/sessions/{session.pk}/{step}"


def run_to_end(client, session):
    assert (
        client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"}).status_code == 302
    )
    assert client.post(url(session, "pre-dose/"), PRE_DOSE).status_code == 302
    assert client.post(url(session, "start/"), {"start-at": "2026-03-10T10:10"}).status_code == 302
    assert client.post(url(session, "end/"), {"end-at": "2026-03-10T10:50"}).status_code == 302
    session.refresh_from_db()
    return session


def test_a_nurse_records_every_step_in_clinic_time(as_user, carol, alice, session):
    client = as_user(carol)
    page = client.get(url(session)).content.decode()
    assert "Tuesday 10 March 2026, 10:00" in page  # clinic time, not UTC
    assert "Record arrival" in page

    run_to_end(client, session)
    assert session.status == Infusion.Status.COMPLETED
    assert session.arrived_at == utc(2026, 3, 10, 14, 0)
    assert session.started_at == utc(2026, 3, 10, 14, 10)
    assert session.ended_at == utc(2026, 3, 10, 14, 50)
    assert session.duration_minutes == 40
    pre = session.rounds.get()
    assert (pre.kind, pre.systolic_mmhg, pre.spo2_pct) == ("pre_dose", 122, 98)

    assert client.post(url(session, "rounds/"), ROUND).status_code == 302
    page = client.get(url(session)).content.decode()
    assert "10:50" in page  # the end, in clinic time
    assert "0.5 mg/kg × 72.4 kg = <strong>36.2 mg</strong>" in page
    assert "Chatting, drinking water." in page
    assert "Open the discharge checklist" in page


def test_the_companion_counts_from_the_recorded_end(as_user, carol, alice, session):
    run_to_end(as_user(carol), session)
    # 30 minutes after the end: the first two hours.
    assert companion_for(alice, utc(2026, 3, 10, 15, 20)).state.phase == Phase.IMMEDIATE
    # 2 h 30 after the end (not after the start): getting home.
    assert companion_for(alice, utc(2026, 3, 10, 17, 20)).state.phase == Phase.GETTING_HOME


def test_a_session_under_way_is_neither_upcoming_nor_completed(as_user, carol, alice, session):
    as_user(carol).post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    session.refresh_from_db()
    assert session.status == Infusion.Status.IN_PROGRESS
    companion = companion_for(alice, utc(2026, 3, 10, 14, 30))
    assert companion.next_infusion is None
    assert companion.last_infusion is None


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("start/", {"start-at": "2026-03-10T10:10"}, "This session is not in progress."),
        ("end/", {"end-at": "2026-03-10T10:50"}, "This session is not in progress."),
        ("rounds/", ROUND, "Monitoring rounds start with the session."),
    ],
)
def test_steps_cannot_be_skipped(as_user, carol, session, step, data, message):
    response = as_user(carol).post(url(session, step), data, follow=True)
    assert message in response.content.decode()
    session.refresh_from_db()
    assert (session.status, session.started_at, session.ended_at) == ("scheduled", None, None)


def test_the_dose_needs_pre_dose_observations_first(as_user, carol, session):
    client = as_user(carol)
    client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    response = client.post(url(session, "start/"), {"start-at": "2026-03-10T10:10"}, follow=True)
    assert "Record the pre-dose observations first." in response.content.decode()
    session.refresh_from_db()
    assert session.started_at is None


def test_the_end_must_follow_the_start(as_user, carol, session):
    client = as_user(carol)
    client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    client.post(url(session, "pre-dose/"), PRE_DOSE)
    client.post(url(session, "start/"), {"start-at": "2026-03-10T10:10"})
    response = client.post(url(session, "end/"), {"end-at": "2026-03-10T10:10"})
    assert response.status_code == 400
    assert 'id="id_end-at_error"' in response.content.decode()
    assert "The end must be after the start." in response.content.decode()


def test_times_in_the_future_are_refused(as_user, carol, session):
    response = as_user(carol).post(url(session, "arrival/"), {"arrival-at": "2026-03-10T14:00"})
    assert response.status_code == 400
    assert "This time is in the future." in response.content.decode()


def test_intranasal_esketamine_takes_a_fixed_dose_in_mg(as_user, carol, alice, noon):
    session = book(alice, carol, utc(2026, 3, 10, 14), route=Route.INTRANASAL)
    client = as_user(carol)
    client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    data = {
        **PRE_DOSE,
        "predose-route": "intranasal",
        "predose-weight_kg": "",
        "predose-dose_mg_per_kg": "",
        "predose-dose_mg": "84",
    }
    assert client.post(url(session, "pre-dose/"), data).status_code == 302
    session.refresh_from_db()
    assert session.total_mg == Decimal("84")
    assert session.is_esketamine


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"predose-dose_mg": "56"}, "dose_mg", "either in mg/kg or in mg, not both"),
        ({"predose-dose_mg_per_kg": ""}, "dose_mg_per_kg", "Enter the dose in mg/kg, or a fixed"),
        ({"predose-weight_kg": ""}, "weight_kg", "Enter today"),
        ({"predose-weight_kg": "7"}, "weight_kg", "Enter a number from 20 to 400 kg."),
        ({"predose-dose_mg_per_kg": "5"}, "dose_mg_per_kg", "Enter a number from 0.05 to 3 mg/kg."),
        (
            {"predose-dose_mg_per_kg": "half"},
            "dose_mg_per_kg",
            "Enter a number from 0.05 to 3 mg/kg.",
        ),
        ({"predose-systolic_mmhg": ""}, "systolic_mmhg", "needed before the dose"),
        ({"predose-spo2_pct": ""}, "spo2_pct", "needed before the dose"),
        ({"predose-route": "smoked"}, "route", "Select a valid choice."),
        ({"predose-taken_at": "2026-03-10T09:00"}, "taken_at", "before the patient arrived"),
    ],
)
def test_bad_pre_dose_input_is_explained_and_kept(as_user, carol, session, changes, field, message):
    client = as_user(carol)
    client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    response = client.post(url(session, "pre-dose/"), {**PRE_DOSE, **changes})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_predose-{field}_error"' in html
    assert message in html
    assert 'value="122"' in html or field == "systolic_mmhg"
    assert not MonitoringRound.objects.exists()


def test_an_absurd_weight_is_explained_once(as_user, carol, session):
    client = as_user(carol)
    client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    response = client.post(url(session, "pre-dose/"), {**PRE_DOSE, "predose-weight_kg": "1000"})
    error = re.search(r'id="id_predose-weight_kg_error">([^<]*)<', response.content.decode())
    assert error is not None
    assert error.group(1) == "Enter a number from 20 to 400 kg."
    assert "Needed for a dose in mg/kg." in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("spo2_pct", "49", "Enter a whole number from 50 to 100 %."),
        ("spo2_pct", "101", "Enter a whole number from 50 to 100 %."),
        ("spo2_pct", "97.5", "Enter a whole number from 50 to 100 %."),
        ("spo2_pct", "ninety", "Enter a whole number from 50 to 100 %."),
        ("systolic_mmhg", "300", "Enter a whole number from 60 to 260 mmHg."),
        ("systolic_mmhg", "9" * 500, "Enter a whole number from 60 to 260 mmHg."),
        ("diastolic_mmhg", "20", "Enter a whole number from 30 to 160 mmHg."),
        ("diastolic_mmhg", "130", "Diastolic must be lower than systolic."),
        ("diastolic_mmhg", "", "Enter both blood pressure values, or neither."),
        ("heart_rate_bpm", "-5", "Enter a whole number from 25 to 250 /min."),
        ("heart_rate_bpm", "260", "Enter a whole number from 25 to 250 /min."),
        ("respiratory_rate", "3", "Enter a whole number from 4 to 60 /min."),
        ("respiratory_rate", "61", "Enter a whole number from 4 to 60 /min."),
        ("moaas", "6", "Choose one of the listed values."),
        ("nausea", "x", "Choose one of the listed values."),
        ("taken_at", "2026-03-10T13:00", "This time is in the future."),
        ("taken_at", "noon", "Enter a valid date/time."),
    ],
)
def test_impossible_values_are_refused_beside_the_field_and_nothing_is_lost(
    as_user, carol, session, field, value, message
):
    client = as_user(carol)
    run_to_end(client, session)
    data = {**ROUND, f"round-{field}": value}
    response = client.post(url(session, "rounds/"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_round-{field}_error"' in html
    assert message in html
    # Everything typed comes back, the wrong value included.
    if field not in ("moaas", "nausea") and len(value) < 50:
        assert f'value="{value}"' in html
    assert 'value="76"' in html or field == "heart_rate_bpm"
    assert "Chatting, drinking water." in html
    assert not session.rounds.filter(kind="round").exists()


def test_an_empty_round_asks_for_at_least_one_observation(as_user, carol, session):
    client = as_user(carol)
    run_to_end(client, session)
    empty = {"round-taken_at": "2026-03-10T11:30"}
    response = client.post(url(session, "rounds/"), empty)
    assert response.status_code == 400
    assert "Enter at least one observation." in response.content.decode()


def test_concerning_values_are_saved_and_name_their_threshold(as_user, carol, session):
    client = as_user(carol)
    run_to_end(client, session)
    data = {**ROUND, "round-spo2_pct": "90", "round-systolic_mmhg": "165", "round-moaas": "3"}
    response = client.post(url(session, "rounds/"), data, follow=True)
    html = response.content.decode()
    assert "SpO₂ 90 % is below 92 %." in html
    assert "Systolic 165 mmHg is above 160 mmHg." in html
    assert "Systolic rose 43 mmHg from 122 mmHg before the dose (limit: a rise of 40 mmHg)." in html
    assert "MOAA/S 3 is at or below 3." in html
    assert html.count('class="concern"') == 3  # BP, SpO2 and MOAA/S cells
    assert session.rounds.filter(kind="round", spo2_pct=90).exists()
    # Said as a warning (styled amber), not as the green "saved" of a normal round.
    assert '<p class="message message-warning">Round saved. Outside the clinic' in html


def test_a_high_pre_dose_blood_pressure_suggests_delaying(as_user, carol, session):
    client = as_user(carol)
    client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    data = {**PRE_DOSE, "predose-systolic_mmhg": "152", "predose-diastolic_mmhg": "94"}
    html = client.post(url(session, "pre-dose/"), data, follow=True).content.decode()
    assert "Pre-dose blood pressure 152/94 mmHg is above 140/90 mmHg: consider delaying" in html
    assert "Measure again before the dose" in html
    # Said in the message at the top, as for a round, not only in the table further down.
    message = html.split('<div class="messages"', 1)[1].split("</div>", 1)[0]
    assert "Pre-dose observations saved. Outside the clinic&#x27;s limits:" in message
    assert "consider delaying the dose" in message


def test_pre_dose_observations_within_limits_are_simply_saved(as_user, carol, session):
    client = as_user(carol)
    client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    html = client.post(url(session, "pre-dose/"), PRE_DOSE, follow=True).content.decode()
    assert '<p class="message message-success">Pre-dose observations saved.</p>' in html


def test_the_clinic_sets_its_own_thresholds(as_user, carol, dana, session):
    as_user(dana).post(
        "/clinic/settings/monitoring/",
        {**_protocol_defaults(), "spo2_below": "95"},
    )
    client = as_user(carol)
    run_to_end(client, session)
    html = client.post(url(session, "rounds/"), {**ROUND, "round-spo2_pct": "94"}, follow=True)
    assert "SpO₂ 94 % is below 95 %." in html.content.decode()


def _protocol_defaults() -> dict[str, str]:
    from aftercare.treatment.clinic_views import ProtocolForm
    from aftercare.treatment.models import ClinicProtocol

    fields = ProtocolForm._meta.fields or ()
    return {name: str(ClinicProtocol._meta.get_field(name).default) for name in fields}


def test_every_step_and_every_read_is_audited(as_user, carol, alice, session):
    client = as_user(carol)
    client.get(url(session))
    run_to_end(client, session)
    client.post(url(session, "rounds/"), ROUND)
    events = AuditEvent.objects.filter(patient=alice, object_id=str(session.pk)).exclude(
        what="treatment course"
    )
    assert list(events.order_by("pk").values_list("action", "what")) == [
        ("view", "session"),
        ("update", "session arrival"),
        ("create", "pre-dose observations"),
        ("update", "session start"),
        ("update", "session end"),
        ("create", "monitoring round"),
    ]
    assert {e.actor for e in events} == {carol}
    assert {e.ip_address for e in events} == {"127.0.0.1"}


def test_rounds_during_the_infusion_are_allowed(as_user, carol, session):
    client = as_user(carol)
    client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    client.post(url(session, "pre-dose/"), PRE_DOSE)
    client.post(url(session, "start/"), {"start-at": "2026-03-10T10:10"})
    data = {**ROUND, "round-taken_at": "2026-03-10T10:30"}
    assert client.post(url(session, "rounds/"), data).status_code == 302
    assert session.rounds.filter(kind="round").count() == 1


def test_a_previous_dose_is_suggested_but_the_weight_is_not(as_user, carol, alice, session):
    from aftercare.treatment.actions import record_infusion

    record_infusion(
        patient=alice,
        recorded_by=carol,
        started_at=utc(2026, 3, 6, 14),
        ended_at=utc(2026, 3, 6, 14, 40),
        route="iv",
        dose_mg_per_kg=Decimal("0.75"),
        weight_kg=Decimal("70"),
    )
    client = as_user(carol)
    client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    html = client.get(url(session)).content.decode()
    assert 'name="predose-dose_mg_per_kg" value="0.750"' in html
    assert 'name="predose-weight_kg" inputmode="decimal"' in html
    assert 'value="70' not in html


def test_a_session_run_before_its_booked_day_is_dated_when_given(as_user, carol, alice, noon):
    # Booked for Thursday 12 March at 10:00 New York time; the patient comes on Tuesday 10th.
    early = book(alice, carol, utc(2026, 3, 12, 14))
    client = as_user(carol)
    page = client.get(url(early)).content.decode()
    assert "This appointment is booked for Thursday 12 March, not today." in page
    run_to_end(client, early)
    assert early.started_at == utc(2026, 3, 10, 14, 10)
    page = client.get(url(early)).content.decode()
    assert "10 Mar, 10:10" in page  # the day shown beside the time, since it is not the booked day
    assert "booked for Thursday" not in page
    record = client.get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert "10 Mar 2026, 10:10" in record
    assert "12 Mar 2026" not in record


def test_a_session_on_its_booked_day_says_nothing_about_the_day(as_user, carol, session):
    page = as_user(carol).get(url(session)).content.decode()
    assert "not today" not in page


def test_the_pre_dose_form_names_the_limits_that_apply_before_the_dose(as_user, carol, session):
    client = as_user(carol)
    client.post(url(session, "arrival/"), {"arrival-at": "2026-03-10T10:00"})
    page = client.get(url(session)).content.decode()
    assert "Clinic limits before the dose: consider delaying above 140/90 mmHg" in page


def _prefilled(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found is not None, name
    return found.group(1)


def test_a_time_left_as_the_page_filled_it_in_means_when_it_is_sent(as_user, carol, session):
    client = as_user(carol)
    run_to_end(client, session)
    with time_machine.travel(utc(2026, 3, 10, 15, 20), tick=False):  # 11:20 in New York
        page = client.get(url(session)).content.decode()
    sent = {
        **ROUND,
        "round-taken_at": _prefilled(page, "round-taken_at"),
        "round-shown_time": _prefilled(page, "round-shown_time"),
    }
    assert sent["round-taken_at"] == "2026-03-10T11:20"
    with time_machine.travel(utc(2026, 3, 10, 15, 45), tick=False):  # the tablet lay open
        assert client.post(url(session, "rounds/"), sent).status_code == 302
    assert session.rounds.filter(kind="round").get().taken_at == utc(2026, 3, 10, 15, 45)


def test_a_time_the_nurse_changed_is_kept(as_user, carol, session):
    client = as_user(carol)
    run_to_end(client, session)
    sent = {**ROUND, "round-taken_at": "2026-03-10T11:30", "round-shown_time": "2026-03-10T11:20"}
    with time_machine.travel(utc(2026, 3, 10, 15, 45), tick=False):
        assert client.post(url(session, "rounds/"), sent).status_code == 302
    assert session.rounds.filter(kind="round").get().taken_at == utc(2026, 3, 10, 15, 30)


def test_hidden_inputs_take_no_cell_of_the_vitals_grid(as_user, carol, alice, session):
    """A hidden input in its own cell pushed systolic to the right and every later field one
    cell on (diastolic beside heart rate)."""
    client = as_user(carol)
    run_to_end(client, session)
    page = client.get(url(session)).content.decode()
    grid = page[page.index('id="round-form"') :]
    grid = grid[: grid.index("</form>")]
    assert 'type="hidden" name="round-shown_time"' in grid
    assert not re.search(r'<div class="[^"]*">\s*<input type="hidden"', grid)
