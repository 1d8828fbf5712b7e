"""Download own data as CSV: the schema of docs/exports.md, numbers only, own data only."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aftercare.audit.models import AuditEvent
from aftercare.tracking.actions import submit_check_in, submit_scale_response
from aftercare.tracking.exports import COLUMNS
from aftercare.tracking.instruments import get_instrument
from aftercare.treatment.actions import record_infusion

DOC = Path(__file__).parents[4] / "docs" / "exports.md"
AT = datetime(2026, 3, 12, 2, 30, tzinfo=UTC)  # 11 March, 19:30 in Los Angeles


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_documented_columns_are_the_columns(as_user, alice):
    documented = re.findall(r"^\| `(\w+)` \|", DOC.read_text(), flags=re.M)
    assert tuple(documented) == COLUMNS
    header = as_user(alice.user).get("/me/export.csv").content.decode().splitlines()[0]
    assert header.split(",") == list(COLUMNS)


def test_it_exports_check_ins_scales_and_infusions_oldest_first(as_user, alice, carol):
    submit_check_in(
        patient=alice,
        answers={"mood": 7, "anxiety": 3, "panic": True, "headache": True, "note": "=HYPERLINK()"},
        submitted_at=AT,
    )
    phq9 = get_instrument("phq9")
    answers = {item.id: 1 for item in phq9.scored_items} | {"69722-7": 2}
    submit_scale_response(
        patient=alice, instrument=phq9, answers=answers, taken_at=AT + timedelta(days=1)
    )
    record_infusion(
        patient=alice, recorded_by=carol, started_at=AT - timedelta(days=1),
        ended_at=AT - timedelta(days=1) + timedelta(minutes=40), route="iv",
    )  # fmt: skip
    response = as_user(alice.user).get("/me/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="my-aftercare-data-')
    infusion, check_in, scale = rows(response)
    assert infusion["record_type"] == "infusion"
    assert check_in["record_type"] == "check_in"
    assert check_in["recorded_at_utc"] == "2026-03-12T02:30:00Z"
    assert (check_in["local_date"], check_in["local_time"]) == ("2026-03-11", "19:30")
    assert (check_in["mood"], check_in["anxiety"], check_in["energy"]) == ("7", "3", "")
    assert (check_in["panic"], check_in["suicidal_thoughts"], check_in["headache"]) == (
        "1",
        "",
        "1",
    )
    assert (scale["instrument"], scale["total"], scale["band"]) == ("phq9", "9", "mild")
    assert [scale[f"item_{n}"] for n in range(1, 11)] == ["1"] * 9 + ["2"]
    assert "HYPERLINK" not in response.content.decode()  # free text never exported
    assert AuditEvent.objects.filter(
        patient=alice, what="data export (CSV)", action="export"
    ).exists()


def test_demo_style_list_answers_export_too(as_user, alice):
    from aftercare.tracking.models import ScaleResponse

    ScaleResponse.objects.create(
        patient=alice, instrument="gad7", answers=[1, 1, 1, 1, 1, 1, 1], total=7, taken_at=AT
    )
    (row,) = rows(as_user(alice.user).get("/me/export.csv"))
    assert (row["band"], row["item_7"], row["item_8"]) == ("mild", "1", "")


def test_the_export_holds_only_ones_own_data(as_user, alice, bob, carol, eve, client):
    submit_check_in(patient=bob, answers={"mood": 2}, submitted_at=AT)
    assert rows(as_user(alice.user).get("/me/export.csv")) == []
    for user in (carol, eve):
        assert as_user(user).get("/me/export.csv").status_code == 404
    assert client.get("/me/export.csv").status_code == 302
