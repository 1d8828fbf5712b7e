"""Safety pieces other pages include: crisis numbers, alert status, the concern button."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import dateformat, timezone
from django.utils.functional import Promise

from aftercare.safety import crisis, wording
from aftercare.safety.forms import ConcernForm
from aftercare.safety.models import Alert

register = template.Library()

# What the patient sent is shown back to them for this long.
STATUS_SHOWN_FOR = timedelta(days=3)
PATIENT_SOURCES = (
    Alert.Source.CHECK_IN,
    Alert.Source.SCALE,
    Alert.Source.JOURNAL,
    Alert.Source.CONCERN,
)


@register.simple_tag
def safety_text(name: str) -> str:
    """A sentence from safety/wording.py, so templates hold no crisis wording of their own."""
    value = getattr(wording, name)
    if not isinstance(value, Promise):
        raise template.TemplateSyntaxError(f"wording.{name} is not a sentence")
    return str(value)


@register.inclusion_tag("safety/includes/crisis_screen.html", takes_context=True)
def crisis_screen(
    context: dict[str, Any],
    alerts: list[Alert] | None = None,
    concern: bool = False,
    private_words: bool = False,
) -> dict[str, Any]:
    """The crisis/contact screen: why, what to do now, and whether the care team knows."""
    clinic = context["clinic"]
    screen = crisis.crisis_screen(alerts or [], concern=concern, private_words=private_words)
    return {
        "screen": screen,
        "contacts": wording.crisis_contacts(clinic, clinic_first=screen.clinic_first),
        "emergency": wording.emergency_sentence(clinic),
    }


@register.inclusion_tag("safety/includes/crisis_contacts.html", takes_context=True)
def crisis_contacts(context: dict[str, Any]) -> dict[str, Any]:
    clinic = context["clinic"]
    return {
        "contacts": wording.crisis_contacts(clinic),
        "emergency": wording.emergency_sentence(clinic),
    }


@register.inclusion_tag("safety/includes/unsaved_help.html", takes_context=True)
def unsaved_help(context: dict[str, Any], name: str) -> dict[str, Any]:
    """Above a form that could not be saved but held an answer about safety: that the care
    team has been told (``wording.<name>``), and where to get help now."""
    return {**crisis_contacts(context), "message": safety_text(name), "intro": wording.HELP_NOW}


@register.inclusion_tag("safety/includes/alert_status.html", takes_context=True)
def patient_alert_status(context: dict[str, Any]) -> dict[str, Any]:
    """The latest thing the patient told the care team about, and whether someone saw it."""
    user = context["user"]
    alert = (
        Alert.objects.filter(
            patient__user=user,
            source_kind__in=PATIENT_SOURCES,
            created_at__gte=timezone.now() - STATUS_SHOWN_FOR,
        )
        .order_by("-created_at")
        .first()
    )
    if alert is None:
        return {"status": None}
    about = {
        "what": wording.STATUS_WHAT[alert.source_kind],
        # The date too: "Thursday" alone is unclear once the week has turned.
        "when": dateformat.format(timezone.localtime(_source_time(alert)), "l j F, H:i"),
    }
    if alert.acknowledged_at is None:
        text = str(wording.STATUS_WAITING) % about
    else:
        template_text = (
            wording.STATUS_RESOLVED
            if alert.status == Alert.Status.RESOLVED
            else wording.STATUS_SEEN
        )
        seen_at = timezone.localtime(alert.acknowledged_at)
        same_day = seen_at.date() == timezone.localtime().date()
        seen = dateformat.format(seen_at, "H:i" if same_day else "l H:i")
        text = str(template_text) % {**about, "time": seen}
    return {"status": text, "seen": alert.acknowledged_at is not None}


def _source_time(alert: Alert) -> datetime:
    """When the patient sent what the alert is about: the check-in, questionnaire or entry
    itself (a rule may find something in it later), else when the alert was raised."""
    from aftercare.tracking.models import CheckIn, JournalEntry, ScaleResponse

    sources: dict[str, tuple[Any, str]] = {
        Alert.Source.CHECK_IN: (CheckIn, "submitted_at"),
        Alert.Source.SCALE: (ScaleResponse, "taken_at"),
        Alert.Source.JOURNAL: (JournalEntry, "written_at"),
    }
    if alert.source_kind in sources and alert.source_id.isdigit():
        model, field = sources[alert.source_kind]
        found = (
            model.objects.filter(pk=int(alert.source_id), patient_id=alert.patient_id)
            .values_list(field, flat=True)
            .first()
        )
        if found is not None:
            return found
    return alert.created_at


@register.inclusion_tag("safety/includes/concern_form.html")
def concern_form() -> dict[str, Any]:
    return {
        "form": ConcernForm(),
        "button": wording.CONCERN_BUTTON,
        "send": wording.CONCERN_SEND,
    }


@register.inclusion_tag("safety/includes/patient_alerts.html", takes_context=True)
def patient_alerts(context: dict[str, Any], patient: Any) -> dict[str, Any]:
    """Unresolved alerts on a patient's record (staff). The patient was already scoped."""
    alerts = list(
        Alert.objects.filter(patient=patient)
        .exclude(status=Alert.Status.RESOLVED)
        .order_by("created_at")
    )
    alerts.sort(key=lambda a: ["urgent", "high", "routine"].index(a.severity))
    return {"alerts": alerts, "patient": patient, "now": timezone.now()}
