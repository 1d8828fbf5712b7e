"""`aftercare backup` and `aftercare restore`: every table as gzipped JSON lines.

The format is the same for SQLite and PostgreSQL, so a backup of one restores into the other.
Line 1 is a header (format, version, the applied migrations), then one line per row
({"m": model, "f": {column: value}}), then a trailer with row counts and the SHA-256 of every
line before it. Restore checks the checksum before it touches the database, and loads everything
in one transaction: it either completes or leaves the database as it was.
Login sessions are left out on purpose: a restored database asks everyone to log in again; so
are the kept copies of loaded patient data (`outcomes.LoadedData`), rebuilt on first use.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.fields import Field

FORMAT = "aftercare-backup"
VERSION = 1
# Sessions: a restored database asks everyone to log in again. Kept loaded data: a cache,
# rebuilt on first use (and `flush` empties it before a restore).
SKIPPED = {"sessions.Session", "outcomes.LoadedData"}
# Made by `migrate` itself; they do not make a database "in use".
SETUP_ONLY = {"contenttypes.ContentType", "auth.Permission"}
PROGRESS_EVERY = 10_000

Progress = Callable[[str], None]


class BackupError(Exception):
    """The file is not a usable backup, or the database is not ready for it."""


def backed_up_models() -> list[type[models.Model]]:
    """Every table's model (many-to-many link tables included), parents before children."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label not in SKIPPED
    ]
    return sorted(found, key=lambda m: m._meta.label)


def _fields(model: type[models.Model]) -> list[Field]:
    return list(model._meta.local_concrete_fields)


def _plain(value: Any) -> Any:
    # Full precision: Django's JSON encoder would cut microseconds to milliseconds.
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        raise TypeError("binary columns are not expected")
    raise TypeError(f"cannot write {type(value).__name__}")


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _rows(model: type[models.Model], using: str) -> Iterator[dict[str, Any]]:
    fields = _fields(model)
    for obj in model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000):
        yield {f.attname: f.value_from_object(obj) for f in fields}


def backup(path: Path, *, using: str = DEFAULT_DB_ALIAS, progress: Progress = print) -> int:
    """Write every table to ``path``; returns the number of rows written."""
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    tmp = path.with_name(path.name + ".partial")
    with gzip.open(tmp, "wt", encoding="utf-8") as out:

        def write(line: dict[str, Any]) -> None:
            text = json.dumps(line, default=_plain, ensure_ascii=False, separators=(",", ":"))
            digest.update(text.encode())
            out.write(text + "\n")

        write(
            {
                "format": FORMAT,
                "version": VERSION,
                "created_at": datetime.now().astimezone().isoformat(),
                "engine": connections[using].vendor,
                "migrations": applied_migrations(using),
            }
        )
        # One snapshot of the whole database, so rows written meanwhile cannot half-appear.
        # (Inside a caller's transaction, that transaction is the snapshot.)
        fresh = not connections[using].in_atomic_block
        with transaction.atomic(using=using):
            if fresh and connections[using].vendor == "postgresql":
                with connections[using].cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for model in backed_up_models():
                label = model._meta.label
                n = 0
                for n, row in enumerate(_rows(model, using), start=1):
                    write({"m": label, "f": row})
                    if n % PROGRESS_EVERY == 0:
                        progress(f"  {label}: {n} rows…")
                counts[label] = n
                if n:
                    progress(f"{label}: {n}")
        out.write(json.dumps({"end": True, "counts": counts, "sha256": digest.hexdigest()}) + "\n")
    tmp.replace(path)
    return sum(counts.values())


def _lines(path: Path) -> Iterator[str]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as src:
            yield from src
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise BackupError(f"{path} is not a readable gzip backup: {error}") from None


