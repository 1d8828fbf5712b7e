"""A patient's progress report over a chosen period, for the referring physician or an insurer.

The numbers come from the same places as the staff pages: the outcome insights
(``outcomes.loaders`` + ``insights.patient.analyse_patient``, explained by
``outcomes.explain``), the response page's mood chart (``outcomes.charts.mood_chart``) and the
clinician's timeline (``workspace.timeline``: the same spec as the page), drawn to SVG by the
altair + vl-convert path. The PDF is made by WeasyPrint like the discharge sheet
(``treatment/sheet.py`` lists the system libraries it needs).

Two time zones, each printed in the report: what the patient records (check-ins, daily mood,
questionnaires) counts by the patient's own days, as on the response and timeline pages; what
the clinic records (infusions, safety alerts, when the report was made) is in clinic time, as on
the session, patient and alert pages, so a date and time in the report is the one staff saw.
The period is a range of calendar days, applied to each in its own zone.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Clinic, Patient
from aftercare.insights.episodes import smoothed
from aftercare.insights.patient import analyse_patient
from aftercare.outcomes import labels
from aftercare.outcomes.explain import explanation
from aftercare.outcomes.loaders import definitions_for, load_patient
from aftercare.safety.models import Alert
from aftercare.tracking.instruments import INSTRUMENTS
from aftercare.tracking.texts import band_label
from aftercare.treatment.dose import dose_text
from aftercare.treatment.models import Course, Infusion
from aftercare.workspace.timeline import timeline_data, timeline_svg

# WeasyPrint reports every rendering step at INFO; only its warnings belong in the logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

MAX_DAYS = 3 * 366  # longest period one report covers
COURSE_KINDS = dict(Course.Kind.choices)


@dataclass(frozen=True)
class InfusionRow:
    day: datetime  # when it was given (or booked, if it never started): printed in clinic time
    route: str
    dose: str  # "0.5 mg/kg × 70.0 kg = 35.0 mg", "56 mg" or "" when not recorded
    status: str


@dataclass(frozen=True)
class ScoreRow:
    instrument: str
    taken_at: datetime
    day: date  # the patient's day it was answered
    total: int
    total_max: int
    band: str


@dataclass(frozen=True)
class MoodRow:
    day: date
    mood: float
    mean: float | None


@dataclass
class ProgressReport:
    patient: Patient
    clinic: Clinic
    start: date  # first day of the period (patient's days, inclusive)
    end: date  # last day (inclusive)
    made_at: datetime
    as_of: date  # the day the status, trajectory and course counts describe
    status_at_period_end: bool  # the period ended before the report was made
    courses: list[tuple[str, str, int, int, date]]  # kind, status, done, planned, started
    infusions: list[InfusionRow]
    scores: list[ScoreRow]
    trajectory_label: str
    trajectory_text: str
    outcome_instrument: str
    response: str  # "Yes", "No" or "Not assessed yet"
    remission: str
    # Days after the induction series when response and remission are assessed: a reader of
    # "Remission: No" must see that it is that assessment, not the latest score.
    assessment_days: tuple[int, int]
    scale_text: str
    mood_svg: str
    timeline_svg: str
    mood_rows: list[MoodRow]
    alert_counts: list[tuple[str, int]]  # severity label, count
    alerts: list[tuple[datetime, str, str, str]]  # when, severity, rule, status
    page_css: str = field(default="")


def _bounds(tz: ZoneInfo, start: date, end: date) -> tuple[datetime, datetime]:
    """The period's first and (exclusive) last instants as whole days in ``tz``."""
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def _yes_no(assessed: bool, value: bool) -> str:
    if not assessed:
        return _("Not assessed yet")
    return _("Yes") if value else _("No")


