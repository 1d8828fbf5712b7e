"""Template helpers for sessions: the stage staff read instead of the stored status."""

from django import template

from aftercare.treatment.models import Infusion
from aftercare.treatment.stage import SessionStage, stage_of

register = template.Library()


@register.filter
def session_stage(infusion: Infusion) -> SessionStage:
    return stage_of(infusion)
