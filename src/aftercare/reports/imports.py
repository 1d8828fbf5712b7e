"""A patient's mood history from the CSV export of Daylio or eMoods.

Nothing is stored until the patient confirms the preview (import_views.py). Then each day becomes
one check-in marked with its source (``CheckIn.source``): one per day and source, so importing
the same file again adds nothing. A day that already has a check-in keeps it; the imported day
is left out. Imported days are history: they are not screened for warning signs (those rules
concern the present) and carry only mood, anxiety where the app records it, and the note.

Formats (samples in reports/tests/samples/, described in docs/exports.md):

- Daylio: ``full_date,date,weekday,time,mood,activities,note_title,note`` (newest first,
  ``full_date`` as YYYY-MM-DD, ``time`` like ``9:41 pm``); the older export
  ``year,date,weekday,time,mood,activities,note`` with ``date`` like ``18 May`` is accepted too.
  ``mood`` is the mood's label: the five defaults (rad, good, meh, bad, awful) or the user's own.
- eMoods: one row per day with ``Date`` and the day's depressed mood (``Depressed``: none, mild,
  moderate, severe or 0–3), optional ``Anxiety`` (same levels) and ``Notes``; other columns
  (elevated mood, irritability, sleep, medication) are ignored. Dates as YYYY-MM-DD or
  MM/DD/YYYY. This layout is assumed from the app's documentation, not from a published spec.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from statistics import fmean

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
NOTE_MAX = 4000

DAYLIO = "daylio"
EMOODS = "emoods"

# Daylio's five default moods on the 1–10 mood scale (10 best), evenly spread.
DAYLIO_DEFAULTS = {"rad": 9, "good": 7, "meh": 5, "bad": 3, "awful": 1}
# Common custom names, so most files need no typing; anything else the patient sets.
DAYLIO_GUESSES = {
    "amazing": 9, "great": 9, "happy": 7, "fine": 5, "ok": 5, "okay": 5, "average": 5,
    "sad": 3, "down": 3, "horrible": 1, "terrible": 1, "awful": 1,
}  # fmt: skip
EMOODS_LEVELS = ("none", "mild", "moderate", "severe")
# eMoods rates how depressed the day was; mood here is 10 best.
EMOODS_DEFAULTS = {"none": 8, "mild": 6, "moderate": 4, "severe": 2}
# Anxiety in check-ins is 1–10 with 10 worst.
EMOODS_ANXIETY = {"none": 1, "mild": 4, "moderate": 7, "severe": 10}


class ImportProblem(Exception):
    """A file that cannot be read; the message names the line where it can."""


@dataclass(frozen=True)
class Entry:
    day: date
    at: time | None
    label: str  # Daylio: the mood's name; eMoods: the depressed-mood level
    note: str
    anxiety: int | None = None


@dataclass(frozen=True)
class Parsed:
    source: str
    entries: list[Entry]
    labels: list[str]  # in the order to show: defaults first, then as found


def _looks_like_utf16(head: bytes) -> bool:
    """Text such as CSV in UTF-16 has a zero byte beside every ASCII letter, on one side."""
    even, odd = head[0::2], head[1::2]
    return (
        max(even.count(0), odd.count(0)) >= len(head) // 4
        and min(even.count(0), odd.count(0)) <= len(head) // 50
    )


def decode(raw: bytes) -> str:
    if not raw.strip():
        raise ImportProblem(_("The file is empty."))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count("\n".encode("utf-16-le")) + 1
            raise ImportProblem(
                _("Line %(line)s cannot be read as UTF-16 text.") % {"line": line}
            ) from error
    if b"\x00" in raw[:200]:
        if not _looks_like_utf16(raw[:200]):
            raise ImportProblem(
                _(
                    "This is not a CSV file (it may be a picture, a PDF or a spreadsheet). "
                    "Export your entries from the app as CSV and choose that file."
                )
            )
        raise ImportProblem(
            _(
                "The file looks like UTF-16 text without a byte-order mark. "
                "Export it again as UTF-8."
            )
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportProblem(
            _(
                "Line %(line)s is not UTF-8 text (the file may be saved as Latin-1 or "
                "Windows-1252). Export it again from the app, or save it as UTF-8."
            )
            % {"line": line}
        ) from error


def _rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise ImportProblem(_("The file is empty."))
        names = [h.strip().lower() for h in header]
        rows: list[tuple[int, dict[str, str]]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportProblem(
                    _(
                        "Line %(line)s: the file has more than %(max)s entries. "
                        "Export a shorter period."
                    )
                    % {"line": reader.line_num, "max": MAX_ROWS}
                )
            if len(values) > len(names):
                raise ImportProblem(
                    _("Line %(line)s has %(found)s columns; the header has %(expected)s.")
                    % {"line": reader.line_num, "found": len(values), "expected": len(names)}
                )
            rows.append(
                (reader.line_num, dict(zip(names, (v.strip() for v in values), strict=False)))
            )
    except csv.Error as error:
        raise ImportProblem(
            _("Line %(line)s is not valid CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    if not rows:
        raise ImportProblem(_("The file has a header but no entries."))
    return names, rows


def _need(names: Sequence[str], required: Sequence[str], app: str) -> None:
    missing = [c for c in required if c not in names]
    if missing:
        raise ImportProblem(
            _("Line 1: this is not an export from %(app)s: the column “%(column)s” is missing.")
            % {"app": app, "column": missing[0]}
        )


def _note(*parts: str) -> str:
    text = " — ".join(strip_tags(p).strip() for p in parts if p and strip_tags(p).strip())
    return text[:NOTE_MAX]


def _time(value: str) -> time | None:
    for fmt in ("%I:%M %p", "%H:%M", "%I:%M%p"):
        try:
            return datetime.strptime(value.strip().upper(), fmt).time()
        except ValueError:
            continue
    return None


def _bad_date(line: int, value: str) -> ImportProblem:
    return ImportProblem(
        _("Line %(line)s: “%(value)s” is not a date the import understands (use YYYY-MM-DD).")
        % {"line": line, "value": value[:40]}
    )


def _check_day(line: int, value: str, day: date, today: date) -> date:
    if day > today or day.year < 1990:
        raise _bad_date(line, value)
    return day


def parse_daylio(text: str, today: date) -> Parsed:
    names, rows = _rows(text)
    old = "full_date" not in names and "year" in names
    _need(names, ("year", "date", "mood") if old else ("full_date", "mood"), "Daylio")
    entries = []
    for line, row in rows:
        raw_day = (
            f"{row.get('date', '')} {row.get('year', '')}" if old else row.get("full_date", "")
        )
        try:
            day = (
                datetime.strptime(raw_day.strip(), "%d %B %Y").date()
                if old
                else date.fromisoformat(raw_day)
            )
        except ValueError:
            raise _bad_date(line, raw_day) from None
        label = " ".join(row.get("mood", "").lower().split())
        if not label:
            raise ImportProblem(_("Line %(line)s has no mood.") % {"line": line})
        entries.append(
            Entry(
                day=_check_day(line, raw_day, day, today),
                at=_time(row.get("time", "")),
                label=label[:60],
                note=_note(row.get("note_title", ""), row.get("note", "")),
            )
        )
    found = sorted({e.label for e in entries} - DAYLIO_DEFAULTS.keys())
    return Parsed(DAYLIO, entries, [*DAYLIO_DEFAULTS, *found])


EMOODS_COLUMNS = {
    "date": ("date", "day"),
    "depressed": ("depressed", "depression", "depressed mood", "depressed_mood"),
    "anxiety": ("anxiety", "anxious", "anxiety level"),
    "notes": ("notes", "note", "comments"),
}


def _column(names: Sequence[str], key: str) -> str | None:
    return next((n for n in EMOODS_COLUMNS[key] if n in names), None)


def _level(line: int, value: str, column: str) -> str | None:
    value = value.strip().lower()
    if value == "":
        return None
    if value in EMOODS_LEVELS:
        return value
    if value in {"0", "1", "2", "3"}:
        return EMOODS_LEVELS[int(value)]
    raise ImportProblem(
        _(
            "Line %(line)s: “%(value)s” in the column “%(column)s” is not none, mild, "
            "moderate, severe or 0–3."
        )
        % {"line": line, "value": value[:40], "column": column}
    )


def parse_emoods(text: str, today: date) -> Parsed:
    names, rows = _rows(text)
    date_col, dep_col = _column(names, "date"), _column(names, "depressed")
    if date_col is None or dep_col is None:
        _need(names, ("date", "depressed"), "eMoods")
        raise AssertionError("unreachable: _need raised")
    anx_col, note_col = _column(names, "anxiety"), _column(names, "notes")
    entries = []
    for line, row in rows:
        raw_day = row.get(date_col, "")
        day = None
        for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
            try:
                day = datetime.strptime(raw_day, fmt).date()
                break
            except ValueError:
                continue
        if day is None:
            raise _bad_date(line, raw_day)
        level = _level(line, row.get(dep_col, ""), dep_col)
        if level is None:
            continue  # a day without a depressed-mood rating has no mood to import
        anxiety = _level(line, row.get(anx_col, ""), anx_col) if anx_col else None
        entries.append(
            Entry(
                day=_check_day(line, raw_day, day, today),
                at=None,
                label=level,
                note=_note(row.get(note_col, "")) if note_col else "",
                anxiety=EMOODS_ANXIETY[anxiety] if anxiety else None,
            )
        )
    if not entries:
        raise ImportProblem(_("The file has no day with a depressed-mood rating."))
    return Parsed(EMOODS, entries, list(EMOODS_LEVELS))


def parse(source: str, raw: bytes, today: date) -> Parsed:
    if len(raw) > MAX_BYTES:
        raise ImportProblem(
            _("The file is larger than %(mb)s MB. Export a shorter period.")
            % {"mb": MAX_BYTES // 2**20}
        )
    text = decode(raw)
    return parse_daylio(text, today) if source == DAYLIO else parse_emoods(text, today)


def default_mapping(parsed_source: str, labels: Sequence[str]) -> dict[str, int | None]:
    if parsed_source == EMOODS:
        return {label: EMOODS_DEFAULTS.get(label) for label in labels}
    return {label: DAYLIO_DEFAULTS.get(label, DAYLIO_GUESSES.get(label)) for label in labels}


@dataclass(frozen=True)
class Day:
    day: date
    at: time | None  # the first entry's time that day
    labels: list[str]
    mood: int | None  # None while a label has no number
    anxiety: int | None
    note: str
    kept_existing: bool  # the patient already has a check-in that day: theirs wins


def days(
    entries: Sequence[Entry], mapping: Mapping[str, int | None], existing: set[date]
) -> list[Day]:
    """One row per day, oldest first: the mean of the day's mapped moods, rounded half up."""
    by_day: dict[date, list[Entry]] = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    out = []
    for day in sorted(by_day):
        group = sorted(by_day[day], key=lambda e: e.at or time(12))
        numbers = [mapping.get(e.label) for e in group]
        mood = None
        if all(n is not None for n in numbers):
            mood = int(fmean(n for n in numbers if n is not None) + 0.5)
        anx = [e.anxiety for e in group if e.anxiety is not None]
        out.append(
            Day(
                day=day,
                at=group[0].at,
                labels=[e.label for e in group],
                mood=mood,
                anxiety=round(fmean(anx)) if anx else None,
                note=_note(*(e.note for e in group)),
                kept_existing=day in existing,
            )
        )
    return out


def to_session(parsed: Parsed, filename: str) -> dict:
    """The preview's data as JSON-safe values (kept in the session until confirmed)."""
    return {
        "source": parsed.source,
        "filename": filename[:200],
        "labels": parsed.labels,
        "mapping": default_mapping(parsed.source, parsed.labels),
        "entries": [
            [e.day.isoformat(), e.at.strftime("%H:%M") if e.at else "", e.label, e.note, e.anxiety]
            for e in parsed.entries
        ],
    }


def from_session(data: Mapping) -> list[Entry]:
    return [
        Entry(date.fromisoformat(d), time.fromisoformat(t) if t else None, label, note, anx)
        for d, t, label, note, anx in data["entries"]
    ]
