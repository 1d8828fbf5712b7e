"""Staff triage: the alert list and an alert's page with its actions."""

import re
from datetime import timedelta

import pytest
import time_machine
from conftest import utc

from aftercare.accounts.actions import create_patient
from aftercare.audit.models import AuditEvent
from aftercare.safety.actions import acknowledge_alert, raise_alerts, report_concern
from aftercare.safety.models import AlertEvent
from aftercare.safety.rules import Finding, Severity
from aftercare.tracking.actions import submit_check_in, update_journal_entry, write_journal_entry

T0 = utc(2026, 3, 12, 15)


def alert_for(patient, severity="high", at=T0, rule_id="patient_concern"):
    (alert,) = raise_alerts(
        patient=patient,
        findings=[Finding(rule_id, Severity(severity), {"x": 1}, f"{severity} finding")],
        source_kind="concern",
        now=at,
    )
    return alert


def test_it_lists_open_alerts_by_severity_then_age(as_user, alice, bob, carol):
    old_routine = alert_for(alice, "routine", T0 - timedelta(days=1))
    new_urgent = alert_for(bob, "urgent", T0)
    old_urgent = alert_for(alice, "urgent", T0 - timedelta(hours=1))
    high = alert_for(bob, "high", T0 - timedelta(days=2))
    seen = alert_for(alice, "urgent", T0 - timedelta(hours=3))
    acknowledge_alert(alert=seen, by=carol)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        response = as_user(carol).get("/clinic/alerts/")
    assert response.status_code == 200
    assert [a.pk for a in response.context["waiting"]] == [
        old_urgent.pk,
        new_urgent.pk,
        high.pk,
        old_routine.pk,
    ]
    assert [a.pk for a in response.context["acknowledged"]] == [seen.pk]
    html = response.content.decode()
    assert "overdue" in html  # the old urgent one is past its 15 minutes
    assert "Archer, Alice" in html


def test_resolved_alerts_leave_the_list(as_user, alice, carol):
    from aftercare.safety.actions import resolve_alert

    resolve_alert(alert=alert_for(alice), by=carol)
    response = as_user(carol).get("/clinic/alerts/")
    assert response.context["waiting"] == []
    assert response.context["acknowledged"] == []


def test_another_clinics_alerts_never_show(as_user, alice, eve):
    alert_for(alice, "urgent")
    response = as_user(eve).get("/clinic/alerts/")
    assert response.context["waiting"] == []
    assert "Archer" not in response.content.decode()


def test_the_list_uses_a_constant_number_of_queries(
    as_user, carol, riverside, django_assert_max_num_queries
):
    for i in range(25):
        patient = create_patient(
            clinic=riverside,
            email=f"p{i}@example.org",
            first_name="P",
            last_name=f"Number{i}",
            timezone="America/New_York",
            clinician=carol,
        )
        alert_for(patient, ["urgent", "high", "routine"][i % 3])
    client = as_user(carol)
    with django_assert_max_num_queries(8):
        response = client.get("/clinic/alerts/")
    assert response.content.decode().count("Number") == 25


def test_viewing_the_list_is_audited_per_patient_shown(as_user, alice, bob, carol):
    alert_for(alice)
    alert_for(alice)
    alert_for(bob)
    as_user(carol).get("/clinic/alerts/")
    assert set(
        AuditEvent.objects.filter(what="safety alert list").values_list("patient", flat=True)
    ) == {alice.pk, bob.pk}


def test_the_detail_page_shows_what_triggered_it_and_why(as_user, alice, carol):
    alert = report_concern(patient=alice, text="My chest feels tight")
    response = as_user(carol).get(f"/clinic/alerts/{alert.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "My chest feels tight" in html
    assert "Warning Signs to Watch For" in html  # the rule's source
    assert "Acknowledge" in html
    assert AuditEvent.objects.filter(what="safety alert", action="view", actor=carol).exists()


def test_acknowledging_stops_escalation_and_is_recorded(as_user, alice, carol):
    alert = alert_for(alice, "urgent")
    with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
        response = as_user(carol).post(
            f"/clinic/alerts/{alert.pk}/", {"action": "acknowledge", "acknowledge-text": ""}
        )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by, alert.next_escalation_at) == (
        "acknowledged",
        carol,
        None,
    )
    assert alert.acknowledged_at == T0 + timedelta(minutes=4)
    (event,) = alert.events.all()
    assert (event.kind, event.author) == ("acknowledge", carol)


