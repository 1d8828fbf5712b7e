"""Import PHQ-9 and GAD-7 QuestionnaireResponses (FHIR R4) into a patient's record.

Reads what ``fhir_export`` and ``fhir.patient_bundle`` write, or any QuestionnaireResponse of
the LOINC questionnaires 44249-1 / 69737-5 with LOINC item codes as linkIds and LOINC answer
codes: a Bundle (.json; entries of other types are passed over), a single resource (.json), an
NDJSON file (every line must be a QuestionnaireResponse) or an export folder (its
QuestionnaireResponse.ndjson).

All or nothing: every entry is checked first; any problem (not JSON, wrong resource type, not a
valid resource, unknown questionnaire, item or answer code, missing answers) is reported with
its line or entry number and nothing is stored. Each response is keyed by its identifier (or
id), so importing the same file again adds nothing. Totals are computed again from the answers
with the instrument's own scoring, never taken from the file.

Imported responses are history: they are not screened by the safety rules (old answers would
raise alerts about the past); they show in the patient's charts and trajectory like any other.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from pydantic import ValidationError

from aftercare.accounts.models import Patient
from aftercare.audit.actions import record
from aftercare.interop.fhir import LOINC, questionnaire_url
from aftercare.tracking.instruments import INSTRUMENTS, Instrument
from aftercare.tracking.models import ScaleResponse
from aftercare.tracking.scoring import AnswersInvalid, score

# Namespace of the submission keys of imported responses (uuid5 of the response's identifier).
IMPORT_NAMESPACE = uuid.UUID("0b6a4f0e-8f0c-4a53-9d55-2f4c1c7f3a10")
MAX_PROBLEMS = 20
MAX_LINE_BYTES = 1_000_000  # a QuestionnaireResponse is a few kB; longer lines are refused
MAX_JSON_BYTES = 50_000_000  # a .json file is read whole; bigger ones should come as NDJSON


class FhirImportError(ValueError):
    """The input cannot be imported; ``problems`` name where (file, line or entry) and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ParsedResponse:
    where: str
    instrument: Instrument
    answers: dict[str, int]
    total: int
    taken_at: datetime
    key: uuid.UUID


@dataclass
class ImportResult:
    created: list[ScaleResponse] = field(default_factory=list)
    already_there: int = 0


def _by_questionnaire() -> dict[str, Instrument]:
    return {
        questionnaire_url(instrument): instrument
        for instrument in INSTRUMENTS.values()
        if instrument.loinc_panel
    }


def _entries(path: Path) -> Iterator[tuple[str, Any]]:
    """(where, parsed JSON or an error message) for every candidate resource in ``path``."""
    if path.is_dir():
        ndjson = path / "QuestionnaireResponse.ndjson"
        if not ndjson.is_file():
            yield str(path), "no QuestionnaireResponse.ndjson in this folder"
            return
        path = ndjson
    if path.suffix == ".ndjson":
        yield from _ndjson_entries(path)
        return
    if path.stat().st_size > MAX_JSON_BYTES:
        yield str(path), f"larger than {MAX_JSON_BYTES:,} bytes: export it as NDJSON instead"
        return
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        yield str(path), "not UTF-8 text"
        return
    except json.JSONDecodeError as error:
        yield str(path), f"not JSON ({error.msg} at line {error.lineno} column {error.colno})"
        return
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        entries = data.get("entry")
        if not isinstance(entries, list):
            yield f"{path}: Bundle", "has no list of entries"
            return
        for number, entry in enumerate(entries, start=1):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            kind = resource.get("resourceType") if isinstance(resource, dict) else None
            if kind == "QuestionnaireResponse":
                yield f"{path}: entry {number}", resource
            elif kind is None:
                yield f"{path}: entry {number}", "has no resource"
        return
    yield str(path), data


def _ndjson_entries(path: Path) -> Iterator[tuple[str, Any]]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}: line {number}"
            if len(raw) > MAX_LINE_BYTES:
                yield where, f"longer than {MAX_LINE_BYTES:,} bytes"
                continue
            if not raw.strip():
                continue
            try:
                yield where, json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield where, "not UTF-8 text"
            except json.JSONDecodeError as error:
                yield where, f"not JSON ({error.msg} at column {error.colno})"


def _validate(data: dict[str, Any]) -> str | None:
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    try:
        QuestionnaireResponse.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        place = ".".join(str(part) for part in first["loc"]) or "resource"
        return f"not a valid FHIR QuestionnaireResponse ({place}: {first['msg']})"
    return None


def _key(data: dict[str, Any]) -> uuid.UUID:
    """The same response gives the same key: its identifier, else its id, else its content."""
    identifier = data.get("identifier")
    if isinstance(identifier, dict) and identifier.get("value"):
        name = f"identifier|{identifier.get('system', '')}|{identifier['value']}"
    elif data.get("id"):
        name = f"id|{data['id']}"
    else:
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        name = f"content|{digest}"
    return uuid.uuid5(IMPORT_NAMESPACE, name)


