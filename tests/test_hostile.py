"""Hostile files on a shared drive (issue 16): one bad file never stops the run. Each case sits
beside a good file, whose rows must come through; the bad one gets one line on stderr."""

from __future__ import annotations

import io
import os
import re
import resource
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from sheetkit import zipguard
from sheetkit.errors import SourceError
from sheetkit.pipeline import read_sources
from sheetkit.workbook import read_workbook

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop"
GOOD = SHOP / "crm-export.csv"


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def sheetkit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The CLI in a child process under a 3 GB memory limit: an abort there fails the test only."""
    return subprocess.run([sys.executable, "-m", "sheetkit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, preexec_fn=_limit_memory)


def far_cell(path: Path, ref: str = "AEH279288", written: str = '<c r="{}"') -> Path:
    """sales-david.xlsx with its last cell moved to ``ref``, its reference ``written`` so."""
    out = io.BytesIO()
    with zipfile.ZipFile(SHOP / "sales-david.xlsx") as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="H13"', written.format(ref).encode())
            zout.writestr(info.filename, data)
    path.write_bytes(out.getvalue())
    return path


def folder_with(tmp_path: Path, name: str, data: bytes | None = None) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / GOOD.name).write_bytes(GOOD.read_bytes())
    if data is not None:
        (folder / name).write_bytes(data)
    return folder


def good_rows(out: Path) -> int:
    lineage = pd.read_excel(out / "cleaned.xlsx", sheet_name="Lineage", dtype=str, engine="openpyxl")
    return int((lineage["source_file"] == GOOD.name).sum())


@pytest.mark.parametrize("ref", ["AEH279288", "XFD1048576", "A99999999"])
def test_a_far_cell_is_read_sparsely_and_keeps_its_rows(tmp_path, ref):
    path = far_cell(tmp_path / "far.xlsx", ref)
    [grid] = read_workbook(path)
    assert "read cell by cell" in grid.notes[0]
    assert grid.cells.index[-1] == int(re.sub(r"[A-Z]", "", ref))
    assert grid.cells.loc[2].dropna().iloc[0] == "张伟" or len(grid.cells) == 14
    [plain] = read_workbook(SHOP / "sales-david.xlsx")
    assert grid.cells.shape[1] <= plain.cells.shape[1] + 1  # its own columns and the far one's, not 20,000


@pytest.mark.parametrize("written", ['<c r = "{}"', '<c r=\n"{}"', "<c\tr='{}'"])
def test_a_far_cell_is_found_however_its_reference_is_spaced(tmp_path, written):
    # legal XML; a reader takes it as any other cell, so it must not slip past the guard
    path = far_cell(tmp_path / "far.xlsx", written=written)
    far = zipguard.check_xlsx(path, "far.xlsx")
    assert far["xl/worksheets/sheet1.xml"].sparse


def test_a_far_cell_does_not_abort_run_check_infer_or_the_next_run(tmp_path):
    folder = folder_with(tmp_path, "x")
    far_cell(folder / "far.xlsx")
    out = tmp_path / "out"
    done = sheetkit("run", str(folder), "-o", str(out), "--as-of", "2024-12-31", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert good_rows(out) == 7
    lineage = pd.read_excel(out / "cleaned.xlsx", sheet_name="Lineage", dtype=str, engine="openpyxl")
    assert "279288" in set(lineage.loc[lineage["source_file"] == "far.xlsx", "source_row"])
    assert sheetkit("check", str(folder), cwd=tmp_path).returncode == 0
    assert sheetkit("schema", "infer", str(folder / "far.xlsx"), cwd=tmp_path).returncode == 0
    # The same file as last week's output: read with the same guard, refused with one line.
    far_cell(out / "cleaned.xlsx")
    again = sheetkit("run", str(folder), "-o", str(out), "--as-of", "2024-12-31", cwd=tmp_path)
    assert "Traceback" not in again.stderr and again.returncode in (0, 1)


def _lying(path: Path, inflated: int, declared: int = 1 << 20) -> Path:
    """An xlsx whose sheet inflates to ``inflated`` bytes but declares ``declared`` in both headers."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as fh:
            block = b"<row/>" * (1 << 16)
            for _ in range(inflated // len(block)):
                fh.write(block)
    data = bytearray(path.read_bytes())
    for sig, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for m in re.finditer(re.escape(sig), bytes(data)):
            data[m.start() + at:m.start() + at + 4] = struct.pack("<I", declared)
    path.write_bytes(bytes(data))
    return path


def test_a_zip_entry_that_lies_about_its_size_is_refused_by_what_it_inflates_to(tmp_path):
    path = _lying(tmp_path / "lie.xlsx", 300 << 20)
    started = time.perf_counter()
    with pytest.raises(SourceError, match=r"refused: it unpacks to more than 100 times its size"):
        read_workbook(path)
    assert time.perf_counter() - started < 10


def test_a_bomb_split_into_many_entries_is_refused_by_the_total(tmp_path, monkeypatch):
    monkeypatch.setattr(zipguard, "MAX_UNZIPPED_BYTES", 8 << 20)
    monkeypatch.setattr(zipguard, "RATIO_FLOOR", 1 << 20)
    path = tmp_path / "split.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(60):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", b"<row/>" * (200_000))
    with pytest.raises(SourceError, match=r"refused: it says it unpacks to more than 8 MiB"):
        read_workbook(path)
    data = bytearray(path.read_bytes())  # the same, declaring 1 byte a part: counted as inflated
    for m in re.finditer(rb"PK\x01\x02", bytes(data)):
        data[m.start() + 24:m.start() + 28] = struct.pack("<I", 1)
    path.write_bytes(bytes(data))
    with pytest.raises(SourceError, match=r"more than 100 times its size|more than 8 MiB, the limit"):
        read_workbook(path)
    monkeypatch.setattr(zipguard, "MAX_ZIP_RATIO", 10 ** 6)
    with pytest.raises(SourceError, match=r"refused: it unpacks to more than 8 MiB, the limit per file"):
        read_workbook(path)


