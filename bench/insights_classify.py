"""Benchmark: classify 100,000 simulated patient series of 90 daily moods on one core.

Run: ``uv run python bench/insights_classify.py [--patients N] [--repeat R]``. Prints the
classifier's median (and best) time of several runs and the ratio of the medians to a numpy lower
bound: one pass over the same array giving one number per patient. Three such passes are timed
and the fastest is the bound: ``mood.sum(axis=1)`` (pays numpy's per-row reduction set-up
100,000 times), ``np.einsum("ij->i", mood)`` and ``mood @ ones`` (BLAS); which one wins depends
on the CPU. Which BLAS kernel numpy uses is printed too.
Wall-clock and CPU time (``time.process_time``) are both shown: on a busy machine the short
lower bound's wall time is inflated by preemption far more than the classifier's, so the CPU
ratio is the steadier one. Numbers go into docs/performance.md.
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


def timed(fn, repeat: int, clock=time.perf_counter) -> tuple[float, float]:
    """(median, best) time of ``repeat`` runs by ``clock``, in seconds."""
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return float(np.median(times)), min(times)


def cpu_model() -> str:
    """The CPU's model name (Linux), for the record next to the numbers."""
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cohort = simulate_series(args.patients, seed=1, missing=0.3)
    mood = np.ascontiguousarray(cohort.mood)
    base = baseline_mood(mood, cohort.first)

    def run() -> None:
        classify(mood, base, cohort.start, cohort.end, cohort.first, peak_from=cohort.peak_from)

    ones = np.ones(mood.shape[1])
    passes = {
        "mood.sum(axis=1)": lambda: mood.sum(axis=1),
        'np.einsum("ij->i", mood)': lambda: np.einsum("ij->i", mood),
        "mood @ ones": lambda: mood @ ones,
    }

    t_classify, b_classify = timed(run, args.repeat)
    t_baseline, _ = timed(lambda: baseline_mood(mood, cohort.first), args.repeat)
    c_classify, _ = timed(run, args.repeat, time.process_time)
    reps = max(args.repeat, 21)
    wall = {name: timed(fn, reps) for name, fn in passes.items()}
    cpu = {name: timed(fn, reps, time.process_time)[0] for name, fn in passes.items()}
    fastest = min(cpu, key=cpu.__getitem__)
    t_bound, b_bound = wall[fastest]
    c_bound = cpu[fastest]
    n, days = mood.shape
    blas = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_CORE")}
    blas |= {k: v for k, v in os.environ.items() if k == "OPENBLAS_L2_SIZE"}
    try:
        from threadpoolctl import threadpool_info

        kernels = [f"{i.get('internal_api')} {i.get('architecture')}" for i in threadpool_info()]
    except ImportError:
        kernels = ["(threadpoolctl not installed)"]
    print(f"{n} series x {days} days, {np.isnan(mood).mean():.0%} missing, one core")
    print(f"CPU: {cpu_model()}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"BLAS: {', '.join(kernels)}; env {blas or 'no OPENBLAS_CORETYPE/L2_SIZE'}")
    print(f"classify:       median {t_classify:.3f} s, best {b_classify:.3f} s", end="")
    print(f"  ({t_classify / n * 1e6:.2f} us per series)")
    print(f"baseline_mood:  median {t_baseline:.3f} s")
    for name in passes:
        ratio = c_classify / cpu[name]
        print(f"one pass:       CPU median {cpu[name]:.4f} s, {ratio:.1f}x  ({name})")
    print(f"lower bound:    median {t_bound:.4f} s, best {b_bound:.4f} s  ({fastest})")
    print(f"ratio:          {t_classify / t_bound:.1f}x the lower bound (medians)")
    print(f"CPU time:       classify {c_classify:.3f} s, lower bound {c_bound:.4f} s", end="")
    print(f"  ({c_classify / c_bound:.1f}x, medians)")


if __name__ == "__main__":
    main()
