"""The discharge checklist gates discharge; an override needs a reason; a signed discharge stays."""

import re
from datetime import timedelta

import pytest
import time_machine
from conftest import utc

from aftercare.audit.models import AuditEvent
from aftercare.treatment import actions
from aftercare.treatment.actions import DischargeBlockedError, SessionStateError
from aftercare.treatment.discharge_rules import padss_activity_item
from aftercare.treatment.models import Discharge, ImmutableRecordError, Route
from aftercare.treatment.tests.records import GOOD_CHECKLIST, add_round, book, run_until_end
from aftercare.treatment.vitals import Vitals, padss_vital_signs_item

# 10:00-10:40 New York time on 10 March 2026 (14:00-14:40 UTC); "now" is 12:00 local.
NOW = utc(2026, 3, 10, 16, 0)
FORM = {
    "padss_vital_signs": "2",
    "padss_nausea_pain": "2",
    "padss_bleeding": "2",
    "padss_intake_output": "2",
    "oriented": "on",
    "walks_steadily": "on",
    "instructions_given": "on",
    "escort_name": "Sam Archer",
    "escort_phone": "+1 555 0199",
    "adverse_events": "none",
    "override_reason": "",
}


@pytest.fixture
def noon():
    with time_machine.travel(NOW, tick=False):
        yield


def ended_session(patient, nurse, *, ended_minutes_ago=80, route=Route.IV, pre_dose=None):
    end = NOW - timedelta(minutes=ended_minutes_ago)
    infusion = book(patient, nurse, end - timedelta(minutes=60), route=route)
    return run_until_end(
        infusion,
        nurse,
        arrived=end - timedelta(minutes=60),
        started=end - timedelta(minutes=40),
        ended=end,
        pre_dose=pre_dose,
        dose_mg_per_kg=None if route == Route.INTRANASAL else "0.5",
        dose_mg="84" if route == Route.INTRANASAL else None,
    )


@pytest.fixture
def ready(alice, carol, noon):
    """A session that meets every criterion once the bedside checklist is complete."""
    infusion = ended_session(alice, carol)
    add_round(infusion, carol, NOW - timedelta(minutes=10))
    return infusion


def discharge_url(infusion):
    return f"/clinic/sessions/{infusion.pk}/discharge/"


def test_a_patient_who_meets_everything_is_discharged(as_user, carol, alice, ready):
    client = as_user(carol)
    page = client.get(discharge_url(ready)).content.decode()
    assert "Observed at least 60 min after the end" in page
    assert "80 of 60 min so far." in page
    response = client.post(discharge_url(ready), FORM)
    assert response.status_code == 302
    discharge = Discharge.objects.get(infusion=ready)
    assert discharge.discharged_at == NOW
    assert discharge.signed_by == carol
    assert (discharge.padss_total, discharge.padss_activity) == (10, 2)
    assert discharge.observed_minutes == 80
    assert discharge.unmet == []
    assert discharge.override_reason == ""
    assert AuditEvent.objects.filter(patient=alice, what="discharge", action="create").exists()
    page = client.get(f"/clinic/sessions/{ready.pk}/").content.decode()
    assert "Sam Archer, +1 555 0199" in page
    assert "Not confirmed yet" in page


def _unmet_cases():
    """(name, how to spoil the session or the form, the criterion the page must name)."""
    return [
        ("observation", {"ended_minutes_ago": 45}, {}, "Observed at least 60 min after the end"),
        (
            "recent round",
            {"round_minutes_ago": 45},
            {},
            "Blood pressure, heart rate and SpO₂ after the end, each in the last 30 min",
        ),
        (
            "vitals",
            {"round": {"spo2_pct": 90}},
            {},
            "The latest value of each observation within the clinic",
        ),
        (
            "padss",
            {},
            {"padss_intake_output": "0", "padss_bleeding": "1"},
            "PADSS score at least 9",
        ),
        ("oriented", {}, {"oriented": ""}, "Oriented"),
        ("walks", {}, {"walks_steadily": ""}, "Walks steadily"),
        ("driver name", {}, {"escort_name": ""}, "Going home with a responsible adult"),
        ("driver phone", {}, {"escort_phone": ""}, "Going home with a responsible adult"),
        ("instructions", {}, {"instructions_given": ""}, "Discharge instructions given"),
    ]


