"""Order lines to transactions and per-customer sums: repeats counted once, refunds no orders."""

import pandas as pd

from sheetkit.stages.normalize import normalize_records
from sheetkit.stages.transactions import extract_transactions, find_repeated_orders, summarize_orders
from tests.conftest import AS_OF, make_records, run_rows


def _orders(schema, config, rows, customers):
    records = normalize_records(make_records(rows), schema, config)
    return records, pd.Series(customers, index=records.index)


def test_a_line_repeated_in_one_sheet_counts_once_and_is_flagged_naming_both_rows(schema, config):
    # issue 15: the same order line twice was counted twice, with no issue
    records, who = _orders(schema, config, [
        {"name": "张三", "order_id": "SO1", "order_date": "2024-03-01", "amount": "100"},
        {"name": "张三", "order_id": "SO1", "order_date": "2024-03-01", "amount": "100"},   # pasted twice
        {"name": "张三", "order_id": "SO1", "order_date": "2024-03-01", "amount": "250"},   # another line of SO1
        {"name": "张三", "order_id": None, "order_date": "2024-04-01", "amount": "80"},
        {"name": "张三", "order_id": None, "order_date": "2024-04-01", "amount": "80"},     # no number: date + amount
        {"name": "李四", "order_id": None, "order_date": "2024-04-01", "amount": "80"},     # another customer
    ], ["C1"] * 5 + ["C2"])
    tx = extract_transactions(records, who)
    assert sorted(zip(tx["customer_id"], tx["amount"])) == [("C1", 80), ("C1", 100), ("C1", 250), ("C2", 80)]
    issues = find_repeated_orders(records, who)
    assert list(zip(issues["source_row"], issues["column"], issues["code"])) == [
        (3, "order_id", "repeated-order-line"), (6, "amount", "repeated-order-line")]
    assert issues["suggestion"].tolist() == ["same as row 2; counted once", "same as row 5; counted once"]
    assert summarize_orders(tx, AS_OF).loc["C1", "order_count"] == 3


def test_a_refund_lowers_the_total_but_is_no_order(schema, config):
    # issue 15: a refund alone counted as an order and made the customer "new"
    records, who = _orders(schema, config, [
        {"name": "张三", "order_date": "2024-01-10", "amount": "500"},
        {"name": "张三", "order_date": "2024-12-20", "amount": "-200"},
        {"name": "李四", "order_date": "2024-12-20", "amount": "-80"},
    ], ["C1", "C1", "C2"])
    got = summarize_orders(extract_transactions(records, who), AS_OF)
    assert got.loc["C1", ["order_count", "total_amount", "amount_12m"]].tolist() == [1, 300, 300]
    assert got.loc["C1", "last_order_on"] == pd.Timestamp("2024-01-10")
    assert got.loc["C2", "order_count"] == 0 and got.loc["C2", "total_amount"] == -80
    assert pd.isna(got.loc["C2", "last_order_on"])


def test_through_the_pipeline_refund_only_customers_are_prospects_and_repeats_are_issues(schema):
    result = run_rows([["客户姓名", "手机", "订单号", "交易日期", "交易金额"],
                       ["张三", "13812345678", "SO1", "2024-12-01", "100"],
                       ["张三", "13812345678", "SO1", "2024-12-01", "100"],
                       ["李四", "13912345678", None, "2024-12-20", "-80"]], schema)
    customers = result.customers.set_index("name")
    assert customers.loc["张三", "order_count"] == 1 and customers.loc["张三", "total_amount"] == 100
    assert customers.loc["李四", "lifecycle"] == "prospect" and customers.loc["李四", "order_count"] == 0
    repeated = result.issues[result.issues["code"] == "repeated-order-line"]
    assert repeated["source_row"].tolist() == [3]
