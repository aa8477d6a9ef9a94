"""Writes a starting schema for a sheet: its header row, each column's field and kind.

Columns whose header the bundled schema knows keep that field's definition; the others
get a name made from the header, a kind guessed from their values (phone, e-mail,
date, ID ...) and the checks the bundled schema uses for that kind. The result is YAML
for a person to read and edit, not a final answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .config import PipelineConfig
from .errors import SheetkitError
from .schema import Schema, match_header
from .stages.normalize import normalize_gender
from .values.dates import normalize_dates
from .values.emails import is_valid_email
from .values.ids import compact_ids, is_valid_ric, is_valid_uscc
from .values.phones import normalize_phones
from .workbook import SheetGrid, read_workbook

_SAMPLE = 2000
_SHARE = 0.8          # of a column's non-empty values that must read as a kind
_FEWEST = 3           # values needed before guessing any kind but text
_MONEY = re.compile(r"金额|价|费|额|收入|amount|price|total|revenue|cost|value|sales", re.IGNORECASE)


@dataclass
class InferredColumn:
    header: str
    field: str
    kind: str
    known: bool           # the bundled schema knows this header
    filled: int           # non-empty cells
    examples: list[str]
    also: list[str] = field(default_factory=list)  # more headers of the same field (a second phone)


def find_header_row(cells: pd.DataFrame, scan: int = 30) -> int | None:
    """The row that looks most like a header: many distinct, non-numeric text cells with
    data under them. Title rows (one merged cell) and data rows score lower."""
    best, best_score = None, 0.0
    rows = list(cells.index[:scan])
    for i, row in enumerate(rows):
        values = [str(v).strip() for v in cells.loc[row] if v is not None and str(v).strip()]
        texty = [v for v in values if not re.fullmatch(r"[\d\s.,:/+\-()%¥$]+", v)]
        below = cells.loc[rows[i + 1:i + 6]].notna().sum(axis=1) if i + 1 < len(rows) else pd.Series([0])
        score = len(set(texty)) if len(texty) >= 2 and below.max() >= max(2, len(values) // 2) else 0
        if score > best_score:
            best, best_score = row, score
    return best


def _slug(header: str) -> str:
    """A field name from a header: pinyin for Chinese, snake_case for everything."""
    from pypinyin import lazy_pinyin

    text = "_".join(lazy_pinyin(header)) if re.search(r"[\u4e00-\u9fff]", header) else header
    slug = re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")
    return slug if slug and not slug[0].isdigit() else f"column_{slug}".rstrip("_")


def guess_kind(header: str, values: pd.Series, region: str = "CN") -> str:
    """The kind most of a column's values read as, or "text"."""
    values = values.dropna().astype(str)
    values = values[values.str.strip() != ""].head(_SAMPLE).reset_index(drop=True)
    if len(values) < _FEWEST:  # one "f" is not a gender column
        return "text"

    def share(mask: pd.Series) -> float:
        return float(mask.mean())

    if share(values.str.contains("@") & is_valid_email(values.str.strip().str.lower())) >= _SHARE:
        return "email"
    ids = compact_ids(values)
    if share(is_valid_ric(ids) & ids.notna()) >= _SHARE or share(is_valid_uscc(ids) & ids.notna()) >= _SHARE:
        return "id"
    if share(normalize_phones(values, region)["phone_type"].notna()) >= _SHARE:
        return "phone"
    if share(normalize_dates(values).astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}")) >= _SHARE:
        return "date"
    if share(normalize_gender(values).isin(["male", "female"])) >= _SHARE:
        return "gender"
    numeric = pd.to_numeric(values.str.replace(r"[,¥￥$元\s]", "", regex=True), errors="coerce").notna()
    if share(numeric) >= _SHARE and _MONEY.search(header):
        return "amount"
    return "text"


