import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetkit.stages.normalize import (
    company_key,
    fold_text,
    normalize_amounts,
    normalize_dates,
    normalize_emails,
    normalize_gender,
    normalize_phones,
    normalize_records,
)
from sheetkit.values.amounts import currency_of
from tests.conftest import make_records


@pytest.mark.parametrize("raw", ["13812345678", "138-1234-5678", "+86 138 1234 5678", "8613812345678",
                                 "１３８１２３４５６７８", "(+86)138 1234 5678", " 138 1234 5678 "])
def test_every_spelling_of_a_mobile_gives_one_e164(raw):
    got = normalize_phones(pd.Series([raw]))
    assert got.loc[0, "phone"] == "+8613812345678"
    assert got.loc[0, "phone_type"] == "mobile"
    assert got.loc[0, "phone_display"] == "138 1234 5678"


@pytest.mark.parametrize("raw, e164, kind", [
    ("021-61234567", "+862161234567", "landline"),
    ("(021)6123-4567", "+862161234567", "landline"),
    ("+44 20 7946 0958", "+442079460958", "landline"),
])
def test_landlines_and_international_numbers(raw, e164, kind):
    got = normalize_phones(pd.Series([raw]))
    assert (got.loc[0, "phone"], got.loc[0, "phone_type"]) == (e164, kind)


def test_invalid_phone_is_kept_as_written_not_fixed():
    got = normalize_phones(pd.Series(["12345", "138123456789"]))
    assert got["phone"].tolist() == ["12345", "138123456789"]
    assert got["phone_display"].isna().all()


def test_several_numbers_in_one_cell_give_alternates():
    got = normalize_phones(pd.Series(["13812345678 / 13912345678、021-61234567"]))
    assert got.loc[0, "phone"] == "+8613812345678"
    assert got.loc[0, "phone_2"] == "+8613912345678; +862161234567"


def test_emails_lowercased_and_split():
    got = normalize_emails(pd.Series([" Zhang.Wei@QQ.COM ", "a@b.cn；c@d.cn", "ｘ＠ｙ．ｃｏｍ"]))
    assert got["email"].tolist() == ["zhang.wei@qq.com", "a@b.cn", "x@y.com"]
    assert got["email_2"].tolist() == [None, "c@d.cn", None]


@pytest.mark.parametrize("raw, iso", [
    ("2023-01-05", "2023-01-05"), ("2023/1/5", "2023-01-05"), ("2023年1月5日", "2023-01-05"),
    ("2023.1.5", "2023-01-05"), ("20230105", "2023-01-05"), ("44931", "2023-01-05"),
    ("2023-01-05 14:30:00", "2023-01-05"),
])
def test_date_spellings(raw, iso):
    assert normalize_dates(pd.Series([raw])).tolist() == [iso]


def test_day_month_order_is_decided_by_the_column():
    assert normalize_dates(pd.Series(["25/12/2023", "05/01/2023"])).tolist() == ["2023-12-25", "2023-01-05"]
    assert normalize_dates(pd.Series(["12/25/2023", "01/05/2023"])).tolist() == ["2023-12-25", "2023-01-05"]


def test_ambiguous_or_impossible_dates_are_kept_as_written():
    assert normalize_dates(pd.Series(["05/01/2023", "2023-02-30", "下周"])).tolist() == ["05/01/2023", "2023-02-30", "下周"]


@pytest.mark.parametrize("raw, value", [("¥1,280.00", "1280"), ("3500元", "3500"), ("1.5万", "15000"),
                                        ("(1,000)", "-1000"), ("-20.5", "-20.5"), ("RMB 99.90", "99.9")])
def test_amounts(raw, value):
    assert normalize_amounts(pd.Series([raw])).tolist() == [value]


def test_gender_values_fold_to_one_set_and_unknown_is_kept():
    got = normalize_gender(pd.Series(["男", "F", "Female", "先生", "女士", "未知"])).tolist()
    assert got == ["male", "female", "female", "male", "female", "未知"]


