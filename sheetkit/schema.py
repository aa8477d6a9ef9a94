"""The customer schema: fields, header aliases and checks, kept as data in YAML.

pandera's own YAML format drops column metadata such as aliases, so sheetkit keeps
its own small format (see ``schemas/customer.yaml``) and compiles it into a pandera
``DataFrameSchema`` whose checks are named by issue code.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opencc
import pandas as pd
import pandera.pandas as pa
import yaml

from .checks import FIELD_CHECKS, ROW_CHECKS
from .errors import SchemaError

KINDS = ("text", "name", "name_part", "phone", "email", "date", "amount", "gender", "company", "address",
         "address_part", "id")
SEVERITIES = ("error", "warning")
_PANDERA_CHECKS = ("str_matches", "str_length", "isin", "in_range", "le", "ge")
_FIELD_CHECKS = _PANDERA_CHECKS + tuple(FIELD_CHECKS)


@dataclass(frozen=True)
class CheckSpec:
    """One pandera check on one field, with the issue it raises."""

    check: str
    args: dict[str, Any]
    code: str
    severity: str
    message: str


@dataclass(frozen=True)
class FieldSpec:
    """A schema field: how to recognise its column, normalise and check its values."""

    name: str
    kind: str
    title: str
    aliases: tuple[str, ...]
    checks: tuple[CheckSpec, ...] = ()


@dataclass(frozen=True)
class RuleSpec:
    """A row-level rule over several ``fields``: ``require_any`` fails when all are empty;
    the other row checks (``sheetkit.checks.ROW_CHECKS``) compare the fields."""

    code: str
    severity: str
    message: str
    fields: tuple[str, ...]
    check: str = "require_any"


@dataclass(frozen=True)
class Schema:
    """A loaded customer schema."""

    fields: dict[str, FieldSpec]
    rules: tuple[RuleSpec, ...] = ()
    source: str = ""
    _alias_index: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _alias_lengths: tuple[int, ...] = field(default=(), compare=False, repr=False)  # longest first
    _matches: dict[str, tuple[str | None, str]] = field(default_factory=dict, compare=False, repr=False)

    def fields_of_kind(self, *kinds: str) -> list[str]:
        """Names of the fields whose kind is one of ``kinds``, in schema order."""
        return [f.name for f in self.fields.values() if f.kind in kinds]

    def message_for(self, code: str) -> tuple[str, str]:
        """(severity, message) of an issue code declared in this schema."""
        for f in self.fields.values():
            for c in f.checks:
                if c.code == code:
                    return c.severity, c.message
        for r in self.rules:
            if r.code == code:
                return r.severity, r.message
        raise KeyError(code)

    def checks_by_code(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Issue code -> (check name, the rule's fields; empty for field checks)."""
        found = {c.code: (c.check, ()) for f in self.fields.values() for c in f.checks}
        return found | {r.code: (r.check, r.fields) for r in self.rules}


_TO_SIMPLIFIED = opencc.OpenCC("t2s")
_SUFFIX = re.compile(r"[\(（\[【<《][^\)）\]】>》]*[\)）\]】>》]")
_NOISE = re.compile(r"[\s\*:：_\-\.·/#№]+")


def header_key(text: str) -> str:
    """Fold a header for alias matching: width, case, spaces, punctuation, "(必填)",
    Traditional characters (手機 is 手机).

    >>> header_key(" Ｅ-mail（必填）"), header_key("Phone No."), header_key("電子郵件")
    ('email', 'phoneno', '电子邮件')
    """
    folded = _TO_SIMPLIFIED.convert(unicodedata.normalize("NFKC", str(text))).casefold()
    folded = _SUFFIX.sub("", folded)
    return _NOISE.sub("", folded)


