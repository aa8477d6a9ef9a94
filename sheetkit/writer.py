"""Writes the cleaned workbook: the only code that creates xlsx files.

The writer is rvgsrust-xlsxwriter, a binding of the Rust rust_xlsxwriter. Columns reach
it as Arrow arrays, so no Python object is made per cell, and sheets are written in
constant-memory mode: about 1 µs a cell, most of it the deflate of the sheet's XML
(pure-Python writers take 5). It can also give one cell its own format and a note,
which highlighting a value needs. Strings are always written as text, so a customer
named "=HYPERLINK(...)" never becomes a formula; a text starting with = + - @ also gets
Excel's quote prefix (the ' Excel itself adds to such a text), so editing the cell or
saving the sheet as CSV does not turn it into one either.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import wait
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import rvgsrust_xlsxwriter as xlsx

from .bookjoin import join_books
from .columns import EXCEL_MAX_CELL
from .errors import OutputError
from .parallel import beside

log = logging.getLogger(__name__)

EXCEL_MAX_ROWS = 1_048_575  # data rows under the header on one sheet
EXCEL_MAX_COLUMNS = 16_384
MAX_COMMENTS = 20_000       # cell notes per workbook; every listed cell still gets the fill
HIGHLIGHT = "#FFEB9C"       # pale orange, Excel's own "check this" fill
_BLOCK_ROWS = 100_000       # rows converted to Arrow at a time, so the copy stays small
_IN_COPIES_FROM = 2_000_000  # filled cells from which a workbook is written in copies (bookjoin.py): ~2 s of writing
_COPIES = 4                  # of about a quarter of the cells each, after the first
_DATE, _MONEY = "yyyy-mm-dd", "#,##0.00"
_MAX_WIDTH, _MIN_WIDTH = 50, 6
_SHORT_ROWS, _MAX_SHORT_WIDTH = 200, 80  # a sheet this short is read row by row: fit its longest value
_DROPDOWN_WARNING = ("sheetkit reads only the words in this cell's list; anything else is ignored "
                     "and named when the next run reads this workbook. "
                     "只认列表中的词，其他内容会被忽略。")
_FIRST_DAY, _LAST_DAY = pd.Timestamp("1900-01-01"), pd.Timestamp("9999-12-31")  # Excel's dates; others as text
FORMULA_START = r"^[=+\-@]"  # what makes Excel read typed text as a formula
# Beyond this many such texts in a block of a column, the whole column gets the quote prefix
# (harmless on other text): a cell of its own costs ~0.15 ms, and +86 phones start every row.
_QUOTED_CELLS = 1_000


@dataclass
class _Block:
    """Rows of one sheet as an Arrow table, and the cells the table cannot hold (a text in a
    date column, a date before 1900), written one by one: (row, column) -> value."""

    table: pa.Table
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    truncated: int = 0


class _Formats:
    """The workbook's cell formats, each made once: (number format, highlighted, quote prefix) -> Format."""

    def __init__(self, book: xlsx.Workbook) -> None:
        self._book, self._made = book, {}
        self.header, self.quoted_header = self._header(), self._header()
        self.quoted_header.set_quote_prefix()

    def _header(self) -> xlsx.Format:
        fmt = self._book.add_format()
        fmt.set_bold()
        fmt.set_background_color("#DCE6F1")
        fmt.set_border("thin")
        fmt.set_text_wrap()
        return fmt

    def get(self, num_format: str | None, highlight: bool = False, quote: bool = False) -> xlsx.Format | None:
        if not (num_format or highlight or quote):
            return None
        if (num_format, highlight, quote) not in self._made:
            fmt = self._book.add_format()
            if num_format:
                fmt.set_num_format(num_format)
            if highlight:
                fmt.set_background_color(HIGHLIGHT)
            if quote:
                fmt.set_quote_prefix()
            self._made[num_format, highlight, quote] = fmt
        return self._made[num_format, highlight, quote]

    def number_all(self, ws: xlsx.Worksheet) -> None:
        """Give every format the writer can use its number in the workbook's style table now,
        always in the same order, by writing cell A1 with each (the header then takes A1).
        The writer numbers a style when a cell first uses it, so without this the numbers
        would follow the data, and copies of a workbook (bookjoin.py) would differ."""
        for fmt in [self.header, self.quoted_header] + [
                self.get(num_format, highlight, quote)
                for num_format in (None, _DATE, _DATE + " hh:mm:ss", _MONEY)
                for highlight in (False, True) for quote in (False, True) if num_format or highlight or quote]:
            ws.write(0, 0, "", fmt)
        ws.clear_cell(0, 0)


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path,
                   dropdowns: dict[str, tuple[str, list[str]]] | None = None,
                   notes: dict[str, pd.DataFrame] | None = None,
                   freeze: dict[str, str] | None = None,
                   tick: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Write ``sheets`` (name -> frame) to ``path`` atomically; returns cells truncated per sheet.

    Every sheet gets a bold frozen header, a filter, widths from its content (a short
    sheet's fit its longest value) and real date and number formats, and prints
    landscape, one page wide, with the header row on every page. ``freeze`` maps a
    sheet to the column up to which columns stay in view as one scrolls right.
    ``dropdowns`` maps a sheet to (column, choices) for a validation list (the Review
    sheet's decision column); it warns about other text rather than refusing it. Texts
    longer than Excel's 32,767 characters are truncated (and counted) so the file
    always opens; a frame longer than 1,048,575 rows continues on a sheet named "<name> (2)", one wider than
    16,384 columns on "<name> (columns 2)" (each starting with the frame's first column).
    ``tick`` is called with (rows written, rows in all) after each block of rows. From
    ``_IN_COPIES_FROM`` filled cells the sheets are written as copies of the workbook, each
    closed (deflated) on a thread while the next is written, then joined (bookjoin.py): the
    same file, sooner.

    ``notes`` maps a sheet to the cells to highlight: a frame with ``row`` (position in
    that sheet's frame), ``column`` (name) and ``message``. Each listed cell gets a pale
    orange fill, and the first 20,000 of the workbook (``MAX_COMMENTS``) also get the
    message as a note: notes are drawn shapes in xlsx (about 10 KB of memory each while
    writing), and many thousands of them make the file slow to open. Messages for the
    same cell are joined, one per line. A row with a highlighted cell costs about 0.15 ms
    (it breaks the bulk write), so 20,000 such rows add about 3 s.

    Raises:
        OutputError: the file cannot be written.
    """
    path = Path(path)
    tmp = _temp_beside(path)
    parts = list(_split_long(sheets, notes or {}))
    book = _Book(parts, dropdowns or {}, freeze or {}, _Progress(sum(len(f) for f in sheets.values()), tick))
    try:
        groups = _groups(parts)
        truncated = _write_in_turns(book, groups, tmp, path) if groups else book.write(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return truncated


def _temp_beside(path: Path) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx.part", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write into {path.parent}: {exc.strerror or exc}") from exc
    return tmp


class _Progress:
    """Rows written so far, told to ``tick``."""

    def __init__(self, total: int, tick: Callable[[int, int], None] | None) -> None:
        self.done, self.total, self._tick = 0, total, tick

    def add(self, rows: int) -> None:
        self.done += rows
        if self._tick:
            self._tick(self.done, self.total)


@dataclass
class _Book:
    """The sheets of one workbook, to write whole or a group of sheets at a time."""

    parts: list[tuple[str, str, pd.DataFrame, dict[tuple[int, int], str]]]
    dropdowns: dict[str, tuple[str, list[str]]]
    freeze: dict[str, str]
    progress: _Progress

    def write(self, path: str) -> dict[str, int]:
        made, truncated = self.make()
        made.close(path)
        return truncated

    def make(self, rows_of: set[str] | None = None) -> tuple[xlsx.Workbook, dict[str, int]]:
        """The workbook, left to close; with ``rows_of``, only those sheets get their rows (the
        others their header, frozen panes, filter and print setup, which workbook.xml holds)."""
        book = xlsx.Workbook()
        formats = _Formats(book)
        comments = [MAX_COMMENTS]  # left for the whole workbook, spent sheet by sheet
        truncated = {}
        for number, (sheet, name, frame, marks) in enumerate(self.parts):
            light = rows_of is not None and name not in rows_of
            cut = _write_sheet(book, formats, name, frame, {} if light else marks, self.dropdowns.get(sheet),
                               comments, self.freeze.get(sheet), None if light else self.progress,
                               first=number == 0, light=light)
            if not light:
                truncated[name] = cut
        return book, truncated


def _write_in_turns(book: _Book, groups: list[set[str]], tmp: str, path: Path) -> dict[str, int]:
    """Each group's rows written into a copy of the workbook of its own, in turn, on this
    thread (which holds the GIL for it); each copy closed on a thread of its own while the
    next is written (the deflate lets go of the GIL); then joined into ``tmp`` (bookjoin.py)."""
    copies: list[str] = []
    closing: list = []
    try:
        for _ in groups:
            copies.append(_temp_beside(path))
        truncated: dict[str, int] = {}
        try:
            for group, copy in zip(groups, copies):
                made, cut = book.make(group)
                truncated.update(cut)
                closing.append(beside(partial(made.close, copy), "workbook"))
        finally:
            wait(closing)  # a copy is removed below only once nothing writes it
        for job in closing:
            job.result()  # what a close raised (a full disk), raised here
        others = [(Path(copy), group) for copy, group in zip(copies[1:], groups[1:])]
        if not join_books(Path(copies[0]), others, Path(tmp)):
            log.warning("the copies of %s did not agree; writing it again in one piece", path.name)
            book.progress = _Progress(0, None)
            return book.write(tmp)
        return truncated
    finally:
        for copy in copies:
            if os.path.exists(copy):
                os.unlink(copy)


def _groups(parts) -> list[set[str]]:
    """The sheets by workbook copy, in the order they are written; none (one copy) for a
    workbook under ``_IN_COPIES_FROM`` filled cells.

    The first copy carries the parts beside the sheets, so it holds the sheets with notes
    (their drawings are parts of their own) and the small sheets. The others follow, largest
    first, about a quarter of the cells a copy: the last copy's close is the time nothing
    overlaps, so it is kept small."""
    step = {name: max(1, len(frame) // 10_000) for _, name, frame, _ in parts}  # counted on a sample of rows
    cells = {name: int(frame.iloc[::step[name]].count().sum()) * step[name] for _, name, frame, _ in parts}
    total = sum(cells.values())
    if total < _IN_COPIES_FROM:
        return []
    share = total / _COPIES
    first = {name for _, name, _, marks in parts if marks or cells[name] < share / 10}
    groups, group, size = [first], set(), 0
    for name in sorted(cells.keys() - first, key=cells.get, reverse=True):
        group.add(name)
        size += cells[name]
        if size >= share:
            groups.append(group)
            group, size = set(), 0
    if group:
        groups.append(group)
    return groups if sum(1 for g in groups if g) > 1 else []  # one sheet's rows alone: nothing to overlap


def _write_sheet(book: xlsx.Workbook, formats: _Formats, name: str, frame: pd.DataFrame,
                 marks: dict[tuple[int, int], str], dropdown: tuple[str, list[str]] | None,
                 comments: list[int], freeze_after: str | None = None, progress: _Progress | None = None,
                 first: bool = False, light: bool = False) -> int:
    """One sheet, a block of rows at a time; returns how many texts were truncated. The
    ``first`` sheet of a workbook numbers its styles first; a ``light`` one gets no rows."""
    ws = book.add_worksheet(name, constant_memory=True)
    if first:
        formats.number_all(ws)
    headers = [str(c) for c in frame.columns]
    for col, header in enumerate(headers):
        ws.write(0, col, header, formats.quoted_header if _is_formula_like(header) else formats.header)
    ws.freeze_panes(1, headers.index(freeze_after) + 1 if freeze_after in headers else 0)
    _set_printing(ws)
    if headers:
        ws.autofilter(0, 0, len(frame), len(headers) - 1)
    if dropdown and dropdown[0] in headers:
        col = headers.index(dropdown[0])
        ws.add_data_validation(1, col, max(len(frame), 1), col, _dropdown(dropdown[1]))
    cut = 0
    for start in range(0, 0 if light else max(len(frame), 1), _BLOCK_ROWS):
        block = _to_arrow(frame.iloc[start:start + _BLOCK_ROWS])
        if start == 0:  # widths from the first rows, before any row is written
            own: dict[int, list[object]] = {}  # cells the Arrow column does not hold (Summary's rule texts)
            for (r, c), value in block.cells.items():
                if r < 500:
                    own.setdefault(c, []).append(value)
            for col, header in enumerate(headers):
                ws.set_column_width(col, _width(header, block.table.column(col), own.get(col, []),
                                                short=len(frame) <= _SHORT_ROWS))
        end = start + block.table.num_rows
        here = {(r - start, c): m for (r, c), m in marks.items() if start <= r < end}
        _write_block(ws, formats, block, start + 1, here, comments)
        cut += block.truncated
        if progress:
            progress.add(block.table.num_rows)
    return cut


def _set_printing(ws: xlsx.Worksheet) -> None:
    """Landscape, one page wide (as many pages tall as it takes), the header on every page:
    printed as it was, Customers came out as dozens of portrait pages of four columns."""
    ws.set_landscape()
    ws.set_print_fit_to_pages(1, 0)
    ws.set_repeat_rows(0, 0)


def _dropdown(choices: list[str]) -> xlsx.DataValidation:
    """A list of ``choices`` that warns about other text instead of refusing it: a person
    can still type a spelling the reader understands but the list does not show (Ｙｅｓ)."""
    rule = xlsx.DataValidation()
    rule.allow_list_strings(choices)
    rule.set_error_style("warning")
    rule.set_error_title("sheetkit")
    rule.set_error_message(_DROPDOWN_WARNING)
    return rule


def _write_block(ws: xlsx.Worksheet, formats: _Formats, block: _Block, first: int,
                 marks: dict[tuple[int, int], str], comments: list[int]) -> None:
    """Rows of a block from sheet row ``first`` on. The Arrow table goes in bulk; a row with
    cells of their own is written up to that row, then those cells over it (constant-memory
    mode keeps the last row open until the next one starts)."""
    table = block.table
    money = [pa.types.is_floating(t) and "amount" in n for n, t in zip(table.column_names, table.schema.types)]
    column_formats = {n: formats.get(_MONEY) for n, m in zip(table.column_names, money) if m}
    own: dict[int, list[tuple[int, object, xlsx.Format | None, str | None]]] = {}
    for (r, c), value in block.cells.items():
        if (r, c) not in marks:
            own.setdefault(r, []).append((c, value, formats.get(_num_format(value, money[c]),
                                                                 quote=_is_formula_like(value)), None))
    for (r, c), message in marks.items():
        value = block.cells[r, c] if (r, c) in block.cells else _python_value(table.column(c)[r].as_py())
        fmt = formats.get(_num_format(value, money[c]), highlight=True, quote=_is_formula_like(value))
        own.setdefault(r, []).append((c, value, fmt, message))
    quoted = formats.get(None, quote=True)
    for c, rows in _formula_like_cells(table).items():
        if len(rows) > _QUOTED_CELLS:  # the column's usual form (+86 phones): quote it whole, in bulk
            column_formats[table.column_names[c]] = quoted
            continue
        for r in rows:  # few: just those cells, each breaking the bulk write at its row
            if (r, c) not in marks and (r, c) not in block.cells:
                own.setdefault(r, []).append((c, table.column(c)[r].as_py(), quoted, None))
    done = 0
    for r in sorted(own):
        ws.write_dataframe(first + done, 0, table.slice(done, r + 1 - done), write_header=False,
                           column_formats=column_formats or None)
        for c, value, fmt, message in own[r]:
            ws.write(first + r, c, value, fmt)
            if message is not None and comments[0] > 0:
                note = xlsx.Note(message)
                note.set_author("sheetkit")
                ws.insert_note(first + r, c, note)
                comments[0] -= 1
        done = r + 1
    if done < table.num_rows:
        ws.write_dataframe(first + done, 0, table.slice(done), write_header=False,
                           column_formats=column_formats or None)


def _formula_like_cells(table: pa.Table) -> dict[int, list[int]]:
    """Column -> rows of the texts in ``table`` that Excel would read as a formula if typed:
    one regex per text column in Arrow's C++, then Python only for the cells found."""
    found = {}
    for c, (column, kind) in enumerate(zip(table.columns, table.schema.types)):
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            hits = pc.indices_nonzero(pc.fill_null(pc.match_substring_regex(column, FORMULA_START), False))
            if len(hits):
                found[c] = hits.to_pylist()
    return found


def _is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value[:1] in ("=", "+", "-", "@")


def _num_format(value: object, money: bool) -> str | None:
    if isinstance(value, dt.datetime):
        return _DATE if value == dt.datetime(value.year, value.month, value.day) else _DATE + " hh:mm:ss"
    return _MONEY if money and isinstance(value, float) else None


def _to_arrow(frame: pd.DataFrame) -> _Block:
    """Rows of a frame as an Arrow table the writer reads without Python objects."""
    arrays, block = [], _Block(pa.table({}))
    empty = frame.isna().all().to_numpy() if frame.shape[1] > 64 else np.zeros(frame.shape[1], bool)
    for col in range(frame.shape[1]):
        if empty[col]:  # one pass over a wide frame finds its empty columns: nothing to convert
            arrays.append(pa.nulls(len(frame), type=pa.large_string()))
            continue
        array, cells, cut = _arrow_column(frame.iloc[:, col].reset_index(drop=True))
        arrays.append(array)
        block.cells.update({(int(r), col): v for r, v in cells.items()})
        block.truncated += cut
    block.table = pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])
    return block


def _arrow_column(s: pd.Series) -> tuple[pa.Array, pd.Series, int]:
    """A column as an Arrow array of one type; the values that type cannot hold (by
    position, as plain Python values); how many texts were truncated."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(s.dtype):
        early = ((s < _FIRST_DAY) | (s > _LAST_DAY)).to_numpy()  # NaT compares False
        text = s[early].map(_iso) if early.any() else _NONE
        s = s.mask(early)
        # Dates without a time go as Arrow dates, which the writer shows as yyyy-mm-dd.
        array = pa.array(s, from_pandas=True)
        whole_days = bool((s.dt.normalize() == s).where(s.notna(), True).all())
        return array.cast(pa.date32()) if whole_days else array, text, 0
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        return pa.array(s.astype("float64") if s.dtype.kind == "c" else s, from_pandas=True), _NONE, 0
    if s.dtype != object and not pd.api.types.is_string_dtype(s.dtype):
        s = s.astype(object)  # categories, periods, intervals: written as their values
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("datetime", "datetime64", "date"):
        try:
            return _arrow_column(pd.to_datetime(s, cache=False))  # the cache hashes every value first
        except (ValueError, TypeError, OverflowError):  # mixed time zones, out of range
            return _mixed_column(s)
    if kind in ("integer", "floating", "mixed-integer-float", "boolean", "decimal"):
        return _arrow_column(s.astype("boolean" if kind == "boolean" else "float64"))
    if kind not in ("string", "empty"):
        return _mixed_column(s)
    array = pa.array(s, type=pa.large_string(), from_pandas=True)
    long = pc.greater(pc.utf8_length(array), EXCEL_MAX_CELL)
    cut = pc.sum(long).as_py() or 0
    if cut:
        array = pc.if_else(long, pc.utf8_slice_codeunits(array, 0, EXCEL_MAX_CELL), array)
    return array, _NONE, cut


_NONE = pd.Series([], dtype=object)


def _mixed_column(s: pd.Series) -> tuple[pa.Array, pd.Series, int]:
    """A column holding several kinds of value, such as dates where valid and the text as
    written where not: the most common kind goes to Arrow, the others are written one by one."""
    kinds = s.map(_kind)  # per value, but only for such columns
    main = kinds.value_counts().idxmax() if kinds.notna().any() else "text"
    ours = kinds.eq(main)
    keep = s.where(ours, None)
    if main == "text":
        keep = keep.map(lambda v: v if v is None or isinstance(v, str) else str(v))
    array, extra, cut = _arrow_column(keep.astype(object) if main == "text" else
                                      pd.to_datetime(keep.map(_naive), cache=False) if main == "date" else
                                      keep.astype("boolean" if main == "bool" else "float64"))
    others = s[kinds.notna() & ~ours].map(_python_value)
    cut += int(others.map(lambda v: isinstance(v, str) and len(v) > EXCEL_MAX_CELL).sum())
    others = others.map(lambda v: v[:EXCEL_MAX_CELL] if isinstance(v, str) else v)
    return array, pd.concat([extra, others]) if len(extra) else others, cut


def _kind(v: object) -> str | None:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.datetime64) and np.isnat(v):
        return None
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (int, float, np.integer, np.floating)):
        return "number"
    return "date" if isinstance(v, (dt.date, np.datetime64)) else "text"


def _python_value(v: object) -> object:
    """One cell's value as the writer takes it: None, str, float, bool or a datetime from 1900."""
    kind = _kind(v)
    if kind is None:
        return None
    if kind == "bool":
        return bool(v)
    if kind == "number":
        return float(v)
    if kind == "date":
        when = _naive(v).to_pydatetime()
        return when if _FIRST_DAY <= when <= _LAST_DAY else _iso(when)
    return str(v)


def _naive(v: object) -> pd.Timestamp | None:
    """A date or time as a Timestamp without time zone, keeping the clock time it shows."""
    if v is None:
        return None
    when = pd.Timestamp(v)
    return when.tz_localize(None) if when.tzinfo else when


def _iso(when: dt.datetime) -> str:
    """A date Excel cannot hold, as text: 1850-01-01, or 1850-01-01 09:30:00 with a time."""
    return when.isoformat(sep=" ") if when.time() != dt.time() else when.date().isoformat()


def _width(header: str, values: pa.ChunkedArray, others: Sequence[object] = (), short: bool = False) -> float:
    """A column width from the header and the 95th-percentile length of the first 500 values
    (``others``: those written apart from the Arrow column); in a ``short`` sheet (Summary,
    Sources), the longest value, up to a wider cap: there a rule's text is one of a few
    values, and the percentile would cut it off."""
    if (pa.types.is_timestamp(values.type) or pa.types.is_date(values.type)) and not others:
        return float(min(max(max(10, _display_len(header)) + 2, _MIN_WIDTH), _MAX_WIDTH))
    sample = [v for v in values.slice(0, 500).to_pylist() if v is not None] + [v for v in others if v is not None]
    lengths = sorted(_display_len(v if isinstance(v, str) else str(v)) for v in sample) or [0]
    longest = max(lengths[-1 if short else int(len(lengths) * 0.95)], _display_len(header))
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_SHORT_WIDTH if short else _MAX_WIDTH))


