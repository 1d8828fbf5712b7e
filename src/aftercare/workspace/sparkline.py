"""A tiny inline SVG of the last days' daily mood, drawn on the server (no JavaScript).

Mood is the 1–10 daily check-in scale (docs/tracking.md); days without a check-in leave a gap.
The picture is decorative next to its text alternative, which names every value.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 112
HEIGHT = 28
PAD = 3
LINE = "#0b5cad"  # site accent, 6.9:1 on white


def _y(mood: float) -> float:
    return round(PAD + (10 - mood) / 9 * (HEIGHT - 2 * PAD), 1)


def sparkline(values: Sequence[float | None]) -> SafeString:
    """SVG plus a visually hidden sentence listing the values, oldest first."""
    n = len(values)
    if not n or all(v is None for v in values):
        return format_html('<span class="spark-empty">{}</span>', _("no check-ins"))
    step = (WIDTH - 2 * PAD) / max(n - 1, 1)
    segments: list[list[str]] = [[]]
    dots = []
    for i, value in enumerate(values):
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        x, y = round(PAD + i * step, 1), _y(value)
        segments[-1].append(f"{x},{y}")
        dots.append(f'<circle cx="{x}" cy="{y}" r="1.6"/>')
    lines = "".join(
        f'<polyline points="{" ".join(points)}"/>' for points in segments if len(points) > 1
    )
    svg = (
        f'<svg class="spark" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' aria-hidden="true" focusable="false"><g fill="none" stroke="{LINE}"'
        f' stroke-width="1.5">{lines}</g><g fill="{LINE}">{"".join(dots)}</g></svg>'
    )
    words = ", ".join("–" if v is None else f"{v:g}" for v in values)
    text = _("Daily mood, last %(n)s days, oldest first: %(values)s") % {"n": n, "values": words}
    return mark_safe(svg) + format_html('<span class="visually-hidden">{}</span>', text)  # noqa: S308
