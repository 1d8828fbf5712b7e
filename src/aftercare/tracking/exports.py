"""A patient's own numbers as CSV: check-ins, questionnaire answers and infusion times.

The columns are documented in docs/exports.md; change both together. Only numbers, codes and
times are written, never free text (notes and the journal stay out), so no cell can be read as
a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aftercare.tracking.instruments import INSTRUMENTS
from aftercare.tracking.scoring import answers_by_item
from aftercare.tracking.summaries import SCORES, SIDE_EFFECTS, WARNING_SIGNS

MAX_ITEMS = 10
COLUMNS: tuple[str, ...] = (
    "record_type",
    "recorded_at_utc",
    "local_date",
    "local_time",
    *SCORES,
    *WARNING_SIGNS,
    *SIDE_EFFECTS,
    "edited_at_utc",
    "source",
    "instrument",
    "total",
    "band",
    *(f"item_{n}" for n in range(1, MAX_ITEMS + 1)),
)


def _utc(at: datetime | None) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if at else ""


def _flag(value: bool | None) -> str:
    return "" if value is None else str(int(value))


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _when(at: datetime, tz: ZoneInfo) -> dict[str, str]:
    local = at.astimezone(tz)
    return {
        "recorded_at_utc": _utc(at),
        "local_date": local.date().isoformat(),
        "local_time": local.strftime("%H:%M"),
    }


def check_in_row(check_in: Any, tz: ZoneInfo) -> dict[str, str]:
    row = {"record_type": "check_in", **_when(check_in.submitted_at, tz)}
    row["local_date"] = check_in.local_date.isoformat()  # the day the check-in counts for
    row |= {name: _number(getattr(check_in, name)) for name in SCORES}
    row |= {name: _flag(getattr(check_in, name)) for name in WARNING_SIGNS}
    row |= {name: _flag(getattr(check_in, name)) for name in SIDE_EFFECTS}
    row["edited_at_utc"] = _utc(check_in.edited_at)
    row["source"] = check_in.source
    return row


def scale_row(response: Any, tz: ZoneInfo) -> dict[str, str]:
    row = {"record_type": "scale", **_when(response.taken_at, tz)}
    row["instrument"] = response.instrument
    row["total"] = str(response.total)
    instrument = INSTRUMENTS.get(response.instrument)
    if instrument is not None:
        row["band"] = instrument.band_for(response.total).key
        answers = answers_by_item(instrument, response.answers)
        for item in instrument.items:
            if item.number <= MAX_ITEMS and isinstance(answers.get(item.id), int):
                row[f"item_{item.number}"] = str(answers[item.id])
    return row


def infusion_row(started_at: datetime, tz: ZoneInfo) -> dict[str, str]:
    return {"record_type": "infusion", **_when(started_at, tz)}


def write_csv(
    *,
    check_ins: Iterable[Any],
    responses: Iterable[Any],
    infusions: Sequence[datetime],
    tz: ZoneInfo,
) -> str:
    """All rows, oldest first, as CSV text with a header line (RFC 4180, CRLF line ends)."""
    rows = [(c.submitted_at, check_in_row(c, tz)) for c in check_ins]
    rows += [(r.taken_at, scale_row(r, tz)) for r in responses]
    rows += [(at, infusion_row(at, tz)) for at in infusions]
    rows.sort(key=lambda pair: pair[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(row for _at, row in rows)
    return out.getvalue()
