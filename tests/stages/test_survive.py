import pandas as pd
import pytest

from sheetkit import ConfigError, PipelineConfig, load_config
from sheetkit.stages.dedupe import find_duplicates
from sheetkit.stages.identity import customer_ids
from sheetkit.stages.normalize import normalize_records
from sheetkit.stages.survive import build_customers
from sheetkit.stages.transactions import extract_transactions
from tests.conftest import make_records, run_rows


def golden(rows, schema, config):
    records = normalize_records(make_records(rows), schema, config)
    dups = find_duplicates(records, config)
    return records, dups, *build_customers(records, dups)[:2]


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


def survive(rows, schema, config, files=None):
    frames = [make_records([r], file=f) for r, f in zip(rows, files or ["book.xlsx"] * len(rows))]
    records = normalize_records(pd.concat(frames, ignore_index=True), schema, config)
    return build_customers(records, find_duplicates(records, config), config)


# One customer on three sheets: the CRM export is oldest; the sales sheets disagree on the address.
ONE_CUSTOMER = [
    {"name": "张三", "phone": "13812345678", "address": "上海市徐汇区漕溪北路100号", "owner": "李雷",
     "last_contact_on": "2023-01-10"},
    {"name": "张三", "phone": "13812345678", "address": "上海徐汇", "owner": "韩梅梅", "last_contact_on": "2024-06-01"},
    {"name": "张三", "phone": "13812345678", "address": "上海市徐汇区", "owner": "李雷", "last_contact_on": "2024-03-01"},
]
FILES = ["CRM导出.xlsx", "sales/韩梅梅.xlsx", "sales/李雷.xlsx"]


@pytest.mark.parametrize("rules, priority, address, owner", [
    ({}, (), "上海徐汇", "韩梅梅"),                                             # today's default: most recent
    ({"address": "longest", "owner": "most_frequent"}, (), "上海市徐汇区漕溪北路100号", "李雷"),
    ({"*": "source_priority"}, ("crm*",), "上海市徐汇区漕溪北路100号", "李雷"),
    ({"address": "source_priority"}, ("*李雷*", "crm*"), "上海市徐汇区", "韩梅梅"),
], ids=["default", "longest-and-most-frequent", "crm-first", "sheet-pattern"])
def test_survivorship_rules_from_the_config(schema, rules, priority, address, owner):
    config = PipelineConfig(survivorship=rules, source_priority=priority)
    customers, _, provenance = survive(ONE_CUSTOMER, schema, config, FILES)
    assert len(customers) == 1
    assert (customers.loc[0, "address"], customers.loc[0, "owner"]) == (address, owner)
    # the address was picked among different ones: provenance names the row it came from
    where = provenance.set_index("field").loc["address"]
    assert where["value"] == address
    assert where["source_file"] == FILES[[r["address"] for r in ONE_CUSTOMER].index(address)]
    assert "name" not in set(provenance["field"])  # all rows agree on the name: nothing to trace


def test_a_valid_phone_beats_an_invalid_one_whatever_the_rule(schema):
    rows = [{"name": "张三", "phone": "12345", "email": "z@qq.com"}, {"name": "张三", "phone": "13812345678", "email": "z@qq.com"}]
    config = PipelineConfig(survivorship={"phone": "source_priority"}, source_priority=("a*",))
    customers, _, _ = survive(rows, schema, config, ["a.xlsx", "b.xlsx"])
    assert customers.loc[0, "phone"] == "+8613812345678"


