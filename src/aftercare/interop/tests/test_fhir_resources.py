"""The FHIR resources of one patient: valid R4 (checked with fhir.resources.R4B), coded with
LOINC / SNOMED CT as documented in docs/fhir.md, stable ids, exactly as in the golden file."""

import json

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from aftercare.accounts.models import Patient
from aftercare.interop.fhir import patient_bundle
from aftercare.interop.tests.golden import assert_golden
from aftercare.tracking.actions import submit_scale_response
from aftercare.tracking.instruments import get_instrument

pytestmark = pytest.mark.django_db


def resources(bundle, kind=None):
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if kind is None or r["resourceType"] == kind]


def test_every_resource_and_the_bundle_are_valid_fhir(fiona):
    bundle = patient_bundle(fiona)
    Bundle.model_validate(bundle)
    for resource in resources(bundle):
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    kinds = [r["resourceType"] for r in resources(bundle)]
    assert kinds.count("Patient") == 1
    assert kinds.count("Procedure") == 2  # the scheduled and the cancelled one are left out
    assert kinds.count("MedicationAdministration") == 2
    assert kinds.count("QuestionnaireResponse") == 3
    assert kinds.count("Observation") == 3 + 3  # three totals, three moods


def test_bundle_matches_the_golden_file(fiona):
    text = json.dumps(patient_bundle(fiona), indent=2, ensure_ascii=False) + "\n"
    assert_golden("fiona_bundle.json", text)


def test_re_export_is_identical(fiona):
    assert patient_bundle(fiona) == patient_bundle(fiona)


def test_phq9_items_are_loinc_codes_with_loinc_answers(fiona):
    phq9 = next(
        r
        for r in resources(patient_bundle(fiona), "QuestionnaireResponse")
        if r["questionnaire"] == "http://loinc.org/q/44249-1"
    )
    items = {item["linkId"]: item["answer"][0]["valueCoding"] for item in phq9["item"]}
    assert len(items) == 10  # nine scored items and the difficulty item
    assert items["44255-8"]["code"] == "LA6571-9"  # "Nearly every day" = 3
    assert items["44251-7"]["code"] == "LA6568-5"  # "Not at all" = 0
    assert items["69722-7"]["code"] == "LA6575-0"  # "Very difficult"
    assert {c["system"] for c in items.values()} == {"http://loinc.org"}


def test_totals_are_survey_observations_derived_from_their_response(fiona):
    bundle = patient_bundle(fiona)
    by_url = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}
    totals = [
        r
        for r in resources(bundle, "Observation")
        if r["code"]["coding"][0]["system"] == "http://loinc.org"
    ]
    assert [(t["code"]["coding"][0]["code"], t["valueInteger"]) for t in totals] == [
        ("44261-6", 12),
        ("70274-6", 10),
        ("44261-6", 4),
    ]
    for total in totals:
        assert total["category"][0]["coding"][0]["code"] == "survey"
        source = by_url[total["derivedFrom"][0]["reference"]]
        assert source["resourceType"] == "QuestionnaireResponse"
        assert source["authored"] == total["effectiveDateTime"]


def test_infusion_has_route_dose_and_times(fiona):
    bundle = patient_bundle(fiona)
    procedure = resources(bundle, "Procedure")[0]
    assert procedure["performedPeriod"] == {
        "start": "2026-03-02T14:05:00Z",
        "end": "2026-03-02T14:45:00Z",
    }
    given = resources(bundle, "MedicationAdministration")[0]
    assert given["partOf"][0]["reference"] == f"urn:uuid:{procedure['id']}"
    assert given["dosage"]["route"]["coding"][0]["code"] == "47625008"  # intravenous
    assert given["dosage"]["dose"] == {
        "value": 35.1,
        "unit": "mg",
        "system": "http://unitsofmeasure.org",
        "code": "mg",
    }  # 0.5 mg/kg x 70.1 kg, halves rounded up


def test_mood_observations_state_their_scale(fiona):
    moods = [
        r
        for r in resources(patient_bundle(fiona), "Observation")
        if r["code"]["coding"][0]["code"] == "mood"
    ]
    assert [m["valueInteger"] for m in moods] == [4, 6, 7]
    assert "1 (worst) to 10 (best)" in moods[0]["code"]["text"]


def test_answers_stored_by_the_questionnaire_form_export_with_their_codes(alice):
    phq9 = get_instrument("phq9")
    answers = {item.id: 3 for item in phq9.scored_items}
    submit_scale_response(patient=alice, instrument=phq9, answers=answers)
    bundle = patient_bundle(alice)
    (response,) = resources(bundle, "QuestionnaireResponse")
    assert {i["answer"][0]["valueCoding"]["code"] for i in response["item"]} == {"LA6571-9"}
    assert [o["valueInteger"] for o in resources(bundle, "Observation")] == [27]


def test_the_patients_numbers_are_telecom_and_an_emergency_contact(fiona):
    Patient.objects.filter(pk=fiona.pk).update(
        phone="+1 503 555 0142", support_name="Sam Fox", support_phone="503 555 0199"
    )
    fiona.refresh_from_db()
    (patient,) = resources(patient_bundle(fiona), "Patient")
    get_fhir_model_class("Patient").model_validate(patient)
    assert patient["telecom"][0] == {"system": "phone", "value": "+1 503 555 0142"}
    (contact,) = patient["contact"]
    assert contact["relationship"][0]["coding"][0]["code"] == "C"
    assert contact["name"] == {"text": "Sam Fox"}
    assert contact["telecom"] == [{"system": "phone", "value": "503 555 0199"}]
