"""Phone numbers to E.164 with libphonenumber: a display form, a type, alternates, extensions.

A cell may hold several numbers ("138… / 021-…"): the first is the phone, the rest
alternates. A number libphonenumber does not accept is kept as written, for the
validate stage to flag; nothing is guessed.
"""

from __future__ import annotations

import re

import pandas as pd
import phonenumbers

from .. import columns as C
from ..parallel import cores, in_processes
from .text import TEXT, blank_to_na, extract, fold_text, re2, replace_regex, split_many

_MOBILE_CN = re2(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")
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


def _parse_one(raw: str, region: str) -> tuple[str, str, str] | None:
    m = re.match(_MOBILE_CN, re.sub(_PUNCT, "", raw)) if region == "CN" else None
    if m:  # the common case in Chinese sheets; still checked by libphonenumber
        return _parse_phone("+86" + m.group(1), region)
    return _parse_phone(raw, region)


# libphonenumber is pure Python (about 250 µs a number) and holds the GIL: a list with
# hundreds of thousands of numbers it must parse one by one (an English sheet's, or a
# Chinese sheet's read again in the row's country) is parsed in other processes. Starting
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
    return [_parse_one(k, region) or (None, None, None) for k in keys]


def _mobile_pattern(region: str) -> str | None:
    """libphonenumber's own rule for the region's mobile numbers, to apply column-wise."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return meta.mobile.national_number_pattern if meta and meta.mobile else None


def _matches(nsn: pd.Series, desc) -> pd.Series:
    """Whether each national number fits a libphonenumber number description (pattern and
    possible lengths), as ``phonenumberutil._is_number_matching_desc`` decides."""
    if desc is None or not desc.national_number_pattern:
        return pd.Series(False, index=nsn.index)
    fits = nsn.str.fullmatch(re2(desc.national_number_pattern)).fillna(False).astype(bool)
    lengths = list(desc.possible_length or ())
    return fits & nsn.str.len().isin(lengths) if lengths and lengths != [-1] else fits


def _cn_landlines(keys: pd.Series) -> pd.DataFrame:
    """(e164, display, kind) of keys that are plainly Chinese landlines ("021…", "+86 21…",
    "0086 21…"), column-wise with libphonenumber's own CN metadata: its fixed-line pattern
    decides validity and its formats the display; NA where a key needs the full parser
    (another type, a carrier prefix, no area code). Parsing each distinct landline costs
    about 250 µs, 10 s for a million-row sheet; tests/values/test_phones.py checks that
    this agrees with libphonenumber number by number."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    out = pd.DataFrame({"e164": None, "display": None, "kind": None}, index=keys.index, dtype=object)
    text = keys.astype(TEXT)
    nsn = extract(text, r"^(?:(?:\+86|0086)0?|0)?([2-9][0-9]{6,10}|10[0-9]{5,9})$")[0]
    # "86…" without "+" may be the country code or not: libphonenumber decides that
    bare = text.str.startswith("86").fillna(False).to_numpy(bool) & (nsn == text).fillna(False).to_numpy(bool)
    ok = nsn.notna() & ~bare
    ok &= _matches(nsn, meta.general_desc) & _matches(nsn, meta.fixed_line)
    for other in (meta.premium_rate, meta.toll_free, meta.shared_cost, meta.voip, meta.personal_number,
                  meta.pager, meta.uan, meta.voicemail):  # number_type looks at these before fixed line
        ok &= ~_matches(nsn, other)
    todo = ok.copy()
    for fmt in meta.number_format:  # the first format whose leading digits and pattern fit, as libphonenumber
        lead = fmt.leading_digits_pattern[-1] if fmt.leading_digits_pattern else None
        hit = todo & nsn.str.fullmatch(re2(fmt.pattern)).fillna(False).astype(bool)
        if lead:
            hit &= nsn.str.match(re2(f"(?:{lead})")).fillna(False).astype(bool)
        if not hit.any():
            continue
        rule, prefixed = fmt.format, fmt.national_prefix_formatting_rule
        if prefixed:  # "0\1": the national prefix on the first group
            rule = re.sub(r"(\\\d)", lambda _, p=prefixed: p, rule, count=1)
        out.loc[hit[hit].index, "display"] = replace_regex(nsn[hit], re2(f"^(?:{fmt.pattern})$"), rule).to_numpy()
        todo &= ~hit
    ok &= ~todo  # no format fits: leave it to libphonenumber
    out.loc[ok[ok].index, "e164"] = ("+86" + nsn[ok]).to_numpy()
    out.loc[ok[ok].index, "kind"] = "landline"
    return out


def _parse_unique(values: pd.Series, region: str, workers: int | None = None) -> pd.DataFrame:
    """Parse each distinct spelling once. Chinese mobiles, most cells in Chinese sheets, are
    checked against libphonenumber's CN mobile pattern column-wise; the rest one by one."""
    index = values.index
    values = values.reset_index(drop=True)  # an exploded column repeats labels
    out = pd.DataFrame({"e164": None, "display": None, "kind": None}, index=values.index, dtype=object)
    rest = values.dropna()
    pattern = _mobile_pattern("CN")
    if pattern and len(rest):
        digits = rest.astype(TEXT).str.replace(_PUNCT, "", regex=True)
        national = extract(digits, _MOBILE_CN)[0]
        if region != "CN":  # without +86 an 11-digit number belongs to the default region
            national = national.where(digits.str.startswith(("+86", "86", "0086")))
        ok = national.str.fullmatch(re2(pattern)).fillna(False).astype(bool)
        n = national[ok]
        out.loc[n.index, "e164"] = ("+86" + n).to_numpy()
        display = n.str[:3] + " " + n.str[3:7] + " " + n.str[7:]
        out.loc[n.index, "display"] = (display if region == "CN" else "+86 " + display).to_numpy()
        out.loc[n.index, "kind"] = "mobile"
        rest = rest[~ok]
    if len(rest) and region == "CN":
        land = _cn_landlines(rest.astype(TEXT).str.replace(_PUNCT, "", regex=True))
        done = land["e164"].notna()
        out.loc[land.index[done]] = land[done]
        rest = rest[~done]
    if len(rest):
        # Punctuation means nothing to libphonenumber: "021-6123 4567" and "(021)61234567"
        # are one number, parsed once.
        keys = rest.astype(TEXT).str.replace(_PUNCT, "", regex=True).to_numpy(dtype=object)
        distinct = pd.unique(keys).tolist()
        table = dict(zip(distinct, _parse_all(distinct, region, workers)))
        parsed = pd.DataFrame([table[k] for k in keys], index=rest.index, columns=out.columns)
        out.loc[rest.index] = parsed
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
