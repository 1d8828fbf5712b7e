"""Validated questionnaires as data: one JSON file per instrument in ``instrument_data/``.

The files hold the exact item wording, LOINC codes (panel, total, items, answers), answer values,
recall window, severity bands with their source, and the copyright line (CLINICAL.md §1.1, §1.2).
Adding an instrument means adding a file: the loader checks it and the generic scoring engine
(``tracking.scoring``) needs no change. Pure Python, no Django.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "instrument_data"


class InstrumentDefinitionError(ValueError):
    """An instrument file that cannot be used as it is."""


@dataclass(frozen=True)
class AnswerOption:
    code: str  # LOINC answer code, e.g. LA6568-5
    label: str
    value: int  # item score


@dataclass(frozen=True)
class Item:
    id: str  # stable key in stored answers; for PHQ-9/GAD-7 the item's LOINC code (FHIR linkId)
    number: int
    text: str
    loinc: str | None
    options: tuple[AnswerOption, ...]
    scored: bool = True
    required: bool = True
    # Answers with a value of at least ``warning_from`` need the care team's attention.
    warning_from: int | None = None
    warning_source: str = ""

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)

    def option_for(self, value: int) -> AnswerOption:
        for option in self.options:
            if option.value == value:
                return option
        raise KeyError(value)


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    min: int  # inclusive
    max: int  # inclusive

    def contains(self, total: int) -> bool:
        return self.min <= total <= self.max


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    title: str
    language: str
    position: int  # order on pages listing several instruments
    loinc_panel: str | None
    loinc_total: str | None
    recall_window_days: int
    stem: str
    copyright: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    bands_source: str

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.scored)

    @property
    def total_min(self) -> int:
        return sum(min(item.values) for item in self.scored_items)

    @property
    def total_max(self) -> int:
        return sum(max(item.values) for item in self.scored_items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            if band.contains(total):
                return band
        raise ValueError(f"{self.name} total {total} is outside {self.total_min}–{self.total_max}")


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise InstrumentDefinitionError(f"{where}: missing {key!r}")
    return data[key]


def parse_instrument(data: Mapping[str, Any]) -> Instrument:
    """Build and check one instrument from its JSON form."""
    key = _require(data, "key", "instrument")
    where = f"instrument {key!r}"
    answer_lists = {
        name: tuple(
            AnswerOption(code=o["code"], label=o["label"], value=int(o["value"]))
            for o in _require(spec, "options", f"{where} answer list {name!r}")
        )
        for name, spec in _require(data, "answer_lists", where).items()
    }
    items = []
    for raw in _require(data, "items", where):
        list_name = _require(raw, "answers", f"{where} item {raw.get('id')!r}")
        if list_name not in answer_lists:
            raise InstrumentDefinitionError(f"{where}: unknown answer list {list_name!r}")
        items.append(
            Item(
                id=str(_require(raw, "id", where)),
                number=int(_require(raw, "number", where)),
                text=_require(raw, "text", where),
                loinc=raw.get("loinc"),
                options=answer_lists[list_name],
                scored=bool(raw.get("scored", True)),
                required=bool(raw.get("required", True)),
                warning_from=raw.get("warning_from"),
                warning_source=raw.get("warning_source", ""),
            )
        )
    instrument = Instrument(
        key=key,
        name=_require(data, "name", where),
        title=_require(data, "title", where),
        language=data.get("language", "en"),
        position=int(data.get("position", 100)),
        loinc_panel=data.get("loinc_panel"),
        loinc_total=data.get("loinc_total"),
        recall_window_days=int(_require(data, "recall_window_days", where)),
        stem=_require(data, "stem", where),
        copyright=_require(data, "copyright", where),
        items=tuple(items),
        bands=tuple(
            Band(key=b["key"], label=b["label"], min=int(b["min"]), max=int(b["max"]))
            for b in _require(data, "bands", where)
        ),
        bands_source=_require(data, "bands_source", where),
    )
    _check(instrument)
    return instrument


def _check(instrument: Instrument) -> None:
    where = f"instrument {instrument.key!r}"
    ids = [item.id for item in instrument.items]
    if len(set(ids)) != len(ids):
        raise InstrumentDefinitionError(f"{where}: item ids repeat")
    if not instrument.scored_items:
        raise InstrumentDefinitionError(f"{where}: no scored item")
    if any(not item.required for item in instrument.scored_items):
        # A total from missing items would not be the validated score.
        raise InstrumentDefinitionError(f"{where}: every scored item must be required")
    # Bands must cover every possible total exactly once, in order.
    expected = instrument.total_min
    for band in instrument.bands:
        if band.min != expected or band.max < band.min:
            raise InstrumentDefinitionError(f"{where}: bands leave a gap or overlap at {expected}")
        expected = band.max + 1
    if expected != instrument.total_max + 1:
        raise InstrumentDefinitionError(
            f"{where}: bands end at {expected - 1}, totals reach {instrument.total_max}"
        )


def load_instruments(paths: Iterable[Path]) -> dict[str, Instrument]:
    instruments: dict[str, Instrument] = {}
    for path in sorted(paths):
        instrument = parse_instrument(json.loads(path.read_text(encoding="utf-8")))
        if instrument.key in instruments:
            raise InstrumentDefinitionError(f"instrument {instrument.key!r} is defined twice")
        instruments[instrument.key] = instrument
    return dict(sorted(instruments.items(), key=lambda pair: (pair[1].position, pair[0])))


INSTRUMENTS: dict[str, Instrument] = load_instruments(DATA_DIR.glob("*.json"))


def get_instrument(key: str) -> Instrument:
    """The instrument with this key; KeyError if there is none."""
    return INSTRUMENTS[key]
