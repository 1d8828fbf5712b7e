"""Each patient's loaded data and computed results, kept in memory while they stay valid.

An entry is reused only while all of these hold, so a stale one is never served:
- the patient's ``DataStamp`` is the same (any write of check-ins, questionnaires, infusions
  or courses changes it, ``outcomes.stamps``), and the patient has one at all;
- it is still the same local day for the patient and no scheduled infusion has come due
  (``loaders.load_zones`` gives that moment);
- the clinic's definitions choose the same questionnaire.
Results computed from an entry's data are kept beside it, by what they were computed with.

The store is per process and bounded (least recently used patients leave first); several
processes each keep their own, and all of them read the stamps from the database on every
request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings

from aftercare.insights.data import PatientData
from aftercare.insights.definitions import OutcomeDefinitions
from aftercare.outcomes.loaders import load_zones

# Above this many patients to read, select them with the caller's subquery rather than by ids.
MAX_ID_PARAMETERS = 900


@dataclass
class Entry:
    stamp: Any
    loaded_at: datetime
    valid_until: datetime
    instrument: str
    data: PatientData
    results: dict[Any, Any] = field(default_factory=dict)

    def fresh(self, stamp: Any, now: datetime, instrument: str) -> bool:
        # loaded_at <= now: a clock set back (or a test travelling in time) reads afresh.
        return (
            stamp is not None
            and stamp == self.stamp
            and self.loaded_at <= now < self.valid_until
            and instrument == self.instrument
        )


_ENTRIES: OrderedDict[Any, Entry] = OrderedDict()


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
) -> list[Entry]:
    """An entry for each (patient id, time zone name, stamp), in the order given, reading from
    the database only the patients without a valid one (4 queries if any, else none).
    ``subquery`` selects (at least) the same patients, for large reads."""
    instrument = definitions.instrument
    found: list[Entry | None] = []
    stale: list[tuple[Any, str]] = []
    for pk, zone, stamp in patients:
        entry = _ENTRIES.get(pk)
        if entry is not None and entry.fresh(stamp, now, instrument):
            _ENTRIES.move_to_end(pk)
            found.append(entry)
        else:
            found.append(None)
            stale.append((pk, zone))
    if stale:
        ids = subquery if subquery is not None and len(stale) > MAX_ID_PARAMETERS else None
        loaded = iter(load_zones(stale, now=now, definitions=definitions, ids=ids))
        limit = capacity()
        for i, (pk, _zone, stamp) in enumerate(patients):
            if found[i] is not None:
                continue
            data, until = next(loaded)
            entry = Entry(stamp, now, until, instrument, data)
            found[i] = entry
            if stamp is not None and limit > 0:
                _ENTRIES[pk] = entry
                _ENTRIES.move_to_end(pk)
        while len(_ENTRIES) > limit:
            _ENTRIES.popitem(last=False)
    return [e for e in found if e is not None]
