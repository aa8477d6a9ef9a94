"""Shared text helpers: width folding, one "empty", matching keys, cells holding several values."""

from __future__ import annotations

import re
import unicodedata

import opencc
import pandas as pd

# Text columns are Arrow-backed, so string methods run in C++ (pyarrow.compute), not per cell.
TEXT = pd.StringDtype("pyarrow")
# Full-width ASCII (！..～) and the ideographic space, as typed with a Chinese IME. Not NFKC,
# which would also rewrite values people mean (①, ㎡, Ⅱ).
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SPLIT = re.compile(r"\s*[;；,，、/|\r\n]+\s*")
_KEY_NOISE = re.compile(r"[\s\W_]+")
_MESSY = re.compile(r"[\uff01-\uff5e\u3000\x00-\x08\x0e-\x1f\x7f]|[^\S ]|\s\s")  # [^\S ]: tabs, NBSP...
_TO_SIMPLIFIED = opencc.OpenCC("t2s")


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
    keep = (s.notna() & s.astype(TEXT).ne("")).fillna(False).astype(bool)
    return s.astype(object).where(keep, None)


def to_simplified(s: pd.Series) -> pd.Series:
    """Traditional Chinese to Simplified (張偉 → 张伟), only where a cell has a Traditional
    character.

    Which characters are Traditional is asked of OpenCC once for the column's distinct
    characters; the cells holding one are converted as whole strings (OpenCC's phrase
    rules need the context), joined by line breaks into one call: OpenCC converts one
    long string much faster than many short ones.
    """
    text = s.astype(TEXT)
    han = text.str.contains(r"[\u3400-\u9fff]", regex=True).fillna(False).astype(bool)
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
    hit = text.isin(todo).fillna(False).astype(bool).to_numpy()
    out[hit] = text[hit].map(dict(zip(todo, converted))).astype(out.dtype)
    return out


def match_key(s: pd.Series) -> pd.Series:
    """A key for matching: NFKC, Simplified, case-folded, without spaces and punctuation.

    >>> match_key(pd.Series(["張 偉", "Zhang-Wei", "Ｏ'Brien"])).tolist()
    ['张伟', 'zhangwei', 'obrien']
    """
    text = s.astype(TEXT)
    odd = text.str.contains(r"[^\x00-\x7f\u3400-\u9fff]", regex=True).fillna(False).astype(bool)
    if odd.any():  # NFKC only where a cell has something it could change
        text = text.copy()
        text[odd] = text[odd].map(lambda v: unicodedata.normalize("NFKC", v)).astype(TEXT)
    folded = to_simplified(text.str.lower())
    return blank_to_na(folded.str.replace(_KEY_NOISE, "", regex=True))


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


def map_unique(s: pd.Series, fn) -> pd.Series:
    """``fn`` applied once per distinct non-empty value (values repeat a lot in sheets)."""
    values = s.dropna()
    if values.empty:
        return pd.Series(None, index=s.index, dtype=object)
    uniques = pd.unique(values.to_numpy(dtype=object))
    table = dict(zip(uniques, map(fn, uniques)))
    return values.map(table).reindex(s.index).astype(object).where(lambda v: v.notna(), None)


def group_any(flag: pd.Series, groups: pd.Series | None) -> pd.Series:
    """Whether any value of each row's group has ``flag``: a column's habit, decided per sheet."""
    if groups is None:
        return pd.Series(bool(flag.any()), index=flag.index)
    g = groups.reindex(flag.index)
    return flag.groupby(g.to_numpy(), dropna=False).transform("any").astype(bool)
