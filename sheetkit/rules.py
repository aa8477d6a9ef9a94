"""A small, safe condition language for tags: parsed once to a tree, evaluated column-wise.

    order_count_12m >= 6 and days_since_order <= 90
    company contains '医疗' or industry in ['医疗器械', '医药']
    not (phone is empty) and last_contact_on < 2024-01-01

Grammar (keywords in any case; a name is a column of the Customers sheet, in backquotes
when it holds spaces or starts with a digit: `lead source`)::

    rule  := or
    or    := and ("or" and)*
    and   := not ("and" not)*
    not   := "not" not | "(" rule ")" | test
    test  := value ("==" | "!=" | "<" | "<=" | ">" | ">=") value
           | value "contains" value
           | value ["not"] "in" "[" value ("," value)* "]"
           | value "is" ["not"] "empty"
    value := name | 'text' | "text" | number | 2024-01-01 | date('2024-01-01')

Nothing of the user's text is ever run as Python: it is tokenised by one regular
expression and read by the recursive-descent parser below, and the only call there is
is ``date(...)``. A rule that cannot be read raises ``RuleError`` with the 1-based
character position and what was expected there.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<date>\d{4}-\d{2}-\d{2}(?![\d.]))
  | (?P<number>-?\d[\d_]*(?:\.\d+)?(?![\w.]))
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<quoted>`[^`]+`)
  | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
  | (?P<name>[^\W\d]\w*)
""", re.VERBOSE)
KEYWORDS = {"and", "or", "not", "contains", "in", "is", "empty"}
COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


class RuleError(ValueError):
    """A rule that cannot be read: ``position`` (1-based) and what was expected there."""

    def __init__(self, position: int, message: str) -> None:
        super().__init__(f"position {position}: {message}")
        self.position, self.message = position, message


# The tree: values (a column or a literal) and conditions over them.
@dataclass(frozen=True)
class Column:
    name: str
    pos: int


@dataclass(frozen=True)
class Literal:
    value: object            # str, float or pd.Timestamp
    kind: str                # "text", "number" or "date"
    pos: int


@dataclass(frozen=True)
class Compare:
    op: str
    left: Column | Literal
    right: Column | Literal


@dataclass(frozen=True)
class Contains:
    left: Column | Literal
    right: Column | Literal


@dataclass(frozen=True)
class In:
    left: Column | Literal
    items: tuple[Literal, ...]
    negate: bool


@dataclass(frozen=True)
class Empty:
    value: Column | Literal
    negate: bool


@dataclass(frozen=True)
class Bool:
    op: str                  # "and", "or", "not"
    parts: tuple


@dataclass(frozen=True)
class _Tok:
    kind: str                # date, number, string, name, keyword, op, end
    text: str
    pos: int                 # 1-based