def test_company_key_ignores_legal_suffixes():
    keys = company_key(pd.Series(["上海星辰科技有限公司", "上海星辰科技股份有限公司", "Acme Co., Ltd.", "ACME Inc."]))
    assert keys[0] == keys[1] and keys[2] == keys[3] == "acme"


@pytest.mark.parametrize("raw, key", [
    ("上海某某贸易(有限公司)", "上海某某贸易"), ("上海某某贸易（有限公司）", "上海某某贸易"),
    ("花果山股份公司", "花果山"), ("花果山股份有限公司", "花果山"), ("花果山（股份有限公司）", "花果山"),
    ("某某投资中心(有限合伙)", "某某投资中心"), ("星辰集团", "星辰集团"), ("星辰集团有限公司", "星辰集团"),
    ("星辰集团公司", "星辰集团"), ("星辰(集团)股份有限公司", "星辰集团"),
], ids=lambda v: v if isinstance(v, str) and not v.isascii() else None)
def test_company_key_strips_every_legal_form_bracketed_or_not_and_keeps_jituan(raw, key):
    # issue 15: the bracketed form stayed, 股份公司 left 股份; 集团 is a name word, kept throughout
    assert company_key(pd.Series([raw])).tolist() == [key]


def test_normalize_records_does_not_mutate_its_input(schema, config):
    records = make_records([{"name": " 张三 ", "phone": "138-1234-5678"}])
    before = records.copy()
    normalize_records(records, schema, config)
    pd.testing.assert_frame_equal(records, before)


cell = st.one_of(st.none(), st.text(max_size=20),
                 st.from_regex(r"\+?8?6?1[3-9]\d{9}", fullmatch=True),
                 st.from_regex(r"20\d\d[/.-]\d{1,2}[/.-]\d{1,2}", fullmatch=True),
                 st.from_regex(r"[¥]?\d{1,3}(,\d{3})*(\.\d\d)?元?", fullmatch=True))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.fixed_dictionaries({"name": cell, "phone": cell, "email": cell, "order_date": cell,
                                       "amount": cell, "gender": cell}), min_size=1, max_size=8))
def test_normalising_is_idempotent(schema, config, rows):
    once = normalize_records(make_records(rows), schema, config)
    twice = normalize_records(once[["source_file", "source_sheet", "source_row", "name", "phone", "email",
                                    "order_date", "amount", "gender"]], schema, config)
    for col in ["name", "phone", "email", "order_date", "amount", "gender"]:
        assert once[col].tolist() == twice[col].tolist(), col


def test_fold_text_handles_full_width_and_control_characters():
    assert fold_text(pd.Series(["Ａ\u3000Ｂ\x07", "\t"])).tolist() == ["A B", None]


def test_several_contacts_on_separate_lines_of_one_cell_are_split():
    phones = normalize_phones(pd.Series(["13812345678\n13912345678", "138  1234  5678"]))
    assert phones["phone"].tolist() == ["+8613812345678", "+8613812345678"]
    assert phones["phone_2"].tolist() == ["+8613912345678", None]
    emails = normalize_emails(pd.Series(["a@qq.com\nB@163.com"]))
    assert (emails.loc[0, "email"], emails.loc[0, "email_2"]) == ("a@qq.com", "b@163.com")


def test_years_are_not_serials_and_two_digit_years_pivot():
    assert normalize_dates(pd.Series(["1985", "2023"])).tolist() == ["1985", "2023"]
    assert normalize_dates(pd.Series(["25/12/85", "01/02/23"])).tolist() == ["1985-12-25", "2023-02-01"]


def test_day_month_order_is_decided_per_sheet(schema, config):
    us = make_records([{"name": "a", "order_date": "3/4/2024"}], sheet="US")
    uk = make_records([{"name": "b", "order_date": "25/12/2023"}], sheet="UK")
    got = normalize_records(pd.concat([us, uk], ignore_index=True), schema, config)
    assert got["order_date"].tolist() == ["3/4/2024", "2023-12-25"]


