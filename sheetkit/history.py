"""The previous run: finding it and reading it.

A weekly run follows the last run recorded in the output folder's archive (archive.py):
its records (how each is found again), customer IDs, customers and decisions ledger
come from there. What people typed into that run's workbook since (decisions in
``Review``, ``Lineage`` and ``Decisions``) is read from the workbook, and only when it
has changed since sheetkit wrote it (its sha256 differs). ``--previous`` may instead name
an output of an older version (its folder or cleaned.xlsx: parsed as before) or a
decisions file. stages/decisions.py applies all of it. Keeping replaced outputs in
``history/`` is outputset.py's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import columns as C
from .archive import last_run
from .errors import PreviousRunError, SourceError
from .sources import OUTPUT_FILES, OUTPUT_MARKER
from .stages.decisions import SPLIT, parse_decisions
from .stages.identity import RECORD_KEY, whole_rows
from .workbook import read_tables

HISTORY = "history"
_LINEAGE = [*C.PROVENANCE, C.CUSTOMER_ID, "outcome", "decision", RECORD_KEY]
_REVIEW = ["pair_id", "decision", "left_source", "right_source", "left_record_key", "right_record_key",
           "left_name", "right_name"]
_EMPTY = pd.DataFrame()


@dataclass
class PreviousRun:
    """The sheets of a previous output that the next run needs, as text."""

    path: Path
    lineage: pd.DataFrame
    review: pd.DataFrame
    decisions: pd.DataFrame
    problems: list[str] = field(default_factory=list)  # cells that could not be used, one line each
    decided_on: str | None = None   # the day decisions read for the first time were made (default: as-of)
    decided_by: str | None = None   # who made them: the OS user of the run that reads them
    # The previous run's customers (from the archive), for Changes: read when called, after
    # dedupe, so a million of them are not held through its peak (archive.ArchivedCustomers).
    customers: Callable[[], pd.DataFrame] | None = None
    run_id: int | None = None       # the archive's run this one follows


def default_previous(out_dir: Path) -> Path | None:
    """The output a run into ``out_dir`` follows on: the cleaned.xlsx sheetkit wrote there."""
    out_dir = Path(out_dir)
    workbook = out_dir / OUTPUT_FILES[0]
    return workbook if (out_dir / OUTPUT_MARKER).exists() and workbook.is_file() else None


def read_archived(out_dir: Path, today: str | None = None, user: str | None = None) -> PreviousRun | None:
    """The last run recorded in ``out_dir``'s archive, with the decisions typed into its
    workbook since; None when the folder has no archive (a first run, or an output of an
    older version: ``default_previous`` finds that).

    Args:
        out_dir: the output folder.
        today: the day decisions read now were made (for a changed one in Decisions).
        user: who made them.

    Raises:
        PreviousRunError: the archive or the edited workbook cannot be read.
    """
    run = last_run(out_dir)
    if run is None:
        return None
    workbook = Path(out_dir) / OUTPUT_FILES[0]
    lineage = run.records.assign(decision=None)
    previous = PreviousRun(workbook, lineage, _EMPTY, run.decisions.replace({np.nan: None}), [],
                           today, user, run.customers, run.run_id)
    if not workbook.is_file() or _sha256(workbook) == run.outputs.get(OUTPUT_FILES[0]):
        return previous  # nobody typed anything into it: nothing to read
    typed = read_previous(workbook)
    previous.review, previous.problems = typed.review, typed.problems
    if "decision" in typed.lineage.columns:
        marked = typed.lineage[typed.lineage["decision"].notna()]
        if len(marked):
            previous.lineage = _mark_splits(lineage, marked)
    if not typed.decisions.empty:
        previous.decisions = _edited_ledger(run.decisions, typed.decisions, today, user)
    return previous


def _mark_splits(records: pd.DataFrame, marked: pd.DataFrame) -> pd.DataFrame:
    """The archive's records with the ``decision`` typed on Lineage rows, matched by place and key."""
    on = [*C.PROVENANCE, RECORD_KEY]
    typed = marked.reindex(columns=[*on, "decision"]).assign(
        **{C.SOURCE_ROW: whole_rows(marked[C.SOURCE_ROW]).astype("float").to_numpy()})
    typed = typed.drop_duplicates(on)
    left = records.drop(columns="decision").assign(**{C.SOURCE_ROW: records[C.SOURCE_ROW].astype("float")})
    out = left.merge(typed.astype({c: object for c in (C.SOURCE_FILE, C.SOURCE_SHEET, RECORD_KEY)}), on=on, how="left")
    return out.assign(**{C.SOURCE_ROW: records[C.SOURCE_ROW].to_numpy()})


