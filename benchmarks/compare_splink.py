"""sheetkit's dedupe stage against splink (DuckDB backend) on the same generated data.

    python benchmarks/compare_splink.py --rows 10000 100000
    python benchmarks/compare_splink.py --rows 100000 --errors 5    # + sample errors
    python benchmarks/compare_splink.py --rows 1048575 --timeout 1800

For each size the workbook and its truth (``generate.py``, seed 7) are made in
benchmarks/data/ if missing. One child process reads, extracts, normalises and
validates the rows with sheetkit, as ``run_pipeline`` does, and stores the result:
both methods get exactly these normalised records, so what differs is the linkage.
Then each method runs in a fresh process of its own, so that its time and peak memory
(``ru_maxrss``) are its alone:

* sheetkit: ``find_duplicates`` with the default ``PipelineConfig``;
* splink: the model below, configured after splink's documentation (the
  ``deduplicate_50k_synthetic`` example): prediction blocking rules on each strong
  field, out-of-the-box comparisons with term-frequency adjustments,
  ``estimate_probability_two_random_records_match`` from deterministic rules,
  ``estimate_u_using_random_sampling``, EM sessions blocked on different fields,
  ``predict`` and ``cluster_pairwise_predictions_at_threshold`` at 0.95.

"dedupe s" is the time from normalised records to a cluster per record (for splink:
loading into DuckDB, training, prediction and clustering); "peak MiB" is the child's
peak RSS, of which "input MiB" is the normalised records loaded before dedupe starts.
Scores are pairwise over all rows of the truth file (rows sheetkit rejects count as
records alone). The machine is shared: run with ``--repeat 3`` for median times.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE))
from metrics import error_pairs, pairwise_scores

METHODS = ["sheetkit", "splink"]
SHOWN = ["name", "phone", "email", "company", "address", "city", "created_on"]
SPLINK_THRESHOLD = 0.95  # splink's documented clustering threshold


def _mib(kib: float) -> float:
    return kib / 1024


def _rss_mib() -> float:
    """Current resident memory, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return _mib(float(line.split()[1]))
    return float("nan")


def _emit(**fields) -> None:
    """One JSON line on stdout: the parent reads the last ones, even after a timeout."""
    print(json.dumps(fields), flush=True)


# --------------------------------------------------------------------------- data

def ensure_data(n: int) -> tuple[Path, Path]:
    """The workbook and truth file for ``n`` rows, generated (seed 7) when missing."""
    DATA.mkdir(exist_ok=True)
    book, truth = DATA / f"customers_{n}.xlsx", DATA / f"customers_{n}.truth.csv"
    if not (book.exists() and truth.exists()):
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--rows", str(n), "--out", str(book),
                        "--truth", str(truth), "--quiet"], check=True)
    return book, truth


def prepare(book: Path, out: Path) -> None:
    """Read, extract, normalise and validate as ``run_pipeline`` does; pickle the records."""
    from sheetkit import PipelineConfig, load_schema, read_sources
    from sheetkit.resources import default_schema_path
    from sheetkit.stages.extract import extract_sheet
    from sheetkit.stages.normalize import normalize_records
    from sheetkit.stages.validate import validate_records

    t = time.perf_counter()
    schema, config = load_schema(default_schema_path()), PipelineConfig()
    grids = read_sources([book]).grids
    frames = [e.records for e in (extract_sheet(g, schema, config) for g in grids) if len(e.records)]
    records = normalize_records(pd.concat(frames, ignore_index=True), schema, config)
    kept = validate_records(records, schema).records
    with out.open("wb") as f:
        pickle.dump(kept, f, protocol=pickle.HIGHEST_PROTOCOL)
    _emit(phase="prepared", seconds=time.perf_counter() - t, records=len(kept))


# ---------------------------------------------------------------------- the methods

def dedupe_sheetkit(records: pd.DataFrame) -> dict[str, np.ndarray]:
    """sheetkit's dedupe stage with its own (default) thresholds."""
    from sheetkit import PipelineConfig
    from sheetkit.stages.dedupe import find_duplicates

    return {"sheetkit": find_duplicates(records, PipelineConfig()).cluster.to_numpy()}


