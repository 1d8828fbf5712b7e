"""Planning courses and keeping the appointment book: lists by local day, move, cancel, no-show."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Patient, User
from aftercare.accounts.scoping import get_patient, staff_required
from aftercare.audit.actions import record, record_many
from aftercare.treatment import actions
from aftercare.treatment.actions import SessionStateError
from aftercare.treatment.course_forms import AppointmentFormSet, CoursePlanForm
from aftercare.treatment.forms import CancelForm, MoveForm, NoShowForm, numeric
from aftercare.treatment.models import Course, Infusion
from aftercare.treatment.schedule import INDUCTION_SIZE, group_by_local_day, local_to_utc
from aftercare.treatment.selectors import get_session, sessions_visible_to

# How far from today the clinic schedule may start.
RANGE_LIMIT_YEARS = 10

ACTIVE = (Infusion.Status.SCHEDULED, Infusion.Status.IN_PROGRESS, Infusion.Status.COMPLETED)


@dataclass(frozen=True)
class Row:
    infusion: Infusion
    position: tuple[int, int] | None
    at: datetime  # the time the row is listed at
    booked_at: datetime | None = None  # set when the session took place on another day


def held_at(infusion: Infusion) -> datetime:
    """When the session took place: its start, else the patient's arrival, else the booking."""
    return infusion.started_at or infusion.arrived_at or infusion.scheduled_at


def listed_at(infusion: Infusion, tz: ZoneInfo) -> tuple[datetime, datetime | None]:
    """The time a session is listed at, and its booked time when that was another local day.

    A nurse reading a day's schedule expects what happens on that day: a session given on
    another day than booked is listed on the day it was given, at the time it happened, with
    a note of the booking. On its booked day it keeps its appointment time, so that starting
    a little late does not reorder the list.
    """
    held = held_at(infusion)
    if held.astimezone(tz).date() == infusion.scheduled_at.astimezone(tz).date():
        return infusion.scheduled_at, None
    return held, infusion.scheduled_at


def with_positions(infusions: Sequence[Infusion], tz: ZoneInfo) -> list[Row]:
    """Each infusion with its place in its course (n of total), in two queries at most."""
    course_ids = {i.course_id for i in infusions if i.course_id}
    order: dict[int, list[int]] = {}
    planned: dict[int, int] = {}
    if course_ids:
        for pk, course_id in (
            Infusion.objects.filter(course_id__in=course_ids)
            .exclude(status__in=(Infusion.Status.CANCELLED, Infusion.Status.NO_SHOW))
            .order_by("scheduled_at", "pk")
            .values_list("pk", "course_id")
        ):
            order.setdefault(course_id, []).append(pk)
        planned = dict(
            Course.objects.filter(pk__in=course_ids).values_list("pk", "planned_infusions")
        )
    rows = []
    for infusion in infusions:
        ids = order.get(infusion.course_id or 0, [])
        position = None
        if infusion.pk in ids:
            position = (ids.index(infusion.pk) + 1, max(planned[infusion.course_id], len(ids)))  # type: ignore[index]
        rows.append(Row(infusion, position, *listed_at(infusion, tz)))
    return rows


