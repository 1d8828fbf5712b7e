from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aftercare.lifecycle.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write every table to FILE (gzipped JSON lines with a checksum; docs/data-lifecycle.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if file.is_dir():
            raise CommandError(f"{file} is a folder; give a file name such as backup.jsonl.gz")
        try:
            rows = backup(file, progress=self.stderr.write)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {rows} rows to {file}"))
