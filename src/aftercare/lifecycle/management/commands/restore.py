from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aftercare.lifecycle.backup import BackupError, restore


class Command(BaseCommand):
    help = "Load a backup made by `aftercare backup` into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the contents of a database that is not empty.",
        )

    def handle(self, *args, file: Path, force: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist")
        try:
            rows = restore(file, force=force, progress=self.stderr.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {rows} rows from {file}"))
