"""The demo's alerts: raised when the simulated answers came in, and the older ones already
worked through by the care team, so the alert pages look like a clinic's on an ordinary day
rather than a pile raised in the minute the demo was loaded."""

from datetime import datetime, timedelta

import numpy as np
from django.db.models import Q

from aftercare.accounts.models import Clinic, Role, User
from aftercare.safety.actions import (
    acknowledge_alert,
    add_note,
    record_contact_attempt,
    resolve_alert,
)
from aftercare.safety.models import Alert, SafetySettings
from aftercare.safety.screening import screen_check_in, screen_missed_check_ins, screen_scale
from aftercare.tracking.models import CheckIn, ScaleResponse

SCREENED_DAYS = 3
# Alerts about the last day's answers still wait for the care team when the demo starts, so
# there is something to triage (and, once overdue, to see escalate); an urgent one only for
# two hours, since no clinic leaves thoughts of suicide unanswered overnight.
STILL_OPEN = {
    Alert.Severity.URGENT: timedelta(hours=2),
    Alert.Severity.HIGH: timedelta(hours=24),
    Alert.Severity.ROUTINE: timedelta(hours=24),
}
# How long the care team took to see an alert, in minutes, by severity (within the clinic's
# default acknowledgement windows, safety.models.SafetySettings).
SEEN_AFTER = {
    Alert.Severity.URGENT: (3, 12),
    Alert.Severity.HIGH: (15, 90),
    Alert.Severity.ROUTINE: (60, 600),
}
# Of the alerts seen, this share is still being followed up (acknowledged, not resolved).
STILL_FOLLOWED = 0.25

# What the care team wrote: the call, then why it could be closed.
FOLLOW_UP: dict[str, tuple[str, str]] = {
    "suicidal_thoughts": (
        "Called the patient. Passing thoughts last night, no plan or intent. Went through the "
        "safety plan together; partner at home this evening.",
        "Safe for now. Call booked for tomorrow morning; next infusion stands.",
    ),
    "phq9_item9": (
        "Called about question 9: thoughts on a few days, no plan. Safety plan reviewed.",
        "Discussed with the prescriber; to be asked again at the next visit.",
    ),
    "severe_anxiety": (
        "Called: anxious after a hard day at work, calmer now after the breathing exercise.",
        "Settled. We will talk about it at the next visit.",
    ),
    "psychotic_symptoms": (
        "Called: patterns in the ceiling for an hour after getting home, gone now; no "
        "suspicious thoughts.",
        "Expected after treatment and over. Noted for the prescriber.",
    ),
    "prolonged_dissociation": (
        "Called: still a bit detached this morning, improving. Resting today, not driving.",
        "Gone by the afternoon, said on the follow-up call.",
    ),
    "ketamine_cravings": (
        "Talked about the urges; no use outside the clinic. Added to the care plan.",
        "Plan agreed; prescriber informed.",
    ),
    "urinary_symptoms": (
        "Called: some urgency for two days. Asked to see the family doctor for a urine test.",
        "Test clear. Will keep asking at each visit.",
    ),
    "mood_worsening": (
        "Spoke with the patient about the lower scores: poor sleep this week.",
        "Discussed with the prescriber: booster timing to be reviewed at the next visit.",
    ),
    "phq9_worsening": (
        "Spoke with the patient about the higher PHQ-9: stress at home, no safety concerns.",
        "Reviewed with the prescriber; next questionnaire in two weeks as planned.",
    ),
    "phq9_loss_of_response": (
        "Called: the benefit has worn off over the last week.",
        "Booster discussed with the prescriber and offered.",
    ),
}
GENERIC_FOLLOW_UP = (
    "Called the patient and went through the answers.",
    "Nothing more needed for now.",
)
STILL_FOLLOWED_NOTE = "Left a message; will try again in the morning."


def screen_recent_history(clinic: Clinic, now: datetime, *, seed: int) -> None:
    """Run the safety rules over the last days of answers, in the order they came in, dating
    each alert from its answers; alerts older than ``STILL_OPEN`` have been dealt with."""
    rng = np.random.default_rng(seed)
    since = now - timedelta(days=SCREENED_DAYS)
    sources: list[tuple[datetime, CheckIn | ScaleResponse]] = [
        (c.submitted_at, c)
        for c in CheckIn.objects.filter(patient__clinic=clinic, submitted_at__gte=since)
    ]
    sources += [
        (s.taken_at, s)
        for s in ScaleResponse.objects.filter(patient__clinic=clinic, taken_at__gte=since)
    ]
    safety = SafetySettings.for_clinic(clinic)
    for at, source in sorted(sources, key=lambda pair: (pair[0], pair[1].pk)):
        alerts = screen_check_in(source) if isinstance(source, CheckIn) else screen_scale(source)
        for alert in alerts:
            _date(alert, at, safety)
            if at < now - STILL_OPEN[Alert.Severity(alert.severity)]:
                _follow_up(alert, rng)
    screen_missed_check_ins(now)


def _date(alert: Alert, at: datetime, safety: SafetySettings) -> None:
    """Raised when the answers were sent, due within the clinic's window from then."""
    alert.created_at = at
    alert.ack_due_at = alert.next_escalation_at = at + safety.ack_window(alert.severity)
    Alert.objects.filter(pk=alert.pk).update(
        created_at=alert.created_at,
        ack_due_at=alert.ack_due_at,
        next_escalation_at=alert.next_escalation_at,
    )


def _follow_up(alert: Alert, rng: np.random.Generator) -> None:
    """The owner saw it in time, called, and closed it or is still following it up."""
    by = _triager(alert)
    low, high = SEEN_AFTER[Alert.Severity(alert.severity)]
    seen = alert.created_at + timedelta(minutes=float(rng.uniform(low, high)))
    called, closing = FOLLOW_UP.get(alert.rule_id, GENERIC_FOLLOW_UP)
    if alert.rule_id == "missed_check_ins":
        acknowledge_alert(alert=alert, by=by, now=seen)
    else:
        record_contact_attempt(alert=alert, by=by, text=called, now=seen)
    if rng.random() < STILL_FOLLOWED and alert.severity != Alert.Severity.URGENT:
        add_note(alert=alert, by=by, text=STILL_FOLLOWED_NOTE, now=seen + timedelta(minutes=2))
        return
    resolve_alert(
        alert=alert, by=by, text=closing, now=seen + timedelta(minutes=float(rng.uniform(10, 120)))
    )


def _triager(alert: Alert) -> User:
    """The alert's owner, or else an active clinician of the clinic."""
    if alert.owner is not None and alert.owner.is_active:
        return alert.owner
    return User.objects.filter(
        Q(clinic_id=alert.clinic_id), ~Q(role=Role.PATIENT), is_active=True
    ).order_by("pk")[0]
