"""Outcome charts: one declarative Vega-Lite spec each (built with altair), rendered to SVG on the
server by ``tracking.charts.render_svg``. Every chart has a table with the same numbers beside it.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

import altair as alt
import numpy as np
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from aftercare.insights.survival import KaplanMeier
from aftercare.tracking.charts import render_svg

WIDTH = 320
HEIGHT = 180
LINE = "#0b5cad"  # site accent, 6.9:1 on white
SECOND = "#7a2e8e"  # 8:1 on white, always drawn dashed (never colour alone)
BAND = "#b9cfe6"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


_SPECS: OrderedDict[str, dict] = OrderedDict()
SPECS_MAX = 256


def _plain(value: Any) -> Any:
    """JSON for the arguments of a chart builder (the key of its cache)."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot key a chart on {type(value).__name__}")


def remembered(build: Callable[..., dict]) -> Callable[..., dict]:
    """Build a spec once per distinct input and language: building one with altair costs tens
    of milliseconds, and the dashboard draws the same charts until its numbers change."""

    @functools.wraps(build)
    def cached(*args: Any, **kwargs: Any) -> dict:
        key = json.dumps(
            [build.__name__, args, kwargs, get_language()], default=_plain, sort_keys=True
        )
        spec = _SPECS.get(key)
        if spec is None:
            spec = _SPECS[key] = build(*args, **kwargs)
            while len(_SPECS) > SPECS_MAX:
                _SPECS.popitem(last=False)
        _SPECS.move_to_end(key)
        return copy.deepcopy(spec)

    return cached


def _finish(chart: Any, description: str) -> dict:
    spec = chart.properties(
        width=WIDTH,
        height=HEIGHT,
        description=description,
        padding={"left": 24, "right": 8, "top": 8, "bottom": 8},
    ).configure(
        font=FONT,
        aria=False,  # the <svg> carries one name and description; the marks stay silent
        axis={"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1b1f24"},
        legend={"orient": "bottom", "title": None, "labelFontSize": 12},
        view={"stroke": None},
    )
    return spec.to_dict(validate=False)


def _noon(day: date) -> str:
    return datetime.combine(day, time(12)).isoformat(timespec="minutes") + "Z"


@remembered
def survival_chart(curve: KaplanMeier) -> dict:
    """Kaplan–Meier step curve (share still responding, %) with its 95 % band."""
    rows: list[dict[str, Any]] = [{"day": 0.0, "pct": 100.0, "lo": 100.0, "hi": 100.0}]
    for t, s, lo, hi in zip(curve.times, curve.survival, curve.lower, curve.upper, strict=True):
        rows.append(
            {
                "day": float(t),
                "pct": round(100 * float(s), 1),
                "lo": None if np.isnan(lo) else round(100 * float(lo), 1),
                "hi": None if np.isnan(hi) else round(100 * float(hi), 1),
            }
        )
    data = alt.Data(values=rows)
    x = alt.X("day:Q", title=_("Days since response was confirmed"))
    y_scale = alt.Scale(domain=[0, 100])
    band = (
        alt.Chart(data)
        .mark_area(interpolate="step-after", color=BAND, opacity=0.6)
        .encode(x=x, y=alt.Y("lo:Q", scale=y_scale), y2="hi:Q")
    )
    line = (
        alt.Chart(data)
        .mark_line(interpolate="step-after", color=LINE, strokeWidth=2)
        .encode(x=x, y=alt.Y("pct:Q", scale=y_scale, title=_("Still responding (%)")))
    )
    return _finish(
        alt.layer(band, line),
        _("Share of responders still responding by days since response, with a 95% band."),
    )


@remembered
def bar_chart(rows: Sequence[tuple[str, float]], *, axis_title: str, description: str) -> dict:
    """Horizontal bars: (label, value) in the order given."""
    data = alt.Data(values=[{"label": label, "value": value} for label, value in rows])
    chart = (
        alt.Chart(data)
        .mark_bar(color=LINE)
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=130)),
            x=alt.X("value:Q", title=axis_title),
        )
    )
    return _finish(chart, description)


