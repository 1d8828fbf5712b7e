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

import json
import resource
import tempfile
import time
from pathlib import Path

from memory_data import parse_args, run_child, serve_as_child  # bench/ is the script's folder


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


def main() -> None:
    args = parse_args(__doc__)
    if serve_as_child(args, export):
        return
    print("| patients | resources | NDJSON | export time | tracemalloc peak | max RSS |")
    print("|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        data_dir = tempfile.mkdtemp(prefix="aftercare-bench-")
        run_child(__file__, "--build", str(size), "--days", str(args.days), "--data-dir", data_dir)
        row = json.loads(run_child(__file__, "--export", "--data-dir", data_dir))
        print(
            f"| {row['patients']:,} | {row['resources']:,} | {row['output_mb']:.0f} MB "
            f"| {row['seconds']:.0f} s | {row['tracemalloc_peak_mb']:.1f} MB "
            f"| {row['maxrss_mb']:.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
