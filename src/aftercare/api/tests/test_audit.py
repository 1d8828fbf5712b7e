"""Every operation that reads or writes health data leaves an audit record naming the patient."""

import pytest

from aftercare.api.tests.conftest import call
from aftercare.api.tests.endpoints import ENDPOINTS
from aftercare.audit.models import AuditEvent

# The caller's own account details only.
NO_HEALTH_DATA = {"whoami": "the caller's name, role and clinic"}
AUDITED = sorted(ENDPOINTS.keys() - NO_HEALTH_DATA.keys())


@pytest.mark.parametrize("name", AUDITED)
def test_each_operation_is_audited(name, alice_records, carol, api_as):
    user = alice_records.user if ENDPOINTS[name][2] == "patient" else carol
    before = AuditEvent.objects.count()
    response = call(api_as(user), name, alice_records)
    assert response.status_code in (200, 201)
    new = AuditEvent.objects.order_by("pk")[before:]
    assert [e for e in new if e.patient_id == alice_records.pk and e.actor_id == user.pk], name


@pytest.mark.parametrize("name", sorted(n for n, s in ENDPOINTS.items() if "{alice}" in s[1]))
def test_a_refused_read_leaves_no_record_of_alice(name, alice_records, eve, api_as):
    call(api_as(eve), name, alice_records)
    assert not AuditEvent.objects.filter(actor=eve).exists()


def test_the_audit_record_keeps_the_callers_address(alice_records, carol, api_as):
    call(api_as(carol), "get_patient_record", alice_records)
    event = AuditEvent.objects.filter(actor=carol).latest("pk")
    assert (event.action, event.ip_address) == ("view", "127.0.0.1")


def test_the_patient_page_links_the_fhir_record_which_opens_in_the_staff_session(
    as_user, alice, carol
):
    client = as_user(carol)
    page = client.get(f"/clinic/patients/{alice.pk}/").content.decode()
    link = f'href="/api/v1/patients/{alice.pk}/fhir"'
    assert link in page
    bundle = client.get(f"/api/v1/patients/{alice.pk}/fhir")
    assert bundle.status_code == 200
    assert bundle.json()["resourceType"] == "Bundle"
    assert AuditEvent.objects.filter(
        actor=carol, patient=alice, what="FHIR record (API)", action="export"
    ).exists()
