"""`aftercare import fhir`: PHQ-9 / GAD-7 responses exported at one clinic imported into a
patient of another with the same scores; re-imports add nothing; bad input names its line and
stores nothing."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from aftercare.accounts.actions import create_patient
from aftercare.interop.fhir import patient_bundle
from aftercare.interop.fhir_import import FhirImportError, import_file
from aftercare.tracking.actions import submit_scale_response
from aftercare.tracking.instruments import get_instrument
from aftercare.tracking.models import ScaleResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(lakeside):
    return create_patient(
        clinic=lakeside, email="lena@example.org", first_name="Lena", last_name="Lund",
        timezone="America/Chicago",
    )  # fmt: skip


@pytest.fixture
def alice_scales(alice):
    """Alice's PHQ-9s and GAD-7 at Riverside, stored the way the questionnaire form stores them."""
    phq9, gad7 = get_instrument("phq9"), get_instrument("gad7")
    for answers in (
        {**{item.id: 2 for item in phq9.scored_items}, "44260-8": 1, "69722-7": 3},
        {item.id: index % 4 for index, item in enumerate(phq9.scored_items)},
    ):
        submit_scale_response(patient=alice, instrument=phq9, answers=answers)
    submit_scale_response(
        patient=alice, instrument=gad7, answers={item.id: 3 for item in gad7.items}
    )
    return list(ScaleResponse.objects.filter(patient=alice).order_by("taken_at", "pk"))


def stored(patient):
    rows = ScaleResponse.objects.filter(patient=patient).order_by("taken_at", "pk")
    return [(r.instrument, r.total, r.answers, r.taken_at) for r in rows]


def import_command(path, patient, clinic="lakeside"):
    out, err = StringIO(), StringIO()
    call_command(
        "import", "fhir", str(path), "--clinic", clinic, "--patient", patient,
        stdout=out, stderr=err,
    )  # fmt: skip
    return out.getvalue(), err.getvalue()


def test_bundle_round_trip_gives_the_same_scores_and_answers(alice, alice_scales, lena, tmp_path):
    path = tmp_path / "alice.json"
    path.write_text(json.dumps(patient_bundle(alice)))
    out, _ = import_command(path, "lena@example.org")
    assert "3 new response(s), 0 already there" in out
    assert stored(lena) == stored(alice)
    assert [r.total for r in alice_scales] == [17, 12, 21]  # scores as scored at Riverside


def test_ndjson_export_round_trip_and_no_duplicates(alice, alice_scales, lena, tmp_path):
    call_command("export", "fhir", "--out", str(tmp_path), "--clinic", "riverside",
                 stdout=StringIO(), stderr=StringIO())  # fmt: skip
    import_command(tmp_path, str(lena.pk))
    out, _ = import_command(tmp_path / "QuestionnaireResponse.ndjson", str(lena.pk))
    assert "0 new response(s), 3 already there" in out
    assert stored(lena) == stored(alice)


def test_older_list_form_answers_round_trip(fiona, lena, tmp_path):
    path = tmp_path / "fiona.json"
    path.write_text(json.dumps(patient_bundle(fiona)))
    import_file(lena, path)
    totals = [(r.instrument, r.total) for r in ScaleResponse.objects.filter(patient=lena)]
    assert sorted(totals) == [("gad7", 10), ("phq9", 4), ("phq9", 12)]


def qr_lines(alice, tmp_path):
    bundle = patient_bundle(alice)
    return [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "QuestionnaireResponse"
    ]


def write_ndjson(tmp_path, lines):
    path = tmp_path / "in.ndjson"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    return path


def problems_for(patient, path):
    with pytest.raises(FhirImportError) as failed:
        import_file(patient, path)
    assert not ScaleResponse.objects.filter(patient=patient).exists()  # all or nothing
    return "\n".join(failed.value.problems)


def test_not_json_names_the_line_and_stores_nothing(alice, alice_scales, lena, tmp_path):
    good = qr_lines(alice, tmp_path)
    path = write_ndjson(tmp_path, [good[0], "{not json", good[1]])
    assert "in.ndjson: line 2: not JSON" in problems_for(lena, path)


def test_wrong_resource_type_names_the_line(alice, alice_scales, lena, tmp_path):
    good = qr_lines(alice, tmp_path)
    path = write_ndjson(tmp_path, [good[0], {"resourceType": "Patient", "id": "x"}])
    assert "line 2: expected a QuestionnaireResponse, found Patient" in problems_for(lena, path)


