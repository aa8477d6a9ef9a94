"""End to end: `sheetkit run` on examples/shop, outputs read back as a user's script would."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from sheetkit.cli import cli
from tests.golden import GOLDEN, SHOP, read_back, run_shop

LINEAGE_COLUMNS = ["source_file", "source_sheet", "source_row", "customer_id", "outcome", "reason"]
SHEETS = ["Customers", "Transactions", "Review", "Rejected", "Issues", "Lineage", "Summary", "Sources",
          "Decisions", "Provenance", "Owners", "Pool", "Verify", "Changes"]


@pytest.fixture(scope="module")
def shop_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("shop")
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in SHOP.iterdir()}
    run_shop(out)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in SHOP.iterdir()}
    assert after == digests, "sheetkit run modified an input file"
    return out


@pytest.fixture(scope="module")
def sheets(shop_out):
    return read_back(shop_out / "cleaned.xlsx")


def ref(r):
    return (r["file"], r["sheet"], int(r["row"]))


def lineage_map(sheets, column):
    lin = sheets["Lineage"]
    return {(f, s, int(r)): v for f, s, r, v in zip(lin.source_file, lin.source_sheet, lin.source_row, lin[column])}


def test_workbook_has_every_sheet_and_the_lineage_contract(sheets):
    assert list(sheets) == SHEETS
    # the contract's six columns first, in order; later columns are appended, never inserted
    assert list(sheets["Lineage"].columns[:6]) == LINEAGE_COLUMNS
    assert set(sheets["Lineage"]["outcome"]) <= {"kept", "merged", "review", "rejected", "skipped"}


def test_customer_count_and_merges_are_the_ones_the_example_readme_gives(sheets, shop_truth):
    assert len(sheets["Customers"]) == shop_truth["customers"]
    ids = lineage_map(sheets, "customer_id")
    group_ids = []
    for group in shop_truth["groups"]:
        members = {ids[ref(r)] for r in group}
        assert len(members) == 1 and "" not in members, f"rows of one customer split: {group}"
        group_ids.append(members.pop())
    assert len(set(group_ids)) == len(group_ids), "two customers were merged into one"
    assert set(group_ids) == set(sheets["Customers"]["customer_id"])
    for a, b in shop_truth["not_merged"]:
        assert ids[ref(a)] != ids[ref(b)]


def test_uncertain_pair_goes_to_review_and_bad_rows_are_rejected(sheets, shop_truth):
    outcome = lineage_map(sheets, "outcome")
    for a, b in shop_truth["review"]:
        assert outcome[ref(a)] == outcome[ref(b)] == "review"
    review = sheets["Review"]
    assert len(review) == len(shop_truth["review"])
    assert (review["decision"] == "").all()
    for r in shop_truth["rejected"]:
        assert outcome[ref(r)] == "rejected"
    assert len(sheets["Rejected"]) == len(shop_truth["rejected"])


def test_every_input_row_is_in_lineage_once(sheets, shop_truth):
    lin = sheets["Lineage"]
    keys = list(zip(lin.source_file, lin.source_sheet, lin.source_row.astype(int)))
    assert len(keys) == len(set(keys))
    customer_rows = {ref(r) for g in shop_truth["groups"] for r in g} | {ref(r) for r in shop_truth["rejected"]}
    not_blank = {ref(s) for s in shop_truth["skipped"] if s["reason"] != "blank"}
    assert set(keys) == customer_rows | not_blank
    outcome = lineage_map(sheets, "outcome")
    assert all(outcome[k] == "skipped" for k in not_blank)


def test_transactions_are_kept_per_order(sheets, shop_truth):
    tx = sheets["Transactions"]
    assert len(tx) == shop_truth["transactions"]
    assert pd.to_numeric(tx["amount"]).sum() == pytest.approx(shop_truth["transactions_total"])
    customers = sheets["Customers"].set_index("customer_id")
    ids = lineage_map(sheets, "customer_id")
    for expected in shop_truth["orders_by_customer"]:
        c = customers.loc[ids[ref(expected["customer"])]]
        assert int(c["order_count"]) == expected["orders"], expected["name"]
        assert float(c["total_amount"]) == pytest.approx(expected["total"]), expected["name"]
        assert float(c["amount_12m"]) == pytest.approx(expected["total_last_12_months"]), expected["name"]
        assert c["last_order_on"].startswith(expected["last_order"]), expected["name"]


def test_warned_rows_are_kept_and_flagged(sheets, shop_truth):
    issues = sheets["Issues"]
    found = set(zip(issues.source_file, issues.source_sheet, issues.source_row, issues.code))
    outcome = lineage_map(sheets, "outcome")
    for w in shop_truth["warnings"]:
        assert (w["file"], w["sheet"], str(w["row"]), w["code"]) in found
        assert outcome[ref(w)] in ("kept", "merged", "review")


def test_owners_are_the_ones_the_example_readme_gives(sheets, shop_truth):
    customers = sheets["Customers"].set_index("customer_id")
    ids = lineage_map(sheets, "customer_id")
    for o in shop_truth["owners"]:
        assert customers.loc[ids[ref(o["customer"])], "owner"] == (o["owner"] or ""), o["name"]
    owners = sheets["Owners"].set_index("owner")
    expected = {(o or "(no owner · 无负责人)"): n for o, n in shop_truth["customers_by_owner"].items()}
    assert owners["customers"].astype(int).to_dict() == expected
    assert owners.index[-1] == "(no owner · 无负责人)"
    pool = sheets["Pool"]
    assert owners["in_pool"].astype(int).sum() == len(pool)
    assert owners["to_verify"].astype(int).sum() == len(sheets["Verify"])


def test_pool_is_the_one_the_example_readme_gives(sheets, shop_truth):
    ids = lineage_map(sheets, "customer_id")
    expected = {ids[ref(p["customer"])]: p for p in shop_truth["pool"]}
    pool = sheets["Pool"]
    assert set(pool["customer_id"]) == set(expected) and len(pool) == len(expected)
    for row in pool.itertuples():
        p = expected[row.customer_id]
        assert row.former_owner == (p["former_owner"] or ""), p["name"]
        assert row.due_on[:10] == (p["due_on"] or ""), p["name"]
    pooled = sheets["Customers"].set_index("customer_id")["pool"]
    assert set(pooled[pooled != ""].index) == set(expected)


def test_verify_is_the_one_the_example_readme_gives_most_valuable_first(sheets, shop_truth):
    ids = lineage_map(sheets, "customer_id")
    expected = {ids[ref(v["customer"])]: v for v in shop_truth["verify"]}
    verify = sheets["Verify"]
    assert set(verify["customer_id"]) == set(expected) and len(verify) == len(expected)
    for row in verify.itertuples():
        v = expected[row.customer_id]
        assert row.ask == (v["ask"] or "no owner · 无负责人"), v["name"]
        for check in v["checks"]:  # "last confirmed 2024-01-05", "never confirmed", "phone 12345"
            assert check in row.check, (v["name"], row.check)
    value = list(zip(pd.to_numeric(verify["amount_12m"]).fillna(0), pd.to_numeric(verify["total_amount"]).fillna(0)))
    assert value == sorted(value, reverse=True)


def test_the_issue_tags_in_a_config_show_in_the_workbook_and_the_report(tmp_path, shop_truth):
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path), "--as-of", "2024-12-31", "--quiet",
                                      "--config", str(SHOP.parent / "tags.toml")])
    assert result.exit_code == 0, result.output
    sheets = read_back(tmp_path / "cleaned.xlsx")
    customers = sheets["Customers"]
    columns = list(customers.columns)
    assert columns[columns.index("tags") + 1:columns.index("tags") + 4] == ["tags_行为", "tags_行业", "tags_价值"]
    for tag, level in (("高活跃度", "行为"), ("医疗器械", "行业"), ("战略客户", "价值")):
        tagged = customers.loc[customers[f"tags_{level}"] == tag, "name"].tolist()
        assert sorted(tagged) == sorted(shop_truth["tags_toml"][tag]), tag
        assert customers["tags"].str.contains(tag).sum() == len(tagged)
        summary = sheets["Summary"]
        assert summary.loc[(summary["section"] == f"tag ({level})") & (summary["item"] == tag), "value"].tolist() \
            == [str(len(tagged))]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    section = html.split('id="tags"', 1)[1].split("</section>", 1)[0]
    assert "高活跃度" in section and "order_count_12m &gt;= 6 and days_since_order &lt;= 90" in section


def test_a_bad_tag_rule_stops_the_run_with_one_message_naming_it(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[[tags]]\nname = "高活跃度"\nlevel = "行为"\nwhen = "order_count_12m >= "\n\n'
                      '[[tags]]\nname = "x"\nlevel = "行为"\nwhen = "__import__(\'os\')"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path / "out"), "--config", str(config)])
    assert result.exit_code == 1
    assert 'tags[1] "高活跃度": position 20: expected a value' in result.output
    assert 'tags[2] "x": position 11: \'__import__\' is not a function' in result.output
    assert not (tmp_path / "out" / "cleaned.xlsx").exists()


def test_every_sheet_matches_the_reviewed_golden_csv(sheets):
    for name, frame in sheets.items():
        golden = pd.read_csv(GOLDEN / f"{name}.csv", dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(frame, golden, check_dtype=False, obj=name)


def test_formula_like_text_is_written_as_text(shop_out):
    wb = openpyxl.load_workbook(shop_out / "cleaned.xlsx")
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)
             and c.value.startswith(("=", "+", "-", "@"))]
    assert cells, "the example has formula-like values"
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)  # issue 16.4: stays text when edited or saved as CSV


def test_workbook_is_styled_for_people(shop_out):
    wb = openpyxl.load_workbook(shop_out / "cleaned.xlsx")
    ws = wb["Customers"]
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref  # header, and customer_id + name (issue 15.5)
    assert ws["A1"].font.b
    header = [c.value for c in ws[1]]
    date_col = header.index("last_contact_on") + 1
    dated = [ws.cell(r, date_col) for r in range(2, ws.max_row + 1) if ws.cell(r, date_col).value]
    assert dated and all(c.is_date and c.number_format == "yyyy-mm-dd" for c in dated)
    review = wb["Review"]
    assert any("same" in (dv.formula1 or "") for dv in review.data_validations.dataValidation)


def test_unreadable_file_is_named_on_stderr_and_the_run_goes_on(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path), "--as-of", "2024-12-31"])
    assert result.exit_code == 0
    assert "error: 损坏的文件.xlsx: damaged or not a real .xlsx file" in result.stderr
    assert "Traceback" not in result.output
    assert (tmp_path / "report.html").stat().st_size > 0


def test_json_output_matches_the_library_result(tmp_path, shop_result):
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path), "--as-of", "2024-12-31", "-q", "--json"])
    counts = json.loads(result.stdout)
    assert counts["customers"] == len(shop_result.customers)
    assert counts["rows"] == len(shop_result.lineage)
    assert counts["review_pairs"] == len(shop_result.review)


def test_fail_on_error_exits_3(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path), "-q", "--fail-on", "error"])
    assert result.exit_code == 3


def test_no_readable_input_is_a_one_line_error(tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.xlsx").write_bytes(b"")
    result = CliRunner().invoke(cli, ["run", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "error: empty.xlsx: the file is empty (0 bytes)" in result.stderr
    assert "Error: no readable spreadsheet found in" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # no empty archive written
    assert "normalise" not in result.stderr  # it stops before any stage runs


def test_progress_names_every_stage_with_rows_per_second_and_quiet_silences_it(tmp_path):
    # Issue 6: a long run says where it is, down to each file opened and the workbook written.
    loud = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path / "a"), "--as-of", "2024-12-31"])
    assert loud.exit_code == 0, loud.output
    lines = {line.split()[0]: line for line in loud.stderr.splitlines() if line.endswith("rows/s)") or "rows/s)  " in line}
    for stage in ("open", "read", "normalise", "validate", "dedupe", "segment", "report", "workbook"):
        assert stage in lines, loud.stderr
    assert "crm-export.csv" in loud.stderr.split("normalise")[0]  # each file as it is opened, before the stages
    quiet = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path / "b"), "--as-of", "2024-12-31", "-q"])
    assert quiet.exit_code == 0
    assert "rows/s" not in quiet.stderr
    assert "损坏的文件.xlsx" in quiet.stderr  # errors are still said


def test_bad_schema_and_config_are_reported_not_raised(tmp_path):
    schema = tmp_path / "s.yaml"
    schema.write_text("fields:\n  name: {kind: nonsense}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path), "--schema", str(schema)])
    assert result.exit_code == 1 and "kind 'nonsense' is not one of" in result.stderr
    config = tmp_path / "sheetkit.toml"
    config.write_text("merge_treshold = 5\nstale_days = 'x'\nthreads = -1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path), "--config", str(config)])
    assert result.exit_code == 1
    assert "unknown setting 'merge_treshold'" in result.stderr and "stale_days: expected int" in result.stderr
    assert "threads: expected 0 (one per core) or more, got -1" in result.stderr


def test_usage_mistakes_exit_2(tmp_path):
    assert CliRunner().invoke(cli, ["run", str(tmp_path / "missing")]).exit_code == 2
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--as-of", "31/12/2024"])
    assert result.exit_code == 2 and "is not a date like 2024-12-31" in result.stderr


def test_python_dash_m_works(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sheetkit", "run", str(SHOP), "--out", str(tmp_path), "-q"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "cleaned.xlsx").exists()


def test_outputs_are_readable_by_others_on_a_shared_drive(shop_out):
    for name in ("cleaned.xlsx", "report.html"):
        assert (shop_out / name).stat().st_mode & 0o044 == 0o044, name


@pytest.mark.parametrize("out", [".", "out"], ids=["out-is-the-input-folder", "out-inside-it"])
def test_output_beside_the_inputs_is_not_read_back_but_the_folder_still_is(tmp_path, out):
    folder = tmp_path / "客户"
    folder.mkdir()
    for p in SHOP.glob("*.xlsx"):
        (folder / p.name).write_bytes(p.read_bytes())
    runner = CliRunner()
    first = runner.invoke(cli, ["run", str(folder), "--out", str(folder / out), "-q", "--json"])
    second = runner.invoke(cli, ["run", str(folder), "--out", str(folder / out), "-q", "--json"])
    assert second.exit_code == 0, second.output
    assert json.loads(first.stdout) == json.loads(second.stdout)
    sources = read_back(folder / out / "cleaned.xlsx")["Sources"]
    own = sources[sources["message"] == "sheetkit's own output"]["file"].tolist()
    prefix = "" if out == "." else "out/"
    assert sorted(own) == [f"{prefix}{name}" for name in (".sheetkit-output", ".sheetkit.lock", "archive.sqlite",
                                                           "cleaned.xlsx", "report.html")]


def test_an_input_column_named_like_a_computed_one_is_kept_not_overwritten(tmp_path):
    src = tmp_path / "a.csv"
    src.write_text("Name,Phone,order_count,lifecycle\nAnn,13800001111,3,VIP\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(src), "--out", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0, result.output
    customers = read_back(tmp_path / "o" / "cleaned.xlsx")["Customers"]
    assert customers.loc[0, "order_count (input)"] == "3" and customers.loc[0, "lifecycle (input)"] == "VIP"
    assert customers.loc[0, "lifecycle"] == "prospect"


def test_header_override_onto_an_unknown_field_is_a_config_error(tmp_path):
    config = tmp_path / "sheetkit.toml"
    config.write_text('header_overrides = { "姓名" = "nmae" }\nmerge_threshold = -4.0\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path / "o"), "--config", str(config)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "review_threshold (-2.0) is above merge_threshold (-4.0)" in result.stderr
    config.write_text('header_overrides = { "姓名" = "nmae" }\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path / "o"), "--config", str(config)])
    assert result.exit_code == 1 and "'姓名' -> 'nmae'" in result.stderr


def test_unwritable_output_folder_is_a_one_line_error(tmp_path, monkeypatch):
    import tempfile as tf

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tf, "mkstemp", refuse)
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path), "-q"])
    assert result.exit_code == 1
    assert "Error: cannot write into" in result.stderr and "Permission denied" in result.stderr


def _must_not_read(monkeypatch):
    import sheetkit.cli

    def refuse(*args, **kwargs):
        raise AssertionError("an input was read before --out was checked")

    monkeypatch.setattr(sheetkit.cli, "read_sources", refuse)


@pytest.mark.parametrize("where, reason", [("file", "Not a directory"), ("proc", "No such file or directory")],
                         ids=["parent-is-a-file", "under-proc"])
def test_a_bad_out_is_reported_before_any_input_is_read(tmp_path, monkeypatch, where, reason):
    # Issue 15.2: a bad --out was said only after every stage had run (16 s at 100k rows).
    if where == "proc" and not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    out = tmp_path / "a.txt" / "out" if where == "file" else Path("/proc/sheetkit-out")
    _must_not_read(monkeypatch)
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [f"Error: cannot create the output folder {out}: {reason}"]


def test_an_out_that_cannot_be_written_into_is_reported_before_any_input_is_read(tmp_path, monkeypatch):
    import tempfile as tf

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    _must_not_read(monkeypatch)
    monkeypatch.setattr(tf, "mkstemp", refuse)  # a read-only folder, even for root
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path / "new" / "out")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: cannot write into the output folder {tmp_path / 'new' / 'out'}: " \
                                    "Permission denied"
    assert not (tmp_path / "new").exists()  # the folders it made to check are gone again


def test_ctrl_c_exits_130_and_leaves_no_half_written_output(tmp_path, monkeypatch):
    # Issue 15.8: Ctrl-C exited 1, the code for "the run could not be done".
    import sheetkit.writer

    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(out), "-q"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    write_sheet = sheetkit.writer._write_sheet

    def interrupted(book, formats, name, *args, **kwargs):
        if name == "Review":  # Customers and Transactions are written by then
            raise KeyboardInterrupt
        return write_sheet(book, formats, name, *args, **kwargs)

    monkeypatch.setattr(sheetkit.writer, "_write_sheet", interrupted)
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(out), "-q"])
    assert result.exit_code == 130 and "interrupted" in result.stderr and "Traceback" not in result.output
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".sheetkit.lock"}
    assert after == {k: v for k, v in before.items() if k != ".sheetkit.lock"}  # last week's, untouched
    fresh = tmp_path / "fresh"
    assert CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(fresh), "-q"]).exit_code == 130
    assert [p.name for p in fresh.iterdir()] == [".sheetkit-output"]  # no workbook, no .part left


@pytest.mark.slow
def test_sigint_during_a_run_exits_130_without_partial_files(tmp_path):
    import signal
    import time

    from tests.test_scaling import ROOT

    source = tmp_path / "customers.csv"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--rows", "20000", "--csv",
                    "--out", str(source), "--quiet"], check=True, capture_output=True, timeout=300)
    out = tmp_path / "out"
    # A suite started in the background (``cmd &`` in a script, nohup) passes SIGINT on as
    # ignored, and a program started so keeps ignoring Ctrl-C, as Python itself does: give
    # the run the terminal's default, as a user's shell would.
    proc = subprocess.Popen([sys.executable, "-m", "sheetkit", "run", str(source), "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for line in proc.stderr:  # wait until it is inside the stages
        if line.split()[:1] == ["normalise"]:
            break
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    assert proc.wait(timeout=120) == 130, rest
    assert "Traceback" not in rest and "interrupted" in rest
    assert not [p for p in out.rglob("*") if p.name.endswith(".part") or p.name in ("cleaned.xlsx", "report.html")]


def test_the_workbook_is_laid_out_for_reading_and_printing(shop_out):
    # Issue 15.5: what a person compares sits next to where they decide; panes keep who the
    # row is about in view; every sheet prints landscape, one page wide, header on each page.
    wb = openpyxl.load_workbook(shop_out / "cleaned.xlsx")
    review = [c.value for c in wb["Review"][1]]
    assert review[:11] == ["pair_id"] + [f"{s}_{f}" for f in ("name", "phone", "email", "company", "address")
                                          for s in ("left", "right")]
    assert review[11:15] == ["score", "agreed", "disagreed", "decision"]
    assert sorted(review) == sorted(pd.read_csv(GOLDEN / "Review.csv", nrows=0).columns)
    assert wb["Customers"].freeze_panes == "C2" and [c.value for c in wb["Customers"][1]][:2] == ["customer_id", "name"]
    assert wb["Review"].freeze_panes == "D2"
    for ws in wb:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
        assert ws.print_title_rows == "$1:$1", ws.title
    summary = wb["Summary"]
    longest = {col: max(len(str(c.value)) for c in summary[col] if c.value is not None) for col in "BC"}
    assert longest["C"] >= 60  # the segment rules' texts
    for col in "BC":  # wide enough for every item and value (the rules were cut at 8)
        assert summary.column_dimensions[col].width >= longest[col], col


def test_decision_dropdowns_offer_every_word_the_next_run_reads(shop_out):
    # Issue 15.3: the lists were strict and English only, so Excel refused 是, 不同 and 拆分.
    from sheetkit.stages.decisions import DIFFERENT, SAME, SPLIT, choices, parse_decisions

    wb = openpyxl.load_workbook(shop_out / "cleaned.xlsx")
    for sheet, allowed in (("Review", (SAME, DIFFERENT)), ("Lineage", (SPLIT, DIFFERENT)),
                           ("Decisions", (SAME, DIFFERENT))):
        header = [c.value for c in wb[sheet][1]]
        column = openpyxl.utils.get_column_letter(header.index("decision") + 1)
        rule, = wb[sheet].data_validations.dataValidation
        assert str(rule.sqref).startswith(f"{column}2")
        listed = rule.formula1.strip('"').split(",")
        assert listed == choices(allowed) and rule.errorStyle == "warning", sheet
        assert parse_decisions(pd.Series(listed), allowed).isin(allowed).all()
    assert {"是", "不同", "同一客户"} <= set(choices((SAME, DIFFERENT))) and "拆分" in choices((SPLIT, DIFFERENT))


def _on_a_terminal(args):
    """Run the CLI with stderr on a pseudo-terminal; what it wrote there."""
    import os
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "sheetkit", *args], stdout=subprocess.DEVNULL,
                            stderr=follower, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_long_stages_show_live_progress_on_a_terminal_only(tmp_path):
    # Issue 15.6: dedupe and the workbook write were silent for seconds.
    shown = _on_a_terminal(["run", str(SHOP), "--out", str(tmp_path / "a"), "--as-of", "2024-12-31"])
    assert "\r  dedupe     100%" in shown and "\r  workbook   100%" in shown
    assert "  workbook " in shown.split("\r  workbook   100%")[-1]  # then the stage's own line
    quiet = _on_a_terminal(["run", str(SHOP), "--out", str(tmp_path / "b"), "-q"])
    assert "\r" not in quiet.replace("\r\n", "\n") and "%" not in quiet
    piped = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path / "c")])  # stderr not a terminal
    assert piped.exit_code == 0 and "\r" not in piped.stderr and "%" not in piped.stderr


def test_a_ctrl_c_swallowed_on_the_way_still_stops_the_run_before_the_next_stage():
    # Python drops a KeyboardInterrupt raised inside an import's lock callback ("Exception
    # ignored") and the run went on to write its outputs; the next stage must stop it.
    import os
    import signal
    import time

    from sheetkit import interrupt
    from sheetkit.lang import load_messages
    from sheetkit.terminal import Voice

    before = signal.getsignal(signal.SIGINT)
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a foreground run (see above)
        interrupt.install()
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.1)
        except KeyboardInterrupt:
            pass  # swallowed, as the import machinery does
        with pytest.raises(KeyboardInterrupt):
            Voice(load_messages("en"), quiet=True).step("validate", 10, 0.1)
    finally:
        signal.signal(signal.SIGINT, before)
        interrupt._pressed = False
