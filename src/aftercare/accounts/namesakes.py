"""Patients of one clinic who share a name. Wherever staff pick a patient from a list (alerts,
the audit log, schedules), two people called "Sam Lee" must not look the same: each gets their
email beside the name, as the workspace list does (workspace/selectors.py). Email, not a birth
year: it is always set, unique, and what the clinic invited the patient with."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import Lower, Trim

from aftercare.accounts.models import Patient


def shared_names(clinic_id: int) -> frozenset[tuple[str, str]]:
    """(first, last) names, lower-cased and trimmed, held by more than one patient of the clinic.
    One query, whatever the number of patients."""
    rows = (
        Patient.objects.filter(clinic_id=clinic_id)
        .values(first=Lower(Trim("user__first_name")), last=Lower(Trim("user__last_name")))
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("first", "last")
    )
    return frozenset((first, last) for first, last in rows if first or last)


def has_namesake(patient: Patient, names: frozenset[tuple[str, str]]) -> bool:
    user = patient.user
    return (user.first_name.strip().lower(), user.last_name.strip().lower()) in names
