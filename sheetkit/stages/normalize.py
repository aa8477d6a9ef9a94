"""Brings every schema field to one canonical text form, column by column.

A value that cannot be normalised is kept exactly as written (trimmed), so the
validate stage flags it with the original and nothing is "fixed" into a falsehood.
The work per kind of value lives in ``sheetkit.values``; this stage applies it to the
fields a schema declares and adds the derived columns (display forms, keys, divisions).
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import numpy as np
import pandas as pd

from .. import columns as C
from ..config import PipelineConfig
from ..parallel import run_all
from ..schema import Schema
from ..values.addresses import country_of, join_address_parts, parse_addresses, spell_out_streets
from ..values.amounts import currency_of, normalize_amounts
from ..values.dates import normalize_dates
from ..values.emails import normalize_emails
from ..values.ids import compact_ids
from ..values.names import join_name_parts, name_parts_swapped, normalize_names
from ..values.phones import normalize_phones
from ..values.pinyin import pinyin_tokens
from ..values.text import (
    TEXT,
    blank_placeholders,
    blank_to_na,
    distinct_values,
    fold,
    fold_text,
    match_key,
    re2,
    tidy,
)

__all__ = [
    "company_key",
    "fold_text",
    "match_key",
    "normalize_amounts",
    "normalize_dates",
    "normalize_emails",
    "normalize_gender",
    "normalize_names",
    "normalize_phones",
    "normalize_records",
]

_GENDER = {"男": "male", "m": "male", "male": "male", "man": "male", "先生": "male", "男性": "male", "男士": "male",
           "女": "female", "f": "female", "female": "female", "woman": "female", "女士": "female",
           "女性": "female", "小姐": "female"}
# Chinese legal forms, longest first; a partnership's form is usually in brackets
# (某某投资中心(有限合伙)), and any of them may be: 上海某某贸易(有限公司).
_CN_FORMS = "股份有限公司|有限责任公司|股份公司|有限公司|特殊普通合伙|普通合伙|有限合伙|分公司|公司"
_COMPANY_SUFFIX = re2(
    rf"(?i)([(（]\s*({_CN_FORMS})\s*[)）]|{_CN_FORMS}|"
    r"[\s,.]+(co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|incorporated|corp\.?|"
    r"corporation|llc|gmbh|co\.?))$")


# Text fields with one canonical spelling (codes, not prose): width-folded like IDs.
_CODES = (C.ORDER_ID, C.POSTCODE, C.COUNTRY)
# Kinds shown on one line: runs of whitespace (a line break in an address cell) become a space.
_ONE_LINE = ("company", "address", "address_part")


def normalize_gender(s: pd.Series) -> pd.Series:
    """男/女/M/F/male/female/先生/女士 to male or female; others kept as written."""
    text = fold(s)
    mapped = text.str.lower().map(_GENDER, na_action="ignore")
    return blank_to_na(mapped.astype(TEXT).fillna(text))


def company_key(s: pd.Series) -> pd.Series:
    """A company name for matching: legal forms (有限公司, 股份公司, (有限合伙), Co., Ltd.),
    bracketed or not, and punctuation removed.

    Pty Ltd, LLP and PLC stay in the key: stripping them made many more colleagues' records
    agree on the company, and at a million rows that tipped the weights' estimate into
    taking whole offices for one customer (dedupe precision 0.70 on blind data).

    集团 is kept: it is part of the name, not a legal form, so 星辰集团, 星辰集团有限公司 and
    星辰(集团)股份有限公司 share a key, which 星辰科技有限公司 does not.

    >>> company_key(pd.Series(["上海星辰科技有限公司", "Acme Co., Ltd.", "ACME", "杭州云帆网络科技有限公司上海分公司"])).tolist()
    ['上海星辰科技', 'acme', 'acme', '杭州云帆网络科技有限公司上海']
    >>> company_key(pd.Series(["上海某某贸易（有限公司）", "花果山股份公司", "星辰集团有限公司", "星辰(集团)股份有限公司"])).tolist()
    ['上海某某贸易', '花果山', '星辰集团', '星辰集团']
    """
    text = fold(s)  # full-width punctuation folded, so the suffixes below match; match_key does NFKC
    for _ in range(2):  # "Acme Co., Ltd." has two suffixes
        text = text.str.replace(_COMPANY_SUFFIX, "", regex=True).str.strip(" ,.")
    return match_key(text)


def _sheets(records: pd.DataFrame) -> pd.Series | None:
    """Each record's sheet, for normalisers that decide a column's habit per sheet."""
    if not set(C.PROVENANCE[:2]) <= set(records.columns):
        return None
    return records[C.SOURCE_FILE].astype(str) + "\x00" + records[C.SOURCE_SHEET].astype(str)


def _fill(out: pd.DataFrame, col: str, values: pd.Series) -> None:
    """Fill ``col`` from ``values`` where the sheet left it empty (a stated value wins)."""
    out[col] = out[col].where(out[col].notna(), values) if col in out.columns else values


def normalize_records(records: pd.DataFrame, schema: Schema, config: PipelineConfig) -> pd.DataFrame:
    """Every schema field of ``records`` in canonical form, plus matching keys.

    Args:
        records: raw text per field, as extracted (provenance columns are kept).
        schema: says each field's kind.
        config: ``default_region`` for phone numbers; ``threads`` for the columns (the
            result is the same however many).

    Returns:
        A new frame: the same rows and columns, normalised, with derived columns added
        where their fields exist: ``phone_display``, ``phone_type``, ``phone_ext``,
        ``phone_2``, ``email_2``, ``name_title``, ``name_key``, ``name_pinyin``, ``company_key``,
        ``address_key``, ``amount_currency``, and ``province``/``city``/``district`` filled
        from the address where the sheet left them empty.
    """
    records = _with_parts_joined(records)
    sheets = _sheets(records)
    fields = [name for name in schema.fields if name in records.columns]
    kept = [c for c in records.columns
            if c not in schema.fields and c not in C.PROVENANCE + C.MATCH_KEYS + [C.NAME_TITLE]]
    # Each column is one job: the columns are independent, and most of a job's time is
    # spent in Arrow and pandas code that lets another thread run beside it.
    jobs = [partial(_field, records[name], schema.fields[name].kind, name, sheets, config) for name in fields]
    done = run_all(jobs, config.threads or None)
    out = records.copy(deep=False)  # copy-on-write: the columns replaced below are never copied
    for col in done[:len(fields)]:  # in schema order, so new columns come in the same order
        out[col.values.name] = col.values
        for name, values in col.derived.items():
            out[name] = values
    made = {name for col in done for name in col.derived}
    kept = [c for c in kept if c not in made]  # a normaliser's derived column wins over a sheet's own
    if kept:  # one block, not a column at a time: a sheet may have 16,384 columns
        order = list(out.columns)
        out = pd.concat([out.drop(columns=kept), _kept_block(records[kept])], axis=1)[order]
    keys = {name: values for col in done for name, values in col.keys.items()}  # schema fields only
    for name in (C.NAME_KEY, C.COMPANY_KEY, C.ADDRESS_KEY):
        if name in keys:
            out[name] = keys[name]
    if C.PHONE in out.columns:
        _reread_foreign_phones(out, records[C.PHONE], sheets, config.default_region, config.threads or None)
    if C.ADDRESS in out.columns:
        stated = out[[c for c in (C.PROVINCE, C.CITY) if c in out.columns]].notna().any(axis=1)
        for name in (C.PROVINCE, C.CITY, C.DISTRICT):  # a sheet's own province or city wins
            _fill(out, name, keys[name].where(~stated, None))
    return out


def _with_parts_joined(records: pd.DataFrame) -> pd.DataFrame:
    """``name`` built from family and given name, ``address`` from street number and address
    lines, where a sheet has them in parts (a name or address the sheet states wins)."""
    def filled(stated: str, joined: pd.Series) -> pd.Series:
        if stated not in records.columns:
            return joined.astype(object)
        text = records[stated].astype(TEXT).str.strip()
        return records[stated].where(text.notna() & (text != ""), joined.astype(object))

    out = {}
    if any(c in records.columns for c in C.NAME_PARTS):
        out[C.NAME] = filled(C.NAME, join_name_parts(records.get(C.FAMILY_NAME), records.get(C.GIVEN_NAME),
                                                     records.index))
        if all(c in records.columns for c in C.NAME_PARTS):  # 玉珍 | 宋: each part to its column
            swapped = name_parts_swapped(records[C.FAMILY_NAME].astype(TEXT).str.strip(),
                                         records[C.GIVEN_NAME].astype(TEXT).str.strip()).to_numpy()
            family, given = records[C.FAMILY_NAME], records[C.GIVEN_NAME]
            out[C.FAMILY_NAME], out[C.GIVEN_NAME] = family.where(~swapped, given), given.where(~swapped, family)
    if any(c in records.columns for c in C.ADDRESS_PARTS):
        out[C.ADDRESS] = filled(C.ADDRESS, join_address_parts(*(records.get(c) for c in C.ADDRESS_PARTS),
                                                              records.index))
    return records.assign(**out) if out else records


_REGIONS = ("CN", "AU", "GB", "US", "NZ", "CA")  # countries a row's evidence can name (values.addresses)
_LATIN_NAME = r"[A-Za-z][A-Za-z .'-]*"


def _reread_foreign_phones(out: pd.DataFrame, raw: pd.Series, sheets: pd.Series | None, default: str,
                           workers: int | None = None) -> None:
    """Phones read again in their row's country where the default region got them wrong:
    0412 345 678 beside a Sydney address (or in a sheet of +61 numbers) is +61412345678.

    The country is the row's (a country column, a state), or the one most of its sheet's
    valid phones are from where that is not the default region. A row whose address is in
    Latin letters and whose country is still unknown is read in the English-speaking region
    its number's shape fits: 0 + 10 digits British, 0 + 9 Australian, 10 digits American.
    Read again: numbers that did not parse, and (default CN) numbers read as a Chinese
    landline without a country code in a row of another country or an English name at a
    Latin-letter address (07911 123456 is a UK mobile, not a landline in 防城港). A Chinese
    sheet's mistyped mobile stays as written, for validate to flag. ``out`` changes in place.
    """
    phone = out[C.PHONE].astype(TEXT)
    bad = (phone.notna() & ~phone.str.match(C.VALID_PHONE).fillna(False)).to_numpy(bool)
    country = country_of(out.get(C.COUNTRY), None, out.get(C.PROVINCE), out.get(C.ADDRESS), out.index)
    latin = (country == "foreign").fillna(False).to_numpy(bool)  # an address in Latin letters, country unsaid
    if sheets is not None:  # the sheet's habit: the country most of its valid phones are from
        calling = country_of(None, phone.where(~bad), None, None, out.index)
        habit = calling.groupby(sheets.to_numpy()).agg(lambda c: c.mode().iloc[0] if c.notna().any() else pd.NA)
        sheet_country = sheets.map(habit).astype(TEXT)
        country = country.where(country.notna() & (country != "foreign"),
                                sheet_country.where(sheet_country != default).fillna(country))
    digits = raw.astype(TEXT).str.replace("[^0-9]", "", regex=True)
    shape = np.select([digits.str.fullmatch(p).fillna(False).to_numpy(bool)
                       for p in ("0[0-9]{10}", "0[0-9]{9}", "1?[2-9][0-9]{9}")], ["GB", "AU", "US"], "")
    foreign = (country == "foreign").fillna(False).to_numpy(bool)  # after the sheet's habit: still unsaid
    target = np.where(country.isin(_REGIONS).fillna(False).to_numpy(bool), country.to_numpy(dtype=object),
                      np.where(foreign, shape, ""))
    target = np.where(target == default, "", target)
    if default == "CN" and C.PHONE_TYPE in out.columns:
        english = foreign & (out[C.NAME].astype(TEXT).str.fullmatch(_LATIN_NAME).fillna(False).to_numpy(bool)
                             if C.NAME in out.columns else False)
        bad |= ((country.isin(_REGIONS).fillna(False).to_numpy(bool) | english) & (target != "")
                & out[C.PHONE_TYPE].eq("landline").fillna(False).to_numpy(bool)
                & ~raw.astype(TEXT).str.strip().str.match(r"^(\+|00)").fillna(False).to_numpy(bool))
    # the row's country first; a Latin-letter address whose number does not fit it, by shape
    for regions in (target, np.where(latin & (shape != target), shape, "")):
        for region in pd.unique(regions[bad & (regions != "")]):
            todo = bad & (regions == region)
            again = normalize_phones(raw[todo], region, workers)
            ok = again[C.PHONE].astype(TEXT).str.match(C.VALID_PHONE).fillna(False).to_numpy(bool)
            for col in (C.PHONE, C.PHONE_DISPLAY, C.PHONE_TYPE, C.PHONE_EXT):
                if col in out.columns:
                    out.loc[again.index[ok], col] = again.loc[ok, col].to_numpy()
            bad[np.flatnonzero(todo)[ok]] = False


class _Column(NamedTuple):
    """A column normalised; the columns derived from it, in order; and the matching keys
    (and an address's divisions) made from it, which go after every field."""

    values: pd.Series
    derived: dict[str, pd.Series]
    keys: dict[str, pd.Series]


# Kinds whose normalisers look at each value alone: those run once per distinct value.
# Phones are parsed once per spelling already; dates and amounts decide a sheet's habit
# from all its values, so they see every row.
_ROW_BY_ROW = ("phone", "date", "amount")
_REPEATED = 0.8  # normalise distinct values only where they are fewer than this share of the cells


def _field(col: pd.Series, kind: str, name: str, sheets: pd.Series | None,
           config: PipelineConfig) -> _Column:
    """One field normalised (named ``name``), and the columns derived from it, in order.

    Names, companies, cities and titles repeat (a 1M-row sheet has a few hundred cities):
    where a column's distinct values are few, each is normalised once and the results are
    spread back over the rows."""
    if kind in _ROW_BY_ROW or len(col) < 1_000:
        return _field_values(col, kind, name, sheets, config)
    once, codes = distinct_values(col)  # an empty cell is normalised too (into an empty value)
    if len(once) >= _REPEATED * len(col):
        return _field_values(col, kind, name, sheets, config)
    done = _field_values(once, kind, name, None, config)
    spread = lambda s: s.take(codes).set_axis(col.index)  # noqa: E731
    return _Column(spread(done.values), {k: spread(v) for k, v in done.derived.items()},
                   {k: spread(v) for k, v in done.keys.items()})


def _field_values(col: pd.Series, kind: str, name: str, sheets: pd.Series | None,
                  config: PipelineConfig) -> _Column:
    """``_field`` on every row of ``col``."""
    derived: dict[str, pd.Series] = {}
    if kind == "phone":
        phones = normalize_phones(col, config.default_region, config.threads or None)
        values = phones[C.PHONE]
        if name == C.PHONE:
            derived = {extra: phones[extra] for extra in (C.PHONE_DISPLAY, C.PHONE_TYPE, C.PHONE_EXT, C.PHONE_ALT)}
    elif kind == "email":
        emails = normalize_emails(col)
        values = emails[C.EMAIL]
        if name == C.EMAIL:
            derived = {C.EMAIL_ALT: emails[C.EMAIL_ALT]}
    elif kind == "name":
        names = normalize_names(col)
        values = names[C.NAME]
        if name == C.NAME:
            derived = {C.NAME_TITLE: names[C.NAME_TITLE], C.NAME_KEY: names[C.NAME_KEY],
                       C.NAME_PINYIN: pinyin_tokens(names[C.NAME])}
    elif kind == "name_part":
        values = normalize_names(col)[C.NAME]
    elif kind == "date":
        values = normalize_dates(col, sheets)
    elif kind == "amount":
        values = normalize_amounts(col, sheets)
        if name == C.AMOUNT:
            derived = {C.AMOUNT_CURRENCY: currency_of(fold_text(col))}
    elif kind == "gender":
        values = normalize_gender(col)
    elif kind == "id":
        values = compact_ids(blank_placeholders(fold_text(col)))
    elif name == C.CUSTOMER_CODE:
        values = blank_placeholders(fold_text(col))
    elif name in _CODES:
        values = fold_text(col)
    else:  # free text, company names, addresses: shown as written; their keys fold
        values = tidy(col, collapse=kind in _ONE_LINE)
    values = values.rename(name)
    # Derived columns are folded like any text: an alternate e-mail as written can end in a space.
    derived = {k: v if k in C.MATCH_KEYS + [C.NAME_TITLE] else fold_text(v) for k, v in derived.items()}
    keyed = fold_text(col).rename(name) if kind == "address" else values  # parsed for divisions folded
    return _Column(values, derived, {} if C.NAME_KEY in derived else _keys_of(keyed))


def _kept_block(frame: pd.DataFrame) -> pd.DataFrame:
    """A sheet's columns that are no schema field: free text, kept as written (trimmed).

    The text columns are tidied as one long column, so a sheet of thousands of columns
    costs what its cells cost, not a pass per column.
    """
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c].dtype)]  # object or str
    if not text:
        return frame
    flat = tidy(pd.Series(frame[text].to_numpy(dtype=object).ravel(order="F"), dtype=object))
    tidied = pd.DataFrame(flat.to_numpy(dtype=object).reshape(len(text), len(frame)).T, index=frame.index,
                          columns=text, dtype=object)
    return pd.concat([frame.drop(columns=text), tidied], axis=1)[list(frame.columns)]


def _keys_of(values: pd.Series) -> dict[str, pd.Series]:
    """The matching keys (and an address's divisions) made from a name, company or address."""
    if values.name == C.NAME:
        return {C.NAME_KEY: match_key(values)}
    if values.name == C.COMPANY:
        return {C.COMPANY_KEY: company_key(values)}
    if values.name == C.ADDRESS:
        divisions = parse_addresses(values)
        return {C.ADDRESS_KEY: match_key(spell_out_streets(values)),
                **{c: divisions[c] for c in (C.PROVINCE, C.CITY, C.DISTRICT)}}
    return {}
