"""Storing a confirmed mood import (the preview and parsing are in imports.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from aftercare.accounts.models import Patient
from aftercare.audit.actions import record
from aftercare.outcomes.stamps import touch
from aftercare.reports.imports import Day
from aftercare.tracking.models import CheckIn


def existing_days(patient: Patient, days: Sequence[Day]) -> set:
    wanted = {d.day for d in days}
    if not wanted:
        return set()
    found = patient.check_ins.filter(local_date__range=(min(wanted), max(wanted)))
    return set(found.values_list("local_date", flat=True)) & wanted


@transaction.atomic
def import_days(
    *, patient: Patient, source: str, days: Sequence[Day], request: HttpRequest | None
) -> tuple[int, int]:
    """Store each day without a check-in of its own as an imported check-in.

    Returns (days added, days left out because a check-in already exists). Idempotent: a day
    imported before from the same source is "existing" and is left out again.
    """
    existing = existing_days(patient, days)
    tz = patient.tz
    now = timezone.now()
    new = [
        CheckIn(
            patient=patient,
            submitted_at=min(datetime.combine(d.day, d.at or time(12), tzinfo=tz), now),
            local_date=d.day,
            mood=d.mood,
            anxiety=d.anxiety,
            note=d.note,
            source=source,
        )
        for d in days
        if d.day not in existing and d.mood is not None
    ]
    CheckIn.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    touch([patient.pk])  # bulk_create sends no signals: the insights must see the new days
    record(request, action="create", what=f"mood history import ({source})", patient=patient,
           object_id=len(new))  # fmt: skip
    return len(new), len(existing)
