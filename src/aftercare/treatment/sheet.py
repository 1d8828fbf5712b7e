"""The personalised discharge sheet: one context for the HTML page, the PDF and the driver's page.

Times on the sheet are clinic time, with the zone named, because the appointments are at the
clinic. The PDF comes from the same template through WeasyPrint (it needs Pango from the system:
Debian packages libpango-1.0-0, libpangoft2-1.0-0 and libharfbuzz-subset0, plus a font such as
fonts-dejavu-core).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from aftercare.accounts.models import Clinic, Patient
from aftercare.treatment import wording
from aftercare.treatment.models import Discharge, Infusion

# WeasyPrint reports every rendering step at INFO; only its warnings belong in the logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Sheet:
    patient: Patient
    clinic: Clinic
    infusion: Infusion
    discharge: Discharge | None
    next_appointment: Infusion | None
    companion_url: str
    qr_svg: SafeString
    words: Any = wording


def next_appointment(infusion: Infusion, now: datetime) -> Infusion | None:
    after = max(now, infusion.ended_at or infusion.scheduled_at)
    return (
        infusion.patient.infusions.filter(status=Infusion.Status.SCHEDULED, scheduled_at__gt=after)
        .order_by("scheduled_at")
        .first()
    )


def qr_svg(url: str) -> SafeString:
    """An inline SVG QR code of ``url``, labelled for screen readers."""
    label = escape(_("QR code for %(url)s") % {"url": url})
    svg = segno.make(url, error="m").svg_inline(scale=3, svgclass="qr", omitsize=True)
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308


def sheet_for(infusion: Infusion, now: datetime) -> Sheet:
    patient = infusion.patient
    url = settings.SITE_URL + reverse("patient_home")
    return Sheet(
        patient=patient,
        clinic=patient.clinic,
        infusion=infusion,
        discharge=getattr(infusion, "discharge", None),
        next_appointment=next_appointment(infusion, now),
        companion_url=url,
        qr_svg=qr_svg(url),
    )


def render_pdf(sheet: Sheet) -> bytes:
    """The sheet as a PDF (A4/Letter-neutral margins), in the clinic's time zone."""
    from weasyprint import CSS, HTML  # imported here: loading Pango takes a moment

    with timezone.override(sheet.clinic.tz):
        html = render_to_string("treatment/sheet_pdf.html", {"sheet": sheet})
    css_path = finders.find("treatment/sheet.css")
    stylesheets = [CSS(filename=css_path)] if css_path else []
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(stylesheets=stylesheets)