def sheetkit_candidates(records: pd.DataFrame) -> pd.DataFrame | None:
    """sheetkit's candidate pairs (after timing), to measure blocking recall; None if unavailable."""
    from sheetkit import PipelineConfig
    from sheetkit.stages import dedupe

    try:
        return dedupe.candidate_pairs(records, PipelineConfig())[["left", "right"]]
    except (AttributeError, TypeError, KeyError):  # the function changed on this branch
        return None


# Fields splink compares: sheetkit's normalised values and match keys (same cleaning).
SPLINK_COLUMNS = ["name_key", "phone", "email", "company_key", "address_key", "city", "created_on"]


def splink_settings():
    """The splink model, after the documentation's dedupe example (deduplicate_50k_synthetic)."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        # Each rule on its own keeps the pairs sharing one strong field; splink scores
        # the union. block_on("name_key") is the widest (common names) but the only
        # rule that finds re-entered records with a new phone and no e-mail.
        blocking_rules_to_generate_predictions=[
            block_on("phone"),
            block_on("email"),
            block_on("name_key"),
            block_on("company_key", "substr(name_key, 1, 1)"),
            block_on("address_key", "substr(name_key, 1, 1)"),
        ],
        comparisons=[
            cl.NameComparison("name_key"),  # exact (with TF) / Jaro-Winkler 0.92, 0.88, 0.7 / else
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),  # exact (TF) / username / Jaro-Winkler on both
            cl.JaroWinklerAtThresholds("company_key", [0.9, 0.7]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_key", [0.9, 0.7]).configure(term_frequency_adjustments=True),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.AbsoluteDateDifferenceAtThresholds("created_on", input_is_string=True, metrics=["day", "year"],
                                                  thresholds=[30, 1]),
        ],
    )


def dedupe_splink(records: pd.DataFrame, u_pairs: float, extra_thresholds: list[float]) -> dict[str, np.ndarray]:
    """splink: train (u by sampling, m by EM), predict, cluster at 0.95.

    ``extra_thresholds`` are clustered too, after the timed run (the parent stops the
    clock at the first "clustered" phase), to see how much the threshold matters.
    """
    from splink import DuckDBAPI, Linker, block_on

    frame = pd.DataFrame({"unique_id": np.arange(len(records), dtype=np.int64)})
    for col in SPLINK_COLUMNS:
        s = records[col] if col in records.columns else pd.Series(None, index=records.index)
        frame[col] = s.astype("string").to_numpy()
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), splink_settings())
    _emit(phase="loaded")
    # Deterministic rules that admit very few false pairs; recall is the user's guess.
    linker.training.estimate_probability_two_random_records_match(
        [block_on("phone", "name_key"), block_on("email", "name_key"), block_on("name_key", "address_key")],
        recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=1)
    # Each EM session cannot estimate the fields it blocks on: block on different ones.
    for rule in (block_on("phone"), block_on("name_key"), block_on("email")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, estimate_without_term_frequencies=True)
    _emit(phase="trained")
    predictions = linker.inference.predict(threshold_match_probability=min([0.5, *extra_thresholds]))
    _emit(phase="predicted")
    out = {}
    for threshold in [SPLINK_THRESHOLD, *extra_thresholds]:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold).as_pandas_dataframe()
        labels = np.full(len(records), None, dtype=object)
        labels[clusters["unique_id"].to_numpy(dtype=np.int64)] = clusters["cluster_id"].to_numpy()
        out["splink" if threshold == SPLINK_THRESHOLD else f"splink@{threshold:g}"] = labels
        if threshold == SPLINK_THRESHOLD:
            _emit(phase="clustered", seconds=time.perf_counter() - START[0], peak_mib=_peak_mib())
    return out


START = [0.0]  # when the timed dedupe began (the splink child reports from inside)


def _peak_mib() -> float:
    return _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def run_method(method: str, prepared: Path, result_out: Path, u_pairs: float, extra: list[float]) -> None:
    """Child process: load the prepared records, dedupe them, pickle the labels."""
    import logging

    logging.getLogger("splink").setLevel(logging.WARNING)
    with prepared.open("rb") as f:
        records = pickle.load(f)
    _emit(phase="loaded input", input_mib=_rss_mib())
    START[0] = time.perf_counter()
    if method == "sheetkit":
        labels = dedupe_sheetkit(records)
        _emit(phase="clustered", seconds=time.perf_counter() - START[0], peak_mib=_peak_mib())
        candidates = sheetkit_candidates(records)
    else:
        labels, candidates = dedupe_splink(records, u_pairs, extra), None
    with result_out.open("wb") as f:
        pickle.dump({"labels": labels, "candidates": candidates}, f, protocol=pickle.HIGHEST_PROTOCOL)
    _emit(phase="done")


# --------------------------------------------------------------------------- parent

def _child(args: list[str], timeout: float | None) -> tuple[list[dict], str | None]:
    """Run this script as a child; (its JSON lines, an error message or None)."""
    cmd = [sys.executable, __file__, *args]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        lines = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
        done = lines[-1]["phase"] if lines else "nothing"
        return lines, f"stopped after {time.perf_counter() - start:,.0f} s (timeout); last phase done: {done}"
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    if proc.returncode:
        return lines, f"failed (exit {proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}"
    return lines, None


def _labels_per_truth_row(records: pd.DataFrame, labels: np.ndarray, truth: pd.DataFrame) -> np.ndarray:
    """A label per truth row; rows not among the records (rejected) get None (alone)."""
    by_row = pd.Series(labels, index=records["source_row"].to_numpy(), dtype=object)
    return by_row.reindex(truth["source_row"].to_numpy()).to_numpy(dtype=object)


def _show_errors(method: str, labels: np.ndarray, truth: pd.DataFrame, records: pd.DataFrame, limit: int) -> None:
    """Sample false merges and missed pairs with their values and their clusters' sizes.

    A false merge's two records need not be linked directly: they may sit at the two
    ends of a chain, so the cluster's size (records / different entities) is shown.
    """
    values = records.set_index("source_row").reindex(truth["source_row"])
    entity = truth["entity_id"].to_numpy()
    cluster = pd.Series(pd.factorize(pd.Series(labels, dtype=object))[0])
    cluster[cluster < 0] = cluster.max() + 1 + np.arange((cluster < 0).sum())  # unlabelled: alone
    size = cluster.map(cluster.value_counts()).to_numpy()
    people = cluster.map(pd.Series(entity).groupby(cluster.to_numpy()).nunique()).to_numpy()
    for kind, title in (("false-merge", "false merges (different people, one cluster)"),
                        ("missed", "missed pairs (one person, different clusters)")):
        print(f"\n{method}: {title}; columns: row, entity, cluster size (records/entities), {', '.join(SHOWN)}")
        for left, right in error_pairs(labels, entity, kind, limit).itertuples(index=False):
            for i in (left, right):
                row = values.iloc[i]
                cells = " | ".join("" if pd.isna(row.get(c)) else str(row.get(c)) for c in SHOWN)
                print(f"  {truth['source_row'].iat[i]:>7} {entity[i]:>7} {size[i]:>4}/{people[i]:<4} {cells}")
            print()


def _phase(lines: list[dict], name: str) -> dict:
    return next((x for x in reversed(lines) if x.get("phase") == name), {})


def _blocking_recall(candidates: pd.DataFrame | None, records: pd.DataFrame, truth: pd.DataFrame,
                     true_pairs: int) -> float | None:
    """Share of all true pairs among the candidate pairs (positions in ``records``)."""
    if candidates is None or not true_pairs:
        return None
    entity = truth.set_index("source_row")["entity_id"].reindex(records["source_row"]).to_numpy()
    pairs = candidates.drop_duplicates()
    return float((entity[pairs["left"].to_numpy()] == entity[pairs["right"].to_numpy()]).sum() / true_pairs)


def compare(n: int, args: argparse.Namespace) -> list[dict]:
    """Every method on the ``n``-row workbook; one result row per method (and extra threshold)."""
    book, truth_path = ensure_data(n)
    truth = pd.read_csv(truth_path)
    prepared, result_path = DATA / f"prepared_{n}.pkl", DATA / f"result_{n}.pkl"
    lines, error = _child(["--prepare", str(book), str(prepared)], None)
    if error:
        sys.exit(f"preparing {book}: {error}")
    print(f"{n:,} rows: read + normalise + validate {lines[-1]['seconds']:.1f} s, {lines[-1]['records']:,} records",
          file=sys.stderr)
    records = pd.read_pickle(prepared)
    records = records[["source_row", *(c for c in SHOWN if c in records.columns)]]  # all the parent needs
    rows = []
    for method in args.methods:
        runs, result, note = [], None, ""
        for _ in range(args.repeat):
            child = ["--method", method, str(prepared), str(result_path), "--u-pairs", str(args.u_pairs),
                     "--splink-thresholds", *map(str, args.splink_thresholds)]
            lines, error = _child(child, args.timeout)
            if error:
                note = error
                break
            runs.append({**_phase(lines, "clustered"), **_phase(lines, "loaded input")})
            with result_path.open("rb") as f:
                result = pickle.load(f)
        print(f"{n:,} {method}: " + (note or f"{statistics.median(r['seconds'] for r in runs):.1f} s"), file=sys.stderr)
        if result is None:
            rows.append({"rows": n, "method": method, "note": note})
            continue
        for name, labels in result["labels"].items():
            labels = _labels_per_truth_row(records, labels, truth)
            scores = pairwise_scores(labels, truth["entity_id"].to_numpy())
            timed = name == method  # extra thresholds are clustered after the clock stops
            rows.append({"rows": n, "method": name, "scores": scores,
                         "seconds": statistics.median(r["seconds"] for r in runs) if timed else None,
                         "peak_mib": statistics.median(r["peak_mib"] for r in runs) if timed else None,
                         "input_mib": runs[0]["input_mib"] if timed else None,
                         "blocking": _blocking_recall(result["candidates"], records, truth, scores.true_pairs)})
            if args.errors and timed:
                _show_errors(name, labels, truth, records, args.errors)
    for path in (prepared, result_path):
        path.unlink(missing_ok=True)
    return rows


def _fmt(value, spec: str, width: int) -> str:
    return f"{'-' if value is None else format(value, spec):>{width}}"


def print_table(rows: list[dict]) -> None:
    print(f"\n{'rows':>9} {'method':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'pred pairs':>10} "
          f"{'true pairs':>10} {'block rec':>9} {'dedupe s':>9} {'peak MiB':>9} {'input MiB':>9}")
    for r in rows:
        if "scores" not in r:
            print(f"{r['rows']:>9,} {r['method']:<12} {r['note']}")
            continue
        s = r["scores"]
        print(f"{r['rows']:>9,} {r['method']:<12} {s.precision:>9.4f} {s.recall:>7.4f} {s.f1:>7.4f} "
              f"{s.predicted_pairs:>10,} {s.true_pairs:>10,} {_fmt(r['blocking'], '.4f', 9)} "
              f"{_fmt(r['seconds'], '.2f', 9)} {_fmt(r['peak_mib'], ',.0f', 9)} {_fmt(r['input_mib'], ',.0f', 9)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=METHODS)
    parser.add_argument("--repeat", type=int, default=1, help="runs per method; times and memory are medians")
    parser.add_argument("--timeout", type=float, default=None, help="seconds before a method's run is stopped")
    parser.add_argument("--u-pairs", type=float, default=1e7, help="splink's estimate_u_using_random_sampling max_pairs")
    parser.add_argument("--splink-thresholds", type=float, nargs="*", default=[],
                        help="also score splink clustered at these match probabilities (untimed)")
    parser.add_argument("--errors", type=int, default=0, help="show this many false merges and missed pairs")
    parser.add_argument("--prepare", type=Path, nargs=2, help=argparse.SUPPRESS)  # child: book, out
    parser.add_argument("--method", nargs=3, help=argparse.SUPPRESS)  # child: method, prepared, result
    args = parser.parse_args()
    if args.prepare:
        return prepare(*args.prepare)
    if args.method:
        return run_method(args.method[0], Path(args.method[1]), Path(args.method[2]), args.u_pairs,
                          args.splink_thresholds)
    rows = [row for n in args.rows for row in compare(n, args)]
    print_table(rows)


if __name__ == "__main__":
    main()
