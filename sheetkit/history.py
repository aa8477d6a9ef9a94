"""The previous run: finding it, reading it, and keeping it when a new run replaces it.

A weekly run reads last week's output (``--previous``, or by default the output folder
itself when it holds one): the record identities and customer IDs in ``Lineage``, and
what people decided in ``Review``, ``Lineage`` and ``Decisions`` (stages/decisions.py
applies them). Before new outputs replace the old ones, the old ones are kept in
``history/<date-time>/`` inside the output folder, so no run's output is ever lost.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import columns as C
from .errors import OutputError, PreviousRunError, SourceError
from .sources import OUTPUT_FILES, OUTPUT_MARKER
from .stages.identity import RECORD_KEY, whole_rows
from .workbook import read_tables
from .writer import current_umask

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


def default_previous(out_dir: Path) -> Path | None:
    """The output a run into ``out_dir`` follows on: the cleaned.xlsx sheetkit wrote there."""
    out_dir = Path(out_dir)
    workbook = out_dir / OUTPUT_FILES[0]
    return workbook if (out_dir / OUTPUT_MARKER).exists() and workbook.is_file() else None


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


def archive_outputs(out_dir: Path) -> Path | None:
    """Keep the outputs in ``out_dir`` in ``history/<their date-time>/`` before new ones
    replace them; returns that folder (None when there was nothing to keep).

    Files are hard-linked where the file system allows (no copy, and the old output stays
    in place until the new one is moved over it), copied otherwise. The folder appears
    under its final name only once complete.

    Raises:
        OutputError: the history folder cannot be written; nothing is replaced then.
    """
    out_dir = Path(out_dir)
    old = [out_dir / name for name in OUTPUT_FILES if (out_dir / name).is_file()]
    if not old or not (out_dir / OUTPUT_MARKER).exists():
        return None
    stamp = dt.datetime.fromtimestamp(old[0].stat().st_mtime).strftime("%Y-%m-%d_%H%M%S")
    history = out_dir / HISTORY
    tmp = None
    try:
        history.mkdir(exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{stamp}-", suffix=".part", dir=history))
        os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp makes it private; others on the share read it too
        (tmp / OUTPUT_MARKER).write_text("an earlier output of sheetkit, kept when a new run replaced it; "
                                         "a run over this folder does not read it\n", encoding="utf-8")
        for f in old:
            try:
                os.link(f, tmp / f.name)
            except OSError:
                shutil.copy2(f, tmp / f.name)
        target, n = history / stamp, 1
        while target.exists():
            n += 1
            target = history / f"{stamp}-{n}"
        os.rename(tmp, target)
        tmp = None
        return target
    except OSError as exc:
        raise OutputError(f"cannot keep the previous output in {history}: {exc.strerror or exc} "
                          "(nothing was replaced)") from exc
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
