"""Staff pages: the clinic outcomes dashboard, the patients behind each number, the definitions,
and one patient's response insights. Patients never see these (``staff_required``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Role, User
from aftercare.accounts.scoping import get_patient, patients_visible_to, staff_required
from aftercare.audit.actions import record
from aftercare.insights.cohort import METRICS, ClinicOutcomes, clinic_outcomes
from aftercare.insights.data import PatientData
from aftercare.insights.definitions import (
    DEFAULT_DEFINITIONS,
    DEFAULT_PRIORS,
    DEFAULT_TRAJECTORY,
    OutcomeDefinitions,
)
from aftercare.insights.episodes import smoothed
from aftercare.insights.explain import INSTRUMENT_NAMES
from aftercare.insights.patient import PatientInsights, analyse_patient
from aftercare.outcomes import actions, labels
from aftercare.outcomes.explain import explanation
from aftercare.outcomes.forms import DefinitionsForm, OutcomeFilters, PatientListForm
from aftercare.outcomes.loaders import definitions_for, load_patient
from aftercare.outcomes.models import ClinicDefinitions
from aftercare.outcomes.selectors import insights_for_patients


@dataclass(frozen=True)
class Number:
    """One dashboard number with the links to its patients and its definition."""

    key: str
    label: str
    n: int
    of: int | None
    percent: float | None
    url: str
    of_url: str | None
    definition: str


def _number(outcomes: ClinicOutcomes, key: str, form: OutcomeFilters) -> Number:
    count = outcomes.counts[key]
    label, anchor = labels.METRIC[key]
    base = reverse("outcomes_patients")
    has_denominator = METRICS[key] is not None
    return Number(
        key=key,
        label=str(label),
        n=count.n,
        of=count.of if has_denominator else None,
        percent=round(100 * count.rate, 1) if has_denominator and count.rate is not None else None,
        url=f"{base}?{form.query(metric=key, part='numerator')}",
        of_url=f"{base}?{form.query(metric=key, part='denominator')}" if has_denominator else None,
        definition=f"{reverse('outcomes_definitions')}#{anchor}",
    )


def _percent(share: float | None) -> int | None:
    return None if share is None else round(100 * share)


def _group_link(key: str, form: OutcomeFilters) -> str:
    return f"{reverse('outcomes_patients')}?{form.query(metric=key)}"


def _load(request: HttpRequest, form: OutcomeFilters) -> tuple[list[PatientInsights], Any]:
    user: User = request.user  # type: ignore[assignment]
    definitions = definitions_for(user.clinic)
    patients = form.apply(patients_visible_to(user)).order_by(
        "user__last_name", "user__first_name", "pk"
    )
    return (
        insights_for_patients(patients, now=timezone.now(), definitions=definitions, minimal=True),
        definitions,
    )


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Clinic outcomes: completion, response and remission, time until loss of response,
    booster intervals, suicidal-thought resolution, trajectories; filtered by GET parameters."""
    from aftercare.outcomes import charts  # altair loads slowly: only when drawing

    user: User = request.user  # type: ignore[assignment]
    form = OutcomeFilters(
        request.GET or None, clinic=user.clinic, patients=patients_visible_to(user)
    )
    status = 400 if form.is_bound and not form.is_valid() else 200
    if status == 400:
        messages.error(request, _("Some filters could not be used; see the messages below."))
    insights, definitions = _load(request, form)
    outcomes = clinic_outcomes(insights)

    def numbers(*keys: str) -> list[Number]:
        return [_number(outcomes, key, form) for key in keys]

    completion = numbers("started", "completed", "dropped_out", "in_progress")
    response = numbers("assessed", "response", "partial", "remission", "worsened", "mcid")
    response_rows = [(n.label, n.percent or 0.0) for n in response[1:]]
    trajectory = numbers(*(f"trajectory_{t.value}" for t in labels.TRAJECTORY))
    curve = outcomes.survival.curve
    survival_rows = [
        {
            "day": int(t),
            "at_risk": int(r),
            "events": int(e),
            "censored": int(c),
            "percent": round(100 * float(s), 1),
            "lower": None if np.isnan(lo) else round(100 * float(lo), 1),
            "upper": None if np.isnan(hi) else round(100 * float(hi), 1),
        }
        for t, r, e, c, s, lo, hi in zip(
            curve.times,
            curve.at_risk,
            curve.events,
            curve.censored,
            curve.survival,
            curve.lower,
            curve.upper,
            strict=True,
        )
    ]
    events = sum(outcomes.survival.events)
    intervals = outcomes.intervals
    context = {
        "form": form,
        "patients": outcomes.patients,
        "definitions": definitions,
        "completion": completion,
        "response": response,
        "response_svg": charts.svg(
            charts.bar_chart(
                response_rows,
                axis_title=_("% of assessed"),
                description=_("Response, partial response, remission, worsening and MCID rates."),
            ),
            title=_("Outcomes after the induction series"),
            element_id="response-chart",
        )
        if response[0].n
        else "",
        "survival": {
            "n": curve.n,
            "events": events,
            "censored": curve.n - events,
            "median": curve.median,
            "rows": survival_rows,
            "milestones": [
                (_percent(curve.known_at(28)), _("still responding at 4 weeks")),
                (_percent(curve.known_at(56)), _("still responding at 8 weeks")),
            ],
            "followed_to": int(curve.times[-1]) if curve.n else 0,
            "has_band": curve.has_band,
            "url": _group_link("survival", form),
            "events_url": _group_link("survival_events", form),
            "censored_url": _group_link("survival_censored", form),
            "svg": charts.svg(
                charts.survival_chart(curve),
                title=_("Time until loss of response"),
                element_id="survival-chart",
            )
            if curve.n
            else "",
        },
        "intervals": {
            "n": len(intervals.days),
            "patients": len(set(intervals.ids)),
            "median": intervals.median,
            "quartiles": intervals.quartiles,
            "bins": charts.histogram(intervals.days),
            "url": _group_link("intervals", form),
            "svg": charts.svg(
                charts.histogram_chart(intervals.days),
                title=_("Booster intervals"),
                element_id="intervals-chart",
            )
            if intervals.days
            else "",
        },
        "suicidal": numbers("si_baseline", "si_assessed", "si_resolved"),
        "trajectory": trajectory,
        "trajectory_svg": charts.svg(
            charts.bar_chart(
                [(n.label, float(n.n)) for n in trajectory],
                axis_title=_("Patients"),
                description=_("How many patients follow each trajectory."),
            ),
            title=_("Trajectories"),
            element_id="trajectory-chart",
        )
        if trajectory and outcomes.counts["treated"].n
        else "",
        "flags": numbers("non_response_flag", "booster_proposed", "booster_review_pending"),
    }
    return render(request, "outcomes/dashboard.html", context, status=status)


