"""`sheetkit check` (validation only) and `sheetkit schema infer` (a starting schema)."""

import hashlib
import json
import os
import re
import subprocess
import sys

import openpyxl
import pandas as pd
from click.testing import CliRunner

from sheetkit import PipelineConfig, load_schema, run_pipeline
from sheetkit.cli import cli
from sheetkit.infer import infer_columns
from tests.conftest import SHOP, make_grid


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_check_summarises_issues_by_code_and_writes_nothing(tmp_path):
    before = _digest(SHOP)
    result = CliRunner().invoke(cli, ["check", str(SHOP), "--as-of", "2024-12-31",
                                      "--issues", str(tmp_path / "issues.csv")])
    assert result.exit_code == 0, result.output
    assert "64 rows checked, 1 would be rejected" in result.stdout
    assert "invalid-email" in result.stdout and "e.g. sales-david.xlsx › Customers › row 7: wang@@163.com" in result.stdout
    assert _digest(SHOP) == before and not (SHOP / "sheetkit-output").exists()
    issues = pd.read_csv(tmp_path / "issues.csv", encoding="utf-8-sig", dtype=str)
    assert (tmp_path / "issues.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese right
    assert {"original", "value", "suggestion"} <= set(issues.columns)


def test_check_exit_code_follows_fail_on_and_json_counts_codes():
    runner = CliRunner()
    assert runner.invoke(cli, ["check", str(SHOP), "-q", "--fail-on", "error"]).exit_code == 3
    result = runner.invoke(cli, ["check", str(SHOP / "crm-export.csv"), "-q", "--json", "--fail-on", "error",
                                 "--as-of", "2024-12-31"])
    counts = json.loads(result.stdout)
    assert result.exit_code == 0 and counts["issues"]["error"] == 0
    assert runner.invoke(cli, ["check", str(SHOP), "-q", "--fail-on", "warning"]).exit_code == 3


def _members_book(tmp_path):
    path = tmp_path / "会员名单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024 会员名单"])
    sheet.append([])
    sheet.append(["会员姓名", "手机", "会员等级", "积分", "注册时间", "身份证", "紧急联系电话", "消费金额"])
    people = [("张伟", "13812345678", "金卡", "1200", "2023-01-05", "11010519491231002X", "13912345678", "¥1,200"),
              ("李娜", "139-1234-5678", "银卡", "300", "2023/2/7", "440305199003071236", "021-61234567", "350.5"),
              ("王芳", "+86 137 1234 5678", "金卡", "980", "2023年3月9日", "310115199005099597", "13712345678", "88")]
    for row in people * 4:
        sheet.append(list(row))
    book.save(path)
    return path


def test_schema_infer_maps_known_headers_and_guesses_the_kind_of_new_ones(tmp_path, schema, config):
    path = _members_book(tmp_path)
    result = CliRunner().invoke(cli, ["schema", "infer", str(path), "-o", str(tmp_path / "members.yaml")])
    assert result.exit_code == 0, result.output
    inferred = load_schema(tmp_path / "members.yaml")  # a schema sheetkit accepts as it is
    kinds = {f.name: f.kind for f in inferred.fields.values()}
    assert kinds["name"] == "name" and kinds["phone"] == "phone" and kinds["id_number"] == "id"
    assert kinds["amount"] == "amount" and kinds["created_on"] == "date"
    new = {f.title: (f.name, f.kind) for f in inferred.fields.values() if f.name not in schema.fields}
    assert new["会员等级"] == ("hui_yuan_deng_ji", "text") and new["积分"][1] == "text"
    assert "紧急联系电话" in inferred.fields["phone"].aliases  # a second phone column: alternates of the phone
    text = (tmp_path / "members.yaml").read_text(encoding="utf-8")
    assert "# 会员等级: new field, kind guessed from values; 12 values, e.g. 金卡, 银卡" in text
    # The inferred schema maps every column of the sheet when used for a run.
    grid = make_grid([["会员姓名", "手机", "会员等级"], ["张伟", "13812345678", "金卡"]])
    run = run_pipeline([grid], inferred, PipelineConfig(), pd.Timestamp("2024-12-31"))
    assert run.customers.loc[0, "hui_yuan_deng_ji"] == "金卡"


def test_schema_infer_refuses_to_overwrite_and_names_missing_sheets(tmp_path):
    path = _members_book(tmp_path)
    (tmp_path / "members.yaml").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["schema", "infer", str(path), "-o", str(tmp_path / "members.yaml")])
    assert result.exit_code == 1 and "exists" in result.output and "Traceback" not in result.output
    assert (tmp_path / "members.yaml").read_text(encoding="utf-8") == "mine"
    result = CliRunner().invoke(cli, ["schema", "infer", str(path), "--sheet", "Nope"])
    assert result.exit_code == 1 and "no sheet named 'Nope' (sheets: Sheet)" in result.output


def test_header_row_is_found_below_a_title_even_for_unknown_columns(schema, config):
    grid = make_grid([["Loyalty export 2024"], [], ["Tier", "Points", "Joined"], ["Gold", "12", "2023-01-05"],
                      ["Silver", "3", "2023-02-07"], ["Gold", "7", "2023-03-09"]])
    row, columns = infer_columns(grid, schema, config)
    assert row == 3 and [(c.field, c.kind) for c in columns] == [("tier", "text"), ("points", "text"),
                                                                   ("joined", "date")]


