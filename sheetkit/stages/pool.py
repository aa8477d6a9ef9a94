"""The customer pool (公海): customers nobody is following up.

A customer with an owner goes to the pool once ``pool_after_days`` have passed since its
last sign of life (last contact, order, or the date it was entered); a customer with no
owner is in the pool from the start. The ``pool`` column says when it fell due and who
had it; the Pool sheet lists them, most valuable first, for someone to take over.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import columns as C
from ..config import PipelineConfig

NO_OWNER = "no owner · 无负责人"
POOL_COLUMNS = [C.CUSTOMER_ID, C.NAME, C.COMPANY, C.PHONE, C.EMAIL, "former_owner", "due_on", "days_overdue",
                "reason", "last_activity_on", "value_tier", "amount_12m", "total_amount", "lifecycle", "tags"]


def _owner(frame: pd.DataFrame) -> pd.Series:
    """The owner, None where blank."""
    owner = frame[C.OWNER] if C.OWNER in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    owner = owner.astype(object)
    return owner.where(owner.notna() & (owner.astype(str).str.strip() != ""), None)


def assign_pool(customers: pd.DataFrame, config: PipelineConfig, as_of: pd.Timestamp) -> pd.DataFrame:
    """Adds ``pool``: "2024-10-02 · 张丽" (fell due on, former owner), "no owner · 无负责人",
    or empty for a customer its owner is following up.

    Reads ``owner`` and ``last_activity_on`` (stages/freshness.py).

    >>> frame = pd.DataFrame({"owner": ["张丽", "张丽", None],
    ...                       "last_activity_on": pd.to_datetime(["2024-12-01", "2024-07-01", "2024-12-01"])})
    >>> assign_pool(frame, PipelineConfig(), pd.Timestamp("2024-12-31"))["pool"].tolist()
    [None, '2024-09-29 · 张丽', 'no owner · 无负责人']
    """
    out = customers.copy(deep=False)
    owner = _owner(out)
    due = pd.to_datetime(out["last_activity_on"]) + pd.Timedelta(days=config.pool_after_days)
    overdue = (due < as_of).to_numpy(bool)  # "for longer than": the day after the due date
    undated = due.isna().to_numpy(bool)
    has_owner = owner.notna().to_numpy(bool)
    label = due.dt.strftime("%Y-%m-%d").fillna("no contact date · 无联系日期") + " · " + owner.fillna("")
    out[C.POOL] = np.where(~has_owner, NO_OWNER, np.where(overdue | undated, label, None))
    out[C.POOL] = out[C.POOL].astype(object).where(out[C.POOL].notna(), None)
    return out


def value_order(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` most valuable first: spend in the last 12 months, then in all, then ID."""
    keys = pd.DataFrame({"a": -frame["amount_12m"].fillna(0).to_numpy(float) if "amount_12m" in frame else 0.0,
                         "b": -frame["total_amount"].fillna(0).to_numpy(float) if "total_amount" in frame else 0.0,
                         "c": frame[C.CUSTOMER_ID].astype(str).to_numpy()}, index=frame.index)
    return frame.loc[keys.sort_values(["a", "b", "c"], kind="stable").index]


def pool_sheet(customers: pd.DataFrame, config: PipelineConfig, as_of: pd.Timestamp) -> pd.DataFrame:
    """The Pool sheet: customers in the pool (``assign_pool``), most valuable first."""
    pooled = customers[customers[C.POOL].notna()] if C.POOL in customers.columns else customers.iloc[:0]
    owner = _owner(pooled)
    due = pd.to_datetime(pooled["last_activity_on"]) + pd.Timedelta(days=config.pool_after_days)
    days = (as_of - due).dt.days
    reason = np.where(owner.isna(), "no owner · 无负责人",
                      np.where(due.isna(), "owner, but no date of contact or order · 有负责人但无联系或下单日期",
                               f"no contact or order for over {config.pool_after_days} days · "
                               f"超过 {config.pool_after_days} 天未联系或下单"))
    out = pooled.assign(former_owner=owner, due_on=due.where(owner.notna()),
                        days_overdue=days.where(owner.notna()).astype("Int64"), reason=reason)
    out = out.reindex(columns=POOL_COLUMNS)
    return value_order(out).reset_index(drop=True)


def pool_counts(customers: pd.DataFrame) -> pd.Series:
    """Per former owner, how many of their customers are in the pool."""
    pooled = customers[customers[C.POOL].notna()]
    return _owner(pooled).dropna().value_counts()