def infer_columns(grid: SheetGrid, base: Schema, config: PipelineConfig) -> tuple[int | None, list[InferredColumn]]:
    """(header row, one InferredColumn per non-empty header) of a sheet."""
    row = find_header_row(grid.cells, config.header_scan_rows)
    if row is None:
        return None, []
    body = grid.cells.loc[row + 1:]
    out, used = [], set()
    for col, header in grid.cells.loc[row].items():
        if header is None or not str(header).strip():
            continue
        header = str(header).strip()
        values = body[col]
        known, _ = match_header(base, header)
        if known in used and base.fields[known].kind in ("phone", "email"):
            extra = next(c for c in out if c.field == known)  # a second phone column: its alternates
            extra.also.append(header)
            continue
        if known in used:
            known = None
        name = known or _slug(header)
        while name in used:  # two columns with one name: number the later ones
            name = re.sub(r"(_\d+)?$", lambda m: f"_{int(m.group(0)[1:] or 1) + 1}", name, count=1)
        used.add(name)
        kind = base.fields[known].kind if known else guess_kind(header, values, config.default_region)
        filled = values.dropna().astype(str).str.strip()
        filled = filled[filled != ""]
        out.append(InferredColumn(header, name, kind, bool(known), len(filled),
                                  [str(v)[:30] for v in pd.unique(filled)[:3]]))
    return row, out


def infer_schema_yaml(grid: SheetGrid, base: Schema, config: PipelineConfig) -> str:
    """A starting schema for ``grid`` as YAML, with a comment per field saying what was seen."""
    row, columns = infer_columns(grid, base, config)
    if row is None:
        raise SheetkitError(f"{grid.file} › {grid.sheet}: no header row found in the first "
                            f"{config.header_scan_rows} rows")
    by_kind = {}
    for f in reversed(list(base.fields.values())):  # the first field of each kind wins
        by_kind[f.kind] = f
    lines = [f"# Starting schema inferred by `sheetkit schema infer` from {grid.file} › {grid.sheet}",
             f"# (header on row {row}). Check every field: names, kinds, aliases and checks are guesses.",
             "# Use it with: sheetkit run --schema THIS_FILE ...", "version: 1", "fields:"]
    for c in columns:
        spec: dict = {"kind": c.kind, "title": c.header}
        template = base.fields[c.field] if c.known else by_kind.get(c.kind)
        aliases = [c.header, *c.also]
        if c.known:
            spec["title"] = template.title
            aliases = [a for a in template.aliases if a != c.field]
            aliases += [h for h in (c.header, *c.also) if h not in aliases]
        spec["aliases"] = aliases
        if template is not None and template.checks:
            spec["checks"] = [{"check": k.check, **({"args": k.args} if k.args else {}), "code": k.code,
                               "severity": k.severity, "message": k.message} for k in template.checks]
        seen = f"{'known field' if c.known else 'new field, kind guessed from values'}; " \
               f"{c.filled:,} values, e.g. {', '.join(c.examples) or '(none)'}"
        lines.append(f"  # {c.header}: {seen}")
        dumped = yaml.safe_dump({c.field: spec}, allow_unicode=True, sort_keys=False, width=100)
        lines += ["  " + line for line in dumped.rstrip("\n").split("\n")]
    present = {c.field for c in columns}
    rules = [r for r in base.rules if set(r.fields) <= present]
    if rules:
        lines.append("rules:")
        for r in rules:
            rule = {"code": r.code, "severity": r.severity, "message": r.message}
            rule |= {"require_any": list(r.fields)} if r.check == "require_any" else {"check": r.check,
                                                                                      "fields": list(r.fields)}
            dumped = yaml.safe_dump([rule], allow_unicode=True, sort_keys=False, width=100)
            lines += ["  " + line for line in dumped.rstrip("\n").split("\n")]
    return "\n".join(lines) + "\n"


def infer_schema_text(path: Path, base: Schema, config: PipelineConfig, sheet: str | None = None,
                      password: str | None = None) -> str:
    """Read ``path`` and infer a schema for ``sheet`` (default: the first sheet with a header).

    Raises:
        SheetkitError: the file cannot be read, the sheet does not exist or has no header.
    """
    grids = read_workbook(Path(path), Path(path).name, password)
    if sheet is not None:
        grids = [g for g in grids if g.sheet == sheet]
        if not grids:
            names = ", ".join(g.sheet for g in read_workbook(Path(path), Path(path).name, password))
            raise SheetkitError(f"{path}: no sheet named {sheet!r} (sheets: {names})")
    for grid in grids:
        if find_header_row(grid.cells, config.header_scan_rows) is not None:
            return infer_schema_yaml(grid, base, config)
    raise SheetkitError(f"{path}: no sheet with a header row in its first {config.header_scan_rows} rows")