def test_check_never_writes_its_issues_over_an_input(tmp_path):
    source = tmp_path / "客户.csv"
    source.write_text("姓名,手机\n张三,12345\n", encoding="utf-8")
    before = source.read_bytes()
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--issues", str(source)])
    assert result.exit_code == 1 and "is one of the inputs" in result.output and "Traceback" not in result.output
    assert source.read_bytes() == before


def test_a_kind_is_not_guessed_from_one_or_two_values(schema, config):
    grid = make_grid([["Code", "Tier"], ["f", "A"], [None, "B"]])
    _, columns = infer_columns(grid, schema, config)
    assert [c.kind for c in columns] == ["text", "text"]


def test_check_reports_what_run_reports(schema, config):
    from sheetkit.pipeline import check_sheets
    rows = [["客户姓名", "手机", "交易金额"], [None, None, "US$ 5"], ["张三", "13812345678", "US$ 7"]]
    checked = check_sheets([make_grid(rows)], schema, config, pd.Timestamp("2024-12-31"))
    ran = run_pipeline([make_grid(rows)], schema, config, pd.Timestamp("2024-12-31"))
    assert sorted(checked.issues["code"]) == sorted(ran.issues["code"])
    # a rejected row's amount is not reported as a currency problem: the row is not kept
    assert checked.issues.loc[checked.issues["code"] == "other-currency", "source_row"].tolist() == [3]


def _gbk_run(args, tmp_path):
    """The CLI as on a Chinese Windows: stdout (and stderr) GBK, stdout redirected to a file."""
    out = tmp_path / "out.txt"
    with out.open("wb") as fh:
        proc = subprocess.run([sys.executable, "-m", "sheetkit", *args], stdout=fh, stderr=subprocess.PIPE,
                              env={**os.environ, "PYTHONIOENCODING": "gbk"}, timeout=120)
    return proc, out.read_bytes().decode("gbk"), proc.stderr.decode("gbk")


def test_check_and_schema_infer_print_to_a_gbk_file_without_a_traceback(tmp_path):
    # Issue 15.1: "›" is not in GBK; it crashed with UnicodeEncodeError, now it is written as ">".
    proc, out, err = _gbk_run(["check", str(SHOP), "--as-of", "2024-12-31"], tmp_path)
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert "e.g. sales-david.xlsx > Customers > row 7: wang@@163.com" in out
    assert "邮箱地址无效" in out and "error: 损坏的文件.xlsx" in err  # Chinese stays Chinese
    proc, out, err = _gbk_run(["schema", "infer", str(_members_book(tmp_path))], tmp_path)
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert "# 会员等级: new field" in out


def test_check_shows_whole_bilingual_messages():
    # Issue 15.4: messages were cut at 60 characters, so the Chinese half never showed.
    result = CliRunner().invoke(cli, ["check", str(SHOP), "--as-of", "2024-12-31"])
    assert ("No name, phone, e-mail, customer code or ID number: nothing identifies this customer / "
            "无姓名、电话、邮箱、客户编号或证件号，无法识别客户") in result.stdout
    assert "No way to contact this customer (no phone, e-mail or address) / 无任何联系方式" in result.stdout
    # an example value is cut by display width, and says so
    assert "e.g. 损坏的文件.xlsx: damaged or not a real .xlsx file (its content is not a work…" in result.stdout


_PAYLOADS = ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(1,1)", "\t=1+1",
             "\r=2+2", "=1+1", "+cmd", "-cmd", "@cmd", "=A1", "+A1", "-A1*2", "@A1"]


def test_check_issues_csv_neutralises_formulas(tmp_path):
    # Issue 16.3 (OWASP CSV injection): 119 such fields for 15 payloads were written as they were.
    import csv
    import openpyxl

    inbox = tmp_path / "in"
    inbox.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "=Sheet"
    ws.append(["客户姓名", "手机", "邮箱", "邮编", "最近联系时间", "身份证号", "=extra"])
    for p in _PAYLOADS:
        ws.append([p, p, p, p, p, p, p])
    ws.append(["张三", "+8613812345678", "-250.00", "", "", "", "-250.00"])
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # a text in the sheet, as a user typed it with a leading '
                cell.data_type = "s"
    wb.save(inbox / "=book.xlsx")
    out = tmp_path / "issues.csv"
    result = CliRunner().invoke(cli, ["check", str(inbox), "--as-of", "2024-12-31", "--issues", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    fields = [f for row in rows for f in row]
    quoted = [f for f in fields if f.startswith("'") and f[1:2] in ("=", "+", "-", "@", "\t", "\r")]
    assert len(quoted) >= 15 and {f[1:] for f in quoted} >= set(_PAYLOADS) - {"\r=2+2"}
    assert not [f for f in fields if f[:1] in ("=", "+", "-", "@", "\t", "\r")
                and not re.fullmatch(r"[+-]?[0-9][0-9 .,]*", f)]
    assert "'=book.xlsx" in fields and "'=Sheet" in fields
