"""Benchmark: peak memory of the de-identified outcome CSV (reports/deidentified.py) as data grows.

Run: ``uv run python bench/deidentified_memory.py [--sizes 100,300,1000] [--days 365]``. For each
size, one subprocess builds a throw-away SQLite clinic of N patients, each with a year of daily
check-ins, a PHQ-9 and a GAD-7 every 14 days and 12 completed infusions; a fresh subprocess then
consumes the streamed CSV line by line (as the StreamingHttpResponse does) and reports the peak of
Python allocations (tracemalloc). Streamed, the peak stays flat while the output grows. Numbers go
into docs/performance.md.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time

from memory_data import parse_args, run_child, serve_as_child  # bench/ is the script's folder


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


def main() -> None:
    args = parse_args(__doc__)
    if serve_as_child(args, export):
        return
    print("| patients | rows | CSV (MB) | seconds | peak Python allocations (MB) |")
    print("|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="aftercare-bench-") as data_dir:
            print(f"building {size} patients…", file=sys.stderr)
            run_child(
                __file__, "--build", str(size), "--days", str(args.days), "--data-dir", data_dir
            )
            result = json.loads(run_child(__file__, "--export", "--data-dir", data_dir))
            print(
                f"| {size:,} | {result['rows']:,} | {result['output_mb']:.1f} | "
                f"{result['seconds']:.1f} | {result['tracemalloc_peak_mb']:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
