"""Finds the header row of a sheet, maps its columns onto the schema, and sorts its rows.

Rows are customer rows, or skipped with a reason: a title or note above the header,
the header itself (and a repeated header further down), a totals line, a lone note or
signature line. Blank rows are neither: they carry nothing to account for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import columns as C
from ..config import PipelineConfig
from ..schema import Schema, header_key, match_header
from ..workbook import SheetGrid

IDENTITY_FIELDS = ("name", "family_name", "given_name", "phone", "email", "company")
_TOTALS = re.compile(r"^\s*(合\s*计|小\s*计|总\s*计|总\s*和|汇\s*总|共\s*计|grand\s+total|sub-?total|totals?|sum)"
                     r"\s*[:：]?\s*$", re.IGNORECASE)
_NOTE = re.compile(r"[:：]|制表|审核|签字|签名|说明|注[:：]|prepared by|approved|page \d", re.IGNORECASE)
_JOINED_KINDS = ("phone", "email")  # several such columns are alternates of one field


@dataclass
class ExtractedSheet:
    """The customer rows of one sheet, the rows skipped, and what was found."""

    records: pd.DataFrame
    skipped: pd.DataFrame
    header_row: int | None = None
    mapping: list[dict[str, str]] = field(default_factory=list)
    headers: dict[int, str] = field(default_factory=dict)  # grid column -> header text
    message: str = ""

    @property
    def is_customer_list(self) -> bool:
        return self.header_row is not None


def _skips(grid: SheetGrid, rows, reason: str) -> pd.DataFrame:
    rows = list(rows)
    return pd.DataFrame({C.SOURCE_FILE: grid.file, C.SOURCE_SHEET: grid.sheet,
                         C.SOURCE_ROW: pd.Series(rows, dtype="int64"), "reason": reason})


def _find_header(cells: pd.DataFrame, schema: Schema, scan: int, overrides: dict[str, str]):
    """(row, field per column, how per column) of the best header among the first rows."""
    best = None
    for row in cells.index[:scan]:
        values = cells.loc[row]
        fields, hows = {}, {}
        for col, v in values.items():
            if v is None:
                continue
            f, how = _map_one(schema, str(v), overrides)
            if f:
                fields[col], hows[col] = f, how
        distinct = set(fields.values())
        score = len(distinct)
        if score >= 2 and distinct & set(IDENTITY_FIELDS) and (best is None or score > best[0]):
            best = (score, row, fields, hows)
    return best


def _map_one(schema: Schema, header: str, overrides: dict[str, str]) -> tuple[str | None, str]:
    key = header_key(header)
    for given, target in overrides.items():
        if header_key(given) == key:
            return (target or None), "config"
    return match_header(schema, header)


def _top_of_merged_header(cells: pd.DataFrame, row: int, schema: Schema, overrides) -> int:
    """The first row of a two-row header whose cells are merged down (姓名 over A1:A2):
    such a header's second row repeats the first in those columns and scores higher."""
    above = row - 1
    if above not in cells.index:
        return row
    top, bottom = cells.loc[above], cells.loc[row]
    merged_down = [c for c in cells.columns if top[c] is not None and top[c] == bottom[c]]
    top_fields = {_map_one(schema, str(v), overrides)[0] for v in top if v is not None} - {None}
    return above if merged_down and len(top_fields) >= 2 else row


