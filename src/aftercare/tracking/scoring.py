"""Generic scoring of a questionnaire: instrument definition + answers -> total and band.

Nothing here knows about PHQ-9 or GAD-7: the rules come from the instrument's data file
(``tracking/instrument_data``). Total = sum of the scored items' values (no prorating: a
missing scored item means no total), band = the band whose inclusive range holds the total.
PHQ-9: Kroenke et al. 2001; GAD-7: Spitzer et al. 2006 (CLINICAL.md §1.1, §1.2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aftercare.tracking.instruments import Band, Instrument, Item

MISSING = "missing"
INVALID = "invalid"


class AnswersInvalid(ValueError):
    """Answers that cannot be scored; ``errors`` maps item id -> MISSING or INVALID."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(f"Answers cannot be scored: {dict(errors)}")
        self.errors = dict(errors)


@dataclass(frozen=True)
class Score:
    """``total`` is in ``instrument.total_min..total_max`` (0–27 for PHQ-9, 0–21 for GAD-7)."""

    total: int
    band: Band
    warnings: tuple[Item, ...]  # items answered at or above their warning value


def clean_answers(instrument: Instrument, raw: Mapping[str, Any]) -> dict[str, int]:
    """Check raw answers (item id -> value, as int or numeric string) against the definition.

    Returns the answers as ints, leaving out optional items not answered. Raises AnswersInvalid
    naming each item that is missing or has a value its answer list does not offer. Keys that
    are not items of the instrument are refused as well.
    """
    errors: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for key in raw:
        if not any(item.id == key for item in instrument.items):
            errors[str(key)] = INVALID
    for item in instrument.items:
        value = raw.get(item.id)
        if value is None or value == "":
            if item.required:
                errors[item.id] = MISSING
            continue
        number = _as_int(value)
        if number is None or number not in item.values:
            errors[item.id] = INVALID
            continue
        cleaned[item.id] = number
    if errors:
        raise AnswersInvalid(errors)
    return cleaned


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 3:
        return int(value.strip())
    return None


def score(instrument: Instrument, answers: Mapping[str, Any]) -> Score:
    """Score answers (item id -> value). Raises AnswersInvalid when they cannot be scored."""
    cleaned = clean_answers(instrument, answers)
    total = sum(cleaned[item.id] for item in instrument.scored_items)
    warnings = tuple(
        item
        for item in instrument.items
        if item.warning_from is not None
        and item.id in cleaned
        and cleaned[item.id] >= item.warning_from
    )
    return Score(total=total, band=instrument.band_for(total), warnings=warnings)


def answers_by_item(instrument: Instrument, stored: Mapping[str, Any] | Sequence[Any]) -> dict:
    """Stored answers as item id -> value.

    Answers are stored as a mapping; a plain list (as the demo loader writes) is read as the
    scored items' values in item order.
    """
    if isinstance(stored, Mapping):
        return dict(stored)
    return {item.id: value for item, value in zip(instrument.scored_items, stored, strict=False)}
