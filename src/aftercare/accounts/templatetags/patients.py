"""``{% namesake_hint patient %}``: the patient's email when another patient of the clinic has the
same name (accounts/namesakes.py), else nothing. The clinic's shared names are read once per
page, on first use (accounts/context_processors.py)."""

from typing import Any

from django import template

from aftercare.accounts.models import Patient
from aftercare.accounts.namesakes import has_namesake

register = template.Library()


@register.simple_tag(takes_context=True)
def namesake_hint(context: dict[str, Any], patient: Patient | None) -> str:
    names = context.get("shared_patient_names")
    if patient is None or not names:
        return ""
    return patient.user.email if has_namesake(patient, names) else ""