def _header_names(cells: pd.DataFrame, row: int, schema: Schema, overrides) -> tuple[list[int], dict]:
    """Header rows used, and the header text per column (two-row merged headers flattened)."""
    names = {c: (str(v).strip() if v is not None else None) for c, v in cells.loc[row].items()}
    below = row + 1
    if below in cells.index:
        sub = cells.loc[below]
        parents = [names.get(c) for c in cells.columns]
        merged_parent = {c for i, c in enumerate(cells.columns)
                         if parents[i] and ((i > 0 and parents[i - 1] == parents[i])
                                            or (i + 1 < len(parents) and parents[i + 1] == parents[i]))}
        sub_hits = [c for c, v in sub.items() if v is not None and c in merged_parent
                    and _map_one(schema, str(v), overrides)[0]]
        # A second header row names columns; a data row that happens to contain "电话" does
        # not: every filled cell must repeat its parent or map onto a field.
        header_like = all(v is None or str(v).strip() == names.get(c) or _map_one(schema, str(v), overrides)[0]
                          for c, v in sub.items())
        if sub_hits and header_like:
            for c, v in sub.items():
                if v is None or str(v).strip() == names.get(c):  # empty, or the parent merged down
                    continue
                names[c] = str(v).strip() if c in merged_parent else f"{names.get(c) or ''}{str(v).strip()}"
            return [row, below], names
    return [row], names


def extract_sheet(grid: SheetGrid, schema: Schema, config: PipelineConfig) -> ExtractedSheet:
    """Customer rows of one sheet, with provenance columns and schema field names.

    Args:
        grid: the sheet as text cells, indexed by Excel row number.
        schema: maps headers onto fields through aliases.
        config: ``header_scan_rows`` and ``header_overrides``.

    Returns:
        An ExtractedSheet; ``records`` has source_file, source_sheet, source_row, one
        column per mapped field, and unmapped columns under their header text.
    """
    cells = grid.cells
    filled = cells.notna().sum(axis=1) if len(cells.columns) else pd.Series(0, index=cells.index)
    nonblank = filled[filled > 0].index
    empty_records = pd.DataFrame(columns=C.PROVENANCE)
    if len(nonblank) == 0:
        return ExtractedSheet(empty_records, _skips(grid, [], ""), message="empty sheet")
    found = _find_header(cells.loc[nonblank], schema, config.header_scan_rows, config.header_overrides)
    if found is None:
        return ExtractedSheet(empty_records, _skips(grid, nonblank, "sheet is not a customer list"),
                              message="not a customer list (no header with a name, phone, e-mail "
                                      "or company column among the first rows)")
    _, header_row, _, _ = found
    header_row = _top_of_merged_header(cells, header_row, schema, config.header_overrides)
    header_rows, names = _header_names(cells, header_row, schema, config.header_overrides)

    mapping, field_cols, extras = [], {}, {}
    found_fields = {_map_one(schema, h, config.header_overrides)[0] for h in names.values() if h}
    for col in cells.columns:
        header = names.get(col)
        if header is None:
            if cells.loc[cells.index > header_rows[-1], col].notna().any():
                header = f"column_{int(col) + 1}"
            else:
                continue
        f, how = _map_one(schema, header, config.header_overrides)
        if f == C.NAME and how != "config" and _given_beside_family(header, found_fields, schema):
            f, how = C.GIVEN_NAME, "beside a family-name column"
        kind = schema.fields[f].kind if f else ""
        if f and (f not in field_cols or kind in _JOINED_KINDS):
            field_cols.setdefault(f, []).append(col)
            mapping.append({"header": header, "field": f, "how": how})
        else:
            name = f"{header} (input)" if header in C.RESERVED or header in schema.fields else header
            name = name if name not in extras else f"{name}_{int(col) + 1}"
            extras[name] = col
            mapping.append({"header": header, "field": "", "how": "kept as extra column"})

    body = cells.loc[cells.index > header_rows[-1]]
    body = body.loc[body.index.isin(nonblank)]
    reasons = _classify(body, names, field_cols)
    skipped = [_skips(grid, [r for r in nonblank if r < header_rows[0]], "title or note above the header"),
               _skips(grid, header_rows, "header row")]
    for reason in ("repeated header", "totals line", "note line"):
        skipped.append(_skips(grid, reasons.index[reasons == reason], reason))
    keep = body.loc[reasons == ""]

    # Built as one dict: adding thousands of columns one at a time is quadratic in pandas.
    columns = {C.SOURCE_FILE: grid.file, C.SOURCE_SHEET: grid.sheet,
               C.SOURCE_ROW: keep.index.to_numpy(dtype="int64")}
    for f, cols in field_cols.items():
        values = keep[cols[0]]
        for extra in cols[1:]:  # alternates of a phone or e-mail column: "a; b"
            other = keep[extra]
            values = values.where(other.isna(), values.fillna("").str.cat(other, sep="; ").str.strip("; "))
        if grid.date_1904 and schema.fields[f].kind == "date":
            values = _serials_from_1904(values)
        columns[f] = values.to_numpy()
    for name, col in extras.items():
        columns[name] = keep[col].to_numpy()
    if config.owner_from_sheet and C.OWNER not in columns:
        columns[C.OWNER] = grid.sheet
    records = pd.DataFrame(columns, index=pd.RangeIndex(len(keep)))
    headers = {c: h for c, h in names.items() if h}
    return ExtractedSheet(records, pd.concat(skipped, ignore_index=True), header_rows[0], mapping, headers)


