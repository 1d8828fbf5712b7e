"""Benchmark: peak memory of the de-identified outcome CSV (reports/deidentified.py) as data grows.

Run: ``uv run python bench/deidentified_memory.py [--sizes 100,300,1000] [--days 365]``. For each
size, one subprocess builds a throw-away SQLite clinic of N patients, each with a year of daily
check-ins, a PHQ-9 and a GAD-7 every 14 days and 12 completed infusions; a fresh subprocess then
consumes the streamed CSV line by line (as the StreamingHttpResponse does) and reports the peak of
Python allocations (tracemalloc). Streamed, the peak stays flat while the output grows. Numbers go
into docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time

from memory_data import build, setup  # bench/ is the script's folder


def export() -> dict:
    import tracemalloc

    from aftercare.accounts.models import Clinic
    from aftercare.reports.deidentified import csv_lines

    clinic = Clinic.objects.get(slug="bench")
    tracemalloc.start()
    started = time.perf_counter()
    size = lines = 0
    for line in csv_lines(clinic):
        size += len(line)
        lines += 1
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"rows": lines - 1, "output_mb": size / 1e6, "seconds": seconds,
            "tracemalloc_peak_mb": peak / 1e6}  # fmt: skip


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
    print("| patients | rows | CSV (MB) | seconds | peak Python allocations (MB) |")
    print("|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="aftercare-bench-") as data_dir:
            print(f"building {size} patients…", file=sys.stderr)
            run("--build", str(size), "--days", str(args.days), "--data-dir", data_dir)
            result = json.loads(run("--export", "--data-dir", data_dir))
            print(
                f"| {size:,} | {result['rows']:,} | {result['output_mb']:.1f} | "
                f"{result['seconds']:.1f} | {result['tracemalloc_peak_mb']:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