def test_config_rejects_unknown_rules_and_a_priority_rule_without_patterns(tmp_path):
    path = tmp_path / "sheetkit.toml"
    path.write_text('[survivorship]\naddress = "newest"\nphone = "source_priority"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "'newest' is not a rule" in str(err.value) and "source_priority lists no" in str(err.value)
    path.write_text('source_priority = ["CRM*"]\n[survivorship]\naddress = "source_priority"\n', encoding="utf-8")
    config = load_config(path)
    assert (config.source_priority, config.survivorship) == (("CRM*",), {"address": "source_priority"})


def test_sources_name_each_customers_own_files_and_sheets(schema, config):
    rows = [{"name": "张三", "phone": "13812345678"}, {"name": "李四", "phone": "13912345678"},
            {"name": "张三", "phone": "13812345678"}, {"name": "李四", "phone": "13912345678"}]
    records = make_records(rows)
    records["source_file"] = ["a.xlsx", "b.xlsx", "c.csv", "b.xlsx"]
    records["source_sheet"] = ["客户", "Sheet1", "c", None]  # a sheet without a name names nothing
    records = normalize_records(records, schema, config)
    customers = build_customers(records, find_duplicates(records, config)).customers.set_index("name")
    assert customers.loc["张三", "sources"] == "a.xlsx › 客户; c.csv › c"
    assert customers.loc["李四", "sources"] == "b.xlsx › Sheet1"


def test_a_sheet_whose_every_row_is_rejected_gives_no_customers_and_no_error(schema):
    result = run_rows([["姓名", "电话", "备注"], ["", "", "只有备注"]], schema)
    assert len(result.customers) == 0 and len(result.rejected) == 1


def test_a_record_without_file_or_sheet_name_still_ranks_and_explains(schema):
    config = PipelineConfig(source_priority=("*.csv",))
    records = make_records([{"name": "张三", "phone": "13812345678"}, {"name": "张三", "phone": "13812345678"}])
    records["source_sheet"] = ["Sheet1", None]
    records = normalize_records(records, schema, config)
    _, outcomes, _ = build_customers(records, find_duplicates(records, config), config)
    assert outcomes["outcome"].tolist() == ["kept", "merged"]
    assert "book.xlsx › Sheet1 › row 2" in outcomes.loc[1, "reason"]


def test_customer_ids_are_the_same_for_a_frame_of_arrow_text_built_from_two(schema, config):
    # A library user may hand over Arrow-backed text columns; pd.concat makes them of two
    # chunks each. The IDs are made from the values, not from how they are stored.
    rows = [{"name": "张伟", "phone": "13812345678", "email": "zw@qq.com", "company": "星辰科技"},
            {"name": "Wei Zhang", "phone": None, "email": "wei@acme.com", "company": "Acme"},
            {"name": "李娜", "phone": "13912345678", "email": None, "company": None}]
    records = normalize_records(make_records(rows), schema, config)
    cluster = find_duplicates(records, config).cluster
    text = [c for c in records.columns if records[c].dtype == object]
    arrow = pd.concat([part.astype({c: "string[pyarrow]" for c in text}) for part in (records.iloc[:2], records.iloc[2:])])
    assert arrow[text[0]].array._pa_array.num_chunks == 2
    assert customer_ids(arrow, cluster).tolist() == customer_ids(records, cluster).tolist()


def test_a_new_customer_never_gets_an_id_a_previous_customer_holds(schema, config):
    # Last week 李娜's record held the ID 张伟's content hashes to (a row moved, an ID kept):
    # this week 张伟 is new, and must get an ID of its own, not share hers.
    rows = [{"name": "李娜", "phone": "13912345678"}, {"name": "张伟", "phone": "13812345678"}]
    records = normalize_records(make_records(rows), schema, config)
    cluster = find_duplicates(records, config).cluster
    fresh = customer_ids(records, cluster).tolist()
    previous = pd.DataFrame({"customer_id": [fresh[1], None], "main": [True, None]}, index=records.index)
    ids = customer_ids(records, cluster, previous).tolist()
    assert ids[0] == fresh[1]
    assert ids[1] != ids[0] and ids[1] not in fresh and ids[1].startswith("C") and len(ids[1]) == len(fresh[1])


def test_a_new_customer_in_a_weekly_run_gets_the_id_a_first_run_gives_it(schema, config):
    # A weekly run makes IDs for its new customers from their own records only: the ID
    # must still be the one their values give, whatever the known customers hold.
    rows = [{"name": "李娜", "phone": "13912345678", "email": "ln@qq.com"},
            {"name": "张伟", "phone": "13812345678", "email": "zw@qq.com", "company": "星辰科技"},
            {"name": "张伟", "phone": "13812345678", "email": None, "company": "星辰科技有限公司"},
            {"name": "Amy Chen", "phone": None, "email": "amy@acme.com", "company": "Acme"}]
    records = normalize_records(make_records(rows), schema, config)
    cluster = find_duplicates(records, config).cluster
    fresh = customer_ids(records, cluster).tolist()
    assert fresh[1] == fresh[2] and len(set(fresh)) == 3
    previous = pd.DataFrame({"customer_id": ["C0000AAAA", None, None, "C0000BBBB"], "main": [True, None, None, True]},
                            index=records.index)
    ids = customer_ids(records, cluster, previous).tolist()
    assert (ids[0], ids[3]) == ("C0000AAAA", "C0000BBBB")
    assert ids[1] == ids[2] == fresh[1]
