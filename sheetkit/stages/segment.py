"""Segments from quantified rules: value tier, lifecycle stage, RFM scores, tags.

Every label is a rule over numbers in the config, never a judgement: a user can read
in the Summary sheet exactly why a customer is in tier A.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import PipelineConfig

RFM_SEGMENTS = [  # (name, rule over R, F, M scores 1..5), first match wins
    ("champions", lambda r, f, m: (r >= 4) & (f >= 4) & (m >= 4)),
    ("loyal", lambda r, f, m: (r >= 3) & (f >= 4)),
    ("new", lambda r, f, m: (r >= 4) & (f <= 2)),
    ("at risk", lambda r, f, m: (r <= 2) & (f >= 3)),
    ("lost", lambda r, f, m: (r <= 2) & (f <= 2)),
    ("potential", lambda r, f, m: r >= 1),
]


def _quintile(values: pd.Series, ascending: bool = True) -> pd.Series:
    """Scores 1..5 by mid-rank percentile, so small groups spread evenly; ties share a score."""
    ranks = values.rank(method="average", ascending=ascending)
    pct = (ranks - 0.5) / values.notna().sum()
    return np.ceil(pct * 5).clip(1, 5).astype("Int64")


def segment_customers(customers: pd.DataFrame, config: PipelineConfig, as_of: pd.Timestamp) -> pd.DataFrame:
    """Adds value_tier, value_tier_rule, lifecycle, lifecycle_rule, rfm_r, rfm_f, rfm_m,
    rfm_score, rfm_segment (a ``_rule`` column says the rule that placed the customer).

    Args:
        customers: golden records with the order summary columns (order_count,
            total_amount, amount_12m, first_order_on, last_order_on; NaN when no orders).
        config: tiers and lifecycle thresholds.
        as_of: the reference date.

    Every customer gets exactly one value tier, one lifecycle stage and one RFM segment.
    """
    # A deep copy, kept on purpose: it also joins a wide sheet's thousands of column blocks
    # into one, which every column added after this (here, freshness, tags) relies on
    out = customers.copy()
    count = out["order_count"].fillna(0)
    buyers = count > 0
    dated = buyers & out["last_order_on"].notna()  # orders with an amount but no valid date exist
    days_since = (as_of - out["last_order_on"]).dt.days
    days_first = (as_of - out["first_order_on"]).dt.days

    tier = pd.Series("none", index=out.index, dtype=object)
    for t in sorted(config.value_tiers, key=lambda t: -t.min_amount):
        tier = tier.where(~((tier == "none") & (out["amount_12m"].fillna(0) >= t.min_amount)), t.name)
    out["value_tier"] = tier
    rules = dict(describe_rules(config))
    out["value_tier_rule"] = tier.map({k.removeprefix("value tier "): v for k, v in rules.items()
                                       if k.startswith("value tier ")})

    out["lifecycle"] = np.select(
        [~buyers, ~dated, days_since > config.churned_days, days_since > config.at_risk_days,
         days_first <= config.new_customer_days, count >= config.loyal_min_orders],
        ["prospect", "undated", "churned", "at risk", "new", "loyal"], "active")
    out["lifecycle_rule"] = out["lifecycle"].map({k.removeprefix("lifecycle "): v for k, v in rules.items()})

    r = _quintile(-days_since.where(dated))
    f = _quintile(count.where(buyers))
    m = _quintile(out["total_amount"].where(buyers))
    out["rfm_r"], out["rfm_f"], out["rfm_m"] = r, f, m
    out["rfm_score"] = (r.astype("string") + f.astype("string") + m.astype("string")).astype(object)
    rr, ff, mm = (s.fillna(0).astype(int) for s in (r, f, m))
    out["rfm_segment"] = np.select([~buyers, ~dated] + [rule(rr, ff, mm) for _, rule in RFM_SEGMENTS],
                                   ["no orders", "undated"] + [name for name, _ in RFM_SEGMENTS], "no orders")
    return out


def describe_rules(config: PipelineConfig) -> list[tuple[str, str]]:
    """(segment, rule) lines for the Summary sheet and the report."""
    lines = [(f"value tier {t.name}", f"spent at least {t.min_amount:,.2f} in the last 12 months")
             for t in sorted(config.value_tiers, key=lambda t: -t.min_amount)]
    lines.append(("value tier none", "spent less than every tier's minimum"))
    lines += [("lifecycle prospect", "no orders"),
              ("lifecycle undated", "orders, but none with a valid date"),
              ("lifecycle churned", f"no order for more than {config.churned_days} days"),
              ("lifecycle at risk", f"no order for more than {config.at_risk_days} days"),
              ("lifecycle new", f"first order within {config.new_customer_days} days"),
              ("lifecycle loyal", f"at least {config.loyal_min_orders} orders and active"),
              ("lifecycle active", "ordered recently, none of the above"),
              ("RFM scores", "recency, frequency, monetary: 1-5 by percentile among buyers (5 best)")]
    return lines