def load_schema(path: Path) -> Schema:
    """Load and check a schema file; every problem is reported in one message.

    Raises:
        SchemaError: the file is missing, not YAML, or not a valid schema.
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchemaError(f"cannot read schema {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise SchemaError(f"schema {path} is not valid YAML: {exc}") from exc
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise SchemaError(f"schema {path} needs a 'fields:' mapping")
    fields: dict[str, FieldSpec] = {}
    for name, spec in data["fields"].items():
        spec = spec or {}
        kind = spec.get("kind", "text")
        if kind not in KINDS:
            problems.append(f"field {name}: kind {kind!r} is not one of {', '.join(KINDS)}")
        checks = []
        for i, c in enumerate(spec.get("checks") or []):
            where = f"field {name} check {i + 1}"
            if c.get("check") not in _FIELD_CHECKS:
                problems.append(f"{where}: check {c.get('check')!r} is not one of {', '.join(_FIELD_CHECKS)}")
                continue
            if c.get("severity", "warning") not in SEVERITIES:
                problems.append(f"{where}: severity must be error or warning")
            if not c.get("code"):
                problems.append(f"{where}: needs a code")
            if c["check"] in FIELD_CHECKS:  # sheetkit's own: arguments they do not take fail here, not at run time
                try:
                    inspect.signature(FIELD_CHECKS[c["check"]]).bind(None, as_of=None, **dict(c.get("args") or {}))
                except TypeError as exc:
                    problems.append(f"{where}: {c['check']} {exc}")
            checks.append(CheckSpec(c["check"], dict(c.get("args") or {}), str(c.get("code", "")),
                                    c.get("severity", "warning"), str(c.get("message", c.get("code", "")))))
        aliases = tuple(str(a) for a in (spec.get("aliases") or []))
        fields[str(name)] = FieldSpec(str(name), kind, str(spec.get("title", name)),
                                      (str(name), *aliases), tuple(checks))
    rules = []
    for i, r in enumerate(data.get("rules") or []):
        check = "require_any" if "require_any" in r else r.get("check")
        listed = r.get("require_any") or r.get("fields") or []
        unknown = [f for f in listed if f not in fields]
        if check not in ROW_CHECKS:
            problems.append(f"rule {i + 1}: needs require_any: [fields] or check: one of {', '.join(ROW_CHECKS)}")
            continue
        if unknown or not listed or (check != "require_any" and len(listed) != 2):
            problems.append(f"rule {i + 1}: {'require_any' if check == 'require_any' else 'fields'} must list "
                            f"{'' if check == 'require_any' else 'two '}schema fields (unknown: {unknown})")
            continue
        if r.get("severity", "warning") not in SEVERITIES:
            problems.append(f"rule {i + 1}: severity must be error or warning")
        rules.append(RuleSpec(str(r.get("code", f"rule-{i + 1}")), r.get("severity", "warning"),
                              str(r.get("message", "")), tuple(listed), check))
    if problems:
        raise SchemaError(f"schema {path} has problems:\n  " + "\n  ".join(problems))
    index: dict[str, str] = {}
    for f in fields.values():
        for alias in f.aliases:
            index.setdefault(header_key(alias), f.name)
    lengths = tuple(sorted({len(k) for k in index if len(k) >= 2}, reverse=True))
    schema = Schema(fields, tuple(rules), str(path), index, lengths)
    try:
        compile_schema(schema)
    except Exception as exc:  # a bad regex or argument in a check
        raise SchemaError(f"schema {path}: a check cannot be built: {exc}") from exc
    return schema


# What may follow an alias in a header without changing its meaning: "手机号码", "Phone No.",
# "金额合计". Anything else after it (省份代码: a code, not a province) is another column.
_NEUTRAL_TAIL = {"号", "号码", "信息", "名称", "合计", "总计", "总额", "no", "number", "num", "nr", "1", "2"}


def match_header(schema: Schema, header: str) -> tuple[str | None, str]:
    """The field a header maps onto, and how it was matched ("alias", "contains" or "").

    An exact alias first. Otherwise the longest alias the header ends with, because
    Chinese headers end in their head noun (联系人电话 is a phone), or one it starts with
    when what follows is neutral (手机号码, Phone No.). 省份代码 is not a province.

    >>> from sheetkit.resources import default_schema_path
    >>> s = load_schema(default_schema_path())
    >>> match_header(s, "客户手机号"), match_header(s, "E-mail地址")[0], match_header(s, "省份代码")
    (('phone', 'contains'), 'email', (None, ''))
    """
    key = header_key(header)
    if key not in schema._matches:  # a wide sheet's header scan asks for thousands of cells
        schema._matches[key] = _match_key(schema._alias_index, schema._alias_lengths, key)
    return schema._matches[key]


def _match_key(index: dict[str, str], lengths: tuple[int, ...], key: str) -> tuple[str | None, str]:
    if not key:
        return None, ""
    if key in index:
        return index[key], "alias"
    # Longest alias first: look up the header's own suffix and prefix of each alias length
    # (shortest last) instead of testing every alias; on a tie the alias listed first wins.
    for n in lengths:
        if n >= len(key):
            continue
        fits = [key[-n:]] if key[-n:] in index else []
        if key[:n] in index and key[n:] in _NEUTRAL_TAIL:
            fits.append(key[:n])
        if fits:
            return index[min(fits, key=list(index).index)], "contains"
    return None, ""


def _build_check(spec: CheckSpec, as_of: pd.Timestamp | None) -> pa.Check:
    if spec.check in FIELD_CHECKS:
        named = FIELD_CHECKS[spec.check]
        return pa.Check(lambda s: named(s, as_of=as_of, **spec.args), name=spec.code, error=spec.code, ignore_na=True)
    builder = getattr(pa.Check, spec.check)
    return builder(**spec.args, name=spec.code, error=spec.code, ignore_na=True)


def _rule_check(rule: RuleSpec) -> pa.Check:
    check = ROW_CHECKS[rule.check]
    return pa.Check(lambda df: check(df, list(rule.fields)), name=rule.code, error=rule.code)


def compile_schema(schema: Schema, as_of: pd.Timestamp | None = None) -> pa.DataFrameSchema:
    """The pandera schema that validates normalised text columns of ``schema``.

    ``as_of`` is the run's reference date, for checks such as ``not_future``; without it
    those checks pass everything.
    """
    columns = {
        f.name: pa.Column(None, checks=[_build_check(c, as_of) for c in f.checks],
                          nullable=True, required=False)
        for f in schema.fields.values()
    }
    return pa.DataFrameSchema(columns, checks=[_rule_check(r) for r in schema.rules],
                              strict=False, coerce=False)
