"""Reads a sheet whose few cells lie far apart (one at XFD1048576) cell by cell.

The fast reader fills the whole box between a sheet's cells; zipguard finds sheets where
that box is far bigger than their cells, and they are read here instead: openpyxl's
streaming parser gives only the cells that exist, and they are placed by their reference.
Only the rows and columns that hold something become part of the grid, so the work is
proportional to the cells; the index keeps the row numbers Excel shows.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pyarrow as pa
from openpyxl.worksheet._reader import WorkSheetParser


def read_sparse_sheet(source: str | bytes, sheet_name: str) -> tuple[pd.DataFrame, list[pa.Array], bool]:
    """(row numbers, columns as Arrow text like fastexcel gives them, visible) of one sheet;
    column i is the i-th column that holds a cell, counted from the first one."""
    wb = openpyxl.load_workbook(source if isinstance(source, str) else io.BytesIO(source),
                                read_only=True, data_only=True)
    try:
        ws = wb[sheet_name]
        cells: dict[tuple[int, int], str] = {}
        with ws._get_source() as src:
            parser = WorkSheetParser(src, wb.shared_strings, data_only=True, epoch=wb.epoch,
                                     date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
            for _, row in parser.parse():
                for cell in row:
                    text = _text(cell["value"])
                    if text is not None:
                        cells[(cell["row"], cell["column"])] = text
        visible = ws.sheet_state == "visible"
    finally:
        wb.close()
    rows = sorted({r for r, _ in cells})
    cols = sorted({c for _, c in cells})
    at_row = {r: i for i, r in enumerate(rows)}
    by_col: dict[int, list[str | None]] = {c: [None] * len(rows) for c in cols}
    for (r, c), text in cells.items():
        by_col[c][at_row[r]] = text
    columns = [pa.array(by_col[c], pa.string()) for c in cols]
    return pd.Index(rows, dtype="int64"), columns, visible


def _text(value) -> str | None:
    """A cell as fastexcel writes it as text: whole numbers without ".0", dates as
    "2023-01-05 00:00:00", booleans as "true"/"false"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)
