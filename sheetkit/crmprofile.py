"""CRM import profiles: which files a CRM's importer takes, their columns and its rules, as data.

A profile is YAML (bundled ones in ``profiles/<crm>.yaml``; a user's copy with
``--profile``). It names the file format, encoding, rows per file, date form and the
CRM's words for each preflight problem, then each object (contacts, companies or
accounts): which rows it has, its unique and required columns, and each target column
with where its value comes from and how it is formatted. ``load_profile`` checks every
key and reports every problem at once, each naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .resources import profiles_dir

CRMS = ("hubspot", "salesforce", "zoho", "fxiaoke")
FORMATS = ("text", "date", "e164", "digits", "email", "domain", "enum", "multi", "number", "owner")
ROW_KINDS = ("customer", "company", "account", "contact")
CHECKS = ("missing_required", "invalid_email", "invalid_domain", "invalid_phone", "invalid_date", "unknown_owner",
          "duplicate_key", "invalid_option", "too_long", "too_many_values", "forbidden_character",
          "too_many_columns")
_TOP = {"crm", "title", "format", "encoding", "max_rows", "max_columns", "date_format", "separator", "max_values",
        "forbidden", "codes", "objects"}
_OBJECT = {"file", "rows", "unique", "required", "required_any", "columns"}
_COLUMN = {"from", "format", "max_length", "required", "map", "options", "owner_by"}


@dataclass(frozen=True)
class ColumnSpec:
    """One target column: its value ``source`` (first non-empty of the listed columns) and format."""

    name: str
    source: tuple[str, ...]
    format: str = "text"
    max_length: int | None = None
    required: bool = False
    map: dict[str, str] = field(default_factory=dict)
    options: tuple[str, ...] = ()
    owner_by: str = "name"  # owners file column written for an owner: name, email or id


@dataclass(frozen=True)
class ObjectSpec:
    """One import file (or numbered set of files) for one CRM object."""

    name: str
    file: str
    rows: str
    unique: tuple[str, ...]
    required: tuple[str, ...]
    required_any: tuple[tuple[str, ...], ...]
    columns: tuple[ColumnSpec, ...]


@dataclass(frozen=True)
class Profile:
    """A CRM's import rules and the objects sheetkit writes for it."""

    crm: str
    title: str
    format: str
    encoding: str
    max_rows: int
    max_columns: int
    date_format: str
    separator: str
    max_values: int | None
    forbidden: str
    codes: dict[str, str]
    objects: tuple[ObjectSpec, ...]
    path: Path


def bundled_profile(crm: str) -> Path:
    """The bundled profile of ``crm`` (one of ``CRMS``)."""
    return profiles_dir() / f"{crm}.yaml"


