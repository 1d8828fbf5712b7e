"""Running a session: arrival → pre-dose observations → start → end → monitoring → discharge.

Every view asks treatment.selectors (and so accounts.scoping) for the session: another clinic's
session is a 404. Every read and write is audited. An invalid form re-renders the session page
with the errors beside the fields and everything typed kept (status 400).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import User
from aftercare.accounts.scoping import get_patient, staff_required
from aftercare.audit.actions import record
from aftercare.treatment import actions, driver, rems
from aftercare.treatment.actions import DischargeBlockedError, SessionStateError, protocol_for
from aftercare.treatment.discharge_rules import (
    latest_after_end,
    latest_pre_dose,
    latest_values,
    observed_minutes,
    session_criteria,
)
from aftercare.treatment.forms import (
    AddendumForm,
    DischargeForm,
    InfusionForm,
    ObservationsForm,
    PreDoseForm,
    RemsSubmittedForm,
    TimeForm,
)
from aftercare.treatment.models import Infusion, MonitoringRound
from aftercare.treatment.selectors import get_session, series_position, session_step
from aftercare.treatment.vitals import Flag, concerns, padss_vital_signs_item
from aftercare.treatment.weight_check import last_recorded_weight


@staff_required
def new_infusion(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    form = InfusionForm(
        request.POST or None,
        previous_weight=last_recorded_weight(patient),
        others=patient.infusions.exclude(status=Infusion.Status.CANCELLED),
    )
    if request.method == "POST" and form.is_valid():
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("weight_confirmed", "weight_questioned")
        }
        actions.record_infusion(patient=patient, recorded_by=request.user, **data)  # type: ignore[arg-type]
        messages.success(request, _("Infusion recorded."))
        return redirect("patient_detail", patient_id=patient.pk)
    return render(
        request,
        "treatment/infusion_form.html",
        {"patient": patient, "form": form},
        status=400 if form.errors else 200,
    )


@dataclass(frozen=True)
class RoundRow:
    round: MonitoringRound
    flags: list[Flag]

    @property
    def flagged(self) -> set[str]:
        return {f.field for f in self.flags}


def round_rows(infusion: Infusion, rounds: list[MonitoringRound]) -> list[RoundRow]:
    limits = protocol_for(infusion.patient.clinic).thresholds()
    rows = []
    baseline = None
    for r in rounds:
        if r.kind == MonitoringRound.Kind.PRE_DOSE:
            rows.append(RoundRow(r, concerns(r.vitals, limits, is_pre_dose=True)))
            baseline = r.vitals
        else:
            rows.append(RoundRow(r, concerns(r.vitals, limits, pre_dose=baseline)))
    return rows


STEPS = (
    ("arrival", gettext_lazy("Arrival")),
    ("pre_dose", gettext_lazy("Pre-dose checks")),
    ("start", gettext_lazy("Start")),
    ("infusing", gettext_lazy("End")),
    ("recovery", gettext_lazy("Monitoring")),
    ("discharged", gettext_lazy("Discharge")),
)


@dataclass(frozen=True)
class Step:
    key: str
    label: Any
    done: bool
    current: bool


def step_list(current: str) -> list[Step]:
    keys = [key for key, _label in STEPS]
    if current == "closed":
        return []
    index = len(keys) if current == "discharged" else keys.index(current)
    return [Step(key, label, n < index, n == index) for n, (key, label) in enumerate(STEPS)]


def _forms(infusion: Infusion, now: datetime) -> dict[str, forms.Form]:
    """Fresh forms for the steps, with times defaulting to now (clinic time)."""
    previous = (
        infusion.patient.infusions.filter(status=Infusion.Status.COMPLETED)
        .exclude(pk=infusion.pk)
        .order_by("-started_at")
        .first()
    )
    earliest = infusion.arrived_at or infusion.started_at
    return {
        "arrival_form": TimeForm(
            prefix="arrival", initial={"at": now, "shown_time": now}, label=_("Arrival time")
        ),
        "pre_dose_form": PreDoseForm(
            prefix="predose",
            earliest=earliest,
            initial={
                "taken_at": now,
                "shown_time": now,
                "route": infusion.route,
                "dose_mg_per_kg": infusion.dose_mg_per_kg
                or (previous.dose_mg_per_kg if previous else None),
                "dose_mg": infusion.dose_mg or (previous.dose_mg if previous else None),
            },
        ),
        "start_form": TimeForm(
            prefix="start", initial={"at": now, "shown_time": now}, label=_("Start time")
        ),
        "end_form": TimeForm(
            prefix="end", initial={"at": now, "shown_time": now}, label=_("End time")
        ),
        "round_form": ObservationsForm(
            prefix="round", earliest=earliest, initial={"taken_at": now, "shown_time": now}
        ),
        "addendum_form": AddendumForm(prefix="addendum"),
        "rems_form": RemsSubmittedForm(prefix="rems"),
    }


def _session_page(
    request: HttpRequest, infusion: Infusion, *, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    now = timezone.now()
    protocol = protocol_for(infusion.patient.clinic)
    rounds = list(infusion.rounds.select_related("recorded_by"))
    discharge = getattr(infusion, "discharge", None)
    context: dict[str, Any] = {
        "infusion": infusion,
        "patient": infusion.patient,
        "step": session_step(infusion),
        "steps": step_list(session_step(infusion)),
        "position": series_position(infusion),
        "rows": round_rows(infusion, rounds),
        "protocol": protocol,
        "min_observation": protocol.min_observation_for(infusion.route),
        "observed": observed_minutes(infusion, now),
        "criteria": session_criteria(infusion=infusion, rounds=rounds, protocol=protocol, now=now)
        if infusion.ended_at
        else [],
        "discharge": discharge,
        "changes": infusion.changes.select_related("by"),
        "bound": bound,
        **_forms(infusion, now),
        **bound,
    }
    if context["step"] == "arrival":
        clinic_tz = infusion.patient.clinic.tz
        booked_day = infusion.scheduled_at.astimezone(clinic_tz).date()
        if booked_day != now.astimezone(clinic_tz).date():
            context["booked_another_day"] = booked_day
    if discharge is not None:
        context["driver_link"] = request.build_absolute_uri(
            f"/driver/{driver.make_token(discharge)}/"
        )
        context["addenda"] = discharge.addenda.select_related("author")
        context["arrival"] = getattr(discharge, "arrival_confirmation", None)
    # Every rendering of the session page is a read, also when a step's form comes back.
    record(request, action="view", what="session", patient=infusion.patient, object_id=infusion.pk)
    if infusion.is_esketamine:
        context["rems_fields"] = rems.form_fields(infusion, rounds, protocol)
        context["rems_due"] = rems.due_on(infusion, infusion.patient.clinic.tz)
    return render(request, "treatment/session.html", context, status=status)


@staff_required
def session_detail(request: HttpRequest, infusion_id: int) -> HttpResponse:
    infusion = get_session(request.user, infusion_id)  # type: ignore[arg-type]
    return _session_page(request, infusion)


StepAction = Callable[[Infusion, User, Any, HttpRequest], object]


def _run_step(
    request: HttpRequest,
    infusion_id: int,
    make_form: Callable[[Infusion], forms.Form],
    form_name: str,
    do: StepAction,
    done: str | Callable[[HttpRequest, Infusion, Any], None],
) -> HttpResponse:
    """``done``: the message once the step is saved, or what says so given its result."""
    infusion = get_session(request.user, infusion_id)  # type: ignore[arg-type]
    form = make_form(infusion)
    if not form.is_valid():
        return _session_page(request, infusion, status=400, **{form_name: form})
    try:
        result = do(infusion, request.user, form, request)  # type: ignore[arg-type]
    except SessionStateError as error:
        messages.error(request, str(error))
    else:
        if callable(done):
            done(request, infusion, result)
        else:
            messages.success(request, done)
    return redirect("session_detail", infusion_id=infusion.pk)


def _say_round_saved(request: HttpRequest, infusion: Infusion, taken: Any, saved: str) -> None:
    """``saved``, or a warning naming each value outside the clinic's limits."""
    rounds = list(infusion.rounds.all())
    row = next(r for r in round_rows(infusion, rounds) if r.round.pk == taken.pk)
    if row.flags:
        messages.warning(
            request,
            _("%(saved)s Outside the clinic's limits: %(flags)s")
            % {"saved": saved, "flags": " ".join(f.message for f in row.flags)},
        )
    else:
        messages.success(request, saved)


