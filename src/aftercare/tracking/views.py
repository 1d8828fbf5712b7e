import logging

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Patient, Role
from aftercare.accounts.scoping import patient_required, staff_required
from aftercare.audit.actions import record
from aftercare.guidance.companion import companion_for
from aftercare.guidance.views import patient_home
from aftercare.safety.crisis import private_words_need_help, shows_crisis_screen
from aftercare.safety.screening import screen_unsaved_check_in, screen_unsaved_scale, unsaved_help
from aftercare.safety.views import crisis_response, next_steps_for, next_steps_response
from aftercare.tracking import actions
from aftercare.tracking.actions import submit_check_in
from aftercare.tracking.exports import write_csv
from aftercare.tracking.forms import CheckInForm, JournalForm, ScaleForm, ScaleScheduleForm
from aftercare.tracking.instruments import INSTRUMENTS, Instrument
from aftercare.tracking.models import CheckIn, JournalEntry, ScaleResponse, ScaleSchedule
from aftercare.tracking.prompts import GROUP_TITLES, prompt_by_key, prompts_for
from aftercare.tracking.queries import default_rule
from aftercare.tracking.scoring import AnswersInvalid, Score, answers_by_item, score
from aftercare.tracking.summaries import day_summaries
from aftercare.tracking.texts import (
    NOT_A_DIAGNOSIS,
    WARNING_ITEM,
    band_explanation,
    band_label,
)
from aftercare.treatment.models import Infusion

logger = logging.getLogger(__name__)


def _patient(request: HttpRequest) -> Patient:
    return request.user.patient  # type: ignore[union-attr]


@patient_required
def check_in(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        # The address shows after a check-in with errors; reopened later (a restored tab, a
        # bookmark) it leads to the form on the home page rather than a blank error.
        return redirect("patient_home")
    form = CheckInForm(request.POST)
    patient = request.user.patient  # type: ignore[union-attr]
    if not form.is_valid():
        # An urgent yes reaches the care team even though the rest cannot be saved yet.
        screen_unsaved_check_in(
            patient,
            signs=form.urgent_signs(),
            submission_key=form.submitted_key(),
            note=form.typed_note(),
        )
        # Re-render the home page with the answers kept and each error beside its field.
        return patient_home(request, form=form)
    entry, alerts = submit_check_in(
        patient=patient, answers=form.answers(), submission_key=form.submitted_key()
    )
    if shows_crisis_screen(alerts):
        # The crisis screen is part of this response: it must not depend on another request.
        return render(
            request, "tracking/check_in_urgent.html", {"check_in": entry, "alerts": alerts}
        )
    steps = next_steps_for(patient, alerts)
    if steps is not None:
        return next_steps_response(request, steps)
    messages.success(request, _("Thank you. Your check-in is saved."))
    return redirect("home")


@patient_required
def check_in_edit(request: HttpRequest, check_in_id: int) -> HttpResponse:
    patient = _patient(request)
    entry = get_object_or_404(CheckIn, pk=check_in_id, patient=patient)
    if not actions.can_edit(entry):
        return render(request, "tracking/check_in_locked.html", {"check_in": entry}, status=403)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                entry, edit, alerts = actions.edit_check_in(
                    check_in=entry,
                    answers=form.answers(),
                    actor=patient.user,
                    request=request,
                )
            except actions.EditWindowClosed:
                return render(
                    request, "tracking/check_in_locked.html", {"check_in": entry}, status=403
                )
            if shows_crisis_screen(alerts):
                return crisis_response(request, alerts=alerts)
            steps = next_steps_for(patient, alerts)
            if steps is not None:
                return next_steps_response(request, steps)
            if edit is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("Your check-in is updated."))
            return redirect("patient_home")
        # A new urgent yes (or new crisis words in the note) reaches the care team even though
        # the change cannot be saved yet; it belongs to the check-in's own key, so saving the
        # change later adds no second one.
        screen_unsaved_check_in(
            patient,
            signs=form.urgent_signs(),
            submission_key=entry.submission_key,
            note=form.typed_note(),
            stored=entry,
        )
    else:
        form = CheckInForm(initial=CheckInForm.initial_from(entry))
    record(request, action="view", what="check-in", patient=patient, object_id=entry.pk)
    return render(
        request,
        "tracking/check_in_edit.html",
        {
            "form": form,
            "check_in": entry,
            "deadline": actions.edit_deadline(entry),
            "unsaved_message": form.errors
            and unsaved_help(form.urgent_signs(), form.typed_note(), edit=True),
        },
        status=400 if form.errors else 200,
    )


