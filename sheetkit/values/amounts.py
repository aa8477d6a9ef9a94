"""Amounts to plain decimal text, with the currency kept where the cell states one."""

from __future__ import annotations

import pandas as pd

from .text import TEXT, blank_to_na, extract, fold, group_any, per_distinct, re2

# Longest marks first: "HK$" before "$", "US$" before "$".
_CURRENCIES = [("HK$", "HKD"), ("HKD", "HKD"), ("港币", "HKD"), ("港元", "HKD"), ("US$", "USD"), ("USD", "USD"),
               ("美元", "USD"), ("$", "USD"), ("EUR", "EUR"), ("€", "EUR"), ("欧元", "EUR"), ("GBP", "GBP"),
               ("£", "GBP"), ("英镑", "GBP"), ("RMB", "CNY"), ("CNY", "CNY"), ("人民币", "CNY"), ("元", "CNY"),
               ("¥", "CNY"), ("￥", "CNY"), ("JPY", "JPY"), ("日元", "JPY")]
_MARKS = "|".join(m.replace("$", r"\$") for m, _ in _CURRENCIES)
_REFUND = re2(r"(?i)^\s*(?:退款|退货|refund)\s*[:：]?\s*")


def currency_of(s: pd.Series) -> pd.Series:
    """The ISO currency a cell states (¥/元/RMB → CNY, $ → USD, €, HK$, £), else None.

    >>> currency_of(pd.Series(["¥1,280", "US$ 20", "HK$5", "€3,5", "100"])).tolist()
    ['CNY', 'USD', 'HKD', 'EUR', None]
    """
    return per_distinct(s, _stated_currency)  # an amount column repeats its spellings: each read once


def _stated_currency(s: pd.Series) -> pd.Series:
    text = s.astype(TEXT).str.upper().str.replace("￥", "¥")
    found = extract(text, f"({_MARKS.upper()})")[0]
    table = {m.upper(): code for m, code in _CURRENCIES}
    return blank_to_na(found.map(table, na_action="ignore"))


def normalize_amounts(s: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    """Amounts to plain decimal text: currency marks, thousands separators, 万, (negatives).

    A decimal comma (99,00 or 1.234,50, as European-locale Excel writes) is recognised
    from the whole column; where a column mixes both conventions the values written
    with a decimal comma are kept as written, to be flagged rather than misread.
    ``groups`` (aligned with ``s``, e.g. the source sheet) decides that per group.

    >>> normalize_amounts(pd.Series(["¥1,280.00", "3500元", "1.5万", "(1,000)", "RMB 99.9", "退款 200", "n/a"])).tolist()
    ['1280', '3500', '15000', '-1000', '99.9', '-200', 'n/a']
    >>> normalize_amounts(pd.Series(["99,00", "12,5", "1.234,50", "1 234,50"])).tolist()
    ['99', '12.5', '1234.5', '1234.5']
    >>> normalize_amounts(pd.Series(["¥1,280", "3,500元", "12,5"])).tolist()
    ['1280', '3500', '12,5']
    """
    text = fold(s)
    refund = text.str.contains(_REFUND, regex=True).fillna(False).astype(bool)
    t = text.str.replace(_REFUND, "", regex=True)
    t = t.str.replace(re2(rf"(?i)\s*({_MARKS})\s*"), "", regex=True)
    for _ in range(2):  # "1 234 567,50": a space between digit groups separates thousands
        t = t.str.replace("([0-9]) ([0-9]{3})(,|[.]|$)", r"\1\2\3", regex=True)
    comma_decimal = (t.str.fullmatch(re2(r"\(?-?\d+,\d{1,2}\)?"))
                     | t.str.fullmatch(re2(r"\(?-?\d{1,3}(\.\d{3})+(,\d+)?\)?"))).fillna(False).astype(bool)
    # Dot-decimal evidence includes thousands commas (1,280): one "12,5" among them must not
    # turn every 1,280 of the sheet into 1.28; such a sheet is muddled, and 12,5 is flagged.
    dot_decimal = (t.str.contains(re2(r"\d,\d{3}\.\d"))
                   | t.str.fullmatch(re2(r"\(?-?\d+\.\d{1,2}\)?万?"))
                   | t.str.fullmatch(re2(r"\(?-?\d{1,3}(,\d{3})+\)?万?"))).fillna(False).astype(bool)
    comma_column, dot_column = group_any(comma_decimal, groups), group_any(dot_decimal, groups)
    european = comma_column & ~dot_column
    t = t.where(~european, t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    t = t.where(~(comma_decimal & dot_column))  # a muddled column: flag, do not guess
    negative = t.str.match(r"^\(.*\)$") | t.str.startswith("-") | refund
    t = t.str.replace(re2(r"[(),\s]|^-"), "", regex=True)
    wan = t.str.endswith("万")
    value = pd.to_numeric(t.str.replace("万", "", regex=False), errors="coerce")
    value = value.where(~wan.fillna(False).astype(bool), value * 10_000)
    value = value.where(~negative.fillna(False).astype(bool), -value.abs()).round(2) + 0.0  # no "-0"
    canonical = value.map(lambda v: f"{v:.2f}".rstrip("0").rstrip("."), na_action="ignore").astype(TEXT)
    return blank_to_na(canonical.fillna(text))
