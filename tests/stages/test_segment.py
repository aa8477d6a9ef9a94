import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetkit.stages.freshness import flag_freshness, score_health
from sheetkit.stages.segment import segment_customers

AS_OF = pd.Timestamp("2024-12-31")


def customers(rows):
    frame = pd.DataFrame(rows)
    for c in ("first_order_on", "last_order_on"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def test_value_tiers_lifecycle_and_rfm(config):
    c = segment_customers(customers([
        {"order_count": 6, "total_amount": 80000, "amount_12m": 60000, "first_order_on": "2023-01-01", "last_order_on": "2024-12-01"},
        {"order_count": 1, "total_amount": 500, "amount_12m": 500, "first_order_on": "2024-12-20", "last_order_on": "2024-12-20"},
        {"order_count": 2, "total_amount": 20000, "amount_12m": 0, "first_order_on": "2023-01-01", "last_order_on": "2023-06-01"},
        {"order_count": 3, "total_amount": 12000, "amount_12m": 12000, "first_order_on": "2023-01-01", "last_order_on": "2024-05-01"},
        {"order_count": None, "total_amount": None, "amount_12m": None, "first_order_on": None, "last_order_on": None},
    ]), config, AS_OF)
    assert c["value_tier"].tolist() == ["A", "C", "none", "B", "none"]
    assert c["lifecycle"].tolist() == ["loyal", "new", "churned", "at risk", "prospect"]
    assert c["rfm_score"].tolist()[:4] == ["455", "511", "124", "242"]  # quintiles among 4 buyers
    assert c.loc[4, "rfm_segment"] == "no orders"
    assert c["rfm_segment"].notna().all()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.floats(0, 1e6), st.integers(0, 2000)), min_size=1, max_size=30))
def test_every_customer_gets_exactly_one_segment_each(config, rows):
    frame = customers([{"order_count": n or None, "total_amount": a if n else None, "amount_12m": a if n else None,
                        "first_order_on": AS_OF - pd.Timedelta(days=d + 30) if n else None,
                        "last_order_on": AS_OF - pd.Timedelta(days=d) if n else None} for n, a, d in rows])
    c = segment_customers(frame, config, AS_OF)
    for col in ("value_tier", "lifecycle", "rfm_segment"):
        assert c[col].notna().all() and (c[col] != "").all()


@pytest.mark.parametrize("days, label", [(10, "fresh"), (200, "aging"), (500, "stale")])
def test_freshness_thresholds(config, days, label):
    frame = pd.DataFrame({"last_contact_on": [(AS_OF - pd.Timedelta(days=days)).strftime("%Y-%m-%d")]})
    assert flag_freshness(frame, config, AS_OF).loc[0, "freshness"] == label


@settings(max_examples=50, deadline=None)
@given(st.integers(-30, 3000), st.integers(0, 1000))
def test_freshness_never_improves_as_time_passes(config, age, later):
    order = ["fresh", "aging", "stale"]
    frame = pd.DataFrame({"last_contact_on": [(AS_OF - pd.Timedelta(days=age)).strftime("%Y-%m-%d")]})
    now = flag_freshness(frame, config, AS_OF).loc[0, "freshness"]
    then = flag_freshness(frame, config, AS_OF + pd.Timedelta(days=later)).loc[0, "freshness"]
    assert order.index(then) >= order.index(now)


def test_health_score_rewards_complete_valid_fresh_records():
    frame = pd.DataFrame({"name": ["a", "b"], "phone": ["+8613812345678", None], "email": ["a@b.cn", None],
                          "address": ["x", None], "company": ["y", None], "issue_codes": [None, "no-contact, x"],
                          "freshness": ["fresh", "unknown"]})
    assert score_health(frame).tolist() == [100, 22]


def test_each_customer_shows_the_rule_that_placed_it(config):
    c = segment_customers(customers([
        {"order_count": 6, "total_amount": 80000, "amount_12m": 60000, "first_order_on": "2023-01-01", "last_order_on": "2024-12-01"},
        {"order_count": None, "total_amount": None, "amount_12m": None, "first_order_on": None, "last_order_on": None},
    ]), config, AS_OF)
    assert c["value_tier_rule"].tolist() == ["spent at least 50,000.00 in the last 12 months",
                                             "spent less than every tier's minimum"]
    assert c["lifecycle_rule"].tolist() == ["at least 5 orders and active", "no orders"]


tier_names = st.text(st.sampled_from("ABC战略重点客户 "), min_size=1, max_size=6).filter(lambda s: s.strip() and s != "none")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(tier_names, st.floats(0, 1e6)), min_size=0, max_size=5,
                unique_by=(lambda t: t[0], lambda t: t[1])),
       st.integers(1, 400), st.integers(1, 800), st.integers(1, 900), st.integers(1, 20),
       st.lists(st.tuples(st.integers(0, 20), st.floats(-1e4, 1e6), st.integers(-30, 2000), st.booleans()),
                min_size=1, max_size=25))
def test_every_customer_gets_exactly_one_tier_and_one_stage_whatever_the_rules(
        tiers, new_days, at_risk_days, churned_days, loyal, rows):
    from sheetkit.config import PipelineConfig, ValueTier

    config = PipelineConfig(value_tiers=tuple(ValueTier(n, m) for n, m in tiers), new_customer_days=new_days,
                            at_risk_days=at_risk_days, churned_days=churned_days, loyal_min_orders=loyal)
    frame = customers([{"order_count": n or None, "total_amount": a if n else None, "amount_12m": a if n else None,
                        "first_order_on": AS_OF - pd.Timedelta(days=d + 30) if n and dated else None,
                        "last_order_on": AS_OF - pd.Timedelta(days=d) if n and dated else None}
                       for n, a, d, dated in rows])
    c = segment_customers(frame, config, AS_OF)
    allowed_tiers = {n for n, _ in tiers} | {"none"}
    stages = {"prospect", "undated", "churned", "at risk", "new", "loyal", "active"}
    assert len(c) == len(frame)
    assert c["value_tier"].isin(allowed_tiers).all() and c["lifecycle"].isin(stages).all()
    assert c["value_tier_rule"].notna().all() and c["lifecycle_rule"].notna().all()
    for amount, tier in zip(frame["amount_12m"].fillna(0), c["value_tier"]):  # the richest tier it reaches
        reached = [(m, n) for n, m in tiers if amount >= m]
        assert tier == (max(reached)[1] if reached else "none")


def test_the_callers_customers_are_left_as_they_were(config):
    frame = customers([{"order_count": 2, "total_amount": 900, "amount_12m": 900, "first_order_on": "2024-01-01",
                        "last_order_on": "2024-12-01"}])
    before = frame.copy()
    out = segment_customers(frame, config, AS_OF)
    pd.testing.assert_frame_equal(frame, before)
    assert "value_tier" in out.columns and "value_tier" not in frame.columns