# Journal


def _own_entry(request: HttpRequest, entry_id: int) -> JournalEntry:
    return get_object_or_404(JournalEntry, pk=entry_id, patient=_patient(request))


@patient_required
def journal_list(request: HttpRequest) -> HttpResponse:
    patient = _patient(request)
    entries = patient.journal_entries.all()
    record(request, action="view", what="journal", patient=patient)
    return render(request, "tracking/journal_list.html", {"entries": entries})


@patient_required
def journal_new(request: HttpRequest) -> HttpResponse:
    patient = _patient(request)
    group, prompts = prompts_for(companion_for(patient, timezone.now()).state)
    initial = {}
    if request.GET.get("prompt") and prompt_by_key(request.GET["prompt"]):
        initial["prompt_key"] = request.GET["prompt"]
    form = JournalForm(request.POST or None, prompts=prompts, initial=initial)
    if request.method == "POST" and form.is_valid():
        prompt = prompt_by_key(form.cleaned_data.get("prompt_key") or "")
        entry, alerts = actions.write_journal_entry(
            patient=patient,
            body=form.cleaned_data["body"],
            prompt=str(prompt.text) if prompt else "",
            shared_with_care_team=form.cleaned_data["shared_with_care_team"],
            request=request,
            submission_key=form.submitted_key(),
        )
        if shows_crisis_screen(alerts):
            return crisis_response(request, alerts=alerts)
        if private_words_need_help(shared=entry.shared_with_care_team, body=entry.body):
            return crisis_response(request, alerts=[], private_entry=entry)
        if entry.shared_with_care_team:
            messages.success(request, _("Saved. Your care team can read this entry."))
        else:
            messages.success(request, _("Saved. Only you can read this entry."))
        return redirect("journal_list")
    return render(
        request,
        "tracking/journal_form.html",
        {"form": form, "group_title": GROUP_TITLES[group], "entry": None},
        status=400 if form.errors else 200,
    )


