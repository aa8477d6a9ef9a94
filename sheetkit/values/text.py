"""Shared text helpers: width folding, one "empty", matching keys, cells holding several values.

Two treatments, never mixed up: ``tidy`` for what people read back (notes, names, company
names, addresses, a sheet's own columns): every character kept as written, only the outer
whitespace trimmed; ``fold``/``fold_text`` and ``match_key`` for values with one canonical
spelling (phones, e-mails, IDs, codes) and for matching keys, where ，and , must agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import numpy as np
import opencc
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Text columns are Arrow-backed, so string methods run in C++ (pyarrow.compute), not per cell.
TEXT = pd.StringDtype("pyarrow")
# The same with NaN for missing (pandas' default "str"): what the archive and the weekly
# comparisons hold their texts as, a million of them without a Python object each.
ARROW_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def arrow_text(values: pd.Series) -> pa.Array:
    """A column as one Arrow text array (null: missing), made without a Python string per
    value where it is text already.

    >>> arrow_text(pd.Series(["a", None, 3], dtype=object)).to_pylist()
    ['a', None, '3']
    """
    text = pa.array(values.astype(ARROW_TEXT).array, pa.large_string())
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text  # a column made of several


# Full-width ASCII (！..～) and the ideographic space, as typed with a Chinese IME. Not NFKC,
# which would also rewrite values people mean (①, ㎡, Ⅱ).
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Patterns are strings spelled for RE2 (see re2 below): pyarrow runs them over whole columns.
_SPLIT = "[ \t]*[;；,，、/|\r\n]+[ \t]*"
NON_WORD = r"[^\pL\pN]+"     # everything but letters and digits, in any script (RE2's \W is ASCII-only)
HAN = "\u3400-\u9fff"          # Chinese characters (CJK Unified and Extension A), for a [...] class
# Cells needing more than a trim: full-width or control characters, whitespace other than
# a plain space (tab, NBSP, ideographic space), or two spaces running.
_MESSY = "[\uff01-\uff5e\x01-\x1f\x7f\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]|  "
_TO_SIMPLIFIED = opencc.OpenCC("t2s")


_ESCAPES = {"d": ("0-9", "[0-9]"), "D": (None, "[^0-9]"), "s": ("\t\n\v\f\r ", "[\t\n\v\f\r ]"),
            "S": (None, "[^\t\n\v\f\r ]")}


def re2(pattern: str) -> str:
    r"""``pattern`` in a form pyarrow's RE2 runs, so pandas does not fall back to Python per cell.

    pandas hands a pattern with ``\s``, ``\d`` (on non-ASCII data) or a ``\u`` escape to
    Python's ``re``, one cell at a time; the same pattern spelled with explicit classes
    and literal characters runs in C++. ``\d`` becomes ``[0-9]`` (``0-9`` inside a class),
    ``\s`` ASCII whitespace, which is all a folded cell has.

    >>> re2(r"^(\d{4})[-/.\u5e74]")
    '^([0-9]{4})[-/.年]'
    >>> re2(r"[\s,]") == "[\t\n\v\f\r ,]"
    True
    >>> print(re2(r"[^]\d]\u002e"))  # "]" first in a class is literal; a decoded "." stays literal
    [^]0-9]\.
    """
    out, i, in_class, opened = [], 0, False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt == "u":  # the character itself, escaped if it means something to a regex
                out.append(re.escape(chr(int(pattern[i + 2:i + 6], 16))))
                i += 6
                continue
            if nxt in _ESCAPES and (not in_class or _ESCAPES[nxt][0]):
                out.append(_ESCAPES[nxt][0] if in_class else _ESCAPES[nxt][1])
            else:
                out.append(ch + nxt)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class, opened = True, len(out) + 1
        elif ch == "]" and in_class and not ("".join(out[opened:]) in ("", "^")):  # "[]...]", "[^]...]": literal
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # invisible, and Excel cannot hold them
# Every kind of whitespace a sheet has: RE2's \s is ASCII only.
_SPACES = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"


def tidy(s: pd.Series, collapse: bool = False) -> pd.Series:
    r"""Text as people wrote it, for display: outer whitespace trimmed and control characters
    dropped, nothing else; with ``collapse``, each run of whitespace (line breaks, the
    ideographic space) one plain space, for one-line values such as names and addresses.
    No width folding: 老客户，喜欢绿茶 keeps its full-width comma.

    >>> tidy(pd.Series([" 老客户，喜欢绿茶\u3000", "第一行\n第二行", "ＡＢＣ\x07", "\t", None])).tolist()
    ['老客户，喜欢绿茶', '第一行\n第二行', 'ＡＢＣ', None, None]
    >>> tidy(pd.Series(["上海市\u3000徐汇区\n漕溪北路"]), collapse=True).tolist()
    ['上海市 徐汇区 漕溪北路']
    """
    text = replace_regex(s.astype(TEXT), _CONTROL, "")
    if collapse:
        text = replace_regex(text, _SPACES, " ")
    return blank_to_na(text.str.strip())


def fold(s: pd.Series) -> pd.Series:
    """``fold_text`` as Arrow text with NA for empty: for normalisers that go on working.

    Only cells that need it pay: one scan finds full-width characters, control characters
    and runs of spaces; the rest are only trimmed.
    """
    text = s.astype(TEXT)
    messy = text.str.contains(_MESSY, regex=True).fillna(False).astype(bool)
    out = text.str.strip()
    if messy.any():
        fixed = text[messy]
        wide = fixed.str.contains("[\uff01-\uff5e\u3000]", regex=True).fillna(False).astype(bool)
        if wide.any():  # the per-cell translate only where a Chinese IME typed full-width characters
            fixed = fixed.copy()
            fixed[wide] = fixed[wide].map(lambda v: v.translate(_WIDTH)).astype(TEXT)
        fixed = fixed.str.replace(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", regex=True)
        out[messy] = fixed.str.replace(r"\s+", " ", regex=True).str.strip()
    return out.where(out != "")


def fold_text(s: pd.Series) -> pd.Series:
    """Full-width letters, digits and spaces to ASCII, control characters dropped, spaces
    collapsed and trimmed; everything else kept as written (①, ㎡).

    >>> fold_text(pd.Series(["  张　三 ", "ＡＢＣ\\t１２３", None])).tolist()
    ['张 三', 'ABC 123', None]
    """
    return blank_to_na(fold(s))


def blank_to_na(s: pd.Series) -> pd.Series:
    """Object dtype with None for missing: one representation of "empty" throughout."""
    keep = (s.notna() & s.astype(TEXT).ne("")).fillna(False).to_numpy(dtype=bool)
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        values = python_text(pa.array(s.array))
    else:
        values = s.to_numpy(dtype=object)
    return pd.Series(np.where(keep, values, None), index=s.index, dtype=object)


def python_text(col: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow text column as Python strings (None where null). A column whose values
    repeat (city, owner, dates) shares one string object per distinct value: at 1,048,576
    rows that is about 60 MiB less per column than a string per cell, and faster to make."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    encoded = pc.dictionary_encode(col)
    if len(encoded.dictionary) > 0.9 * len(col):  # all but distinct: one string per cell is as small
        return col.to_numpy(zero_copy_only=False)
    values = np.append(encoded.dictionary.to_numpy(zero_copy_only=False), None)
    return values[encoded.indices.fill_null(len(values) - 1).to_numpy()]


# What people type into an identifier cell they cannot fill: not an identifier.
PLACEHOLDERS = {"无", "暂无", "没有", "空", "不详", "未知", "待定", "待补", "n/a", "na", "none", "null", "nil", "nan",
                "#n/a", "tbd", "unknown"}


def blank_placeholders(s: pd.Series) -> pd.Series:
    """``s`` with placeholders ("无", "N/A", "-", "/", "0", "000") as missing: two customers
    whose code is "N/A" do not share a code, and a row with only that is not identified.

    >>> blank_placeholders(pd.Series(["C-0042", "N/A", "无", "--", "000", None])).tolist()
    ['C-0042', None, None, None, None, None]
    """
    text = s.astype(TEXT)
    empty = text.str.lower().isin(PLACEHOLDERS) | text.str.fullmatch(r"[-/\\.?*#_0 ]+")
    return blank_to_na(s.astype(object).where(~empty.fillna(False).to_numpy(bool), None))


def to_simplified(s: pd.Series) -> pd.Series:
    """Traditional Chinese to Simplified (張偉 → 张伟), only where a cell has a Traditional
    character.

    Which characters are Traditional is asked of OpenCC once for the column's distinct
    characters; the cells holding one are converted as whole strings (OpenCC's phrase
    rules need the context), joined by line breaks into one call: OpenCC converts one
    long string much faster than many short ones.
    """
    text = s.astype(TEXT)
    han = text.str.contains(f"[{HAN}]", regex=True).fillna(False).astype(bool)
    if not han.any():
        return s
    uniques = pd.unique(text[han].to_numpy(dtype=object))
    chars = sorted(set("".join(uniques)))
    simplified = _TO_SIMPLIFIED.convert("".join(chars))
    traditional = [c for c, t in zip(chars, simplified) if c != t] if len(simplified) == len(chars) else chars
    if not traditional:
        return s
    pattern = "[" + "".join(re.escape(c) for c in traditional) + "]"
    todo = [u for u in uniques if re.search(pattern, u)]
    if not todo:
        return s
    converted = _TO_SIMPLIFIED.convert("\n".join(todo)).split("\n")
    if len(converted) != len(todo):  # a value held a line break after all: one by one
        converted = [_TO_SIMPLIFIED.convert(u) for u in todo]
    out = s.copy()
    hit = isin(text, todo)
    out[hit] = text[hit].map(dict(zip(todo, converted))).astype(out.dtype)
    return out


def match_key(s: pd.Series) -> pd.Series:
    """A key for matching: NFKC, Simplified, case-folded, without spaces and punctuation.

    >>> match_key(pd.Series(["張 偉", "Zhang-Wei", "Ｏ'Brien"])).tolist()
    ['张伟', 'zhangwei', 'obrien']
    """
    text = s.astype(TEXT)
    odd = text.str.contains(f"[^\x01-\x7f{HAN}]", regex=True).fillna(False).astype(bool)
    if odd.any():  # NFKC only where a cell has something it could change
        text = text.copy()
        text[odd] = text[odd].map(lambda v: unicodedata.normalize("NFKC", v)).astype(TEXT)
    folded = to_simplified(text.str.lower())
    return blank_to_na(folded.str.replace(NON_WORD, "", regex=True))


def split_many(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First value of a cell holding several, and the rest joined with "; "."""
    text = s.astype(TEXT)
    several = text.str.contains(_SPLIT, regex=True).fillna(False).astype(bool)
    first, rest = text.copy(), pd.Series(pd.NA, index=s.index, dtype=TEXT)
    if several.any():  # only cells that hold several values pay for the split
        parts = text[several].str.split(_SPLIT, regex=True)
        first[several] = parts.str[0]
        rest[several] = parts.str[1:].map(lambda xs: "; ".join(x for x in xs if x) or None).astype(TEXT)
    return blank_to_na(first), blank_to_na(rest)


