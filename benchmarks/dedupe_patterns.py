"""Where dedupe's misses are: the pairs it leaves apart, and the comparison patterns it underrates.

    python benchmarks/dedupe_patterns.py /tmp/blind/s3 /tmp/blind/s3.truth.csv --as-of 2025-01-01
    python benchmarks/dedupe_patterns.py /tmp/blind/s3 /tmp/blind/s3.truth.csv --kind moved --examples 12

For finding what to change, not for quality figures (those come from ``cli_quality.py``,
through the CLI alone). The folder goes through ``sheetkit run``'s own code in this
process, up to dedupe; the records dedupe receives are then compared and scored again,
with every candidate pair kept, so each can be read beside the truth:

* the truth rows not joined to their entity's first row, by kind, with how many of them
  were candidates at all and the spread of their scores;
* the candidate pairs grouped by their comparison levels: the patterns that are one
  customer at least ``--rate`` of the time but mostly left apart, and those mostly merged
  though seldom one customer (what a change to the model could win, and risk);
* example missed pairs (``--examples``, of ``--kind`` when given) with their cells, score,
  and what agreed and disagreed.

Seeds used to look at misses are then not held out: report on others (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cli_quality import read_truth  # a sibling script, not a package

CELLS = ["name", "family_name", "given_name", "phone", "phone_2", "email", "company", "address", "city",
         "postcode", "customer_code", "id_number"]
PATTERN_FIELDS = ["name", "phone", "email", "address", "company", "city", "postcode"]


def dedupe_input(folder: Path, as_of: str) -> tuple[pd.DataFrame, object]:
    """The records and config ``sheetkit run FOLDER`` hands to dedupe (its own reading,
    mapping, normalising and validation), by running it with dedupe's entry wrapped."""
    import tempfile

    from sheetkit import pipeline
    from sheetkit.cli import cli

    seen: dict = {}
    find = pipeline.find_duplicates

    def keep(records, config, *args, **kwargs):
        seen["records"], seen["config"] = records, config
        return find(records, config, *args, **kwargs)

    pipeline.find_duplicates = keep
    try:
        with tempfile.TemporaryDirectory() as out:
            cli(["run", str(folder), "--out", out, "--as-of", as_of, "--quiet"], standalone_mode=False)
    finally:
        pipeline.find_duplicates = find
    return seen["records"], seen["config"]