def parse_response(
    where: str, data: Any, instruments: dict[str, Instrument]
) -> tuple[ParsedResponse | None, list[str]]:
    """One QuestionnaireResponse as answers of one of our instruments, or its problems."""
    if not isinstance(data, dict):
        return None, [f"{where}: {data}" if isinstance(data, str) else f"{where}: not an object"]
    kind = data.get("resourceType")
    if kind != "QuestionnaireResponse":
        found = kind or "no resourceType"
        return None, [f"{where}: expected a QuestionnaireResponse, found {found}"]
    invalid = _validate(data)
    if invalid:
        return None, [f"{where}: {invalid}"]
    url = str(data.get("questionnaire", "")).split("|", 1)[0]
    instrument = instruments.get(url)
    if instrument is None:
        known = ", ".join(sorted(instruments))
        return None, [f"{where}: questionnaire {url or '(none)'!r} is not one of {known}"]
    if data.get("status") not in ("completed", "amended"):
        return None, [f"{where}: status is {data.get('status')!r}, not completed"]
    problems: list[str] = []
    answers: dict[str, int] = {}
    for item in data.get("item") or []:
        link = item.get("linkId")
        try:
            definition = instrument.item(link)
        except KeyError:
            problems.append(f"{where}: item {link!r} is not an item of {instrument.name}")
            continue
        codings = [a.get("valueCoding") for a in item.get("answer") or []]
        if len(codings) != 1 or not isinstance(codings[0], dict):
            problems.append(f"{where}: item {link}: expected one answer as a LOINC code")
            continue
        coding = codings[0]
        option = next((o for o in definition.options if o.code == coding.get("code")), None)
        if coding.get("system") != LOINC or option is None:
            offered = ", ".join(o.code for o in definition.options)
            problems.append(
                f"{where}: item {link}: answer {coding.get('system')}|{coding.get('code')} "
                f"is not one of the LOINC answers {offered}"
            )
            continue
        if link in answers:
            problems.append(f"{where}: item {link} is answered twice")
            continue
        answers[link] = option.value
    authored = data.get("authored")
    taken_at = None
    if not authored:
        problems.append(f"{where}: no 'authored' time")
    else:
        try:
            taken_at = datetime.fromisoformat(str(authored).replace("Z", "+00:00"))
        except ValueError:
            taken_at = None
        if taken_at is None or taken_at.tzinfo is None:
            problems.append(f"{where}: 'authored' {authored!r} is not a date, time and zone")
    if problems:
        return None, problems
    try:
        result = score(instrument, answers)
    except AnswersInvalid as error:
        missing = ", ".join(sorted(error.errors))
        return None, [f"{where}: {instrument.name} answers missing for item(s) {missing}"]
    assert taken_at is not None
    return (
        ParsedResponse(
            where=where,
            instrument=instrument,
            answers=answers,
            total=result.total,
            taken_at=taken_at,
            key=_key(data),
        ),
        [],
    )


def read_responses(path: Path) -> list[ParsedResponse]:
    """Every PHQ-9 / GAD-7 response in ``path``; FhirImportError lists every problem."""
    if not path.exists():
        raise FhirImportError([f"{path}: no such file or folder"])
    instruments = _by_questionnaire()
    parsed: list[ParsedResponse] = []
    problems: list[str] = []
    for where, data in _entries(path):
        response, found = parse_response(where, data, instruments)
        problems += found
        if response is not None:
            parsed.append(response)
        if len(problems) >= MAX_PROBLEMS:
            problems.append("(stopped after this many problems)")
            break
    if not problems and not parsed:
        problems.append(f"{path}: no PHQ-9 or GAD-7 QuestionnaireResponse found")
    if problems:
        raise FhirImportError(problems)
    return parsed


@transaction.atomic
def import_responses(patient: Patient, responses: list[ParsedResponse]) -> ImportResult:
    """Store the responses the patient does not have yet, in one transaction."""
    result = ImportResult()
    existing = set(
        ScaleResponse.objects.filter(
            patient=patient, submission_key__in=[r.key for r in responses]
        ).values_list("submission_key", flat=True)
    )
    for response in responses:
        if response.key in existing:
            result.already_there += 1
            continue
        existing.add(response.key)
        row = ScaleResponse.objects.create(
            patient=patient,
            instrument=response.instrument.key,
            answers=response.answers,
            total=response.total,
            taken_at=response.taken_at,
            submission_key=response.key,
        )
        record(
            None,
            action="create",
            what=f"{response.instrument.name} response imported (FHIR)",
            patient=patient,
            object_id=row.pk,
        )
        result.created.append(row)
    return result


def import_file(patient: Patient, path: Path) -> ImportResult:
    return import_responses(patient, read_responses(path))
