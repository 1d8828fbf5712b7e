"""A process that has just started reads each patient's kept row, not the whole history, and
only while the row is valid under the same rules as the in-memory store (``outcomes.memory``)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.accounts.models import Patient
from aftercare.insights.data import (
    CourseInfo,
    DailySeries,
    InfusionEvent,
    PatientData,
    ScaleScore,
)
from aftercare.insights.definitions import DEFAULT_DEFINITIONS
from aftercare.lifecycle.erasure import erase_patient
from aftercare.outcomes import kept, memory, selectors
from aftercare.outcomes.loaders import load_patient
from aftercare.outcomes.models import LoadedData
from aftercare.outcomes.tests.helpers import NOW, local
from aftercare.tracking.actions import submit_check_in
from aftercare.treatment.models import Infusion
from aftercare.workspace.tests.data import treated_patients

HISTORY_TABLES = ("tracking_checkin", "tracking_scaleresponse", "treatment_infusion")
WORKSPACE = "/clinic/workspace/?sort=-alerts"
DASHBOARD = "/clinic/outcomes/"


def _page(client, url: str, now: datetime = NOW) -> tuple[str, list[str]]:
    """The page's HTML (without the per-response form token) and the SQL it ran."""
    with time_machine.travel(now, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return html, [q["sql"] for q in queries.captured_queries]


def _reads_history(sql: list[str]) -> bool:
    return any(table in q for q in sql for table in HISTORY_TABLES)


def _clinic(riverside, carol, first: int, n: int) -> None:
    with time_machine.travel(NOW, tick=False):
        treated_patients(
            riverside,
            range(first, first + n),
            now=NOW,
            clinician=carol,
            prefix="Kept",
            check_in_days=lambda i: 5 + i % 7,
        )


@pytest.mark.parametrize("url", [WORKSPACE, DASHBOARD])
def test_a_new_process_shows_the_same_page_from_the_kept_rows(url, riverside, carol, as_user):
    client = as_user(carol)
    _clinic(riverside, carol, 0, 6)
    full, _sql = _page(client, url)  # reads every history, keeps the rows
    assert LoadedData.objects.count() == 6
    memory.clear()  # as in a process that has just started
    again, sql = _page(client, url)
    assert again == full
    assert not _reads_history(sql)
    # And a read from the source rows again gives the same page.
    LoadedData.objects.all().delete()
    memory.clear()
    assert _page(client, url)[0] == full


def test_a_new_process_queries_the_same_for_10_or_30_patients(riverside, carol, as_user):
    client = as_user(carol)
    counts = []
    for first, n in ((0, 10), (10, 20)):
        _clinic(riverside, carol, first, n)
        _page(client, WORKSPACE)
        memory.clear()
        _html, sql = _page(client, WORKSPACE)
        assert not _reads_history(sql)
        counts.append(len(sql))
    assert counts[0] == counts[1] <= 8


def _fresh_process_reads(now=NOW, definitions=DEFAULT_DEFINITIONS) -> set[str]:
    """In a process with nothing in memory: the patients whose history is read."""
    memory.clear()
    with CaptureQueriesContext(connection) as queries:
        selectors.insights_for_patients(
            Patient.objects.order_by("pk"), now=now, definitions=definitions, minimal=True
        )
    loaded = " ".join(q["sql"] for q in queries.captured_queries if "tracking_checkin" in q["sql"])
    return {
        p.user.first_name
        for p in Patient.objects.all()
        if p.pk.hex in loaded or str(p.pk) in loaded
    }


def test_kept_rows_are_used_until_the_patients_data_changes(histories):
    alice, _bob = histories
    assert _fresh_process_reads() == {"Alice", "Bob"}
    assert _fresh_process_reads() == set()
    with time_machine.travel(NOW, tick=False):
        submit_check_in(
            patient=alice,
            answers={"mood": 1, "suicidal_thoughts": False},
            submitted_at=local(alice, 60, 9),
        )
    assert _fresh_process_reads() == {"Alice"}
    assert _fresh_process_reads() == set()


def test_a_new_local_day_reads_afresh(histories):
    _fresh_process_reads()
    # NOW is 11:00 in Los Angeles (Alice) and 14:00 in New York (Bob): midnight comes in
    # New York 10 hours later, in Los Angeles 13 hours later.
    assert _fresh_process_reads(NOW + timedelta(hours=9, minutes=50)) == set()
    assert _fresh_process_reads(NOW + timedelta(hours=10, minutes=10)) == {"Bob"}
    # Bob's row was read again and kept for his new day.
    assert _fresh_process_reads(NOW + timedelta(hours=13, minutes=30)) == {"Alice"}


def test_a_booked_infusion_coming_due_reads_afresh(histories):
    alice, _bob = histories
    due = NOW + timedelta(hours=2)
    with time_machine.travel(NOW, tick=False):
        Infusion.objects.create(
            patient=alice, status=Infusion.Status.SCHEDULED, scheduled_at=due, route="iv"
        )
    _fresh_process_reads()
    assert _fresh_process_reads(NOW + timedelta(hours=1)) == set()
    assert _fresh_process_reads(due + timedelta(minutes=1)) == {"Alice"}


def test_another_questionnaire_or_time_zone_or_an_earlier_clock_reads_afresh(histories):
    alice, _bob = histories
    _fresh_process_reads(NOW + timedelta(hours=1))
    gad7 = replace(DEFAULT_DEFINITIONS, instrument="gad7")
    assert _fresh_process_reads(NOW + timedelta(hours=1), gad7) == {"Alice", "Bob"}
    assert _fresh_process_reads(NOW + timedelta(hours=1)) == {"Alice", "Bob"}
    Patient.objects.filter(pk=alice.pk).update(timezone="Europe/Berlin")
    assert _fresh_process_reads(NOW + timedelta(hours=1)) == {"Alice"}
    assert _fresh_process_reads(NOW) == {"Alice", "Bob"}  # before the rows were loaded


def test_the_kept_row_holds_exactly_what_the_loader_reads(histories):
    alice, _bob = histories
    _fresh_process_reads()
    row = LoadedData.objects.get(patient=alice)
    assert_same(kept.decode(row.data), load_patient(alice, now=NOW))
    assert (row.loaded_at, row.zone, row.instrument) == (NOW, alice.timezone, "phq9")


def test_deleting_a_patients_data_removes_the_kept_row(histories, as_user, carol, dana):
    alice, bob = histories
    _fresh_process_reads()
    export = as_user(dana).get(f"/clinic/patients/{alice.pk}/data/export.zip")
    names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    assert not any("LoadedData" in name for name in names)
    erase_patient(patient=alice, by=dana)
    assert not LoadedData.objects.filter(patient=alice).exists()
    assert LoadedData.objects.filter(patient=bob).exists()


def test_no_row_is_written_for_data_deleted_while_it_was_read(histories, dana, monkeypatch):
    alice, bob = histories
    load = memory.load_zones

    def erased_meanwhile(*args, **kwargs):
        loaded = load(*args, **kwargs)
        erase_patient(patient=alice, by=dana)  # another request, while this one reads
        return loaded

    monkeypatch.setattr(memory, "load_zones", erased_meanwhile)
    _fresh_process_reads()
    assert not LoadedData.objects.filter(patient=alice).exists()
    assert LoadedData.objects.filter(patient=bob).exists()


def test_a_row_of_another_format_version_or_a_damaged_one_is_read_afresh(histories):
    alice, bob = histories
    _fresh_process_reads()
    raw = bytes(LoadedData.objects.get(patient=alice).data).replace(b'"v":1,', b'"v":0,', 1)
    LoadedData.objects.filter(patient=alice).update(data=raw)
    LoadedData.objects.filter(patient=bob).update(data=b"\x05\x00\x00\x00{nope")
    assert _fresh_process_reads() == {"Alice", "Bob"}
    assert _fresh_process_reads() == set()


# Round trip of the format, for any data.

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))
instants = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
values = st.lists(st.floats(allow_infinity=False) | st.just(float("nan")), max_size=40)
series = st.one_of(
    st.just(DailySeries(date.min, np.empty(0))),
    st.builds(lambda d, v: DailySeries(d, np.array(v, dtype=np.float64)), days, values),
)
scores = st.lists(
    st.builds(ScaleScore, instants, days, st.integers(0, 27), st.none() | st.integers(0, 3)),
    max_size=6,
).map(tuple)
patient_data = st.builds(
    PatientData,
    patient_id=st.uuids().map(str),
    today=days,
    mood=series,
    suicidal=series,
    infusions=st.lists(
        st.builds(
            InfusionEvent,
            instants,
            days,
            st.none() | st.integers(1, 2**40),
            st.sampled_from(["induction", "maintenance"]),
            st.sampled_from(["iv", "im", "intranasal"]),
        ),
        max_size=8,
    ).map(tuple),
    scores=scores,
    courses=st.lists(
        st.builds(
            CourseInfo,
            st.integers(1, 2**40),
            st.sampled_from(["induction", "maintenance"]),
            st.integers(1, 50),
            days,
        ),
        max_size=3,
    ).map(tuple),
    scheduled=st.lists(days, max_size=4).map(tuple),
    phq9=st.none() | scores,
)


