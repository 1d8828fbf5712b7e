"""The safety & setback plan: written together, one tap away, printable, audited."""

import pytest

from aftercare.audit.models import AuditEvent
from aftercare.safety.models import SafetyPlan

PLAN = {
    "warning_signs": "Sleeping past noon; skipping calls",
    "coping_strategies": "Walk by the river",
    "people_to_call": "Sam 555 0199",
    "booster_when": "Two weeks of low mood",
}


def test_the_patient_writes_the_plan_and_the_clinician_sees_it(as_user, alice, carol):
    client = as_user(alice.user)
    assert client.get("/me/safety-plan/edit/").status_code == 200
    response = client.post("/me/safety-plan/edit/", {**PLAN, "version": "0"})
    assert response.status_code == 302
    assert response.url == "/me/safety-plan/"
    html = as_user(carol).get(f"/clinic/patients/{alice.pk}/safety-plan/").content.decode()
    assert "Walk by the river" in html
    assert "Sam 555 0199" in html


def test_the_clinician_edits_and_the_patient_sees_it_with_crisis_numbers(as_user, alice, carol):
    response = as_user(carol).post(
        f"/clinic/patients/{alice.pk}/safety-plan/", {**PLAN, "version": "0"}
    )
    assert response.status_code == 302
    html = as_user(alice.user).get("/me/safety-plan/").content.decode()
    assert "Sleeping past noon; skipping calls" in html
    assert "Last changed" in html
    assert "Carol Chen" in html
    assert 'href="tel:988"' in html
    assert 'media="print"' in html
    plan = SafetyPlan.objects.get(patient=alice)
    assert (plan.version, plan.updated_by) == (1, carol)


def test_reads_and_writes_are_audited(as_user, alice, carol):
    as_user(carol).post(f"/clinic/patients/{alice.pk}/safety-plan/", {**PLAN, "version": "0"})
    as_user(alice.user).get("/me/safety-plan/")
    events = AuditEvent.objects.filter(patient=alice, what="safety plan")
    assert set(events.values_list("actor", "action")) >= {
        (carol.pk, "update"),
        (alice.user.pk, "view"),
    }


def test_a_save_over_a_newer_version_keeps_the_text_and_saves_nothing(as_user, alice, carol):
    as_user(carol).post(f"/clinic/patients/{alice.pk}/safety-plan/", {**PLAN, "version": "0"})
    mine = {**PLAN, "coping_strategies": "Call my sister", "version": "0"}
    response = as_user(alice.user).post("/me/safety-plan/edit/", mine)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else saved this plan" in html
    assert "Call my sister" in html  # what she typed
    assert "Walk by the river" in html  # the saved plan, to compare
    assert SafetyPlan.objects.get(patient=alice).coping_strategies == "Walk by the river"
    # Saving again from the page that said so goes through.
    assert 'name="version" value="1"' in html
    response = as_user(alice.user).post("/me/safety-plan/edit/", {**mine, "version": "1"})
    assert response.status_code == 302
    assert SafetyPlan.objects.get(patient=alice).coping_strategies == "Call my sister"


@pytest.mark.parametrize(
    ("data", "error_id"),
    [
        ({**PLAN, "warning_signs": "x" * 4001, "version": "0"}, "id_warning_signs_error"),
        ({**PLAN, "version": "abc"}, None),
        ({**PLAN, "version": ""}, None),
        ({**PLAN, "version": "-1"}, None),
    ],
)
def test_bad_input_is_refused_with_the_text_kept(as_user, alice, data, error_id):
    response = as_user(alice.user).post("/me/safety-plan/edit/", data)
    assert response.status_code == 400
    html = response.content.decode()
    if error_id:
        assert f'id="{error_id}"' in html
    assert "Walk by the river" in html
    assert SafetyPlan.objects.get(patient=alice).version == 0


def test_an_empty_plan_says_so(as_user, alice):
    html = as_user(alice.user).get("/me/safety-plan/").content.decode()
    assert "Nothing written yet" in html


def test_others_cannot_read_or_write_alices_plan(as_user, alice, bob, eve, client):
    url = f"/clinic/patients/{alice.pk}/safety-plan/"
    for user in (eve, bob.user, alice.user):
        assert as_user(user).get(url).status_code == 404
        assert as_user(user).post(url, {**PLAN, "version": "0"}).status_code == 404
    assert client.get(url).status_code == 302
    assert as_user(carol_of(alice)).get("/me/safety-plan/").status_code == 404
    assert client.get("/me/safety-plan/").status_code == 302
    assert client.post("/me/safety-plan/edit/", PLAN).status_code == 302
    assert not SafetyPlan.objects.filter(version__gt=0).exists()


def carol_of(patient):
    return patient.clinician


def test_bob_edits_only_his_own_plan(as_user, alice, bob):
    as_user(bob.user).post("/me/safety-plan/edit/", {**PLAN, "version": "0"})
    assert SafetyPlan.objects.get(patient=bob).version == 1
    assert not SafetyPlan.objects.filter(patient=alice).exists()
