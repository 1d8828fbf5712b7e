"""Either side may take an item off the plan; only within their reach; audited."""

import pytest
from conftest import utc

from aftercare.audit.models import AuditEvent
from aftercare.careplan import actions


def items_of(alice, carol):
    return {
        "session": actions.add_integration_session(
            patient=alice, by=carol, scheduled_at=utc(2026, 3, 6, 18), with_whom="Dr Kim"
        ),
        "habit": actions.add_habit(patient=alice, by=carol, kind="sleep", description="Bed"),
        "medication": actions.add_medication(
            patient=alice, by=carol, name="Sertraline", medication_class="ssri"
        ),
        "goal": actions.add_goal(patient=alice, by=carol, horizon="short", text="Walk"),
    }


@pytest.mark.parametrize("kind", ["session", "habit", "medication", "goal"])
def test_it_lets_patient_and_clinician_remove_an_item(kind, as_user, alice, carol):
    items = items_of(alice, carol)
    post = {"action": "remove", "item": kind, "id": items[kind].pk}
    assert as_user(alice.user).post("/me/care-plan/", post).status_code == 302
    assert not type(items[kind]).objects.filter(pk=items[kind].pk).exists()
    assert AuditEvent.objects.filter(
        patient=alice, actor=alice.user, what__endswith="removed", action="update"
    ).exists()
    other = items_of(alice, carol)[kind]
    post["id"] = other.pk
    url = f"/clinic/patients/{alice.pk}/care-plan/"
    assert as_user(carol).post(url, post).status_code == 302
    assert not type(other).objects.filter(pk=other.pk).exists()


def test_it_does_not_let_bob_or_eve_remove_alices_items(as_user, alice, bob, carol, eve):
    goal = items_of(alice, carol)["goal"]
    post = {"action": "remove", "item": "goal", "id": goal.pk}
    assert as_user(bob.user).post("/me/care-plan/", post).status_code == 404
    assert as_user(eve).post(f"/clinic/patients/{alice.pk}/care-plan/", post).status_code == 404
    assert alice.plan_goals.filter(pk=goal.pk).exists()


@pytest.mark.parametrize(
    "post",
    [
        {"action": "remove"},
        {"action": "remove", "item": "goal", "id": "abc"},
        {"action": "remove", "item": "patient", "id": "1"},
        {"action": "remove", "item": "goal", "id": "9" * 40},
    ],
)
def test_it_refuses_a_removal_it_cannot_understand(post, as_user, alice):
    assert as_user(alice.user).post("/me/care-plan/", post).status_code == 400


def test_it_shows_session_times_on_the_patients_clock_to_staff(as_user, alice, carol):
    items_of(alice, carol)  # 18:00 UTC = 10:00 in Los Angeles; Carol's clinic is New York.
    page = as_user(carol).get(f"/clinic/patients/{alice.pk}/care-plan/").content.decode()
    assert "6 Mar 2026, 10:00" in page