def _tokens(text: str) -> list[_Tok]:
    out, at = [], 0
    while at < len(text):
        m = _TOKEN.match(text, at)
        if not m:
            raise RuleError(at + 1, f"cannot read {text[at:at + 10]!r}")
        kind = m.lastgroup
        if kind != "space":
            word = m.group()
            if kind == "name" and word.lower() in KEYWORDS:
                kind, word = "keyword", word.lower()
            elif kind == "quoted":
                kind, word = "name", word[1:-1]
            out.append(_Tok(kind, word, at + 1))
        at = m.end()
    out.append(_Tok("end", "", len(text) + 1))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def at(self, kind: str, text: str | None = None) -> bool:
        return self.tok.kind == kind and (text is None or self.tok.text == text)

    def fail(self, expected: str) -> RuleError:
        prev = self.toks[self.i - 1].text if self.i else ""
        found = "the end of the rule" if self.tok.kind == "end" else repr(self.tok.text)
        after = f" after {prev!r}" if prev else ""
        return RuleError(self.tok.pos, f"expected {expected}{after}, found {found}")

    def rule(self):
        node = self.any()
        if not self.at("end"):
            raise self.fail("'and', 'or' or the end of the rule")
        return node

    def any(self):
        parts = [self.all()]
        while self.at("keyword", "or"):
            self.take()
            parts.append(self.all())
        return parts[0] if len(parts) == 1 else Bool("or", tuple(parts))

    def all(self):
        parts = [self.negation()]
        while self.at("keyword", "and"):
            self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else Bool("and", tuple(parts))

    def negation(self):
        if self.at("keyword", "not"):
            self.take()
            return Bool("not", (self.negation(),))
        if self.at("op", "("):
            self.take()
            node = self.any()
            if not self.at("op", ")"):
                raise self.fail("')'")
            self.take()
            return node
        return self.test()

    def test(self):
        left = self.value()
        tok = self.tok
        if tok.kind == "op" and tok.text in COMPARISONS:
            self.take()
            return Compare(tok.text, left, self.value())
        if tok.kind == "keyword" and tok.text == "contains":
            self.take()
            return Contains(left, self.value())
        if tok.kind == "keyword" and tok.text in ("in", "not"):
            negate = self.take().text == "not"
            if negate:
                if not self.at("keyword", "in"):
                    raise self.fail("'in'")
                self.take()
            return In(left, self.items(), negate)
        if tok.kind == "keyword" and tok.text == "is":
            self.take()
            negate = self.at("keyword", "not")
            if negate:
                self.take()
            if not self.at("keyword", "empty"):
                raise self.fail("'empty'")
            self.take()
            return Empty(left, negate)
        raise self.fail("a comparison (== != < <= > >=), 'contains', 'in' or 'is empty'")

    def items(self) -> tuple[Literal, ...]:
        if not self.at("op", "["):
            raise self.fail("'[' starting a list")
        self.take()
        items = []
        while True:
            value = self.value()
            if not isinstance(value, Literal):
                raise RuleError(value.pos, f"a list holds texts, numbers or dates, not the column {value.name!r}")
            items.append(value)
            if self.at("op", ","):
                self.take()
                continue
            if self.at("op", "]"):
                self.take()
                return tuple(items)
            raise self.fail("',' or ']'")

    def value(self) -> Column | Literal:
        tok = self.tok
        if tok.kind == "string":
            self.take()
            return Literal(tok.text[1:-1], "text", tok.pos)
        if tok.kind == "number":
            self.take()
            return Literal(float(tok.text.replace("_", "")), "number", tok.pos)
        if tok.kind == "date":
            self.take()
            return Literal(_date(tok.text, tok.pos), "date", tok.pos)
        if tok.kind == "name":
            self.take()
            if self.at("op", "("):
                if tok.text.lower() != "date":
                    raise RuleError(self.tok.pos, f"{tok.text!r} is not a function: the only one is "
                                                  "date('YYYY-MM-DD')")
                self.take()
                arg = self.tok
                if arg.kind not in ("string", "date"):
                    raise self.fail("a date in quotes, like date('2024-01-01')")
                self.take()
                if not self.at("op", ")"):
                    raise self.fail("')'")
                self.take()
                return Literal(_date(arg.text.strip("'\""), arg.pos), "date", tok.pos)
            return Column(tok.text, tok.pos)
        raise self.fail("a value (a column name, 'text', a number or a date)")


def _date(text: str, pos: int) -> pd.Timestamp:
    """A YYYY-MM-DD date that exists (2024-02-30 does not)."""
    try:
        return pd.Timestamp(datetime.date.fromisoformat(text))
    except ValueError:
        raise RuleError(pos, f"{text!r} is not a date (write YYYY-MM-DD)") from None


def parse_rule(text: str):
    """The tree of a rule.

    Raises:
        RuleError: the rule cannot be read (position and what was expected).

    >>> parse_rule("amount_12m >= 500000")
    Compare(op='>=', left=Column(name='amount_12m', pos=1), right=Literal(value=500000.0, kind='number', pos=15))
    """
    if not isinstance(text, str) or not text.strip():
        raise RuleError(1, "the rule is empty")
    return _Parser(text).rule()


def columns_of(node) -> list[Column]:
    """Every column a rule reads, in the order written."""
    if isinstance(node, Column):
        return [node]
    if isinstance(node, Literal):
        return []
    if isinstance(node, Bool):
        return [c for part in node.parts for c in columns_of(part)]
    if isinstance(node, Compare | Contains):
        return columns_of(node.left) + columns_of(node.right)
    if isinstance(node, In):
        return columns_of(node.left)
    return columns_of(node.value)


def evaluate(node, frame: pd.DataFrame, aliases: Mapping[str, str] | None = None) -> np.ndarray:
    """Which rows of ``frame`` meet the rule: a boolean array, one pass per operator.

    An empty cell meets no comparison, ``contains`` or ``in`` (``!=`` and ``not in`` are
    their opposites, so an empty cell meets those). Texts compare as written;
    ``contains`` ignores case. A side that is a date (a date literal or a date column)
    makes the comparison one of dates; a number makes it one of numbers.

    >>> frame = pd.DataFrame({"amount_12m": [600000.0, 10.0, None]})
    >>> evaluate(parse_rule("amount_12m >= 500000"), frame).tolist()
    [True, False, False]
    """
    return _Evaluator(frame, aliases or {}).run(node)