@remembered
def histogram_chart(days: Sequence[int], *, bin_days: int = 7) -> dict:
    """Counts of booster intervals per ``bin_days``-day bin."""
    rows = histogram(days, bin_days)
    data = alt.Data(values=[{"from": lo, "to": hi, "count": n} for lo, hi, n in rows])
    chart = (
        alt.Chart(data)
        .mark_bar(color=LINE)
        .encode(
            x=alt.X("from:Q", title=_("Days between treatments"), bin="binned"),
            x2="to:Q",
            y=alt.Y("count:Q", title=_("Intervals")),
        )
    )
    return _finish(chart, _("How many days passed between treatments after the series."))


def histogram(days: Sequence[int], bin_days: int = 7) -> list[tuple[int, int, int]]:
    """(from, to, count) per bin covering ``days``; empty when there are none."""
    if not days:
        return []
    top = (max(days) // bin_days + 1) * bin_days
    edges = np.arange(0, top + bin_days, bin_days)
    counts, _edges = np.histogram(days, bins=edges)
    return [(int(lo), int(lo + bin_days), int(n)) for lo, n in zip(edges[:-1], counts, strict=True)]


@remembered
def mood_chart(
    days: Sequence[date],
    moods: Sequence[float | None],
    smooth: Sequence[float | None],
    *,
    baseline: float | None,
    infusions: Sequence[date],
) -> dict:
    """Daily mood (points), its 7-day mean (line), the baseline (dotted) and infusions (dashed)."""
    daily, mean, base_label, inf_label = (
        _("Daily mood"),
        _("7-day mean"),
        _("Baseline"),
        _("Infusion"),
    )
    mood_rows = [
        {"at": _noon(d), "mood": m, "what": daily}
        for d, m in zip(days, moods, strict=True)
        if m is not None
    ]
    mean_rows = [
        {"at": _noon(d), "mean": s, "what": mean}
        for d, s in zip(days, smooth, strict=True)
        if s is not None
    ]
    x = alt.X(
        "at:T",
        title=None,
        scale=alt.Scale(type="utc", nice=False),
        axis=alt.Axis(format="%-d %b", labelOverlap=True, tickCount=5, grid=False),
    )
    y_scale = alt.Scale(domain=[1, 10])
    domain = [daily, mean, base_label, inf_label]
    colour = alt.Color("what:N", scale=alt.Scale(domain=domain, range=[LINE, LINE, SECOND, SECOND]))
    points = (
        alt.Chart(alt.Data(values=mood_rows))
        .mark_point(filled=True, size=25, opacity=0.6)
        .encode(x=x, y=alt.Y("mood:Q", scale=y_scale, title=_("Mood (1–10)")), color=colour)
    )
    line = (
        alt.Chart(alt.Data(values=mean_rows))
        .mark_line(strokeWidth=2)
        .encode(x=x, y=alt.Y("mean:Q", scale=y_scale), color=colour)
    )
    layers = [points, line]
    if baseline is not None:
        base = alt.Chart(alt.Data(values=[{"y": round(baseline, 1), "what": base_label}]))
        layers.append(
            base.mark_rule(strokeDash=[2, 2], strokeWidth=1.5).encode(y="y:Q", color=colour)
        )
    if infusions:
        rules = alt.Chart(alt.Data(values=[{"at": _noon(d), "what": inf_label} for d in infusions]))
        layers.append(
            rules.mark_rule(strokeDash=[4, 3], strokeWidth=1).encode(x="at:T", color=colour)
        )
    return _finish(
        alt.layer(*layers),
        _("Daily mood with its 7-day mean, the baseline and the infusions."),
    )


@lru_cache(maxsize=256)
def _svg(spec_json: str, title: str, description: str, element_id: str, language: str) -> str:
    del language  # part of the cache key: render_svg localises by the active language
    return render_svg(
        json.loads(spec_json), title=title, description=description, element_id=element_id
    )


def svg(spec: dict, *, title: str, description: str = "", element_id: str = "chart") -> str:
    """``render_svg`` with a cache: the same spec (same data) is drawn once."""
    return _svg(
        json.dumps(spec, sort_keys=True), title, description, element_id, get_language() or "en"
    )
