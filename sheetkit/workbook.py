"""Reads spreadsheet files into grids of text cells: the only code that opens inputs.

Every cell is turned into text here, exactly as the user typed it where possible:
numbers are read without losing leading zeros or digits (13812345678.0 becomes
"13812345678"), real dates become ISO text, formula cells give their cached value,
empty cells become None, error cells (#N/A) are listed. Types are given back later,
by the schema (see TRAPS: readers that type columns lose data).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import fastexcel
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine as calamine
from .errors import SourceError
from .parallel import run_all
from .textfile import CONTROL, TextError, read_text_table, utf16_without_bom
from .xlsxmeta import read_xlsx_meta, sheet_parts
from .zipguard import Extent, check_xlsx
from .values.text import python_text

log = logging.getLogger(__name__)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MERGE_FILL_LIMIT = 100_000       # cells filled from one merged range, at most
_MERGE_CHECK_CELLS = 500_000      # larger sheets are exports: merged ranges not looked up (it re-reads the sheet)
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|table|title|style|script)\b")
_THREADED_ROWS = 50_000           # a sheet this long has its columns converted on the cores
_WIDE = 1024                      # columns past which entirely empty ones are dropped as read
_MIDNIGHT = r"^\d{4}-\d{2}-\d{2} 00:00:00$"  # how fastexcel writes a date cell as text
# Files people keep beside their sheets, by their first bytes: named as what they are.
_NOT_SHEETS = [(b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
               (b"%PDF", "a PDF document"), (b"{\\rtf", "an RTF document"),
               (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"\x1f\x8b", "a gzip archive")]


@dataclass
class SheetGrid:
    """One sheet as text: ``cells`` is indexed by the row number Excel shows (CSV: record number)."""

    file: str
    sheet: str
    cells: pd.DataFrame
    visible: bool = True
    notes: list[str] = field(default_factory=list)
    cell_errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, detail)
    issues: list[dict] = field(default_factory=list)  # code, and source_row, column, value where known
    date_1904: bool = False  # the workbook counts days from 1904 (old Mac Excel): serials mean other days


def _sniff_kind(path: Path, head: bytes) -> str:
    """What the file really is, whatever its name says: zip, ole, html, text or empty."""
    if not head:
        return "empty"
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"<?xml") or (stripped.startswith(b"<") and _HTML.search(stripped)):
        return "html"
    if path.suffix.lower() not in (".csv", ".tsv", ".txt") and _HTML.search(stripped):
        return "html"  # an export with a line of text before its markup; a CSV may quote a tag
    for magic, what in _NOT_SHEETS:
        if head.startswith(magic):
            return what
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(head):
        return "text"
    # A stray NUL or two in a CSV export is damage inside a text file, not a binary file:
    # the records around it are kept (textfile removes control characters). A file named
    # as a workbook with control bytes in it is a damaged workbook.
    controls = sum(head.count(bytes([b])) for b in range(32) if b not in (9, 10, 13, 27))
    text_name = path.suffix.lower() in (".csv", ".tsv", ".txt")
    if controls > (max(4, len(head) // 100) if text_name else 0):
        return "binary"
    return "text"


def _read_head(path: Path, name: str, size: int) -> bytes:
    """The first bytes of a regular file. Opened without blocking and checked before reading:
    a named pipe would wait forever for a writer, a device never ends."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SourceError(name, f"cannot open: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SourceError(name, "not a regular file (a named pipe, socket or device): not read")
        return fh.read(size)


def _check_zip(source: Path | io.BytesIO, name: str, unmerged: set[str] | None = None) -> dict[str, Extent]:
    """Refuse corrupt zips and zip bombs (by what they really inflate to) before any parser
    sees them; the sheets whose cells lie so far apart they must be read sparsely, by name.

    ``unmerged``, if given, receives the names of the sheets known to hold no merged
    range: their part was named by the workbook and streamed past without a ``mergeCell``."""
    data = source.getvalue() if isinstance(source, io.BytesIO) else source
    merged: set[str] | None = set() if unmerged is not None else None
    far = check_xlsx(data, name, merged)
    parts = sheet_parts(data) if far or unmerged is not None else {}
    if unmerged is not None:
        unmerged.update(sheet for sheet, part in parts.items()
                        if part not in merged and "worksheets/" in part and part.endswith(".xml"))
    if not far:
        return {}
    return {sheet: far[part] for sheet, part in parts.items() if part in far and far[part].sparse}


