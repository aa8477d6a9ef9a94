"""Writes the cleaned workbook: the only code that creates xlsx files.

XlsxWriter is used directly, row by row in constant-memory mode, with strings never
turned into formulas or links: a customer named "=HYPERLINK(...)" stays text.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from .errors import OutputError

EXCEL_MAX_CELL = 32_767
_MAX_WIDTH, _MIN_WIDTH = 50, 6


def _python_values(s: pd.Series) -> list:
    """Cell values as plain Python objects, None for empty."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return [None if pd.isna(v) else v.to_pydatetime() for v in s]
    if pd.api.types.is_bool_dtype(s):
        return [None if pd.isna(v) else bool(v) for v in s]
    if pd.api.types.is_numeric_dtype(s):
        arr = s.to_numpy(dtype=float, na_value=np.nan)
        return [None if math.isnan(v) else (int(v) if v.is_integer() and abs(v) < 1e15 else v) for v in arr]
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT else v
            for v in s.astype(object)]


def _width(header: str, values: list) -> float:
    sample = [v for v in values[:2000] if v is not None]
    lengths = [_display_len(str(v)) for v in sample] or [0]
    longest = max(sorted(lengths)[int(len(lengths) * 0.95)] if lengths else 0, _display_len(header))
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))


def _display_len(text: str) -> int:
    # CJK characters take two columns in Excel's default font.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text[:200])


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path,
                   dropdowns: dict[str, tuple[str, list[str]]] | None = None) -> dict[str, int]:
    """Write ``sheets`` (name -> frame) to ``path`` atomically; returns cells truncated per sheet.

    Every sheet gets a bold frozen header, a filter, widths from its content and real
    date and number formats. ``dropdowns`` maps a sheet to (column, choices) for a
    validation list (the Review sheet's decision column).

    Raises:
        OutputError: the file cannot be written.
    """
    path = Path(path)
    truncated: dict[str, int] = {}
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx.part", dir=path.parent)
    os.close(fd)
    try:
        wb = xlsxwriter.Workbook(tmp, {"constant_memory": True, "strings_to_formulas": False,
                                       "strings_to_urls": False, "strings_to_numbers": False,
                                       "nan_inf_to_errors": True})
        header = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
                                "valign": "top"})
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        datetime_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        money_fmt = wb.add_format({"num_format": "#,##0.00"})
        for name, frame in sheets.items():
            truncated[name] = _write_sheet(wb, name, frame, header, date_fmt, datetime_fmt, money_fmt,
                                           (dropdowns or {}).get(name))
        wb.close()
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return truncated


def _write_sheet(wb, name, frame, header_fmt, date_fmt, datetime_fmt, money_fmt, dropdown) -> int:
    ws = wb.add_worksheet(name)
    cols = [str(c) for c in frame.columns]
    values = [_python_values(frame[c]) for c in frame.columns]
    money = {i for i, c in enumerate(cols) if "amount" in c}
    for i, c in enumerate(cols):
        ws.set_column(i, i, _width(c, values[i]))
    ws.set_row(0, 30)
    for i, c in enumerate(cols):
        ws.write_string(0, i, c, header_fmt)
    ws.freeze_panes(1, 0)
    n = len(frame)
    ws.autofilter(0, 0, max(n, 1), max(len(cols) - 1, 0))
    if dropdown and dropdown[0] in cols:
        j = cols.index(dropdown[0])
        ws.data_validation(1, j, max(n, 1), j, {"validate": "list", "source": dropdown[1]})
    truncated = 0
    write_string, write_number, write_datetime, write_boolean = (ws.write_string, ws.write_number,
                                                                 ws.write_datetime, ws.write_boolean)
    for r in range(n):
        row = r + 1
        for j in range(len(cols)):
            v = values[j][r]
            if v is None:
                continue
            t = type(v)
            if t is str:
                if len(v) > EXCEL_MAX_CELL:
                    v, truncated = v[:EXCEL_MAX_CELL], truncated + 1
                write_string(row, j, v)
            elif t is int or t is float:
                write_number(row, j, v, money_fmt if j in money else None)
            elif isinstance(v, dt.datetime):  # also pandas Timestamps in mixed columns
                if isinstance(v, pd.Timestamp):
                    v = v.to_pydatetime()
                write_datetime(row, j, v, datetime_fmt if (v.hour or v.minute) else date_fmt)
            elif t is dt.date:
                write_datetime(row, j, v, date_fmt)
            elif t is bool or t is np.bool_:
                write_boolean(row, j, bool(v))
            elif isinstance(v, (np.integer, np.floating)):
                write_number(row, j, v.item(), money_fmt if j in money else None)
            else:
                write_string(row, j, str(v)[:EXCEL_MAX_CELL])
    return truncated
