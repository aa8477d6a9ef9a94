"""How well and how fast dedupe finds duplicates on a generated workbook with known truth.

    python benchmarks/dedupe_quality.py benchmarks/data/c100000.xlsx benchmarks/data/c100000.truth.csv

Runs read -> extract -> normalise -> validate, then times dedupe (``find_duplicates`` +
``build_customers``) and prints, against the generator's truth (``source_row,entity_id``):

* pairwise precision, recall and F1 of the clusters (a pair of rows is a true pair when the
  generator made both from one entity; rows rejected by validation are left out);
* blocking recall: the share of true pairs that are candidate pairs, and the share that
  candidate pairs connect at all (through other rows of the same entity; the bound on
  recall, since a very large block is linked as a star);
* candidate pairs, review pairs, dedupe seconds (wall and CPU: the machine may be shared)
  and the peak memory (RSS) of the process during dedupe (Linux: the high-water mark is
  reset just before it; the RSS the records already held is printed too).

``--generate N`` writes the workbook and truth first (benchmarks/data/cN.xlsx).

``--save-records FILE.parquet`` keeps the validated records; ``--records FILE.parquet`` then
starts from them, so the process holds only the dedupe stage and its input: its peak
memory is the stage's own footprint (the workbook reader's memory is not counted).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sheetkit import PipelineConfig, load_schema, read_sources  # noqa: E402
from sheetkit.resources import default_schema_path  # noqa: E402
from sheetkit.stages.dedupe import candidate_pairs, find_duplicates  # noqa: E402
from sheetkit.stages.extract import extract_sheet  # noqa: E402
from sheetkit.stages.normalize import normalize_records  # noqa: E402
from sheetkit.stages.survive import build_customers  # noqa: E402
from sheetkit.stages.validate import validate_records  # noqa: E402


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    except OSError:
        pass


def pair_count(*keys: np.ndarray) -> int:
    """Pairs of rows that agree on all keys."""
    sizes = pd.DataFrame({i: k for i, k in enumerate(keys)}).value_counts().to_numpy(dtype=np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def blocking_recall(pairs: pd.DataFrame, entity: np.ndarray) -> tuple[float, float]:
    """(share of true pairs that are candidates, share connected by true candidate pairs)."""
    left, right = pairs["left"].to_numpy(), pairs["right"].to_numpy()
    true = entity[left] == entity[right]
    total = pair_count(entity)
    n = len(entity)
    graph = coo_matrix((np.ones(int(true.sum())), (left[true], right[true])), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    return true.sum() / max(total, 1), pair_count(entity, comp) / max(total, 1)


def prepare(path: Path, config: PipelineConfig) -> pd.DataFrame:
    """Read -> extract -> normalise -> validate: the records dedupe starts from."""
    schema = load_schema(default_schema_path())
    sources = read_sources([path])
    frames = [e.records for e in (extract_sheet(g, schema, config) for g in sources.grids) if len(e.records)]
    records = normalize_records(pd.concat(frames, ignore_index=True), schema, config)
    return validate_records(records, schema).records


def measure(path: Path | None, truth_path: Path, config: PipelineConfig, records: pd.DataFrame | None = None,
            save: Path | None = None) -> dict:
    t0 = time.perf_counter()
    if records is None:
        records = prepare(path, config)
    if save:
        records.to_parquet(save)
    t_prep = time.perf_counter() - t0

    _reset_peak()
    before = _peak_mib()  # right after the reset: the RSS the records and the reader already hold
    t0, c0 = time.perf_counter(), time.process_time()
    dups = find_duplicates(records, config)
    t_find = time.perf_counter() - t0
    build_customers(records, dups)
    t_dedupe, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = _peak_mib()

    truth = pd.read_csv(truth_path).set_index("source_row")["entity_id"]
    entity = truth.reindex(records["source_row"].astype(int)).to_numpy()
    cluster = dups.cluster.to_numpy()
    true_pairs, found, correct = pair_count(entity), pair_count(cluster), pair_count(entity, cluster)
    precision, recall = correct / max(found, 1), correct / max(true_pairs, 1)
    t0 = time.perf_counter()
    candidates = candidate_pairs(records, config)
    t_blocking = time.perf_counter() - t0
    direct, connected = blocking_recall(candidates, entity)
    return {"rows": len(records), "true pairs": true_pairs, "found pairs": found,
            "precision": precision, "recall": recall, "F1": 2 * precision * recall / max(precision + recall, 1e-12),
            "blocking recall": direct, "blocking recall (connected)": connected,
            "candidate pairs": len(candidates), "candidates per row": len(candidates) / max(len(records), 1),
            "review pairs": len(dups.review), "customers": int(dups.cluster.nunique()),
            "prepare s": t_prep, "dedupe s": t_dedupe, "of which find_duplicates s": t_find, "dedupe CPU s": cpu,
            "blocking s": t_blocking, "RSS before dedupe MiB": before, "dedupe peak MiB": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path, nargs="?")
    parser.add_argument("truth", type=Path, nargs="?")
    parser.add_argument("--generate", type=int, metavar="N", help="generate N rows first (benchmarks/data/cN.xlsx)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--save-records", type=Path, metavar="FILE.parquet", help="keep the validated records")
    parser.add_argument("--records", type=Path, metavar="FILE.parquet", help="start from saved records")
    args = parser.parse_args()
    if args.generate:
        data = HERE / "data"
        data.mkdir(exist_ok=True)
        args.workbook = data / f"c{args.generate}_s{args.seed}.xlsx"
        args.truth = data / f"c{args.generate}_s{args.seed}.truth.csv"
        if not args.workbook.exists():
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--rows", str(args.generate), "--seed",
                            str(args.seed), "--out", str(args.workbook), "--truth", str(args.truth), "--quiet"],
                           check=True)
    if args.records:
        records = pd.read_parquet(args.records)
        result = measure(None, args.truth or args.workbook, PipelineConfig(), records)  # the truth may come first
    elif not args.workbook or not args.truth:
        parser.error("give a workbook and its truth, or --generate N, or --records FILE TRUTH")
    else:
        result = measure(args.workbook, args.truth, PipelineConfig(), save=args.save_records)
    width = max(map(len, result))
    for key, value in result.items():
        shown = f"{value:,.4f}" if isinstance(value, float) and value < 10 else f"{value:,.1f}" \
            if isinstance(value, float) else f"{value:,}"
        print(f"{key:<{width}}  {shown}")


if __name__ == "__main__":
    main()
