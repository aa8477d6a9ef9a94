import pytest

from sheetkit.stages.extract import extract_sheet
from tests.conftest import make_grid


def outcomes(extracted):
    skipped = {int(r): reason for r, reason in zip(extracted.skipped["source_row"], extracted.skipped["reason"])}
    kept = [int(r) for r in extracted.records["source_row"]]
    return kept, skipped


def test_header_below_title_and_blank_lines_is_found(schema, config):
    grid = make_grid([
        ["2024年客户名单（张丽）"],
        ["导出日期：2024-12-31"],
        [],
        ["客户姓名", "手机", "邮箱", "公司名称"],
        ["张三", "13812345678", "zs@qq.com", "星辰科技"],
        ["李四", "13912345678", None, None],
    ])
    e = extract_sheet(grid, schema, config)
    assert e.header_row == 4
    kept, skipped = outcomes(e)
    assert kept == [5, 6]
    assert skipped == {1: "title or note above the header", 2: "title or note above the header", 4: "header row"}
    assert list(e.records.columns[3:]) == ["name", "phone", "email", "company"]


@pytest.mark.parametrize("header, field", [
    ("客户姓名", "name"), ("Customer Name", "name"), ("手机（必填）", "phone"), ("Phone No.", "phone"),
    ("E-mail地址", "email"), ("Ｅ－ｍａｉｌ", "email"), ("联系人电话", "phone"), ("交易金额", "amount"),
    ("最近联系时间", "last_contact_on"), ("Order Date", "order_date"), ("公司地址", "address"),
], ids=lambda v: str(v))
def test_header_aliases_map_onto_fields(schema, config, header, field):
    grid = make_grid([["姓名", header], ["张三", "x"]]) if field != "name" else make_grid([[header, "手机"], ["张三", "1"]])
    e = extract_sheet(grid, schema, config)
    assert field in e.records.columns


def test_unknown_columns_are_kept_under_their_header(schema, config):
    e = extract_sheet(make_grid([["姓名", "手机", "意向产品"], ["张三", "13812345678", "绿茶"]]), schema, config)
    assert e.records["意向产品"].tolist() == ["绿茶"]
    assert {"header": "意向产品", "field": "", "how": "kept as extra column"} in e.mapping


def test_totals_repeated_header_and_note_lines_are_skipped_with_reasons(schema, config):
    grid = make_grid([
        ["客户姓名", "手机", "交易金额"],
        ["张三", "13812345678", "100"],
        ["客户姓名", "手机", "交易金额"],
        ["李四", "13912345678", "200"],
        ["合计", None, "300"],
        ["制表人：王五"],
    ])
    kept, skipped = outcomes(extract_sheet(grid, schema, config))
    assert kept == [2, 4]
    assert skipped == {1: "header row", 3: "repeated header", 5: "totals line", 6: "note line"}


def test_two_row_merged_header_is_flattened(schema, config):
    # 联系方式 merged over 手机 | 邮箱: the reader fills a merged range with its value.
    grid = make_grid([
        ["客户姓名", "联系方式", "联系方式", "地址"],
        [None, "手机", "邮箱", None],
        ["张三", "13812345678", "zs@qq.com", "上海"],
    ])
    e = extract_sheet(grid, schema, config)
    assert {"name", "phone", "email", "address"} <= set(e.records.columns)
    assert e.records.loc[0, "email"] == "zs@qq.com"
    kept, skipped = outcomes(e)
    assert kept == [3] and skipped == {1: "header row", 2: "header row"}


def test_a_sheet_that_is_not_a_customer_list_is_skipped_whole(schema, config):
    e = extract_sheet(make_grid([["城市", "区号"], ["上海", "021"], ["北京", "010"]]), schema, config)
    assert not e.is_customer_list
    assert set(e.skipped["reason"]) == {"sheet is not a customer list"}
    assert len(e.skipped) == 3


def test_two_phone_columns_become_primary_and_alternate(schema, config):
    e = extract_sheet(make_grid([["姓名", "手机", "电话"], ["张三", "13812345678", "021-61234567"]]), schema, config)
    assert e.records.loc[0, "phone"] == "13812345678; 021-61234567"


def test_header_override_from_config(schema, config):
    cfg = config.replace(header_overrides={"代号": "customer_code", "客户": "name"})
    e = extract_sheet(make_grid([["客户", "代号", "手机"], ["张三", "007", "13812345678"]]), schema, cfg)
    assert e.records.loc[0, "customer_code"] == "007"


def test_sheet_name_as_owner_when_asked(schema, config):
    grid = make_grid([["姓名", "手机"], ["张三", "13812345678"]], sheet="王经理")
    assert "owner" not in extract_sheet(grid, schema, config).records.columns
    e = extract_sheet(grid, schema, config.replace(owner_from_sheet=True))
    assert e.records["owner"].tolist() == ["王经理"]


def test_a_data_row_mentioning_a_field_is_not_a_second_header_row(schema, config):
    grid = make_grid([["姓名", "手机", "备注", "备注"], ["张三", "13812345678", "老客户", "电话回访"]])
    e = extract_sheet(grid, schema, config)
    assert e.records["source_row"].tolist() == [2]
    assert e.records.loc[0, "phone"] == "13812345678" and e.records.loc[0, "name"] == "张三"
