"""libphonenumber's own metadata applied to a whole column of numbers at once.

libphonenumber (the ``phonenumbers`` package) is pure Python: parsing, validating and
formatting one number costs 50-80 µs, 45 s of a million-row sheet whose numbers are mostly
distinct. Most cells are plain digits, with or without a "+" and a country code, and for
those what ``parse`` + ``is_valid_number`` + ``format_number`` do is a handful of regular
expressions from the metadata: the country code, the national prefix, the number's region,
its type, its format. Here those expressions run over the column in RE2 (pyarrow), in
libphonenumber's order and with its rules, so the answer is libphonenumber's own.

A key that takes a path not modelled here (a national prefix with a transform rule, a
non-geographic code, a "+" before no known country code, words) is left undecided, for the
caller to parse one by one. tests/values/test_phone_columns.py checks the agreement
number by number, on numbers of every region and shape.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

from .text import arrow_text

_MIN_NSN, _MAX_NSN = 2, 17  # phonenumberutil's _MIN_LENGTH_FOR_NSN, _MAX_LENGTH_FOR_NSN
_CODES = pa.array(sorted(str(cc) for cc in COUNTRY_CODE_TO_REGION_CODE), pa.large_string())  # as arrow_text gives
# _test_number_length's answers that make parse keep the number with its national prefix
_TOO_SHORT, _LOCAL_ONLY, _INVALID_LENGTH, _TOO_LONG, _POSSIBLE = range(5)
_KEEP_PREFIX = (_TOO_SHORT, _LOCAL_ONLY, _INVALID_LENGTH)
# number_type's order: the first description a number fits is its type (_number_type_helper)
_OTHER_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
                "voicemail")


def read_columnwise(keys: pd.Series, region: str) -> pd.DataFrame:
    """What ``values.phones._parse_phone`` gives each key, where it can be found column-wise.

    Args:
        keys: phone cells with punctuation taken out (digits, maybe a leading "+").
        region: the region a number without a country code belongs to.

    Returns:
        A frame on ``keys``' index: ``e164``, ``display`` and ``kind`` (None where
        libphonenumber rejects the number) and ``decided``, False where the key needs
        libphonenumber itself (the other columns are then None).
    """
    text = arrow_text(keys)
    n = len(text)
    e164, display, kind = (np.full(n, None, dtype=object) for _ in range(3))
    decided = np.zeros(n, dtype=bool)
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None or not n:
        return _frame(keys.index, e164, display, kind, decided)
    plus = _fits_all(text, r"^\+[0-9]{3,}$")
    digits = _fits_all(text, r"^[0-9]{3,}$")
    full = pc.utf8_slice_codeunits(text, 1)  # the digits after "+"
    if meta.international_prefix:  # or after the region's international prefix (00), if a digit but 0 follows
        idd = _prefix(text, meta.international_prefix)
        rest = _slice_after(text, idd)
        intl = (digits & pc.is_valid(idd).to_numpy(zero_copy_only=False) & ~_fits_all(rest, "^0")
                & (pc.fill_null(pc.utf8_length(rest), 0).to_numpy(zero_copy_only=False) > 0))
        full = pc.if_else(pa.array(intl), rest, full)
        plus |= intl
        digits &= ~intl
    cc, national = _country_codes(full, plus)
    if meta.national_prefix_transform_rule:
        digits[:] = False  # the region's national numbers are left to libphonenumber
    bare = digits & _fits_all(text, f"^{meta.country_code}")
    if bare.any():  # "8613812345678": parse may take the code off though no "+" is written
        rows = np.flatnonzero(bare)
        rest, off = _without_bare_code(text.take(pa.array(rows)), meta)
        taken = np.zeros(n, dtype=bool)
        taken[rows[off]] = True
        national = pc.replace_with_mask(national, pa.array(taken), rest.filter(pa.array(off)))
        cc[taken] = meta.country_code
        plus |= taken
        digits &= ~taken
    # numbers with a country code are read with its main region's rules; the others, the region's
    parts = [(np.flatnonzero(plus & (cc == code)), int(code), None) for code in np.unique(cc[plus & (cc > 0)])]
    parts.append((np.flatnonzero(digits), meta.country_code, meta))
    for rows, code, rules in parts:
        if not len(rows):
            continue
        got = _one_code(national.take(pa.array(rows)) if rules is None else text.take(pa.array(rows)),
                        code, region, rules)
        if got is not None:
            e164[rows], display[rows], kind[rows] = got
            decided[rows] = True
    return _frame(keys.index, e164, display, kind, decided)


def _frame(index, e164, display, kind, decided) -> pd.DataFrame:
    text = pd.DataFrame({"e164": e164, "display": display, "kind": kind}, index=index, dtype=object)
    return text.assign(decided=decided)


def _one_code(national: pa.Array, code: int, region: str, rules=None):
    """(e164, display, kind) of national numbers of one country calling code, their national
    prefix stripped by ``rules`` (metadata; default the code's main region's); None where
    they are left to libphonenumber."""
    regions = COUNTRY_CODE_TO_REGION_CODE[code]
    if "001" in regions:  # non-geographic numbers have metadata of their own
        return None
    main = PhoneMetadata.metadata_for_region(regions[0])
    rules = rules or main
    if main is None or rules.national_prefix_transform_rule:
        return None
    n = len(national)
    valid = pc.utf8_length(national).to_numpy(zero_copy_only=False) >= _MIN_NSN
    stripped = _strip_national_prefix(national, rules)
    kept = np.isin(_length_result(stripped, rules), _KEEP_PREFIX)
    nsn = pc.if_else(pa.array(kept), national, stripped)
    length = pc.utf8_length(nsn).to_numpy(zero_copy_only=False)
    valid &= (length >= _MIN_NSN) & (length <= _MAX_NSN)
    where, kinds = _regions_and_types(nsn, regions)
    valid &= kinds != ""
    plus_cc = f"+{code}"
    joined = pc.binary_join_element_wise(pa.scalar(plus_cc, nsn.type), nsn, pa.scalar("", nsn.type))
    e164 = np.where(valid, joined.to_numpy(zero_copy_only=False), None)
    national_form = where == region
    display = np.full(n, None, dtype=object)
    for fmt, rows in (("national", valid & national_form), ("international", valid & ~national_form)):
        if rows.any():
            formatted = _formatted(nsn.filter(pa.array(rows)), main, fmt)
            display[rows] = formatted if fmt == "national" else f"{plus_cc} " + formatted  # object arrays: in C
    return e164, display, np.where(valid, kinds, None)


def _regions_and_types(nsn: pa.Array, regions: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Each number's region (region_code_for_number: the first of the code's regions whose
    leading digits it starts with or whose types it fits) and its kind there ("" invalid)."""
    n = len(nsn)
    where = np.full(n, "", dtype=object)
    kinds = np.full(n, "", dtype=object)
    todo = np.ones(n, dtype=bool)
    if len(regions) == 1:  # the code's only region, whatever the number's digits
        where[:] = regions[0]
        meta = PhoneMetadata.metadata_for_region(regions[0])
        return where, _types(nsn, meta) if meta is not None else kinds
    for name in regions:
        meta = PhoneMetadata.metadata_for_region(name)
        if meta is None or not todo.any():
            continue
        rows = np.flatnonzero(todo)
        part = nsn.take(pa.array(rows))
        types = _types(part, meta)
        hit = _fits_all(part, f"^(?:{meta.leading_digits})") if meta.leading_digits else types != ""
        where[rows[hit]] = name
        kinds[rows[hit]] = types[hit]
        todo[rows[hit]] = False
    return where, kinds


