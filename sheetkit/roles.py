"""Share roles as data (``profiles/roles.yaml``) and the masks they apply, column by column.

A role lists, per sheet, the columns it sees and how each is shown (keep, phone,
email, id, name, text, pseudonym, age, year, drop); columns not listed are left out,
so a column added to cleaned.xlsx later is never shared by accident (``"*"`` opts a
role into every column). Masks work on whole columns: string methods and regexes,
one slice per value length where a mask's length depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .errors import ConfigError
from .masking import mask_text
from .resources import profiles_dir
from .values.dates import iso_dates

MASKS = ("keep", "phone", "email", "id", "name", "text", "pseudonym", "age", "year", "drop")
SHEETS = ("Customers", "Transactions", "Review", "Issues", "Summary")
_ALPHABET = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))  # no 0/O, 1/I: read aloud safely


@dataclass(frozen=True)
class Role:
    """One audience: its sheets (sheet -> column -> mask) and which rows it sees."""

    name: str
    title: dict[str, str]
    sheets: dict[str, dict[str, str]]
    owner: str = "optional"                       # required | optional
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.name

    def columns(self, sheet: str, available: list[str]) -> dict[str, str]:
        """The columns of ``sheet`` this role sees, in the sheet's order, with their masks."""
        spec = self.sheets.get(sheet, {})
        wildcard = spec.get("*")
        chosen = {c: spec.get(c, wildcard) for c in available}
        return {c: m for c, m in chosen.items() if m and m != "drop"}


def default_roles_path() -> Path:
    """The bundled roles file."""
    return profiles_dir() / "roles.yaml"


def load_roles(path: Path | None = None) -> dict[str, Role]:
    """Read and check a roles file; every problem is reported at once, naming its key.

    >>> sorted(load_roles())
    ['analyst', 'frontdesk', 'manager', 'sales']

    Raises:
        ConfigError: unreadable, or with problems.
    """
    path = Path(path or default_roles_path())
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read roles file {path}: {str(exc).splitlines()[0]}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("roles"), dict):
        raise ConfigError(f"roles file {path}: expected roles: with one entry per role")
    problems: list[str] = []
    roles = {str(name): _role(str(name), spec, problems) for name, spec in data["roles"].items()}
    if problems:
        raise ConfigError(f"roles file {path} has problems:\n  " + "\n  ".join(problems))
    return roles


def _role(name: str, spec: Any, problems: list[str]) -> Role:
    where = f"roles.{name}"
    if not isinstance(spec, dict):
        problems.append(f"{where}: expected title, sheets")
        return Role(name, {}, {})
    problems += [f"{where}.{k}: unknown key (known: owner, sheets, title, where)" for k in spec
                 if k not in ("owner", "sheets", "title", "where")]
    title = spec.get("title") or {}
    title = title if isinstance(title, dict) else {"en": str(title), "zh": str(title)}
    owner = spec.get("owner", "optional")
    if owner not in ("required", "optional"):
        problems.append(f"{where}.owner: {owner!r} is not required or optional")
    sheets: dict[str, dict[str, str]] = {}
    for sheet, columns in (spec.get("sheets") or {}).items():
        if sheet not in SHEETS:
            problems.append(f"{where}.sheets.{sheet}: not a sheet a role can see ({', '.join(SHEETS)})")
            continue
        if not isinstance(columns, dict):
            problems.append(f"{where}.sheets.{sheet}: expected column: mask entries")
            continue
        for column, mask in columns.items():
            if mask not in MASKS:
                problems.append(f"{where}.sheets.{sheet}.{column}: {mask!r} is not a mask ({', '.join(MASKS)})")
        sheets[sheet] = {str(c): str(m) for c, m in columns.items()}
    if not sheets:
        problems.append(f"{where}.sheets: a role needs at least one sheet with its columns")
    raw_where = spec.get("where") or {}
    if not isinstance(raw_where, dict):
        problems.append(f"{where}.where: expected column: [values]")
        raw_where = {}
    filters = {str(c): tuple(str(v) for v in (vals if isinstance(vals, list) else [vals]))
               for c, vals in raw_where.items()}
    return Role(name, {str(k): str(v) for k, v in title.items()}, sheets, owner, filters)


