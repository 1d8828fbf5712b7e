"""Bulk FHIR export: NDJSON, one file per resource type (``Patient.ndjson``, ...), the layout of
the FHIR Bulk Data Access specification.

Streamed: patients are read in chunks and each patient's rows in chunks
(``fhir.iter_resources``); every resource is written as one line as soon as it is built, so
memory stays flat however large the clinic (bench/export_memory.py, docs/performance.md).
Files are written under temporary names and renamed at the end: an interrupted export leaves
no half-written file under a final name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from aftercare.accounts.models import Clinic, Patient
from aftercare.audit.actions import record
from aftercare.interop.fhir import iter_resources

PATIENT_CHUNK = 100


@dataclass
class ExportResult:
    patients: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # resource type -> lines written
    files: list[Path] = field(default_factory=list)


def dumps(resource: dict) -> str:
    """One NDJSON line: compact, key order as built, UTF-8 kept as is."""
    return json.dumps(resource, ensure_ascii=False, separators=(",", ":"))


def export_ndjson(
    out_dir: Path,
    *,
    clinic: Clinic | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write every patient (of ``clinic``, or of all clinics) to ``out_dir`` as NDJSON.

    Each exported patient leaves an audit record (the export reads their whole record).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    patients = Patient.objects.select_related("user", "clinic").order_by(
        "clinic_id", "created_at", "pk"
    )
    if clinic is not None:
        patients = patients.filter(clinic=clinic)
    total = patients.count()
    result = ExportResult()
    handles: dict[str, IO[str]] = {}
    try:
        for patient in patients.iterator(chunk_size=PATIENT_CHUNK):
            for resource in iter_resources(patient):
                kind = resource["resourceType"]
                handle = handles.get(kind)
                if handle is None:
                    handle = handles[kind] = open(  # noqa: SIM115 - closed below
                        out_dir / f".{kind}.ndjson.part", "w", encoding="utf-8", newline="\n"
                    )
                handle.write(dumps(resource) + "\n")
                result.counts[kind] = result.counts.get(kind, 0) + 1
            record(None, action="export", what="FHIR bulk export", patient=patient)
            result.patients += 1
            if progress:
                progress(result.patients, total)
    except BaseException:
        for kind, handle in handles.items():
            handle.close()
            (out_dir / f".{kind}.ndjson.part").unlink(missing_ok=True)
        raise
    for kind, handle in sorted(handles.items()):
        handle.close()
        final = out_dir / f"{kind}.ndjson"
        os.replace(out_dir / f".{kind}.ndjson.part", final)
        result.files.append(final)
    return result
