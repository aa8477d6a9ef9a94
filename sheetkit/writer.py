"""Writes the cleaned workbook: the only code that creates xlsx files.

The writer is rustpy-xlsxwriter, a binding of the Rust rust_xlsxwriter: about 1 µs a
cell where pure-Python writers take 5 (see benchmarks/), which decides whether a
1,048,576-row sheet can be written while the user waits. Strings are always written as
text, so a customer named "=HYPERLINK(...)" never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from rustpy_xlsxwriter import FastExcel, Format

from .columns import EXCEL_MAX_CELL
from .errors import OutputError

EXCEL_MAX_ROWS = 1_048_575  # data rows under the header on one sheet
_MAX_WIDTH, _MIN_WIDTH = 50, 6
_EXCEL_FIRST_DAY = dt.datetime(1900, 1, 1)


def _cell_values(s: pd.Series) -> tuple[list, int]:
    """A column as plain Python values (None for empty) and how many texts were truncated."""
    if pd.api.types.is_datetime64_any_dtype(s):
        dates = pd.Series(s.dt.to_pydatetime(), index=s.index, dtype=object)
        return dates.where(s.notna(), None).tolist(), 0
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        # Whole columns at once: .tolist() gives Python numbers, NaN and NA become None.
        return s.astype(object).where(s.notna(), None).tolist(), 0
    obj = s.astype(object)
    missing = pd.isna(obj).to_numpy()
    if pd.api.types.infer_dtype(obj, skipna=True) in ("string", "empty"):
        # The common case, plain text: no per-cell Python beyond the list itself.
        lengths = obj.str.len() if not missing.all() else pd.Series(0, index=obj.index)
        long = (lengths > EXCEL_MAX_CELL).fillna(False).to_numpy()
        values = obj.where(~missing, None).tolist()
        for i in np.flatnonzero(long):
            values[i] = values[i][:EXCEL_MAX_CELL]
        return values, int(long.sum())
    values, truncated = [], 0
    for v in obj:
        if v is None or v is pd.NA or v is pd.NaT or (type(v) is float and math.isnan(v)):
            values.append(None)
        elif type(v) is str:
            if len(v) > EXCEL_MAX_CELL:
                v, truncated = v[:EXCEL_MAX_CELL], truncated + 1
            values.append(v)
        elif isinstance(v, dt.datetime):
            v = v.to_pydatetime() if isinstance(v, pd.Timestamp) else v
            values.append(v if v >= _EXCEL_FIRST_DAY else v.isoformat(sep=" "))
        elif isinstance(v, dt.date):
            values.append(dt.datetime(v.year, v.month, v.day) if v.year >= 1900 else v.isoformat())
        elif isinstance(v, (bool, np.bool_)):
            values.append(bool(v))
        elif isinstance(v, (int, float, np.integer, np.floating)):
            values.append(v.item() if hasattr(v, "item") else v)
        else:
            values.append(str(v)[:EXCEL_MAX_CELL])
    return values, truncated


def _width(header: str, values: list) -> float:
    """A column width from the header and the 95th-percentile length of the first 500 values."""
    sample = [v for v in values[:500] if v is not None]
    lengths = sorted(_display_len(v if isinstance(v, str) else str(v)) for v in sample) or [0]
    longest = max(lengths[int(len(lengths) * 0.95)], _display_len(header))
    if sample and isinstance(sample[0], dt.datetime):
        longest = max(10, _display_len(header))
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))


def _display_len(text: str) -> int:
    # CJK characters take two columns in Excel's default font.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text[:200])


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path,
                   dropdowns: dict[str, tuple[str, list[str]]] | None = None) -> dict[str, int]:
    """Write ``sheets`` (name -> frame) to ``path`` atomically; returns cells truncated per sheet.

    Every sheet gets a bold frozen header, a filter, widths from its content and real
    date and number formats. ``dropdowns`` maps a sheet to (column, choices) for a
    validation list (the Review sheet's decision column). Texts longer than Excel's
    32,767 characters are truncated (and counted) so the file always opens; a frame
    longer than 1,048,575 rows continues on a sheet named "<name> (2)".

    Raises:
        OutputError: the file cannot be written.
    """
    path = Path(path)
    truncated: dict[str, int] = {}
    header = Format().set_bold().set_background_color("#DCE6F1").set_border("thin").set_text_wrap()
    money = Format().set_num_format("#,##0.00")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx.part", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write into {path.parent}: {exc.strerror or exc}") from exc
    book = FastExcel(tmp, output_format="xlsx").freeze(row=1).format(datetime_format="yyyy-mm-dd")
    for name, frame in _split_long(sheets).items():
        columns, widths, formats = {}, {}, {}
        truncated[name] = 0
        for c in frame.columns:
            values, cut = _cell_values(frame[c])
            truncated[name] += cut
            columns[str(c)] = values
            widths[str(c)] = _width(str(c), values)
            if "amount" in str(c):
                formats[str(c)] = money
        data = pd.DataFrame(columns, dtype=object) if columns else pd.DataFrame({"": []}, dtype=object)
        validations = {}
        if dropdowns and name in dropdowns and dropdowns[name][0] in columns:
            col, choices = dropdowns[name]
            validations = {col: {"type": "list", "values": choices}}
        book.sheet(name, data, column_widths=widths, column_formats=formats or None, header_format=header,
                   autofilter=True, data_validations=validations or None)
    try:
        book.save()
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return truncated


def _split_long(sheets: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A frame longer than a sheet holds continues on "<name> (2)", "<name> (3)": Lineage of a
    full 1,048,576-row input has one row more than Excel allows."""
    out = {}
    for name, frame in sheets.items():
        if len(frame) <= EXCEL_MAX_ROWS:
            out[name] = frame
            continue
        for part, start in enumerate(range(0, len(frame), EXCEL_MAX_ROWS), start=1):
            out[name if part == 1 else f"{name} ({part})"] = frame.iloc[start:start + EXCEL_MAX_ROWS]
    return out


def current_umask() -> int:
    """The process's umask, so files written via a temporary name get the usual permissions."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
