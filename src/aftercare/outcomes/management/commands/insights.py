"""``aftercare insights validate [--seed N]``: check the insights on simulated cohorts.

Prints the results table (docs/validation.md keeps a copy); the last line is the macro-F1 of the
trajectory classes, and the command exits non-zero when it is below the target.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aftercare.insights.validation import TARGET_MACRO_F1, validate


class Command(BaseCommand):
    help = "Validate the response insights on simulated cohorts with known ground truth."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["validate"])
        parser.add_argument("--seed", type=int, default=7, help="seed of the simulated cohorts")

    def handle(self, *args: Any, **options: Any) -> None:
        seed = options["seed"]
        if not 0 <= seed < 2**32:
            raise CommandError("--seed must be a whole number from 0 to 4294967295")
        lines, ok = validate(seed=seed)
        self.stdout.write("\n".join(lines))
        if not ok:
            raise CommandError(f"macro-F1 below the target {TARGET_MACRO_F1}")