def test_values_people_mean_are_not_rewritten():
    assert fold_text(pd.Series(["Ⅱ期①单元 120㎡"])).tolist() == ["Ⅱ期①单元 120㎡"]
    assert company_key(pd.Series(["Costco", "Monaco Inc"])).tolist() == ["costco", "monaco"]


def test_amounts_keep_the_currency_their_cell_states():
    cells = pd.Series(["$1,000", "USD 99", "¥1,000", "HK$ 20", "€5", "300"])
    assert normalize_amounts(cells).tolist() == ["1000", "99", "1000", "20", "5", "300"]
    assert currency_of(cells).tolist() == ["USD", "USD", "CNY", "HKD", "EUR", None]


def test_columns_normalised_on_threads_give_the_same_frame_as_one_by_one(schema, config):
    rows = [{"name": "张三先生", "phone": "138-1234-5678\n021-61234567", "email": "A@QQ.com; b@163.com .", "company": "星辰科技有限公司",
             "address": "上海市浦东新区世纪大道100号", "city": None, "order_date": "3/4/2024", "amount": "¥1,200",
             "gender": "男", "来源": " 展会\u3000", "amount_currency": "stated by the sheet"},
            {"name": "Wei Zhang", "phone": "+44 20 7946 0958", "email": None, "company": "Acme Co., Ltd.",
             "address": "北京市朝阳区建国路1号", "city": "北京", "order_date": "25/12/2023", "amount": "USD 30",
             "gender": "F", "来源": None, "amount_currency": None}]
    records = pd.concat([make_records(rows[:1], sheet="A"), make_records(rows[1:], sheet="B")], ignore_index=True)
    one = normalize_records(records, schema, config.replace(threads=1))
    threads = normalize_records(records, schema, config.replace(threads=4))
    pd.testing.assert_frame_equal(threads, one)
    # New columns come in schema order, then the matching keys; a sheet's own column keeps its place.
    assert list(one.columns[:len(records.columns)]) == list(records.columns)
    assert list(one.columns[len(records.columns):]) == [
        "name_title", "name_key", "name_pinyin", "phone_display", "phone_type", "phone_ext", "phone_2", "email_2",
        "company_key", "address_key", "province", "district"]
    assert one["amount_currency"].tolist() == ["CNY", "USD"]  # what the amount says wins over the sheet's column
    assert one["来源"].tolist() == ["展会", None]
    assert one["email_2"].tolist() == ["b@163.com", None]  # the alternate as written ends in " ."
    assert (one.loc[0, "province"], one.loc[0, "city"]) == ("上海市", "上海市")
    assert one.loc[1, "city"] == "北京"  # the sheet's own city wins over the address


def test_display_values_keep_their_characters_and_only_keys_fold(schema, config):
    # issue 15: 老客户，喜欢绿茶 came back as 老客户,喜欢绿茶. Notes, names, companies, addresses
    # and a sheet's own columns keep every character (outer whitespace trimmed); keys fold.
    rows = [{"name": " Ｌｉｎ　Ｗｅｉ ", "notes": " 老客户，喜欢绿茶（每月）\n第二行 ", "company": "腾讯科技（深圳）有限公司",
             "address": "上海市浦东新区张江路８８号", "title": "Ｍａｎａｇｅｒ", "来源": "展会（２０２４）",
             "postcode": "２００１２０", "order_id": "ＳＯ－１"}]
    got = normalize_records(make_records(rows), schema, config).iloc[0]
    assert got["name"] == "Ｌｉｎ Ｗｅｉ" and got["name_key"] == "linwei"
    assert got["notes"] == "老客户，喜欢绿茶（每月）\n第二行"
    assert got["company"] == "腾讯科技（深圳）有限公司" and got["company_key"] == "腾讯科技深圳"
    assert got["address"] == "上海市浦东新区张江路８８号" and got["address_key"] == "上海市浦东新区张江路88号"
    assert (got["title"], got["来源"]) == ("Ｍａｎａｇｅｒ", "展会（２０２４）")
    assert (got["postcode"], got["order_id"]) == ("200120", "SO-1")  # codes have one canonical spelling
