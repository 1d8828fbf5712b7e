"""A clinic's outcome data, de-identified, as streamed CSV (schema and rule: docs/exports.md).

De-identification rule:

- No names, emails, record ids, year of birth, clinician, or free text (notes, journal,
  physical symptoms, alert explanations) is written.
- Each patient appears under a key made for this export only: an HMAC of the patient's id under
  a random secret drawn per export and then discarded, so keys differ between two exports and
  cannot be traced back to a patient or linked across exports.
- No dates or times: every row carries ``day``, the number of the patient's own local days since
  their first completed infusion (day 0; negative before it). Patients without a completed
  infusion have no anchor and are left out.
- Patients are listed in the order of their keys (random), not of their enrolment.

Memory stays flat as the clinic grows: patients go in batches of ``BATCH`` and check-ins are
read with ``iterator(chunk_size=…)``, one CSV line at a time.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import itertools
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Clinic
from aftercare.outcomes.loaders import item9
from aftercare.tracking.instruments import INSTRUMENTS
from aftercare.tracking.models import CheckIn, ScaleResponse
from aftercare.treatment.models import Infusion

BATCH = 200  # patients per round of queries
CHUNK = 2000  # check-in rows fetched at a time

CHECK_IN_SCORES = ("mood", "energy", "interest", "sleep_quality", "anxiety")
COLUMNS: tuple[str, ...] = (
    "patient_key",
    "record_type",
    "day",
    "infusion_number",
    "route",
    "dose_mg_per_kg",
    "dose_mg",
    "duration_minutes",
    "instrument",
    "total",
    "band",
    "item_9",
    "source",
    *CHECK_IN_SCORES,
    "suicidal_thoughts",
)

# What each column holds, shown on the exports page beside the download button.
COLUMN_MEANINGS: dict[str, Any] = {
    "patient_key": _("A pseudonym made for this download only: the same patient has the same "
                     "key on every row of one file and a different key in the next."),
    "record_type": _("infusion, scale (a questionnaire) or check_in."),
    "day": _("Days since the patient's first completed infusion, in their own time zone "
             "(day 0; the week before is −7 to −1)."),
    "infusion_number": _("Infusions: 1 for the first completed infusion, counting on."),
    "route": _("Infusions: iv, im, intranasal, oral or kap."),
    "dose_mg_per_kg": _("Infusions: dose by weight, e.g. 0.5; empty for a fixed dose."),
    "dose_mg": _("Infusions: a fixed dose in mg, e.g. 56."),
    "duration_minutes": _("Infusions: start to end, whole minutes."),
    "instrument": _("Questionnaires: phq9 or gad7."),
    "total": _("Questionnaires: total score, PHQ-9 0–27, GAD-7 0–21."),
    "band": _("Questionnaires: severity band, minimal to severe (Kroenke 2001; Spitzer 2006)."),
    "item_9": _("PHQ-9 item 9 (thoughts of being better off dead or of self-harm), 0–3."),
    "source": _("Check-ins: app, or daylio / emoods for a day imported from that app."),
    "mood": _("Check-ins: 1–10, 10 best."),
    "energy": _("Check-ins: 1–10, 10 best."),
    "interest": _("Check-ins: interest in usual activities, 1–10, 10 best."),
    "sleep_quality": _("Check-ins: sleep the night before, 1–10, 10 best."),
    "anxiety": _("Check-ins: 1–10, 10 worst."),
    "suicidal_thoughts": _("Check-ins: 1 yes, 0 no, empty if not answered."),
}  # fmt: skip


def new_secret() -> bytes:
    return secrets.token_bytes(32)


def key_maker(secret: bytes) -> Callable[[Any], str]:
    """Patient id -> a pseudonymous key, stable within one export (one secret)."""

    def key(patient_id: Any) -> str:
        digest = hmac.new(secret, str(patient_id).encode(), hashlib.sha256).digest()
        return "P" + base64.b32encode(digest[:10]).decode().lower()

    return key


class _Echo:
    """A file-like object whose write returns the line (for streaming csv.writer output)."""

    def write(self, value: str) -> str:
        return value


def _num(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _local_day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


def _anchored_patients(clinic: Clinic) -> dict[Any, tuple[date, ZoneInfo]]:
    """Patient id -> (day of the first completed infusion, the patient's zone)."""
    firsts = (
        Infusion.objects.filter(patient__clinic=clinic, status=Infusion.Status.COMPLETED)
        .values("patient_id", "patient__timezone")
        .annotate(first=Min(Coalesce("started_at", "scheduled_at")))
        .order_by()
    )
    out = {}
    for row in firsts:
        tz = ZoneInfo(row["patient__timezone"])
        out[row["patient_id"]] = (_local_day(row["first"], tz), tz)
    return out


def _infusion_rows(ids: list[Any], anchors: dict) -> dict[Any, list[dict[str, str]]]:
    rows: dict[Any, list[dict[str, str]]] = defaultdict(list)
    infusions = (
        Infusion.objects.filter(patient_id__in=ids, status=Infusion.Status.COMPLETED)
        .order_by("patient_id", "started_at", "scheduled_at", "pk")
        .only(
            "patient_id",
            "started_at",
            "scheduled_at",
            "ended_at",
            "route",
            "dose_mg_per_kg",
            "dose_mg",
        )
    )
    for inf in infusions:
        first, tz = anchors[inf.patient_id]
        at = inf.started_at or inf.scheduled_at
        rows[inf.patient_id].append(
            {
                "record_type": "infusion",
                "day": _num((_local_day(at, tz) - first).days),
                "infusion_number": _num(len(rows[inf.patient_id]) + 1),
                "route": inf.route,
                "dose_mg_per_kg": _num(inf.dose_mg_per_kg),
                "dose_mg": _num(inf.dose_mg),
                "duration_minutes": _num(inf.duration_minutes),
            }
        )
    return rows


def _scale_rows(ids: list[Any], anchors: dict) -> dict[Any, list[dict[str, str]]]:
    rows: dict[Any, list[dict[str, str]]] = defaultdict(list)
    responses = ScaleResponse.objects.filter(patient_id__in=ids).order_by(
        "patient_id", "taken_at", "pk"
    )
    for r in responses.values_list("patient_id", "instrument", "total", "answers", "taken_at"):
        patient_id, key, total, answers, taken_at = r
        first, tz = anchors[patient_id]
        row = {
            "record_type": "scale",
            "day": _num((_local_day(taken_at, tz) - first).days),
            "instrument": key,
            "total": _num(total),
        }
        instrument = INSTRUMENTS.get(key)
        if instrument is not None:
            row["band"] = instrument.band_for(total).key
            if key == "phq9":  # thoughts of death or self-harm, kept for outcome research
                row["item_9"] = _num(item9(answers))
        rows[patient_id].append(row)
    return rows


# Check-in rows are built as lists (the bulk of the file): the check-in columns are the last ones.
_CHECK_IN_GAP = [""] * (COLUMNS.index("source") - 3)


def _check_in_rows(ids: list[Any], anchors: dict) -> Iterator[tuple[Any, list[str]]]:
    fields = ("patient_id", "local_date", "source", *CHECK_IN_SCORES, "suicidal_thoughts")
    check_ins = (
        CheckIn.objects.filter(patient_id__in=ids)
        .order_by("patient_id", "submitted_at", "pk")
        .values_list(*fields)
        .iterator(chunk_size=CHUNK)
    )
    for patient_id, local_date, source, *numbers in check_ins:
        first = anchors[patient_id][0]
        yield (
            patient_id,
            ["check_in", str((local_date - first).days), *_CHECK_IN_GAP, source,
             *map(_num, numbers)],
        )  # fmt: skip


def _as_list(row: dict[str, str]) -> list[str]:
    return [row.get(column, "") for column in COLUMNS[1:]]


def _batches(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rows(clinic: Clinic, *, key: Callable[[Any], str]) -> Iterator[list[str]]:
    """Every row of the export (without the header) in column order, grouped by patient."""
    anchors = _anchored_patients(clinic)
    for ids in _batches(sorted(anchors, key=str), BATCH):
        keys = {pk: key(pk) for pk in ids}
        infusions = _infusion_rows(ids, anchors)
        scales = _scale_rows(ids, anchors)
        done = set()
        for pk, group in itertools.groupby(_check_in_rows(ids, anchors), key=lambda p: p[0]):
            done.add(pk)
            patient_key = keys[pk]
            for row in [*infusions.get(pk, []), *scales.get(pk, [])]:
                yield [patient_key, *_as_list(row)]
            for _pk, values in group:
                yield [patient_key, *values]
        for pk in ids:  # patients without check-ins
            if pk not in done:
                for row in [*infusions.get(pk, []), *scales.get(pk, [])]:
                    yield [keys[pk], *_as_list(row)]
        del infusions, scales  # before the next batch is read: one batch in memory at a time


def csv_lines(
    clinic: Clinic, *, secret: bytes | None = None, key: Callable[[Any], str] | None = None
) -> Iterator[str]:
    """The export as CSV text, one line at a time (RFC 4180, CRLF line ends). Keys come from
    ``secret`` (a fresh random one by default); ``key`` replaces them (fixed keys for tests)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(COLUMNS)
    for row in rows(clinic, key=key or key_maker(secret or new_secret())):
        yield writer.writerow(row)


def chunks(lines: Iterable[str], size: int = 64 * 1024) -> Iterator[bytes]:
    """Lines gathered into blocks of about ``size`` bytes: fewer, larger writes to the client."""
    block: list[str] = []
    length = 0
    for line in lines:
        block.append(line)
        length += len(line)
        if length >= size:
            yield "".join(block).encode()
            block, length = [], 0
    if block:
        yield "".join(block).encode()
