"""Freshness flags and a health score per record, relative to an explicit ``as_of`` date."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import columns as C
from ..config import PipelineConfig
from ..values.dates import iso_dates

# Completeness weights of the fields a usable customer record needs (sum 10).
KEY_FIELDS = {C.NAME: 3, C.PHONE: 3, C.EMAIL: 2, C.ADDRESS: 1, C.COMPANY: 1}
_FRESH_FACTOR = {"fresh": 1.0, "aging": 0.5, "stale": 0.0, "unknown": 0.25}
# Every column flag_freshness and score_health read: a caller scoring many records can pass
# only these (and its own keys) rather than copy whole records.
READS = [*KEY_FIELDS, C.LAST_CONTACT_ON, C.ORDER_DATE, "last_order_on", C.CREATED_ON, "issue_codes", "freshness"]


def flag_freshness(frame: pd.DataFrame, config: PipelineConfig, as_of: pd.Timestamp) -> pd.DataFrame:
    """Adds days_since_contact, days_since_order, last_activity_on and freshness.

    ``freshness`` is fresh (activity within ``fresh_days``), aging (within
    ``stale_days``), stale (older) or unknown (no dates). A date after ``as_of``
    counts as today: it never makes a record look staler as time passes.
    """
    out = frame.copy(deep=False)  # copy-on-write: the new columns do not touch ``frame``, nor are its cells copied
    contact = _dates(out, C.LAST_CONTACT_ON)
    order = out["last_order_on"] if "last_order_on" in out.columns else _dates(out, C.ORDER_DATE)
    created = _dates(out, C.CREATED_ON)
    activity = pd.concat([contact, order, created], axis=1).max(axis=1)
    out["last_activity_on"] = activity
    out["days_since_contact"] = (as_of - contact).dt.days.clip(lower=0).astype("Int64")
    out["days_since_order"] = (as_of - pd.to_datetime(order)).dt.days.clip(lower=0).astype("Int64")
    days = (as_of - activity).dt.days.clip(lower=0)
    out["freshness"] = np.select([days.isna(), days <= config.fresh_days, days <= config.stale_days],
                                 ["unknown", "fresh", "aging"], "stale")
    return out


def _dates(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return iso_dates(frame[col])


def score_health(frame: pd.DataFrame) -> pd.Series:
    """0-100: 60% completeness of key fields, 25% validity, 15% freshness.

    Validity is 1 with no issues, 0.5 with one issue code, 0 with more.
    """
    if frame.empty:
        return pd.Series(dtype=int, index=frame.index)
    weights = {f: w for f, w in KEY_FIELDS.items()}
    filled = sum(frame[f].notna().astype(float) * w for f, w in weights.items() if f in frame.columns)
    completeness = filled / sum(weights.values())
    codes = frame["issue_codes"] if "issue_codes" in frame.columns else pd.Series(None, index=frame.index)
    text = codes.astype("string").fillna("")
    n_codes = (text.str.count(", ") + (text != "").astype(int)).to_numpy()
    validity = np.select([n_codes == 0, n_codes == 1], [1.0, 0.5], 0.0)
    fresh = frame["freshness"].map(_FRESH_FACTOR).fillna(0.25) if "freshness" in frame.columns else 0.25
    return (100 * (0.6 * completeness + 0.25 * validity + 0.15 * fresh)).round(0).astype(int)
