"""One patient's whole course for the clinician: the data and one declarative chart.

The chart is a single Vega-Lite spec (built with altair, as tracking/charts.py) rendered to SVG on
the server with ``tracking.charts.render_svg``, so the same spec can go into a PDF. Two panels
share the time axis: daily mean mood (1–10, docs/tracking.md) and PHQ-9 / GAD-7 totals; every
infusion is a dashed rule and every safety alert a mark on the mood panel. The page shows the
same data as tables (the accessible alternative).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Patient
from aftercare.careplan.models import Medication
from aftercare.insights.patient import analyse_patient
from aftercare.outcomes.explain import explanation
from aftercare.outcomes.labels import TRAJECTORY
from aftercare.outcomes.loaders import definitions_for, load_patient
from aftercare.safety.models import Alert
from aftercare.tracking.models import CheckIn, JournalEntry, ScaleResponse
from aftercare.treatment.models import Course, Infusion

RANGES = ("all", "course", "30")
MOOD = "#0b5cad"
PHQ9 = "#006d77"  # 6.1:1 on white; not the mood's blue, so the legend tells them apart
GAD7 = "#8a4b00"  # 6.3:1 on white
INFUSION = "#7a2e8e"
BOOSTER = "#a3007d"  # 7.4:1 on white
ALERT = "#b3261e"
MEDICATION = "#1d6b3a"  # 6.6:1 on white; drawn dotted, so never colour alone
WIDTH = 640


@dataclass
class TimelineData:
    start: date
    end: date
    range: str
    days: list[dict[str, Any]]
    scales: list[dict[str, Any]]
    infusions: list[Infusion]
    alerts: list[Alert]
    medications: list[dict[str, Any]]
    journal: list[JournalEntry]
    trajectory_label: str
    texts: dict[str, str]


def _noon(day: date) -> str:
    return datetime.combine(day, time(12)).isoformat(timespec="minutes") + "Z"


def _wall(at: datetime, patient: Patient) -> str:
    return at.astimezone(patient.tz).replace(tzinfo=None).isoformat(timespec="minutes") + "Z"


def timeline_data(
    patient: Patient,
    *,
    zoom: str,
    now: datetime | None = None,
    period: tuple[date, date] | None = None,
) -> TimelineData:
    """Everything the timeline shows, for a zoom of the page (``RANGES``) or, for a report, a
    given ``period`` (first and last local day)."""
    now = now or timezone.now()
    tz = patient.tz
    today = now.astimezone(tz).date()
    course = patient.courses.order_by("-started_on", "-pk").first()
    infusions = list(
        Infusion.objects.filter(patient=patient)
        .exclude(status=Infusion.Status.CANCELLED)
        .select_related("course")
        .order_by("scheduled_at")
    )
    by_day: dict[date, list[int]] = defaultdict(list)
    for day, mood in CheckIn.objects.filter(patient=patient).values_list("local_date", "mood"):
        by_day[day].append(mood)
    scales: list[dict[str, Any]] = [
        {"instrument": instrument, "total": total, "taken_at": taken_at}
        for instrument, total, taken_at in ScaleResponse.objects.filter(
            patient=patient, instrument__in=("phq9", "gad7")
        )
        .order_by("taken_at")
        .values_list("instrument", "total", "taken_at")
    ]
    alerts = list(Alert.objects.filter(patient=patient).order_by("created_at"))

    firsts = [min(by_day)] if by_day else []
    firsts += [s["taken_at"].astimezone(tz).date() for s in scales[:1]]
    firsts += [i.scheduled_at.astimezone(tz).date() for i in infusions[:1]]
    start = min(firsts, default=today - timedelta(days=29))
    if zoom == "30":
        start = today - timedelta(days=29)
    elif zoom == "course" and course is not None:
        start = course.started_on
    else:
        zoom = "all" if zoom not in RANGES else zoom
    end = today
    if period is not None:
        start, end = period
        zoom = "period"

    def inside(day: date) -> bool:
        return start <= day <= end

    days = [
        {"day": day, "mood": round(sum(m) / len(m), 1), "n": len(m)}
        for day, m in sorted(by_day.items())
        if inside(day)
    ]
    for s in scales:
        s["day"] = s["taken_at"].astimezone(tz).date()
    shown_scales = [s for s in scales if inside(s["day"])]
    shown_infusions = [
        i
        for i in infusions
        if inside((i.started_at or i.scheduled_at).astimezone(tz).date())
        and i.status == Infusion.Status.COMPLETED
    ]
    shown_alerts = [a for a in alerts if inside(a.created_at.astimezone(tz).date())]
    medications = medication_changes(patient, inside)
    journal = list(
        JournalEntry.objects.filter(patient=patient, shared_with_care_team=True).order_by(
            "written_at"
        )
    )

    definitions = definitions_for(patient.clinic)
    data = load_patient(patient, now=now, definitions=definitions)
    insight = analyse_patient(data, definitions=definitions, detail=False)
    texts = explanation(insight, definitions, [i.day for i in data.infusions])
    return TimelineData(
        start=start,
        end=end,
        range=zoom,
        days=days,
        scales=shown_scales,
        infusions=shown_infusions,
        alerts=shown_alerts,
        medications=medications,
        journal=journal,
        trajectory_label=str(TRAJECTORY[insight.trajectory.trajectory]),
        texts=texts,
    )


def medication_changes(patient: Patient, inside: Any) -> list[dict[str, Any]]:
    """Starts and stops of the care plan's medications (careplan.Medication) on days for which
    ``inside(day)`` holds, in time order; a medication without dates has no change to show."""
    started, stopped = _("Started"), _("Stopped")
    changes = []
    for med in Medication.objects.filter(patient=patient):
        for day, change in ((med.started_on, started), (med.stopped_on, stopped)):
            if day is not None and inside(day):
                changes.append(
                    {
                        "day": day,
                        "change": change,
                        "name": med.name,
                        "dose": med.dose,
                        "class": med.get_medication_class_display(),
                    }
                )
    return sorted(changes, key=lambda c: (c["day"], c["name"]))


def has_data(data: TimelineData) -> bool:
    return bool(data.days or data.scales or data.infusions or data.alerts or data.medications)


def timeline_svg(patient: Patient, data: TimelineData) -> str:
    """The timeline spec drawn to SVG, named for assistive technology: the same drawing on the
    page and in the progress report PDF. Empty when there is nothing to draw."""
    from aftercare.tracking.charts import render_svg

    if not has_data(data):
        return ""
    return render_svg(
        timeline_spec(patient, data),
        title=_("Course of %(name)s") % {"name": patient.display_name},
        description=_(
            "Daily mood (1 to 10) above, PHQ-9 and GAD-7 totals below; dashed lines are "
            "infusions and boosters, dotted lines medication changes, triangles safety alerts. "
            "The tables give the same data."
        ),
        element_id="timeline-chart",
    )


def infusion_kind(infusion: Infusion) -> str:
    course = infusion.course
    if course is not None and course.kind != Course.Kind.INDUCTION:
        return _("Booster")
    return _("Infusion")


def timeline_spec(patient: Patient, data: TimelineData) -> dict:
    """The one Vega-Lite spec: mood panel above, questionnaire panel below, shared time axis."""
    import altair as alt  # loads slowly: only when drawing

    domain = [_noon(data.start - timedelta(days=1)), _noon(data.end + timedelta(days=1))]
    x = alt.X(
        "at:T",
        title=None,
        scale=alt.Scale(type="utc", domain=domain, nice=False),
        # The page draws the labels in its own font, often wider than the one measured here:
        # room between labels, and the first and last kept inside the plot.
        axis=alt.Axis(
            format="%-d %b",
            labelOverlap=True,
            labelSeparation=16,
            labelFlush=True,
            # A label every week, or every few weeks over a longer range: at most about 7.
            tickCount={"interval": "week", "step": max(1, -(-(data.end - data.start).days // 49))},
            grid=False,
        ),
    )
    mood_label, phq_label, gad_label = _("Mood, daily mean"), "PHQ-9", "GAD-7"
    infusion_label, booster_label, alert_label = _("Infusion"), _("Booster"), _("Alert")
    medication_label = _("Medication change")
    series_domain = [
        mood_label,
        phq_label,
        gad_label,
        infusion_label,
        booster_label,
        alert_label,
        medication_label,
    ]
    colour = alt.Color(
        "what:N",
        title=None,
        scale=alt.Scale(
            domain=series_domain,
            range=[MOOD, PHQ9, GAD7, INFUSION, BOOSTER, ALERT, MEDICATION],
        ),
    )
    infusion_values = [
        {
            "at": _wall(i.started_at or i.scheduled_at, patient),
            "what": infusion_kind(i),
        }
        for i in data.infusions
    ]
    rules = (
        alt.Chart(alt.Data(values=infusion_values))
        .mark_rule(strokeWidth=1.5, strokeDash=[4, 3])
        .encode(x=x, color=colour)
    )
    medication_rules = (
        alt.Chart(
            alt.Data(
                values=[
                    {
                        "at": _noon(m["day"]),
                        "what": medication_label,
                        "label": f"{m['change']}: {m['name']}",
                    }
                    for m in data.medications
                ]
            )
        )
        .mark_rule(strokeWidth=2, strokeDash=[1, 3])
        .encode(x=x, color=colour, tooltip=alt.Tooltip("label:N"))
    )
    mood = (
        alt.Chart(
            alt.Data(
                values=[
                    {"at": _noon(d["day"]), "mood": d["mood"], "what": mood_label}
                    for d in data.days
                ]
            )
        )
        .mark_line(point={"size": 30, "filled": True}, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y(
                "mood:Q",
                title=_("Mood (1–10)"),
                scale=alt.Scale(domain=[1, 10]),
                axis=alt.Axis(values=[1, 4, 7, 10]),
            ),
            color=colour,
        )
    )
    alerts = (
        alt.Chart(
            alt.Data(
                values=[
                    {"at": _wall(a.created_at, patient), "y": 10, "what": alert_label}
                    for a in data.alerts
                ]
            )
        )
        .mark_point(shape="triangle-down", size=90, filled=True)
        .encode(x=x, y=alt.Y("y:Q", scale=alt.Scale(domain=[1, 10])), color=colour)
    )
    top = alt.layer(mood, alerts, rules, medication_rules).properties(width=WIDTH, height=170)
    scale_values = [
        {
            "at": _wall(s["taken_at"], patient),
            "total": s["total"],
            "what": phq_label if s["instrument"] == "phq9" else gad_label,
        }
        for s in data.scales
    ]
    scales = (
        alt.Chart(alt.Data(values=scale_values))
        .mark_line(point={"size": 40, "filled": True}, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y(
                "total:Q",
                title=_("Questionnaire total"),
                scale=alt.Scale(domain=[0, 27]),
                axis=alt.Axis(values=[0, 5, 10, 15, 20, 27]),
            ),
            color=colour,
            strokeDash=alt.StrokeDash(
                "what:N",
                scale=alt.Scale(domain=[phq_label, gad_label], range=[[1, 0], [6, 3]]),
                legend=None,
            ),
        )
    )
    bottom = alt.layer(scales, rules, medication_rules).properties(width=WIDTH, height=150)
    chart = alt.vconcat(top, bottom, spacing=12).properties(
        description=_(
            "Daily mood and questionnaire totals with infusions, alerts and medication changes "
            "marked."
        )
    )
    return chart.configure(
        font="system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        aria=False,
        legend={"orient": "bottom", "labelFontSize": 13, "columnPadding": 16},
        axis={"labelFontSize": 13, "titleFontSize": 13, "labelColor": "#1b1f24"},
        view={"stroke": None},
    ).to_dict()
