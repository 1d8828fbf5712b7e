"""Writes that matter for safety: alerts and what staff do about them, settings, the plan.

Each runs inside transaction.atomic and leaves an audit record; tests set up data through them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Patient, User
from aftercare.audit.actions import record
from aftercare.safety.models import (
    Alert,
    AlertEvent,
    SafetyPlan,
    SafetySettingChange,
    SafetySettings,
)
from aftercare.safety.notify import notify_raised
from aftercare.safety.rules import Finding, patient_concern


def raise_alerts(
    *,
    patient: Patient,
    findings: Iterable[Finding],
    source_kind: str,
    source_id: object = "",
    now: datetime | None = None,
    actor: User | None = None,
    dedupe: Mapping[str, str] | None = None,
) -> list[Alert]:
    """One alert per finding, owned by the patient's clinician, due by severity.

    dedupe maps a rule id to a key: no new alert for that rule while an unresolved alert of
    the patient has the same rule and key (a state that persists is one alert, not one a day).
    Screening the same source again (an edited check-in or journal entry) raises no second
    alert for a rule and severity it already raised.
    """
    findings = list(findings)
    if not findings:  # nearly every submission: no savepoint for nothing
        return []
    with transaction.atomic():
        return _raise(
            patient, findings, source_kind, source_id, now or timezone.now(), actor, dedupe
        )


def _raise(
    patient: Patient,
    findings: list[Finding],
    source_kind: str,
    source_id: object,
    now: datetime,
    actor: User | None,
    dedupe: Mapping[str, str] | None,
) -> list[Alert]:
    safety = SafetySettings.for_clinic(patient.clinic)
    dedupe = dedupe or {}
    existing = set()
    if dedupe:
        existing = set(
            Alert.objects.filter(patient=patient, rule_id__in=dedupe.keys())
            .exclude(status=Alert.Status.RESOLVED)
            .values_list("rule_id", "dedupe_key")
        )
    same_source = set()
    if source_id != "":
        same_source = set(
            Alert.objects.filter(
                patient=patient, source_kind=source_kind, source_id=str(source_id)
            ).values_list("rule_id", "severity")
        )
    alerts = []
    for finding in findings:
        key = dedupe.get(finding.rule_id, "")
        if finding.rule_id in dedupe and (finding.rule_id, key) in existing:
            continue
        if (finding.rule_id, finding.severity.value) in same_source:
            continue
        due = now + safety.ack_window(finding.severity)
        alert = Alert.objects.create(
            patient=patient,
            clinic_id=patient.clinic_id,
            severity=finding.severity.value,
            rule_id=finding.rule_id,
            explanation=finding.explanation,
            source_text=finding.source,
            triggering_answers=dict(finding.triggering_answers),
            source_kind=source_kind,
            source_id=str(source_id),
            dedupe_key=key,
            created_at=now,
            owner_id=patient.clinician_id,
            ack_due_at=due,
            next_escalation_at=due,
        )
        record(
            None,
            actor=actor,
            action="create",
            what="safety alert",
            patient=patient,
            object_id=alert.pk,
        )
        alerts.append(alert)
    urgent = [a.pk for a in alerts if a.severity == Alert.Severity.URGENT]
    if urgent:
        transaction.on_commit(partial(notify_raised, urgent))
    return alerts


@transaction.atomic
def report_concern(*, patient: Patient, text: str = "", now: datetime | None = None) -> Alert:
    """The patient's “Something concerns me”: always a new alert (high)."""
    (alert,) = raise_alerts(
        patient=patient,
        findings=[patient_concern(text)],
        source_kind=Alert.Source.CONCERN,
        now=now,
        actor=patient.user,
    )
    return alert


def _event(alert: Alert, *, kind: str, by: User | None, text: str, now: datetime) -> AlertEvent:
    event = AlertEvent.objects.create(alert=alert, kind=kind, author=by, at=now, text=text)
    record(
        None,
        actor=by,
        action="update",
        what=f"safety alert {kind}",
        patient=alert.patient,
        object_id=alert.pk,
    )
    return event


