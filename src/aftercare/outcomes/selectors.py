"""Reads for the outcomes pages and for other apps: insights of one patient or of many."""

from __future__ import annotations

import hashlib
import pickle
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from aftercare.accounts.models import Patient
from aftercare.insights.data import PatientData
from aftercare.insights.definitions import OutcomeDefinitions
from aftercare.insights.patient import PatientInsights, analyse_patient, trajectories
from aftercare.outcomes.loaders import definitions_for, load_patients

# Results of unchanged inputs, keyed by a digest of everything they are computed from (the
# patient's loaded data, the definitions, "today" inside the data): new data or another day
# gives another key, so a stale result is never served. Bounded, per process.
_RESULTS: OrderedDict[bytes, PatientInsights] = OrderedDict()
RESULTS_MAX = 5000


def _digest(
    data: PatientData, definitions: OutcomeDefinitions, detail: bool, minimal: bool
) -> bytes:
    state = pickle.dumps((data, definitions, detail, minimal), protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.blake2b(state, digest_size=20).digest()


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
    only what the dashboard counts (``analyse_patient``). Patients whose inputs are unchanged
    since an earlier call get that call's (frozen) result; only the others are computed."""
    data = load_patients(patients, now=now, definitions=definitions)
    keys = [_digest(d, definitions, detail, minimal) for d in data]
    todo = [i for i, key in enumerate(keys) if key not in _RESULTS]
    trajs = trajectories([data[i] for i in todo])  # rows are independent of each other
    for i, t in zip(todo, trajs, strict=True):
        _RESULTS[keys[i]] = analyse_patient(
            data[i], definitions=definitions, trajectory=t, detail=detail, minimal=minimal
        )
    out = []
    for key in keys:
        _RESULTS.move_to_end(key)
        out.append(_RESULTS[key])
    while len(_RESULTS) > RESULTS_MAX:
        _RESULTS.popitem(last=False)
    return out


def patient_insights(patient: Patient, now: datetime | None = None) -> PatientInsights:
    """Everything the staff see about one patient's response."""
    definitions = definitions_for(patient.clinic)
    return insights_for_patients(
        [patient], now=now or timezone.now(), definitions=definitions, detail=True
    )[0]


def booster_review_pending(patient: Patient, now: datetime | None = None) -> bool:
    """True when the benefit is fading, a booster window is proposed to the care team and no
    treatment is scheduled before the window ends.

    For the patient's page: show only "your care team is reviewing the timing of your next
    treatment" (``outcomes.texts.BOOSTER_REVIEW``), never the forecast itself.
    """
    return patient_insights(patient, now).booster_review_pending
