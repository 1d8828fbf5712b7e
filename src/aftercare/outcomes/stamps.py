"""Keep ``DataStamp`` in step with the data the insights are computed from.

Every save or delete of a check-in, questionnaire, infusion or course gives the patient a new
token in the same transaction. Writes that bypass model signals (``bulk_create``,
``QuerySet.update``) must call ``touch`` themselves; a patient never touched has no token and
is simply never served from memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_delete, post_save

from aftercare.outcomes.models import DataStamp


def touch(patient_ids: Iterable[Any]) -> None:
    """Give each patient a new token (one statement, insert or update)."""
    rows = [DataStamp(patient_id=pid, stamp=uuid.uuid4()) for pid in set(patient_ids)]
    if rows:
        DataStamp.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["patient"], update_fields=["stamp"]
        )


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.patient_id is not None:
        touch([instance.patient_id])


def _patient_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kw: Any) -> None:
    if created and not raw:
        touch([instance.pk])


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Update only: when the patient itself is being deleted their token row is already gone,
    # and inserting one would break the deletion.
    DataStamp.objects.filter(patient_id=instance.patient_id).update(stamp=uuid.uuid4())


def connect() -> None:
    from aftercare.accounts.models import Patient
    from aftercare.tracking.models import CheckIn, ScaleResponse
    from aftercare.treatment.models import Course, Infusion

    for model in (CheckIn, ScaleResponse, Infusion, Course):
        post_save.connect(_saved, sender=model, dispatch_uid=f"stamp-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"stamp-del-{model.__name__}")
    post_save.connect(_patient_saved, sender=Patient, dispatch_uid="stamp-new-patient")
