from sheetkit.stages.normalize import normalize_records
from sheetkit.stages.validate import validate_records
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
    ]), schema, config)
    v = validate_records(records, schema)
    assert v.rejected["source_row"].tolist() == [2]
    assert "No name, phone or e-mail" in v.rejected.loc[0, "reason"]
    assert v.records["source_row"].tolist() == [3]
    assert (3, "phone/email/address", "no-contact") in issue_tuples(v.issues)


def test_clean_records_raise_no_issues(schema, config):
    records = normalize_records(make_records([{"name": "张三", "phone": "138 1234 5678", "email": "a@b.cn",
                                               "order_date": "2024/1/5", "amount": "¥100"}]), schema, config)
    v = validate_records(records, schema)
    assert v.issues.empty and v.rejected.empty