def verify(path: Path) -> dict[str, Any]:
    """Check format, version and checksum without touching the database; returns the header."""
    digest = hashlib.sha256()
    header: dict[str, Any] | None = None
    trailer: dict[str, Any] | None = None
    counts: dict[str, int] = {}
    for raw in _lines(path):
        if trailer is not None:
            raise BackupError("There is data after the end of the backup.")
        try:
            line = json.loads(raw)
        except json.JSONDecodeError:
            raise BackupError("The backup has a damaged line.") from None
        if header is None:
            if line.get("format") != FORMAT:
                raise BackupError(f"{path} is not an aftercare backup.")
            if line.get("version") != VERSION:
                raise BackupError(f"Backup format version {line.get('version')} is not supported.")
            header = line
        elif line.get("end"):
            trailer = line
            continue
        else:
            counts[line["m"]] = counts.get(line["m"], 0) + 1
        digest.update(raw.rstrip("\n").encode())
    if header is None or trailer is None:
        raise BackupError("The backup is incomplete (no end marker).")
    if trailer.get("sha256") != digest.hexdigest():
        raise BackupError("The backup's checksum does not match: the file is damaged.")
    if {k: v for k, v in trailer["counts"].items() if v} != counts:
        raise BackupError("The backup's row counts do not match its contents.")
    header["counts"] = counts
    return header


def rows_in_use(using: str = DEFAULT_DB_ALIAS) -> int:
    """Rows in tables other than those `migrate` fills by itself."""
    return sum(
        m._base_manager.using(using).count()
        for m in backed_up_models()
        if m._meta.label not in SETUP_ONLY
    )


def restore(
    path: Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS, progress: Progress = print
) -> int:
    """Replace the database's contents with the backup's; returns the number of rows loaded."""
    header = verify(path)
    progress(f"Checked {path}: {sum(header['counts'].values())} rows, checksum correct.")
    call_command("migrate", database=using, interactive=False, verbosity=0)
    here = applied_migrations(using)
    if here != header["migrations"]:
        missing = sorted(set(header["migrations"]) - set(here))
        extra = sorted(set(here) - set(header["migrations"]))
        raise BackupError(
            "The backup was made with a different version of the software "
            f"(migrations only in the backup: {missing or 'none'}; only here: {extra or 'none'}). "
            "Restore with the version that made it, then upgrade."
        )
    if not force and rows_in_use(using):
        raise BackupError("The database is not empty. Restore into an empty one, or use --force.")
    connection = connections[using]
    loaded = 0
    with connection.constraint_checks_disabled(), transaction.atomic(using=using):
        call_command("flush", database=using, interactive=False, inhibit_post_migrate=True,
                     verbosity=0)  # fmt: skip
        batch: list[models.Model] = []
        current: type[models.Model] | None = None
        for raw in _lines(path):
            line = json.loads(raw)
            if "m" not in line:
                continue
            model = apps.get_model(line["m"])
            if model is not current or len(batch) >= 500:
                before, loaded = loaded, loaded + _insert(current, batch, using)
                if loaded // PROGRESS_EVERY > before // PROGRESS_EVERY:
                    progress(f"  {loaded} rows…")
                if model is not current:
                    progress(f"{line['m']}: {header['counts'][line['m']]}")
                current, batch = model, []
            batch.append(_build(model, line["f"]))
        loaded += _insert(current, batch, using)
        connection.check_constraints(table_names=[m._meta.db_table for m in backed_up_models()])
    _reset_sequences(using)
    progress(f"Restored {loaded} rows.")
    return loaded


def _build(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    obj = model()
    for field in _fields(model):
        if field.attname in values:
            setattr(obj, field.attname, field.to_python(values[field.attname]))
    return obj


def _insert(model: type[models.Model] | None, batch: list[models.Model], using: str) -> int:
    if model is None or not batch:
        return 0
    fields = _fields(model)
    size = connections[using].ops.bulk_batch_size(fields, batch) or len(batch)
    for start in range(0, len(batch), size):
        # raw=True: values are written as they are, auto_now fields are not re-stamped.
        model._base_manager.using(using)._insert(  # type: ignore[attr-defined]
            batch[start : start + size], fields=fields, raw=True, using=using
        )
    return len(batch)


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
