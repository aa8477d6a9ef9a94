"""The pool (公海), the Verify sheet (定期核对) and health per owner."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetkit.config import PipelineConfig
from sheetkit.stages.owners import NO_OWNER_ROW, owner_health
from sheetkit.stages.pool import NO_OWNER, assign_pool, pool_sheet
from sheetkit.stages.verify import verify_sheet

AS_OF = pd.Timestamp("2024-12-31")


def customers(**columns):
    n = len(next(iter(columns.values())))
    base = {"customer_id": [f"C{i}" for i in range(n)], "name": [f"n{i}" for i in range(n)],
            "owner": [None] * n, "last_contact_on": [None] * n, "last_activity_on": [None] * n,
            "phone": [None] * n, "email": [None] * n, "amount_12m": [None] * n, "total_amount": [None] * n,
            "value_tier": ["none"] * n, "lifecycle": ["prospect"] * n, "tags": [None] * n}
    frame = pd.DataFrame({**base, **columns})
    frame["last_activity_on"] = pd.to_datetime(frame["last_activity_on"])
    return frame


def test_an_owners_customer_goes_to_the_pool_the_day_after_it_falls_due():
    config = PipelineConfig(pool_after_days=30)
    frame = customers(owner=["张丽", "张丽", "张丽", None, "  "],
                      last_activity_on=["2024-12-01", "2024-11-30", None, "2024-12-30", "2024-12-30"])
    pool = assign_pool(frame, config, AS_OF)["pool"].tolist()
    assert pool == [None, "2024-12-30 · 张丽", "no contact date · 无联系日期 · 张丽", NO_OWNER, NO_OWNER]
    assert frame.columns.tolist().count("pool") == 0  # input untouched


def test_pool_sheet_says_why_in_the_customers_order():
    config = PipelineConfig(pool_after_days=30)
    frame = assign_pool(customers(owner=["张丽", None, "David"], last_activity_on=["2024-01-01", None, "2024-06-01"],
                                  amount_12m=[10.0, None, 5000.0]), config, AS_OF)
    sheet = pool_sheet(frame, config, AS_OF)
    assert sheet["customer_id"].tolist() == ["C0", "C1", "C2"]
    assert sheet["former_owner"].tolist() == ["张丽", None, "David"]
    assert sheet["due_on"].dt.strftime("%Y-%m-%d").tolist()[::2] == ["2024-01-31", "2024-07-01"]
    assert sheet["days_overdue"].tolist()[::2] == [335, 183]
    assert sheet["reason"].str.startswith(("no contact", "no owner")).all()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 800), st.integers(1, 400), st.integers(0, 400))
def test_once_in_the_pool_a_customer_stays_as_time_passes(age, days, later):
    config = PipelineConfig(pool_after_days=days)
    frame = customers(owner=["张丽"], last_activity_on=[AS_OF - pd.Timedelta(days=age)])
    now = assign_pool(frame, config, AS_OF)["pool"].notna().item()
    then = assign_pool(frame, config, AS_OF + pd.Timedelta(days=later))["pool"].notna().item()
    assert now == (age > days)
    assert then >= now


def test_verify_lists_old_never_confirmed_and_invalid_contacts_with_whom_to_ask():
    config = PipelineConfig(verify_after_days=180)
    frame = customers(
        owner=["张丽", "David", None, "张丽", "张丽"],
        last_contact_on=["2024-01-05", None, None, "2024-12-01", "2024-12-01"],
        last_activity_on=["2024-01-05", "2024-03-01", None, "2024-12-01", "2024-12-01"],
        phone=["+8613812345678", None, None, "12345", "+8613812345678"],
        email=[None, "a@b.cn", None, "li.qq.com", "ok@qq.com"],
        amount_12m=[100.0, 9000.0, None, 50.0, 1e6])
    sheet = verify_sheet(frame, config, AS_OF)
    assert sheet["customer_id"].tolist() == ["C1", "C0", "C3", "C2"]  # C4 is fine; most valuable first
    check = dict(zip(sheet["customer_id"], sheet["check"]))
    assert check["C0"].startswith("last confirmed 2024-01-05 (361 days ago)")
    assert check["C1"].startswith("last confirmed 2024-03-01")  # no contact: the latest record's date
    assert check["C2"].startswith("never confirmed")
    assert "phone 12345 is not a valid number" in check["C3"] and "e-mail li.qq.com is not a valid" in check["C3"]
    assert dict(zip(sheet["customer_id"], sheet["ask"])) == {"C1": "David", "C0": "张丽", "C3": "张丽",
                                                             "C2": NO_OWNER}


def test_owner_health_scores_each_owners_customers():
    frame = customers(owner=["张丽", "张丽", "David", None],
                      phone=["+8613812345678", None, "+8613912345678", None], email=["a@b.cn", None, None, None])
    frame = frame.assign(address=None, company=None, freshness=["fresh", "stale", "fresh", "unknown"],
                         health_score=[80, 20, 70, 10], issue_codes=[None, "invalid-phone, no-contact", None, None],
                         source_rows=[3, 1, 2, 1], review_pairs=[0, 1, 0, 0], pool=[None, "x", None, NO_OWNER])
    owners = owner_health(frame, np.array([False, True, False, False])).set_index("owner")
    assert owners.index.tolist() == ["张丽", "David", NO_OWNER_ROW]  # most customers first, no owner last
    zl = owners.loc["张丽"]
    assert (zl["customers"], zl["health_score"], zl["fresh_pct"], zl["validity_pct"]) == (2, 50.0, 50.0, 50.0)
    assert (zl["duplicate_rows"], zl["in_review"], zl["issues"], zl["in_pool"], zl["to_verify"]) == (2, 1, 2, 1, 1)
    assert owners.loc["David", "completeness_pct"] == 40.0  # name and phone of five key fields
