"""What the cleaned workbook shows about problems: highlighted cells, and money kept honest."""


from tests.conftest import run_rows

HEADER = ["客户姓名", "手机", "邮箱", "交易金额", "交易日期"]


def test_offending_cells_of_customers_and_rejected_rows_are_noted(schema):
    result = run_rows([HEADER,
                       ["张三", "13812345678", "zs@gmial.com", "100", "2024-03-01"],
                       ["李四", "12345", "li@qq.com", "200", "2024-03-02"],
                       [None, None, None, "50", "2024-03-03"]], schema)
    notes = result.cell_notes["Customers"]
    customers = result.customers.reset_index(drop=True)
    row_of = {name: i for i, name in enumerate(customers["name"])}
    flagged = {(customers.loc[r, "name"], c) for r, c in zip(notes["row"], notes["column"])}
    assert flagged == {("张三", "email"), ("李四", "phone")}
    message = notes.set_index(["row", "column"]).loc[(row_of["张三"], "email"), "message"]
    assert message.startswith("email-typo: ")
    rejected = result.cell_notes["Rejected"]
    # a rule over several fields marks each of them
    assert set(rejected["row"]) == {0} and set(rejected["column"]) == {"name", "phone", "email"}
    assert rejected["message"].str.contains("no-identity").all()


def test_amounts_in_another_currency_are_kept_but_not_added_to_yuan_totals(schema):
    result = run_rows([HEADER,
                       ["张三", "13812345678", None, "¥1,000", "2024-03-01"],
                       ["张三", "13812345678", None, "US$ 200", "2024-04-01"]], schema)
    customer = result.customers.iloc[0]
    assert customer["order_count"] == 2 and customer["total_amount"] == 1000
    tx = result.transactions.sort_values("order_date")
    assert tx["currency"].tolist() == ["CNY", "USD"] and tx["amount"].tolist() == [1000, 200]
    other = result.issues[result.issues["code"] == "other-currency"]
    assert other["value"].tolist() == ["200 USD"] and int(other["source_row"].iloc[0]) == 3


def test_written_workbook_keeps_free_text_as_written(schema, tmp_path):
    import pandas as pd

    from sheetkit import write_outputs

    result = run_rows([["客户姓名", "手机", "备注", "公司", "地址", "来源渠道"],
                       ["张三", "13812345678", "老客户，喜欢绿茶", "花果山（集团）有限公司", "北京市朝阳区建国路１号",
                        "朋友介绍（老王）"]], schema)
    write_outputs(result, tmp_path)
    sheets = pd.read_excel(tmp_path / "cleaned.xlsx", sheet_name=None, dtype=str, engine="openpyxl")
    row = sheets["Customers"].iloc[0]
    assert (row["notes"], row["company"], row["address"]) == ("老客户，喜欢绿茶", "花果山（集团）有限公司",
                                                               "北京市朝阳区建国路１号")
    assert "朋友介绍（老王）" in row.tolist()  # a sheet's own column, kept
