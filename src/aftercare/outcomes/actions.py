"""Writes of the outcomes app: a clinic's own outcome definitions."""

from typing import Any

from django.db import transaction

from aftercare.accounts.models import Clinic, User
from aftercare.outcomes.models import ClinicDefinitions


@transaction.atomic
def save_definitions(*, clinic: Clinic, by: User, values: dict[str, Any]) -> ClinicDefinitions:
    """Create or update the clinic's definitions with already validated ``values``."""
    row, _ = ClinicDefinitions.objects.select_for_update().get_or_create(clinic=clinic)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by = by
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def reset_definitions(*, clinic: Clinic) -> None:
    """Back to the published defaults (CLINICAL.md §2)."""
    ClinicDefinitions.objects.filter(clinic=clinic).delete()