@pytest.mark.parametrize(
    ("session_change", "form_change", "named"),
    [case[1:] for case in _unmet_cases()],
    ids=[case[0] for case in _unmet_cases()],
)
def test_each_unmet_criterion_blocks_discharge(
    as_user, carol, alice, noon, session_change, form_change, named
):
    infusion = ended_session(
        alice, carol, ended_minutes_ago=session_change.get("ended_minutes_ago", 80)
    )
    round_age = session_change.get("round_minutes_ago", 10)
    add_round(
        infusion, carol, NOW - timedelta(minutes=round_age), **session_change.get("round", {})
    )
    data = {k: v for k, v in {**FORM, **form_change}.items() if v != ""}
    response = as_user(carol).post(discharge_url(infusion), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Discharge is not possible yet. Not met:" in html
    assert named in html
    assert "Give a reason to discharge anyway" in html
    # Nothing typed is lost.
    assert 'value="Sam Archer"' in html or "escort_name" in form_change
    assert not Discharge.objects.exists()


@pytest.mark.parametrize("empty", ["escort_name", "escort_phone"])
def test_a_missing_ride_is_said_beside_the_empty_driver_field(as_user, carol, alice, noon, empty):
    infusion = ended_session(alice, carol, ended_minutes_ago=80)
    add_round(infusion, carol, NOW - timedelta(minutes=10))
    data = {k: v for k, v in FORM.items() if k != empty}
    html = as_user(carol).post(discharge_url(infusion), data).content.decode()
    assert (
        f'id="id_{empty}_error">Needed before the patient leaves: the adult taking them home.</p>'
        in html
    )
    other = "escort_phone" if empty == "escort_name" else "escort_name"
    assert f'id="id_{other}_error"' not in html


def test_esketamine_needs_two_hours_and_a_blood_pressure_at_about_40_minutes(
    as_user, carol, alice, noon
):
    infusion = ended_session(alice, carol, ended_minutes_ago=90, route=Route.INTRANASAL)
    add_round(infusion, carol, NOW - timedelta(minutes=5))  # 85 min after the dose only
    response = as_user(carol).post(discharge_url(infusion), FORM)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Observed at least 120 min after the dose (esketamine REMS)" in html
    assert "Blood pressure taken 30–60 min after the dose (esketamine label)" in html
    add_round(infusion, carol, NOW - timedelta(minutes=50))  # 40 min after the dose
    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        add_round(infusion, carol, NOW + timedelta(minutes=30))
        assert as_user(carol).post(discharge_url(infusion), FORM).status_code == 302
    assert Discharge.objects.get(infusion=infusion).observed_minutes == 121


def test_an_override_needs_a_reason_and_is_recorded(as_user, carol, alice, noon):
    infusion = ended_session(alice, carol, ended_minutes_ago=45)
    add_round(infusion, carol, NOW - timedelta(minutes=5))
    reason = "Patient's partner is a nurse; waited 45 min, fully alert."
    override = {**FORM, "override_reason": reason, "confirmed": ["observation"]}
    response = as_user(carol).post(discharge_url(infusion), override)
    assert response.status_code == 302
    discharge = Discharge.objects.get()
    assert discharge.override_reason == reason
    assert [c["code"] for c in discharge.unmet] == ["observation"]
    page = as_user(carol).get(f"/clinic/sessions/{infusion.pk}/").content.decode()
    assert "Discharged although not met:" in page
    assert "Observed at least 60 min after the end (45 of 60 min so far.)" in page
    assert "waited 45 min, fully alert." in page


def test_a_reason_alone_does_not_override_a_check_nobody_ticked(as_user, carol, alice, noon):
    infusion = ended_session(alice, carol, ended_minutes_ago=45)
    add_round(infusion, carol, NOW - timedelta(minutes=5))
    reason = "Waited 45 min, fully alert."
    no_ride = {**FORM, "escort_name": "", "escort_phone": "", "override_reason": reason}
    # The page named the short observation, and the nurse ticked it; the missing ride was not
    # confirmed: nothing is signed, each unticked check says so beside its box, all is kept.
    response = as_user(carol).post(discharge_url(infusion), {**no_ride, "confirmed": "observation"})
    html = response.content.decode()
    assert response.status_code == 400
    assert not Discharge.objects.exists()
    assert 'id="confirm-ride-error"' in html
    assert 'id="confirm-observation-error"' not in html
    assert re.search(r'value="observation" id="confirm-observation" checked', html)
    assert "Waited 45 min, fully alert." in html
    response = as_user(carol).post(
        discharge_url(infusion), {**no_ride, "confirmed": ["observation", "ride"]}
    )
    assert response.status_code == 302
    assert [c["code"] for c in Discharge.objects.get().unmet] == ["observation", "ride"]


def test_a_check_that_became_unmet_after_the_page_was_shown_is_not_overridden_unseen(
    as_user, carol, alice, noon
):
    infusion = ended_session(alice, carol, ended_minutes_ago=45)
    add_round(infusion, carol, NOW - timedelta(minutes=5))
    # Meanwhile a round with a low SpO2 arrives: the vitals check is unmet too, and the ticks
    # sent (for the observation time only) do not cover it.
    add_round(infusion, carol, NOW - timedelta(minutes=1), spo2_pct=85)
    override = {**FORM, "override_reason": "Alert and well.", "confirmed": ["observation"]}
    response = as_user(carol).post(discharge_url(infusion), override)
    assert response.status_code == 400
    assert 'id="confirm-vitals-error"' in response.content.decode()
    assert not Discharge.objects.exists()


def test_the_boxes_appear_only_once_the_page_has_named_what_is_unmet(as_user, carol, alice, noon):
    infusion = ended_session(alice, carol, ended_minutes_ago=45)
    add_round(infusion, carol, NOW - timedelta(minutes=5))
    client = as_user(carol)
    assert 'name="confirmed"' not in client.get(discharge_url(infusion)).content.decode()
    html = client.post(discharge_url(infusion), FORM).content.decode()
    assert "Discharge anyway: confirm each check that is not met" in html
    assert 'name="confirmed" value="observation"' in html
    # No reason given yet: the reason is asked for, the boxes carry no error yet.
    assert "Give a reason to discharge anyway" in html
    assert 'id="confirm-observation-error"' not in html


def test_a_patient_can_go_home_with_an_adult_who_does_not_drive(as_user, carol, ready):
    client = as_user(carol)
    form = client.get(discharge_url(ready)).content.decode()
    assert re.search(r'name="ride" value="driven"[^>]*checked', form)  # the usual way, first
    escort = {**FORM, "ride": "accompanied", "escort_name": "Jo Archer"}
    assert client.post(discharge_url(ready), escort).status_code == 302
    discharge = Discharge.objects.get()
    assert (discharge.ride, discharge.escort_name) == ("accompanied", "Jo Archer")
    page = client.get(f"/clinic/sessions/{ready.pk}/").content.decode()
    assert "Accompanied home (taxi, public transport or on foot) by Jo Archer" in page


def test_going_home_unanswered_reads_as_driven_and_a_made_up_way_is_refused(as_user, carol, ready):
    client = as_user(carol)
    response = client.post(discharge_url(ready), {**FORM, "ride": "by balloon"})
    assert response.status_code == 400
    assert not Discharge.objects.exists()
    client.post(discharge_url(ready), FORM)  # no "ride": as before the choice existed
    assert Discharge.objects.get().get_ride_display() == "Driven home by"


def test_a_reason_without_need_is_not_stored_as_an_override(as_user, carol, ready):
    as_user(carol).post(discharge_url(ready), {**FORM, "override_reason": "Just in case"})
    discharge = Discharge.objects.get()
    assert (discharge.unmet, discharge.override_reason) == ([], "")


def test_a_signed_discharge_cannot_change(as_user, carol, dana, ready):
    client = as_user(carol)
    client.post(discharge_url(ready), FORM)
    discharge = Discharge.objects.get()
    discharge.escort_name = "Someone else"
    with pytest.raises(ImmutableRecordError):
        discharge.save()
    with pytest.raises(ImmutableRecordError):
        discharge.delete()
    # There is no edit view: the checklist sends back to the session page.
    response = as_user(dana).post(discharge_url(ready), {**FORM, "escort_name": "Other"})
    assert response.status_code == 302
    assert Discharge.objects.get().escort_name == "Sam Archer"
    with pytest.raises(SessionStateError):
        actions.sign_discharge(infusion=ready, by=dana, now=NOW, checklist=GOOD_CHECKLIST)
    # Nor can rounds be added afterwards.
    response = client.post(
        f"/clinic/sessions/{ready.pk}/rounds/",
        {"round-taken_at": "2026-03-10T11:58", "round-spo2_pct": "97"},
        follow=True,
    )
    assert "write an addendum instead" in response.content.decode()


def test_corrections_are_addenda_with_author_and_time(as_user, carol, dana, ready):
    as_user(carol).post(discharge_url(ready), FORM)
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        response = as_user(dana).post(
            f"/clinic/sessions/{ready.pk}/addendum/",
            {"addendum-text": "Driver's phone is +1 555 0198, not 0199."},
        )
    assert response.status_code == 302
    discharge = Discharge.objects.get()
    addendum = discharge.addenda.get()
    assert (addendum.author, addendum.written_at) == (dana, NOW + timedelta(hours=3))
    assert discharge.escort_phone == "+1 555 0199"
    page = as_user(carol).get(f"/clinic/sessions/{ready.pk}/").content.decode()
    assert "10 March 2026, 15:00, Dana Diaz:" in page  # clinic time (19:00 UTC)
    assert "not 0199." in page
    with pytest.raises(ImmutableRecordError):
        addendum.save()


def test_an_empty_addendum_is_explained(as_user, carol, ready):
    client = as_user(carol)
    client.post(discharge_url(ready), FORM)
    response = client.post(f"/clinic/sessions/{ready.pk}/addendum/", {"addendum-text": ""})
    assert response.status_code == 400
    assert 'id="id_addendum-text_error"' in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"adverse_events": ""}, "adverse_events", "or write “none”"),
        ({"escort_phone": "call Sam"}, "escort_phone", "Enter a phone number"),
        ({"escort_phone": "12"}, "escort_phone", "Enter a phone number"),
        ({"padss_bleeding": "5"}, "padss_bleeding", "Choose one of the listed scores."),
        ({"padss_nausea_pain": ""}, "padss_nausea_pain", "Choose a score."),
        ({"escort_name": "x" * 121}, "escort_name", "at most 120 characters"),
    ],
)
def test_bad_discharge_input_is_explained_and_kept(as_user, carol, ready, changes, field, message):
    response = as_user(carol).post(discharge_url(ready), {**FORM, **changes})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert "checked" in html  # the ticked boxes stay ticked
    assert not Discharge.objects.exists()