def _locked(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().select_related("patient").get(pk=alert.pk)


@transaction.atomic
def acknowledge_alert(
    *, alert: Alert, by: User, text: str = "", now: datetime | None = None
) -> Alert:
    """Someone has seen it: escalation stops. Acknowledging twice changes nothing."""
    now = now or timezone.now()
    alert = _locked(alert)
    if alert.status != Alert.Status.OPEN:
        return alert
    alert.status = Alert.Status.ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by = by
    alert.next_escalation_at = None
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "next_escalation_at"])
    _event(alert, kind=AlertEvent.Kind.ACKNOWLEDGE, by=by, text=text, now=now)
    return alert


@transaction.atomic
def add_note(*, alert: Alert, by: User, text: str, now: datetime | None = None) -> AlertEvent:
    if not text.strip():
        raise ValueError("A note needs text")
    return _event(
        alert, kind=AlertEvent.Kind.NOTE, by=by, text=text.strip(), now=now or timezone.now()
    )


@transaction.atomic
def record_contact_attempt(
    *, alert: Alert, by: User, text: str, now: datetime | None = None
) -> AlertEvent:
    """A call or message to the patient and how it went. Counts as seeing the alert."""
    now = now or timezone.now()
    if not text.strip():
        raise ValueError("A contact attempt needs a description")
    acknowledge_alert(alert=alert, by=by, now=now)
    return _event(alert, kind=AlertEvent.Kind.CONTACT, by=by, text=text.strip(), now=now)


@transaction.atomic
def resolve_alert(*, alert: Alert, by: User, text: str = "", now: datetime | None = None) -> Alert:
    """Done with it. Resolving an open alert also acknowledges it."""
    now = now or timezone.now()
    alert = acknowledge_alert(alert=alert, by=by, now=now)
    if alert.status == Alert.Status.RESOLVED:
        return alert
    alert.status = Alert.Status.RESOLVED
    alert.resolved_at = now
    alert.save(update_fields=["status", "resolved_at"])
    _event(alert, kind=AlertEvent.Kind.RESOLVE, by=by, text=text.strip(), now=now)
    return alert


@transaction.atomic
def update_safety_settings(
    *, safety: SafetySettings, by: User, values: Mapping[str, Any]
) -> list[SafetySettingChange]:
    """Change a clinic's safety numbers; every changed field leaves a change record."""
    unknown = set(values) - set(SafetySettings.FIELDS)
    if unknown:
        raise ValueError(f"Not safety settings: {sorted(unknown)}")
    safety = SafetySettings.objects.select_for_update().get(pk=safety.pk)
    changes = []
    for name, new in values.items():
        old = getattr(safety, name)
        if old == new:
            continue
        setattr(safety, name, new)
        changes.append(
            SafetySettingChange.objects.create(
                clinic_id=safety.clinic_id,
                actor=by,
                field=name,
                old_value=str(old),
                new_value=str(new),
            )
        )
    if changes:
        safety.full_clean()
        safety.save()
    return changes


class StalePlan(Exception):
    """Someone else saved the plan after this person opened it."""

    def __init__(self, current: SafetyPlan) -> None:
        super().__init__("The safety plan changed since it was opened")
        self.current = current


def safety_plan_for(patient: Patient) -> SafetyPlan:
    plan, _created = SafetyPlan.objects.select_related("updated_by").get_or_create(patient=patient)
    return plan


@transaction.atomic
def save_safety_plan(
    *,
    patient: Patient,
    by: User,
    texts: Mapping[str, str],
    expected_version: int,
    now: datetime | None = None,
) -> SafetyPlan:
    """Save the plan unless someone saved a newer version meanwhile (then StalePlan)."""
    unknown = set(texts) - set(SafetyPlan.TEXT_FIELDS)
    if unknown:
        raise ValueError(f"Not safety plan fields: {sorted(unknown)}")
    safety_plan_for(patient)
    plan = SafetyPlan.objects.select_for_update().get(patient=patient)
    if plan.version != expected_version:
        raise StalePlan(plan)
    for name, value in texts.items():
        setattr(plan, name, value)
    plan.version += 1
    plan.updated_at = now or timezone.now()
    plan.updated_by = by
    plan.save()
    record(None, actor=by, action="update", what="safety plan", patient=patient, object_id=plan.pk)
    return plan
