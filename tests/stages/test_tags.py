import pandas as pd
import pytest

from sheetkit.config import DEFAULT_TAGS, PipelineConfig, Tag
from sheetkit.errors import ConfigError
from sheetkit.stages.tags import tag_customers, unknown_tag_columns
from tests.conftest import run_rows

CUSTOMERS = pd.DataFrame({
    "customer_id": ["C1", "C2", "C3"],
    "company": ["华东医疗器械有限公司", "杭州明远贸易", None],
    "industry": [None, "医疗器械", None],
    "order_count_12m": [8, 1, None],
    "days_since_order": pd.array([30, 20, None], dtype="Int64"),
    "amount_12m": [800000.0, 100.0, None],
})
ISSUE_TAGS = (Tag("高活跃度", "行为", "order_count_12m >= 6 and days_since_order <= 90"),
              Tag("医疗器械", "行业", "company contains '医疗' or industry == '医疗器械'"),
              Tag("战略客户", "价值", "amount_12m >= 500000"))


def test_one_column_per_level_and_tags_with_all_in_rule_order():
    out, counts = tag_customers(CUSTOMERS, ISSUE_TAGS)
    assert out["tags_行为"].tolist() == ["高活跃度", None, None]
    assert out["tags_行业"].tolist() == ["医疗器械", "医疗器械", None]
    assert out["tags_价值"].tolist() == ["战略客户", None, None]
    assert out["tags"].tolist() == ["高活跃度, 医疗器械, 战略客户", "医疗器械", None]
    assert counts.to_dict("records") == [
        {"level": "行为", "tag": "高活跃度", "rule": ISSUE_TAGS[0].when, "customers": 1},
        {"level": "行业", "tag": "医疗器械", "rule": ISSUE_TAGS[1].when, "customers": 2},
        {"level": "价值", "tag": "战略客户", "rule": ISSUE_TAGS[2].when, "customers": 1}]
    assert "tags" not in CUSTOMERS.columns  # the input frame is not changed


def test_two_tags_of_one_level_share_its_column():
    tags = (Tag("大客户", "价值", "amount_12m >= 500000"), Tag("小客户", "价值", "amount_12m < 500"),
            Tag("有订单", "价值", "order_count_12m > 0"))
    out, _ = tag_customers(CUSTOMERS, tags)
    assert out["tags_价值"].tolist() == ["大客户, 有订单", "小客户, 有订单", None]


def test_more_rules_than_bits_in_a_word_still_spell_every_tag():
    tags = [Tag(f"t{i}", "x", f"amount_12m > {i}") for i in range(70)]
    out, counts = tag_customers(CUSTOMERS, tags)
    assert out.loc[0, "tags"] == ", ".join(f"t{i}" for i in range(70))
    assert out.loc[1, "tags"] == ", ".join(f"t{i}" for i in range(70))  # 100 > 0..69
    assert counts["customers"].tolist() == [2] * 70


def test_a_column_may_be_named_by_a_schema_alias():
    out, _ = tag_customers(CUSTOMERS, [Tag("医疗", "行业", "行业 == '医疗器械'")], aliases={"行业": "industry"})
    assert out["tags_行业"].tolist() == [None, "医疗", None]


def test_unknown_columns_are_named_with_rule_and_position_all_at_once():
    problems = unknown_tag_columns([Tag("a", "x", "orders > 1 and amount_12m > 1"), Tag("b", "x", "foo is empty")],
                                   CUSTOMERS.columns)
    assert problems == ["tags[1] \"a\": position 1: no column 'orders' in the Customers sheet",
                        "tags[2] \"b\": position 1: no column 'foo' in the Customers sheet"]


def test_the_bundled_tags_name_only_columns_sheetkit_makes(schema):
    from sheetkit import columns as C
    assert unknown_tag_columns(DEFAULT_TAGS, [*C.CUSTOMER_COLUMNS, *schema.fields]) == []


def test_a_run_stops_before_dedupe_when_a_tag_names_no_column(schema):
    config = PipelineConfig(tags=(Tag("x", "行为", "ordres >= 6"),))
    with pytest.raises(ConfigError, match=r"tags\[1\] \"x\": position 1: no column 'ordres'"):
        run_rows([["姓名", "手机"], ["张三", "13812345678"]], schema, config)


def test_a_run_tags_by_a_sheet_column_with_a_chinese_name_and_by_an_alias(schema):
    config = PipelineConfig(tags=(Tag("展会客户", "来源", "来源 == '展会'"), Tag("医疗", "行业", "所属行业 == '医疗器械'")),
                            default_tags=False)
    result = run_rows([["姓名", "手机", "来源", "所属行业"], ["张三", "13812345678", "展会", "医疗器械"],
                       ["李四", "13912345678", "官网", None]], schema, config)
    by_name = result.customers.set_index("name")
    assert by_name.loc["张三", "tags"] == "展会客户, 医疗"
    assert pd.isna(by_name.loc["李四", "tags"])
    assert by_name.loc["张三", "industry"] == "医疗器械"


def test_a_tag_may_use_the_pool_and_not_the_tags(schema):
    pooled = PipelineConfig(tags=(Tag("公海客户", "跟进", "pool is not empty"),), default_tags=False)
    result = run_rows([["姓名", "手机", "负责人"], ["张三", "13812345678", None]], schema, pooled)
    assert result.customers["tags_跟进"].tolist() == ["公海客户"]  # no owner: in the pool from the start
    circular = PipelineConfig(tags=(Tag("x", "y", "tags contains 'z'"),))
    with pytest.raises(ConfigError, match=r"tags\[1\] \"x\": position 1: no column 'tags'"):
        run_rows([["姓名", "手机"], ["张三", "13812345678"]], schema, circular)