def _types(nsn: pa.Array, meta) -> np.ndarray:
    """sheetkit's kind of each number under ``meta`` (_number_type_helper, then phones._TYPES):
    "mobile", "landline", "other", or "" where it fits no type (invalid)."""
    out = np.full(len(nsn), "", dtype=object)
    length = pc.utf8_length(nsn).to_numpy(zero_copy_only=False)
    todo = _is_desc(nsn, length, meta.general_desc, np.ones(len(nsn), dtype=bool))
    for name in _OTHER_TYPES:
        hit = _is_desc(nsn, length, getattr(meta, name), todo)
        out[hit], todo = "other", todo & ~hit
    fixed = _is_desc(nsn, length, meta.fixed_line, todo)
    out[fixed] = "landline"  # FIXED_LINE or FIXED_LINE_OR_MOBILE
    if not meta.same_mobile_and_fixed_line_pattern:
        out[_is_desc(nsn, length, meta.mobile, todo & ~fixed)] = "mobile"
    return out


def _is_desc(nsn: pa.Array, length: np.ndarray, desc, among: np.ndarray) -> np.ndarray:
    """_is_number_matching_desc, for the numbers ``among`` (False elsewhere): the length is
    one the description allows, and its pattern fits."""
    if desc is None or not desc.national_number_pattern:
        return np.zeros(len(nsn), dtype=bool)
    if desc.possible_length:
        among = among & np.isin(length, list(desc.possible_length))
    return _fits(nsn, f"^(?:{desc.national_number_pattern})$", among)


