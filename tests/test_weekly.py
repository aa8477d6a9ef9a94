"""The weekly flow of issue 17 as a user meets it: decisions land on their own rows, IDs
survive edits beside inserts, the archive remembers, the Changes sheet and the log."""

from __future__ import annotations

import json
import sqlite3

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from sheetkit import PipelineConfig, run_pipeline
from sheetkit.cli import cli
from tests.conftest import AS_OF, ROOT, make_grid
from tests.golden import read_back

HEADER = ["姓名", "手机", "邮箱", "公司"]
A_ROWS = [["李娜", "13911112222", "lina@qq.com", "星辰科技"],
          ["马永健", "13800138000", "myj@163.com", "蓝海贸易"],
          ["王强", "13733334444", "wq@qq.com", "智远咨询"],
          ["赵敏", "13655556666", "zm@qq.com", "北方物流"]]
TONY = ["Tony Ma", "13800138000", "tony@gmail.com", "Acme"]


def book(path, sheet, rows):
    wb = openpyxl.Workbook()
    wb.active.title = sheet
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(row)
    wb.save(path)


def run(inputs, out, as_of, *extra):
    if "--config" not in extra:
        # The scenario starts from Tony Ma / 马永健 in Review. One mobile and an English
        # name with the surname score 2.28 (probability 0.83): merged at the default threshold
        # (2), left for a person at 3, where the decisions below are made.
        config = out.parent / "weekly.toml"
        config.write_text("merge_threshold = 3.0\n", encoding="utf-8")
        extra = (*extra, "--config", str(config))
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "--as-of", as_of, "-q", *extra])
    assert result.exit_code == 0, result.output
    return read_back(out / "cleaned.xlsx")


