"""Data health per owner (负责人): how well each salesperson's customers are kept.

Scored the way the report scores each source sheet (stages/freshness.py ``score_health``:
60% completeness of key fields, 25% validity, 15% freshness), but over the customers an
owner holds in the archive, with their duplicates, issues, pool and re-verification counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import columns as C
from .freshness import KEY_FIELDS
from .pool import Owners, owner_codes

NO_OWNER_ROW = "(no owner · 无负责人)"
OWNER_COLUMNS = ["owner", "customers", "completeness_pct", "validity_pct", "fresh_pct", "health_score",
                 "duplicate_rows", "in_review", "issues", "in_pool", "to_verify", "amount_12m"]


def owner_health(customers: pd.DataFrame, to_verify: np.ndarray | None = None,
                 owners: Owners | None = None) -> pd.DataFrame:
    """The Owners sheet: one row per owner (customers with none last), most customers first.

    - ``completeness_pct``: key fields (name, phone, e-mail, address, company) filled, in %.
    - ``validity_pct``: customers with no issue code, in %.
    - ``fresh_pct``: customers with activity within ``fresh_days``, in %.
    - ``health_score``: the mean of the customers' ``health_score``.
    - ``duplicate_rows``: input rows merged into another of the owner's customers;
      ``in_review``: customers in a pair awaiting review (possible duplicates).
    - ``issues``: issue codes on the owner's customers; ``in_pool``, ``to_verify``: how
      many are in the pool and on the Verify sheet (``to_verify``: a flag per customer,
      ``verify_reasons(...).any``).
    """
    if customers.empty:
        return pd.DataFrame(columns=OWNER_COLUMNS)
    codes, names = owners or owner_codes(customers)
    group = np.where(codes < 0, len(names), codes)  # the customers with no owner: one group, last
    size = np.bincount(group, minlength=len(names) + 1)

    def total(values) -> np.ndarray:
        return np.bincount(group, weights=np.broadcast_to(np.asarray(values, dtype=float), group.shape),
                           minlength=len(names) + 1)

    def mean_pct(values) -> np.ndarray:
        return np.round(100 * total(values) / np.maximum(size, 1), 1)

    fields = [f for f in KEY_FIELDS if f in customers.columns]
    filled = sum(customers[f].notna().to_numpy(float) for f in fields) / len(fields) if fields else 0.0
    codes_text = customers["issue_codes"].astype("string").fillna("") if "issue_codes" in customers else \
        pd.Series("", index=customers.index, dtype="string")
    n_codes = (codes_text.str.count(", ") + (codes_text != "").astype(int)).to_numpy(float)
    out = pd.DataFrame({
        "owner": np.append(names, NO_OWNER_ROW).astype(object), "customers": size,
        "completeness_pct": mean_pct(filled), "validity_pct": mean_pct(n_codes == 0),
        "fresh_pct": mean_pct(customers["freshness"].eq("fresh").to_numpy(bool)),
        "health_score": np.round(total(customers["health_score"].to_numpy(float)) / np.maximum(size, 1), 1),
        "duplicate_rows": total(customers["source_rows"].fillna(1).to_numpy(float) - 1).astype(int),
        "in_review": total(customers["review_pairs"].fillna(0).to_numpy(float) > 0).astype(int)
        if "review_pairs" in customers else 0,
        "issues": total(n_codes).astype(int),
        "in_pool": total(customers[C.POOL].notna().to_numpy(bool)).astype(int) if C.POOL in customers else 0,
        "to_verify": total(to_verify).astype(int) if to_verify is not None else 0,
        "amount_12m": np.round(total(customers["amount_12m"].fillna(0).to_numpy(float)), 2)
        if "amount_12m" in customers else 0.0,
    })
    out = out[out["customers"] > 0]
    last = (out["owner"] == NO_OWNER_ROW) & (np.arange(len(out)) == len(out) - 1)
    out = out.assign(_last=last).sort_values(["_last", "customers", "owner"], ascending=[True, False, True],
                                             kind="stable")
    return out.drop(columns="_last").reset_index(drop=True)[OWNER_COLUMNS]
