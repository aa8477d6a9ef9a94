"""Time tags, the pool, the Verify sheet and the Owners sheet on a generated Customers frame.

    python benchmarks/follow_up.py [ROWS]       # default 1,048,575 (a full Excel sheet)

The stages alone, on a frame shaped like the pipeline's Customers frame after segments and
freshness (the columns the bundled tags, the issue's three tags, the pool and the Verify
sheet read). Issue 19 asks that tags, pool and verify add under 3 s at 1,048,575 rows.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from sheetkit.config import PipelineConfig, Tag
from sheetkit.stages.owners import owner_health
from sheetkit.stages.pool import assign_pool, owner_codes, pool_sheet
from sheetkit.stages.tags import tag_customers
from sheetkit.stages.verify import verify_reasons, verify_sheet

AS_OF = pd.Timestamp("2024-12-31")
ISSUE_TAGS = (Tag("高活跃度", "行为", "order_count_12m >= 6 and days_since_order <= 90"),
              Tag("医疗器械", "行业", "company contains '医疗' or industry == '医疗器械'"),
              Tag("战略客户", "价值", "amount_12m >= 500000"))


def customers_frame(n: int, seed: int = 19) -> pd.DataFrame:
    """``n`` customers with realistic gaps: a third never ordered, a tenth with no owner,
    a few invalid phones and e-mails, text dates as in the Customers frame."""
    rng = np.random.default_rng(seed)
    buyers = rng.random(n) < 0.66
    orders = np.where(buyers, rng.integers(1, 20, n), 0)
    last_order = AS_OF - pd.to_timedelta(rng.integers(0, 1500, n), unit="D")
    contact = AS_OF - pd.to_timedelta(rng.integers(0, 900, n), unit="D")
    has_contact = rng.random(n) < 0.8
    owners = np.array([f"销售{i:02d}" for i in range(50)], dtype=object)
    owner = owners[rng.integers(0, 50, n)]
    owner[rng.random(n) < 0.1] = None
    phone = np.char.add("+86138", rng.integers(10_000_000, 99_999_999, n).astype(str)).astype(object)
    phone[rng.random(n) < 0.02] = "12345"
    phone[rng.random(n) < 0.1] = None
    email = np.char.add(np.char.add("u", np.arange(n).astype(str)), "@qq.com").astype(object)
    email[rng.random(n) < 0.02] = "li.qq.com"
    email[rng.random(n) < 0.3] = None
    companies = np.array(["上海云帆贸易有限公司", "华东医疗器械有限公司", "杭州绿源科技有限公司", None], dtype=object)
    industries = np.array(["贸易", "医疗器械", "电子", None], dtype=object)
    amount = np.where(buyers, rng.gamma(1.2, 40_000, n), np.nan)
    frame = pd.DataFrame({
        "customer_id": np.char.add("C", np.arange(n).astype(str)).astype(object),
        "name": np.char.add("客户", np.arange(n).astype(str)).astype(object),
        "phone": phone, "email": email,
        "company": companies[rng.integers(0, 4, n)], "industry": industries[rng.integers(0, 4, n)],
        "owner": owner,
        "last_contact_on": pd.Series(contact.strftime("%Y-%m-%d")).where(has_contact, None).to_numpy(dtype=object),
        "order_count": np.where(buyers, orders, np.nan),
        "order_count_12m": np.where(buyers, rng.integers(0, 12, n), np.nan),
        "total_amount": amount * 2, "amount_12m": amount,
        "last_order_on": pd.Series(last_order).where(buyers),
        "value_tier": np.where(amount >= 50_000, "A", "none"),
        "lifecycle": np.array(["active", "loyal", "prospect"])[rng.integers(0, 3, n)],
        "sources": np.where(rng.random(n) < 0.2, "a.xlsx › s; b.xlsx › t", "a.xlsx › s"),
        "source_rows": rng.integers(1, 4, n),
        "issue_codes": np.where(rng.random(n) < 0.05, "invalid-phone", None),
        "review_pairs": np.where(rng.random(n) < 0.01, 1, 0),
        "freshness": np.array(["fresh", "aging", "stale", "unknown"])[rng.integers(0, 4, n)],
        "health_score": rng.integers(0, 101, n),
    })
    # Text columns as the pipeline's Customers frame holds them: most as object (built by
    # survive.py), a few as Arrow text (str).
    for col in ("customer_id", "name", "phone", "email", "company", "industry", "owner", "last_contact_on",
                "value_tier"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    frame["last_activity_on"] = pd.concat([pd.to_datetime(frame["last_contact_on"]), frame["last_order_on"]],
                                          axis=1).max(axis=1)
    frame["days_since_order"] = (AS_OF - frame["last_order_on"]).dt.days.astype("Int64")
    return frame


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_048_575
    frame = customers_frame(n)
    config = PipelineConfig(tags=ISSUE_TAGS)
    timings: dict[str, tuple[float, float]] = {}  # stage -> (wall, CPU) seconds
    clock = (time.perf_counter(), time.process_time())

    def lap(stage: str) -> None:
        nonlocal clock
        now = (time.perf_counter(), time.process_time())
        timings[stage] = (now[0] - clock[0], now[1] - clock[1])
        clock = now

    out, counts = tag_customers(frame, config.all_tags)
    lap(f"tags ({len(config.all_tags)} rules)")
    owners_read = owner_codes(out)  # as stages/follow_up.py does: the owners read once for all three
    out = assign_pool(out, config, AS_OF, owners_read)
    pool = pool_sheet(out, config, AS_OF, owners_read)
    lap("pool (column and sheet)")
    reasons = verify_reasons(out, config, AS_OF)
    verify = verify_sheet(out, config, AS_OF, reasons, owners_read)
    lap("verify sheet")
    owners = owner_health(out, reasons.any, owners_read)
    lap("owners sheet")
    print(f"{n:,} customers: {len(pool):,} in the pool, {len(verify):,} to verify, {len(owners)} owners")
    for _, row in counts.iterrows():
        print(f"  tag {row['tag']:<16} {row['customers']:>9,}")
    print(f"  {'stage':<26} {'wall':>7} {'CPU':>7}  (CPU: this process, whatever else the machine runs)")
    for stage, (wall, cpu) in timings.items():
        print(f"  {stage:<26} {wall:6.2f}s {cpu:6.2f}s")
    print(f"  {'total':<26} {sum(w for w, _ in timings.values()):6.2f}s {sum(c for _, c in timings.values()):6.2f}s")


if __name__ == "__main__":
    main()
