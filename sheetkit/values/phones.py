"""Phone numbers to E.164 with libphonenumber: a display form, a type, alternates, extensions.

A cell may hold several numbers ("138… / 021-…"): the first is the phone, the rest
alternates. A number libphonenumber does not accept is kept as written, for the
validate stage to flag; nothing is guessed.
"""

from __future__ import annotations

import pandas as pd
import phonenumbers

from .. import columns as C
from ..parallel import cores, in_processes
from .phone_columns import read_columnwise
from .text import TEXT, blank_to_na, extract, fold_text, re2, split_many

_PUNCT = re2(r"[\s\-()（）.]")
# "021-61234567 ext. 8", "转8", "分机 8", "x8": the extension, which E.164 cannot hold.
_EXT = re2(r"(?i)\s*(?:ext\.?|extension|x|转|分机|分机号)\s*[:：]?\s*(\d{1,6})\s*$")
_TYPES = {phonenumbers.PhoneNumberType.MOBILE: "mobile", phonenumbers.PhoneNumberType.FIXED_LINE: "landline",
          phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline"}


def _parse_phone(raw: str, region: str) -> tuple[str, str, str] | None:
    try:
        num = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    num.extension = None  # kept in its own column
    e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    fmt = (phonenumbers.PhoneNumberFormat.NATIONAL if phonenumbers.region_code_for_number(num) == region
           else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return e164, phonenumbers.format_number(num, fmt), _TYPES.get(phonenumbers.number_type(num), "other")


# libphonenumber keeps its compiled patterns (numbers of many countries outgrow re's cache,
# which then recompiles them: 10 % faster), here and in the processes below, which import
# this module. A phonenumbers too old to have it runs without.
getattr(phonenumbers, "enable_pattern_cache", lambda: None)()

# libphonenumber is pure Python (50-80 µs a number) and holds the GIL: a list with
# hundreds of thousands of numbers it must parse one by one (spellings phone_columns leaves
# to it: letters, "/", a transform rule) is parsed in other processes. Starting
# them costs about a second each (an interpreter and sheetkit's imports, ~165 MB), so
# only from this many numbers (about 5 s of work) on.
_IN_PROCESSES = 20_000


def _parse_all(keys: list[str], region: str, workers: int | None = None) -> list[tuple[str | None, ...]]:
    """(e164, display, kind) of each key (Nones where libphonenumber refuses it), on up to
    ``workers`` processes (default: one per core) when there are many; the result is the same."""
    workers = min(workers or cores(), max(1, len(keys) // (_IN_PROCESSES // 2)))
    size = -(-len(keys) // (4 * workers))  # a few chunks a worker: one slow chunk does not hold the rest
    parts = in_processes(_parse_chunk, [keys[i:i + size] for i in range(0, len(keys), size)], region,
                         workers=workers)
    return [got for part in parts for got in part] if parts is not None else _parse_chunk(keys, region)


def _parse_chunk(keys: list[str], region: str) -> list[tuple[str | None, ...]]:
    return [_parse_phone(k, region) or (None, None, None) for k in keys]


def _parse_unique(values: pd.Series, region: str, workers: int | None = None) -> pd.DataFrame:
    """Parse each distinct spelling once: column-wise with libphonenumber's metadata where
    the spelling is plain digits (``phone_columns``), the rest one by one."""
    index = values.index
    values = values.reset_index(drop=True)  # an exploded column repeats labels
    out = pd.DataFrame({"e164": None, "display": None, "kind": None}, index=values.index, dtype=object)
    rest = values.dropna()
    if len(rest):
        # Punctuation means nothing to libphonenumber: "021-6123 4567" and "(021)61234567"
        # are one number, parsed once.
        codes, distinct = pd.factorize(rest.astype(TEXT).str.replace(_PUNCT, "", regex=True))
        got = read_columnwise(pd.Series(distinct, dtype=TEXT), region)
        slow = ~got.pop("decided").to_numpy()
        if slow.any():
            todo = got.index[slow]
            parsed = _parse_all(pd.Series(distinct).iloc[todo].tolist(), region, workers)
            got.loc[todo] = pd.DataFrame(parsed, index=todo, columns=got.columns, dtype=object)
        out.loc[rest.index] = got.to_numpy()[codes]
    return out.set_axis(index)


def normalize_phones(s: pd.Series, region: str = "CN", workers: int | None = None) -> pd.DataFrame:
    """Phone cells to E.164 (``phone``), a display form, a type, an extension and alternates.

    ``workers``: processes for the numbers libphonenumber parses one by one, when they are
    many (default: one per core; 1: none).

    >>> normalize_phones(pd.Series(["138-1234-5678", "+86 021 6123 4567 / 13912345678", "021-61234567 转8", "12345"]))
                phone  phone_display phone_type phone_ext         phone_2
    0  +8613812345678  138 1234 5678     mobile      None            None
    1   +862161234567  021 6123 4567   landline      None  +8613912345678
    2   +862161234567  021 6123 4567   landline         8            None
    3           12345           None       None      None            None
    """
    first, rest = split_many(s)  # before folding, which would turn a line break into a space
    first = fold_text(first)
    text = first.astype(TEXT)
    ext = extract(text, _EXT)[0]
    parsed = _parse_unique(blank_to_na(text.str.replace(_EXT, "", regex=True)), region, workers)
    ext = ext.where(parsed["e164"].notna())  # on a value that does not parse, it is part of what was written
    phone = parsed["e164"].where(parsed["e164"].notna(), first)
    alternates = pd.Series(None, index=s.index, dtype=object)
    if rest.notna().any():
        parts = blank_to_na(fold_text(rest.dropna().astype(TEXT).str.split("; ").explode())).dropna()
        got = _parse_unique(parts, region, workers)["e164"]
        alt = got.where(got.notna(), parts).astype(str)
        alternates = alt.groupby(level=0, sort=False).agg("; ".join).reindex(s.index)
    return pd.DataFrame({C.PHONE: blank_to_na(phone), C.PHONE_DISPLAY: blank_to_na(parsed["display"]),
                         C.PHONE_TYPE: blank_to_na(parsed["kind"]), C.PHONE_EXT: blank_to_na(ext.astype(object)),
                         C.PHONE_ALT: blank_to_na(alternates)}, index=s.index)
