"""Alice's care plan: she and Riverside staff may open it; nobody else learns it exists."""

import pytest

from aftercare.audit.models import AuditEvent


def staff_url(patient):
    return f"/clinic/patients/{patient.pk}/care-plan/"


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_hides_alices_plan_from_another_clinic_and_other_patients(
    method, as_user, alice, bob, eve
):
    data = {"action": "goal", "goal-horizon": "short", "goal-text": "Walk"}
    for user in (eve, bob.user, alice.user):
        response = getattr(as_user(user), method)(staff_url(alice), data)
        assert response.status_code == 404
    assert not alice.plan_goals.exists()


@pytest.mark.parametrize("url", ["/me/care-plan/", "STAFF"])
def test_it_sends_anonymous_visitors_to_login(url, client, alice):
    url = staff_url(alice) if url == "STAFF" else url
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_it_shows_the_patient_page_only_to_patients(as_user, carol, eve):
    assert as_user(carol).get("/me/care-plan/").status_code == 404
    assert as_user(eve).post("/me/care-plan/", {"action": "tick", "habit": "1"}).status_code == 404


def test_it_does_not_let_bob_tick_alices_habit(as_user, alice, bob, carol):
    from aftercare.careplan.actions import add_habit

    habit = add_habit(patient=alice, by=carol, kind="sleep", description="Bed by 11")
    response = as_user(bob.user).post("/me/care-plan/", {"action": "tick", "habit": habit.pk})
    assert response.status_code == 404
    assert not habit.ticks.exists()


def test_it_shows_the_same_plan_to_patient_and_clinician_and_audits_each_read(
    as_user, alice, carol, dana
):
    as_user(carol).post(
        staff_url(alice), {"action": "goal", "goal-horizon": "long", "goal-text": "Fewer boosters"}
    )
    as_user(alice.user).post(
        "/me/care-plan/",
        {"action": "goal", "goal-horizon": "short", "goal-text": "Find a therapist"},
    )
    for user, url in ((alice.user, "/me/care-plan/"), (dana, staff_url(alice))):
        page = as_user(user).get(url).content.decode()
        assert "Fewer boosters" in page
        assert "Find a therapist" in page
        assert "/safety-plan/" in page  # the setback plan is linked, not copied
    reads = AuditEvent.objects.filter(patient=alice, what="care plan", action="view")
    assert {e.actor for e in reads} == {alice.user, dana}
    writes = AuditEvent.objects.filter(patient=alice, what="care plan goal", action="create")
    assert {e.actor for e in writes} == {alice.user, carol}


def test_it_links_the_plan_from_nav_and_patient_record(as_user, alice, carol):
    assert 'href="/me/care-plan/"' in as_user(alice.user).get("/me/").content.decode()
    detail = as_user(carol).get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert staff_url(alice) in detail