@patient_required
def journal_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, entry_id)
    body_before = entry.body  # read before the form writes to ``entry``
    form = JournalForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        entry, alerts = actions.update_journal_entry(
            entry=entry,
            body=form.cleaned_data["body"],
            shared_with_care_team=form.cleaned_data["shared_with_care_team"],
            request=request,
        )
        if shows_crisis_screen(alerts):
            return crisis_response(request, alerts=alerts)
        if private_words_need_help(
            shared=entry.shared_with_care_team, body=entry.body, body_before=body_before
        ):
            return crisis_response(request, alerts=[], private_entry=entry)
        if entry.shared_with_care_team:
            messages.success(request, _("Your entry is updated. Your care team can read it."))
        else:
            messages.success(request, _("Your entry is updated. Only you can read it."))
        return redirect("journal_list")
    if request.method != "POST":
        record(
            request, action="view", what="journal entry", patient=entry.patient, object_id=entry.pk
        )
    return render(
        request,
        "tracking/journal_form.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@patient_required
def journal_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Asks first; deleting cannot be undone. What a shared entry already told the care team
    (an alert with its words) stays in the clinical record."""
    entry = _own_entry(request, entry_id)
    if request.method == "POST":
        actions.delete_journal_entry(entry=entry, request=request)
        messages.success(request, _("The entry is deleted."))
        return redirect("journal_list")
    record(request, action="view", what="journal entry", patient=entry.patient, object_id=entry.pk)
    return render(request, "tracking/journal_delete.html", {"entry": entry})


# Questionnaires


def _instrument(key: str) -> Instrument:
    try:
        return INSTRUMENTS[key]
    except KeyError:
        raise Http404 from None


@patient_required
def scale_form(request: HttpRequest, instrument: str) -> HttpResponse:
    definition = _instrument(instrument)
    patient = _patient(request)
    form = ScaleForm(definition, request.POST or None)
    if request.method == "POST" and form.is_valid():
        response, result, alerts = actions.submit_scale_response(
            patient=patient,
            instrument=definition,
            answers=form.answers(),
            request=request,
            submission_key=form.submitted_key(),
        )
        if shows_crisis_screen(alerts):
            return crisis_response(request, alerts=alerts)
        # An item-9 warning keeps the score page, which puts the crisis numbers beside it.
        steps = None if result.warnings else next_steps_for(patient, alerts)
        if steps is not None:
            url = reverse("scale_result", args=[response.instrument, response.pk])
            return next_steps_response(request, steps, result_url=url)
        return redirect("scale_result", instrument=response.instrument, response_id=response.pk)
    warning = form.warning_answers() if form.errors else {}
    if warning:
        # An answer about safety reaches the care team even though the rest cannot be saved.
        screen_unsaved_scale(
            patient,
            instrument=definition.key,
            answers=warning,
            submission_key=form.submitted_key(),
        )
    return render(
        request,
        "tracking/scale_form.html",
        {"form": form, "instrument": definition, "unsaved_warning": bool(warning)},
        status=400 if form.errors else 200,
    )


@patient_required
def scale_result(request: HttpRequest, instrument: str, response_id: int) -> HttpResponse:
    definition = _instrument(instrument)
    patient = _patient(request)
    response = get_object_or_404(
        ScaleResponse, pk=response_id, patient=patient, instrument=definition.key
    )
    record(
        request,
        action="view",
        what=f"{definition.name} response",
        patient=patient,
        object_id=response.pk,
    )
    try:
        result = score(definition, answers_by_item(definition, response.answers))
    except AnswersInvalid:
        # Rows written outside this form (imports, demo data) may lack item answers.
        result = Score(total=response.total, band=definition.band_for(response.total), warnings=())
    return render(
        request,
        "tracking/scale_result.html",
        {
            "instrument": definition,
            "response": response,
            "result": result,
            "explanation": band_explanation(definition, result.band),
            "not_a_diagnosis": NOT_A_DIAGNOSIS,
            "warning_text": WARNING_ITEM,
        },
    )


# Trends and export


def _completed_infusion_starts(patient: Patient) -> list:
    infusions: QuerySet[Infusion] = patient.infusions.filter(status=Infusion.Status.COMPLETED)
    return sorted(i.started_at or i.scheduled_at for i in infusions)


@patient_required
def trends(request: HttpRequest) -> HttpResponse:
    # altair and the Vega renderer take a second or two to import: only this page needs them.
    from aftercare.tracking import charts

    patient = _patient(request)
    record(request, action="view", what="trends", patient=patient)
    days = day_summaries(patient.check_ins.all())
    infusions = _completed_infusion_starts(patient)
    scales = []
    for definition in INSTRUMENTS.values():
        responses = list(
            patient.scale_responses.filter(instrument=definition.key).order_by("taken_at")
        )
        if not responses:
            continue
        points = [(r.taken_at, r.total) for r in responses]
        spec = charts.scale_chart(definition, points, infusions, patient.tz)
        scales.append(
            {
                "instrument": definition,
                "rows": [
                    (r, band_label(definition.band_for(r.total))) for r in reversed(responses)
                ],
                "svg": charts.render_svg(
                    spec,
                    title=_("%(name)s scores over time") % {"name": definition.name},
                    description=spec.get("description", ""),
                    element_id=f"{definition.key}-chart",
                ),
            }
        )
    mood_svg = ""
    if days:
        spec = charts.mood_chart(days, infusions, patient.tz)
        mood_svg = charts.render_svg(
            spec,
            title=_("Your mood over time"),
            description=spec.get("description", ""),
            element_id="mood-chart",
        )
    return render(
        request,
        "tracking/trends.html",
        {
            "days": list(reversed(days)),
            "mood_svg": mood_svg,
            "scales": scales,
            "infusions": list(reversed(infusions)),
            # Any questionnaire may be filled in at any time, not only when it is due.
            "instruments": list(INSTRUMENTS.values()),
        },
    )


@patient_required
def export_csv(request: HttpRequest) -> HttpResponse:
    patient = _patient(request)
    record(request, action="export", what="data export (CSV)", patient=patient)
    body = write_csv(
        check_ins=patient.check_ins.all(),
        responses=patient.scale_responses.all(),
        infusions=_completed_infusion_starts(patient),
        tz=patient.tz,
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.now().astimezone(patient.tz).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-aftercare-data-{stamp}.csv"'
    return response


@patient_required
def summary_pdf(request: HttpRequest) -> HttpResponse:
    """The patient's own summary as a PDF, over ?days=30, 90 (the default) or 365."""
    from aftercare.tracking import report

    raw = request.GET.get("days", str(report.DEFAULT_PERIOD))
    if raw not in {str(days) for days in report.PERIODS}:
        return HttpResponseBadRequest(
            _("Choose a period of 30, 90 or 365 days."), content_type="text/plain; charset=utf-8"
        )
    patient = _patient(request)
    record(request, action="export", what="data summary (PDF)", patient=patient)
    summary = report.summary_for(patient, days=int(raw))
    try:
        pdf = report.render_pdf(summary)
    except (ImportError, OSError):  # WeasyPrint without Pango on this machine
        logger.exception("PDF rendering unavailable")
        messages.error(
            request,
            _("The PDF cannot be made on this server. Print this page or download the CSV."),
        )
        return redirect("trends")
    stamp = summary.end.astimezone(patient.tz).date().isoformat()
    response = HttpResponse(pdf, content_type="application/pdf")
    # The period in the name: the 30-, 90- and 365-day summaries of one day are different files.
    name = f"my-aftercare-summary-{raw}-days-{stamp}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# The clinic's questionnaire schedule


@staff_required
def scale_schedule(request: HttpRequest) -> HttpResponse:
    """Every staff member can read the schedule; only a clinic admin can change it."""
    clinic = request.user.clinic  # type: ignore[union-attr]
    can_change = request.user.role == Role.ADMIN  # type: ignore[union-attr]
    if request.method == "POST" and not can_change:
        raise Http404
    rows = {row.instrument: row for row in ScaleSchedule.objects.filter(clinic=clinic)}
    forms = []
    for key, definition in INSTRUMENTS.items():
        instance = rows.get(key)
        if instance is None:
            rule = default_rule(key)
            instance = ScaleSchedule(
                clinic=clinic,
                instrument=key,
                baseline=rule.baseline,
                before_each_infusion=rule.before_each_infusion,
                days_after_each_infusion=rule.days_after_each_infusion,
                weekly_first_month=rule.weekly_first_month,
                maintenance_every_days=rule.maintenance_every_days,
            )
        form = ScaleScheduleForm(
            request.POST if request.method == "POST" else None, instance=instance, prefix=key
        )
        if not can_change:
            for field in form.fields.values():
                field.disabled = True
        forms.append((definition, form))
    if request.method == "POST" and all(form.is_valid() for _d, form in forms):
        for definition, form in forms:
            actions.save_scale_schedule(
                clinic=clinic,
                instrument=definition.key,
                values={name: form.cleaned_data[name] for name in ScaleScheduleForm.Meta.fields},
                actor=request.user,  # type: ignore[arg-type]
            )
        messages.success(request, _("The questionnaire schedule is saved."))
        return redirect("scale_schedule")
    invalid = request.method == "POST"
    return render(
        request,
        "tracking/scale_schedule.html",
        {"forms": forms, "can_change": can_change, "invalid": invalid},
        status=400 if invalid else 200,
    )