def isin(values: pd.Series | pd.Index | np.ndarray, of) -> np.ndarray:
    """``values.isin(of)`` as a bool array, in time linear in both.

    pandas' Arrow text checks each of ``of`` in Python before asking pyarrow (1.6 s for
    240,000 customer IDs); as object arrays both sides are hashed in C (0.05 s).

    >>> isin(pd.Series(["C1", "C2", None], dtype="str"), {"C2"}).tolist()
    [False, True, False]
    """
    of = list(of) if isinstance(of, (set, frozenset)) else of
    return pd.Index(np.asarray(values, dtype=object), dtype=object).isin(np.asarray(of, dtype=object))


def map_unique(s: pd.Series, fn) -> pd.Series:
    """``fn`` applied once per distinct non-empty value (values repeat a lot in sheets)."""
    values = s.dropna()
    if values.empty:
        return pd.Series(None, index=s.index, dtype=object)
    uniques = pd.unique(values.to_numpy(dtype=object))
    table = dict(zip(uniques, map(fn, uniques)))
    return values.map(table).reindex(s.index).astype(object).where(lambda v: v.notna(), None)


def distinct_values(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Each distinct value of ``values`` once (an empty one last, where the column has one),
    and per row the position of its value there: work done on the first is spread back over
    the rows with ``.take(codes)``."""
    codes, distinct = pd.factorize(values)
    once = pd.Series(distinct, dtype=values.dtype, name=values.name)
    if (codes < 0).any():
        once = pd.concat([once, pd.Series([None], dtype=values.dtype, name=values.name)], ignore_index=True)
        codes = np.where(codes < 0, len(once) - 1, codes)
    return once, codes


def per_distinct(values: pd.Series, parse: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``parse`` (a column in, a column out, row by row) run on each distinct value once and
    spread back over the rows: dates and amounts repeat (a few thousand days in a million rows).
    The values ``parse`` sees are the column's own, empty included where there is one, so
    what it infers from them (a dtype) is what it would infer from the column."""
    once, codes = distinct_values(values)
    return parse(once).take(codes).set_axis(values.index).rename(values.name)


def group_any(flag: pd.Series, groups: pd.Series | None) -> pd.Series:
    """Whether any value of each row's group has ``flag``: a column's habit, decided per sheet."""
    if groups is None:
        return pd.Series(bool(flag.any()), index=flag.index)
    g = groups.reindex(flag.index)
    return flag.groupby(g.to_numpy(), dropna=False).transform("any").astype(bool)


def _arrow(s: pd.Series) -> pa.ChunkedArray | pa.Array:
    """The column's own Arrow data (no Python object per cell)."""
    return pa.array(s.astype(TEXT).array)


def _name_groups(pattern: str) -> tuple[str, int]:
    """Each capturing group of ``pattern`` named g0, g1, ... (pyarrow's extract needs names)."""
    out, n, i, in_class = [], 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        elif ch == "(" and not in_class and not pattern.startswith("(?", i):
            out.append(f"(?P<g{n}>")
            n += 1
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out), n


