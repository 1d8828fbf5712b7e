"""Reading the audit log: one clinic's events, filtered; rows for the page and the CSV."""

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet

from aftercare.accounts.models import User
from aftercare.accounts.scoping import audit_events_visible_to
from aftercare.audit.models import AuditEvent

CSV_COLUMNS = (
    "at_utc",
    "person",
    "person_email",
    "role",
    "action",
    "what",
    "object_id",
    "patient_id",
    "patient",
    "ip_address",
    "user_agent",
)


def events_for(admin: User, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The admin's clinic's events, newest first; dates are whole days in the clinic's zone."""
    events = audit_events_visible_to(admin)
    if filters.get("person"):
        events = events.filter(actor=filters["person"])
    if filters.get("patient"):
        events = events.filter(patient=filters["patient"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    tz = admin.clinic.tz
    if filters.get("since"):
        events = events.filter(at__gte=datetime.combine(filters["since"], time(), tz))
    if filters.get("until"):
        end = datetime.combine(filters["until"] + timedelta(days=1), time(), tz)
        events = events.filter(at__lt=end)
    return events.select_related("actor", "patient__user").order_by("-at", "-pk")


def _cell(value: object) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(events: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    yield list(CSV_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        actor, patient = event.actor, event.patient
        yield [
            _cell(v)
            for v in (
                event.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                (actor.get_full_name() if actor else "") or "",
                actor.email if actor else "",
                actor.role if actor else "",
                event.action,
                event.what,
                event.object_id,
                event.patient_id or "",
                patient.display_name if patient else "",
                event.ip_address or "",
                event.user_agent,
            )
        ]