def test_discharge_waits_for_the_end_of_the_infusion(as_user, carol, alice, noon):
    infusion = book(alice, carol, NOW)
    response = as_user(carol).get(discharge_url(infusion), follow=True)
    assert "Record the end of the infusion before discharge." in response.content.decode()
    with pytest.raises(SessionStateError):
        actions.sign_discharge(infusion=infusion, by=carol, now=NOW, checklist=GOOD_CHECKLIST)


def test_blocked_discharge_raises_with_the_unmet_list(alice, carol, noon):
    infusion = ended_session(alice, carol)
    with pytest.raises(DischargeBlockedError) as blocked:
        actions.sign_discharge(infusion=infusion, by=carol, now=NOW, checklist=GOOD_CHECKLIST)
    assert [c.code for c in blocked.value.unmet] == ["recent_round", "vitals"]


def test_the_padss_vital_signs_item_compares_with_pre_dose():
    pre = Vitals(systolic_mmhg=120, diastolic_mmhg=80, heart_rate_bpm=70)
    assert (
        padss_vital_signs_item(pre, Vitals(systolic_mmhg=144, diastolic_mmhg=80, heart_rate_bpm=70))
        == 2
    )
    assert (
        padss_vital_signs_item(pre, Vitals(systolic_mmhg=145, diastolic_mmhg=80, heart_rate_bpm=70))
        == 1
    )
    assert (
        padss_vital_signs_item(pre, Vitals(systolic_mmhg=120, diastolic_mmhg=80, heart_rate_bpm=98))
        == 1
    )
    assert (
        padss_vital_signs_item(pre, Vitals(systolic_mmhg=120, diastolic_mmhg=80, heart_rate_bpm=99))
        == 0
    )
    assert padss_vital_signs_item(pre, Vitals(systolic_mmhg=120)) is None
    assert padss_vital_signs_item(None, pre) is None
    assert padss_activity_item(oriented=True, walks_steadily=True) == 2
    assert padss_activity_item(oriented=True, walks_steadily=False) == 1
    assert padss_activity_item(oriented=False, walks_steadily=False) == 0