def _years_from(day: date, years: int) -> date:
    """The same day ``years`` later (earlier if negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class RangeForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Number of days"),
        min_value=1,
        max_value=62,
        required=False,
        widget=numeric(),
        error_messages={
            "min_value": gettext_lazy("Enter a whole number from 1 to 62."),
            "max_value": gettext_lazy("Enter a whole number from 1 to 62."),
            "invalid": gettext_lazy("Enter a whole number from 1 to 62."),
        },
    )

    def clean_start(self) -> date | None:
        # The page adds and subtracts days from the start (range, Earlier, Later): a date
        # near year 1 or 9999 would overflow into a server error.
        start: date | None = self.cleaned_data.get("start")
        today = timezone.localdate()
        if start is not None and not (
            _years_from(today, -RANGE_LIMIT_YEARS) <= start <= _years_from(today, RANGE_LIMIT_YEARS)
        ):
            raise forms.ValidationError(
                gettext_lazy("Choose a date within %(years)s years of today."),
                params={"years": RANGE_LIMIT_YEARS},
            )
        return start


@staff_required
def clinic_schedule(request: HttpRequest) -> HttpResponse:
    """Every appointment of the clinic for a range of local days (clinic time)."""
    user: User = request.user  # type: ignore[assignment]
    tz = user.clinic.tz
    today = timezone.localdate()
    form = RangeForm(request.GET or None)
    start, days = today, 14
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or today
        days = form.cleaned_data["days"] or days
    begin = local_to_utc(start, datetime.min.time(), tz)
    end = local_to_utc(start + timedelta(days=days), datetime.min.time(), tz)
    # A session belongs to the day it took place (see listed_at), whatever day it was booked
    # for: one query, the discharge read with it for the row's status.
    infusions = list(
        sessions_visible_to(user)
        .select_related("discharge")
        .annotate(held=Coalesce("started_at", "arrived_at", "scheduled_at"))
        .filter(held__gte=begin, held__lt=end)
        .order_by("held", "pk")
    )
    record_many(
        request,
        action="view",
        what="clinic schedule",
        clinic_id=user.clinic_id,
        patient_ids=[i.patient_id for i in infusions],
    )
    rows = with_positions(infusions, tz)
    return render(
        request,
        "treatment/clinic_schedule.html",
        {
            "form": form,
            "days": group_by_local_day(rows, [r.at for r in rows], tz),
            "start": start,
            "last": start + timedelta(days=days - 1),
            "earlier": start - timedelta(days=days),
            "later": start + timedelta(days=days),
            "span": days,
            "today": today,
        },
        status=400 if form.errors else 200,
    )


@staff_required
def patient_schedule(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    record(request, action="view", what="patient schedule", patient=patient)
    infusions = list(
        patient.infusions.select_related("course", "patient__user", "discharge").order_by(
            "scheduled_at", "pk"
        )
    )
    tz = patient.clinic.tz
    rows = with_positions(infusions, tz)
    return render(
        request,
        "treatment/patient_schedule.html",
        {
            "patient": patient,
            "courses": patient.courses.order_by("started_on", "pk"),
            "days": group_by_local_day(rows, [r.at for r in rows], tz),
            "today": timezone.localdate(),
        },
    )


def _taken_days(patient: Patient) -> set[date]:
    return {
        timezone.localtime(at).date()
        for at in patient.infusions.filter(status__in=ACTIVE).values_list("scheduled_at", flat=True)
    }


@staff_required
def new_course(request: HttpRequest, patient_id: str) -> HttpResponse:
    """Plan a course: propose a schedule from a pattern, edit the times, then save."""
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    tz = patient.clinic.tz
    record(request, action="view", what="course planning", patient=patient)
    if request.method != "POST":
        plan = CoursePlanForm(initial={"first_day": timezone.localdate() + timedelta(days=1)})
        return _course_page(request, patient, plan, None)
    plan = CoursePlanForm(request.POST)
    if request.POST.get("action") == "save":
        rows = AppointmentFormSet(request.POST, prefix="rows", taken_days=_taken_days(patient))
        if plan.is_valid() and rows.is_valid():
            course = actions.schedule_course(
                patient=patient,
                by=request.user,  # type: ignore[arg-type]
                kind=plan.cleaned_data["kind"],
                times=rows.kept_times(),
                route=plan.cleaned_data["route"],
                request=request,
            )
            messages.success(
                request,
                _("%(kind)s booked: %(n)s appointments.")
                % {"kind": course.get_kind_display(), "n": course.planned_infusions},
            )
            return redirect("patient_schedule", patient_id=patient.pk)
        return _course_page(request, patient, plan, rows, status=400)
    if not plan.is_valid():
        return _course_page(request, patient, plan, None, status=400)
    times = plan.propose(tz)
    rows = AppointmentFormSet(
        prefix="rows",
        initial=[{"scheduled_at": at, "keep": True} for at in times],
        taken_days=_taken_days(patient),
    )
    return _course_page(request, patient, plan, rows)


def _course_page(
    request: HttpRequest,
    patient: Patient,
    plan: CoursePlanForm,
    rows: Any,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "treatment/course_form.html",
        {"patient": patient, "plan": plan, "rows": rows, "induction_size": INDUCTION_SIZE},
        status=status,
    )


@staff_required
def session_move(request: HttpRequest, infusion_id: int) -> HttpResponse:
    infusion = get_session(request.user, infusion_id)  # type: ignore[arg-type]
    form = MoveForm(request.POST or None, initial={"scheduled_at": infusion.scheduled_at})
    if request.method == "POST" and form.is_valid():
        try:
            actions.move_appointment(
                infusion=infusion,
                to=form.cleaned_data["scheduled_at"],
                by=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except SessionStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Appointment moved."))
        return redirect("session_detail", infusion_id=infusion.pk)
    record(request, action="view", what="appointment", patient=infusion.patient,
           object_id=infusion.pk)  # fmt: skip
    return render(
        request,
        "treatment/appointment_change.html",
        {"infusion": infusion, "form": form, "change": "move"},
        status=400 if form.errors else 200,
    )


@staff_required
def session_cancel(request: HttpRequest, infusion_id: int) -> HttpResponse:
    infusion = get_session(request.user, infusion_id)  # type: ignore[arg-type]
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_appointment(
                infusion=infusion,
                by=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except SessionStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Appointment cancelled."))
        return redirect("session_detail", infusion_id=infusion.pk)
    record(request, action="view", what="appointment", patient=infusion.patient,
           object_id=infusion.pk)  # fmt: skip
    return render(
        request,
        "treatment/appointment_change.html",
        {"infusion": infusion, "form": form, "change": "cancel"},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required
def session_no_show(request: HttpRequest, infusion_id: int) -> HttpResponse:
    infusion = get_session(request.user, infusion_id)  # type: ignore[arg-type]
    form = NoShowForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.mark_no_show(
            infusion=infusion,
            by=request.user,  # type: ignore[arg-type]
            now=timezone.now(),
            reason=reason,
            request=request,
        )
    except SessionStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as a no-show."))
    return redirect("session_detail", infusion_id=infusion.pk)