def read_workbook(path: Path, display: str | None = None, password: str | None = None) -> list[SheetGrid]:
    """Every sheet of a spreadsheet file as a text grid.

    Args:
        path: an .xlsx/.xlsm/.xlsb/.xls/.ods workbook or a .csv/.tsv/.txt file; the
            content decides how it is read, not the name.
        display: the file name to report (defaults to the file name).
        password: opens a password-protected workbook.

    Raises:
        SourceError: the file cannot be read; the message says why in one line.
    """
    name = display or path.name
    head = _read_head(path, name, 4096)
    kind = _sniff_kind(path, head)
    if kind == "empty":
        raise SourceError(name, "the file is empty (0 bytes)")
    if kind == "html":
        raise SourceError(name, "this is a web page (HTML) saved with a spreadsheet name; "
                          "open it in Excel and save it as .xlsx")
    if kind == "binary":
        raise SourceError(name, f"damaged or not a real {path.suffix or 'spreadsheet'} file "
                          "(its content is not a workbook)")
    if kind not in ("text", "zip", "ole"):
        raise SourceError(name, f"not a spreadsheet: this is {kind}")
    if kind == "text":
        grids = [_read_text(path, name)]
        if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
            grids[0].notes.append(f"named {path.suffix} but is a text file; read as CSV")
        return grids
    unmerged: set[str] = set()
    sparse = _check_zip(path, name, unmerged) if kind == "zip" else {}
    return _read_excel(path, name, kind, password, sparse, unmerged)


def read_tables(path: Path, wanted: dict[str, list[str] | None]) -> dict[str, pd.DataFrame]:
    """Sheets with a header row, as text, from a workbook sheetkit wrote (a previous run).

    Args:
        path: the workbook.
        wanted: sheet name -> the columns to read (None: all). A sheet continued on
            "<name> (2)", "<name> (3)" (longer than Excel allows) is read whole.

    Returns:
        The wanted sheets that exist, each a frame of text (None for empty cells).

    Raises:
        SourceError: the file is not a workbook that can be read.
    """
    name = path.name
    head = _read_head(path, name, 8)
    if not head.startswith(_ZIP_MAGIC):
        raise SourceError(name, "not an .xlsx workbook (damaged, empty or another kind of file)")
    sparse = _check_zip(path, name)
    try:
        reader = fastexcel.read_excel(str(path))
        tables = {}
        for sheet, columns in wanted.items():
            parts = [n for n in reader.sheet_names if n == sheet or (n.startswith(f"{sheet} (") and n.endswith(")"))]
            frames = []
            for part in parts:
                if part in sparse:  # far-flung cells: the fast reader would fill the box between them
                    frame = _sparse_table(str(path), part)
                    frame = frame[[c for c in frame.columns if not columns or c in columns]]
                else:
                    use = (lambda c, keep=set(columns): c.name in keep) if columns else None
                    frame = reader.load_sheet(part, dtypes="string", use_columns=use).to_pandas()
                frames.append(frame.astype(object).where(frame.notna(), None))
            if frames:
                tables[sheet] = pd.concat(frames, ignore_index=True)
    except Exception as exc:
        raise SourceError(name, f"the workbook cannot be read ({_short(exc)})") from exc
    return tables


def _open_encrypted(path: Path, name: str, password: str | None) -> io.BytesIO:
    try:
        import msoffcrypto
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise SourceError(name, "the workbook is password-protected; install msoffcrypto-tool "
                          "and pass --password") from exc
    with open(path, "rb") as fh:
        try:
            office = msoffcrypto.OfficeFile(fh)
        except Exception as exc:  # a truncated OLE file fails in many ways, all "damaged"
            raise SourceError(name, "the file is damaged (not a readable workbook)") from exc
        if not office.is_encrypted():
            raise SourceError(name, "the file is damaged (not a readable workbook)")
        if password is None:
            raise SourceError(name, "the workbook is password-protected; pass --password")
        out = io.BytesIO()
        try:
            office.load_key(password=password)
            office.decrypt(out)
        except Exception as exc:
            raise SourceError(name, "the password does not open this workbook") from exc
    out.seek(0)
    return out


