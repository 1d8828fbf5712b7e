"""Benchmark: classify 100,000 simulated patient series of 90 daily moods on one core.

Run: ``uv run python bench/insights_classify.py [--patients N]``. Prints the classifier's best
time of several runs and its ratio to a numpy lower bound: one pass over the same array
(``mood.sum(axis=1)``). Numbers go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import os

for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[name] = "1"

import time  # noqa: E402

import numpy as np  # noqa: E402

from aftercare.insights.trajectory import baseline_mood, classify  # noqa: E402
from aftercare.insights.validation import simulate_series  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cohort = simulate_series(args.patients, seed=1, missing=0.3)
    mood = np.ascontiguousarray(cohort.mood)
    base = baseline_mood(mood, cohort.first)

    def run() -> None:
        classify(mood, base, cohort.start, cohort.end, cohort.first, peak_from=cohort.peak_from)

    def lower_bound() -> None:
        mood.sum(axis=1)

    t_classify = best(run, args.repeat)
    t_baseline = best(lambda: baseline_mood(mood, cohort.first), args.repeat)
    t_bound = best(lower_bound, max(args.repeat, 20))
    n, days = mood.shape
    print(f"{n} series x {days} days, {np.isnan(mood).mean():.0%} missing, one core")
    print(f"classify:       {t_classify:.3f} s  ({t_classify / n * 1e6:.2f} us per series)")
    print(f"baseline_mood:  {t_baseline:.3f} s")
    print(f"lower bound:    {t_bound:.4f} s  (one pass: mood.sum(axis=1))")
    print(f"ratio:          {t_classify / t_bound:.1f}x the lower bound")


if __name__ == "__main__":
    main()
