"""Each patient's loaded data and computed results, kept in memory while they stay valid.

An entry is reused only while all of these hold, so a stale one is never served:
- the patient's ``DataStamp`` is the same (any write of check-ins, questionnaires, infusions
  or courses changes it, ``outcomes.stamps``), and the patient has one at all;
- it is still the same local day for the patient and no scheduled infusion has come due
  (``loaders.load_zones`` gives that moment);
- the clinic's definitions choose the same questionnaire, and the patient's time zone is the
  same (local days are the zone's).
Results computed from an entry's data are kept beside it, by what they were computed with.

The store is per process and bounded (least recently used patients leave first); several
processes each keep their own, and all of them read the stamps from the database on every
request.

Under it, each patient's loaded data is also kept in the database (``models.LoadedData``,
``outcomes.kept``), under the same rules, so that a process that has just started (a deploy, a
restart, a second app server) reads one row per patient instead of every patient's history.
A patient not fresh in memory is looked for there first (one query), read from the source
rows only when missing or stale there too, and written back in the same request (their stamps
checked again, then one upsert).
Results registered with ``keep_results`` are kept in the row beside the data.
"""

from __future__ import annotations

import gc
import json
import logging
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast

from aftercare.insights.data import PatientData
from aftercare.insights.definitions import OutcomeDefinitions
from aftercare.outcomes import kept
from aftercare.outcomes.loaders import load_zones
from aftercare.outcomes.models import DataStamp, LoadedData

logger = logging.getLogger(__name__)

# Above this many patients to read, select them with the caller's subquery rather than by ids.
MAX_ID_PARAMETERS = 900
# Rows per INSERT when keeping loaded patients (PostgreSQL takes at most 65,535 parameters).
WRITE_BATCH = 1000


@dataclass
class Entry:
    stamp: Any
    loaded_at: datetime
    valid_until: datetime
    instrument: str
    data: PatientData
    results: dict[Any, Any] = field(default_factory=dict)
    zone: str = ""
    # The keys of ``results`` written to the patient's row (None: no row written from this entry).
    kept: frozenset[Any] | None = None

    def fresh(self, stamp: Any, now: datetime, instrument: str, zone: str) -> bool:
        # loaded_at <= now: a clock set back (or a test travelling in time) reads afresh.
        # The zone: "today" and local days are the zone's.
        return (
            stamp is not None
            and stamp == self.stamp
            and self.loaded_at <= now < self.valid_until
            and instrument == self.instrument
            and zone == self.zone
        )


_ENTRIES: OrderedDict[Any, Entry] = OrderedDict()
# Results kept in the database beside the data: key -> (to JSON values, back from them).
_KEPT_RESULTS: dict[Any, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {}


def keep_results(key: str, encode: Callable[[Any], Any], decode: Callable[[Any], Any]) -> None:
    """Keep ``results[key]`` in the database too, as the JSON values ``encode`` gives."""
    _KEPT_RESULTS[key] = (encode, decode)


def capacity() -> int:
    return int(settings.PATIENT_MEMORY)


def clear() -> None:
    _ENTRIES.clear()


def entries_for(
    patients: Sequence[tuple[Any, str, Any]],
    *,
    now: datetime,
    definitions: OutcomeDefinitions,
    subquery: Any = None,
    save: bool = True,
) -> list[Entry]:
    """An entry for each (patient id, time zone name, stamp), in the order given, reading from
    the database only the patients without a valid one in memory: their kept rows (1 query),
    then the source rows of those without a valid kept row either (4 queries) and writing
    these back (``save_entries``: 2 queries; with ``save=False`` the caller calls it once it has
    added its kept results). ``subquery`` selects (at least) the same patients, for large reads."""
    instrument = definitions.instrument
    found: list[Entry | None] = []
    stale: list[tuple[Any, str, Any]] = []
    for pk, zone, stamp in patients:
        entry = _ENTRIES.get(pk)
        if entry is not None and entry.fresh(stamp, now, instrument, zone):
            _ENTRIES.move_to_end(pk)
            found.append(entry)
        else:
            found.append(None)
            stale.append((pk, zone, stamp))
    if not stale:
        return [e for e in found if e is not None]
    from_rows = _read_kept(stale, now=now, instrument=instrument, subquery=subquery)
    unread = [(pk, zone) for pk, zone, _stamp in stale if pk not in from_rows]
    ids = subquery if subquery is not None and len(unread) > MAX_ID_PARAMETERS else None
    with no_collection():
        loaded = iter(load_zones(unread, now=now, definitions=definitions, ids=ids))
    limit = capacity()
    new: list[Entry] = []
    for i, (pk, zone, stamp) in enumerate(patients):
        if found[i] is not None:
            continue
        entry = from_rows.get(pk)
        if entry is None:
            data, until = next(loaded)
            entry = Entry(stamp, now, until, instrument, data, zone=zone)
            new.append(entry)
        found[i] = entry
        if stamp is not None and limit > 0:
            _ENTRIES[pk] = entry
            _ENTRIES.move_to_end(pk)
    while len(_ENTRIES) > limit:
        _ENTRIES.popitem(last=False)
    if save:
        save_entries(new)
    return [e for e in found if e is not None]


def _read_kept(
    stale: Sequence[tuple[Any, str, Any]], *, now: datetime, instrument: str, subquery: Any
) -> dict[Any, Entry]:
    """Entries from the kept rows that are valid now for these (patient, zone, stamp)."""
    wanted = {pk: (zone, stamp) for pk, zone, stamp in stale if stamp is not None}
    if not wanted:
        return {}
    ids = subquery if subquery is not None and len(wanted) > MAX_ID_PARAMETERS else list(wanted)
    current = DataStamp.objects.filter(patient_id=OuterRef("patient_id")).values("stamp")
    rows = (
        LoadedData.objects.filter(
            patient_id__in=ids,
            instrument=instrument,
            loaded_at__lte=now,
            valid_until__gt=now,
            stamp=Subquery(current),  # rows of patients with newer data are not sent at all
        )
        .annotate(text=Cast("stamp", CharField()))  # as the callers read the stamps
        .values_list("patient_id", "text", "zone", "loaded_at", "valid_until", "data", "results")
    )
    out: dict[Any, Entry] = {}
    with no_collection():
        for row in rows:
            entry = _kept_entry(row, wanted, now=now, instrument=instrument)
            if entry is not None:
                out[row[0]] = entry
    return out


@contextmanager
def no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while many objects are built and kept: otherwise it
    goes over all of them again and again (at 10,000 patients read afresh, ~40 % of the CPU
    time). Objects without reference cycles are still freed as they go; cycles at the next
    collection. Also a decorator."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _kept_entry(
    row: tuple[Any, ...], wanted: dict[Any, tuple[str, Any]], *, now: datetime, instrument: str
) -> Entry | None:
    pk, text, zone, loaded_at, valid_until, raw, raw_results = row
    if wanted.get(pk) != (zone, text):
        return None
    try:
        data = kept.decode(raw)
        results, names = _decode_results(raw_results)
    except kept.DECODE_ERRORS:
        logger.warning("unreadable kept data of patient %s: read afresh", pk, exc_info=True)
        return None
    if data is None:
        return None
    entry = Entry(text, loaded_at, valid_until, instrument, data, results, zone, names)
    return entry if entry.fresh(text, now, instrument, zone) else None