def _sparse_table(source: str, sheet: str) -> pd.DataFrame:
    """A sheet read sparsely as a table: its first row holding cells is the header."""
    from .sparse import read_sparse_sheet  # openpyxl, only for far-flung sheets: imported when one is met
    _, columns, _ = read_sparse_sheet(source, sheet)
    cells = _text_frame(columns)
    if cells.empty:
        return pd.DataFrame()
    header = [str(v) if v is not None else f"__UNNAMED__{i}" for i, v in enumerate(cells.iloc[0])]
    return pd.DataFrame(cells.iloc[1:].to_numpy(), columns=header)


def _read_excel(path: Path, name: str, kind: str, password: str | None,
                sparse: dict[str, Extent], unmerged: set[str] = frozenset()) -> list[SheetGrid]:
    """Every worksheet as text cells: fastexcel reads the cells (Rust calamine, straight to
    Arrow text, about 10 s for 1,048,576 rows x 14), python-calamine the merged ranges of
    the sheets not known to have none (``unmerged``, from the zip check): it loads the
    whole sheet again to find them."""
    source: str | bytes = str(path)
    try:
        reader = fastexcel.read_excel(source)
    except Exception as exc:
        if kind != "ole":
            raise SourceError(name, f"the workbook cannot be read ({_short(exc)})") from exc
        # An OLE container that is not a readable .xls is usually an encrypted xlsx.
        decrypted = _open_encrypted(path, name, password)
        unmerged = set()
        sparse = _check_zip(decrypted, name, unmerged)  # the decrypted workbook could be a bomb too
        source = decrypted.getvalue()
        try:
            reader = fastexcel.read_excel(source)
        except Exception as exc2:
            raise SourceError(name, f"the workbook cannot be read ({_short(exc2)})") from exc2
    meta = read_xlsx_meta(source)
    grids = []
    for sheet_name in reader.sheet_names:
        if sheet_name in sparse:
            grids.append(_read_sparse(source, name, sheet_name, sparse[sheet_name], meta.date_1904))
            continue
        try:
            sheet = reader.load_sheet(sheet_name, header_row=None, dtypes="string", skip_rows=0)
            table, errors = sheet.to_arrow_with_errors()
        except Exception as exc:
            raise SourceError(name, f"sheet {sheet_name!r} cannot be read ({_short(exc)})") from exc
        visible = sheet.visible == "visible"
        columns = table.columns
        del sheet, table  # the reader's copy of the cells and the Arrow batch go as columns convert
        cells = _text_frame(columns, drop_empty=len(columns) > _WIDE)
        grid = SheetGrid(name, sheet_name, cells, visible=visible)
        if errors is not None:
            grid.cell_errors = [(e.position[0] + 1, e.position[1], e.detail) for e in errors.errors]
        grid.date_1904 = meta.date_1904
        if cells.size > _MERGE_CHECK_CELLS:
            ranges, left = None, None
        elif sheet_name in unmerged:
            ranges, left = [], None  # no merged range: the first used column is not needed
        else:
            ranges, left = _merged_ranges(source, sheet_name)
        if ranges is None:
            grid.notes.append("merged cells not expanded (sheet too large to check)")
        else:
            _fill_merged(cells, ranges, left)
        if meta.padded.get(sheet_name):
            _pad_zeros(cells, meta.padded[sheet_name], left if left is not None else _merged_ranges(source, sheet_name)[1])
        grids.append(grid)
    return grids


def _read_sparse(source: str | bytes, name: str, sheet_name: str, extent: Extent, date_1904: bool) -> SheetGrid:
    """A sheet whose cells lie far apart, cell by cell (sparse.py); only rows and columns
    holding something are kept, by their Excel row and their column counted from the first."""
    from .sparse import read_sparse_sheet  # openpyxl, only for far-flung sheets: imported when one is met
    try:
        rows, columns, visible = read_sparse_sheet(source, sheet_name)
    except Exception as exc:
        raise SourceError(name, f"sheet {sheet_name!r} cannot be read ({_short(exc)})") from exc
    cells = _text_frame(columns)
    cells.index = rows
    note = (f"cells far apart ({extent.cells:,} cells in a box of {extent.box:,}): "
            "read cell by cell, empty rows and columns left out")
    log.info("%s › %s: %s", name, sheet_name, note)
    return SheetGrid(name, sheet_name, cells, visible=visible, notes=[note], date_1904=date_1904)


