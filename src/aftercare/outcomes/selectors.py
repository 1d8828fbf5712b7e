"""Reads for the outcomes pages and for other apps: insights of one patient or of many."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from aftercare.accounts.models import Patient
from aftercare.insights.definitions import OutcomeDefinitions
from aftercare.insights.patient import PatientInsights, analyse_patient, trajectories
from aftercare.outcomes import memory
from aftercare.outcomes.loaders import definitions_for
from aftercare.outcomes.models import DataStamp


def stamped(patients: QuerySet[Patient] | Sequence[Patient]) -> list[tuple[Any, str, Any]]:
    """(id, time zone, data stamp) of each patient, in one query. Stamps are read as text
    (they are only compared), the same way wherever they are read."""
    as_text = Cast("data_stamp__stamp", CharField())
    if isinstance(patients, QuerySet):
        return list(patients.annotate(stamp=as_text).values_list("pk", "timezone", "stamp"))
    stamps = dict(
        DataStamp.objects.filter(patient_id__in=[p.pk for p in patients])
        .annotate(text=Cast("stamp", CharField()))
        .values_list("patient_id", "text")
    )
    return [(p.pk, p.timezone, stamps.get(p.pk)) for p in patients]


def entries_for_patients(
    patients: QuerySet[Patient] | Sequence[Patient],
    *,
    now: datetime,
    definitions: OutcomeDefinitions,
) -> list[memory.Entry]:
    """Each patient's loaded data (``memory.Entry``): one query for the stamps, and the
    loader's 4 more only when some patient has new data (or a new day) since the last call."""
    subquery = patients.values("pk") if isinstance(patients, QuerySet) else None
    return memory.entries_for(
        stamped(patients), now=now, definitions=definitions, subquery=subquery
    )


@memory.no_collection()  # thousands of patients' results built at once
def insights_of_entries(
    entries: Sequence[memory.Entry],
    *,
    definitions: OutcomeDefinitions,
    detail: bool = False,
    minimal: bool = False,
) -> list[PatientInsights]:
    """Insights of loaded patients, computed only where not already kept beside the data;
    trajectories of the others in one numpy pass."""
    key = (definitions, detail, minimal)
    todo = [e for e in entries if key not in e.results]
    for entry, trajectory in zip(todo, trajectories([e.data for e in todo]), strict=True):
        entry.results[key] = analyse_patient(
            entry.data,
            definitions=definitions,
            trajectory=trajectory,
            detail=detail,
            minimal=minimal,
        )
    return [e.results[key] for e in entries]


def insights_for_patients(
    patients: QuerySet[Patient] | Sequence[Patient],
    *,
    now: datetime,
    definitions: OutcomeDefinitions,
    detail: bool = False,
    minimal: bool = False,
) -> list[PatientInsights]:
    """Insights of many patients: a fixed number of queries, trajectories in one numpy pass.
    ``detail`` adds the per-infusion rows (the patient page needs them); ``minimal`` computes
    only what the dashboard counts (``analyse_patient``). Patients whose data is unchanged since
    an earlier call (``outcomes.memory``) are neither read nor analysed again."""
    entries = entries_for_patients(patients, now=now, definitions=definitions)
    return insights_of_entries(entries, definitions=definitions, detail=detail, minimal=minimal)


def patient_insights(patient: Patient, now: datetime | None = None) -> PatientInsights:
    """Everything the staff see about one patient's response."""
    definitions = definitions_for(patient.clinic)
    return insights_for_patients(
        [patient], now=now or timezone.now(), definitions=definitions, detail=True
    )[0]


@dataclass(frozen=True)
class ResponseNote:
    """What the patient's own page may say about their response: never a forecast or a score.
    ``booster_review_pending``: "your care team is reviewing the timing of your next
    treatment". ``not_responding``: the completed series is flagged for review as a
    non-response (the article's "If You're Not Responding" guidance, guidance.texts)."""

    booster_review_pending: bool
    not_responding: bool


def response_note(patient: Patient, now: datetime | None = None) -> ResponseNote:
    insight = patient_insights(patient, now)
    # The review flag stays for the care team; the patient whose latest PHQ-9 has since shown
    # a response (or remission) is no longer told the series may not have helped.
    outcome = insight.induction_outcome
    latest = outcome.latest if outcome is not None else None
    improved_since = latest is not None and (latest.response or latest.remission)
    return ResponseNote(
        booster_review_pending=insight.booster_review_pending,
        not_responding=insight.non_response is not None and not improved_since,
    )


def booster_review_pending(patient: Patient, now: datetime | None = None) -> bool:
    """True when the benefit is fading, a booster window is proposed to the care team and no
    treatment is scheduled before the window ends.

    For the patient's page: show only "your care team is reviewing the timing of your next
    treatment" (``outcomes.texts.BOOSTER_REVIEW``), never the forecast itself.
    """
    return patient_insights(patient, now).booster_review_pending