@require_POST
@staff_required
def session_arrival(request: HttpRequest, infusion_id: int) -> HttpResponse:
    return _run_step(
        request,
        infusion_id,
        lambda i: TimeForm(request.POST, prefix="arrival", label=_("Arrival time")),
        "arrival_form",
        lambda i, by, f, r: actions.record_arrival(
            infusion=i, at=f.cleaned_data["at"], by=by, request=r
        ),
        _("Arrival recorded."),
    )


@require_POST
@staff_required
def session_pre_dose(request: HttpRequest, infusion_id: int) -> HttpResponse:
    def save(i: Infusion, by: User, f: Any, r: HttpRequest) -> object:
        data = f.cleaned_data
        return actions.record_pre_dose(
            infusion=i,
            by=by,
            route=data["route"],
            weight_kg=data["weight_kg"],
            dose_mg_per_kg=data["dose_mg_per_kg"],
            dose_mg=data["dose_mg"],
            taken_at=data["taken_at"],
            vitals=f.vitals(),
            notes=data["notes"],
            request=r,
        )

    return _run_step(
        request,
        infusion_id,
        lambda i: PreDoseForm(
            request.POST,
            prefix="predose",
            earliest=i.arrived_at,
            previous_weight=last_recorded_weight(i.patient, besides=i),
        ),
        "pre_dose_form",
        save,
        lambda r, i, taken: _say_round_saved(r, i, taken, _("Pre-dose observations saved.")),
    )