@staff_required
def patient_list(request: HttpRequest) -> HttpResponse:
    """The patients behind one dashboard number (same filters), with what put them there."""
    user: User = request.user  # type: ignore[assignment]
    form = PatientListForm(request.GET, clinic=user.clinic, patients=patients_visible_to(user))
    if not form.is_valid() and ("metric" in form.errors or "part" in form.errors):
        return render(request, "outcomes/patient_list.html", {"form": form}, status=400)
    status = 400 if form.errors else 200
    key = form.cleaned_data["metric"]
    part = form.cleaned_data.get("part") or "numerator"
    insights, definitions = _load(request, form)
    outcomes = clinic_outcomes(insights)
    by_id = {p.patient_id: p for p in insights}
    detail: dict[str, str] = {}
    if key in METRICS:
        count = outcomes.counts[key]
        ids = count.denominator if part == "denominator" else count.numerator
    elif key == "intervals":
        ids = tuple(dict.fromkeys(outcomes.intervals.ids))
        for pid, days in zip(outcomes.intervals.ids, outcomes.intervals.days, strict=True):
            detail[pid] = (detail[pid] + ", " if pid in detail else "") + str(days)
    else:
        surv = outcomes.survival
        wanted = {
            "survival": (True, False),
            "survival_events": (True,),
            "survival_censored": (False,),
        }
        ids = tuple(
            pid for pid, event in zip(surv.ids, surv.events, strict=True) if event in wanted[key]
        )
        for pid, span, event in zip(surv.ids, surv.days, surv.events, strict=True):
            detail[pid] = (
                _("lost after %(days)s days") if event else _("responding after %(days)s days")
            ) % {"days": int(span)}
    patients = {str(p.pk): p for p in patients_visible_to(user).filter(pk__in=list(ids))}
    rows = []
    for pid in ids:
        patient, insight = patients[pid], by_id[pid]
        record(request, action="view", what="outcomes list", patient=patient, object_id=key)
        outcome = insight.induction_outcome
        change = outcome.change if outcome is not None else None
        rows.append(
            {
                "patient": patient,
                "trajectory": labels.TRAJECTORY[insight.trajectory.trajectory],
                "course": labels.COURSE_STATUS[insight.induction.status]
                if insight.induction
                else "",
                "scores": f"{change.baseline} → {change.score}" if change else "",
                "detail": detail.get(pid, ""),
            }
        )
    label, anchor = labels.METRIC[key]
    denominator = METRICS.get(key)
    if part == "denominator" and denominator is not None:
        label = labels.METRIC[denominator][0]
    context = {
        "form": form,
        "label": label,
        "anchor": anchor,
        "rows": rows,
        "has_detail": bool(detail),  # only the survival and interval lists have one
        "back": f"{reverse('outcomes_dashboard')}?{form.query()}",
        "instrument": definitions.instrument,
    }
    return render(request, "outcomes/patient_list.html", context, status=status)


