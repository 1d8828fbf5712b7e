"""Benchmark: peak memory of the FHIR NDJSON export (``aftercare export fhir``) as data grows.

Run: ``uv run python bench/export_memory.py [--sizes 100,300,1000] [--days 365]``. For each
size, one subprocess builds a throw-away SQLite clinic of N patients, each with a year of daily
check-ins (one mood Observation each), a PHQ-9 and a GAD-7 every 14 days and 12 completed
infusions; a fresh subprocess then exports it and reports the peak of Python allocations during
the export (tracemalloc) and the process's peak resident size (ru_maxrss, including Django
itself). Streamed, both stay flat while the output grows with the data. Numbers go into
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from memory_data import build, setup  # bench/ is the script's folder


def export() -> dict:
    import tracemalloc

    from aftercare.interop.fhir_export import export_ndjson

    out = Path(tempfile.mkdtemp(prefix="aftercare-fhir-"))
    tracemalloc.start()
    started = time.perf_counter()
    result = export_ndjson(out)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = sum(path.stat().st_size for path in result.files)
    for path in result.files:
        path.unlink()
    return {
        "patients": result.patients,
        "resources": sum(result.counts.values()),
        "output_mb": size / 1e6,
        "seconds": seconds,
        "tracemalloc_peak_mb": peak / 1e6,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
    }


def run(*args: str) -> str:
    done = subprocess.run(  # noqa: S603 - this very script
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--export", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build is not None:
        setup(args.data_dir)
        build(args.build, args.days)
        return
    if args.export:
        setup(args.data_dir)
        print(json.dumps(export()))
        return
    print("| patients | resources | NDJSON | export time | tracemalloc peak | max RSS |")
    print("|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        data_dir = tempfile.mkdtemp(prefix="aftercare-bench-")
        run("--build", str(size), "--days", str(args.days), "--data-dir", data_dir)
        row = json.loads(run("--export", "--data-dir", data_dir))
        print(
            f"| {row['patients']:,} | {row['resources']:,} | {row['output_mb']:.0f} MB "
            f"| {row['seconds']:.0f} s | {row['tracemalloc_peak_mb']:.1f} MB "
            f"| {row['maxrss_mb']:.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