def extract(s: pd.Series, pattern: str) -> pd.DataFrame:
    """``s.str.extract(pattern)`` run by pyarrow (RE2) over the whole column.

    pandas runs ``extract`` in Python, cell by cell, even on Arrow text; this gives the same
    frame (columns 0..n-1, NA where the pattern does not match) from one pyarrow call. One
    difference: a group that matches the empty string gives NA here ("" in pandas).

    >>> extract(pd.Series(["2023-1-5", "x", None]), "^([0-9]{4})-([0-9]+)-([0-9]+)$").values.tolist()
    [['2023', '1', '5'], [<NA>, <NA>, <NA>], [<NA>, <NA>, <NA>]]
    """
    named, n = _name_groups(pattern)
    found = pc.extract_regex(_arrow(s), named)
    cols = {}
    for i in range(n):
        col = pc.struct_field(found, f"g{i}")
        # pyarrow gives "" for an optional group that did not take part: pandas gives NA
        valid = pc.and_(pc.is_valid(found), pc.invert(pc.equal(col, "")))
        cols[i] = pd.Series(pd.array(pc.if_else(valid, col, pa.scalar(None, col.type)), dtype=TEXT), index=s.index)
    return pd.DataFrame(cols, index=s.index)


def replace_regex(s: pd.Series, pattern: str, replacement: str, max_replacements: int | None = None) -> pd.Series:
    """``s.str.replace(pattern, replacement, regex=True)``, always in C++; missing stays missing.

    >>> replace_regex(pd.Series(["a  b", None, "上海市 x"]), r"\\s+|市", "").tolist()
    ['ab', <NA>, '上海x']
    """
    out = pc.replace_substring_regex(_arrow(s), pattern=pattern, replacement=replacement,
                                     max_replacements=max_replacements)
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([out]) if isinstance(out, pa.Array) else out),
                     index=s.index)
