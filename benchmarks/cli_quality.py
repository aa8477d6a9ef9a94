"""Dedupe quality of ``sheetkit run`` measured through the CLI only, against a truth CSV.

    python benchmarks/cli_quality.py FOLDER TRUTH.csv [--out DIR] [--repeat N] [--label NAME] [--json FILE]

    python benchmarks/febrl_sheets.py /tmp/febrl
    python benchmarks/cli_quality.py /tmp/febrl/febrl1 /tmp/febrl/febrl1.truth.csv --label febrl1
    python benchmarks/generate.py --rows 10000 --out /tmp/g/c.xlsx --truth /tmp/g.truth.csv
    python benchmarks/cli_quality.py /tmp/g /tmp/g.truth.csv --label gen10k --json /tmp/gen10k.json

Nothing of sheetkit is imported and nothing is mapped or cleaned here: the script runs
``sheetkit run FOLDER -o DIR --json`` in a subprocess (under ``/usr/bin/time -v`` when it
exists, for the wall time and the peak RSS of the process), keeps the per-stage progress
lines sheetkit prints on stderr (``dedupe  N rows  S s``) and then reads what sheetkit
wrote: the Lineage sheet of ``DIR/cleaned.xlsx`` (one row per input row: source_file,
source_sheet, source_row, customer_id, outcome, reason; with its continuation sheets
``Lineage (2)`` ... when it holds more than 1,048,575 rows) and its Review sheet.

The truth CSV names rows as sheetkit's Lineage does:

* ``file,sheet,row,entity_id[,kinds]``: ``file`` relative to FOLDER (a bare file name also
  matches a file in a subfolder when that name is unique), ``row`` the Excel row number
  (the header is row 1);
* ``source_row,entity_id[,kinds]`` (generate.py's form): one workbook with one sheet; file
  and sheet are the only ones in Lineage that hold data rows.

``kinds`` (optional) lists, ``;``-separated, how a row that is a 2nd+ occurrence of its
entity was made (e.g. ``phone-format;name-typo``); it is empty for the entity's first row.

Printed (and written with ``--json``):

* the run: wall time, peak RSS, user/system CPU, the seconds of each stage;
* where the truth rows ended up (outcomes), and truth rows Lineage does not have (should be
  0: otherwise the row numbering differs; a few are shown);
* pairwise precision, recall and F1 over the truth rows found (two rows are a predicted pair
  when they have the same customer_id; a rejected or skipped row, or one without a
  customer_id, is a cluster of its own); pairs are counted from group sizes
  (``metrics.pairwise_scores``);
* with ``kinds``: per kind, the share of rows of that kind that got the customer_id of their
  entity's first row (the row with empty kinds; without one, the entity's first row in the
  truth file's order, which then is not scored itself), for all rows having the kind and for
  rows having only that kind;
* the Review load: pairs per 1,000 input data rows, how many are true pairs (both records of
  one entity; records are found through the Review's record keys in Lineage, or its
  ``file › sheet › row N`` cells), and the scores if a person accepted every review pair or
  only the true ones;
* 10 example missed pairs and 10 example false merges: source, outcome, customer_id, truth
  entity and kinds, sheetkit's reason, and the row's raw cells read back from the input file
  (``--no-cells`` to skip reading the inputs again).

Runs go into DIR (default: a new folder under /tmp). DIR must be empty or new, or a folder
this script used before: sheetkit's outputs in it are deleted before each run, so that no
earlier run's IDs or decisions are carried over. With ``--repeat N`` sheetkit runs N times
(timings of each; quality from the last run).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics import error_pairs, pairwise_scores  # noqa: E402

MARKER = ".cli_quality"  # put into DIR: it may be cleaned before the next run
SHEETKIT_OUTPUTS = ("cleaned.xlsx", "report.html", ".sheetkit-output", "history")
CLUSTERED = ("kept", "merged", "review")  # outcomes whose customer_id is a cluster label
STAGE_LINE = re.compile(r"^\s+(\S+)\s+([\d,]+) rows\s+([\d.]+) s \(\s*[\d,]+ rows/s\)(?:\s+(.*))?$")
SOURCE_REF = re.compile(r"^(.*) › (.*) › row (\d+)$")


# --------------------------------------------------------------------------- running


def _prepare_out(out: Path) -> None:
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SystemExit(f"{out} is not empty and was not made by cli_quality.py: give a new or empty --out")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("benchmarks/cli_quality.py runs sheetkit here; its outputs are deleted before each run\n")
    for name in SHEETKIT_OUTPUTS:
        p = out / name
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def _parse_time_v(text: str) -> dict:
    """The numbers of GNU time -v that matter here."""
    got = {}
    for line in text.splitlines():
        key, _, value = line.strip().rpartition(": ")
        if key == "Maximum resident set size (kbytes)":
            got["peak_rss_mib"] = int(value) / 1024
        elif key == "User time (seconds)":
            got["user_s"] = float(value)
        elif key == "System time (seconds)":
            got["sys_s"] = float(value)
        elif key.startswith("Elapsed (wall clock) time"):
            secs = 0.0
            for part in value.split(":"):
                secs = secs * 60 + float(part)
            got["wall_time_v_s"] = secs
    return got


def _parse_progress(stderr: str) -> tuple[dict, list[dict], list[str]]:
    """Stages {name: {rows, seconds}}, files opened [{file, rows, seconds}], other lines."""
    stages, opened, other = {}, [], []
    for line in stderr.splitlines():
        m = STAGE_LINE.match(line)
        if not m:
            if line.strip():
                other.append(line.rstrip())
            continue
        stage, rows, secs, what = m.group(1), int(m.group(2).replace(",", "")), float(m.group(3)), m.group(4)
        if stage == "open":
            opened.append({"file": what, "rows": rows, "seconds": secs})
        else:
            stages[stage] = {"rows": rows, "seconds": secs}
    return stages, opened, other


def run_sheetkit(folder: Path, out: Path, command: list[str], extra: list[str], src: Path | None = None) -> dict:
    """One ``sheetkit run``; its timings, progress and --json counts. ``src``: a copy of
    sheetkit's source (a ``git archive`` of the commit to measure) to run instead of
    ``command``: ``python -m sheetkit`` started in it, since ``-m`` puts the working folder
    first on the path (started elsewhere, with the copy on PYTHONPATH, it would run the
    working folder's code)."""
    _prepare_out(out)
    if src is not None:
        command = [sys.executable, "-m", "sheetkit"]
        folder, out = folder.resolve(), out.resolve()
    cmd = [*command, "run", str(folder), "-o", str(out), "--json", *extra]
    timer = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        time_file = tf.name
    try:
        full = [timer, "-v", "-o", time_file, *cmd] if timer else cmd
        t0 = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": str(src.resolve())} if src is not None else None
        proc = subprocess.run(full, capture_output=True, text=True, cwd=src, env=env)
        wall = time.perf_counter() - t0
        time_v = _parse_time_v(Path(time_file).read_text()) if timer else {}
    finally:
        os.unlink(time_file)
    if proc.returncode not in (0, 3):  # 3: --fail-on found issues, the output is written
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"sheetkit failed (exit {proc.returncode}): {shlex.join(cmd)}")
    stages, opened, other = _parse_progress(proc.stderr)
    try:
        counts = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else {}
    except json.JSONDecodeError:
        counts = {"stdout": proc.stdout[-2000:]}
    run = {"command": shlex.join(cmd), "exit": proc.returncode, "wall_s": wall, **time_v,
           "stages": stages, "files_opened": opened, "stderr_other": other, "counts": counts}
    if not timer:  # the largest child so far (this process runs no other children)
        import resource
        run["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return run


# --------------------------------------------------------------------------- reading


def _text_key(values) -> np.ndarray:
    """Cells as they are compared: text, stripped; whole floats as integers (2.0 -> '2')."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append("")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v).strip())
    return np.asarray(out, dtype=object)


def read_sheet(path: Path, sheet: str, columns: list[str] | None = None) -> pd.DataFrame:
    """A sheet of sheetkit's workbook as text columns (python-calamine: fast for 1M rows)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    if sheet not in wb.sheet_names:
        raise SystemExit(f"{path} has no sheet {sheet!r} (it has {wb.sheet_names})")
    # sheetkit continues a sheet longer than Excel's 1,048,575 data rows on "<name> (2)", ...
    parts, n = [], 1
    while (name := sheet if n == 1 else f"{sheet} ({n})") in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        n += 1
        if not rows:
            continue
        header = [str(h) for h in rows[0]]
        body = rows[1:]
        frame = {}
        for col in columns or header:
            if col not in header:
                frame[col] = np.full(len(body), "", dtype=object)
                continue
            i = header.index(col)
            frame[col] = _text_key(r[i] if i < len(r) else None for r in body)
        del rows, body
        parts.append(pd.DataFrame(frame))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns or []})
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def read_truth(path: Path, lineage: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Truth rows with file, sheet, row (int), entity, kinds; notes on how files were matched."""
    t = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    t.columns = [c.strip() for c in t.columns]
    notes = []
    if {"file", "sheet", "row", "entity_id"} <= set(t.columns):
        pass
    elif {"source_row", "entity_id"} <= set(t.columns):
        data = lineage[lineage["outcome"] != "skipped"]
        places = data[["source_file", "source_sheet"]].drop_duplicates()
        if len(places) != 1:
            listed = "; ".join(f"{f} › {s}" for f, s in places.itertuples(index=False))
            raise SystemExit(f"{path} has only source_row, but Lineage has data rows from "
                             f"{len(places)} sheets ({listed[:300]}): give file,sheet,row")
        t["file"], t["sheet"] = places.iloc[0]["source_file"], places.iloc[0]["source_sheet"]
        t = t.rename(columns={"source_row": "row"})
        notes.append(f"truth has source_row only: rows of {t['file'][0]} › {t['sheet'][0]}")
    else:
        raise SystemExit(f"{path}: columns {list(t.columns)}; need file,sheet,row,entity_id or source_row,entity_id")
    if "kinds" not in t.columns:
        t["kinds"] = ""
    t["row"] = pd.to_numeric(t["row"], errors="raise").astype(np.int64)
    for c in ("file", "sheet", "kinds"):
        t[c] = t[c].astype(str).str.strip()
    # A truth file name that Lineage does not have matches a Lineage file in a subfolder
    # with the same name, when only one has it.
    known = set(lineage["source_file"])
    for f in sorted(set(t["file"]) - known):
        same = [k for k in known if k.replace("\\", "/").rsplit("/", 1)[-1] == f.replace("\\", "/").rsplit("/", 1)[-1]]
        if len(same) == 1:
            t.loc[t["file"] == f, "file"] = same[0]
            notes.append(f"truth file {f} matched to Lineage's {same[0]}")
    t = t.rename(columns={"entity_id": "entity"})[["file", "sheet", "row", "entity", "kinds"]]
    return t.reset_index(drop=True), notes


# --------------------------------------------------------------------------- scoring


def _components(labels: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Cluster labels after joining the clusters named in (left, right) edges."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    codes, uniques = pd.factorize(pd.Series(labels, dtype=object), use_na_sentinel=True)
    index = pd.Index(uniques)
    li, ri = index.get_indexer(left), index.get_indexer(right)
    ok = (li >= 0) & (ri >= 0)
    n = len(uniques)
    graph = coo_matrix((np.ones(ok.sum()), (li[ok], ri[ok])), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    out = np.where(codes >= 0, comp[np.maximum(codes, 0)], -1).astype(object)
    out[codes < 0] = None
    return out


def kind_recall(rows: pd.DataFrame) -> list[dict]:
    """Per kind: rows of the kind that share the customer_id of their entity's first row."""
    if not (rows["kinds"] != "").any():
        return []
    rows = rows.reset_index(drop=True)
    plain = rows["kinds"] == ""
    order = np.arange(len(rows))
    # The anchor of an entity: its first row with no kinds, else its first row.
    anchor_pos = (pd.Series(np.where(plain, order, order + len(rows)))
                  .groupby(rows["entity"].to_numpy()).transform("min").to_numpy())
    anchor_pos = np.where(anchor_pos >= len(rows), anchor_pos - len(rows), anchor_pos)
    cluster = rows["cluster"].to_numpy()
    anchor_cluster = cluster[anchor_pos]
    hit = np.array([a is not None and c is not None and a == c for a, c in zip(anchor_cluster, cluster)])
    scored = (~plain) & (anchor_pos != order)
    kinds = rows["kinds"].str.split(";").map(lambda ks: sorted({k.strip() for k in ks if k.strip()}))
    table = []
    exploded = pd.DataFrame({"kinds": kinds, "hit": hit, "scored": scored, "n_kinds": kinds.map(len)})
    exploded = exploded[exploded["scored"]].explode("kinds")
    for kind, g in exploded.groupby("kinds", sort=True):
        only = g[g["n_kinds"] == 1]
        table.append({"kind": kind, "rows": int(len(g)), "recall": float(g["hit"].mean()),
                      "only_rows": int(len(only)),
                      "only_recall": float(only["hit"].mean()) if len(only) else None})
    all_scored = hit[scored]
    table.append({"kind": "(any)", "rows": int(scored.sum()),
                  "recall": float(all_scored.mean()) if len(all_scored) else None,
                  "only_rows": None, "only_recall": None})
    return table


def review_pairs(review: pd.DataFrame, lineage: pd.DataFrame, truth_rows: pd.DataFrame) -> pd.DataFrame:
    """Review pairs with the left/right records' entity (None when not in the truth)."""
    if review.empty:
        return pd.DataFrame(columns=["left_customer_id", "right_customer_id", "left_entity", "right_entity"])
    by_place = truth_rows.set_index(["file", "sheet", "row"])["entity"]
    by_key = None
    if "record_key" in lineage.columns:
        keyed = lineage[lineage["record_key"] != ""].drop_duplicates("record_key")
        by_key = keyed.set_index("record_key")[["source_file", "source_sheet", "source_row"]]
    out = review.copy()
    for side in ("left", "right"):
        places = [None] * len(review)
        if by_key is not None and f"{side}_record_key" in review.columns:
            hit = by_key.reindex(review[f"{side}_record_key"].to_numpy())
            for i, (f, s, r) in enumerate(hit.itertuples(index=False)):
                if isinstance(f, str) and f:
                    places[i] = (f, s, int(r))
        if f"{side}_source" in review.columns:
            for i, ref in enumerate(review[f"{side}_source"]):
                if places[i] is None and (m := SOURCE_REF.match(ref)):
                    places[i] = (m.group(1), m.group(2), int(m.group(3)))
        out[f"{side}_place"] = places
        out[f"{side}_entity"] = [by_place.get(p) if p is not None else None for p in places]
    return out


# --------------------------------------------------------------------------- input cells


def _raw_rows(folder: Path, file: str, sheet: str, rows: set[int]) -> dict[int, list[str]]:
    """Cells of some rows of an input sheet, as written (for showing examples only)."""
    path = folder / file if folder.is_dir() else folder
    got = {}
    try:
        if path.suffix.lower() in (".csv", ".tsv", ".txt"):
            for enc in ("utf-8-sig", "gb18030"):
                try:
                    with open(path, newline="", encoding=enc) as fh:
                        sample = fh.read(65536)
                        fh.seek(0)
                        delim = "\t" if path.suffix.lower() == ".tsv" else (
                            csv.Sniffer().sniff(sample, ",;\t|").delimiter if sample else ",")
                        for n, cells in enumerate(csv.reader(fh, delimiter=delim), start=1):
                            if n in rows:
                                got[n] = cells
                            if n >= max(rows):
                                break
                    break
                except (UnicodeDecodeError, csv.Error):
                    got = {}
        else:
            from python_calamine import CalamineWorkbook

            data = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            for n in rows:
                if 1 <= n <= len(data):
                    got[n] = list(_text_key(data[n - 1]))
    except Exception as exc:  # examples only: never fail the benchmark on them
        print(f"  (could not read cells of {file} › {sheet}: {exc})")
    return got


def _cells(rows: list[tuple], folder: Path, enabled: bool) -> dict[tuple, str]:
    if not enabled:
        return {}
    wanted: dict[tuple, set[int]] = {}
    for f, s, r in rows:
        wanted.setdefault((f, s), set()).add(int(r))
    out = {}
    for (f, s), rs in wanted.items():
        for r, cells in _raw_rows(folder, f, s, rs).items():
            out[(f, s, r)] = " | ".join(str(c) for c in cells).rstrip(" |")
    return out


# --------------------------------------------------------------------------- main


def _fmt_s(v) -> str:
    return f"{v:.1f}" if isinstance(v, (int, float)) else "-"


def evaluate(folder: Path, truth_path: Path, out: Path, examples: int, cells: bool) -> dict:
    workbook = out / "cleaned.xlsx"
    t0 = time.perf_counter()
    lineage = read_sheet(workbook, "Lineage", ["source_file", "source_sheet", "source_row",
                                               "customer_id", "outcome", "reason", "record_key"])
    lineage["source_row"] = pd.to_numeric(lineage["source_row"], errors="coerce").fillna(-1).astype(np.int64)
    review = read_sheet(workbook, "Review")
    read_s = time.perf_counter() - t0
    truth, notes = read_truth(truth_path, lineage)
    for n in notes:
        print(f"note: {n}")

    dup_keys = lineage.duplicated(["source_file", "source_sheet", "source_row"]).sum()
    if dup_keys:
        print(f"warning: {dup_keys:,} Lineage rows repeat a (file, sheet, row) of another")
    joined = truth.merge(lineage.drop_duplicates(["source_file", "source_sheet", "source_row"]),
                         left_on=["file", "sheet", "row"], right_on=["source_file", "source_sheet", "source_row"],
                         how="left", indicator=True)
    found = joined["_merge"] == "both"
    missing = joined.loc[~found, ["file", "sheet", "row", "entity"]]
    rows = joined[found].drop(columns=["_merge"]).reset_index(drop=True)
    labelled = rows["outcome"].isin(CLUSTERED) & (rows["customer_id"] != "")
    rows["cluster"] = np.where(labelled, rows["customer_id"], None).astype(object)

    truth_places = set(zip(truth["file"], truth["sheet"], truth["row"]))
    data_lineage = lineage[lineage["outcome"] != "skipped"]
    extra = [p for p in zip(data_lineage["source_file"], data_lineage["source_sheet"], data_lineage["source_row"])
             if p not in truth_places]

    scores = pairwise_scores(rows["cluster"].to_numpy(), rows["entity"].to_numpy())
    outcomes = rows["outcome"].value_counts().to_dict()
    input_rows = int(len(data_lineage))

    rev = review_pairs(review, lineage, rows)
    if len(rev):
        both_known = rev["left_entity"].notna() & rev["right_entity"].notna()
        true_rev = both_known & (rev["left_entity"] == rev["right_entity"])
        accept_all = _components(rows["cluster"].to_numpy(), rev["left_customer_id"].to_numpy(),
                                 rev["right_customer_id"].to_numpy())
        accept_true = _components(rows["cluster"].to_numpy(), rev.loc[true_rev, "left_customer_id"].to_numpy(),
                                  rev.loc[true_rev, "right_customer_id"].to_numpy())
        s_all = pairwise_scores(accept_all, rows["entity"].to_numpy())
        s_true = pairwise_scores(accept_true, rows["entity"].to_numpy())
        review_info = {"pairs": int(len(rev)), "per_1000_rows": 1000 * len(rev) / max(input_rows, 1),
                       "true_pairs": int(true_rev.sum()), "pairs_not_in_truth": int((~both_known).sum()),
                       "if_all_accepted": s_all.__dict__, "if_true_accepted": s_true.__dict__}
    else:
        review_info = {"pairs": 0, "per_1000_rows": 0.0, "true_pairs": 0, "pairs_not_in_truth": 0}

    kinds = kind_recall(rows[["entity", "kinds", "cluster"]])

    # Examples: positions into rows.
    shown = {}
    for kind in ("missed", "false-merge"):
        pairs = error_pairs(rows["cluster"].to_numpy(), rows["entity"].to_numpy(), kind, limit=examples)
        shown[kind] = pairs
    places = [tuple(rows.loc[i, ["file", "sheet", "row"]]) for p in shown.values()
              for i in np.r_[p["left"].to_numpy(), p["right"].to_numpy()]]
    raw = _cells(places, folder, cells)
    example_out = {}
    for kind, pairs in shown.items():
        example_out[kind] = []
        for left, right in pairs.itertuples(index=False):
            pair = []
            for i in (left, right):
                r = rows.loc[i]
                place = (r["file"], r["sheet"], int(r["row"]))
                pair.append({"file": r["file"], "sheet": r["sheet"], "row": int(r["row"]),
                             "entity": r["entity"], "kinds": r["kinds"], "customer_id": r["customer_id"],
                             "outcome": r["outcome"], "reason": r["reason"], "cells": raw.get(place, "")})
            example_out[kind].append(pair)

    return {"lineage_rows": int(len(lineage)), "input_data_rows": input_rows, "read_output_s": read_s,
            "truth_rows": int(len(truth)), "truth_rows_found": int(found.sum()),
            "truth_rows_missing": int(len(missing)),
            "missing_examples": [dict(file=f, sheet=s, row=int(r), entity=e)
                                 for f, s, r, e in missing.head(5).itertuples(index=False)],
            "lineage_data_rows_not_in_truth": len(extra),
            "not_in_truth_examples": [list(map(str, p)) for p in extra[:5]],
            "outcomes": {k: int(v) for k, v in outcomes.items()},
            "pairwise": scores.__dict__, "kinds": kinds, "review": review_info, "examples": example_out,
            "notes": notes}


def print_report(label: str, runs: list[dict], q: dict) -> None:
    line = "─" * 78
    print(line)
    print(f"{label}: {q['truth_rows']:,} truth rows, {q['input_data_rows']:,} data rows in Lineage "
          f"({q['lineage_rows']:,} Lineage rows)")
    print(line)
    if not runs:
        print("run        (--skip-run: scored the output already in --out)")
    else:
        walls = [r["wall_s"] for r in runs]
        rss = [r.get("peak_rss_mib") for r in runs if r.get("peak_rss_mib") is not None]
        print(f"run        wall {statistics.median(walls):.2f} s" + (f" (median of {len(runs)}: "
              + ", ".join(f"{w:.2f}" for w in walls) + ")" if len(runs) > 1 else "")
              + (f"   peak RSS {max(rss):,.0f} MiB" if rss else "")
              + (f"   CPU user {runs[-1]['user_s']:.1f} s sys {runs[-1]['sys_s']:.1f} s" if "user_s" in runs[-1] else ""))
        stages = runs[-1]["stages"]
        if stages:
            names = list(stages)
            print("stages     " + "  ".join(f"{n} {_fmt_s(statistics.median(r['stages'].get(n, {}).get('seconds', 0) for r in runs))}"
                                            for n in names) + "  (s, printed to 0.1 s)")
            print(f"dedupe     {_fmt_s(statistics.median(r['stages'].get('dedupe', {}).get('seconds', 0) for r in runs))} s"
                  f" for {stages.get('dedupe', {}).get('rows', 0):,} rows")
        if runs[-1]["counts"]:
            c = runs[-1]["counts"]
            print(f"sheetkit   {c.get('customers', '?'):,} customers, {c.get('review_pairs', '?'):,} review pairs, "
                  f"outcomes {c.get('outcomes', {})}")
        for other in runs[-1]["stderr_other"]:
            if other.startswith(("error", "warning", "Error")) or "issues:" in other:
                print(f"stderr     {other}")
    print(line)
    print(f"truth rows found in Lineage {q['truth_rows_found']:,} of {q['truth_rows']:,}"
          f"; missing {q['truth_rows_missing']:,}")
    for m in q["missing_examples"]:
        print(f"   missing: {m['file']} › {m['sheet']} › row {m['row']} (entity {m['entity']})")
    if q["lineage_data_rows_not_in_truth"]:
        print(f"Lineage data rows not in the truth: {q['lineage_data_rows_not_in_truth']:,}, e.g. "
              + "; ".join(" › ".join(p) for p in q["not_in_truth_examples"]))
    print("outcomes of truth rows: " + ", ".join(f"{k} {v:,}" for k, v in q["outcomes"].items()))
    print(line)
    p = q["pairwise"]
    print(f"pairwise   precision {p['precision']:.4f}   recall {p['recall']:.4f}   F1 {p['f1']:.4f}")
    print(f"           true pairs {p['true_pairs']:,}, predicted {p['predicted_pairs']:,}, correct {p['true_positives']:,}")
    r = q["review"]
    print(f"review     {r['pairs']:,} pairs = {r['per_1000_rows']:.2f} per 1,000 rows; true pairs {r['true_pairs']:,}"
          + (f" ({r['true_pairs'] / r['pairs']:.0%})" if r["pairs"] else "")
          + (f"; {r['pairs_not_in_truth']:,} with a record not in the truth" if r["pairs_not_in_truth"] else ""))
    if r["pairs"]:
        for name, key in (("accept all", "if_all_accepted"), ("accept true", "if_true_accepted")):
            s = r[key]
            print(f"  if {name:<11} precision {s['precision']:.4f}   recall {s['recall']:.4f}   F1 {s['f1']:.4f}")
    if q["kinds"]:
        print(line)
        print(f"{'kind':<28}{'rows':>8}{'recall':>9}{'only-rows':>11}{'only-recall':>13}")
        for k in q["kinds"]:
            only = f"{k['only_recall']:.3f}" if k["only_recall"] is not None else "-"
            rec = f"{k['recall']:.3f}" if k["recall"] is not None else "-"
            print(f"{k['kind']:<28}{k['rows']:>8,}{rec:>9}{(format(k['only_rows'], ',') if k['only_rows'] is not None else '-'):>11}{only:>13}")
    for kind, title in (("missed", "missed pairs (same entity, different customers)"),
                        ("false-merge", "false merges (different entities, one customer)")):
        pairs = q["examples"][kind]
        print(line)
        print(f"{len(pairs)} example {title}")
        for pair in pairs:
            for side, x in zip("ab", pair):
                cust = x["customer_id"] or "-"
                print(f"  {side} {x['file']} › {x['sheet']} › row {x['row']}  entity {x['entity']}"
                      + (f" [{x['kinds']}]" if x["kinds"] else "") + f"  {x['outcome']} {cust}")
                if x["cells"]:
                    print(f"      {x['cells'][:150]}")
                if x["reason"] and x["outcome"] != "kept":
                    print(f"      reason: {x['reason'][:150]}")
            print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, help="input folder (or workbook) given to sheetkit run")
    ap.add_argument("truth", type=Path, help="truth CSV: file,sheet,row,entity_id[,kinds] or source_row,entity_id[,kinds]")
    ap.add_argument("--out", type=Path, help="output folder for sheetkit (default: a new folder under /tmp)")
    ap.add_argument("--repeat", type=int, default=1, help="run sheetkit N times (timings of each; quality of the last)")
    ap.add_argument("--label", help="name of this data set in the printout and JSON (default: the folder name)")
    ap.add_argument("--json", dest="json_path", type=Path, help="write the numbers to this JSON file")
    ap.add_argument("--examples", type=int, default=10, help="example pairs of each error kind (default 10)")
    ap.add_argument("--no-cells", dest="cells", action="store_false",
                    help="do not read example rows' cells back from the input files")
    ap.add_argument("--sheetkit", default="sheetkit", help="the sheetkit command (default: sheetkit)")
    ap.add_argument("--sheetkit-args", default="", help="more options for sheetkit run, e.g. \"--as-of 2024-12-31\"")
    ap.add_argument("--skip-run", action="store_true", help="score the output already in --out (do not run sheetkit)")
    ap.add_argument("--src", type=Path, help="run the sheetkit source in this folder (a `git archive` of the commit "
                    "to measure) instead of --sheetkit: a before/after pair that cannot measure one code twice")
    args = ap.parse_args(argv)
    if args.src is not None and not (args.src / "sheetkit" / "__init__.py").is_file():
        ap.error(f"--src: {args.src} holds no sheetkit package")
    if not args.folder.exists():
        ap.error(f"{args.folder} does not exist")
    if not args.truth.is_file():
        ap.error(f"{args.truth} is not a file")
    if args.repeat < 1:
        ap.error("--repeat must be 1 or more")
    label = args.label or args.folder.name
    out = args.out or Path(tempfile.mkdtemp(prefix=f"cli_quality-{label}-", dir="/tmp"))
    if args.skip_run and not args.out:
        ap.error("--skip-run needs --out")

    runs = []
    if not args.skip_run:
        for i in range(args.repeat):
            run = run_sheetkit(args.folder, out, shlex.split(args.sheetkit), shlex.split(args.sheetkit_args), args.src)
            dd = run["stages"].get("dedupe", {}).get("seconds")
            print(f"run {i + 1}/{args.repeat}: {run['wall_s']:.2f} s wall"
                  + (f", peak RSS {run['peak_rss_mib']:,.0f} MiB" if run.get("peak_rss_mib") else "")
                  + (f", dedupe {dd:.1f} s" if dd is not None else ""), file=sys.stderr)
            runs.append(run)
    elif not (out / "cleaned.xlsx").is_file():
        ap.error(f"--skip-run: {out} has no cleaned.xlsx")
    q = evaluate(args.folder, args.truth, out, args.examples, args.cells)
    print_report(label, runs, q)
    print(f"output: {out}")
    if args.json_path:
        result = {"label": label, "folder": str(args.folder), "truth": str(args.truth), "out": str(out),
                  "runs": runs,
                  "wall_s_median": statistics.median(r["wall_s"] for r in runs) if runs else None,
                  "dedupe_s_median": statistics.median(r["stages"].get("dedupe", {}).get("seconds", float("nan"))
                                                       for r in runs) if runs else None,
                  "peak_rss_mib_max": max((r.get("peak_rss_mib") or 0) for r in runs) if runs else None,
                  **q}
        args.json_path.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n")
        print(f"wrote {args.json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