def test_the_checklist_suggests_the_padss_vital_signs_item(as_user, carol, alice, noon):
    infusion = ended_session(alice, carol)
    add_round(infusion, carol, NOW - timedelta(minutes=10), systolic_mmhg=150)  # +23 % from 122
    html = as_user(carol).get(discharge_url(infusion)).content.decode()
    assert '<option value="1" selected>1 – 20–40 % from pre-dose</option>' in html


def _criteria_page(client, infusion):
    return client.get(discharge_url(infusion)).content.decode()


def test_a_later_round_without_vital_signs_does_not_hide_low_oxygen(as_user, carol, alice, noon):
    infusion = ended_session(alice, carol)
    add_round(infusion, carol, NOW - timedelta(minutes=12), spo2_pct=90, heart_rate_bpm=118)
    # One minute later a round that records only nausea.
    actions.add_round(
        infusion=infusion, by=carol, taken_at=NOW - timedelta(minutes=11), vitals={"nausea": 0}
    )
    client = as_user(carol)
    response = client.post(discharge_url(infusion), FORM)
    assert response.status_code == 400
    html = response.content.decode()
    assert "SpO₂ 90 % is below 92 %." in html
    assert "Heart rate 118" in html
    assert not Discharge.objects.filter(infusion=infusion).exists()
    # The observations shown are the ones the check used: the low SpO₂'s round is listed.
    latest = html.split("Latest observations", 1)[1].split("</table>", 1)[0]
    assert ">90<" in latest or "90 %" in latest