def entities(records: pd.DataFrame, truth_path: Path) -> tuple[np.ndarray, pd.DataFrame]:
    """Each record's truth entity (-1: none) and the truth rows with their record position."""
    # read_truth resolves truth files against Lineage; the records' own places stand in for it
    places = pd.DataFrame({"source_file": records["source_file"].astype(str),
                           "source_sheet": records["source_sheet"].astype(str), "outcome": "kept"})
    truth, _ = read_truth(truth_path, places)
    key = pd.DataFrame({"file": places["source_file"], "sheet": places["source_sheet"],
                        "row": records["source_row"].astype(np.int64).to_numpy(), "pos": np.arange(len(records))})
    truth = truth.merge(key, on=["file", "sheet", "row"])
    entity = np.full(len(records), -1, dtype=np.int64)
    entity[truth["pos"].to_numpy()] = pd.factorize(truth["entity"])[0]
    return entity, truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("truth", type=Path, help="file,sheet,row,entity_id[,kinds] (as cli_quality.py reads it)")
    parser.add_argument("--as-of", default="2025-01-01")
    parser.add_argument("--kind", help="examples of missed rows with exactly these kinds (e.g. moved)")
    parser.add_argument("--examples", type=int, default=10)
    parser.add_argument("--rate", type=float, default=0.7, help="a pattern this often one customer is 'underrated'")
    parser.add_argument("--top", type=int, default=20, help="patterns listed each way")
    args = parser.parse_args()

    from sheetkit.stages.compare import compare_pairs, prepare
    from sheetkit.stages.dedupe import (
        _contact_sets,
        candidate_pairs,
        find_duplicates,
        score_pairs,
    )

    records, config = dedupe_input(args.folder, args.as_of)
    entity, truth = entities(records, args.truth)
    cluster = find_duplicates(records, config).cluster.to_numpy()
    prep = prepare(records, *_contact_sets(records))
    candidates = candidate_pairs(records, config, prep=prep)

    # Missed: each duplicate row against its entity's first row (as cli_quality's kinds).
    first = truth.drop_duplicates("entity").set_index("entity")["pos"]
    dup = truth[truth["pos"].to_numpy() != first.reindex(truth["entity"]).to_numpy()].copy()
    dup["first"] = first.reindex(dup["entity"]).to_numpy()
    missed = dup[cluster[dup["pos"]] != cluster[dup["first"]]]
    pairs = pd.DataFrame({"left": np.minimum(missed["pos"], missed["first"]).to_numpy(),
                          "right": np.maximum(missed["pos"], missed["first"]).to_numpy()})
    everything = pd.concat([candidates, pairs], ignore_index=True).drop_duplicates(ignore_index=True)
    scored, _ = score_pairs(records, everything, -np.inf, prep=prep)  # weights as the run's: pairs added are few
    levels, _ = compare_pairs(prep, scored["left"].to_numpy(), scored["right"].to_numpy())
    is_candidate = scored.merge(candidates.assign(_c=True), on=["left", "right"], how="left")["_c"].notna().to_numpy()
    scored = scored.assign(candidate=is_candidate)

    print(f"{len(records):,} records, {len(dup):,} duplicate rows, {len(missed):,} not joined to their first row; "
          f"{len(candidates):,} candidate pairs; merge at {config.merge_threshold:g}, review from "
          f"{config.review_threshold:g}")
    lost = pairs.assign(kinds=missed["kinds"].to_numpy()).merge(scored, on=["left", "right"])
    lost["kinds"] = lost["kinds"].replace("", "(none)")
    print("\nmissed rows by kinds (a row may have several):")
    by = lost.groupby("kinds").agg(rows=("score", "size"), candidates=("candidate", "mean"),
                                   median_score=("score", "median"), in_review=("score", lambda s: (
                                       (s >= config.review_threshold) & (s < config.merge_threshold)).mean()))
    print(by.sort_values("rows", ascending=False).head(args.top).round(3).to_string())

    fields = [f for f in PATTERN_FIELDS if f in levels]
    table = pd.DataFrame({f: levels[f] for f in fields})
    cand = scored["candidate"].to_numpy()
    left, right = scored["left"].to_numpy(), scored["right"].to_numpy()
    table = table.assign(one=(entity[left] == entity[right]) & (entity[left] >= 0),
                         merged=cluster[left] == cluster[right], score=scored["score"].to_numpy())[cand]
    patterns = table.groupby(fields).agg(pairs=("one", "size"), one=("one", "sum"), rate=("one", "mean"),
                                         merged=("merged", "mean"), score=("score", "median")).reset_index()
    under = patterns[(patterns["rate"] >= args.rate) & (patterns["merged"] < 0.5)]
    over = patterns[(patterns["rate"] <= 1 - args.rate) & (patterns["merged"] >= 0.5)]
    print(f"\nlevels: {', '.join(fields)} (0 missing, 1 different, higher: closer; compare.LEVELS names them)")
    print(f"patterns one customer >= {args.rate:g} of the time but mostly apart: {int(under['one'].sum()):,} of "
          f"{int(table['one'].sum()):,} true candidate pairs")
    print(under.sort_values("one", ascending=False).head(args.top).round(3).to_string(index=False))
    print(f"\npatterns one customer <= {1 - args.rate:g} of the time but mostly merged: "
          f"{int((over['pairs'] - over['one']).sum()):,} pairs of different customers")
    print(over.sort_values("pairs", ascending=False).head(args.top).round(3).to_string(index=False))

    shown = lost if not args.kind else lost[lost["kinds"] == args.kind]
    cols = [c for c in CELLS if c in records.columns]
    print(f"\n{min(args.examples, len(shown))} of {len(shown):,} missed pairs" + (f" ({args.kind})" if args.kind else ""))
    for _, p in shown.sample(min(args.examples, len(shown)), random_state=1).iterrows():
        print(f"--- {p.kinds}  candidate {p.candidate}  score {p.score:.2f}  agreed {p.agreed}  "
              f"disagreed {p.disagreed}")
        for i in (p.left, p.right):
            print("    " + " | ".join(str(records.at[i, c]) for c in cols))


if __name__ == "__main__":
    main()
