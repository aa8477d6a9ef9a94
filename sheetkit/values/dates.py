"""Dates in any common spelling to ISO text (YYYY-MM-DD), never guessed.

Day/month order of d/m/y-style values is decided by the whole column (per sheet, by
the caller): a first part above 12 means day first, a second part above 12 means month
first. Without such evidence a value that reads differently both ways is kept as
written, to be flagged as ambiguous.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from .. import columns as C
from .text import TEXT, blank_to_na, extract, fold, group_any, per_distinct, re2

_YMD = re2(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[ T][\d:.]+)?$")
_COMPACT = re2(r"^(\d{4})(\d{2})(\d{2})$")
_XYY = re2(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})(?:[ T][\d:.]+)?$")
_SERIAL = re2(r"^\d{5}(?:\.\d+)?$")  # 1985 is a year, not 1905-06-07
_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                           "nov", "dec"))}
_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_D_MON_Y = re2(rf"(?i)^(\d{{1,2}})[\s-]+{_MON}[\s,-]+(\d{{4}})$")
_MON_D_Y = re2(rf"(?i)^{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$")
# What an unreadable but date-shaped value looks like once normalising has had its go.
AMBIGUOUS = re2(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})")


def iso_dates(values: pd.Series, strict: bool = False) -> pd.Series:
    """Text written yyyy-mm-dd (as sheetkit keeps dates) as dates; NaT where it is no such date.
    Each distinct text is parsed once: a column repeats a few thousand days over a million rows.
    ``strict``: only text of exactly that shape (``C.ISO_DATE``), so "2020-5-2" is no date.

    >>> iso_dates(pd.Series(["2020-05-02", "2020-5-2", "2023-02-30", None]), strict=True).dt.day.tolist()
    [2.0, nan, nan, nan]
    """
    parse = partial(pd.to_datetime, format="%Y-%m-%d", errors="coerce")
    if strict:
        return per_distinct(values.astype(TEXT), lambda text: parse(text.where(text.str.fullmatch(C.ISO_DATE))))
    return per_distinct(values, parse)


def normalize_dates(s: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    """Dates to ISO text; values that are not dates, or stay ambiguous, kept as written.

    ``groups`` (aligned with ``s``, e.g. the source sheet) makes the day/month evidence
    per group: each sheet's author has their own habit.

    >>> normalize_dates(pd.Series(["2023/1/5", "2023年1月5日", "44927", "2023-02-30", "25.12.2023", "5.1.2023"])).tolist()
    ['2023-01-05', '2023-01-05', '2023-01-01', '2023-02-30', '2023-12-25', '2023-01-05']
    >>> normalize_dates(pd.Series(["03/04/2023", "5 Jan 2023", "Mar 7, 2024"])).tolist()
    ['03/04/2023', '2023-01-05', '2024-03-07']
    """
    text = fold(s)
    # Real Excel dates arrive as ISO text already: check those in one pass, parse the rest.
    out = text.where(iso_dates(text, strict=True).notna()).astype(TEXT)
    if out.notna().sum() == text.notna().sum():
        return blank_to_na(out)
    written = text
    text = text[out.isna() & text.notna()]  # the rest: the slower spellings below
    parts = extract(text, _YMD).fillna(extract(text, _COMPACT))
    out = out.fillna(_assemble(parts[0], parts[1], parts[2]))

    named = extract(text, _D_MON_Y)
    out = out.fillna(_assemble(named[2], named[1].str.lower().str[:3].map(_MONTHS), named[0]))
    named = extract(text, _MON_D_Y)
    out = out.fillna(_assemble(named[2], named[0].str.lower().str[:3].map(_MONTHS), named[1]))

    xyy = extract(text, _XYY)
    a = pd.to_numeric(xyy[0], errors="coerce").astype("float64")
    b = pd.to_numeric(xyy[1], errors="coerce").astype("float64")
    short = pd.to_numeric(xyy[2].where(xyy[2].str.len() == 2), errors="coerce").astype("float64")
    full = pd.Series(short + np.where(short < 69, 2000, 1900), index=xyy.index).astype("Int64").astype(TEXT)
    year = xyy[2].where(xyy[2].str.len() == 4, full)
    day_first, month_first = group_any(a > 12, groups), group_any(b > 12, groups)
    as_dm = _assemble(year, xyy[1], xyy[0])
    as_md = _assemble(year, xyy[0], xyy[1])
    # Evidence one way: read that way. None, or both (a muddled column): only values that
    # read the same both ways are safe.
    out = out.fillna(as_dm.where(day_first & ~month_first))
    out = out.fillna(as_md.where(month_first & ~day_first))
    out = out.fillna(as_dm.where(a == b))

    serial = pd.to_numeric(text.where(text.str.match(_SERIAL)), errors="coerce")
    serial = serial.where((serial >= 1) & (serial < 2958466))  # Excel's valid range
    from_serial = (pd.Timestamp("1899-12-30") + pd.to_timedelta(np.floor(serial), unit="D"))
    out = out.fillna(from_serial.dt.strftime("%Y-%m-%d").astype(TEXT))
    return blank_to_na(out.fillna(written))


def _assemble(y: pd.Series, m: pd.Series, d: pd.Series) -> pd.Series:
    frame = pd.DataFrame({"year": pd.to_numeric(y, errors="coerce"), "month": pd.to_numeric(m, errors="coerce"),
                          "day": pd.to_numeric(d, errors="coerce")})
    ok = frame.notna().all(axis=1)
    dates = pd.to_datetime(frame[ok], errors="coerce") if ok.any() else pd.Series(dtype="datetime64[ns]")
    return dates.dt.strftime("%Y-%m-%d").astype(TEXT).reindex(y.index)


def is_ambiguous_date(values: pd.Series) -> pd.Series:
    """True where a value is still d/m/y-shaped and reads as two different valid dates."""
    text = values.astype(TEXT)
    out = pd.Series(False, index=values.index)
    shaped = text.str.match(AMBIGUOUS).fillna(False).astype(bool)  # ISO dates, most cells, are not
    if shaped.any():
        parts = extract(text[shaped], AMBIGUOUS)
        a, b = (pd.to_numeric(parts[i], errors="coerce") for i in (0, 1))
        out[shaped] = ((a <= 12) & (b <= 12) & (a >= 1) & (b >= 1) & (a != b)).fillna(False).astype(bool)
    return out
