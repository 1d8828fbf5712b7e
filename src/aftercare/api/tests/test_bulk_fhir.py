"""Bulk FHIR export over the API: one resource type a request, NDJSON, the caller's clinic only."""

import json

import pytest
from django.http import StreamingHttpResponse
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from aftercare.api.tests.conftest import records_of
from aftercare.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

MODELS = {
    "Patient": FhirPatient,
    "QuestionnaireResponse": QuestionnaireResponse,
    "Observation": Observation,
}


def lines(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)  # never built whole in memory
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()]


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_staff_get_every_patient_of_their_clinic_as_valid_fhir(kind, alice, bob, carol, api_as):
    records_of(alice)
    records_of(bob)
    response = api_as(carol).get(f"/api/v1/fhir/{kind}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    found = lines(response)
    assert found
    assert {r["resourceType"] for r in found} == {kind}
    for resource in found:
        MODELS[kind].model_validate(resource)
    if kind == "Patient":
        assert {r["id"] for r in found} == {
            r["id"] for r in lines(api_as(carol).get("/api/v1/fhir/Patient"))
        }
        assert len(found) == 2


def test_another_clinic_gets_nothing_of_riverside(alice, eve, api_as):
    records_of(alice)
    response = api_as(eve).get("/api/v1/fhir/QuestionnaireResponse")
    assert response.status_code == 200
    assert lines(response) == []


def test_each_exported_patient_is_audited(alice, bob, carol, api_as):
    records_of(alice)
    api_as(carol).get("/api/v1/fhir/Observation")
    audited = set(
        AuditEvent.objects.filter(actor=carol, what="FHIR bulk export (API)").values_list(
            "patient_id", flat=True
        )
    )
    assert audited == {alice.pk, bob.pk}


@pytest.mark.parametrize("kind", ["Bundle", "patient", "x" * 500, "Patient.ndjson"])
def test_an_unknown_resource_type_is_refused_in_the_error_shape(kind, carol, api_as):
    response = api_as(carol).get(f"/api/v1/fhir/{kind}")
    assert response.status_code in (404, 422)
    assert "detail" in response.json()
