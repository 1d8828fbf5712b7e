"""``PatientData`` to bytes and back, for the rows that keep loaded patients between processes
(``models.LoadedData``, ``outcomes.memory``).

No pickle: a row is only ever turned back into plain values. The layout is a 4-byte length,
a JSON header (days as ordinals, instants as ISO 8601 text in UTC to the microsecond, the
small tuples as lists), then the mood and suicidal-thought series as little-endian float64, NaN
included: decoding gives back exactly what was encoded. A header of another ``VERSION`` is
not read (``decode`` gives None and the patient is read afresh).
"""

from __future__ import annotations

import json
import struct
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from aftercare.insights.data import CourseInfo, DailySeries, InfusionEvent, PatientData, ScaleScore

VERSION = 1
_LENGTH = struct.Struct("<I")
# What a damaged row or one of an unknown layout can raise while being read.
DECODE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, struct.error)
_FLOATS = np.dtype("<f8")


def instant(value: datetime) -> str:
    """An aware datetime as ISO 8601 text in UTC, to the microsecond."""
    return value.astimezone(UTC).isoformat()


def from_instant(value: str) -> datetime:
    # Several times faster to parse than building the datetime from a number: a first request
    # turns hundreds of thousands of these back into datetimes.
    return datetime.fromisoformat(value)


def _score(s: ScaleScore) -> list[Any]:
    return [instant(s.taken_at), s.day.toordinal(), s.total, s.item9]


def _scores(rows: list[list[Any]]) -> tuple[ScaleScore, ...]:
    return tuple(
        ScaleScore(from_instant(at), date.fromordinal(day), total, item9)
        for at, day, total, item9 in rows
    )


def encode(data: PatientData) -> bytes:
    scores = [_score(s) for s in data.scores]
    phq9: Any = None
    if data.phq9 is not None:
        # The loader gives the same scores twice when the questionnaire is the PHQ-9.
        phq9 = "scores" if data.phq9 == data.scores else [_score(s) for s in data.phq9]
    head = {
        "v": VERSION,
        "id": data.patient_id,
        "today": data.today.toordinal(),
        "mood": [data.mood.start.toordinal(), len(data.mood)],
        "suicidal": [data.suicidal.start.toordinal(), len(data.suicidal)],
        "infusions": [
            [instant(i.started_at), i.day.toordinal(), i.course_id, i.kind, i.route]
            for i in data.infusions
        ],
        "scores": scores,
        "courses": [[c.id, c.kind, c.planned, c.started_on.toordinal()] for c in data.courses],
        "scheduled": [d.toordinal() for d in data.scheduled],
        "phq9": phq9,
    }
    text = json.dumps(head, separators=(",", ":")).encode()
    return b"".join(
        (
            _LENGTH.pack(len(text)),
            text,
            data.mood.values.astype(_FLOATS).tobytes(),
            data.suicidal.values.astype(_FLOATS).tobytes(),
        )
    )


def decode(raw: bytes | memoryview) -> PatientData | None:
    """The ``PatientData`` that ``encode`` was given, or None for another format version."""
    buffer = bytes(raw)
    (length,) = _LENGTH.unpack_from(buffer)
    head = json.loads(buffer[_LENGTH.size : _LENGTH.size + length])
    if head.get("v") != VERSION:
        return None
    offset = _LENGTH.size + length
    series = []
    for key in ("mood", "suicidal"):
        start, n = head[key]
        values = np.frombuffer(buffer, _FLOATS, count=n, offset=offset).astype(np.float64)
        series.append(DailySeries(date.fromordinal(start), values))
        offset += n * _FLOATS.itemsize
    if offset != len(buffer):
        raise ValueError("kept patient data has trailing bytes")
    scores = _scores(head["scores"])
    phq9 = head["phq9"]
    return PatientData(
        patient_id=head["id"],
        today=date.fromordinal(head["today"]),
        mood=series[0],
        suicidal=series[1],
        infusions=tuple(
            InfusionEvent(from_instant(at), date.fromordinal(day), course, kind, route)
            for at, day, course, kind, route in head["infusions"]
        ),
        scores=scores,
        courses=tuple(
            CourseInfo(cid, kind, planned, date.fromordinal(started))
            for cid, kind, planned, started in head["courses"]
        ),
        scheduled=tuple(date.fromordinal(d) for d in head["scheduled"]),
        phq9=None if phq9 is None else scores if phq9 == "scores" else _scores(phq9),
    )