def _strip_national_prefix(number: pa.Array, meta) -> pa.Array:
    """_maybe_strip_national_prefix_carrier_code without a transform rule: the prefix (and a
    carrier code) goes, unless the number fitted the general pattern and would no longer."""
    if not meta.national_prefix_for_parsing:
        return number
    found = _prefix(number, meta.national_prefix_for_parsing)
    has = pc.is_valid(found).to_numpy(zero_copy_only=False)
    if not has.any():
        return number
    rest = _slice_after(number, found)
    has &= ~(_general_fits(number, meta, has) & ~_general_fits(rest, meta, has))  # stripping would spoil it
    return pc.if_else(pa.array(has), rest, number)


def _general_fits(number: pa.Array, meta, among: np.ndarray | None = None) -> np.ndarray:
    """_match_national_number against the region's general pattern (False where it has none),
    for the numbers ``among`` (default all)."""
    general = meta.general_desc.national_number_pattern if meta.general_desc else None
    if not general:
        return np.zeros(len(number), dtype=bool)
    return _fits(number, f"^(?:{general})$", np.ones(len(number), dtype=bool) if among is None else among)


def _length_result(number: pa.Array, meta) -> np.ndarray:
    """_test_number_length against the general description (the number's type unknown)."""
    lengths = sorted(meta.general_desc.possible_length or ())
    local = list(meta.general_desc.possible_length_local_only or ())
    actual = pc.utf8_length(number).to_numpy(zero_copy_only=False)
    if not lengths:  # parse keeps the prefix only on the answers below; none can be given
        return np.full(len(number), _POSSIBLE)
    out = np.where(np.isin(actual, lengths[1:]), _POSSIBLE, _INVALID_LENGTH)
    out = np.where(actual > lengths[-1], _TOO_LONG, out)
    out = np.where(actual < lengths[0], _TOO_SHORT, out)
    out = np.where(actual == lengths[0], _POSSIBLE, out)
    return np.where(np.isin(actual, local), _LOCAL_ONLY, out)


def _without_bare_code(text: pa.Array, meta) -> tuple[pa.Array, np.ndarray]:
    """For keys that start with the region's country code without "+": the rest (its
    national prefix stripped), and whether _maybe_extract_country_code takes the code off:
    where the rest fits the general pattern and the whole does not, or the whole is too long."""
    rest = _strip_national_prefix(pc.utf8_slice_codeunits(text, len(str(meta.country_code))), meta)
    taken = (_length_result(text, meta) == _TOO_LONG) | (~_general_fits(text, meta) & _general_fits(rest, meta))
    return rest, taken