def load_profile(path: Path) -> Profile:
    """Read and check a profile.

    >>> load_profile(bundled_profile("hubspot")).objects[1].name
    'contacts'

    Raises:
        ConfigError: unreadable, or with problems (each naming its key, all at once).
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read profile {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"profile {path} is not valid YAML: {str(exc).splitlines()[0]}") from exc
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ConfigError(f"profile {path}: expected keys such as crm, format, objects at the top")
    problems += [f"{k}: unknown key (known: {', '.join(sorted(_TOP))})" for k in data if k not in _TOP]
    fmt = data.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        problems.append(f"format: {fmt!r} is not csv or xlsx")
    encoding = data.get("encoding", "utf-8")
    if encoding not in ("utf-8", "utf-8-sig"):
        problems.append(f"encoding: {encoding!r} is not utf-8 or utf-8-sig (UTF-8 with a BOM)")
    numbers = {k: data.get(k, d) for k, d in (("max_rows", 1_048_575), ("max_columns", 16_384))}
    for key, value in numbers.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(f"{key}: expected a whole number of 1 or more, got {value!r}")
    if fmt == "xlsx" and isinstance(numbers["max_rows"], int) and numbers["max_rows"] > 1_048_575:
        problems.append("max_rows: an xlsx sheet holds at most 1,048,575 rows under its header")
    max_values = data.get("max_values")
    if max_values is not None and (not isinstance(max_values, int) or max_values < 1):
        problems.append(f"max_values: expected a whole number of 1 or more, got {max_values!r}")
    date_format = data.get("date_format", "%Y-%m-%d")
    if not isinstance(date_format, str) or "%" not in date_format:
        problems.append(f"date_format: expected a strftime form like \"%Y-%m-%d\", got {date_format!r}")
    codes = data.get("codes") or {}
    if not isinstance(codes, dict):
        problems.append("codes: expected a table of check: CODE")
        codes = {}
    problems += [f"codes.{k}: unknown check (checks: {', '.join(CHECKS)})" for k in codes if k not in CHECKS]
    objects = []
    raw_objects = data.get("objects")
    if not isinstance(raw_objects, dict) or not raw_objects:
        problems.append("objects: expected at least one object (contacts, companies, ...) with its columns")
        raw_objects = {}
    for name, spec in raw_objects.items():
        objects.append(_object(str(name), spec, problems))
    if problems:
        raise ConfigError(f"profile {path} has problems:\n  " + "\n  ".join(problems))
    return Profile(crm=str(data.get("crm", path.stem)), title=str(data.get("title", data.get("crm", path.stem))),
                   format=fmt, encoding=encoding, max_rows=numbers["max_rows"], max_columns=numbers["max_columns"],
                   date_format=date_format, separator=str(data.get("separator", ";")), max_values=max_values,
                   forbidden=str(data.get("forbidden") or ""),
                   codes={c: str(codes.get(c, c.upper())) for c in CHECKS}, objects=tuple(objects), path=path)


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]))


def _object(name: str, spec: Any, problems: list[str]) -> ObjectSpec:
    where = f"objects.{name}"
    if not isinstance(spec, dict):
        problems.append(f"{where}: expected file, rows and columns")
        spec = {}
    problems += [f"{where}.{k}: unknown key (known: {', '.join(sorted(_OBJECT))})" for k in spec if k not in _OBJECT]
    rows = spec.get("rows", "customer")
    if rows not in ROW_KINDS:
        problems.append(f"{where}.rows: {rows!r} is not one of {', '.join(ROW_KINDS)}")
    columns = []
    raw = spec.get("columns")
    if not isinstance(raw, dict) or not raw:
        problems.append(f"{where}.columns: expected target columns, each with from:")
        raw = {}
    for col, cspec in raw.items():
        columns.append(_column(f"{where}.columns.{col}", str(col), cspec, problems))
    known = {c.name for c in columns}
    unique, required = _names(spec.get("unique")), _names(spec.get("required"))
    required_any = tuple(_names(g) for g in (spec.get("required_any") or []))
    for key, names in (("unique", unique), ("required", required),
                       ("required_any", tuple(n for g in required_any for n in g))):
        problems += [f"{where}.{key}: {n!r} is not one of its columns" for n in names if n not in known]
    file = spec.get("file", name)
    if not isinstance(file, str) or not file or any(c in file for c in '/\\:*?"<>|'):
        problems.append(f"{where}.file: {file!r} is not a plain file name (no folder, no extension)")
    return ObjectSpec(name, str(file), rows, unique, required, required_any, tuple(columns))


def _column(where: str, name: str, spec: Any, problems: list[str]) -> ColumnSpec:
    if isinstance(spec, str):  # shorthand: target: source
        spec = {"from": spec}
    if not isinstance(spec, dict) or "from" not in spec:
        problems.append(f"{where}: expected from: (the sheetkit column its value comes from)")
        return ColumnSpec(name, ())
    problems += [f"{where}.{k}: unknown key (known: {', '.join(sorted(_COLUMN))})" for k in spec if k not in _COLUMN]
    fmt = spec.get("format", "text")
    if fmt not in FORMATS:
        problems.append(f"{where}.format: {fmt!r} is not one of {', '.join(FORMATS)}")
    max_length = spec.get("max_length")
    if max_length is not None and (not isinstance(max_length, int) or max_length < 1):
        problems.append(f"{where}.max_length: expected a whole number of 1 or more, got {max_length!r}")
    mapping = spec.get("map") or {}
    if not isinstance(mapping, dict):
        problems.append(f"{where}.map: expected a table of sheetkit value: CRM value")
        mapping = {}
    options = spec.get("options") or []
    if not isinstance(options, list):
        problems.append(f"{where}.options: expected a list of the values the CRM accepts")
        options = []
    owner_by = spec.get("owner_by", "name")
    if owner_by not in ("name", "email", "id"):
        problems.append(f"{where}.owner_by: {owner_by!r} is not name, email or id")
    return ColumnSpec(name, _names(spec["from"]), fmt, max_length, bool(spec.get("required", False)),
                      {str(k): str(v) for k, v in mapping.items()}, tuple(str(o) for o in options), owner_by)