def page_css() -> str:
    """The page counter line in the active language ("Page 1 of 3"), as an @page rule."""
    words = _("Page %(page)s of %(pages)s")
    parts: list[str] = []
    for chunk in (
        words.replace("%(pages)s", "\0pages\0").replace("%(page)s", "\0page\0").split("\0")
    ):
        if chunk in {"page", "pages"}:
            parts.append(f"counter({chunk})")
        elif chunk:
            parts.append('"' + chunk.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "@page { @bottom-right { content: " + " ".join(parts) + "; } }"


def report_for(
    patient: Patient, *, start: date, end: date, now: datetime | None = None
) -> ProgressReport:
    # altair and the Vega renderer take a moment to import: only the report needs them here.
    from aftercare.outcomes import charts

    now = now or timezone.now()
    since, until = _bounds(patient.tz, start, end)
    clinic_since, clinic_until = _bounds(patient.clinic.tz, start, end)
    # Response, remission, the trajectory and the course counts describe the end of the period
    # (its last moment, or now while it lasts): a report for May must not show June's outcome.
    as_of = min(now, until - timedelta(microseconds=1))
    definitions = definitions_for(patient.clinic)
    data = load_patient(patient, now=as_of, definitions=definitions)
    insight = analyse_patient(data, definitions=definitions)
    words = explanation(insight, definitions, [i.day for i in data.infusions])

    infusions = [
        InfusionRow(
            day=inf.started_at or inf.scheduled_at,
            route=inf.get_route_display(),
            dose=dose_text(inf),
            status=inf.get_status_display(),
        )
        # By the day printed beside it: the clinic's day it was given (booked, if never given).
        for inf in patient.infusions.annotate(at=Coalesce("started_at", "scheduled_at"))
        .filter(at__gte=clinic_since, at__lt=clinic_until)
        .exclude(status=Infusion.Status.SCHEDULED)
        .order_by("at", "pk")
    ]
    scores = []
    for response in patient.scale_responses.filter(
        taken_at__gte=since, taken_at__lt=until
    ).order_by("taken_at", "pk"):
        instrument = INSTRUMENTS.get(response.instrument)
        if instrument is None:
            continue
        scores.append(
            ScoreRow(
                instrument=instrument.name,
                taken_at=response.taken_at,
                day=response.taken_at.astimezone(patient.tz).date(),
                total=response.total,
                total_max=instrument.total_max,
                band=str(band_label(instrument.band_for(response.total))),
            )
        )

    # The response page's chart, over the chosen period (with a week before for the mean).
    last = min(end, data.today)
    values = data.mood.window(start - timedelta(days=6), last + timedelta(days=1))
    mean = smoothed(values)[6:] if values.size > 6 else np.full(0, np.nan)
    values = values[6:] if values.size > 6 else values[:0]
    days = [start + timedelta(days=i) for i in range(values.size)]
    moods = [None if np.isnan(v) else round(float(v), 1) for v in values]
    means = [None if np.isnan(v) else round(float(v), 1) for v in mean]
    mood_rows = [
        MoodRow(d, m, s) for d, m, s in zip(days, moods, means, strict=True) if m is not None
    ]
    mood_svg = ""
    if mood_rows:
        mood_svg = charts.svg(
            charts.mood_chart(
                days,
                moods,
                means,
                baseline=insight.trajectory.baseline,
                infusions=[i.day for i in data.infusions if start <= i.day <= end],
            ),
            title=_("Daily mood of %(name)s") % {"name": patient.display_name},
            element_id="mood-chart",
        )

    alerts = list(
        Alert.objects.filter(
            patient=patient, created_at__gte=clinic_since, created_at__lt=clinic_until
        ).order_by("created_at", "pk")
    )
    by_severity = Counter(a.severity for a in alerts)
    outcome = insight.induction_outcome
    assessed = outcome is not None and outcome.assessed
    return ProgressReport(
        patient=patient,
        clinic=patient.clinic,
        start=start,
        end=end,
        made_at=now,
        as_of=data.today,
        status_at_period_end=as_of < now,
        courses=[
            (
                str(COURSE_KINDS.get(c.course.kind, c.course.kind)),
                str(labels.COURSE_STATUS[c.status]),
                c.done,
                c.course.planned,
                c.course.started_on,
            )
            for c in insight.courses
            if c.course.started_on <= end
        ],
        infusions=infusions,
        scores=scores,
        trajectory_label=str(labels.TRAJECTORY[insight.trajectory.trajectory]),
        trajectory_text=words["trajectory_text"],
        outcome_instrument=INSTRUMENTS[definitions.instrument].name
        if definitions.instrument in INSTRUMENTS
        else definitions.instrument,
        response=_yes_no(assessed, bool(outcome and outcome.responded)),
        remission=_yes_no(assessed, bool(outcome and outcome.remitted)),
        assessment_days=definitions.post_induction_days,
        scale_text=words["scale_text"],
        mood_svg=mood_svg,
        timeline_svg=timeline_svg(
            patient, timeline_data(patient, zoom="all", now=as_of, period=(start, end))
        ),
        mood_rows=mood_rows[::-1],
        alert_counts=[
            (str(label), by_severity[value])
            for value, label in Alert.Severity.choices
            if by_severity[value]
        ],
        alerts=[
            (
                a.created_at,
                a.get_severity_display(),
                a.get_rule_id_display(),
                a.get_status_display(),
            )
            for a in alerts
        ],
        page_css=page_css(),
    )


def render_pdf(report: ProgressReport) -> bytes:
    """The report as a PDF. Raises ImportError/OSError when WeasyPrint cannot load Pango."""
    from weasyprint import CSS, HTML  # imported here: loading Pango takes a moment

    context: dict[str, Any] = {"report": report}
    # Times print in clinic time; the patient's days are already dates (see the module doc).
    with timezone.override(report.clinic.tz):
        html = render_to_string("reports/progress_pdf.html", context)
    css_path = finders.find("reports/progress.css")
    stylesheets = [CSS(filename=css_path)] if css_path else []
    stylesheets.append(CSS(string=report.page_css))
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(stylesheets=stylesheets)
