"""The weekly loop: decisions made in Excel are applied and remembered, IDs stay, old outputs are kept."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from sheetkit import PipelineConfig, run_pipeline, write_outputs
from sheetkit.cli import cli
from sheetkit.history import read_previous
from sheetkit.lock import current_user
from tests.conftest import AS_OF, make_grid
from tests.golden import SHOP, read_back

NEXT_WEEK = "2025-01-07"
TODAY = dt.date.today().isoformat()


def run(out, *extra, as_of="2024-12-31"):
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(out), "--as-of", as_of, "-q", *extra])
    assert result.exit_code == 0, result.output
    return read_back(out / "cleaned.xlsx")


def fill(xlsx, sheet, column, where, value):
    """Type ``value`` into ``column`` of the rows of ``sheet`` where ``where(row)`` holds, as a person would."""
    wb = openpyxl.load_workbook(xlsx)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    hits = 0
    for row in ws.iter_rows(min_row=2):
        if where(dict(zip(header, (c.value for c in row)))):
            row[header.index(column)].value = value
            hits += 1
    wb.save(xlsx)
    assert hits, f"no {sheet} row to fill"


def customer_of(sheets, file, sheet, row):
    lin = sheets["Lineage"]
    hit = lin[(lin.source_file == file) & (lin.source_sheet == sheet) & (lin.source_row == str(row))]
    return hit["customer_id"].item()


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("week1")
    sheets = run(out)
    pair = sheets["Review"].iloc[0]
    return out, sheets, pair


def sides(pair):
    """(file, sheet, row) of both records of a Review pair, from its "file › sheet › row N" cells."""
    out = []
    for side in ("left", "right"):
        file, sheet, row = pair[f"{side}_source"].split(" › ")
        out.append((file, sheet, int(row.removeprefix("row "))))
    return out


@pytest.mark.parametrize("typed, merged", [("同一客户", True), ("否", False)])
def test_a_review_decision_is_applied_and_remembered_over_two_more_runs(tmp_path, first_run, typed, merged):
    week1, sheets, pair = first_run
    out = tmp_path / "out"
    out.mkdir()
    (out / "cleaned.xlsx").write_bytes((week1 / "cleaned.xlsx").read_bytes())
    fill(out / "cleaned.xlsx", "Review", "decision", lambda r: r["pair_id"] == pair["pair_id"], typed)
    a, b = sides(pair)
    weeks = ((NEXT_WEEK, out / "cleaned.xlsx"), ("2025-01-14", None))
    for week, previous in weeks if merged else weeks[:1]:
        # week 2 names the previous output; week 3 finds it in its own output folder
        sheets = run(out, *(["--previous", str(previous)] if previous else []), as_of=week)
        if previous:
            (out / ".sheetkit-output").write_text("")  # from here on the folder is sheetkit's
        assert (customer_of(sheets, *a) == customer_of(sheets, *b)) == merged
        assert sheets["Review"].empty, "a decided pair came back for review"
        decisions = sheets["Decisions"]
        # the day it was made and who made it, not the run's --as-of
        assert decisions[["decision", "applied", "decided_on", "decided_by"]].values.tolist() == [
            ["same" if merged else "different", "yes", TODAY, current_user()]]


def test_split_of_an_automatic_merge_gets_a_new_id_and_is_reported(tmp_path):
    out = tmp_path / "out"
    before = run(out)
    lin = before["Lineage"]
    target = lin[lin.outcome == "merged"].iloc[0]
    old_id = target["customer_id"]
    fill(out / "cleaned.xlsx", "Lineage", "decision",
         lambda r: (r["source_file"], r["source_sheet"], int(r["source_row"]))
         == (target.source_file, target.source_sheet, int(target.source_row)), "拆分")
    after = run(out, as_of=NEXT_WEEK)
    new_id = customer_of(after, target.source_file, target.source_sheet, target.source_row)
    assert new_id != old_id
    rest = lin[(lin.customer_id == old_id) & (lin.index != target.name)]
    assert {customer_of(after, *r) for r in zip(rest.source_file, rest.source_sheet, rest.source_row)} == {old_id}
    assert len(after["Customers"]) == len(before["Customers"]) + 1
    # remembered as one decision: the split, with the customer it was split from
    assert after["Decisions"][["decision", "applied", "right_customer_id", "left_customer_id"]].values.tolist() == [
        ["split", "yes", old_id, new_id]]
    assert len(new_id) == len(old_id) and "-" not in new_id  # an ID of the usual shape
    summary = after["Summary"]
    assert summary[summary.section == "id change"][["item", "value"]].values.tolist() == [
        [f"{old_id} → {new_id}", "split off (1 row)"]]
    lin2 = after["Lineage"].set_index(["source_file", "source_sheet", "source_row"])
    assert lin2.loc[(target.source_file, target.source_sheet, target.source_row), "previous_customer_id"] == old_id


def test_the_old_output_is_kept_in_history_and_not_read_as_input(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "客户.csv").write_text("姓名,手机\n张三,13812345678\n李四,13912345678\n", encoding="utf-8")
    out = folder / "out"
    for week in ("2024-12-31", NEXT_WEEK, "2025-01-14"):
        result = CliRunner().invoke(cli, ["run", str(folder), "--out", str(out), "--as-of", week, "-q"])
        assert result.exit_code == 0, result.output
    kept = sorted(p.name for p in (out / "history").iterdir())
    assert len(kept) == 2 and all((out / "history" / k / "cleaned.xlsx").is_file() for k in kept)
    from sheetkit.writer import current_umask
    # readable by the others on a shared drive, like the outputs themselves
    assert all((out / "history" / k).stat().st_mode & 0o777 == 0o777 & ~current_umask() for k in kept)
    sources = read_back(out / "cleaned.xlsx")["Sources"]
    from_output = sources[sources.file.str.startswith("out/")]
    assert set(from_output.message) == {"sheetkit's own output"}
    assert from_output.file.str.startswith("out/history/").sum() == 3  # week 2 kept: workbook, report, marker


@pytest.mark.parametrize("content, message", [
    (b"not a workbook at all", "not an .xlsx workbook"),
    (b"PK\x03\x04 truncated", "the file is damaged"),
])
def test_an_unreadable_previous_output_stops_with_one_clear_line(tmp_path, content, message):
    bad = tmp_path / "cleaned.xlsx"
    bad.write_bytes(content)
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path / "o"), "--previous", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot use the previous output {bad}: {message}")
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_a_workbook_that_is_not_a_sheetkit_output_is_refused(tmp_path):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path / "o"), "--previous", str(other)])
    assert result.exit_code == 1 and "not a sheetkit output" in result.output


# Customer IDs across runs, on the library (no CLI): rows added, reordered, edited.

HEADER = ["客户姓名", "手机", "邮箱", "公司名称"]
WEEK1 = [["张三", "13812345678", "zs@qq.com", "星辰科技"],
         ["张三", "138 1234 5678", "", "星辰科技"],
         ["李四", "13912345678", "ls@163.com", ""],
         ["王芳", "13712345678", "", "蓝海贸易"],
         ["赵敏", "15801234567", "zm@zy.com", "智远咨询"]]


def week(rows, schema, tmp_path, previous=None, name="run"):
    result = run_pipeline([make_grid([HEADER] + rows)], schema, PipelineConfig(), AS_OF, previous=previous)
    out = tmp_path / name
    write_outputs(result, out)
    return result, read_previous(out)


def ids_by_name(result):
    return dict(zip(result.customers["name"], result.customers["customer_id"]))


def test_unchanged_inputs_give_identical_ids_and_clusters(schema, tmp_path):
    first, prev = week(WEEK1, schema, tmp_path)
    again, _ = week(WEEK1, schema, tmp_path, prev, "again")
    pd.testing.assert_frame_equal(first.lineage[["source_row", "customer_id", "outcome"]],
                                  again.lineage[["source_row", "customer_id", "outcome"]])
    assert again.id_changes.empty


def test_ids_survive_rows_added_above_reordered_and_then_edited(schema, tmp_path):
    first, prev = week(WEEK1, schema, tmp_path)
    before = ids_by_name(first)
    # Week 2: a new customer on top, the rest reversed.
    rows = [["陈静", "13612345678", "cj@qq.com", ""]] + WEEK1[::-1]
    second, prev = week(rows, schema, tmp_path, prev, "week2")
    after = ids_by_name(second)
    assert {k: after[k] for k in before} == before and after["陈静"] not in before.values()
    # Week 3: 王芳's phone and company corrected where the row stands.
    rows[2] = ["王芳", "13712345679", "", "蓝海贸易集团"]
    third, _ = week(rows, schema, tmp_path, prev, "week3")
    assert ids_by_name(third) == after


def test_a_new_row_joining_a_customer_keeps_its_id_though_it_changes_the_hash(schema, tmp_path):
    first, prev = week(WEEK1, schema, tmp_path)
    rows = WEEK1 + [["张三", "13812345678", "", "Acme"]]  # a smaller company key: a fresh run hashes anew
    fresh = run_pipeline([make_grid([HEADER] + rows)], schema, PipelineConfig(), AS_OF)
    assert ids_by_name(fresh)["张三"] != ids_by_name(first)["张三"]
    later, _ = week(rows, schema, tmp_path, prev, "next")
    assert later.customers["customer_id"].tolist() == first.customers["customer_id"].tolist()


def test_two_customers_merged_by_a_decision_keep_one_id_and_say_so(schema, tmp_path):
    first, prev = week(WEEK1, schema, tmp_path)
    ids = ids_by_name(first)
    prev.decisions = pd.DataFrame([{"decision": "same", "left_source_file": "book.xlsx", "left_source_sheet": "Sheet1",
                                    "left_source_row": "5", "right_source_file": "book.xlsx",
                                    "right_source_sheet": "Sheet1", "right_source_row": "6"}])  # 王芳 and 赵敏
    merged, _ = week(WEEK1, schema, tmp_path, prev, "next")
    kept, gone = sorted([ids["王芳"], ids["赵敏"]])
    assert merged.lineage.set_index("source_row").loc[[5, 6], "customer_id"].tolist() == [kept, kept]
    assert merged.id_changes.values.tolist() == [[gone, kept, "merged into", 1]]
    assert set(merged.customers["customer_id"]) == set(ids.values()) - {gone}


def test_a_decisions_csv_and_an_output_of_an_older_version_still_work(schema, tmp_path):
    first, prev = week(WEEK1, schema, tmp_path)
    ids = ids_by_name(first)
    # An output written before record keys existed: places only.
    prev.lineage = prev.lineage.drop(columns=["record_key", "decision", "previous_customer_id"], errors="ignore")
    csv = tmp_path / "decisions.csv"
    csv.write_text("decision,left_source_file,left_source_sheet,left_source_row,right_source_file,"
                   "right_source_sheet,right_source_row\n不同,book.xlsx,Sheet1,2,book.xlsx,Sheet1,3\n", encoding="utf-8")
    prev.decisions = read_previous(csv).decisions
    later, _ = week(WEEK1, schema, tmp_path, prev, "next")
    rows = later.lineage.set_index("source_row")
    assert rows.loc[2, "customer_id"] != rows.loc[3, "customer_id"]  # the two 张三 rows, told apart
    assert ids["张三"] in (rows.loc[2, "customer_id"], rows.loc[3, "customer_id"])
    assert {k: v for k, v in ids_by_name(later).items() if k != "张三"} == {k: v for k, v in ids.items() if k != "张三"}
    assert later.decisions["applied"].tolist() == ["yes"]


def test_two_files_of_one_name_in_different_folders_are_told_apart(tmp_path):
    import openpyxl
    import pandas as pd
    from click.testing import CliRunner

    from sheetkit.cli import cli
    for folder, rows in (("a", [["张三", "13812345678", "上海"], [None, None, "北京"]]),
                         ("b", [["李四", "13912345678", "杭州"]])):
        (tmp_path / folder).mkdir()
        book = openpyxl.Workbook()
        book.active.title = "S"
        book.active.append(["姓名", "手机", "城市"])
        for row in rows:
            book.active.append(row)
        book.save(tmp_path / folder / "c.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "a" / "c.xlsx"), str(tmp_path / "b" / "c.xlsx"),
                                      "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    lineage = pd.read_excel(out / "cleaned.xlsx", sheet_name="Lineage", engine="openpyxl")
    assert set(lineage["source_file"]) == {"a/c.xlsx", "b/c.xlsx"}
    assert (lineage["outcome"] == "rejected").sum() == 1


@pytest.mark.parametrize("typed", [2.5, 1e20, "row 3"])
def test_a_hand_edited_row_number_in_last_weeks_lineage_is_one_warning_not_a_traceback(tmp_path, typed):
    out = tmp_path / "out"
    before = run(out)
    lineage = before["Lineage"]
    first = lineage[lineage.outcome != "skipped"].iloc[0]
    fill(out / "cleaned.xlsx", "Lineage", "source_row", lambda r: r["source_row"] == int(first.source_row)
         and r["source_file"] == first.source_file and r["source_sheet"] == first.source_sheet, typed)
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(out), "--as-of", "2024-12-31", "-q"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "source_row is not a row number" in line]
    assert len(warnings) == 1 and "Lineage row" in warnings[0] and "Traceback" not in result.output
    after = read_back(out / "cleaned.xlsx")["Lineage"]
    # every customer keeps its ID: the edited record is found by its content
    key = ["source_file", "source_sheet", "source_row"]
    assert after.set_index(key)["customer_id"].equals(lineage.set_index(key)["customer_id"].reindex(
        after.set_index(key).index))
