"""The reader against a corpus of real-world files (tests/corpus.py), row by row.

Every non-blank row of every file must be in Lineage exactly once, as a customer or skipped
with the right reason; files that cannot be read must say why; text must come through exactly.
The corpus is built once per session; each case is one file, named by its builder in the ids.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from sheetkit import PipelineConfig, default_schema_path, load_schema, read_sources, run_pipeline
from sheetkit.workbook import read_workbook
from tests.corpus import CASES, File, build_corpus, column, expected_lineage, write_csv

AS_OF = pd.Timestamp("2024-12-31")
CUSTOMER_OUTCOMES = {"kept", "merged", "review"}
ROOT = Path(__file__).resolve().parent.parent

# Bugs in sheetkit these cases show, by (test, case): the test fails today (strict xfail).
# Empty now: the four the corpus found (a two-row header merged down, Traditional headers,
# GB18030 read as Big5, CSV cells over 131,072 characters) are fixed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def cases(test: str) -> list:
    """One parameter per corpus file, id'd by its builder's name, xfail where a bug is known."""
    params = []
    for c in CASES:
        reason = KNOWN_BUGS.get((test, c.build.__name__))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        params.append(pytest.param(c.path, id=c.build.__name__, marks=marks))
    return params


def _case_id(path: str) -> str:
    return next(c.build.__name__ for c in CASES if c.path == path)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, File]]:
    folder = tmp_path_factory.mktemp("corpus")
    return folder, build_corpus(folder)


@pytest.fixture(scope="session")
def sources(corpus):
    return read_sources([corpus[0]])


@pytest.fixture(scope="session")
def result(sources):
    return run_pipeline(sources.grids, load_schema(default_schema_path()), PipelineConfig(), AS_OF, sources.files)


def answer_for(corpus, path: str) -> File:
    answer = corpus[1][path]
    if answer.status == "unavailable":
        pytest.skip(answer.message)
    return answer


def rows_of(frame: pd.DataFrame, path: str, file_col: str = "source_file") -> pd.DataFrame:
    return frame[frame[file_col] == path]


# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", cases("status"))
def test_file_status_and_message(corpus, result, path):
    answer = answer_for(corpus, path)
    got = rows_of(result.files, path, "file")
    if answer.status != "read":
        assert len(got) == 1, got.to_dict("records")
        row = got.iloc[0]
        assert (row["sheet"], row["status"]) == ("", answer.status)
        assert answer.message in row["message"]
        return
    by_sheet = {r["sheet"]: r for r in got.to_dict("records")}
    assert sorted(by_sheet) == sorted(s.name for s in answer.sheets)
    for s in answer.sheets:
        row = by_sheet[s.name]
        assert row["status"] == s.status, f"sheet {s.name}: {row}"
        assert s.message in row["message"], f"sheet {s.name}: {row['message']!r}"
        if answer.message:
            assert answer.message in row["message"], f"sheet {s.name}: {row['message']!r}"
        header = None if pd.isna(row["header_row"]) else int(row["header_row"])
        assert header == s.header, f"sheet {s.name}: header row"
        assert row["customer_rows"] == len(s.customers), f"sheet {s.name}: customer rows"


@pytest.mark.parametrize("path", cases("rows"))
def test_every_row_is_accounted_for_once(corpus, result, path):
    answer = answer_for(corpus, path)
    lineage = rows_of(result.lineage, path)
    if answer.status != "read":
        assert lineage.empty, lineage.to_dict("records")
        return
    assert set(lineage["source_sheet"]) <= {s.name for s in answer.sheets}
    for s in answer.sheets:
        sheet = lineage[lineage["source_sheet"] == s.name]
        counts = Counter(sheet["source_row"].astype(int))
        assert not [r for r, n in counts.items() if n > 1], f"sheet {s.name}: rows in Lineage more than once"
        got = {int(r): ("customer" if o in CUSTOMER_OUTCOMES else f"{o}: {why}")
               for r, o, why in zip(sheet["source_row"], sheet["outcome"], sheet["reason"])}
        want = {r: "customer" for r in s.customers} | {r: f"skipped: {why}" for r, why in s.skipped.items()}
        wrong = {r: (want.get(r, "(not in Lineage)"), got.get(r, "(not in Lineage)"))
                 for r in sorted(set(got) | set(want)) if got.get(r) != want.get(r)}
        assert not wrong, f"sheet {s.name}, row: (expected, got): {wrong}"


@pytest.mark.parametrize("path", cases("text"))
def test_text_comes_through_exactly(corpus, sources, result, path):
    """Cells as read (leading zeros, emoji, 𠀀, control characters, line breaks), headers mapped
    onto the right fields, and values after normalising (phones, dates)."""
    answer = answer_for(corpus, path)
    grids = {g.sheet: g for g in sources.grids if g.file == path}
    if answer.status != "read":
        assert not grids
        return
    assert sorted(grids) == sorted(s.name for s in answer.sheets)
    records = rows_of(result.records, path)
    files = rows_of(result.files, path, "file").set_index("sheet")
    for s in answer.sheets:
        cells = grids[s.name].cells
        for (row, letter), text in s.cells.items():
            got = cells.at[row, column(letter)] if row in cells.index and column(letter) in cells.columns else None
            assert got == text, f"sheet {s.name} cell {letter}{row}: {got!r:.80} != {text!r:.80}"
        mapping = {m["header"]: m["field"] for m in files.at[s.name, "mapping"]}
        for header, f in s.mapping.items():
            assert mapping.get(header, "(no such header)") == f, f"sheet {s.name}: header {header!r} in {mapping}"
        sheet = records[records["source_sheet"] == s.name].set_index("source_row")
        for (row, f), value in s.values.items():
            got = sheet.at[row, f] if f in sheet.columns else f"(no column {f})"
            assert got == value, f"sheet {s.name} row {row} {f}: {got!r:.80} != {value!r:.80}"


@pytest.mark.parametrize("path", cases("issues"))
def test_issues_name_the_row_and_column(corpus, result, path):
    """error-cell and cell-too-long issues exactly where expected; unreadable files and sheets
    that are not customer lists reported."""
    answer = answer_for(corpus, path)
    issues = rows_of(result.issues, path)
    codes = Counter(issues["code"])
    if answer.status == "failed":
        assert codes["unreadable-file"] == 1
    if answer.status != "read":
        assert set(codes) <= {"unreadable-file"}, codes
        return
    cell_issues = issues[issues["code"].isin(["error-cell", "cell-too-long"])]
    got = sorted((c, s, int(r), col) for c, s, r, col in zip(cell_issues["code"], cell_issues["source_sheet"],
                                                              cell_issues["source_row"], cell_issues["column"]))
    want = sorted((code, s.name, row, col) for s in answer.sheets for code, row, col in s.issues)
    assert got == want
    not_lists = {s.name for s in answer.sheets if s.status == "skipped"}
    assert set(issues.loc[issues["code"] == "not-customer-sheet", "source_sheet"]) == not_lists


def test_a_csv_cell_over_the_csv_module_field_limit_does_not_lose_the_file(tmp_path):
    path = tmp_path / "huge_note.csv"
    write_csv(path, [["姓名", "手机", "备注"], ["程灵素", "13800000091", "长" * 140_000], ["胡斐", "13800000092", "短"]],
              "utf-8")
    [grid] = read_workbook(path)
    assert len(grid.cells.at[2, 2]) == 140_000 and grid.cells.at[3, 0] == "胡斐"


def test_every_file_in_the_folder_has_an_answer_and_a_line(corpus, result):
    folder, answers = corpus
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert on_disk == {name for name, a in answers.items() if a.status != "unavailable"}
    assert set(result.files["file"]) == on_disk
    accounted = {(f, s, int(r)) for f, s, r in zip(result.lineage["source_file"], result.lineage["source_sheet"],
                                                    result.lineage["source_row"])}
    assert accounted == set(expected_lineage(answers))


# ---------------------------------------------------------------------------------------------

def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


@pytest.fixture(scope="session")
def cli_run(corpus, tmp_path_factory):
    """`sheetkit run` on the corpus folder, as a user runs it, with a 3 GiB address-space
    limit and a 2-minute timeout: (the finished process, its output folder)."""
    out = tmp_path_factory.mktemp("cli") / "out"
    proc = subprocess.run([sys.executable, "-m", "sheetkit", "run", str(corpus[0]), "--out", str(out), "-q", "--json",
                           "--as-of", "2024-12-31"], capture_output=True, text=True, timeout=120,
                          preexec_fn=_limit_memory, cwd=ROOT)
    return proc, out


@pytest.fixture(scope="session")
def lineage_sheet(cli_run):
    proc, out = cli_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    return pd.read_excel(out / "cleaned.xlsx", sheet_name="Lineage", dtype=str, engine="openpyxl")


def test_command_line_run_over_the_whole_corpus_under_limits(corpus, cli_run):
    """The zip bomb, damaged, locked and fake files are refused with a line each, the run
    finishes (exit 0) within the limits, and the counts are the corpus's."""
    _, answers = corpus
    proc, out = cli_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = expected_lineage(answers)
    counts = json.loads(proc.stdout)
    n_customer = sum(1 for v in expected.values() if v == "customer")
    assert counts["rows"] == len(expected)
    assert counts["outcomes"]["skipped"] == len(expected) - n_customer
    assert sum(counts["outcomes"][o] for o in CUSTOMER_OUTCOMES) == n_customer
    assert counts["outcomes"]["rejected"] == 0
    failed = sorted(name for name, a in answers.items() if a.status == "failed")
    reported = sorted(line.split(": ")[1] for line in proc.stderr.splitlines() if line.startswith("error: "))
    assert reported == failed
    files = pd.read_excel(out / "cleaned.xlsx", sheet_name="Sources", dtype=str, engine="openpyxl").fillna("")
    status = {f: (st, msg) for f, s, st, msg in zip(files["file"], files["sheet"], files["status"], files["message"])
              if not s}
    for name, a in answers.items():
        if a.status in ("failed", "skipped"):
            assert status[name][0] == a.status and a.message in status[name][1], (name, status.get(name))