def test_a_bomb_in_the_folder_leaves_the_good_file(tmp_path):
    folder = folder_with(tmp_path, "x")
    _lying(folder / "bomb.xlsx", 300 << 20)
    out = tmp_path / "out"
    done = sheetkit("run", str(folder), "-o", str(out), "--as-of", "2024-12-31", cwd=tmp_path)
    assert done.returncode == 0 and good_rows(out) == 7
    assert [line for line in done.stderr.splitlines() if "bomb.xlsx" in line] == [
        line for line in done.stderr.splitlines() if line.startswith("error: bomb.xlsx: refused")]


def test_a_named_pipe_is_skipped_not_waited_for(tmp_path):
    folder = folder_with(tmp_path, "x")
    os.mkfifo(folder / "pipe.csv")
    done = sheetkit("check", str(folder / "pipe.csv"), str(folder / GOOD.name), cwd=tmp_path)
    assert done.returncode == 0
    assert "skipped: pipe.csv: not a regular file: a named pipe (FIFO)" in done.stderr
    status = {f["file"]: (f["status"], f["message"]) for f in read_sources([folder]).files}
    assert status["pipe.csv"] == ("skipped", "not a regular file: a named pipe (FIFO)")
    with pytest.raises(SourceError, match="not a regular file"):
        read_workbook(folder / "pipe.csv")


def test_links_are_followed_only_inside_the_folders_given(tmp_path):
    folder = folder_with(tmp_path, "x")
    (folder / "passwd.csv").symlink_to("/etc/passwd")
    (folder / "etc").symlink_to("/etc")
    sub = folder / "sub"
    sub.mkdir()
    (tmp_path / "other.csv").write_text("姓名,手机\n王五,13712345678\n", encoding="utf-8")
    (sub / "inside.csv").symlink_to(folder / GOOD.name)
    sources = read_sources([folder])
    files = sorted(g.file for g in sources.grids)
    status = {f["file"]: f["message"] for f in sources.files}
    assert status["passwd.csv"] == "symbolic link to /etc/passwd, outside the folders given (not followed)"
    assert "outside the folders given" in status["etc"]
    assert status["sub/inside.csv"] == f"identical copy of {GOOD.name}"  # followed, then known as a copy
    assert files == [GOOD.name]
    named = read_sources([folder / "passwd.csv"])  # named by the user: followed
    assert named.files == []


def test_html_starting_with_meta_is_refused_like_html(tmp_path):
    folder = folder_with(tmp_path, "page.xls", b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
                         b"<table><tr><td>x</td></tr></table>")
    with pytest.raises(SourceError, match=r"web page \(HTML\)"):
        read_workbook(folder / "page.xls")
    (folder / "note.csv").write_text('name,note\n张三,"<table> in a cell"\n', encoding="utf-8")
    assert read_workbook(folder / "note.csv")[0].cells.loc[2, 1] == "<table> in a cell"


def test_a_line_of_a_million_commas_reads_in_proportion(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("姓名,手机\n张三,13812345678\n" + "," * 1_000_000 + "\n李四,13912345678\n", encoding="utf-8")
    started = time.perf_counter()
    [grid] = read_workbook(path)
    assert time.perf_counter() - started < 5
    assert list(grid.cells.columns) == [0, 1] and grid.cells.loc[4].tolist() == ["李四", "13912345678"]


def test_a_sheet_16384_columns_wide_keeps_only_its_used_columns(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("wide")
    ws.append(["姓名", "手机"] + [None] * 16381 + ["x"])
    for i in range(4):
        ws.append([f"客户{i}", f"1381234567{i}"])
    wb.save(tmp_path / "wide.xlsx")
    started = time.perf_counter()
    [grid] = read_workbook(tmp_path / "wide.xlsx")
    assert time.perf_counter() - started < 5
    assert list(grid.cells.columns) == [0, 1, 16383]


def test_fuzzed_example_files_end_cleanly():
    """Seeded mutations of examples/shop, in a child process under a memory limit (an abort
    fails this test, not the suite): every case reads or is refused with one line."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fuzz_files.py"), "--cases", "200",
                           "--seed", "16"], capture_output=True, text=True, timeout=300, preexec_fn=_limit_memory)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 bugs" in done.stdout
