"""Template helpers for sessions: the stage staff read instead of the stored status, and the
dose in words."""

from decimal import Decimal

from django import template

from aftercare.treatment import dose
from aftercare.treatment.models import Infusion
from aftercare.treatment.stage import SessionStage, stage_of

register = template.Library()


@register.filter
def session_stage(infusion: Infusion) -> SessionStage:
    return stage_of(infusion)


@register.filter
def dose_text(infusion: Infusion, form: str = "") -> str:
    """``{{ infusion|dose_text }}``, or ``{{ infusion|dose_text:"short" }}`` in tables."""
    return dose.dose_text(infusion, short=form == "short")


@register.filter
def amount(value: Decimal | None) -> str:
    return "" if value is None else dose.amount(value)
