"""Re-verification (定期核对): whose contact data to check again, what to check, whom to ask.

A customer is listed when its contact data was last confirmed more than
``verify_after_days`` ago (the last contact; without one, the latest date any of its
records carries: an order, the date it was entered), never (no date at all), or when the
phone or e-mail it shows is not a valid one. The most valuable come first.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .. import columns as C
from ..config import PipelineConfig
from ..values.dates import iso_dates
from ..values.text import TEXT
from .pool import NO_OWNER, Owners, owner_of, take_rows, value_order

VERIFY_COLUMNS = [C.CUSTOMER_ID, C.NAME, C.COMPANY, "check", "ask", C.PHONE, C.EMAIL, "confirmed_on",
                  "days_since_confirmed", "value_tier", "amount_12m", "total_amount"]
NEVER = "never confirmed (no date): check phone, e-mail, address · 从未核对联系方式"


class Reasons(NamedTuple):
    """Why each customer is to be verified: one bool array per reason, and the dates."""

    old: np.ndarray
    never: np.ndarray
    phone: np.ndarray
    email: np.ndarray
    confirmed: pd.Series
    days: pd.Series

    @property
    def any(self) -> np.ndarray:
        return self.old | self.never | self.phone | self.email


def _invalid(frame: pd.DataFrame, col: str, pattern: str) -> np.ndarray:
    if col not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    text = frame[col].astype(TEXT)  # Arrow regex (RE2), not Python per cell
    return (text.notna() & ~text.str.match(pattern).fillna(False)).to_numpy(bool)


def verify_reasons(customers: pd.DataFrame, config: PipelineConfig, as_of: pd.Timestamp) -> Reasons:
    """Per customer, whether its contact data is old, never confirmed, or invalid."""
    none = pd.Series(pd.NaT, index=customers.index, dtype="datetime64[ns]")
    contact = iso_dates(customers[C.LAST_CONTACT_ON]) if C.LAST_CONTACT_ON in customers.columns else none
    latest = pd.to_datetime(customers["last_activity_on"]) if "last_activity_on" in customers.columns else none
    confirmed = contact.fillna(latest)
    days = (as_of - confirmed).dt.days.clip(lower=0)
    return Reasons((days > config.verify_after_days).to_numpy(bool), confirmed.isna().to_numpy(bool),
                   _invalid(customers, C.PHONE, C.VALID_PHONE), _invalid(customers, C.EMAIL, C.VALID_EMAIL),
                   confirmed, days)


def verify_sheet(customers: pd.DataFrame, config: PipelineConfig, as_of: pd.Timestamp,
                 reasons: Reasons | None = None, owners: Owners | None = None) -> pd.DataFrame:
    """The Verify sheet: one row per customer to check again, most valuable first.

    ``check`` says what to check (every reason, "; "-joined); ``ask`` is the owner, or
    "no owner" for a customer in the pool.

    >>> frame = pd.DataFrame({"customer_id": ["C1", "C2"], "phone": ["12345", "+8613812345678"],
    ...                       "last_contact_on": ["2024-12-01", "2024-12-01"], "owner": ["张丽", "张丽"],
    ...                       "last_activity_on": pd.to_datetime(["2024-12-01", "2024-12-01"])})
    >>> verify_sheet(frame, PipelineConfig(), pd.Timestamp("2024-12-31"))["check"].tolist()
    ['phone 12345 is not a valid number · 电话号码无效']
    """
    r = reasons or verify_reasons(customers, config, as_of)
    pick = value_order(customers, np.flatnonzero(r.any))
    old, never, phone, email = r.old[pick], r.never[pick], r.phone[pick], r.email[pick]
    confirmed = r.confirmed.to_numpy()[pick]
    # The date part depends on the date alone: spell it once per distinct date; then add
    # the invalid phone or e-mail column-wise.
    codes, distinct = pd.factorize(confirmed)
    distinct = pd.DatetimeIndex(distinct)
    spelled = np.array([f"last confirmed {d:%Y-%m-%d} ({max(n, 0)} days ago): check phone, e-mail, address · "
                        f"超过 {config.verify_after_days} 天未核对联系方式" for d, n in zip(distinct, (as_of - distinct).days)]
                       + [""],
                       dtype=object)
    check = np.where(old, spelled[codes], "").astype(object)
    check[never] = NEVER
    for flags, col, (before, after) in ((phone, C.PHONE, ("phone ", " is not a valid number · 电话号码无效")),
                                        (email, C.EMAIL, ("e-mail ", " is not a valid address · 邮箱地址无效"))):
        at = np.flatnonzero(flags)
        if not len(at):
            continue
        said = before + customers[col].to_numpy(dtype=object)[pick[at]].astype(str).astype(object) + after
        check[at] = np.where(check[at] != "", check[at] + "; " + said, said)
    ask = owner_of(customers, owners, pick)
    ask[pd.isna(ask)] = NO_OWNER
    since = (as_of - pd.DatetimeIndex(confirmed)).days.to_numpy(dtype=float)
    return take_rows(customers, pick, VERIFY_COLUMNS, {
        "check": pd.Series(check, dtype=object), "ask": pd.Series(ask, dtype=object),
        "confirmed_on": pd.Series(confirmed), "days_since_confirmed": pd.array(np.maximum(since, 0), dtype="Int64")})
