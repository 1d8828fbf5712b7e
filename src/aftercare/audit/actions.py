"""Writing audit records: who did what to which patient's data, when and from where."""

import ipaddress
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from aftercare.accounts.models import Patient, User
from aftercare.audit.context import current_request
from aftercare.audit.models import AuditEvent

USER_AGENT_LENGTH = AuditEvent._meta.get_field("user_agent").max_length or 300


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address: REMOTE_ADDR, or the trusted proxy's header when one is configured.

    A header is only believed when AFTERCARE_TRUSTED_PROXY_HEADER names it, since anyone can
    send one. For a list (X-Forwarded-For) the last entry is the one the proxy itself added.
    """
    header = getattr(settings, "AUDIT_TRUSTED_PROXY_HEADER", "")
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        candidate = value.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


def _event(
    request: HttpRequest | None,
    *,
    action: str,
    what: str,
    patient_id: Any,
    clinic_id: int,
    object_id: object = "",
    actor: User | None = None,
) -> AuditEvent:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    # Where from: the request this record belongs to, or the one being answered.
    request = request if request is not None else current_request.get()
    return AuditEvent(
        actor=actor,
        clinic_id=clinic_id,
        patient_id=patient_id,
        action=action,
        what=what,
        object_id=str(object_id),
        ip_address=client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[
            :USER_AGENT_LENGTH
        ],
    )


def record(
    request: HttpRequest | None,
    *,
    action: str,
    what: str,
    patient: Patient,
    object_id: object = "",
    actor: User | None = None,
) -> AuditEvent:
    """Leave an audit record for one read or write of a patient's health data."""
    event = _event(
        request,
        action=action,
        what=what,
        patient_id=patient.pk,
        clinic_id=patient.clinic_id,
        object_id=object_id,
        actor=actor,
    )
    event.save()
    return event


def record_many(
    request: HttpRequest,
    *,
    action: str,
    what: str,
    clinic_id: int,
    patient_ids: Iterable[Any],
    not_again_within: timedelta | None = None,
) -> None:
    """One record per patient shown on a list page, written in one query.

    With ``not_again_within``, a patient this person was already shown on the same page, from
    the same address, that recently gets no second record (one more query to find out). For a
    page that refreshes itself every minute: the log would otherwise hold a line per patient
    per minute for as long as the screen stays open, and bury the reads worth looking at.
    """
    ids = list(dict.fromkeys(patient_ids))
    events = [
        _event(request, action=action, what=what, patient_id=pid, clinic_id=clinic_id)
        for pid in ids
    ]
    if not_again_within is not None and events and events[0].actor_id is not None:
        already = set(
            AuditEvent.objects.filter(
                clinic_id=clinic_id,
                actor_id=events[0].actor_id,
                action=action,
                what=what,
                ip_address=events[0].ip_address,
                patient_id__in=ids,
                at__gte=timezone.now() - not_again_within,
            ).values_list("patient_id", flat=True)
        )
        events = [event for event in events if event.patient_id not in already]
    AuditEvent.objects.bulk_create(events)


def record_clinic(
    request: HttpRequest | None,
    *,
    action: str,
    what: str,
    clinic_id: int,
    patient_id: Any = None,
    object_id: object = "",
    actor: User | None = None,
) -> AuditEvent:
    """A record about the clinic as a whole (an audit export, a setting, a staff account),
    optionally one patient."""
    event = _event(
        request,
        action=action,
        what=what,
        patient_id=patient_id,
        clinic_id=clinic_id,
        object_id=object_id,
        actor=actor,
    )
    event.save()
    return event