def assert_same(a: PatientData | None, b: PatientData) -> None:
    assert a is not None
    for name in ("mood", "suicidal"):
        left, right = getattr(a, name), getattr(b, name)
        assert left.start == right.start
        assert left.values.dtype == right.values.dtype == np.float64
        assert left.values.tobytes() == right.values.tobytes()  # NaN and -0.0 included
    for name in ("patient_id", "today", "infusions", "scores", "courses", "scheduled", "phq9"):
        assert getattr(a, name) == getattr(b, name), name
    for event in (*a.infusions, *a.scores, *(a.phq9 or ())):
        at = event.started_at if isinstance(event, InfusionEvent) else event.taken_at
        assert at.utcoffset() == timedelta(0)


@settings(max_examples=200, deadline=None)
@given(patient_data)
def test_the_format_gives_back_exactly_what_it_was_given(data):
    assert_same(kept.decode(kept.encode(data)), data)


def test_the_same_scores_twice_are_written_once():
    score = ScaleScore(datetime(2026, 1, 2, 3, tzinfo=UTC), date(2026, 1, 1), 12, 1)
    data = PatientData("x", date(2026, 1, 5), scores=(score,), phq9=(score,))
    assert kept.encode(data).count(b"[") < kept.encode(replace(data, phq9=())).count(b"[") + 1
    assert_same(kept.decode(kept.encode(data)), data)
