"""Backup and restore: every table comes back exactly, on SQLite and on PostgreSQL."""

import gzip
import hashlib
import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from aftercare.accounts.models import Patient, User
from aftercare.audit.models import AuditEvent
from aftercare.demo.load import load_demo_clinic
from aftercare.lifecycle.backup import backed_up_models
from aftercare.lifecycle.erasure import erase_patient
from aftercare.lifecycle.models import DataRequest
from aftercare.lifecycle.tests.records import fill

NOW = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, all columns, in primary-key order."""
    tables = {}
    for model in backed_up_models():
        columns = [f.attname for f in model._meta.local_concrete_fields]
        tables[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*columns))
    return tables


def many_kinds_of_rows() -> None:
    clinic = load_demo_clinic(seed=5, now=NOW, patients=4)
    staff = User.objects.filter(clinic=clinic, role="clinician").first()
    patients = list(Patient.objects.filter(clinic=clinic))
    fill(patients[0], staff)
    DataRequest.objects.create(patient=patients[1], kind="deletion")
    erase_patient(patient=patients[1], by=staff)
    group = Group.objects.create(name="Night shift")
    group.permissions.add(Permission.objects.first())
    staff.groups.add(group)
    staff.user_permissions.add(Permission.objects.last())
    AuditEvent.objects.create(clinic=clinic, patient=patients[0], action="view", what="x",
                              ip_address="2001:db8::1", user_agent="Fírefox 🦊")  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_every_table_comes_back_exactly_after_backup_and_restore(tmp_path, capsys):
    many_kinds_of_rows()
    before = snapshot()
    filled = {label for label, rows in before.items() if rows}
    # The comparison below means something only if most kinds of record have rows.
    for label in ("tracking.JournalEntry", "careplan.HabitTick", "workspace.ClinicianNote",
                  "safety.Alert", "lifecycle.DeletionRecord", "accounts.User_groups",
                  "auth.Group_permissions", "treatment.Infusion", "audit.AuditEvent"):  # fmt: skip
        assert label in filled
    path = tmp_path / "clinic.jsonl.gz"
    call_command("backup", str(path))

    call_command("flush", interactive=False, inhibit_post_migrate=True)
    assert not any(snapshot().values())
    call_command("restore", str(path))

    assert snapshot() == before
    err = capsys.readouterr().err
    assert "tracking.CheckIn: " in err  # progress, table by table
    # New rows after a restore get fresh ids (sequences were moved past the restored ones).
    new = AuditEvent.objects.create(clinic_id=before["accounts.Clinic"][0][0], action="view")
    assert new.pk > max(row[0] for row in before["audit.AuditEvent"])


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_in_use_unless_forced(tmp_path, riverside, alice):
    path = tmp_path / "b.jsonl.gz"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))
    Patient.objects.filter(pk=alice.pk).update(birth_year=1980)
    call_command("restore", str(path), force=True)
    assert Patient.objects.get(pk=alice.pk).birth_year is None


def rewrite(path, change, *, reseal: bool = False) -> None:
    """Change the lines of a backup; ``reseal`` puts a matching checksum in the trailer."""
    with gzip.open(path, "rt") as src:
        lines = change(src.read().splitlines())
    if reseal:
        trailer = json.loads(lines[-1])
        trailer["sha256"] = hashlib.sha256("".join(lines[:-1]).encode()).hexdigest()
        lines[-1] = json.dumps(trailer)
    with gzip.open(path, "wt") as out:
        out.write("\n".join(lines) + "\n")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_or_foreign_file_and_changes_nothing(tmp_path, alice):
    path = tmp_path / "b.jsonl.gz"
    call_command("backup", str(path))
    call_command("flush", interactive=False, inhibit_post_migrate=True)

    def edit_a_row(lines):
        row = json.loads(lines[1])
        row["f"]["name"] = "Changed"
        return [lines[0], json.dumps(row), *lines[2:]]

    rewrite(path, edit_a_row)
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(path))
    rewrite(path, lambda lines: lines[:-1])
    with pytest.raises(CommandError, match="incomplete"):
        call_command("restore", str(path))
    (tmp_path / "plain.txt").write_text("hello")
    with pytest.raises(CommandError, match="not a readable gzip"):
        call_command("restore", str(tmp_path / "plain.txt"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.gz"))
    assert not Patient.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_another_software_version_is_refused(tmp_path, alice):
    path = tmp_path / "b.jsonl.gz"
    call_command("backup", str(path))

    def newer(lines):
        header = json.loads(lines[0])
        header["migrations"].append("tracking.9999_future")
        return [json.dumps(header), *lines[1:]]

    rewrite(path, newer)
    # The checksum covers the header too.
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(path), force=True)
    rewrite(path, lambda lines: lines, reseal=True)
    with pytest.raises(CommandError, match="different version"):
        call_command("restore", str(path), force=True)
    assert Patient.objects.get() == alice


@pytest.mark.django_db(transaction=True)  # the command closes the connection when done
def test_the_aftercare_command_runs_backup_and_restore(tmp_path, alice, capsys):
    from aftercare.cli import main

    path = tmp_path / "cli.jsonl.gz"
    main(["aftercare", "backup", str(path)])
    assert "Wrote" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["aftercare", "restore", str(path)])
    assert "not empty" in capsys.readouterr().err