@require_POST
@staff_required
def session_start(request: HttpRequest, infusion_id: int) -> HttpResponse:
    return _run_step(
        request,
        infusion_id,
        lambda i: TimeForm(
            request.POST,
            prefix="start",
            label=_("Start time"),
            after=i.arrived_at,
            after_message=_("The start cannot be before the arrival."),
        ),
        "start_form",
        lambda i, by, f, r: actions.start_session(
            infusion=i, at=f.cleaned_data["at"], by=by, request=r
        ),
        _("Start recorded."),
    )


@require_POST
@staff_required
def session_end(request: HttpRequest, infusion_id: int) -> HttpResponse:
    return _run_step(
        request,
        infusion_id,
        lambda i: TimeForm(
            request.POST,
            prefix="end",
            label=_("End time"),
            after=i.started_at,
            strict=True,
            after_message=_("The end must be after the start."),
        ),
        "end_form",
        lambda i, by, f, r: actions.end_session(
            infusion=i, at=f.cleaned_data["at"], by=by, request=r
        ),
        _("End recorded. Observation time counts from now on."),
    )


@require_POST
@staff_required
def session_round(request: HttpRequest, infusion_id: int) -> HttpResponse:
    infusion = get_session(request.user, infusion_id)  # type: ignore[arg-type]
    form = ObservationsForm(
        request.POST, prefix="round", earliest=infusion.arrived_at or infusion.started_at
    )
    if not form.is_valid():
        return _session_page(request, infusion, status=400, round_form=form)
    try:
        taken = actions.add_round(
            infusion=infusion,
            by=request.user,  # type: ignore[arg-type]
            taken_at=form.cleaned_data["taken_at"],
            vitals=form.vitals(),
            notes=form.cleaned_data["notes"],
            request=request,
        )
    except SessionStateError as error:
        messages.error(request, str(error))
        return redirect("session_detail", infusion_id=infusion.pk)
    _say_round_saved(request, infusion, taken, _("Round saved."))
    return redirect("session_detail", infusion_id=infusion.pk)


# Discharge ------------------------------------------------------------------------------------


def _discharge_page(
    request: HttpRequest,
    infusion: Infusion,
    form: DischargeForm,
    *,
    status: int = 200,
    blocked: list[Any] | None = None,
    unconfirmed: set[str] | None = None,
) -> HttpResponse:
    now = timezone.now()
    protocol = protocol_for(infusion.patient.clinic)
    rounds = list(infusion.rounds.all())
    pre, latest = latest_pre_dose(rounds), latest_values(infusion, rounds)
    rows = {row.round.pk: row for row in round_rows(infusion, rounds)}
    # The rounds the latest value of each observation comes from, and the last round.
    shown = latest.rounds() if latest else []
    last = latest_after_end(infusion, rounds)
    if last is not None and last not in shown:
        shown.append(last)
    return render(
        request,
        "treatment/discharge.html",
        {
            "infusion": infusion,
            "patient": infusion.patient,
            "form": form,
            "criteria": session_criteria(
                infusion=infusion, rounds=rounds, protocol=protocol, now=now
            ),
            "pre": pre,
            "latest": latest,
            "latest_rows": [rows[r.pk] for r in shown],
            "protocol": protocol,
            "blocked": blocked,
            # Unmet checks not confirmed yet: a message beside each box. Boxes ticked before are
            # kept ticked.
            "unconfirmed": unconfirmed or set(),
            "ticked": set(request.POST.getlist("confirmed")),
        },
        status=status,
    )


