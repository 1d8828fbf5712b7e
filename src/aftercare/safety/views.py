from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext

from aftercare.accounts.models import Patient, Role, User
from aftercare.accounts.scoping import (
    get_patient,
    patient_required,
    patients_visible_to,
    staff_required,
)
from aftercare.audit.actions import record, record_many
from aftercare.safety import actions, wording
from aftercare.safety.forms import (
    ALERT_ACTION_FORMS,
    ConcernForm,
    ResolveForm,
    SafetyPlanForm,
    SafetySettingsForm,
)
from aftercare.safety.models import Alert, SafetyPlan, SafetySettingChange, SafetySettings
from aftercare.safety.next_steps import NextSteps, next_steps
from aftercare.safety.rules import RULES
from aftercare.safety.screening import written_words

SEVERITY_RANK = Case(
    When(severity=Alert.Severity.URGENT, then=Value(0)),
    When(severity=Alert.Severity.HIGH, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


# Staff-facing names for the keys of Alert.triggering_answers.
ANSWER_LABELS = {
    "suicidal_thoughts": _l("Thoughts of suicide or self-harm"),
    "unusual_perceptions": _l("Hallucinations or paranoia"),
    "panic": _l("Severe anxiety or panic"),
    "anxiety": _l("Anxiety (1–10)"),
    "lingering_dissociation": _l("Still feeling detached or unreal"),
    "latest_infusion_date": _l("Latest infusion ended on"),
    "ketamine_cravings": _l("Urges to use ketamine outside the clinic"),
    "urinary_symptoms": _l("Urinary or bladder symptoms"),
    "recent_mean_mood": _l("Mean mood, recent days (1–10)"),
    "baseline_mean_mood": _l("Mean mood before treatment (1–10)"),
    "days": _l("Days averaged"),
    "item_9": _l("PHQ-9 item 9 (0–3)"),
    "total": _l("PHQ-9 total (0–27)"),
    "baseline_total": _l("PHQ-9 baseline total"),
    "best_total": _l("Lowest PHQ-9 total since baseline"),
    "gad7_total": _l("GAD-7 total (0–21)"),
    "last_check_in": _l("Last check-in"),
    "days_without": _l("Days without a check-in"),
    "text": _l("What the patient wrote"),
    "phrases": _l("Phrases found"),
}


def _answer_rows(answers: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, value in answers.items():
        if isinstance(value, bool):
            shown = _("yes") if value else _("no")
        elif value is None:
            shown = "—"
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = str(value)
        rows.append((str(ANSWER_LABELS.get(key, key)), shown))
    return rows


def crisis_response(
    request: HttpRequest,
    *,
    alerts: Sequence[Alert],
    concern: bool = False,
    status: int = 200,
    private_entry: Any = None,
) -> HttpResponse:
    """The crisis/contact screen, rendered in the response to the submission itself.

    For other apps' submissions (scales, journal): `if shows_crisis_screen(alerts): return
    crisis_response(request, alerts=alerts)` (safety.crisis). ``private_entry``: a private
    journal entry with crisis words, which raised no alert; the screen says so and offers to
    share it.
    """
    context = {
        "alerts": alerts,
        "concern": concern,
        "private_entry": private_entry,
        "private_words": private_entry is not None,
    }
    return render(request, "safety/crisis.html", context, status=status)


def next_steps_for(patient: Patient, alerts: Sequence[Alert]) -> NextSteps | None:
    """The next-steps screen for a submission's ``alerts`` (safety.next_steps), timed by the
    clinic's acknowledgement window for high alerts."""
    if not any(alert.severity == Alert.Severity.HIGH for alert in alerts):
        return None  # no query for the clinic's settings on an ordinary check-in
    minutes = SafetySettings.for_clinic(patient.clinic_id).high_ack_minutes
    return next_steps(alerts, ack_minutes=minutes)


def next_steps_response(
    request: HttpRequest, steps: NextSteps, *, result_url: str = ""
) -> HttpResponse:
    """Rendered in the response to the submission itself, like the crisis screen.
    ``result_url``: where the saved answers are shown (a questionnaire's score)."""
    clinic = request.user.clinic  # type: ignore[union-attr]
    context = {
        "steps": steps,
        "contacts": wording.crisis_contacts(clinic, clinic_first=True),
        "emergency": wording.emergency_sentence(clinic),
        "result_url": result_url,
    }
    return render(request, "safety/next_steps.html", context)


# ------------------------------------------------------------------------------ staff: alerts


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    return Alert.objects.filter(patient__in=patients_visible_to(user).values("pk"))


@staff_required
def alert_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    alerts = list(
        alerts_visible_to(user)
        .exclude(status=Alert.Status.RESOLVED)
        .select_related("patient__user", "owner")
        .annotate(rank=SEVERITY_RANK)
        .order_by("rank", "created_at", "pk")
    )
    # One audit row per patient shown, written in one query.
    record_many(
        request,
        action="view",
        what="safety alert list",
        clinic_id=user.clinic_id,
        patient_ids=(a.patient_id for a in alerts),
    )
    return render(
        request,
        "safety/alert_list.html",
        {
            "waiting": [a for a in alerts if a.status == Alert.Status.OPEN],
            "acknowledged": [a for a in alerts if a.status == Alert.Status.ACKNOWLEDGED],
            "now": timezone.now(),
        },
    )


@staff_required
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    alert = get_object_or_404(
        alerts_visible_to(user).select_related(
            "patient__user", "owner", "acknowledged_by", "clinic"
        ),
        pk=alert_id,
    )
    bound: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        form_class = ALERT_ACTION_FORMS.get(action)
        if form_class is None:
            messages.error(request, _("Choose what to do with the alert."))
            return _alert_page(request, alert, {}, status=400)
        form = _action_form(form_class, alert, request.POST, prefix=action)
        if form.is_valid():
            text = form.cleaned_data["text"]
            if action == "acknowledge":
                _acknowledge(request, alert, user, text)
            elif action == "note":
                actions.add_note(alert=alert, by=user, text=text)
                messages.success(request, _("Note added."))
            elif action == "contact":
                actions.record_contact_attempt(alert=alert, by=user, text=text)
                messages.success(request, _("Contact attempt recorded."))
            else:
                actions.resolve_alert(alert=alert, by=user, text=text)
                messages.success(request, _("Alert resolved."))
            return redirect("alert_detail", alert_id=alert.pk)
        bound[action] = form
    record(request, action="view", what="safety alert", patient=alert.patient, object_id=alert.pk)
    return _alert_page(request, alert, bound, status=400 if bound else 200)


def _acknowledge(request: HttpRequest, alert: Alert, user: User, text: str) -> None:
    """Acknowledge, or say who already did (two people on one alert from pages opened before
    either acknowledged); words typed with a late acknowledgement are kept as a note."""
    was_open = alert.status == Alert.Status.OPEN
    alert = actions.acknowledge_alert(alert=alert, by=user, text=text)
    if was_open and alert.acknowledged_by_id == user.pk:
        messages.success(request, _("Acknowledged. Escalation has stopped."))
        return
    by = alert.acknowledged_by
    when = timezone.localtime(alert.acknowledged_at, alert.clinic.tz)
    said = _("Already acknowledged by %(name)s at %(time)s.") % {
        "name": by.get_full_name() if by else _("someone"),
        "time": date_format(when, "j M, H:i"),
    }
    if text.strip():
        actions.add_note(alert=alert, by=user, text=text)
        said += " " + _("What you wrote was added as a note.")
    messages.info(request, said)


def _action_form(cls: type[Any], alert: Alert, data: Any, *, prefix: str) -> Any:
    if cls is ResolveForm:
        return cls(data, prefix=prefix, alert=alert)
    return cls(data, prefix=prefix)


def _alert_page(
    request: HttpRequest, alert: Alert, bound: dict[str, Any], *, status: int
) -> HttpResponse:
    forms = {
        name: bound.get(name) or _action_form(cls, alert, None, prefix=name)
        for name, cls in ALERT_ACTION_FORMS.items()
    }
    return render(
        request,
        "safety/alert_detail.html",
        {
            "alert": alert,
            "patient": alert.patient,
            "events": alert.events.select_related("author"),
            "answers": _answer_rows(alert.triggering_answers),
            "written": written_words(alert),
            "forms": forms,
            "now": timezone.now(),
        },
        status=status,
    )


# ------------------------------------------------------------------------- staff: settings


@staff_required
def safety_settings(request: HttpRequest) -> HttpResponse:
    """Everyone on the staff can read the clinic's safety numbers; only admins change them."""
    user: User = request.user  # type: ignore[assignment]
    safety = SafetySettings.for_clinic(user.clinic)
    can_edit = user.role == Role.ADMIN
    if request.method == "POST" and not can_edit:
        raise Http404
    form = SafetySettingsForm(request.POST if request.method == "POST" else None, instance=safety)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in SafetySettings.FIELDS}
        # The form already wrote the new values onto `safety`; compare with the stored row.
        stored = SafetySettings.objects.get(pk=safety.pk)
        changes = actions.update_safety_settings(safety=stored, by=user, values=values)
        messages.success(
            request,
            ngettext(
                "Saved. %(count)s setting changed.",
                "Saved. %(count)s settings changed.",
                len(changes),
            )
            % {"count": len(changes)},
        )
        return redirect("safety_settings")
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    changes = list(
        SafetySettingChange.objects.filter(clinic=user.clinic).select_related("actor")[:50]
    )
    for change in changes:
        # Named as on the form above, not by the database column; a field no longer on the
        # form keeps its stored name.
        found = form.fields.get(change.field)
        change.label = found.label if found is not None else change.field  # type: ignore[attr-defined]
    return render(
        request,
        "safety/settings.html",
        {"form": form, "can_edit": can_edit, "rules": RULES.values(), "changes": changes},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------- patient: concern


@patient_required
def concern(request: HttpRequest) -> HttpResponse:
    """“Something concerns me”: the care team is told; the patient gets the contact screen."""
    patient: Patient = request.user.patient  # type: ignore[union-attr]
    form = ConcernForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            alert = actions.report_concern(patient=patient, text=form.cleaned_data["text"])
            return crisis_response(request, alerts=[alert], concern=True)
        return render(request, "safety/concern.html", {"form": form}, status=400)
    return render(request, "safety/concern.html", {"form": form})


# ---------------------------------------------------------------------------- safety plan


def _plan_form(
    request: HttpRequest, patient: Patient, plan: SafetyPlan
) -> tuple[SafetyPlanForm, HttpResponse | None, bool]:
    """Bind, validate and save the plan form; on success return a redirect response."""
    user: User = request.user  # type: ignore[assignment]
    if request.method != "POST":
        return SafetyPlanForm(instance=plan, initial={"version": plan.version}), None, False
    form = SafetyPlanForm(request.POST, instance=SafetyPlan(patient=patient))
    if not form.is_valid():
        return form, None, False
    try:
        actions.save_safety_plan(
            patient=patient,
            by=user,
            texts={name: form.cleaned_data[name] for name in SafetyPlan.TEXT_FIELDS},
            expected_version=form.cleaned_data["version"],
        )
    except actions.StalePlan:
        form.add_error(
            None,
            _(
                "Someone else saved this plan after you opened it. Your text is still here; "
                "compare it with the saved plan below, then save again."
            ),
        )
        data = request.POST.copy()
        data["version"] = str(SafetyPlan.objects.get(patient=patient).version)
        form.data = data
        return form, None, True
    messages.success(request, _("Safety plan saved."))
    return form, redirect(request.path), False


@patient_required
def safety_plan(request: HttpRequest) -> HttpResponse:
    patient: Patient = request.user.patient  # type: ignore[union-attr]
    plan = actions.safety_plan_for(patient)
    record(request, action="view", what="safety plan", patient=patient, object_id=plan.pk)
    return render(
        request,
        "safety/plan.html",
        {
            "plan": plan,
            "patient": patient,
            "intro": wording.PLAN_INTRO,
            "empty": wording.PLAN_EMPTY,
        },
    )


@patient_required
def safety_plan_edit(request: HttpRequest) -> HttpResponse:
    patient: Patient = request.user.patient  # type: ignore[union-attr]
    plan = actions.safety_plan_for(patient)
    form, done, stale = _plan_form(request, patient, plan)
    if done is not None:
        return redirect("safety_plan")
    record(request, action="view", what="safety plan", patient=patient, object_id=plan.pk)
    return render(
        request,
        "safety/plan_edit.html",
        {
            "form": form,
            "plan": SafetyPlan.objects.get(pk=plan.pk),
            "stale": stale,
            "patient": patient,
            "cancel_url": reverse("safety_plan"),
        },
        status=400 if form.errors else 200,
    )


@staff_required
def staff_safety_plan(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    plan = actions.safety_plan_for(patient)
    form, done, stale = _plan_form(request, patient, plan)
    if done is not None:
        return done
    record(request, action="view", what="safety plan", patient=patient, object_id=plan.pk)
    return render(
        request,
        "safety/plan_edit.html",
        {
            "form": form,
            "plan": SafetyPlan.objects.select_related("updated_by").get(pk=plan.pk),
            "stale": stale,
            "patient": patient,
            "staff": True,
            "cancel_url": reverse("patient_detail", args=[patient.pk]),
        },
        status=400 if form.errors else 200,
    )
