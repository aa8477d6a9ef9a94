"""Named checks a schema can use beyond pandera's built-ins, and the fixes they suggest.

Field checks take a column of normalised text and return True where a value passes
(empty cells pass: a missing value is the row rules' business). Row checks take the
whole frame and the fields a rule names. Checks that judge dates against "today" get
the run's ``as_of``, so a rerun on another day gives the same answer for the same as-of.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .values.addresses import country_of, is_valid_postcode, postcode_fits_country
from .values.dates import AMBIGUOUS, is_ambiguous_date, iso_dates
from .values.emails import is_valid_email, suggest_emails
from .values.ids import is_valid_ric, is_valid_uscc, ric_birth_dates, ric_genders
from .values.text import extract


def _dates(values: pd.Series) -> pd.Series:
    return iso_dates(values, strict=True)  # a check reads only what a cleaned date looks like


def _readable_date(values: pd.Series, as_of=None) -> pd.Series:
    # An ambiguous value is reported as ambiguous, not also as unreadable.
    return (_dates(values).notna() | is_ambiguous_date(values)).astype(bool)


def _not_future(values: pd.Series, as_of=None) -> pd.Series:
    dates = _dates(values)
    return ~(dates > as_of).fillna(False).astype(bool) if as_of is not None else pd.Series(True, index=values.index)


def _plausible_birth(values: pd.Series, as_of=None, earliest: str = "1900-01-01") -> pd.Series:
    dates = _dates(values)
    bad = dates < pd.Timestamp(earliest)
    if as_of is not None:
        bad |= dates > as_of
    return ~bad.fillna(False).astype(bool)


FIELD_CHECKS: dict[str, Callable[..., pd.Series]] = {
    "valid_email": lambda v, as_of=None: is_valid_email(v),
    "no_email_typo": lambda v, as_of=None: suggest_emails(v).isna(),
    "readable_date": _readable_date,
    "unambiguous_date": lambda v, as_of=None: ~is_ambiguous_date(v),
    "not_future": _not_future,
    "plausible_birth_date": _plausible_birth,
    "valid_id_number": lambda v, as_of=None: is_valid_ric(v) & ~(ric_birth_dates(v) > as_of).fillna(False).astype(bool)
    if as_of is not None else is_valid_ric(v),
    "valid_credit_code": lambda v, as_of=None: is_valid_uscc(v),
    "valid_postcode": lambda v, as_of=None: is_valid_postcode(v),
}


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name] if name in df.columns else pd.Series(None, index=df.index, dtype=object)


def _id_matches_birth(df: pd.DataFrame, fields: list[str]) -> pd.Series:
    """The birth date an ID encodes agrees with the row's birth date (where both are known)."""
    ids = _column(df, fields[0])
    encoded, stated = ric_birth_dates(ids.where(is_valid_ric(ids))), _dates(_column(df, fields[1]))
    return ~(encoded.notna() & stated.notna() & (encoded != stated)).astype(bool)


def _id_matches_gender(df: pd.DataFrame, fields: list[str]) -> pd.Series:
    ids = _column(df, fields[0])
    encoded = ric_genders(ids.where(is_valid_ric(ids)))
    stated = _column(df, fields[1]).where(_column(df, fields[1]).isin(["male", "female"]))
    return ~(encoded.notna() & stated.notna() & (encoded != stated)).astype(bool)


def _not_after(df: pd.DataFrame, fields: list[str]) -> pd.Series:
    """The first date field is not after the second (where both are dates)."""
    first, second = _dates(_column(df, fields[0])), _dates(_column(df, fields[1]))
    return ~(first > second).fillna(False).astype(bool)


def _require_any(df: pd.DataFrame, fields: list[str]) -> pd.Series:
    present = [c for c in fields if c in df.columns]
    return df[present].notna().any(axis=1) if present else pd.Series(False, index=df.index)


def _postcode_fits_region(df: pd.DataFrame, fields: list[str]) -> pd.Series:
    """The postcode (first field) has the shape of the row's country: the country field
    (second) where stated, else the phone's country code, an Australian state, the
    address's script. A Chinese rule never judges an Australian or British row."""
    country = country_of(df.get(fields[1]), df.get("phone"), df.get("province"), df.get("address"), df.index)
    return postcode_fits_country(_column(df, fields[0]), country)


ROW_CHECKS: dict[str, Callable[[pd.DataFrame, list[str]], pd.Series]] = {
    "require_any": _require_any,
    "postcode_fits_region": _postcode_fits_region,
    "id_matches_birth": _id_matches_birth,
    "id_matches_gender": _id_matches_gender,
    "not_after": _not_after,
}


def _suggest_date_orders(values: pd.Series, rows: pd.DataFrame) -> pd.Series:
    parts = extract(values, AMBIGUOUS)
    short = pd.to_numeric(parts[2], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    pivot = pd.Series(np.where(short < 69, "20", "19"), index=parts.index) + parts[2]  # as normalize_dates reads it
    year = parts[2].where(parts[2].str.len() == 4, pivot)
    day_first = year + "-" + parts[1].str.zfill(2) + "-" + parts[0].str.zfill(2)
    month_first = year + "-" + parts[0].str.zfill(2) + "-" + parts[1].str.zfill(2)
    return (day_first + " (day first) or " + month_first + " (month first)").astype(object)


def _suggest_id_birth(values: pd.Series, rows: pd.DataFrame, fields: list[str]) -> pd.Series:
    return ("ID says " + ric_birth_dates(_column(rows, fields[0])).dt.strftime("%Y-%m-%d")).astype(object)


def _suggest_id_gender(values: pd.Series, rows: pd.DataFrame, fields: list[str]) -> pd.Series:
    return ("ID says " + ric_genders(_column(rows, fields[0])).astype("string")).astype(object)


# Row checks that judge their first field's value (the others are its context): their
# issues name that column and its value, like a field check's.
ON_FIRST_FIELD = {"postcode_fits_region"}

# check name -> (failing values, their rows[, the rule's fields]) -> a suggested fix per value
SUGGESTERS: dict[str, Callable[..., pd.Series]] = {
    "no_email_typo": lambda values, rows: suggest_emails(values),
    "unambiguous_date": _suggest_date_orders,
    "id_matches_birth": _suggest_id_birth,
    "id_matches_gender": _suggest_id_gender,
}