def apply_mask(values: pd.Series, mask: str, key: str = "", as_of: pd.Timestamp | None = None) -> pd.Series:
    """``values`` (text, "" for empty) as ``mask`` shows them.

    >>> s = pd.Series(["+8613812345678", "zhangwei@qq.com", "11010519491231002X", "张伟", ""])
    >>> apply_mask(s[:1], "phone").tolist(), apply_mask(s[1:2], "email").tolist()
    (['138****5678'], ['z***@qq.com'])
    >>> apply_mask(s[2:3], "id").tolist(), apply_mask(s[3:], "name").tolist()
    (['110*************2X'], ['张*', ''])
    """
    values = values.fillna("").astype(str)
    filled = values != ""
    if mask == "keep":
        return values
    if mask == "phone":
        digits = values.str.replace(r"[^0-9]", "", regex=True)
        digits = digits.where(~digits.str.match(r"^(?:00)?861[0-9]{10}$"), digits.str[-11:])  # +86 mobile
        long = digits.str.len() >= 8
        return (digits.str.slice_replace(3, -4, "****").where(long, "****" + digits.str[-2:])).where(filled, "")
    if mask == "email":
        local = values.str.replace(r"^(.)[^@]*@", r"\1***@", regex=True)
        return local.where(values.str.contains("@", regex=False), values.str[:1] + "***").where(filled, "")
    if mask == "id":
        return _by_length(values, lambda s, n: s.str.slice_replace(3, -2, "*" * (n - 5)) if n > 6 else "*" * n)
    if mask == "name":
        return (values.str[:1] + "*").where(filled, "")
    if mask == "text":  # only texts with a digit or an @ can hold what mask_text looks for
        found = values.str.contains(r"[0-9@]", regex=True)
        out = values.astype(object)
        out[found] = values[found].map(mask_text)
        return out
    if mask == "pseudonym":
        return pseudonyms(values, key).where(filled, "")
    if mask in ("age", "year"):
        born = iso_dates(values)
        if mask == "year":
            return born.dt.year.astype("Int64").astype(str).where(born.notna(), "")
        at = as_of or pd.Timestamp.today().normalize()
        age = at.year - born.dt.year - ((born.dt.month > at.month) | ((born.dt.month == at.month)
                                                                        & (born.dt.day > at.day))).astype(int)
        return age.astype("Int64").astype(str).where(born.notna(), "")
    raise ValueError(f"unknown mask {mask!r}")


def pseudonyms(values: pd.Series, key: str) -> pd.Series:
    """A keyed hash of each value (SipHash-2-4 under a 16-character key, as pandas hashes),
    written as "P" and 12 characters; the same value and key give the same pseudonym.

    >>> pseudonyms(pd.Series(["C1", "C1", "C2"]), "0123456789abcdef").str.len().tolist()
    [13, 13, 13]
    """
    hashed = pd.util.hash_pandas_object(values, index=False, hash_key=(key or "sheetkit-default")[:16].ljust(16, "0"))
    h = hashed.to_numpy(np.uint64)
    chars = [_ALPHABET[((h >> np.uint64(5 * i)) & np.uint64(31)).astype(np.intp)] for i in range(12)]
    out = np.full(len(h), "P", dtype=object)
    for c in chars:
        out = out + c.astype(object)
    return pd.Series(out, index=values.index, dtype=object)


def _by_length(values: pd.Series, masker) -> pd.Series:
    out = pd.Series("", index=values.index, dtype=object)
    lengths = values.str.len()
    for n in lengths[lengths > 0].unique():
        part = values[lengths == n]
        masked = masker(part, int(n))
        out[part.index] = masked if isinstance(masked, pd.Series) else masked
    return out