@staff_required
def definitions(request: HttpRequest) -> HttpResponse:
    """Every definition with its source; a clinic admin may change the clinic's own."""
    user: User = request.user  # type: ignore[assignment]
    row = ClinicDefinitions.objects.filter(clinic=user.clinic).first()
    is_admin = user.role == Role.ADMIN
    form = None
    status = 200
    if request.method == "POST":
        if not is_admin:
            raise Http404
        if request.POST.get("reset"):
            actions.reset_definitions(clinic=user.clinic)
            messages.success(request, _("The published definitions apply again."))
            return redirect("outcomes_definitions")
        form = DefinitionsForm(request.POST, instance=row or ClinicDefinitions(clinic=user.clinic))
        if form.is_valid():
            actions.save_definitions(clinic=user.clinic, by=user, values=form.cleaned_data)
            messages.success(request, _("The clinic's definitions are saved."))
            return redirect("outcomes_definitions")
        status = 400
    elif is_admin:
        form = DefinitionsForm(instance=row or ClinicDefinitions(clinic=user.clinic))
    current = row.to_definitions() if row else DEFAULT_DEFINITIONS
    context = {
        "current": current,
        "defaults": DEFAULT_DEFINITIONS,
        "overridden": row is not None,
        "settings": DEFAULT_TRAJECTORY,
        "priors": DEFAULT_PRIORS,
        "form": form,
        "instrument": INSTRUMENT_NAMES[current.instrument],
        "default_instrument": INSTRUMENT_NAMES[DEFAULT_DEFINITIONS.instrument],
        "default_response_percent": round(100 * DEFAULT_DEFINITIONS.response_reduction),
        "default_partial_percent": round(100 * DEFAULT_DEFINITIONS.partial_reduction),
        "response_percent": round(100 * current.response_reduction),
        "partial_percent": round(100 * current.partial_reduction),
    }
    return render(request, "outcomes/definitions.html", context, status=status)


def patient_context(
    patient: Any, insight: PatientInsights, definitions: OutcomeDefinitions, data: PatientData
) -> dict[str, Any]:
    """What the patient's response section and page show (shared with the template tag)."""
    traj = insight.trajectory
    return {
        "patient": patient,
        "insight": insight,
        "trajectory_label": labels.TRAJECTORY[traj.trajectory],
        "trajectory_key": traj.trajectory.value,
        "definitions": definitions,
        "instrument": INSTRUMENT_NAMES[definitions.instrument],
        "course_status": {c.course.id: labels.COURSE_STATUS[c.status] for c in insight.courses},
        **explanation(insight, definitions, [i.day for i in data.infusions]),
    }


@staff_required
def patient_outcomes(request: HttpRequest, patient_id: str) -> HttpResponse:
    """One patient's response: trajectory, per infusion, per course, booster window."""
    from aftercare.outcomes import charts  # altair loads slowly: only when drawing

    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    record(request, action="view", what="response insights", patient=patient, object_id=patient.pk)
    definitions = definitions_for(patient.clinic)
    data = load_patient(patient, now=timezone.now(), definitions=definitions)
    insight = analyse_patient(data, definitions=definitions)
    context = patient_context(patient, insight, definitions, data)
    # The chart and its table: the last 120 days of daily mood with the 7-day mean.
    start = data.today - timedelta(days=119)
    if data.infusions:
        start = max(
            min(start, data.infusions[0].day - timedelta(days=14)), data.today - timedelta(days=179)
        )
    values = data.mood.window(start, data.today + timedelta(days=1))
    mean = smoothed(values)
    days = [start + timedelta(days=i) for i in range(values.size)]
    moods = [None if np.isnan(v) else round(float(v), 1) for v in values]
    means = [None if np.isnan(v) else round(float(v), 1) for v in mean]
    infusion_days = [i.day for i in data.infusions if i.day >= start]
    context["chart_rows"] = [
        {"day": d, "mood": m, "mean": s}
        for d, m, s in zip(days, moods, means, strict=True)
        if m is not None
    ][::-1]
    context["mood_svg"] = (
        charts.svg(
            charts.mood_chart(
                days, moods, means, baseline=insight.trajectory.baseline, infusions=infusion_days
            ),
            title=_("Daily mood of %(name)s") % {"name": patient.display_name},
            element_id="mood-chart",
        )
        if any(m is not None for m in moods)
        else ""
    )
    return render(request, "outcomes/patient.html", context)