def test_rounds_without_blood_pressure_heart_rate_or_oxygen_do_not_pass(
    as_user, carol, alice, noon
):
    infusion = ended_session(alice, carol)
    actions.add_round(
        infusion=infusion,
        by=carol,
        taken_at=NOW - timedelta(minutes=5),
        vitals={"moaas": 5, "nausea": 0, "heart_rate_bpm": 70},
    )
    html = as_user(carol).post(discharge_url(infusion), FORM).content.decode()
    assert "Not measured after the end yet: blood pressure, SpO₂." in html
    assert not Discharge.objects.filter(infusion=infusion).exists()


def test_each_vital_sign_must_be_recent_not_only_the_last_round(as_user, carol, alice, noon):
    infusion = ended_session(alice, carol)
    add_round(infusion, carol, NOW - timedelta(minutes=50))  # everything, 50 min ago
    actions.add_round(  # heart rate again, 5 min ago
        infusion=infusion,
        by=carol,
        taken_at=NOW - timedelta(minutes=5),
        vitals={"heart_rate_bpm": 72},
    )
    html = as_user(carol).post(discharge_url(infusion), FORM).content.decode()
    assert "Last measured more than 30 min ago: blood pressure, SpO₂." in html
    assert not Discharge.objects.filter(infusion=infusion).exists()
