"""End to end: `sheetkit run` on examples/shop, outputs read back as a user's script would."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from sheetkit.cli import cli
from tests.golden import GOLDEN, SHOP, read_back, run_shop

LINEAGE_COLUMNS = ["source_file", "source_sheet", "source_row", "customer_id", "outcome", "reason"]
SHEETS = ["Customers", "Transactions", "Review", "Rejected", "Issues", "Lineage", "Summary", "Sources",
          "Decisions", "Provenance"]


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


def test_every_sheet_matches_the_reviewed_golden_csv(sheets):
    for name, frame in sheets.items():
        golden = pd.read_csv(GOLDEN / f"{name}.csv", dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(frame, golden, check_dtype=False, obj=name)


def test_formula_like_text_is_written_as_text(shop_out):
    wb = openpyxl.load_workbook(shop_out / "cleaned.xlsx")
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)
             and c.value.startswith(("=", "+", "@"))]
    assert cells, "the example has formula-like values"
    assert all(c.data_type == "s" for c in cells)


def test_workbook_is_styled_for_people(shop_out):
    wb = openpyxl.load_workbook(shop_out / "cleaned.xlsx")
    ws = wb["Customers"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
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
    assert sorted(own) == [f"{prefix}{name}" for name in (".sheetkit-output", "cleaned.xlsx", "report.html")]


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
    assert "review_threshold (-3.0) is above merge_threshold (-4.0)" in result.stderr
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