def test_notes_contact_attempts_and_resolving_build_the_history(as_user, alice, carol, dana):
    alert = alert_for(alice)
    as_user(carol).post(
        f"/clinic/alerts/{alert.pk}/", {"action": "contact", "contact-text": "Called, no answer"}
    )
    as_user(dana).post(
        f"/clinic/alerts/{alert.pk}/", {"action": "note", "note-text": "Will try again at 4"}
    )
    as_user(carol).post(
        f"/clinic/alerts/{alert.pk}/", {"action": "resolve", "resolve-text": "Spoke, safe"}
    )
    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert [(e.kind, e.author, e.text) for e in alert.events.all()] == [
        ("acknowledge", carol, ""),
        ("contact", carol, "Called, no answer"),
        ("note", dana, "Will try again at 4"),
        ("resolve", carol, "Spoke, safe"),
    ]
    html = as_user(carol).get(f"/clinic/alerts/{alert.pk}/").content.decode()
    assert "Spoke, safe" in html


@pytest.mark.parametrize("severity", ["urgent", "high"])
def test_an_urgent_or_high_alert_is_resolved_only_with_its_outcome(as_user, alice, carol, severity):
    alert = alert_for(alice, severity)
    page = as_user(carol).get(f"/clinic/alerts/{alert.pk}/").content.decode()
    assert re.search(r'for="id_resolve-text">Outcome</label>', page)  # not "(optional)"
    response = as_user(carol).post(
        f"/clinic/alerts/{alert.pk}/", {"action": "resolve", "resolve-text": "   "}
    )
    assert response.status_code == 400
    assert (
        'id="id_resolve-text_error">Write the outcome first: what was done, and how the '
        "patient is.</p>" in response.content.decode()
    )
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_at) == ("open", None)


def test_a_routine_alert_may_be_resolved_without_words(as_user, alice, carol):
    alert = alert_for(alice, "routine")
    as_user(carol).post(f"/clinic/alerts/{alert.pk}/", {"action": "resolve", "resolve-text": ""})
    alert.refresh_from_db()
    assert alert.status == "resolved"


def test_events_cannot_be_changed_or_deleted(alice, carol):
    alert = alert_for(alice)
    acknowledge_alert(alert=alert, by=carol)
    event = AlertEvent.objects.get()
    event.text = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_acknowledging_twice_changes_nothing(alice, carol, dana):
    alert = alert_for(alice)
    acknowledge_alert(alert=alert, by=carol)
    acknowledge_alert(alert=alert, by=dana)
    alert.refresh_from_db()
    assert alert.acknowledged_by == carol
    assert alert.events.count() == 1


def test_a_late_acknowledgement_says_who_was_first_and_keeps_what_was_typed(
    as_user, alice, carol, dana
):
    """Two people open the alert; one acknowledges; the other's click must not read as if
    theirs had stopped the escalation."""
    alert = alert_for(alice)
    url = f"/clinic/alerts/{alert.pk}/"
    as_user(carol).post(url, {"action": "acknowledge", "acknowledge-text": ""})
    response = as_user(dana).post(
        url, {"action": "acknowledge", "acknowledge-text": "Called, no answer."}, follow=True
    )
    page = response.content.decode()
    assert "Escalation has stopped" not in page
    assert "Already acknowledged by Carol" in page
    assert "What you wrote was added as a note." in page
    alert.refresh_from_db()
    assert alert.acknowledged_by == carol
    note = alert.events.get(kind="note")
    assert (note.author, note.text) == (dana, "Called, no answer.")