def _edited_ledger(archived: pd.DataFrame, sheet: pd.DataFrame, today: str | None, user: str | None) -> pd.DataFrame:
    """The Decisions sheet as a person left it: a decision changed there is a new decision
    (today's, by ``user``); one unchanged keeps who made it and when; a cleared one is gone."""
    sheet = sheet.copy()
    if "decision_id" not in sheet.columns or archived.empty:
        return sheet
    was = archived.set_index("decision_id")
    known = sheet["decision_id"].isin(was.index)
    before = was["decision"].reindex(sheet["decision_id"]).to_numpy()
    now = parse_decisions(sheet["decision"], ("same", "different", SPLIT)).to_numpy()
    changed = known.to_numpy() & (now != before)
    for col in ("decided_on", "decided_by"):
        if col in was.columns:
            sheet[col] = np.where(known, was[col].reindex(sheet["decision_id"]).to_numpy(), sheet.get(col))
    sheet.loc[changed, "decided_on"] = today
    sheet.loc[changed, "decided_by"] = user
    sheet.loc[changed, "decision_id"] = None  # a new decision, a new ID
    return sheet


def _sha256(path: Path) -> str:
    from .outputset import sha256

    return sha256(path)


def read_previous(path: Path) -> PreviousRun:
    """Read a previous output: its folder, its cleaned.xlsx, or a decisions file (.csv with
    the Decisions sheet's columns, or a workbook with a Decisions sheet).

    Raises:
        PreviousRunError: it cannot be read or is not a sheetkit output; one line says
            what to do.
    """
    path = Path(path)
    if path.is_dir():
        path = path / OUTPUT_FILES[0]
        if not path.is_file():
            raise _cannot(path.parent, "the folder holds no cleaned.xlsx")
    if path.suffix.lower() in (".csv", ".txt"):
        try:
            decisions = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise _cannot(path, f"not a readable CSV ({str(exc).strip().splitlines()[0]})") from exc
        if "decision" not in decisions.columns:
            raise _cannot(path, "a decisions file needs the columns of the Decisions sheet (decision, "
                          "left_record_key, left_source_file, …)")
        return PreviousRun(path, _EMPTY, _EMPTY, decisions.replace("", None))
    try:
        sheets = read_tables(path, {"Lineage": _LINEAGE, "Review": _REVIEW, "Decisions": None})
    except SourceError as exc:
        raise _cannot(path, exc.reason) from exc
    if not sheets:
        raise _cannot(path, "it has no Lineage, Review or Decisions sheet, so it is not a sheetkit output")
    lineage = sheets.get("Lineage", _EMPTY)
    missing = [c for c in C.LINEAGE[:4] if c not in lineage.columns]
    if "Lineage" in sheets and missing:
        raise _cannot(path, f"its Lineage sheet lacks the column(s) {', '.join(missing)}")
    problems = []
    if C.SOURCE_ROW in lineage.columns:  # a hand-edited row number: that record is found by content
        bad = lineage[C.SOURCE_ROW].notna() & whole_rows(lineage[C.SOURCE_ROW]).isna()
        if bad.any():
            rows = [f"{i + 2} ({lineage[C.SOURCE_ROW].iat[i]!r})" for i in np.flatnonzero(bad)[:5]]
            problems.append(f"{path} › Lineage row {', '.join(rows)}{' …' if bad.sum() > 5 else ''}: "
                            f"source_row is not a row number; {_n_records(int(bad.sum()))} found by content only")
            lineage = lineage.assign(**{C.SOURCE_ROW: lineage[C.SOURCE_ROW].where(~bad)})
    return PreviousRun(path, lineage, sheets.get("Review", _EMPTY), sheets.get("Decisions", _EMPTY), problems)


def _n_records(n: int) -> str:
    return "that record is" if n == 1 else f"those {n:,} records are"


def _cannot(path: Path, reason: str) -> PreviousRunError:
    return PreviousRunError(f"cannot use the previous output {path}: {reason}. Point --previous at another "
                            f"output (older ones are kept in its {HISTORY}/ folder) or move this one away")