def _country_codes(full: pa.Array, plus: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """_extract_country_code on digits after "+" or an IDD: the first 1-3 digits that are a
    country calling code, and the digits after it; 0 where none is."""
    cc = np.zeros(len(full), dtype=np.int64)
    national = full
    first_zero = _fits_all(full, "^0")
    for size in (1, 2, 3):
        head = pc.utf8_slice_codeunits(full, 0, size)
        hit = (plus & (cc == 0) & ~first_zero & pc.is_in(head, value_set=_CODES).to_numpy(zero_copy_only=False)
               & (pc.utf8_length(full).to_numpy(zero_copy_only=False) >= size))
        if hit.any():
            cc[hit] = pc.cast(head.filter(pa.array(hit)), pa.int64()).to_numpy()
            national = pc.if_else(pa.array(hit), pc.utf8_slice_codeunits(full, size), national)
    # parse refuses a number of fewer than three digits after "+" or an IDD; with no known
    # code it tries the digits in the region, a path left to libphonenumber (cc stays 0)
    short = plus & (pc.utf8_length(full).to_numpy(zero_copy_only=False) <= _MIN_NSN)
    cc[short] = 0
    return cc, national


def _prefix(text: pa.Array, pattern: str) -> pa.Array:
    """What ``re.match(pattern, value)`` matches at the start of each value; null where it
    does not. RE2 picks the same match as Python's re (leftmost, first alternative first)."""
    hit = _fits_all(text, f"^(?:{pattern})")  # a match first: extracting costs more, and most keys have none
    out = pa.nulls(len(text), text.type)
    if hit.any():
        found = pc.extract_regex(text.filter(pa.array(hit)), f"^(?P<p>(?:{_uncaptured(pattern)}))")
        out = pc.replace_with_mask(out, pa.array(hit), pc.struct_field(found, "p").cast(text.type))
    return out


def _slice_after(text: pa.Array, prefix: pa.Array) -> pa.Array:
    """Each value without its ``prefix`` (the value itself where the prefix is null)."""
    length = pc.fill_null(pc.utf8_length(prefix), 0).to_numpy(zero_copy_only=False)
    out = text
    for size in np.unique(length[length > 0]):
        out = pc.if_else(pa.array(length == size), pc.utf8_slice_codeunits(text, int(size)), out)
    return out


@cache
def _uncaptured(pattern: str) -> str:
    """The pattern with its capturing groups made non-capturing (pyarrow's extract names
    every group it reports; the metadata's groups hold carrier codes, not needed here)."""
    return re.sub(r"(?<!\\)\((?!\?)", "(?:", pattern)


def _fits_all(text: pa.Array, pattern: str) -> np.ndarray:
    """Whether ``pattern`` (RE2) matches each value; False for nulls."""
    return pc.fill_null(pc.match_substring_regex(text, pattern), False).to_numpy(zero_copy_only=False)


def _fits(text: pa.Array, pattern: str, among: np.ndarray) -> np.ndarray:
    """``_fits_all`` for the values ``among`` only (False elsewhere): a long pattern run over
    the few values still in question, not the whole column."""
    out = np.zeros(len(text), dtype=bool)
    if among.all():
        return _fits_all(text, pattern)
    if among.any():
        out[among] = _fits_all(text.filter(pa.array(among)), pattern)
    return out


def _formatted(nsn: pa.Array, meta, fmt: str) -> np.ndarray:
    """format_number's national or international form, without the "+cc " (_format_nsn):
    the first of the formats whose last leading-digits pattern starts the number and whose
    pattern fits it whole, its rule applied as re.sub does; the digits as they are where
    no format fits. Each format looks only at the numbers no format before it took."""
    formats = meta.intl_number_format if fmt == "international" and meta.intl_number_format else meta.number_format
    out = nsn.to_numpy(zero_copy_only=False).astype(object)
    todo = np.arange(len(nsn))
    part = nsn
    for number_format in formats:
        if not len(todo):
            break
        hit = np.ones(len(part), dtype=bool)
        if number_format.leading_digits_pattern:
            hit = _fits_all(part, f"^(?:{number_format.leading_digits_pattern[-1]})")
        hit = _fits(part, f"^(?:{number_format.pattern})$", hit)
        if not hit.any():
            continue
        taken = part.filter(pa.array(hit))
        rule = _rule(number_format, fmt)
        out[todo[hit]] = pc.replace_substring_regex(taken, pattern=number_format.pattern,
                                                    replacement=rule).to_numpy(zero_copy_only=False)
        todo, part = todo[~hit], part.filter(pa.array(~hit))
    return out


def _rule(number_format, fmt: str) -> str:
    """The format's rewrite, with the national prefix on its first group in national form
    (_format_nsn_using_pattern); Python's "\\1" is RE2's too."""
    rule = number_format.format
    if fmt == "national" and number_format.national_prefix_formatting_rule:
        rule = re.sub(r"(\\\d)", number_format.national_prefix_formatting_rule, rule, count=1)
    return rule

