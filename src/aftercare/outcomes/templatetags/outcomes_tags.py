"""Template tags other apps' pages can use: the staff's response section on the patient record."""

from typing import Any

from django import template
from django.utils import timezone

from aftercare.accounts.models import Patient
from aftercare.insights.patient import analyse_patient
from aftercare.outcomes.loaders import definitions_for, load_patient

register = template.Library()


@register.inclusion_tag("outcomes/includes/patient_section.html")
def patient_response(patient: Patient) -> dict[str, Any]:
    """Trajectory, its explanation, the questionnaire outcome and the booster window (staff)."""
    from aftercare.outcomes.views import patient_context

    definitions = definitions_for(patient.clinic)
    data = load_patient(patient, now=timezone.now(), definitions=definitions)
    insight = analyse_patient(data, definitions=definitions, detail=False)
    return patient_context(patient, insight, definitions, data)