@staff_required
def session_discharge(request: HttpRequest, infusion_id: int) -> HttpResponse:
    infusion = get_session(request.user, infusion_id)  # type: ignore[arg-type]
    if hasattr(infusion, "discharge"):
        messages.info(request, _("The discharge is signed. Corrections go in an addendum."))
        return redirect("session_detail", infusion_id=infusion.pk)
    if infusion.ended_at is None or infusion.status != Infusion.Status.COMPLETED:
        messages.error(request, _("Record the end of the infusion before discharge."))
        return redirect("session_detail", infusion_id=infusion.pk)
    record(
        request, action="view", what="discharge checklist", patient=infusion.patient,
        object_id=infusion.pk,
    )  # fmt: skip
    if request.method != "POST":
        rounds = list(infusion.rounds.all())
        pre, latest = latest_pre_dose(rounds), latest_values(infusion, rounds)
        suggestion = padss_vital_signs_item(
            pre.vitals if pre else None, latest.vitals if latest else None
        )
        form = DischargeForm(initial={"padss_vital_signs": suggestion})
        return _discharge_page(request, infusion, form)
    form = DischargeForm(request.POST)
    if not form.is_valid():
        return _discharge_page(request, infusion, form, status=400)
    try:
        actions.sign_discharge(
            infusion=infusion,
            by=request.user,  # type: ignore[arg-type]
            now=timezone.now(),
            checklist=form.checklist(),
            override_reason=form.cleaned_data["override_reason"],
            confirmed=form.cleaned_data["confirmed"],
            request=request,
        )
    except DischargeBlockedError as blocked:
        reason = form.cleaned_data["override_reason"].strip()
        _say_beside_the_ride(form, blocked.unmet)
        if not reason:
            form.add_error(
                "override_reason",
                _("Not everything is met. Give a reason to discharge anyway, or wait."),
            )
        return _discharge_page(
            request,
            infusion,
            form,
            status=400,
            blocked=blocked.unmet,
            # Said beside each box once an override is attempted (a reason is given).
            unconfirmed={c.code for c in blocked.unconfirmed} if reason else set(),
        )
    except SessionStateError as error:
        messages.error(request, str(error))
        return redirect("session_detail", infusion_id=infusion.pk)
    messages.success(request, _("Discharge signed."))
    return redirect("session_detail", infusion_id=infusion.pk)


def _say_beside_the_ride(form: DischargeForm, unmet: list[Any]) -> None:
    """A missing ride is said beside the empty driver field, where it is put right."""
    if not any(criterion.code == "ride" for criterion in unmet):
        return
    for name in ("escort_name", "escort_phone"):
        if not form.cleaned_data.get(name, "").strip():
            form.add_error(name, _("Needed before the patient leaves: the adult taking them home."))


@require_POST
@staff_required
def session_addendum(request: HttpRequest, infusion_id: int) -> HttpResponse:
    infusion = get_session(request.user, infusion_id)  # type: ignore[arg-type]
    discharge = getattr(infusion, "discharge", None)
    if discharge is None:
        messages.error(request, _("An addendum needs a signed discharge."))
        return redirect("session_detail", infusion_id=infusion.pk)
    form = AddendumForm(request.POST, prefix="addendum")
    if not form.is_valid():
        return _session_page(request, infusion, status=400, addendum_form=form)
    actions.add_addendum(
        discharge=discharge,
        author=request.user,  # type: ignore[arg-type]
        text=form.cleaned_data["text"],
        request=request,
    )
    messages.success(request, _("Addendum saved."))
    return redirect("session_detail", infusion_id=infusion.pk)


@require_POST
@staff_required
def session_rems_submitted(request: HttpRequest, infusion_id: int) -> HttpResponse:
    return _run_step(
        request,
        infusion_id,
        lambda i: RemsSubmittedForm(request.POST, prefix="rems"),
        "rems_form",
        lambda i, by, f, r: actions.mark_rems_submitted(
            infusion=i,
            by=by,
            reference=f.cleaned_data["reference"],
            now=timezone.now(),
            request=r,
        ),
        _("REMS form marked as submitted."),
    )
