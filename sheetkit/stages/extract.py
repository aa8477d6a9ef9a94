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
    """(row, field per column, how per column) of the header among the first rows: the
    first that maps at least half as many fields as the best. The best alone would skip a
    first block whose pasted second block's header happens to name more columns."""
    found = []
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
        if score >= 2 and distinct & set(IDENTITY_FIELDS):
            found.append((score, row, fields, hows))
    if not found:
        return None
    top = max(f[0] for f in found)
    return next(f for f in found if f[0] * 2 >= top)


def _map_one(schema: Schema, header: str, overrides: dict[str, str]) -> tuple[str | None, str]:
    key = header_key(header)
    for given, target in overrides.items():
        if header_key(given) == key:
            return (target or None), "config"
    return match_header(schema, header)


def _top_of_merged_header(cells: pd.DataFrame, row: int, schema: Schema, overrides) -> int:
    """The first row of a two-row header when ``row`` is its second: cells merged down over
    both rows (姓名 over A1:A2) repeat in it, or it holds the sub-headers of group titles
    merged across the row above (客户信息 over 姓名 | 手机 | 地址)."""
    above = row - 1
    if above not in cells.index:
        return row
    top, bottom = cells.loc[above], cells.loc[row]
    merged_down = [c for c in cells.columns if top[c] is not None and top[c] == bottom[c]]
    top_fields = {_map_one(schema, str(v), overrides)[0] for v in top if v is not None} - {None}
    if merged_down and len(top_fields) >= 2:
        return above
    return above if _sub_header_of(top, bottom, schema, overrides) else row


def _groups(top: pd.Series) -> set:
    """Columns under a group title: a value merged across (repeated in) neighbouring cells.
    A title across the whole sheet is not a group: the row must hold two different values."""
    values = [None if v is None else str(v).strip() for v in top]
    if len({v for v in values if v}) < 2:
        return set()
    cols = list(top.index)
    return {cols[i] for i, v in enumerate(values)
            if v and ((i > 0 and values[i - 1] == v) or (i + 1 < len(values) and values[i + 1] == v))}


_DATA_LIKE = re.compile(r"^[\s\d+\-().,/:@]*\d[\s\d+\-().,/:@]*$|@")  # numbers, phones, dates, e-mails


def _sub_header_of(top: pd.Series, sub: pd.Series, schema: Schema, overrides) -> bool:
    """Whether ``sub`` is the second row of a header whose group titles are in ``top``.

    Under a group every label counts, mapped or not (产品 under 购买信息); elsewhere a cell
    must repeat the title merged down over it or map onto a field; and at least one label
    under a group must map onto a field. A first data row fails: it has data cells (digits,
    an e-mail) or values beside the groups."""
    groups = _groups(top)
    if not groups:
        return False
    hits = 0
    for c, v in sub.items():
        if v is None:
            continue
        text = str(v).strip()
        parent = None if top[c] is None else str(top[c]).strip()
        mapped = _map_one(schema, text, overrides)[0]
        if _DATA_LIKE.search(text):
            return False
        if c in groups:
            hits += bool(mapped) and text != parent
        elif text != parent and not mapped:
            return False
    return hits > 0


def _header_names(cells: pd.DataFrame, row: int, schema: Schema, overrides) -> tuple[list[int], dict]:
    """Header rows used, and the header text per column (two-row headers flattened).

    Under a group title a column is named by its sub-header, or by title and sub-header
    together where only that maps onto a field (收货 + 地址) or tells two alike apart
    (本人 电话 | 紧急联系人 电话)."""
    names = {c: (str(v).strip() if v is not None else None) for c, v in cells.loc[row].items()}
    below = row + 1
    if below not in cells.index or not _sub_header_of(cells.loc[row], cells.loc[below], schema, overrides):
        return [row], names
    groups = _groups(cells.loc[row])
    sub = {c: str(v).strip() for c, v in cells.loc[below].items() if v is not None}
    counts = pd.Series(list(sub.values())).value_counts()
    for c, text in sub.items():
        parent = names.get(c)
        if text == parent:  # the title merged down over both rows
            continue
        joined = f"{parent or ''}{text}"
        if c not in groups:
            names[c] = joined
        elif counts[text] > 1 or (not _map_one(schema, text, overrides)[0] and _map_one(schema, joined, overrides)[0]):
            names[c] = joined
        else:
            names[c] = text
    return [row, below], names


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
    later = nonblank[nonblank > header_rows[-1]]
    repeats = _repeated_headers(cells.loc[later], names, schema, config.header_overrides)
    if repeats:  # blocks pasted under each other: each read under its own header
        cells, names = _realign_blocks(cells, later, repeats, names, schema, config.header_overrides)

    mapping, field_cols, extras = [], {}, {}
    found_fields = {_map_one(schema, h, config.header_overrides)[0] for h in names.values() if h}
    for col in cells.columns:
        header = names.get(col)
        if header is None:
            below = (cells.index > header_rows[-1]) & ~cells.index.isin(repeats)
            if cells.loc[below, col].notna().any():
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
    reasons[reasons.index.isin(repeats)] = "repeated header"
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


