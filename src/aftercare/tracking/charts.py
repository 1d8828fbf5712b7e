"""Trend charts as declarative Vega-Lite specs (built with altair), rendered to SVG on the server.

Each ``*_chart`` function returns a plain spec dict, so the same chart can go into a web page
(``render_svg``) or a PDF later. No JavaScript reaches the browser.

Times are drawn as the patient's wall clock: every timestamp is converted to the patient's zone
and passed on as if it were UTC, and the time scale is a UTC scale, so the renderer's own zone
never shifts a point to another day.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import altair as alt
import vl_convert
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from aftercare.tracking.instruments import Instrument
from aftercare.tracking.summaries import DaySummary

# CSS pixels of the plot area: with axes and legend the picture is about 300 px wide, the width
# of a 360 px phone screen's card, so text is drawn near its nominal size there.
WIDTH = 250
HEIGHT = 170
LINE = "#0b5cad"  # site accent, 6.9:1 on white
INFUSION = "#7a2e8e"  # 8:1 on white; drawn dashed so it never depends on colour alone
BAND_SHADES = ("#f4f6f8", "#e9edf1", "#dde3e9", "#d1d9e0", "#c5cfd8", "#b9c5cf")

_VEGA_LOCALES = {"es": "es-ES", "en": "en-US"}


def _wall(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).replace(tzinfo=None).isoformat(timespec="minutes") + "Z"


def _noon(day: date) -> str:
    return datetime.combine(day, time(12)).isoformat(timespec="minutes") + "Z"


def _infusion_layer(infusions: Sequence[datetime], tz: ZoneInfo, label: str) -> alt.Chart:
    data = alt.Data(values=[{"at": _wall(at, tz), "what": label} for at in infusions])
    return (
        alt.Chart(data)
        .mark_rule(strokeWidth=1.5)
        .encode(x=alt.X("at:T"), stroke=alt.Stroke("what:N"), strokeDash=alt.StrokeDash("what:N"))
    )


def _series_encodings(series: str, infusion_label: str) -> dict:
    """One legend for both: the data series as a solid line, infusions as dashed rules."""
    domain = [series, infusion_label]
    return {
        "stroke": alt.Stroke("what:N", scale=alt.Scale(domain=domain, range=[LINE, INFUSION])),
        "strokeDash": alt.StrokeDash(
            "what:N", scale=alt.Scale(domain=domain, range=[[1, 0], [4, 3]])
        ),
    }


def _time_axis() -> alt.X:
    return alt.X(
        "at:T",
        title=None,
        scale=alt.Scale(type="utc", nice=False),
        axis=alt.Axis(format="%-d %b", labelOverlap=True, tickCount=5, grid=False),
    )


def _finish(chart: alt.LayerChart | alt.FacetChart, description: str) -> dict:
    spec = chart.properties(width=WIDTH, height=HEIGHT, description=description).configure(
        font="system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        aria=False,  # the <svg> carries one name and description; the marks stay silent
        legend={
            "orient": "bottom",
            "title": None,
            "labelFontSize": 13,
            "columnPadding": 16,
            "symbolType": "stroke",
            "symbolStrokeWidth": 2,
            "symbolSize": 300,
        },
        axis={"labelFontSize": 13, "titleFontSize": 13, "labelColor": "#1b1f24"},
        view={"stroke": None},
    )
    return spec.to_dict()


def mood_chart(days: Sequence[DaySummary], infusions: Sequence[datetime], tz: ZoneInfo) -> dict:
    """Daily mean mood (1–10, docs/tracking.md) with each infusion as a dashed vertical rule."""
    series = _("Mood, daily mean")
    infusion_label = _("Infusion")
    data = alt.Data(
        values=[
            {"at": _noon(d.day), "mood": d.mood, "what": series, "n": d.check_ins} for d in days
        ]
    )
    points = (
        alt.Chart(data)
        .mark_line(point={"size": 40, "filled": True, "fill": LINE}, strokeWidth=2)
        .encode(
            x=_time_axis(),
            y=alt.Y(
                "mood:Q",
                title=_("Mood (1–10)"),
                scale=alt.Scale(domain=[1, 10]),
                axis=alt.Axis(values=[1, 4, 7, 10]),
            ),
            **_series_encodings(series, infusion_label),
        )
    )
    layers = [points]
    if infusions:
        layers.append(_infusion_layer(infusions, tz, infusion_label))
    return _finish(alt.layer(*layers), _("Your daily mood over time, with your infusions marked."))


def scale_chart(
    instrument: Instrument,
    responses: Sequence[tuple[datetime, int]],
    infusions: Sequence[datetime],
    tz: ZoneInfo,
) -> dict:
    """Questionnaire totals over time on the instrument's full range, bands shaded behind."""
    series = _("%(name)s score") % {"name": instrument.name}
    infusion_label = _("Infusion")
    y_scale = alt.Scale(domain=[instrument.total_min, instrument.total_max])
    y_axis = alt.Axis(
        title=_("%(name)s (0–%(max)s)") % {"name": instrument.name, "max": instrument.total_max},
        values=[b.min for b in instrument.bands] + [instrument.total_max],
        labelOverlap=False,
    )
    bands = alt.Data(
        values=[
            {"low": band.min, "high": band.max + 1 if band.max < instrument.total_max else band.max}
            for band in instrument.bands
        ]
    )
    shading = (
        alt.Chart(bands)
        .mark_rect()
        .encode(
            y=alt.Y("low:Q", scale=y_scale, axis=y_axis),
            y2="high:Q",
            color=alt.Color("low:O", scale=alt.Scale(range=list(BAND_SHADES)), legend=None),
        )
    )
    data = alt.Data(
        values=[{"at": _wall(at, tz), "total": total, "what": series} for at, total in responses]
    )
    line = (
        alt.Chart(data)
        .mark_line(point={"size": 50, "filled": True, "fill": LINE}, strokeWidth=2)
        .encode(
            x=_time_axis(),
            y=alt.Y("total:Q", scale=y_scale, axis=y_axis),
            **_series_encodings(series, infusion_label),
        )
    )
    layers = [shading, line]
    if infusions:
        layers.append(_infusion_layer(infusions, tz, infusion_label))
    chart = alt.layer(*layers)
    return _finish(
        chart,
        _("Your %(name)s scores over time, with your infusions marked.")
        % {"name": instrument.name},
    )


_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
# Vega labels its groups and marks for screen readers; with one name on the whole picture (and
# the table beside it) those inner roles only add noise, and axe flags unnamed graphics-symbols.
_INNER_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label)="[^"]*"')


def render_svg(spec: dict, *, title: str, description: str = "", element_id: str = "chart") -> str:
    """SVG markup for a spec, named for assistive technology (role img, <title>, <desc>).

    External data is refused: specs carry their data inline.
    """
    language = (get_language() or "en").split("-")[0]
    locale: Any = _VEGA_LOCALES.get(language, "en-US")
    svg = vl_convert.vegalite_to_svg(
        spec, allowed_base_urls=[], format_locale=locale, time_format_locale=locale
    )
    svg = _INNER_ARIA.sub("", svg)
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    labelled = f"{title_id} {desc_id}" if description else title_id
    head = f'<title id="{title_id}">{html.escape(title)}</title>'
    if description:
        head += f'<desc id="{desc_id}">{html.escape(description)}</desc>'

    def opening(match: re.Match[str]) -> str:
        attrs = match.group(1)
        return (
            f'<svg{attrs} id="{element_id}" role="img" aria-labelledby="{labelled}"'
            f' focusable="false">{head}'
        )

    return _SVG_OPEN.sub(opening, svg, count=1)