@pytest.mark.parametrize("path", cases("cli-lineage"))
def test_lineage_sheet_read_back_holds_exactly_the_expected_rows(corpus, lineage_sheet, path):
    answer = answer_for(corpus, path)
    mine = lineage_sheet[lineage_sheet["source_file"] == path]
    got = {(s, int(r)): ("customer" if o in CUSTOMER_OUTCOMES else why)
           for s, r, o, why in zip(mine["source_sheet"], mine["source_row"], mine["outcome"], mine["reason"])}
    assert len(got) == len(mine), "rows in Lineage more than once"
    want = {(s, r): v for (f, s, r), v in expected_lineage({path: answer}).items()}
    assert got == want


def test_names_survive_into_the_customers_sheet(corpus, cli_run):
    """Emoji, 𠀀 and the other names the corpus checks come out of cleaned.xlsx as they went in."""
    proc, out = cli_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    customers = pd.read_excel(out / "cleaned.xlsx", sheet_name="Customers", dtype=str, engine="openpyxl")
    names = {v for path, a in corpus[1].items() if (KNOWN_BUGS.get(("text", _case_id(path))) is None)
             for s in a.sheets for (row, f), v in s.values.items() if f == "name"}
    assert names and names <= set(customers["name"]), names - set(customers["name"])
