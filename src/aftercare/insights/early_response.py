"""Did the patient's daily mood clearly rise in the emergence window after an infusion?"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Project default, not a published threshold: daily mood (1-10) has no validated MCID. It is set
# near a fifth of the scale, in line with the ~20 % patient-anchored MCID of PHQ-9 (CLINICAL.md
# §1.1, Kounali 2022). Callers may pass another value.
CLEAR_RISE_POINTS = 1.5
MIN_BASELINE_DAYS = 3
MIN_WINDOW_DAYS = 2


@dataclass(frozen=True)
class EarlyResponse:
    clear: bool | None  # None: not enough data to say
    baseline_mean: float | None  # mean daily mood (1-10) before the first infusion
    window_mean: float | None  # mean daily mood (1-10) on days 1-3 after the infusion


def early_response(
    baseline_moods: Sequence[float],
    window_moods: Sequence[float],
    *,
    clear_rise: float = CLEAR_RISE_POINTS,
) -> EarlyResponse:
    """Compare daily moods (one value per local day, 1-10) on days 1-3 with the baseline.

    ``baseline_moods``: daily moods in the week before the first infusion of the course.
    ``window_moods``: daily moods on local days 1, 2 and 3 after the latest infusion.
    A rise of at least ``clear_rise`` points counts as a clear early response (article: "Days
    1-3: The Emergence Window", peak response usually by ~72 h).
    """
    if len(baseline_moods) < MIN_BASELINE_DAYS or len(window_moods) < MIN_WINDOW_DAYS:
        return EarlyResponse(None, _mean(baseline_moods), _mean(window_moods))
    baseline, window = float(np.mean(baseline_moods)), float(np.mean(window_moods))
    return EarlyResponse(window - baseline >= clear_rise, baseline, window)


def _mean(values: Sequence[float]) -> float | None:
    return float(np.mean(values)) if len(values) else None