class _Evaluator:
    def __init__(self, frame: pd.DataFrame, aliases: Mapping[str, str]) -> None:
        self.frame, self.aliases, self.cache = frame, aliases, {}

    def run(self, node) -> np.ndarray:
        if isinstance(node, Bool):
            parts = [self.run(p) for p in node.parts]
            if node.op == "not":
                return ~parts[0]
            return np.logical_and.reduce(parts) if node.op == "and" else np.logical_or.reduce(parts)
        if isinstance(node, Empty):
            found = self._missing(node.value)
            return ~found if node.negate else found
        if isinstance(node, Contains):
            left, right = self._as(node.left, "text"), self._as(node.right, "text")
            if isinstance(right, str) and isinstance(left, str):
                hit = right.lower() in left.lower()
            elif isinstance(right, str):  # once per distinct value: companies, industries repeat
                codes, uniques = pd.factorize(left)
                found = pd.Series(uniques, dtype=object).astype(str).str.contains(right, case=False, regex=False)
                hit = np.append(found.to_numpy(dtype=bool), False)[codes]
            else:  # a column on the right: row by row (rare; still no Python per cell on the left)
                hit = pd.Series([r.lower() in l.lower() if isinstance(l, str) and isinstance(r, str) else False
                                 for l, r in zip(left, right)], index=self.frame.index)
            return self._flags(hit)
        if isinstance(node, In):
            kind = self._kind(node.left, *node.items)
            left = self._as(node.left, kind)
            values = [self._as(i, kind) for i in node.items]
            hit = left.isin(values) if isinstance(left, pd.Series) else left in values
            hit = self._flags(hit)
            return ~hit if node.negate else hit
        kind = self._kind(node.left, node.right)
        left, right = self._as(node.left, kind), self._as(node.right, kind)
        op = "==" if node.op == "!=" else node.op
        hit = {"==": lambda: left == right, "<": lambda: left < right, "<=": lambda: left <= right,
               ">": lambda: left > right, ">=": lambda: left >= right}[op]()
        hit = self._flags(hit)
        return ~hit if node.op == "!=" else hit

    def _flags(self, hit) -> np.ndarray:
        if isinstance(hit, (bool, np.bool_)):
            return np.full(len(self.frame), bool(hit))
        return pd.Series(hit).fillna(False).to_numpy(dtype=bool)

    def column(self, name: str) -> pd.Series:
        if name in self.frame.columns:
            return self.frame[name]
        alias = self.aliases.get(name)
        if alias in self.frame.columns:
            return self.frame[alias]
        return pd.Series(None, index=self.frame.index, dtype=object)  # unknown: empty (checked at load)

    def _kind(self, *values) -> str:
        kinds = set()
        for v in values:
            if isinstance(v, Literal):
                kinds.add(v.kind)
            else:
                dtype = self.column(v.name).dtype
                if pd.api.types.is_datetime64_any_dtype(dtype):
                    kinds.add("date")
                elif pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
                    kinds.add("number")
        return "date" if "date" in kinds else "number" if "number" in kinds else "text"

    def _as(self, value, kind: str):
        if isinstance(value, Literal):
            if kind == value.kind or kind == "text":
                return value.value if kind != "text" or value.kind == "text" else str(value.value)
            if kind == "number":
                return pd.to_numeric(value.value, errors="coerce") if value.kind == "text" else np.nan
            return pd.to_datetime(value.value, format="%Y-%m-%d", errors="coerce") if value.kind == "text" else pd.NaT
        key = (value.name, kind)
        if key not in self.cache:
            col = self.column(value.name)
            if kind == "number":
                col = col if pd.api.types.is_numeric_dtype(col.dtype) else pd.to_numeric(col, errors="coerce")
            elif kind == "date":
                col = col if pd.api.types.is_datetime64_any_dtype(col.dtype) else \
                    pd.to_datetime(col, format="%Y-%m-%d", errors="coerce")
            elif not pd.api.types.is_string_dtype(col.dtype):  # numbers, dates: as a person reads them
                col = col.astype(object).where(col.notna(), None).map(_plain_text, na_action="ignore")
            self.cache[key] = col
        return self.cache[key]

    def _missing(self, value) -> np.ndarray:
        if isinstance(value, Literal):
            return np.full(len(self.frame), value.value in ("", None))
        col = self.column(value.name)
        missing = col.isna()
        if pd.api.types.is_string_dtype(col.dtype):
            missing |= col.eq("").fillna(False)
        return missing.to_numpy(dtype=bool)


def _plain_text(value: object) -> str:
    """A cell as a person reads it: 5.0 as "5", a date as 2024-01-01."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)
