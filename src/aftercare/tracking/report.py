"""The patient's own summary as a PDF: mood and questionnaire charts with their tables, the
infusions and the latest scores with their ranges, over a chosen period.

Issue "Daily tracking": patients can download their data as a PDF summary beside the CSV.
The charts are the trends page's specs (tracking/charts.py) drawn as SVG; the PDF is made by
WeasyPrint like the discharge sheet (treatment/sheet.py, which lists the system libraries it
needs). Dates are the patient's own time zone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Patient
from aftercare.tracking.instruments import INSTRUMENTS, Instrument
from aftercare.tracking.models import ScaleResponse
from aftercare.tracking.summaries import DaySummary, day_summaries
from aftercare.tracking.texts import band_label
from aftercare.treatment.models import Infusion

# WeasyPrint reports every rendering step at INFO; only its warnings belong in the logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PERIODS = (30, 90, 365)  # days the patient can choose; the summary page links to each
DEFAULT_PERIOD = 90


@dataclass
class ScaleSection:
    instrument: Instrument
    rows: list[tuple[ScaleResponse, str]]  # newest first, with the band's label
    svg: str
    latest: ScaleResponse | None
    latest_band: str


@dataclass
class Summary:
    patient: Patient
    days: int
    start: datetime
    end: datetime
    mood_days: list[DaySummary]  # newest first
    mood_svg: str
    scales: list[ScaleSection]
    infusions: list[datetime]  # newest first
    latest: list[tuple[Instrument, ScaleResponse, str]] = field(default_factory=list)


def summary_for(patient: Patient, *, days: int, now: datetime | None = None) -> Summary:
    # altair and the Vega renderer take a second or two to import: only charts need them.
    from aftercare.tracking import charts

    end = now or timezone.now()
    start = end - timedelta(days=days)
    tz = patient.tz
    mood_days = day_summaries(patient.check_ins.filter(submitted_at__gte=start))
    infusions = sorted(
        i.started_at or i.scheduled_at
        for i in patient.infusions.filter(status=Infusion.Status.COMPLETED)
        if start <= (i.started_at or i.scheduled_at) <= end
    )
    mood_svg = ""
    if mood_days:
        spec = charts.mood_chart(mood_days, infusions, tz)
        mood_svg = charts.render_svg(
            spec,
            title=_("Your mood over time"),
            description=spec.get("description", ""),
            element_id="mood-chart",
        )
    scales: list[ScaleSection] = []
    latest: list[tuple[Instrument, ScaleResponse, str]] = []
    for definition in INSTRUMENTS.values():
        every = patient.scale_responses.filter(instrument=definition.key)
        newest = every.order_by("-taken_at").first()
        if newest is not None:
            latest.append((definition, newest, band_label(definition.band_for(newest.total))))
        responses = list(every.filter(taken_at__gte=start).order_by("taken_at"))
        if not responses:
            continue
        spec = charts.scale_chart(
            definition, [(r.taken_at, r.total) for r in responses], infusions, tz
        )
        scales.append(
            ScaleSection(
                instrument=definition,
                rows=[(r, band_label(definition.band_for(r.total))) for r in reversed(responses)],
                svg=charts.render_svg(
                    spec,
                    title=_("%(name)s scores over time") % {"name": definition.name},
                    description=spec.get("description", ""),
                    element_id=f"{definition.key}-chart",
                ),
                latest=responses[-1],
                latest_band=band_label(definition.band_for(responses[-1].total)),
            )
        )
    return Summary(
        patient=patient,
        days=days,
        start=start,
        end=end,
        mood_days=list(reversed(mood_days)),
        mood_svg=mood_svg,
        scales=scales,
        infusions=list(reversed(infusions)),
        latest=latest,
    )


def render_pdf(summary: Summary) -> bytes:
    """The summary as a PDF. Raises ImportError/OSError when WeasyPrint cannot load Pango."""
    from weasyprint import CSS, HTML  # imported here: loading Pango takes a moment

    context: dict[str, Any] = {"summary": summary}
    with timezone.override(summary.patient.tz):
        html = render_to_string("tracking/summary_pdf.html", context)
    css_path = finders.find("tracking/summary.css")
    stylesheets = [CSS(filename=css_path)] if css_path else []
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(stylesheets=stylesheets)
