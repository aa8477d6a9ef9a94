"""The customer pool (公海): customers nobody is following up.

A customer with an owner goes to the pool once ``pool_after_days`` have passed since its
last sign of life (last contact, order, or the date it was entered); a customer with no
owner is in the pool from the start. The ``pool`` column says when it fell due and who
had it; the Pool sheet lists them for someone to take over.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import columns as C
from ..config import PipelineConfig

NO_OWNER = "no owner · 无负责人"
NO_DATE = "no contact date · 无联系日期"
POOL_COLUMNS = [C.CUSTOMER_ID, C.NAME, C.COMPANY, C.PHONE, "former_owner", "due_on", "days_overdue", "reason",
                "last_activity_on", "value_tier", "amount_12m", "total_amount"]


def owner_codes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(code per customer, owner names): -1 where the owner is blank or missing. A few owners
    hold many customers, so each distinct spelling is looked at once."""
    if C.OWNER not in frame.columns:
        return np.full(len(frame), -1), np.array([], dtype=object)
    codes, uniques = pd.factorize(frame[C.OWNER])
    names = [str(u).strip() for u in uniques]
    distinct, at = np.unique(np.array(names + [""], dtype=object), return_inverse=True)  # "张丽 " is 张丽
    codes = at[codes]  # -1 (missing) picks the "" appended
    blank = distinct == ""
    codes = np.where(blank[codes], -1, codes - np.cumsum(blank)[codes])
    return codes, distinct[~blank]


Owners = tuple[np.ndarray, np.ndarray]  # owner_codes(customers), computed once for every sheet


def owner_of(frame: pd.DataFrame, owners: Owners | None = None, at: np.ndarray | None = None) -> np.ndarray:
    """The owner as object text (None where blank or missing), of the rows ``at`` if given."""
    codes, names = owners or owner_codes(frame)
    return np.append(names, None).astype(object)[codes if at is None else codes[at]]


def format_days(days: pd.Series) -> np.ndarray:
    """Dates as YYYY-MM-DD text (None where missing), formatted once per distinct day."""
    codes, uniques = pd.factorize(pd.to_datetime(days))
    labels = np.append(pd.DatetimeIndex(uniques).strftime("%Y-%m-%d").to_numpy(dtype=object), None)
    return labels[codes]  # code -1 (missing) takes the None at the end


def due_dates(frame: pd.DataFrame, config: PipelineConfig) -> pd.Series:
    """When each customer falls due for the pool: its last activity plus ``pool_after_days``."""
    return pd.to_datetime(frame["last_activity_on"]) + pd.Timedelta(days=config.pool_after_days)


def assign_pool(customers: pd.DataFrame, config: PipelineConfig, as_of: pd.Timestamp,
                owners: Owners | None = None) -> pd.DataFrame:
    """Adds ``pool``: "2024-10-02 · 张丽" (fell due on, former owner), "no owner · 无负责人",
    or empty for a customer its owner is following up.

    Reads ``owner`` and ``last_activity_on`` (stages/freshness.py).

    >>> frame = pd.DataFrame({"owner": ["张丽", "张丽", None],
    ...                       "last_activity_on": pd.to_datetime(["2024-12-01", "2024-07-01", "2024-12-01"])})
    >>> assign_pool(frame, PipelineConfig(), pd.Timestamp("2024-12-31"))["pool"].tolist()
    [None, '2024-09-29 · 张丽', 'no owner · 无负责人']
    """
    out = customers.copy(deep=False)
    codes, names = owners or owner_codes(out)
    due = due_dates(out, config)
    has_owner = codes >= 0
    pooled = has_owner & ~(due >= as_of).to_numpy(bool)  # overdue ("for longer than": from the day after), or no date
    label = np.full(len(out), None, dtype=object)
    label[~has_owner] = NO_OWNER
    if pooled.any():  # spelled once per distinct (date, owner): many customers share both
        days, dates = pd.factorize(due[pooled])
        pair, pairs = pd.factorize(days.astype(np.int64) * (len(names) + 1) + codes[pooled])
        day_text = np.append(pd.DatetimeIndex(dates).strftime("%Y-%m-%d").to_numpy(dtype=object), NO_DATE)
        spelled = np.array([f"{day_text[p // (len(names) + 1)]} · {names[p % (len(names) + 1)]}" for p in pairs],
                           dtype=object)
        label[pooled] = spelled[pair]
    out[C.POOL] = pd.Series(label, index=out.index, dtype=object)
    return out


def take_rows(frame: pd.DataFrame, positions: np.ndarray, columns: list[str],
              made: dict[str, object] | None = None) -> pd.DataFrame:
    """A sheet: ``columns`` of ``frame``'s rows at ``positions`` (those it has; ``made`` gives
    the others), text as object arrays (a take of pointers; Arrow's take copies every
    string), built as one frame rather than column by column."""
    made = made or {}
    out = {}
    for col in columns:
        if col in made:
            out[col] = made[col]
        elif col in frame.columns:
            values = frame[col]
            if pd.api.types.is_string_dtype(values.dtype):
                out[col] = pd.Series(values.to_numpy(dtype=object)[positions], dtype=object)
            else:
                out[col] = values.iloc[positions].reset_index(drop=True)
    # copy=False: each column stays its own block (consolidating text columns copies them)
    return pd.DataFrame(out, index=pd.RangeIndex(len(positions)), copy=False).reindex(columns=columns)


def value_order(frame: pd.DataFrame, at: np.ndarray) -> np.ndarray:
    """The positions ``at`` of ``frame``'s rows, most valuable first: spend in the last 12
    months, then in all; ties keep the frame's order (customers in order of first appearance)."""
    def spend(col: str) -> np.ndarray:
        return -frame[col].fillna(0).to_numpy(float)[at] if col in frame.columns else np.zeros(len(at))
    return at[np.lexsort((spend("total_amount"), spend("amount_12m")))]  # stable: ties keep ``at``'s order


def pool_sheet(customers: pd.DataFrame, config: PipelineConfig, as_of: pd.Timestamp,
               owners: Owners | None = None) -> pd.DataFrame:
    """The Pool sheet: customers in the pool (``assign_pool``), in the Customers sheet's order
    (kept, not sorted: at a million customers, reordering every text column costs seconds;
    sort in Excel by owner or spend)."""
    chosen = customers[C.POOL].notna().to_numpy(bool) if C.POOL in customers.columns else np.zeros(len(customers), bool)
    at = np.flatnonzero(chosen)
    owner = owner_of(customers, owners, at)
    has_owner = pd.notna(owner)
    due = due_dates(customers, config).iloc[at].reset_index(drop=True)
    reasons = np.array(["no owner · 无负责人", "owner, but no date of contact or order · 有负责人但无联系或下单日期",
                        f"no contact or order for over {config.pool_after_days} days · "
                        f"超过 {config.pool_after_days} 天未联系或下单"], dtype=object)
    reason = reasons[np.where(~has_owner, 0, np.where(due.isna().to_numpy(bool), 1, 2))]
    return take_rows(customers, at, POOL_COLUMNS, {
        "former_owner": pd.Series(owner, dtype=object), "due_on": due.where(has_owner),
        "days_overdue": (as_of - due).dt.days.where(has_owner).astype("Int64"),
        "reason": pd.Series(reason, dtype=object)})
