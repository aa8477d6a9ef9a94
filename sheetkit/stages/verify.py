"""Re-verification (定期核对): whose contact data to check again, what to check, whom to ask.

A customer is listed when its contact data was last confirmed more than
``verify_after_days`` ago (the last contact; without one, the latest date any of its
records carries: an order, the date it was entered), never (no date at all), or when the
phone or e-mail it shows is not a valid one. The most valuable come first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import columns as C
from ..config import PipelineConfig
from ..values.text import TEXT
from .pool import NO_OWNER, _owner, value_order

VERIFY_COLUMNS = [C.CUSTOMER_ID, C.NAME, C.COMPANY, "check", "ask", C.PHONE, C.EMAIL, "confirmed_on",
                  "days_since_confirmed", "value_tier", "amount_12m", "total_amount", C.POOL]


def _invalid(frame: pd.DataFrame, col: str, pattern: str) -> np.ndarray:
    if col not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    text = frame[col].astype(TEXT)
    return (text.notna() & ~text.str.match(pattern).fillna(False)).to_numpy(bool)


def verify_sheet(customers: pd.DataFrame, config: PipelineConfig, as_of: pd.Timestamp) -> pd.DataFrame:
    """The Verify sheet: one row per customer to check again, most valuable first.

    ``check`` says what to check (every reason, "; "-joined); ``ask`` is the owner, or
    "no owner" for a customer in the pool.

    >>> frame = pd.DataFrame({"customer_id": ["C1", "C2"], "phone": ["12345", "+8613812345678"],
    ...                       "last_contact_on": ["2024-12-01", "2024-12-01"], "owner": ["张丽", "张丽"],
    ...                       "last_activity_on": pd.to_datetime(["2024-12-01", "2024-12-01"])})
    >>> verify_sheet(frame, PipelineConfig(), pd.Timestamp("2024-12-31"))["check"].tolist()
    ['phone 12345 is not a valid number · 电话号码无效']
    """
    contact = pd.to_datetime(customers.get(C.LAST_CONTACT_ON), format="%Y-%m-%d", errors="coerce") \
        if C.LAST_CONTACT_ON in customers.columns else pd.Series(pd.NaT, index=customers.index)
    latest = pd.to_datetime(customers["last_activity_on"]) if "last_activity_on" in customers.columns \
        else pd.Series(pd.NaT, index=customers.index)
    confirmed = contact.fillna(latest)
    days = (as_of - confirmed).dt.days.clip(lower=0)
    old = (days > config.verify_after_days).to_numpy(bool)
    never = confirmed.isna().to_numpy(bool)
    phone = _invalid(customers, C.PHONE, C.VALID_PHONE)
    email = _invalid(customers, C.EMAIL, C.VALID_EMAIL)
    chosen = old | never | phone | email
    sub = customers[chosen]
    c_days, c_confirmed = days[chosen], confirmed[chosen]
    parts = [
        np.where(old[chosen], "last confirmed " + c_confirmed.dt.strftime("%Y-%m-%d").fillna("")
                 + " (" + c_days.astype("Int64").astype(str) + " days ago): check phone, e-mail, address · "
                 "超过 " + str(config.verify_after_days) + " 天未核对联系方式", ""),
        np.where(never[chosen], "never confirmed (no date): check phone, e-mail, address · 从未核对联系方式", ""),
        np.where(phone[chosen], "phone " + sub.get(C.PHONE, pd.Series("", index=sub.index)).astype(str)
                 + " is not a valid number · 电话号码无效", ""),
        np.where(email[chosen], "e-mail " + sub.get(C.EMAIL, pd.Series("", index=sub.index)).astype(str)
                 + " is not a valid address · 邮箱地址无效", ""),
    ]
    check = pd.Series(parts[0], index=sub.index, dtype=object)
    for part in parts[1:]:
        check = pd.Series(np.where(check == "", part, np.where(part == "", check, check + "; " + part)),
                          index=sub.index, dtype=object)
    owner = _owner(sub)
    out = sub.assign(check=check, ask=owner.fillna(NO_OWNER), confirmed_on=c_confirmed,
                     days_since_confirmed=c_days.astype("Int64"))
    return value_order(out.reindex(columns=VERIFY_COLUMNS)).reset_index(drop=True)
