"""Time the weekly loop on a generated workbook: a first run, then the same input again with
the first run's output as the previous run.

    python benchmarks/weekly.py --rows 100000

Prints seconds per stage for both runs, how long reading the previous output takes, the
size of the Provenance and Decisions sheets, and whether the second run gave every
record the same customer (it must: unchanged inputs give identical IDs and clusters).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--data", type=Path, help="an existing workbook instead of a generated one")
    args = parser.parse_args()

    import pandas as pd

    from sheetkit import PipelineConfig, load_schema, read_sources, run_pipeline, write_outputs
    from sheetkit.history import read_previous
    from sheetkit.resources import default_schema_path

    path = args.data or DATA / f"customers_{args.rows}.xlsx"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--rows", str(args.rows), "--out", str(path),
                        "--quiet"], check=True)
    out = DATA / f"weekly-{path.stem}"
    schema, config, as_of = load_schema(default_schema_path()), PipelineConfig(), pd.Timestamp("2024-12-31")
    sources = read_sources([path])

    first = run_pipeline(sources.grids, schema, config, as_of, sources.files)
    t = time.perf_counter()
    write_outputs(first, out)
    wrote = time.perf_counter() - t
    t = time.perf_counter()
    previous = read_previous(out)
    read = time.perf_counter() - t
    second = run_pipeline(sources.grids, schema, config, as_of, sources.files, previous=previous)

    print(f"{len(first.lineage):,} rows, {len(first.customers):,} customers")
    print(f"{'stage':<12}{'first s':>10}{'again s':>10}")
    for stage in first.timings:
        print(f"{stage:<12}{first.timings[stage]:>10.1f}{second.timings[stage]:>10.1f}")
    print(f"write outputs {wrote:.1f} s; read the previous output {read:.1f} s")
    print(f"Provenance rows {len(first.provenance):,}; Decisions rows {len(second.decisions):,}")
    same = first.lineage["customer_id"].fillna("").equals(second.lineage["customer_id"].fillna(""))
    print(f"same customer IDs on every row: {same}; ID changes: {len(second.id_changes):,}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