@pytest.fixture
def week1(tmp_path):
    """a.xlsx with four people, b.xlsx with Tony Ma (马永健's phone); `same` typed for that pair."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    book(inputs / "a.xlsx", "A", A_ROWS)
    book(inputs / "b.xlsx", "B", [TONY])
    sheets = run(inputs, out, "2024-12-31")
    review = sheets["Review"]
    assert {tuple(sorted(p)) for p in review[["left_name", "right_name"]].values} == {("Tony Ma", "马永健")}
    wb = openpyxl.load_workbook(out / "cleaned.xlsx")
    ws = wb["Review"]
    col = [c.value for c in ws[1]].index("decision") + 1
    ws.cell(row=2, column=col).value = "same"
    wb.save(out / "cleaned.xlsx")
    return inputs, out, sheets


def customer(sheets, name):
    cust = sheets["Customers"]
    return cust[cust["name"] == name].iloc[0]


def test_a_decided_row_deleted_never_merges_its_partner_into_another_customer(week1):
    inputs, out, _ = week1
    book(inputs / "a.xlsx", "A", [A_ROWS[0], A_ROWS[2], A_ROWS[3]])  # 马永健 deleted
    sheets = run(inputs, out, "2025-01-07")
    for name in ("李娜", "王强", "赵敏"):
        assert customer(sheets, name)["sources"] == "a.xlsx › A", f"Tony Ma was merged into {name}"
    assert customer(sheets, "Tony Ma")["sources"] == "b.xlsx › B"
    decisions = sheets["Decisions"]
    assert decisions[["decision", "applied"]].values.tolist() == [["same", "no: a record is no longer in the input"]]
    assert set(decisions[["left_name", "right_name"]].values.ravel()) - {""} <= {"Tony Ma", "马永健"}


def test_a_decided_row_edited_below_an_inserted_row_keeps_its_decision(week1):
    inputs, out, before = week1
    edited = ["马永健", "13800138000", "mayj@163.com", "蓝海贸易"]  # e-mail corrected
    book(inputs / "a.xlsx", "A", [["陈静", "13612345678", "cj@qq.com", "东方书店"], A_ROWS[0], edited, *A_ROWS[2:]])
    sheets = run(inputs, out, "2025-01-07")
    assert customer(sheets, "马永健")["sources"] == "a.xlsx › A; b.xlsx › B"
    assert customer(sheets, "赵敏")["sources"] == "a.xlsx › A"
    assert sheets["Decisions"][["decision", "applied"]].values.tolist() == [["same", "yes"]]
    # nobody else lost an ID
    for name in ("李娜", "王强", "赵敏"):
        assert customer(sheets, name)["customer_id"] == customer(before, name)["customer_id"]


def test_an_id_survives_an_edit_in_the_same_week_as_a_row_inserted_above(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    book(inputs / "a.xlsx", "A", A_ROWS)
    before = run(inputs, out, "2024-12-31")
    zhao = ["赵敏", "13655557777", "zm@qq.com", "北方物流"]  # phone edited
    book(inputs / "a.xlsx", "A", [["陈静", "13612345678", "cj@qq.com", "东方书店"], *A_ROWS[:3], zhao])
    after = run(inputs, out, "2025-01-07")
    for name in ("李娜", "马永健", "王强", "赵敏"):
        assert customer(after, name)["customer_id"] == customer(before, name)["customer_id"], name
    changes = after["Changes"]
    zhao_id = customer(after, "赵敏")["customer_id"]
    assert changes[changes["customer_id"] == zhao_id][["change", "field", "before", "after"]].values.tolist() == [
        ["changed", "phone", "+8613655556666", "+8613655557777"]]
    assert changes[changes["change"] == "new"]["customer_id"].tolist() == [customer(after, "陈静")["customer_id"]]


def test_the_archive_records_each_run_and_the_next_run_reads_it_not_the_workbook(week1):
    inputs, out, _ = week1
    run(inputs, out, "2025-01-07")
    with sqlite3.connect(out / "archive.sqlite") as con:
        runs = pd.read_sql_query("SELECT * FROM runs ORDER BY run_id", con)
        assert runs["status"].tolist() == ["done", "done"] and runs["as_of"].tolist() == ["2024-12-31", "2025-01-07"]
        assert runs["customers"].tolist() == [5, 4] and (runs["user"] != "").all()
        inputs_ = pd.read_sql_query("SELECT * FROM inputs WHERE run_id = 2", con)
        assert sorted(inputs_["path"]) == ["a.xlsx", "b.xlsx"] and inputs_["sha256"].str.len().eq(64).all()
        outputs = dict(con.execute("SELECT name, sha256 FROM outputs WHERE run_id = 2").fetchall())
        from sheetkit.outputset import sha256
        assert outputs == {n: sha256(out / n) for n in ("cleaned.xlsx", "report.html")}
        assert con.execute("SELECT count(*) FROM records WHERE 2 BETWEEN first_run AND last_run").fetchone()[0] == 5
        ledger = pd.read_sql_query("SELECT decision, decided_by, first_run, last_run FROM decisions", con)
        assert ledger[["decision", "first_run", "last_run"]].values.tolist() == [["same", 2, 2]]
    # Week 3 with the workbook gone: the archive alone carries the decision and the IDs.
    (out / "cleaned.xlsx").unlink()
    sheets = run(inputs, out, "2025-01-14")
    assert customer(sheets, "马永健")["sources"] == "a.xlsx › A; b.xlsx › B"
    assert sheets["Decisions"]["applied"].tolist() == ["yes"]


def test_the_archive_keeps_each_runs_records_when_a_row_above_renumbers_the_rest(tmp_path):
    """A row inserted at the top moves every record below it: most of last week's records
    end and are stored again; a week with nothing changed only moves them on."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    book(inputs / "a.xlsx", "A", A_ROWS)
    book(inputs / "b.xlsx", "B", [TONY])
    run(inputs, out, "2024-12-31")
    book(inputs / "a.xlsx", "A", [["陈静", "13612345678", "cj@qq.com", "东方书店"], *A_ROWS])
    run(inputs, out, "2025-01-07")
    run(inputs, out, "2025-01-14")  # nothing changed

    def rows_of(con, run_id):
        return sorted(con.execute("SELECT s.source_file, r.source_row FROM records r JOIN sheets s USING (sheet_id) "
                                  "WHERE ? BETWEEN r.first_run AND r.last_run", (run_id,)).fetchall())

    with sqlite3.connect(out / "archive.sqlite") as con:
        assert rows_of(con, 1) == [("a.xlsx", r) for r in range(2, 6)] + [("b.xlsx", 2)]
        assert rows_of(con, 2) == rows_of(con, 3) == [("a.xlsx", r) for r in range(2, 7)] + [("b.xlsx", 2)]
        assert con.execute("SELECT count(*) FROM records").fetchone()[0] == 5 + 5  # run 3 added none
        assert con.execute("SELECT count(*) FROM records WHERE first_run = 1 AND last_run = 3").fetchone()[0] == 1


