"""Data health per owner (负责人): how well each salesperson's customers are kept.

Scored the way the report scores each source sheet (stages/freshness.py ``score_health``:
60% completeness of key fields, 25% validity, 15% freshness), but over the customers an
owner holds in the archive, with their duplicates, issues, pool and re-verification counts.
"""

from __future__ import annotations

import pandas as pd

from .. import columns as C
from .freshness import KEY_FIELDS
from .pool import _owner

NO_OWNER_ROW = "(no owner · 无负责人)"
OWNER_COLUMNS = ["owner", "customers", "completeness_pct", "validity_pct", "fresh_pct", "health_score",
                 "duplicate_rows", "in_review", "issues", "in_pool", "to_verify", "amount_12m"]


def owner_health(customers: pd.DataFrame, verify: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Owners sheet: one row per owner (customers with none last), most customers first.

    - ``completeness_pct``: key fields (name, phone, e-mail, address, company) filled, in %.
    - ``validity_pct``: customers with no issue code, in %.
    - ``fresh_pct``: customers with activity within ``fresh_days``, in %.
    - ``health_score``: the mean of the customers' ``health_score``.
    - ``duplicate_rows``: input rows merged into another of the owner's customers;
      ``in_review``: customers in a pair awaiting review (possible duplicates).
    - ``issues``: issue codes on the owner's customers; ``in_pool``, ``to_verify``: how
      many are in the pool and on the Verify sheet.
    """
    if customers.empty:
        return pd.DataFrame(columns=OWNER_COLUMNS)
    owner = _owner(customers).fillna(NO_OWNER_ROW)
    fields = [f for f in KEY_FIELDS if f in customers.columns]
    codes = customers["issue_codes"].astype("string").fillna("") if "issue_codes" in customers else \
        pd.Series("", index=customers.index, dtype="string")
    n_codes = codes.str.count(", ") + (codes != "").astype(int)
    to_verify = customers[C.CUSTOMER_ID].isin(verify[C.CUSTOMER_ID]) if verify is not None else False
    parts = pd.DataFrame({
        "owner": owner,
        "complete": customers[fields].notna().mean(axis=1) * 100 if fields else 0.0,
        "valid": (n_codes == 0).astype(float) * 100,
        "fresh": customers["freshness"].eq("fresh").astype(float) * 100,
        "health": customers["health_score"].astype(float),
        "dups": customers["source_rows"].fillna(1).astype(int) - 1,
        "review": customers["review_pairs"].fillna(0).gt(0) if "review_pairs" in customers else False,
        "issues": n_codes,
        "pool": customers[C.POOL].notna() if C.POOL in customers else False,
        "verify": to_verify,
        "amount": customers["amount_12m"].fillna(0) if "amount_12m" in customers else 0.0,
    }, index=customers.index)
    g = parts.groupby("owner", sort=False)
    out = pd.DataFrame({
        "customers": g.size(), "completeness_pct": g["complete"].mean().round(1),
        "validity_pct": g["valid"].mean().round(1), "fresh_pct": g["fresh"].mean().round(1),
        "health_score": g["health"].mean().round(1), "duplicate_rows": g["dups"].sum().astype(int),
        "in_review": g["review"].sum().astype(int), "issues": g["issues"].sum().astype(int),
        "in_pool": g["pool"].sum().astype(int), "to_verify": g["verify"].sum().astype(int),
        "amount_12m": g["amount"].sum().round(2),
    }).reset_index()
    last = out["owner"] == NO_OWNER_ROW
    out = out.assign(_last=last).sort_values(["_last", "customers", "owner"], ascending=[True, False, True],
                                             kind="stable")
    return out.drop(columns="_last").reset_index(drop=True)[OWNER_COLUMNS]