def _text_frame(columns: list[pa.Array], drop_empty: bool = False) -> pd.DataFrame:
    """Arrow text columns to an object frame indexed by Excel row: None for empty or blank
    cells, real dates without a midnight time ("2023-01-05", not "2023-01-05 00:00:00"),
    no control characters or escape sequences (they would act on a terminal or a viewer).

    ``columns`` is emptied as it goes, so each column's Arrow memory is freed once it has
    become Python text. Columns are only copied when they have such cells to change. Long
    columns are converted on the cores: the checks are Arrow's, which lets go of the GIL."""

    def convert(i: int) -> np.ndarray | None:
        col, columns[i] = columns[i], None
        if drop_empty and col.null_count == len(col):  # a wide sheet: work only where cells are
            return None
        stamp = pc.match_substring_regex(col, _MIDNIGHT)
        if pc.any(stamp).as_py():
            col = pc.if_else(stamp, pc.utf8_slice_codeunits(col, 0, 10), col)
        control = pc.match_substring_regex(col, CONTROL)  # _x0007_, an escape sequence pasted in
        if pc.any(control).as_py():
            col = pc.replace_substring_regex(col, CONTROL, "")
        blank = pc.or_(pc.equal(col, ""), pc.utf8_is_space(col))
        if pc.any(blank).as_py():
            col = pc.if_else(blank, pa.scalar(None, col.type), col)
        return python_text(col)

    rows = len(columns[0]) if columns else 0
    texts = run_all([partial(convert, i) for i in range(len(columns))], None if rows >= _THREADED_ROWS else 1)
    cells = pd.DataFrame({i: text for i, text in enumerate(texts) if text is not None}, dtype=object)
    cells.index = pd.RangeIndex(1, len(cells) + 1)
    return cells


def _merged_ranges(source: str | bytes, sheet_name: str) -> tuple[list, int]:
    """The sheet's merged ranges and the first used column (fastexcel starts there)."""
    try:
        wb = (calamine.CalamineWorkbook.from_path(source) if isinstance(source, str)
              else calamine.CalamineWorkbook.from_filelike(io.BytesIO(source)))
        sheet = wb.get_sheet_by_name(sheet_name)
        return list(sheet.merged_cell_ranges or []), sheet.start[1] if sheet.height else 0
    except Exception:  # merged ranges are a nicety: the cells were read already
        return [], 0


def _fill_merged(cells: pd.DataFrame, ranges: list, left: int) -> None:
    """Give every cell of a merged range the value of its top-left cell, as people read it."""
    for (r0, c0), (r1, c1) in ranges:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > _MERGE_FILL_LIMIT:
            continue
        rows = slice(r0 + 1, r1 + 1)
        cols = list(range(c0 - left, c1 - left + 1))
        if r0 + 1 in cells.index and cols and cols[0] in cells.columns:
            value = cells.at[r0 + 1, cols[0]]
            if value is not None:
                cols = [c for c in cols if c in cells.columns]
                cells.loc[rows, cols] = value


def _pad_zeros(cells: pd.DataFrame, found: list[tuple[int, int, int]], left: int) -> None:
    """Show numbers as their zero-padding format does (123 as "00123"): a postcode or a
    customer number keeps its zeros. One vectorised step per column and width."""
    spots = pd.DataFrame(found, columns=["row", "col", "width"])
    spots["col"] -= left
    spots = spots[spots["row"].isin(cells.index) & spots["col"].isin(cells.columns)]
    for (col, width), group in spots.groupby(["col", "width"]):
        values = cells.loc[group["row"].to_numpy(), col].astype("string")
        digits = values.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)
        padded = values[digits].str.zfill(int(width))
        cells.loc[padded.index, col] = padded.astype(object).to_numpy()


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def _read_text(path: Path, name: str) -> SheetGrid:
    try:
        table = read_text_table(path.read_bytes())
    except TextError as exc:
        raise SourceError(name, str(exc)) from exc
    except csv.Error as exc:
        raise SourceError(name, f"the text file cannot be parsed as CSV ({_short(exc)})") from exc
    grid = SheetGrid(name, Path(name).stem, table.frame, notes=table.notes, issues=table.issues)
    return grid
