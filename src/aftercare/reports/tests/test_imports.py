"""Importing mood history from Daylio and eMoods: preview, mapping, confirm, no duplicates, and a
clear message naming the line for every bad file (never a 500)."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from aftercare.audit.models import AuditEvent
from aftercare.reports import imports
from aftercare.safety.models import Alert
from aftercare.tracking.actions import submit_check_in
from aftercare.tracking.models import CheckIn

SAMPLES = Path(__file__).parent / "samples"
NOW = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)


@pytest.fixture
def patient(alice, as_user):
    with time_machine.travel(NOW, tick=False):
        yield as_user(alice.user)


def upload(client, content: bytes, source="daylio", name="export.csv"):
    with time_machine.travel(NOW, tick=False):
        return client.post(
            "/me/import/", {"source": source, "file": SimpleUploadedFile(name, content, "text/csv")}
        )


def preview(client, data=None):
    with time_machine.travel(NOW, tick=False):
        if data is None:
            return client.get("/me/import/preview/")
        return client.post("/me/import/preview/", data)


LATIN1 = "full_date,mood,note\n2026-03-01,good,ok\n2026-03-02,bad,caf\xe9\n".encode("latin-1")
DAYLIO_MAPPING = {"map_0": 9, "map_1": 7, "map_2": 5, "map_3": 3, "map_4": 1, "map_5": 3}


def test_daylio_preview_shows_days_numbers_notes_and_the_mapping(patient, alice):
    response = upload(patient, (SAMPLES / "daylio.csv").read_bytes())
    assert response.status_code == 302
    page = preview(patient).content.decode()
    # The five defaults, then the custom label found in the file ("sad", guessed as 3).
    for label in ("rad", "good", "meh", "bad", "awful", "sad"):
        assert f"Mood “{label}”" in page
    assert 'name="map_5" value="3"' in page
    assert "3 days will be imported." in page
    # 2 March: meh (5) and sad (3) average to 4; the note keeps its text without the HTML.
    assert "meh, sad" in page
    assert "Good day — Saw Sam" in page
    assert not CheckIn.objects.filter(patient=alice).exists()  # nothing before confirming


def test_confirming_imports_each_day_once_marked_with_its_source(patient, alice):
    upload(patient, (SAMPLES / "daylio.csv").read_bytes())
    response = preview(patient, {**DAYLIO_MAPPING, "map_0": 10, "action": "confirm"})
    assert response.status_code == 302
    rows = {c.local_date: c for c in CheckIn.objects.filter(patient=alice)}
    assert {d: c.mood for d, c in rows.items()} == {
        date(2026, 3, 1): 1,
        date(2026, 3, 2): 4,
        date(2026, 3, 3): 10,  # the patient changed rad to 10
    }
    assert {c.source for c in rows.values()} == {"daylio"}
    assert rows[date(2026, 3, 3)].submitted_at.astimezone(alice.tz).strftime("%H:%M") == "21:41"
    assert not Alert.objects.filter(patient=alice).exists()  # history is not screened
    assert AuditEvent.objects.filter(patient=alice, what="mood history import (daylio)").exists()
    # The same file again adds nothing.
    upload(patient, (SAMPLES / "daylio.csv").read_bytes())
    page = preview(patient).content.decode()
    assert "0 days will be imported." in page
    preview(patient, {**DAYLIO_MAPPING, "action": "confirm"})
    assert CheckIn.objects.filter(patient=alice).count() == 3


def test_an_existing_check_in_wins_and_the_preview_says_so(patient, alice):
    with time_machine.travel(NOW, tick=False):
        submit_check_in(patient=alice, answers={"mood": 6},
                        submitted_at=datetime(2026, 3, 2, 20, 0, tzinfo=UTC))  # fmt: skip
    upload(patient, (SAMPLES / "daylio.csv").read_bytes())
    page = preview(patient).content.decode()
    assert "1 day already has a check-in of yours: your own check-in is kept" in page
    assert "Kept your check-in" in page
    preview(patient, {**DAYLIO_MAPPING, "action": "confirm"})
    kept = CheckIn.objects.get(patient=alice, local_date=date(2026, 3, 2))
    assert (kept.mood, kept.source) == (6, "app")
    assert CheckIn.objects.filter(patient=alice).count() == 3


def test_an_unknown_label_needs_a_number_before_import(patient, alice):
    upload(patient, b"full_date,mood\n2026-03-01,so-so\n")
    page = preview(patient).content.decode()
    assert "Needs a number above" in page
    response = preview(patient, {**DAYLIO_MAPPING, "map_5": "", "action": "confirm"})
    assert response.status_code == 400
    assert "Give “so-so” a number from 1 to 10." in response.content.decode()
    assert not CheckIn.objects.filter(patient=alice).exists()
    response = preview(patient, {**DAYLIO_MAPPING, "map_5": "11", "action": "update"})
    assert "Enter a whole number from 1 to 10." in response.content.decode()


def test_cancel_imports_nothing(patient, alice):
    upload(patient, (SAMPLES / "daylio.csv").read_bytes())
    preview(patient, {"action": "cancel"})
    assert not CheckIn.objects.filter(patient=alice).exists()
    assert "no file waiting" in preview(patient).content.decode()


def test_the_older_daylio_layout_is_read():
    parsed = imports.parse("daylio", (SAMPLES / "daylio-old.csv").read_bytes(), TODAY)
    assert [(e.day, e.label, e.note) for e in parsed.entries] == [
        (date(2026, 2, 18), "good", "Went out"),
        (date(2026, 2, 17), "bad", ""),
    ]


def test_emoods_maps_depressed_mood_and_anxiety(patient, alice):
    upload(patient, (SAMPLES / "emoods.csv").read_bytes(), source="emoods")
    page = preview(patient).content.decode()
    assert "Depressed mood “severe”" in page
    preview(patient, {"map_0": 8, "map_1": 6, "map_2": 4, "map_3": 2, "action": "confirm"})
    rows = CheckIn.objects.filter(patient=alice).order_by("local_date")
    assert [(c.mood, c.anxiety, c.note, c.source) for c in rows] == [
        (2, 7, "Hard day", "emoods"),
        (4, 4, "", "emoods"),
        (6, 1, "Better", "emoods"),
    ]


def test_utf16_with_a_byte_order_mark_is_read():
    raw = (SAMPLES / "daylio.csv").read_text().encode("utf-16")
    assert len(imports.parse("daylio", raw, TODAY).entries) == 4


@pytest.mark.parametrize(
    ("source", "content", "message"),
    [
        ("daylio", b"", "The file is empty."),
        ("daylio", b"\n\n  \n", "The file is empty."),
        ("daylio", b"full_date,mood\n", "The file has a header but no entries."),
        ("daylio", b"date,feeling\n2026-03-01,good\n", "Line 1: this is not an export from Daylio"),
        (
            "daylio",
            b"full_date,mood\n2026-03-01,good\n31/02/2026,bad\n",
            "Line 3: “31/02/2026” is not a date",
        ),
        ("daylio", b"full_date,mood\n2026-03-01,\n", "Line 2 has no mood."),
        ("daylio", b"full_date,mood\n2099-03-01,good\n", "Line 2: “2099-03-01” is not a date"),
        ("daylio", b"full_date,mood\n2026-03-01,good,extra\n", "Line 2 has 3 columns"),
        ("daylio", LATIN1, "Line 3 is not UTF-8 text"),
        ("daylio", "full_date,mood\n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        ("daylio", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV file"),
        ("daylio", b"%PDF-1.7\n\x00\xff\x00\x10binary", "This is not a CSV file"),
        ("emoods", b"Date,Mood\n2026-03-01,3\n", "this is not an export from eMoods"),
        (
            "emoods",
            b"Date,Depressed\n2026-03-01,very\n",
            "Line 2: “very” in the column “depressed”",
        ),
        ("emoods", b"Date,Mood\n2026-03-01,3\n", "the column “depressed” is missing"),
        ("emoods", b"Depressed\n1\n", "the column “date” is missing"),
    ],
)
def test_a_bad_file_gets_a_clear_message_naming_the_line(patient, alice, source, content, message):
    response = upload(patient, content, source=source)
    assert response.status_code == 400
    page = response.content.decode()
    error_at = page.index('id="id_file_error"')
    assert message in page[error_at : error_at + 400]
    assert not CheckIn.objects.filter(patient=alice).exists()


def test_a_huge_file_or_too_many_rows_is_refused(patient):
    rows = b"".join(b"2026-01-01,good\n" for _ in range(imports.MAX_ROWS + 1))
    response = upload(patient, b"full_date,mood\n" + rows)
    assert "more than 5000 entries" in response.content.decode()
    assert "Line 5002" in response.content.decode()
    huge = b"full_date,mood,note\n" + b"2026-01-01,good," + b"x" * (imports.MAX_BYTES + 1) + b"\n"
    response = upload(patient, huge)
    assert response.status_code == 400
    assert "larger than 2 MB" in response.content.decode()


def test_no_source_or_file_is_explained(patient):
    with time_machine.travel(NOW, tick=False):
        response = patient.post("/me/import/", {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the app the file comes from." in page
    assert "Choose a file." in page


def test_imported_days_reach_the_care_teams_numbers_at_once(patient, alice):
    from aftercare.insights.definitions import DEFAULT_DEFINITIONS
    from aftercare.outcomes.selectors import entries_for_patients

    def moods():  # the daily moods the dashboards analyse, kept in memory by the data stamp
        with time_machine.travel(NOW, tick=False):
            (entry,) = entries_for_patients([alice], now=NOW, definitions=DEFAULT_DEFINITIONS)
        values = entry.data.mood.window(date(2026, 3, 1), date(2026, 3, 4))
        return [None if v != v else float(v) for v in values]

    assert moods() == [None, None, None]
    upload(patient, (SAMPLES / "daylio.csv").read_bytes())
    preview(patient, {**DAYLIO_MAPPING, "action": "confirm"})
    assert moods() == [1.0, 4.0, 9.0]
