"""Template tags other apps' pages can use: the staff's response section on the patient record,
and the patient's neutral note while the care team reviews booster timing."""

from typing import Any

from django import template
from django.utils import timezone

from aftercare.accounts.models import Patient
from aftercare.insights.patient import analyse_patient
from aftercare.outcomes.loaders import definitions_for, load_patient
from aftercare.outcomes.selectors import booster_review_pending
from aftercare.outcomes.texts import BOOSTER_REVIEW

register = template.Library()


@register.inclusion_tag("outcomes/includes/patient_section.html")
def patient_response(patient: Patient) -> dict[str, Any]:
    """Trajectory, its explanation, the questionnaire outcome and the booster window (staff)."""
    from aftercare.outcomes.views import patient_context

    definitions = definitions_for(patient.clinic)
    data = load_patient(patient, now=timezone.now(), definitions=definitions)
    insight = analyse_patient(data, definitions=definitions, detail=False)
    return patient_context(patient, insight, definitions, data)


@register.inclusion_tag("outcomes/includes/booster_note.html")
def booster_review_note(patient: Patient) -> dict[str, Any]:
    """For the patient's own page: only "your care team is reviewing the timing of your next
    treatment", and only while a booster window is pending; never the forecast."""
    return {"pending": booster_review_pending(patient), "text": BOOSTER_REVIEW}