def _display_len(text: str) -> int:
    # CJK characters take two columns in Excel's default font.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text[:200])


def _split_long(sheets: dict[str, pd.DataFrame], notes: dict[str, pd.DataFrame]):
    """(sheet, name, frame, highlighted cells) per sheet to write. A frame longer than a sheet
    holds continues on "<name> (2)", "<name> (3)": Lineage of a full 1,048,576-row input has
    one row more than Excel allows. Cells are (row in that part, column number) -> message."""
    for sheet, whole in sheets.items():
        for width, (frame, offset) in enumerate(_split_wide(whole), start=1):
            marks = _marks(frame, notes.get(sheet) if offset == 0 else None)
            title = sheet if width == 1 else f"{sheet} (columns {width})"
            for part, start in enumerate(range(0, max(len(frame), 1), EXCEL_MAX_ROWS), start=1):
                end = start + EXCEL_MAX_ROWS
                yield (sheet, title if part == 1 else f"{title} ({part})", frame.iloc[start:end],
                       {(r - start, c): m for (r, c), m in marks.items() if start <= r < end})


def _split_wide(frame: pd.DataFrame):
    """(frame, first column's position) per sheet: a frame wider than Excel's 16,384 columns
    continues on more sheets, each starting with the frame's first column (its key, such as
    customer_id) so a row can be found again."""
    if frame.shape[1] <= EXCEL_MAX_COLUMNS:
        yield frame, 0
        return
    yield frame.iloc[:, :EXCEL_MAX_COLUMNS], 0
    for start in range(EXCEL_MAX_COLUMNS, frame.shape[1], EXCEL_MAX_COLUMNS - 1):
        yield frame.iloc[:, [0, *range(start, min(start + EXCEL_MAX_COLUMNS - 1, frame.shape[1]))]], start


def _marks(frame: pd.DataFrame, notes: pd.DataFrame | None) -> dict[tuple[int, int], str]:
    """Listed cells that exist in ``frame``: (row, column number) -> their messages, one a line."""
    if notes is None or notes.empty:
        return {}
    position = {str(c): i for i, c in reversed(list(enumerate(frame.columns)))}
    cols = notes["column"].astype(str).map(position)
    rows = pd.to_numeric(notes["row"], errors="coerce")
    ok = cols.notna() & rows.between(0, len(frame) - 1)
    if not ok.all():
        log.debug("%d highlighted cells are outside their sheet and left out", int((~ok).sum()))
    listed = pd.DataFrame({"row": rows[ok].astype(int), "col": cols[ok].astype(int),
                           "message": notes["message"][ok].astype(str)}).drop_duplicates()
    several = listed.duplicated(["row", "col"], keep=False)
    joined = pd.concat([listed[~several].set_index(["row", "col"])["message"],
                        listed[several].groupby(["row", "col"])["message"].agg("\n".join)]).sort_index()
    return dict(zip(joined.index, joined.to_numpy()))


def current_umask() -> int:
    """The process's umask, so files written via a temporary name get the usual permissions."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
