"""Every audit record written while answering a request names the address and browser, also
when the action writing it was not handed the request."""

import pytest

from aftercare.audit.models import AuditEvent

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (clinic desk)", "REMOTE_ADDR": "203.0.113.7"}


# Real commits: the invitation is sent (and recorded) when the view's transaction commits,
# inside the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_an_invitation_and_a_care_plan_entry_say_where_from(as_user, carol, alice):
    client = as_user(carol)
    client.post(
        "/clinic/patients/invite/",
        {
            "first_name": "Frank",
            "last_name": "Foster",
            "email": "frank@example.org",
            "timezone": "America/Denver",
        },
        **BROWSER,
    )
    client.post(
        f"/clinic/patients/{alice.pk}/care-plan/",
        {"action": "habit", "habit-kind": "exercise", "habit-description": "Walk"},
        **BROWSER,
    )
    for what in ("patient", "habit goal"):
        event = AuditEvent.objects.get(what=what, action__in=("invite", "create"))
        assert (event.ip_address, event.user_agent) == ("203.0.113.7", BROWSER["HTTP_USER_AGENT"])
        assert event.actor == carol


def test_a_background_job_leaves_them_empty(alice, carol):
    from aftercare.careplan.actions import add_habit

    add_habit(patient=alice, by=carol, kind="sleep", description="Bed by 11")
    event = AuditEvent.objects.get(what="habit goal")
    assert (event.ip_address, event.user_agent) == (None, "")