def test_sheetkit_log_lists_the_runs(week1):
    inputs, out, _ = week1
    run(inputs, out, "2025-01-07")
    result = CliRunner().invoke(cli, ["log", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3 and "customers" in lines[0] and "health" in lines[0]
    assert "2024-12-31" in lines[1] and "2025-01-07" in lines[2] and "a.xlsx; b.xlsx" in lines[2]
    as_json = CliRunner().invoke(cli, ["log", str(out), "--json"])
    assert [json.loads(line)["customers"] for line in as_json.output.splitlines()] == [5, 4]


def test_log_of_a_folder_without_an_archive_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["log", str(tmp_path)])
    assert result.exit_code == 1 and "no sheetkit archive" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_report_shows_the_changes_and_the_tier_matrix(week1):
    inputs, out, _ = week1
    run(inputs, out, "2025-01-07")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="changes"' in html and "heatmap" in html and 'id="trend-customers"' in html


def test_history_keeps_only_keep_runs_copies(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    book(inputs / "a.xlsx", "A", A_ROWS)
    config = tmp_path / "sheetkit.toml"
    config.write_text("keep_runs = 2\n", encoding="utf-8")
    for day in ("2024-12-31", "2025-01-07", "2025-01-14", "2025-01-21", "2025-01-28"):
        run(inputs, out, day, "--config", str(config))
    assert len([p for p in (out / "history").iterdir()]) == 2
    with sqlite3.connect(out / "archive.sqlite") as con:
        assert con.execute("SELECT count(*) FROM runs WHERE status = 'done'").fetchone()[0] == 5


def test_a_users_own_cleaned_xlsx_is_never_moved_or_replaced(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    out.mkdir()
    book(inputs / "a.xlsx", "A", A_ROWS)
    book(out / "cleaned.xlsx", "Mine", [["我的", "13900000000", "", ""]])
    (out / "report.html").write_text("<html>my own notes</html>", encoding="utf-8")
    mine = (out / "cleaned.xlsx").read_bytes()
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "-q"])
    assert result.exit_code == 1 and "was not written by sheetkit" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert (out / "cleaned.xlsx").read_bytes() == mine and not (out / "history").exists()
    assert (out / "report.html").read_text(encoding="utf-8") == "<html>my own notes</html>"


def type_into(xlsx, sheet, column, value, row=2):
    wb = openpyxl.load_workbook(xlsx)
    ws = wb[sheet]
    ws.cell(row=row, column=[c.value for c in ws[1]].index(column) + 1).value = value
    wb.save(xlsx)


def test_a_decision_changed_in_decisions_is_a_new_one_and_a_cleared_one_is_withdrawn(week1):
    inputs, out, _ = week1
    first = run(inputs, out, "2025-01-07")["Decisions"]
    type_into(out / "cleaned.xlsx", "Decisions", "decision", "不同")
    second = run(inputs, out, "2025-01-14")
    assert customer(second, "Tony Ma")["sources"] == "b.xlsx › B"
    decisions = second["Decisions"]
    assert decisions[["decision", "applied"]].values.tolist() == [["different", "yes"]]
    assert decisions["decision_id"].item() != first["decision_id"].item()
    type_into(out / "cleaned.xlsx", "Decisions", "decision", None)
    third = run(inputs, out, "2025-01-21")
    assert third["Decisions"].empty
    with sqlite3.connect(out / "archive.sqlite") as con:
        assert con.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0


def test_each_owners_health_is_kept_per_run_and_shown_as_a_trend(tmp_path):
    shop = ROOT / "examples" / "shop"
    out = tmp_path / "out"
    run(shop, out, "2024-12-31")
    run(shop, out, "2025-03-31")  # later: more customers fall into the pool, freshness drops
    with sqlite3.connect(out / "archive.sqlite") as con:
        stats = pd.read_sql_query("SELECT * FROM owner_stats ORDER BY run_id", con)
    per_run = stats.groupby("run_id")["owner"].apply(set)
    assert len(per_run) == 2 and all({"张丽", "David"} <= owners for owners in per_run)
    pool = stats.pivot_table(index="owner", columns="run_id", values="in_pool")
    assert (pool.iloc[:, 1] >= pool.iloc[:, 0]).all() and (pool.iloc[:, 1] > pool.iloc[:, 0]).any()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="owner-trend-health_score"' in html and "张丽" in html.split('id="owner-trend-customers"')[1]


def test_last_weeks_run_is_taken_only_when_the_records_are_identified(schema):
    """The CLI reads the archive on a thread beside the sheets (4 s at 1M rows): the
    pipeline asks for the previous run once, after reading, normalising and validating."""
    stages, asked = [], []

    def previous():
        asked.append(list(stages))
        return None

    result = run_pipeline([make_grid([HEADER, *A_ROWS])], schema, PipelineConfig(), AS_OF,
                          progress=lambda stage, rows, seconds: stages.append(stage), previous=previous)
    assert asked == [["read", "normalise", "validate"]]
    assert len(result.customers) == 4 and result.previous is None
