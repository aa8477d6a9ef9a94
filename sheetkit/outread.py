"""Reads sheets of an output folder's cleaned.xlsx as text, for export and share.

A workbook in a folder sheetkit marked as its output is read straight away with
fastexcel, only the columns asked for; any other file first goes through the zip-bomb
guard of ``workbook.read_tables``, which inflates it once (for 100,000 customers:
1.5 s against 7 s).
"""

from __future__ import annotations

from pathlib import Path

import fastexcel
import pandas as pd

from .errors import SheetkitError
from .sources import OUTPUT_FILES, OUTPUT_MARKER
from .workbook import read_tables


def output_workbook(out: Path) -> Path:
    """The cleaned.xlsx of an output folder (or the file itself).

    Raises:
        SheetkitError: there is none.
    """
    out = Path(out)
    path = out / OUTPUT_FILES[0] if out.is_dir() else out
    if not path.is_file():
        raise SheetkitError(f"{out} holds no {OUTPUT_FILES[0]}: run sheetkit run ... -o {out} first")
    return path


def read_output_sheets(out: Path, wanted: dict[str, set[str] | None]) -> dict[str, pd.DataFrame]:
    """The wanted sheets (name -> columns, None for all) that exist, as text with "" for empty.
    A sheet continued on "<name> (2)" is read whole; a date cell reads as its date.

    Raises:
        SheetkitError: no cleaned.xlsx, or it cannot be read.
    """
    path = output_workbook(out)
    if (path.parent / OUTPUT_MARKER).is_file():
        try:
            reader = fastexcel.read_excel(str(path))
            tables = {}
            for sheet, columns in wanted.items():
                parts = [n for n in reader.sheet_names if n == sheet or (n.startswith(f"{sheet} (") and n.endswith(")"))]
                use = (lambda c, keep=frozenset(columns): c.name in keep) if columns else None
                if parts:
                    tables[sheet] = pd.concat([reader.load_sheet(n, dtypes="string", use_columns=use).to_pandas()
                                               for n in parts], ignore_index=True)
        except Exception as exc:  # fastexcel raises its own kinds; any of them means "cannot read"
            raise SheetkitError(f"{path}: the workbook cannot be read ({str(exc).splitlines()[0]})") from exc
    else:
        tables = read_tables(path, {k: sorted(v) if v else None for k, v in wanted.items()})
    return {name: _as_text(frame) for name, frame in tables.items()}


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow-backed text ("" for empty): string methods on it run in C++, not per cell. fastexcel
    gives a date cell as "2024-12-20 00:00:00"; the date is what was meant."""
    out = frame.astype("string[pyarrow]").fillna("")
    for col in out.columns:
        out[col] = out[col].str.replace(r"^([0-9]{4}-[0-9]{2}-[0-9]{2}) 00:00:00$", r"\1", regex=True)
    return out
