import pandas as pd

from sheetkit.stages.normalize import normalize_records
from sheetkit.stages.validate import find_id_conflicts, validate_records
from tests.conftest import make_records


def issue_tuples(issues):
    return {(int(r), c, code) for r, c, code in zip(issues["source_row"], issues["column"], issues["code"])}


def test_every_failing_cell_becomes_an_issue_with_its_row(schema, config):
    records = normalize_records(make_records([
        {"name": "张三", "phone": "12345", "email": "zs@qq.com", "gender": "男"},
        {"name": "李四", "phone": "13812345678", "email": "li.qq.com", "gender": "?"},
        {"name": "王五", "phone": "13912345678", "email": None, "order_date": "someday", "amount": "lots"},
    ]), schema, config)
    v = validate_records(records, schema)
    assert issue_tuples(v.issues) == {(2, "phone", "invalid-phone"), (3, "email", "invalid-email"),
                                      (3, "gender", "invalid-gender"), (4, "order_date", "invalid-date"),
                                      (4, "amount", "invalid-amount")}
    assert set(v.issues["severity"]) == {"warning"}
    assert v.issues.set_index("code").loc["invalid-phone", "value"] == "12345"
    assert len(v.records) == 3 and v.rejected.empty
    assert v.records.loc[0, "issue_codes"] == "invalid-phone"


def test_rows_that_cannot_be_customers_are_rejected_not_dropped(schema, config):
    records = normalize_records(make_records([
        {"name": None, "phone": None, "email": None, "notes": "该客户已要求删除个人信息"},
        {"name": "张三", "phone": None, "email": None, "notes": None},
        {"name": None, "phone": None, "email": None, "customer_code": "C-0042"},  # the code identifies it
    ]), schema, config)
    v = validate_records(records, schema)
    assert v.rejected["source_row"].tolist() == [2]
    assert "No name, phone, e-mail, customer code or ID number" in v.rejected.loc[0, "reason"]
    assert v.records["source_row"].tolist() == [3, 4]
    assert (3, "phone/email/address", "no-contact") in issue_tuples(v.issues)


def test_clean_records_raise_no_issues(schema, config):
    records = normalize_records(make_records([{"name": "张三", "phone": "138 1234 5678", "email": "a@b.cn",
                                               "order_date": "2024/1/5", "amount": "¥100"}]), schema, config)
    v = validate_records(records, schema)
    assert v.issues.empty and v.rejected.empty


def test_issues_show_the_cell_as_written_beside_the_cleaned_value_and_a_fix(schema, config):
    records = make_records([
        {"name": "张三", "phone": "13812345678", "email": " Li@Gmial.com ", "order_date": "03/04/2023"},
        {"name": "李四", "phone": "13912345678", "last_contact_on": "2031-01-01", "birth_on": "1850-02-03"},
        {"name": "王五", "phone": "13712345678", "id_number": "11010519491231002X", "gender": "男",
         "birth_on": "1949-12-30", "created_on": "2024-05-01", "last_contact_on": "2024-01-01"},
    ])
    v = validate_records(normalize_records(records, schema, config), schema, as_of=pd.Timestamp("2026-11-24"),
                         original=records)
    got = {(int(r.source_row), r.code): r for r in v.issues.itertuples()}
    typo = got[(2, "email-typo")]
    assert (typo.original, typo.value, typo.suggestion) == (" Li@Gmial.com ", "li@gmial.com", "li@gmail.com")
    assert got[(2, "ambiguous-date")].suggestion == "2023-04-03 (day first) or 2023-03-04 (month first)"
    assert (2, "invalid-date") not in got  # ambiguous is said once, as ambiguous
    assert {(3, "future-date"), (3, "implausible-birth-date")} <= set(got)
    assert got[(4, "id-gender-mismatch")].suggestion == "ID says female"
    assert got[(4, "id-birth-mismatch")].suggestion == "ID says 1949-12-31"
    assert got[(4, "id-birth-mismatch")].column == "id_number/birth_on"
    assert (4, "dates-out-of-order") in got
    assert v.rejected.empty  # all warnings: the rows go on, flagged


def test_future_dates_depend_on_the_runs_as_of_not_on_today(schema, config):
    records = normalize_records(make_records([{"name": "张三", "last_contact_on": "2025-06-01"}]), schema, config)
    assert "future-date" in set(validate_records(records, schema, as_of=pd.Timestamp("2024-12-31")).issues["code"])
    assert "future-date" not in set(validate_records(records, schema, as_of=pd.Timestamp("2026-11-24")).issues["code"])


def test_one_id_number_with_two_peoples_names_is_flagged_naming_both_rows(schema, config):
    # issue 15: 张三 and 李四 with one 身份证号 went unflagged. Spacing, case, Traditional
    # characters, a title or pinyin are the same person; an invalid ID proves nothing.
    records = normalize_records(make_records([
        {"name": "张三", "id_number": "11010519491231002X"},
        {"name": "张 三先生", "id_number": "11010519491231002X"},
        {"name": "Zhang San", "id_number": "11010519491231002X"},
        {"name": "李四", "id_number": "11010519491231002X"},
        {"name": "John Smith", "id_number": "440305199003071236"},
        {"name": "JOHN  SMITH", "id_number": "440305199003071236"},
        {"name": "王五", "id_number": "110105194912310021"},  # bad check digit
        {"name": "赵六", "id_number": "110105194912310021"},
    ]), schema, config)
    issues = find_id_conflicts(records)
    assert issue_tuples(issues) == {(5, "id_number/name", "id-number-conflict")}
    assert issues["severity"].tolist() == ["warning"]
    assert issues["suggestion"].iloc[0] == "李四 and 张三 share this ID: see row 2 of book.xlsx › Sheet1"


def test_the_callers_records_are_left_as_they_were(schema, config):
    # a library user passes their own frame: validating adds issue_codes to the result, not to it
    records = normalize_records(make_records([
        {"name": "张三", "phone": "12345", "email": "zs@qq.com"},
        {"name": None, "phone": None, "email": None},
    ]), schema, config)
    before = records.copy()
    v = validate_records(records, schema)
    pd.testing.assert_frame_equal(records, before)
    assert "issue_codes" not in records.columns and v.records.loc[0, "issue_codes"] == "invalid-phone"