@pytest.mark.parametrize(
    ("data", "error_id"),
    [
        ({"action": "note", "note-text": ""}, "id_note-text_error"),
        ({"action": "contact", "contact-text": "   "}, "id_contact-text_error"),
        ({"action": "note", "note-text": "x" * 4001}, "id_note-text_error"),
    ],
)
def test_an_empty_or_huge_note_is_explained_beside_the_field(as_user, alice, carol, data, error_id):
    alert = alert_for(alice)
    response = as_user(carol).post(f"/clinic/alerts/{alert.pk}/", data)
    assert response.status_code == 400
    assert f'id="{error_id}"' in response.content.decode()
    assert not alert.events.exists()


@pytest.mark.parametrize("action", ["", "delete", "x" * 500])
def test_an_unknown_action_is_refused(as_user, alice, carol, action):
    alert = alert_for(alice)
    response = as_user(carol).post(f"/clinic/alerts/{alert.pk}/", {"action": action})
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.status == "open"


def test_others_cannot_see_or_act_on_an_alert(as_user, alice, bob, eve, client):
    alert = alert_for(alice)
    url = f"/clinic/alerts/{alert.pk}/"
    for user in (eve, bob.user, alice.user):
        assert as_user(user).get(url).status_code == 404
        assert as_user(user).post(url, {"action": "acknowledge"}).status_code == 404
    assert client.get(url).status_code == 302
    assert as_user(eve).get("/clinic/alerts/999999/").status_code == 404
    alert.refresh_from_db()
    assert alert.status == "open"


def test_patients_and_strangers_cannot_open_the_alert_list(as_user, alice, client):
    assert as_user(alice.user).get("/clinic/alerts/").status_code == 404
    response = client.get("/clinic/alerts/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_patient_record_shows_open_alerts_and_the_plan_link(as_user, alice, carol):
    alert = alert_for(alice, "urgent")
    html = as_user(carol).get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert f"/clinic/alerts/{alert.pk}/" in html
    assert f"/clinic/patients/{alice.pk}/safety-plan/" in html


def test_staff_navigation_has_alerts_and_patients_have_the_safety_plan(as_user, alice, carol):
    assert 'href="/clinic/alerts/"' in as_user(carol).get("/clinic/patients/").content.decode()
    patient_page = as_user(alice.user).get("/me/").content.decode()
    assert 'href="/me/safety-plan/"' in patient_page
    assert 'action="/me/concern/"' in patient_page


def test_an_alert_about_crisis_words_shows_the_words_in_their_note(as_user, alice, carol):
    note = "Rough week.\nEveryone would be better off dead without me."
    _entry, (alert,) = submit_check_in(patient=alice, answers={"mood": 4, "note": note})
    html = as_user(carol).get(f"/clinic/alerts/{alert.pk}/").content.decode()
    assert "What the patient wrote" in html
    assert "Rough week.<br>Everyone would be better off dead without me." in html


def test_a_journal_entry_made_private_again_is_not_shown_on_its_alert(as_user, alice, carol):
    entry, (alert,) = write_journal_entry(
        patient=alice, body="I feel hopeless tonight.", shared_with_care_team=True
    )
    page = f"/clinic/alerts/{alert.pk}/"
    assert "I feel hopeless tonight." in as_user(carol).get(page).content.decode()
    update_journal_entry(entry=entry, body=entry.body, shared_with_care_team=False)
    html = as_user(carol).get(page).content.decode()
    assert "What the patient wrote" not in html
    assert "I feel hopeless tonight." not in html


def test_other_alerts_show_no_written_words(as_user, alice, carol):
    alert = alert_for(alice)
    html = as_user(carol).get(f"/clinic/alerts/{alert.pk}/").content.decode()
    assert "What the patient wrote" not in html


def test_an_empty_action_is_explained_by_the_page_not_a_browser_popup(as_user, alice, carol):
    alert = alert_for(alice)
    page = as_user(carol).get(f"/clinic/alerts/{alert.pk}/").content.decode()
    forms = re.findall(r'<form method="post" class="alert-action"[^>]*>', page)
    assert forms
    assert all("novalidate" in tag for tag in forms)
    response = as_user(carol).post(
        f"/clinic/alerts/{alert.pk}/", {"action": "contact", "contact-text": ""}
    )
    assert response.status_code == 400
    assert 'id="id_contact-text_error">Describe the contact attempt' in response.content.decode()
