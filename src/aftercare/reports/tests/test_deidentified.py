"""The clinic's de-identified outcome CSV: exact output, no identifiers, streamed, staff only."""

import csv
import io
import tracemalloc
from datetime import timedelta

import pytest
import time_machine
from django.http import StreamingHttpResponse

from aftercare.accounts.actions import create_patient
from aftercare.audit.models import AuditEvent
from aftercare.reports import deidentified
from aftercare.reports.tests.golden import assert_golden
from aftercare.reports.tests.history import FIRST_INFUSION, NOW, make_history
from aftercare.tracking.actions import submit_check_in
from aftercare.tracking.models import CheckIn
from aftercare.treatment.actions import record_infusion

URL = "/clinic/exports/outcomes-deidentified.csv"


@pytest.fixture
def clinic_data(alice, bob, carol, eve, lakeside):
    with time_machine.travel(NOW, tick=False):
        make_history(alice, carol)
        alice.check_ins.filter(local_date=FIRST_INFUSION.date() - timedelta(days=10)).update(
            note="Private words", source=CheckIn.Source.DAYLIO
        )
        # Bob has check-ins but no infusion: no anchor day, so he is left out.
        submit_check_in(patient=bob, answers={"mood": 5}, submitted_at=NOW - timedelta(days=1))
        # A Lakeside patient never appears in Riverside's export.
        lena = create_patient(clinic=lakeside, email="lena@example.org", first_name="Lena",
                              last_name="Lake", timezone="America/Chicago")  # fmt: skip
        record_infusion(patient=lena, recorded_by=eve, started_at=NOW - timedelta(days=3),
                        ended_at=NOW - timedelta(days=3, minutes=-40), route="im")  # fmt: skip
    return alice


def export(clinic, secret=b"fixed secret for the golden file") -> str:
    return "".join(deidentified.csv_lines(clinic, secret=secret))


def test_the_export_matches_the_golden_file(clinic_data, riverside, alice):
    # Patient ids are random per test run: a fixed key stands in for the HMAC here.
    body = "".join(deidentified.csv_lines(riverside, key={alice.pk: "P-alice"}.__getitem__))
    assert_golden("outcomes-deidentified.csv", body)


def test_keys_are_hmacs_of_the_id_under_the_export_secret(alice):
    key = deidentified.key_maker(b"secret")
    assert key(alice.pk) == key(alice.pk)
    assert key(alice.pk).startswith("P")
    assert len(key(alice.pk)) == 17
    assert str(alice.pk).replace("-", "")[:6] not in key(alice.pk)


def test_no_name_email_id_note_or_date_is_written(clinic_data, riverside, alice, bob):
    body = export(riverside)
    for secret in ("Alice", "Archer", "alice@", "Bob", "Baker", "Lena", str(alice.pk),
                   "Private words", "2026", "Riverside"):  # fmt: skip
        assert secret.lower() not in body.lower()
    rows = list(csv.DictReader(io.StringIO(body)))
    key = deidentified.key_maker(b"fixed secret for the golden file")
    assert {r["patient_key"] for r in rows} == {key(alice.pk)}
    # Days count from the first infusion: the first infusion is day 0, baseline days negative.
    infusions = [r for r in rows if r["record_type"] == "infusion"]
    assert [r["day"] for r in infusions] == ["0", "2", "4", "7", "9", "11"]
    assert min(int(r["day"]) for r in rows) == -10
    assert rows[-1]["record_type"] == "check_in"


def test_keys_differ_between_exports(clinic_data, riverside):
    first = {r["patient_key"] for r in csv.DictReader(io.StringIO(export(riverside, b"one")))}
    second = {r["patient_key"] for r in csv.DictReader(io.StringIO(export(riverside, b"two")))}
    assert len(first) == len(second) == 1
    assert first.isdisjoint(second)


def test_staff_download_it_streamed_and_audited(as_user, clinic_data, dana, carol):
    with time_machine.travel(NOW, tick=False):
        response = as_user(dana).get(URL)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="outcomes-deidentified-riverside-2026-06-30.csv"'
        in response["Content-Disposition"]
    )
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("patient_key,record_type,day,")
    assert body.count("\r\n") == 1 + 6 + 6 + 60  # header, infusions, scales, check-ins
    event = AuditEvent.objects.get(what="de-identified outcome export (CSV)")
    assert (event.actor, event.patient, event.clinic_id) == (dana, None, dana.clinic_id)


def test_an_empty_clinic_gets_the_header_only(lakeside):
    assert export(lakeside) == ",".join(deidentified.COLUMNS) + "\r\n"


def test_patients_and_queries_are_read_in_batches(clinic_data, riverside, monkeypatch,
                                                  django_assert_max_num_queries):  # fmt: skip
    """Memory is bounded by the batch: a fixed number of queries per batch of patients."""
    monkeypatch.setattr(deidentified, "BATCH", 1)
    with django_assert_max_num_queries(1 + 3):
        lines = list(deidentified.csv_lines(riverside, secret=b"x"))
    assert len(lines) == 1 + 72


def test_peak_memory_does_not_hold_the_whole_export(clinic_data, riverside):
    """A rough guard, not a benchmark: reading the stream line by line keeps far less than
    the body in memory at once."""
    tracemalloc.start()
    size = sum(len(line) for line in deidentified.csv_lines(riverside, secret=b"x"))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert size > 3000
    assert peak < 5_000_000


def test_lines_are_sent_in_blocks_of_about_64_kb():
    blocks = list(deidentified.chunks(["a" * 40] * 5, size=100))
    assert [len(block) for block in blocks] == [120, 80]
    assert b"".join(blocks) == b"a" * 200


def test_the_exports_page_explains_every_column_of_the_file(as_user, carol):
    page = as_user(carol).get("/clinic/exports/").content.decode()
    assert set(deidentified.COLUMN_MEANINGS) == set(deidentified.COLUMNS)
    for column in deidentified.COLUMNS:
        assert f"<dt><code>{column}</code></dt>" in page
    assert "Never in the file: names, emails" in page
