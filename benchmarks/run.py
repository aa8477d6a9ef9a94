"""Time the pipeline stage by stage on generated workbooks of N rows.

    python benchmarks/run.py --rows 10000 100000 300000 1048575

Each size is generated once (seeded) into benchmarks/data/, then run in a fresh
process so peak memory belongs to that size alone. Prints a table: seconds per stage
(read, normalise, validate, dedupe, segment, write workbook, write report), total,
and the process's peak RSS. Use --repeat for medians of several runs.
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
STAGES = ["read", "normalise", "validate", "identify", "dedupe", "segment", "assemble", "workbook", "report"]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_once(path: Path, out: Path) -> dict:
    """One pipeline run in this process; seconds per stage and peak memory."""
    import pandas as pd

    from sheetkit import PipelineConfig, load_schema, read_sources, run_pipeline
    from sheetkit import output
    from sheetkit.resources import default_schema_path

    t0 = time.perf_counter()
    sources = read_sources([path])
    t_read = time.perf_counter() - t0
    result = run_pipeline(sources.take_grids(), load_schema(default_schema_path()), PipelineConfig(),
                          pd.Timestamp("2024-12-31"), sources.files)
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
    return {"timings": timings, "peak_mib": _peak_mib(), "customers": len(result.customers),
            "rows": len(result.lineage)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # child process: run one file
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_once(args.one, DATA / f"out-{args.one.stem}")))
        return
    DATA.mkdir(exist_ok=True)
    rows_out = []
    for n in args.rows:
        path = DATA / f"customers_{n}.xlsx"
        if not path.exists():
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--rows", str(n), "--out", str(path),
                            "--quiet"], check=True)
        runs = []
        for _ in range(args.repeat):
            proc = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True)
            if proc.returncode:
                sys.exit(proc.stderr)
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        med = {k: statistics.median(r["timings"].get(k, 0) for r in runs) for k in STAGES + ["total"]}
        rows_out.append((n, med, statistics.median(r["peak_mib"] for r in runs), runs[0]["customers"]))
    header = f"{'rows':>10} " + " ".join(f"{s:>9}" for s in STAGES) + f" {'total s':>8} {'peak MiB':>9} {'customers':>10}"
    print(header)
    for n, med, peak, customers in rows_out:
        print(f"{n:>10,} " + " ".join(f"{med[s]:>9.2f}" for s in STAGES) + f" {med['total']:>8.2f} {peak:>9,.0f} {customers:>10,}")


if __name__ == "__main__":
    main()
