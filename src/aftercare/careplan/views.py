from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Patient, User
from aftercare.accounts.scoping import get_patient, patient_required, staff_required
from aftercare.audit.actions import record
from aftercare.careplan import actions
from aftercare.careplan.forms import FORMS
from aftercare.careplan.models import HabitGoal, PlanGoal


@patient_required
def patient_care_plan(request: HttpRequest) -> HttpResponse:
    patient: Patient = request.user.patient  # type: ignore[union-attr]
    return _care_plan(request, patient, staff=False)


@staff_required
def staff_care_plan(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    return _care_plan(request, patient, staff=True)


def _care_plan(request: HttpRequest, patient: Patient, *, staff: bool) -> HttpResponse:
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        kind = request.POST.get("action", "")
        if kind == "tick":
            return _tick(request, patient, staff=staff)
        if kind == "remove":
            return _remove(request, patient, staff=staff)
        form_class = FORMS.get(kind)
        if form_class is None:
            messages.error(request, _("Choose which part of the plan to add to."))
            return _page(request, patient, {}, staff=staff, status=400)
        form = form_class(request.POST, prefix=kind)
        if form.is_valid():
            _save(request, patient, kind, form.cleaned_data)
            return redirect(request.path)
        bound[kind] = form
    return _page(request, patient, bound, staff=staff, status=400 if bound else 200)


def _save(request: HttpRequest, patient: Patient, kind: str, data: dict[str, Any]) -> None:
    user: User = request.user  # type: ignore[assignment]
    now = timezone.now()
    if kind == "session":
        scheduled_at = timezone.make_aware(datetime.combine(data["day"], data["time"]), patient.tz)
        actions.add_integration_session(
            patient=patient,
            by=user,
            scheduled_at=scheduled_at,
            with_whom=data["with_whom"],
            note=data["note"],
        )
        messages.success(request, _("Integration session added."))
        if not actions.in_window(patient, scheduled_at, now) and scheduled_at > now:
            # Only a session still to come can be moved; a past one is simply recorded.
            messages.warning(
                request,
                _(
                    "This session is outside the days 1–14 after the latest infusion, when the "
                    "brain may be most open to change. It is saved; you may want a date "
                    "inside that window."
                ),
            )
    elif kind == "habit":
        actions.add_habit(
            patient=patient, by=user, kind=data["kind"], description=data["description"]
        )
        messages.success(request, _("Habit added."))
    elif kind == "medication":
        actions.add_medication(patient=patient, by=user, **data)
        messages.success(request, _("Medication or treatment added."))
    else:
        actions.add_goal(patient=patient, by=user, horizon=data["horizon"], text=data["text"])
        messages.success(request, _("Goal added."))


def _row_id(text: str) -> int:
    """A database id from a form; anything else (or out of range for the column) is invalid."""
    value = int(text)
    if not 0 < value < 2**31:
        raise ValueError(text)
    return value


def _tick(request: HttpRequest, patient: Patient, *, staff: bool) -> HttpResponse:
    if staff:
        # A habit is done when the patient says so; staff see the count.
        messages.error(request, _("Only the patient marks a habit as done."))
        return _page(request, patient, {}, staff=staff, status=400)
    try:
        habit_id = _row_id(request.POST.get("habit", ""))
    except ValueError:
        messages.error(request, _("Choose a habit to mark as done."))
        return _page(request, patient, {}, staff=staff, status=400)
    habit = patient.habit_goals.filter(pk=habit_id).select_related("patient").first()
    if habit is None:
        raise Http404
    if actions.tick_habit(habit=habit, by=request.user, now=timezone.now()):  # type: ignore[arg-type]
        messages.success(request, _("Marked as done today. Well done."))
    else:
        messages.info(request, _("Already marked as done today."))
    return redirect(request.path)


REMOVABLE = {
    "session": ("integration_sessions", "integration session"),
    "habit": ("habit_goals", "habit goal"),
    "medication": ("care_medications", "medication"),
    "goal": ("plan_goals", "care plan goal"),
}


def _remove(request: HttpRequest, patient: Patient, *, staff: bool) -> HttpResponse:
    """Take one item off the plan; either the patient or their clinic's staff may."""
    target = REMOVABLE.get(request.POST.get("item", ""))
    try:
        item_id = _row_id(request.POST.get("id", ""))
    except ValueError:
        target = None
    if target is None:
        messages.error(request, _("Choose an item to remove."))
        return _page(request, patient, {}, staff=staff, status=400)
    related, what = target
    item = getattr(patient, related).filter(pk=item_id).first()
    if item is None:
        raise Http404
    actions.remove_item(patient=patient, by=request.user, item=item, what=what)  # type: ignore[arg-type]
    messages.success(request, _("Removed from the plan."))
    return redirect(request.path)


def _page(
    request: HttpRequest,
    patient: Patient,
    bound: dict[str, forms.Form],
    *,
    staff: bool,
    status: int,
) -> HttpResponse:
    now = timezone.now()
    today = now.astimezone(patient.tz).date()
    week_ago = today - timedelta(days=6)
    window = actions.neuroplasticity_window(patient, now)
    sessions = list(patient.integration_sessions.all())
    for session in sessions:
        # Naive local time, so the template shows the patient's clock to staff too.
        session.local = session.scheduled_at.astimezone(patient.tz).replace(  # type: ignore[attr-defined]
            tzinfo=None
        )
        session.in_window = window is not None and window.contains(  # type: ignore[attr-defined]
            session.local.date()  # type: ignore[attr-defined]
        )
    habits = list(HabitGoal.objects.filter(patient=patient).prefetch_related("ticks"))
    for habit in habits:
        days = {t.day for t in habit.ticks.all()}
        habit.done_today = today in days  # type: ignore[attr-defined]
        habit.this_week = sum(1 for d in days if week_ago <= d <= today)  # type: ignore[attr-defined]
    goals = list(patient.plan_goals.all())
    horizons = [
        (value, label, [g for g in goals if g.horizon == value])
        for value, label in PlanGoal.Horizon.choices
    ]
    record(request, action="view", what="care plan", patient=patient)
    return render(
        request,
        "careplan/plan.html",
        {
            "patient": patient,
            "staff": staff,
            "window": window,
            "window_over": window is not None and window.last_day < today,
            "sessions": sessions,
            "habits": habits,
            "medications": patient.care_medications.all(),
            "horizons": horizons,
            "forms": {name: bound.get(name) or cls(prefix=name) for name, cls in FORMS.items()},
            "bound": next(iter(bound), ""),
        },
        status=status,
    )
