from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.messages.storage.base import Message
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


# The page's parts, each with its own form: the id of its <section>, and its form's name.
SECTIONS = {"sessions": "session", "habits": "habit", "medications": "medication", "goals": "goal"}
SECTION_OF = {kind: section for section, kind in SECTIONS.items()}


@dataclass
class Outcome:
    """What a POST did, for either answer: the whole page, or (htmx) only the part it was in."""

    section: str | None  # the part of the page it changed or was refused in
    status: int = 200
    notices: list[Message] = field(default_factory=list)
    bound: dict[str, forms.Form] = field(default_factory=dict)  # forms with errors

    def say(self, level: int, text: str) -> None:
        self.notices.append(Message(level, text))


def _care_plan(request: HttpRequest, patient: Patient, *, staff: bool) -> HttpResponse:
    """Each part of the page has its own form. Sent by htmx, a form gets back only its own part,
    so what is typed in the other parts stays on the screen; sent without JavaScript, the whole
    page comes back (after a redirect when it was saved)."""
    if request.method != "POST":
        return _page(request, patient, {}, staff=staff, status=200)
    kind = request.POST.get("action", "")
    if kind == "tick":
        outcome = _tick(request, patient, staff=staff)
    elif kind == "remove":
        outcome = _remove(request, patient)
    elif kind in FORMS:
        outcome = _add(request, patient, kind, staff=staff)
    else:
        outcome = Outcome(section=None, status=400)
        outcome.say(messages.ERROR, _("Choose which part of the plan to add to."))
    target = _htmx_target(request)
    if target in SECTIONS:
        # A refusal that belongs to no part is said in the part the form was sent from.
        outcome.section = outcome.section or target
        response = _section(request, patient, outcome, staff=staff)
        if outcome.section != target:
            response["HX-Retarget"] = f"#{outcome.section}"
        return response
    if outcome.status == 404:
        raise Http404
    for notice in outcome.notices:
        messages.add_message(request, notice.level, notice.message)
    if outcome.status < 400:
        return redirect(request.path)
    return _page(request, patient, outcome.bound, staff=staff, status=outcome.status)


def _htmx_target(request: HttpRequest) -> str | None:
    if request.headers.get("HX-Request") != "true":
        return None
    return request.headers.get("HX-Target")


def _add(request: HttpRequest, patient: Patient, kind: str, *, staff: bool) -> Outcome:
    outcome = Outcome(section=SECTION_OF[kind])
    form = FORMS[kind](request.POST, prefix=kind, staff=staff)
    if form.is_valid():
        _save(request, patient, kind, form.cleaned_data, outcome)
    else:
        outcome.status = 400
        outcome.bound[kind] = form
    return outcome


