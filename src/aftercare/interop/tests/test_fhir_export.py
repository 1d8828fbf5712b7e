"""`aftercare export fhir`: NDJSON per resource type, every line valid FHIR, progress shown."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from fhir.resources.R4B import get_fhir_model_class

from aftercare.audit.models import AuditEvent
from aftercare.interop.tests.golden import assert_golden
from aftercare.tracking.actions import submit_scale_response
from aftercare.tracking.instruments import get_instrument

pytestmark = pytest.mark.django_db

TYPES = ["MedicationAdministration", "Observation", "Patient", "Procedure", "QuestionnaireResponse"]


def export(out, *args):
    stdout, stderr = StringIO(), StringIO()
    call_command("export", "fhir", "--out", str(out), *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_export_writes_one_file_per_type_matching_the_golden_files(fiona, tmp_path):
    stdout, stderr = export(tmp_path, "--clinic", "riverside")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{t}.ndjson" for t in TYPES]
    for kind in TYPES:
        assert_golden(f"ndjson/{kind}.ndjson", (tmp_path / f"{kind}.ndjson").read_text())
    assert "patients 1/1" in stderr
    assert "Exported 1 patient(s)" in stdout


def test_every_line_is_a_valid_resource_of_its_file_type(fiona, tmp_path):
    export(tmp_path)
    for kind in TYPES:
        for line in (tmp_path / f"{kind}.ndjson").read_text().splitlines():
            resource = json.loads(line)
            assert resource["resourceType"] == kind
            get_fhir_model_class(kind).model_validate(resource)


def test_references_point_at_exported_resources(fiona, tmp_path):
    export(tmp_path)
    ids = set()
    for kind in TYPES:
        for line in (tmp_path / f"{kind}.ndjson").read_text().splitlines():
            ids.add(f"{kind}/{json.loads(line)['id']}")
    text = "".join((tmp_path / f"{kind}.ndjson").read_text() for kind in TYPES)
    references = {part.split('"')[0] for part in text.split('"reference":"')[1:]}
    assert references
    assert references <= ids


def test_clinic_option_exports_only_that_clinic(alice, bob, eve, lakeside, tmp_path):
    from aftercare.accounts.actions import create_patient

    create_patient(
        clinic=lakeside, email="lee@example.org", first_name="Lee", last_name="Lake",
        timezone="America/Chicago",
    )  # fmt: skip
    submit_scale_response(
        patient=alice,
        instrument=get_instrument("gad7"),
        answers={item.id: 1 for item in get_instrument("gad7").items},
    )
    _, stderr = export(tmp_path, "--clinic", "lakeside")
    patients = (tmp_path / "Patient.ndjson").read_text()
    assert "lee@example.org" in patients
    assert "alice@example.org" not in patients
    assert "bob@example.org" not in patients
    assert not (tmp_path / "QuestionnaireResponse.ndjson").exists()  # alice's stays home
    assert "patients 1/1" in stderr


def test_each_exported_patient_is_audited(fiona, bob, tmp_path):
    export(tmp_path)
    audited = AuditEvent.objects.filter(what="FHIR bulk export")
    assert sorted(str(e.patient_id) for e in audited) == sorted([str(fiona.pk), str(bob.pk)])


def test_unknown_clinic_is_refused(riverside, tmp_path):
    with pytest.raises(CommandError, match="No clinic has the short name 'nowhere'"):
        export(tmp_path, "--clinic", "nowhere")


def test_out_must_be_a_folder(riverside, tmp_path):
    file = tmp_path / "file.txt"
    file.write_text("x")
    with pytest.raises(CommandError, match="not a folder"):
        export(file)


def test_simulated_demo_clinic_exports_valid_fhir(db, tmp_path):
    """Every route, dose form and answer shape the demo generator makes gives valid resources."""
    from datetime import UTC, datetime

    from aftercare.demo.load import load_demo_clinic

    load_demo_clinic(seed=3, now=datetime(2026, 6, 1, 12, tzinfo=UTC), patients=6)
    stdout, _ = export(tmp_path, "--clinic", "demo")
    assert "Exported 6 patient(s)" in stdout
    for kind in TYPES:
        lines = (tmp_path / f"{kind}.ndjson").read_text().splitlines()
        assert lines
        for line in lines:
            get_fhir_model_class(kind).model_validate(json.loads(line))
