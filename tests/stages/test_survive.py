import pandas as pd

from sheetkit.stages.dedupe import find_duplicates
from sheetkit.stages.normalize import normalize_records
from sheetkit.stages.survive import build_customers
from sheetkit.stages.transactions import extract_transactions
from tests.conftest import make_records


def golden(rows, schema, config):
    records = normalize_records(make_records(rows), schema, config)
    dups = find_duplicates(records, config)
    return records, dups, *build_customers(records, dups)


def test_golden_record_takes_dates_as_facts_and_prefers_valid_values(schema, config):
    _, _, customers, _ = golden([
        {"name": "张三", "phone": "13812345678", "last_contact_on": "2023-01-10", "created_on": "2024-06-01",
         "gender": "不详"},
        {"name": "张三", "phone": "13812345678", "last_contact_on": "2024-05-20", "created_on": "2019-03-01",
         "gender": "男", "address": "上海"},
    ], schema, config)
    c = customers.iloc[0]
    assert (c["last_contact_on"], c["created_on"], c["gender"]) == ("2024-05-20", "2019-03-01", "male")


def test_alternate_phones_are_kept(schema, config):
    _, _, customers, _ = golden([
        {"name": "张三", "phone": "13812345678", "email": "z@qq.com", "last_contact_on": "2024-05-20"},
        {"name": "张三", "phone": "13912345678", "email": "z@qq.com", "last_contact_on": "2023-01-01"},
    ], schema, config)
    assert (customers.loc[0, "phone"], customers.loc[0, "phone_2"]) == ("+8613812345678", "+8613912345678")


def test_every_customer_has_exactly_one_kept_or_review_row(schema, config):
    _, _, customers, outcomes = golden([
        {"name": "赵敏", "phone": "13701234567", "email": "zm@zy.com", "company": "智远咨询"},
        {"name": "赵敏", "phone": "13701234567", "company": "智远咨询"},
        {"name": "赵敏", "phone": "15801234567", "company": "智远咨询"},
    ], schema, config)
    main = outcomes[outcomes["outcome"].isin(["kept", "review"])]
    assert sorted(main["customer_id"]) == sorted(customers["customer_id"])
    assert (outcomes["outcome"] == "merged").sum() == 1


def test_lines_of_one_order_are_all_kept_but_one_order_in_two_files_counts_once(schema, config):
    a = make_records([{"name": "张三", "phone": "13812345678", "order_id": "SO001", "order_date": "2024-01-05",
                       "amount": "100"},
                      {"name": "张三", "phone": "13812345678", "order_id": "SO001", "order_date": "2024-01-05",
                       "amount": "250"}], file="a.xlsx")
    b = make_records([{"name": "张三", "phone": "13812345678", "order_id": "SO001", "order_date": "2024-01-05",
                       "amount": "100"}], file="b.xlsx")
    records = normalize_records(pd.concat([a, b], ignore_index=True), schema, config)
    tx = extract_transactions(records, pd.Series("C1", index=records.index))
    assert sorted(tx["amount"]) == [100, 250]
