"""Clinician workspace pages: the patient list, one patient's timeline, clinician notes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.accounts.scoping import get_patient, staff_required
from aftercare.audit.actions import record
from aftercare.workspace import actions
from aftercare.workspace.forms import AddendumForm, NoteForm, PatientFilterForm
from aftercare.workspace.models import ClinicianNote
from aftercare.workspace.selectors import (
    PAGE_SIZE,
    filter_rows,
    patient_rows,
    sort_rows,
)
from aftercare.workspace.sparkline import sparkline

# Columns in display order: (sort key, heading)
COLUMNS = (
    ("name", "Name"),
    ("phase", "Phase"),
    ("course", "Course"),
    ("check_in", "Last check-in"),
    ("trajectory", "Trajectory"),
    ("alerts", "Open alerts"),
    ("next_infusion", "Next infusion"),
    ("booster", "Booster due"),
    ("overdue", "Overdue questionnaires"),
    ("disengaged", "Disengaged"),
)


MOST_FIRST = frozenset({"alerts", "overdue", "disengaged"})


def _headings() -> dict[str, str]:
    return {
        "name": _("Name"),
        "phase": _("Phase"),
        "course": _("Course"),
        "check_in": _("Last check-in"),
        "trajectory": _("Trajectory"),
        "alerts": _("Open alerts"),
        "next_infusion": _("Next infusion"),
        "booster": _("Booster due"),
        "overdue": _("Overdue questionnaires"),
        "disengaged": _("Disengaged"),
    }


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def patient_list_response(request: HttpRequest) -> HttpResponse:
    """The clinic's patient list; filters, search and sort are GET parameters, 50 a page.

    An htmx request aimed at the results gets only the results, so the page updates in place;
    without JavaScript the same form reloads the page."""
    user: User = request.user  # type: ignore[assignment]
    form = PatientFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    clean: dict[str, Any] = form.cleaned_data if form.is_bound and valid else {}
    now = timezone.now()
    rows = patient_rows(user, now=now, search=clean.get("q") or "", mine=bool(clean.get("mine")))
    today = timezone.localdate(now, timezone=user.clinic.tz)
    rows = filter_rows(
        rows,
        phase=clean.get("phase") or "",
        trajectory=clean.get("trajectory") or "",
        alerts=clean.get("alerts") or "",
        course=clean.get("course") or "",
        booster=clean.get("booster") == "1",
        overdue=clean.get("overdue") == "1",
        disengaged=clean.get("disengaged") == "1",
        checked_in_days=_int(clean.get("checked_in")),
        next_infusion_days=_int(clean.get("next_infusion")),
        today=today,
        now=now,
    )
    sort = clean.get("sort") or "name"
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    rows = sort_rows(rows, key, descending)
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(clean.get("page") or 1)
    for row in page.object_list:
        row.spark_html = sparkline(row.spark)  # type: ignore[attr-defined]

    kept = {k: v for k, v in request.GET.items() if k not in ("sort", "page") and v}
    if not valid:
        kept = {}
    headings = _headings()
    columns = []
    for column, _english in COLUMNS:
        if key == column:
            next_sort = column if descending else f"-{column}"
        else:  # counts sort most first on the first click
            next_sort = f"-{column}" if column in MOST_FIRST else column
        columns.append(
            {
                "key": column,
                "label": headings[column],
                "url": "?" + urlencode({**kept, "sort": next_sort}),
                "aria_sort": ("descending" if descending else "ascending")
                if key == column
                else None,
            }
        )
    query = urlencode({**kept, "sort": sort}) if sort != "name" else urlencode(kept)
    context = {
        "form": form,
        "page": page,
        "rows": page.object_list,
        "columns": columns,
        "count": paginator.count,
        "query": query,
    }
    status = 200 if valid else 400
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "workspace/_results.html", context, status=status)
    return render(request, "workspace/patient_list.html", context, status=status)


@staff_required
def patient_list(request: HttpRequest) -> HttpResponse:
    return patient_list_response(request)


@staff_required
def timeline(request: HttpRequest, patient_id: str) -> HttpResponse:
    from aftercare.workspace.timeline import infusion_kind, timeline_data, timeline_svg

    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    record(request, action="view", what="patient timeline", patient=patient, object_id=patient.pk)
    zoom = request.GET.get("range", "all")
    data = timeline_data(patient, zoom=zoom)
    svg = timeline_svg(patient, data)
    notes = (
        ClinicianNote.objects.filter(patient=patient)
        .select_related("author")
        .prefetch_related("addenda__author")
    )
    return render(
        request,
        "workspace/timeline.html",
        {
            "patient": patient,
            "data": data,
            "svg": svg,
            "infusions": [(i, infusion_kind(i)) for i in data.infusions],
            "notes": notes,
            "note_form": NoteForm(),
            "addendum_form": AddendumForm(),
            "ranges": [
                ("course", _("This course")),
                ("30", _("Last 30 days")),
                ("all", _("All")),
            ],
        },
    )


def _note(request: HttpRequest, patient_id: str, note_id: int) -> ClinicianNote:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    return get_object_or_404(
        ClinicianNote.objects.select_related("patient"), pk=note_id, patient=patient
    )


@staff_required
def note_new(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = get_patient(request.user, patient_id)  # type: ignore[arg-type]
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.write_note(
            request=request,
            patient=patient,
            author=request.user,  # type: ignore[arg-type]
            body=form.cleaned_data["body"],
            sign="sign" in request.POST,
        )
        return redirect("workspace_timeline", patient_id=patient.pk)
    return render(
        request,
        "workspace/note_form.html",
        {"patient": patient, "form": form, "note": None},
        status=400 if form.errors else 200,
    )


@staff_required
def note_edit(request: HttpRequest, patient_id: str, note_id: int) -> HttpResponse:
    note = _note(request, patient_id, note_id)
    if note.is_signed or note.author_id != request.user.pk:
        raise Http404
    record(request, action="view", what="clinician note", patient=note.patient, object_id=note.pk)
    form = NoteForm(request.POST if request.method == "POST" else None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        actions.edit_draft(
            request=request,
            note=note,
            author=request.user,
            body=form.cleaned_data["body"],
            sign="sign" in request.POST,
        )
        return redirect("workspace_timeline", patient_id=note.patient_id)
    return render(
        request,
        "workspace/note_form.html",
        {"patient": note.patient, "form": form, "note": note},
        status=400 if form.errors else 200,
    )


@staff_required
def note_addendum(request: HttpRequest, patient_id: str, note_id: int) -> HttpResponse:
    note = _note(request, patient_id, note_id)
    if request.method != "POST" or not note.is_signed:
        raise Http404
    form = AddendumForm(request.POST)
    if form.is_valid():
        actions.add_addendum(
            request=request,
            note=note,
            author=request.user,  # type: ignore[arg-type]
            body=form.cleaned_data["body"],
        )
        return redirect("workspace_timeline", patient_id=note.patient_id)
    # The form comes back with the signed note on it: that is a read.
    record(request, action="view", what="clinician note", patient=note.patient, object_id=note.pk)
    return render(
        request,
        "workspace/addendum_form.html",
        {"patient": note.patient, "form": form, "note": note},
        status=400,
    )
