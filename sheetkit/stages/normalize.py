"""Brings every schema field to one canonical text form, column by column.

A value that cannot be normalised is kept exactly as written (trimmed), so the
validate stage flags it with the original and nothing is "fixed" into a falsehood.
The work per kind of value lives in ``sheetkit.values``; this stage applies it to the
fields a schema declares and adds the derived columns (display forms, keys, divisions).
"""

from __future__ import annotations

import pandas as pd

from .. import columns as C
from ..config import PipelineConfig
from ..schema import Schema
from ..values.addresses import parse_addresses
from ..values.amounts import currency_of, normalize_amounts
from ..values.dates import normalize_dates
from ..values.emails import normalize_emails
from ..values.ids import compact_ids
from ..values.names import normalize_names
from ..values.phones import normalize_phones
from ..values.pinyin import pinyin_tokens
from ..values.text import (
    TEXT,
    blank_placeholders,
    blank_to_na,
    fold,
    fold_text,
    match_key,
    re2,
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
_COMPANY_SUFFIX = re2(
    r"(?i)(股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司|分公司|公司|"
    r"[\s,.]+(co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|incorporated|corp\.?|corporation|"
    r"llc|gmbh|co\.?))$")


def normalize_gender(s: pd.Series) -> pd.Series:
    """男/女/M/F/male/female/先生/女士 to male or female; others kept as written."""
    text = fold(s)
    mapped = text.str.lower().map(_GENDER, na_action="ignore")
    return blank_to_na(mapped.astype(TEXT).fillna(text))


def company_key(s: pd.Series) -> pd.Series:
    """A company name for matching: legal suffixes (有限公司, Co., Ltd.) and punctuation removed.

    >>> company_key(pd.Series(["上海星辰科技有限公司", "Acme Co., Ltd.", "ACME", "杭州云帆网络科技有限公司上海分公司"])).tolist()
    ['上海星辰科技', 'acme', 'acme', '杭州云帆网络科技有限公司上海']
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
        config: ``default_region`` for phone numbers.

    Returns:
        A new frame: the same rows and columns, normalised, with derived columns added
        where their fields exist: ``phone_display``, ``phone_type``, ``phone_ext``,
        ``phone_2``, ``email_2``, ``name_title``, ``name_key``, ``name_pinyin``, ``company_key``,
        ``address_key``, ``amount_currency``, and ``province``/``city``/``district`` filled
        from the address where the sheet left them empty.
    """
    out = records.copy()
    sheets = _sheets(records)
    for name, spec in schema.fields.items():
        if name not in out.columns:
            continue
        col = out[name]
        if spec.kind == "phone":
            phones = normalize_phones(col, config.default_region)
            out[name] = phones[C.PHONE]
            if name == C.PHONE:
                for extra in (C.PHONE_DISPLAY, C.PHONE_TYPE, C.PHONE_EXT, C.PHONE_ALT):
                    out[extra] = phones[extra]
        elif spec.kind == "email":
            emails = normalize_emails(col)
            out[name] = emails[C.EMAIL]
            if name == C.EMAIL:
                out[C.EMAIL_ALT] = emails[C.EMAIL_ALT]
        elif spec.kind == "name":
            names = normalize_names(col)
            out[name] = names[C.NAME]
            if name == C.NAME:
                out[C.NAME_TITLE] = names[C.NAME_TITLE]
                out[C.NAME_KEY] = names[C.NAME_KEY]
                out[C.NAME_PINYIN] = pinyin_tokens(names[C.NAME])
        elif spec.kind == "date":
            out[name] = normalize_dates(col, sheets)
        elif spec.kind == "amount":
            out[name] = normalize_amounts(col, sheets)
            if name == C.AMOUNT:
                out[C.AMOUNT_CURRENCY] = currency_of(fold_text(col))
        elif spec.kind == "gender":
            out[name] = normalize_gender(col)
        elif spec.kind == "id":
            out[name] = compact_ids(blank_placeholders(fold_text(col)))
        elif name == C.CUSTOMER_CODE:
            out[name] = blank_placeholders(fold_text(col))
        else:
            out[name] = fold_text(col)
    for extra in out.columns.difference(list(schema.fields) + C.PROVENANCE):
        if out[extra].dtype == object and extra not in C.MATCH_KEYS + [C.NAME_TITLE]:
            out[extra] = fold_text(out[extra])
    if C.NAME in out.columns and C.NAME_KEY not in out.columns:
        out[C.NAME_KEY] = match_key(out[C.NAME])
    if C.COMPANY in out.columns:
        out[C.COMPANY_KEY] = company_key(out[C.COMPANY])
    if C.ADDRESS in out.columns:
        out[C.ADDRESS_KEY] = match_key(out[C.ADDRESS])
        divisions = parse_addresses(out[C.ADDRESS])
        stated = out[[c for c in (C.PROVINCE, C.CITY) if c in out.columns]].notna().any(axis=1)
        for col in (C.PROVINCE, C.CITY, C.DISTRICT):  # a sheet's own province or city wins
            _fill(out, col, divisions[col].where(~stated, None))
    return out
