"""Time the pipeline stage by stage on generated workbooks of N rows.

    python benchmarks/run.py --rows 10000 100000 300000 1048575
    python benchmarks/run.py --rows 300000 --files 3   # a folder of three 300,000-row workbooks

Each size is generated once (seeded) into benchmarks/data/, then run in a fresh
process so peak memory belongs to that size alone. Prints a table: seconds per stage
(read, normalise, validate, dedupe, segment, write workbook, write report), total,
the process's peak RSS once every file is read and the peak of the whole run. Use
--repeat for medians of several runs.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
STAGES = ["read", "normalise", "validate", "identify", "dedupe", "segment", "tags", "assemble", "workbook", "report"]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_once(path: Path, out: Path) -> dict:
    """One pipeline run in this process; seconds per stage and peak memory."""
    import pandas as pd

    from sheetkit import PipelineConfig, load_schema, output, read_sources, run_pipeline
    from sheetkit.resources import default_schema_path

    t0 = time.perf_counter()
    sources = read_sources([path])
    t_read = time.perf_counter() - t0
    peaks = {}
    result = run_pipeline(sources.take_grids(), load_schema(default_schema_path()), PipelineConfig(),
                          pd.Timestamp("2024-12-31"), sources.files,
                          progress=lambda stage, rows, secs: peaks.setdefault(stage, _peak_mib()))
    timings = dict(result.timings)
    timings["read"] += t_read  # finding the files happens before run_pipeline; reading them inside it
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    output.render_report(output.build_context(result))
    timings["report"] = time.perf_counter() - t
    t = time.perf_counter()
    output.write_outputs(result, out)  # renders the report again: subtract it
    end = time.perf_counter()
    timings["workbook"] = end - t - timings["report"]
    timings["total"] = end - t0 - timings["report"]
    return {"timings": timings, "peak_mib": _peak_mib(), "read_mib": peaks["read"],
            "customers": len(result.customers),
            "rows": len(result.lineage)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--files", type=int, default=1,
                        help="run on a folder of this many workbooks of --rows rows each (other seeds)")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # child process: run one file
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_once(args.one, DATA / f"out-{args.one.stem}")))
        return
    DATA.mkdir(exist_ok=True)
    rows_out = []
    for n in args.rows:
        path = DATA / f"customers_{n}.xlsx" if args.files == 1 else DATA / f"folder_{n}x{args.files}"
        books = [path] if args.files == 1 else [path / f"part{k}.xlsx" for k in range(1, args.files + 1)]
        for seed, book in enumerate(books, start=7):  # seed 7 is generate.py's default
            if not book.exists():
                book.parent.mkdir(exist_ok=True)
                subprocess.run([sys.executable, str(HERE / "generate.py"), "--rows", str(n), "--out", str(book),
                                "--seed", str(seed), "--quiet"], check=True)
        runs = []
        for _ in range(args.repeat):
            proc = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True,
                                  check=False)  # its stderr is shown below
            if proc.returncode:
                sys.exit(proc.stderr)
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        med = {k: statistics.median(r["timings"].get(k, 0) for r in runs) for k in STAGES + ["total"]}
        rows_out.append((n * args.files, med, statistics.median(r["read_mib"] for r in runs),
                         statistics.median(r["peak_mib"] for r in runs), runs[0]["customers"]))
    header = (f"{'rows':>10} " + " ".join(f"{s:>9}" for s in STAGES)
              + f" {'total s':>8} {'read MiB':>9} {'peak MiB':>9} {'customers':>10}")
    print(header + (f"   ({args.files} files each)" if args.files > 1 else ""))
    for n, med, read_peak, peak, customers in rows_out:
        print(f"{n:>10,} " + " ".join(f"{med[s]:>9.2f}" for s in STAGES)
              + f" {med['total']:>8.2f} {read_peak:>9,.0f} {peak:>9,.0f} {customers:>10,}")


if __name__ == "__main__":
    main()