def _save(
    request: HttpRequest, patient: Patient, kind: str, data: dict[str, Any], outcome: Outcome
) -> None:
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
        outcome.say(messages.SUCCESS, _("Integration session added."))
        if not actions.in_window(patient, scheduled_at, now) and scheduled_at > now:
            # Only a session still to come can be moved; a past one is simply recorded.
            outcome.say(
                messages.WARNING,
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
        outcome.say(messages.SUCCESS, _("Habit added."))
    elif kind == "medication":
        actions.add_medication(patient=patient, by=user, **data)
        outcome.say(messages.SUCCESS, _("Medication or treatment added."))
    else:
        actions.add_goal(patient=patient, by=user, horizon=data["horizon"], text=data["text"])
        outcome.say(messages.SUCCESS, _("Goal added."))


def _row_id(text: str) -> int:
    """A database id from a form; anything else (or out of range for the column) is invalid."""
    value = int(text)
    if not 0 < value < 2**31:
        raise ValueError(text)
    return value


def _tick(request: HttpRequest, patient: Patient, *, staff: bool) -> Outcome:
    outcome = Outcome(section="habits")
    if staff:
        # A habit is done when the patient says so; staff see the count.
        outcome.status = 400
        outcome.say(messages.ERROR, _("Only the patient marks a habit as done."))
        return outcome
    try:
        habit_id = _row_id(request.POST.get("habit", ""))
    except ValueError:
        outcome.status = 400
        outcome.say(messages.ERROR, _("Choose a habit to mark as done."))
        return outcome
    habit = patient.habit_goals.filter(pk=habit_id).select_related("patient").first()
    if habit is None:
        # Removed meanwhile (in another window, or by the care team).
        outcome.status = 404
        outcome.say(messages.INFO, _("This habit is no longer on the plan."))
    elif actions.tick_habit(habit=habit, by=request.user, now=timezone.now()):  # type: ignore[arg-type]
        outcome.say(messages.SUCCESS, _("Marked as done today. Well done."))
    else:
        outcome.say(messages.INFO, _("Already marked as done today."))
    return outcome


REMOVABLE = {
    "session": ("integration_sessions", "integration session"),
    "habit": ("habit_goals", "habit goal"),
    "medication": ("care_medications", "medication"),
    "goal": ("plan_goals", "care plan goal"),
}


def _remove(request: HttpRequest, patient: Patient) -> Outcome:
    """Take one item off the plan; either the patient or their clinic's staff may."""
    kind = request.POST.get("item", "")
    target = REMOVABLE.get(kind)
    try:
        item_id = _row_id(request.POST.get("id", ""))
    except ValueError:
        target = None
    if target is None:
        outcome = Outcome(section=None, status=400)
        outcome.say(messages.ERROR, _("Choose an item to remove."))
        return outcome
    outcome = Outcome(section=SECTION_OF[kind])
    related, what = target
    item = getattr(patient, related).filter(pk=item_id).first()
    if item is None:
        # Removed meanwhile (in another window, or by the other side).
        outcome.status = 404
        outcome.say(messages.INFO, _("This is no longer on the plan."))
        return outcome
    actions.remove_item(patient=patient, by=request.user, item=item, what=what)  # type: ignore[arg-type]
    outcome.say(messages.SUCCESS, _("Removed from the plan."))
    return outcome


def _sessions(patient: Patient, now: datetime) -> dict[str, Any]:
    today = now.astimezone(patient.tz).date()
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
    return {
        "window": window,
        "window_over": window is not None and window.last_day < today,
        "sessions": sessions,
    }


def _habits(patient: Patient, now: datetime) -> dict[str, Any]:
    today = now.astimezone(patient.tz).date()
    week_ago = today - timedelta(days=6)
    habits = list(HabitGoal.objects.filter(patient=patient).prefetch_related("ticks"))
    for habit in habits:
        days = {t.day for t in habit.ticks.all()}
        habit.done_today = today in days  # type: ignore[attr-defined]
        habit.this_week = sum(1 for d in days if week_ago <= d <= today)  # type: ignore[attr-defined]
    return {"habits": habits}


def _medications(patient: Patient, now: datetime) -> dict[str, Any]:
    return {"medications": patient.care_medications.all()}


def _goals(patient: Patient, now: datetime) -> dict[str, Any]:
    goals = list(patient.plan_goals.all())
    horizons = [
        (value, label, [g for g in goals if g.horizon == value])
        for value, label in PlanGoal.Horizon.choices
    ]
    return {"horizons": horizons}


SECTION_DATA = {
    "sessions": _sessions,
    "habits": _habits,
    "medications": _medications,
    "goals": _goals,
}


def _forms(bound: dict[str, forms.Form], *, staff: bool) -> dict[str, forms.Form]:
    return {name: bound.get(name) or cls(prefix=name, staff=staff) for name, cls in FORMS.items()}


def _section(
    request: HttpRequest, patient: Patient, outcome: Outcome, *, staff: bool
) -> HttpResponse:
    """One part of the page, as it is now, with what the POST did said at its top."""
    section = outcome.section
    assert section is not None
    record(request, action="view", what="care plan", patient=patient)
    response = render(
        request,
        f"careplan/includes/{section}.html",
        {
            "patient": patient,
            "staff": staff,
            **SECTION_DATA[section](patient, timezone.now()),
            "forms": _forms(outcome.bound, staff=staff),
            "bound": next(iter(outcome.bound), ""),
            "notices": outcome.notices,
        },
        status=outcome.status,
    )
    # Tells the page's script that an error status still carries the part to show.
    response["X-Page-Part"] = section
    return response


def _page(
    request: HttpRequest,
    patient: Patient,
    bound: dict[str, forms.Form],
    *,
    staff: bool,
    status: int,
) -> HttpResponse:
    now = timezone.now()
    context: dict[str, Any] = {"patient": patient, "staff": staff}
    for data in SECTION_DATA.values():
        context |= data(patient, now)
    record(request, action="view", what="care plan", patient=patient)
    return render(
        request,
        "careplan/plan.html",
        {**context, "forms": _forms(bound, staff=staff), "bound": next(iter(bound), "")},
        status=status,
    )