def test_invalid_answer_code_names_line_and_item(alice, alice_scales, lena, tmp_path):
    good = qr_lines(alice, tmp_path)
    good[1]["item"][0]["answer"][0]["valueCoding"]["code"] = "LA9999-9"
    problems = problems_for(lena, write_ndjson(tmp_path, good))
    assert "line 2: item 44250-9: answer http://loinc.org|LA9999-9 is not one of" in problems


def test_unknown_questionnaire_item_and_missing_answers(alice, alice_scales, lena, tmp_path):
    good = qr_lines(alice, tmp_path)
    good[0]["questionnaire"] = "http://loinc.org/q/12345-6"
    good[1]["item"][0]["linkId"] = "bogus"
    del good[2]["item"][0]
    problems = problems_for(lena, write_ndjson(tmp_path, good))
    assert "line 1: questionnaire 'http://loinc.org/q/12345-6' is not one of" in problems
    assert "line 2: item 'bogus' is not an item of PHQ-9" in problems
    assert "line 3: GAD-7 answers missing for item(s) 69725-0" in problems


def test_structurally_invalid_resource_is_refused(alice, alice_scales, lena, tmp_path):
    good = qr_lines(alice, tmp_path)
    good[0]["status"] = 42
    good[1]["authored"] = "yesterday"
    problems = problems_for(lena, write_ndjson(tmp_path, good))
    assert "line 1: not a valid FHIR QuestionnaireResponse (status" in problems
    assert "line 2: not a valid FHIR QuestionnaireResponse (authored" in problems


def test_not_utf8_and_empty_and_missing_files(lena, tmp_path):
    latin = tmp_path / "latin.ndjson"
    latin.write_bytes('{"resourceType": "Questionnaire\xefResponse"}\n'.encode("latin-1"))
    assert "line 1: not UTF-8 text" in problems_for(lena, latin)
    empty = tmp_path / "empty.ndjson"
    empty.write_text("")
    assert "no PHQ-9 or GAD-7 QuestionnaireResponse found" in problems_for(lena, empty)
    assert "no such file or folder" in problems_for(lena, tmp_path / "missing.json")
    assert "no QuestionnaireResponse.ndjson" in problems_for(lena, tmp_path)


def test_bundle_problem_names_the_entry(alice, alice_scales, lena, tmp_path):
    bundle = patient_bundle(alice)
    bundle["entry"][-2]["resource"]["item"][0]["answer"] = []
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    number = len(bundle["entry"]) - 1
    assert f"b.json: entry {number}: item" in problems_for(lena, path)


def test_command_prints_problems_and_fails(alice, alice_scales, lena, tmp_path):
    path = write_ndjson(tmp_path, ["[]", '{"resourceType": "Observation"}'])
    err = StringIO()
    with pytest.raises(CommandError, match=r"2 problem\(s\) found\. Nothing was imported\."):
        call_command(
            "import", "fhir", str(path), "--clinic", "lakeside", "--patient", "lena@example.org",
            stdout=StringIO(), stderr=err,
        )  # fmt: skip
    assert "in.ndjson: line 1: not an object" in err.getvalue()
    assert "line 2: expected a QuestionnaireResponse, found Observation" in err.getvalue()
    assert not ScaleResponse.objects.filter(patient=lena).exists()


def test_command_refuses_a_patient_of_another_clinic(alice, lena, tmp_path):
    path = write_ndjson(tmp_path, ["{}"])
    with pytest.raises(CommandError, match=r"Lakeside Clinic has no patient 'alice@example\.org'"):
        import_command(path, "alice@example.org")


def test_huge_inputs_are_refused_with_a_message(lena, tmp_path, monkeypatch):
    from aftercare.interop import fhir_import

    monkeypatch.setattr(fhir_import, "MAX_JSON_BYTES", 100)
    monkeypatch.setattr(fhir_import, "MAX_LINE_BYTES", 100)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"resourceType": "Bundle", "entry": [{}] * 50}))
    assert "larger than 100 bytes: export it as NDJSON instead" in problems_for(lena, big)
    long_line = write_ndjson(tmp_path, [{"resourceType": "QuestionnaireResponse", "x": "y" * 200}])
    assert "in.ndjson: line 1: longer than 100 bytes" in problems_for(lena, long_line)