_MAX_HEADER_CANDIDATES = 5_000  # rows looked at one by one; a real sheet has a handful


def _repeated_headers(body: pd.DataFrame, names: dict, schema: Schema, overrides) -> list[int]:
    """Rows below the header that are a header again, perhaps worded differently (客户姓名 for
    客户名称, 手机 for 电话) or in another order, as when blocks are pasted under each other.

    Candidates are found column-wise: a cell spelled exactly as a header label or an
    alias, one hash lookup per column (a million-row sheet takes well under a second);
    only those few rows are then mapped cell by cell. A header row maps onto at least two
    fields, one of them a name, phone, e-mail or company, with at most one unmapped label."""
    if body.empty:
        return []
    aliases = [a for spec in schema.fields.values() for a in spec.aliases]
    labels = {v for v in names.values() if v} | {form for a in aliases for form in (a, a.title(), a.upper())}
    # A header repeated in any order has a label where the first header has its name,
    # phone, e-mail or company column: only those columns are looked up.
    key_cols = [c for c, v in names.items() if v and c in body.columns
                and _map_one(schema, v, overrides)[0] in IDENTITY_FIELDS] or list(body.columns)
    hit = np.zeros(len(body), dtype=bool)
    for col in key_cols:
        hit |= body[col].isin(labels).to_numpy(dtype=bool)
    rows = []
    for row in body.index[hit][:_MAX_HEADER_CANDIDATES]:
        filled = [str(v) for v in body.loc[row] if v is not None]
        mapped = [_map_one(schema, v, overrides)[0] for v in filled]
        fields = set(mapped) - {None}
        if len(fields) >= 2 and fields & set(IDENTITY_FIELDS) and mapped.count(None) <= 1:
            rows.append(int(row))
    return rows


def _realign_blocks(cells: pd.DataFrame, body_rows: pd.Index, repeats: list[int], names: dict, schema: Schema,
                    overrides) -> tuple[pd.DataFrame, dict]:
    """Cells with each block below a repeated header moved under the first header's columns:
    a column goes where the first header has the same label, else the same field; a column
    the first block lacks becomes a new one. Blocks worded alike are not touched (and the
    sheet's cells are only copied when one is not)."""
    first_by_key = {header_key(v): c for c, v in names.items() if v}
    first_by_field: dict[str, list] = {}
    for c, v in names.items():
        if v and (f := _map_one(schema, v, overrides)[0]):
            first_by_field.setdefault(f, []).append(c)
    out, names, added = cells, dict(names), {}
    ends = [*repeats[1:], int(body_rows.max()) + 1]
    for start, end in zip(repeats, ends):
        header = {c: str(v).strip() for c, v in cells.loc[start].items() if v is not None}
        moves, taken = {}, set()
        for c, text in header.items():
            key, f = header_key(text), _map_one(schema, text, overrides)[0]
            same_field = [t for t in first_by_field.get(f or "", []) if t not in taken]
            target = first_by_key.get(key) if first_by_key.get(key) not in taken else None
            if target is None and same_field:
                target = c if c in same_field else same_field[0]
            if target is None:  # a column the first block does not have: a new one, by its label
                target = added.get(key)
                if target is None and names.get(c) is None and c not in taken:  # a column unnamed so far
                    target = added[key] = c
                    names[c] = text
                if target is None or target in taken:
                    out = out if out is not cells else cells.copy()
                    target = added[key] = max(out.columns) + 1
                    out[target] = None
                    names[target] = text
            taken.add(target)
            moves[c] = target
        data = [c for c in cells.columns if c not in header]
        for c in data:  # unlabelled columns stay put unless a labelled one moved there
            moves[c] = c if c not in taken else None
        if all(c == t for c, t in moves.items()):
            continue
        if out is cells:
            out = cells.copy()
        block = body_rows[(body_rows > start) & (body_rows < end)]
        source = [c for c, t in moves.items() if t is not None]
        values = cells.loc[block, source].to_numpy(dtype=object)
        out.loc[block, list(cells.columns)] = None
        out.loc[block, [moves[c] for c in source]] = values
    return out, names


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