def _decode_results(raw: bytes | memoryview | None) -> tuple[dict[Any, Any], frozenset[Any]]:
    stored = json.loads(bytes(raw)) if raw else {}
    results = {}
    for key, value in stored.items():
        if key in _KEPT_RESULTS:
            results[key] = _KEPT_RESULTS[key][1](value)
    return results, frozenset(results)


def _current_stamps(ids: Sequence[str]) -> dict[str, str]:
    """Each patient's stamp now, as text the way the callers read it, by patient id as text."""
    out: dict[str, str] = {}
    for start in range(0, len(ids), MAX_ID_PARAMETERS):
        out.update(
            (str(pk), text)
            for pk, text in DataStamp.objects.filter(
                patient_id__in=ids[start : start + MAX_ID_PARAMETERS]
            )
            .annotate(text=Cast("stamp", CharField()))
            .values_list("patient_id", "text")
        )
    return out


def save_entries(entries: Iterable[Entry]) -> None:
    """Write (insert or replace) the kept row of each entry that has none yet or has gained a
    kept result since: one query for the current stamps (per ``MAX_ID_PARAMETERS`` patients),
    one statement per ``WRITE_BATCH`` rows; none if there is nothing new.

    A failed write is logged and otherwise ignored: the rows are only a shortcut."""
    todo = []
    for entry in entries:
        names = frozenset(k for k in entry.results if k in _KEPT_RESULTS)
        if entry.stamp is not None and (entry.kept is None or not names <= entry.kept):
            todo.append((entry, names))
    if not todo:
        return
    # Only patients whose stamp is still the one read with their data: the data may have
    # changed, or been deleted on request, while it was read (a row written after a deletion
    # would keep a copy of erased data, never served but stored).
    current = _current_stamps([entry.data.patient_id for entry, _names in todo])
    rows, written = [], []
    for entry, names in todo:
        if current.get(entry.data.patient_id) != entry.stamp:
            continue
        results = {k: _KEPT_RESULTS[k][0](entry.results[k]) for k in names}
        rows.append(
            LoadedData(
                patient_id=entry.data.patient_id,
                stamp=uuid.UUID(str(entry.stamp)),
                zone=entry.zone,
                instrument=entry.instrument,
                loaded_at=entry.loaded_at,
                valid_until=entry.valid_until,
                data=kept.encode(entry.data),
                results=json.dumps(results, separators=(",", ":")).encode() if results else b"",
            )
        )
        written.append((entry, names))
    if not rows:
        return
    fields = ["stamp", "zone", "instrument", "loaded_at", "valid_until", "data", "results"]
    try:
        with transaction.atomic():
            LoadedData.objects.bulk_create(
                rows,
                batch_size=WRITE_BATCH,
                update_conflicts=True,
                unique_fields=["patient"],
                update_fields=fields,
            )
    except DatabaseError:
        logger.warning("could not keep the loaded data of %d patients", len(rows), exc_info=True)
        return
    for entry, names in written:
        entry.kept = names