_BARE_NAME = ("名字", "name")  # beside 姓 or Surname these are the given name: 姓 | 名字, Name | Surname


def _given_beside_family(header: str, found: set, schema: Schema) -> bool:
    """Whether a bare "name" header is the given name, a family-name column being beside it."""
    return (header_key(header) in _BARE_NAME and C.FAMILY_NAME in found and C.GIVEN_NAME not in found
            and C.GIVEN_NAME in schema.fields)


def _classify(body: pd.DataFrame, names: dict, field_cols: dict[str, list[int]]) -> pd.Series:
    """Why each row below the header is not a customer ("" when it is one). Works on the
    cells as one NumPy array: a sheet can have a million rows."""
    reasons = pd.Series("", index=body.index, dtype=object)
    if body.empty:
        return reasons
    cells = body.to_numpy(dtype=object)
    filled = pd.notna(cells)
    header = np.array([names.get(c) for c in body.columns], dtype=object)
    n_header = int(pd.notna(header).sum())
    same_as_header = ((cells == header) & filled).sum(axis=1)
    reasons[same_as_header >= max(2, n_header // 2)] = "repeated header"

    first_pos = filled.argmax(axis=1)
    first = pd.Series(cells[np.arange(len(cells)), first_pos], index=body.index, dtype="string").str.strip()
    name_col = field_cols.get("name", [None])[0]
    label = body[name_col].astype("string").str.strip() if name_col is not None else first
    is_total = (label.fillna(first).str.match(_TOTALS.pattern, case=False).fillna(False).astype(bool)
                | first.str.match(_TOTALS.pattern, case=False).fillna(False).astype(bool))
    reasons[(reasons == "") & is_total] = "totals line"

    contact_cols = [list(body.columns).index(cols[0]) for f, cols in field_cols.items() if f in ("phone", "email")]
    has_contact = filled[:, contact_cols].any(axis=1) if contact_cols else np.zeros(len(cells), dtype=bool)
    lone = (filled.sum(axis=1) == 1) & ~has_contact
    few = first[(reasons == "").to_numpy() & lone]  # a note is a lone cell: look only at those
    noted = few.str.contains(_NOTE.pattern, case=False, regex=True).fillna(False).astype(bool) \
        | few.str.len().gt(30).fillna(False).astype(bool)
    reasons[noted.index[noted.to_numpy()]] = "note line"
    return reasons


def _serials_from_1904(values: pd.Series) -> pd.Series:
    """Plain day numbers in a date column of a 1904-system workbook, as ISO dates: the same
    serial is four years and a day later than in the 1900 system normalising assumes.
    (Date-formatted cells arrive as dates already; the reader knows their system.)"""
    text = values.astype("string")
    serial = pd.to_numeric(text.where(text.str.fullmatch(r"[0-9]{5}(\.[0-9]+)?").fillna(False).astype(bool)),
                           errors="coerce")
    days = pd.Timestamp("1904-01-01") + pd.to_timedelta(np.floor(serial), unit="D")
    return values.where(serial.isna(), days.dt.strftime("%Y-%m-%d"))
