"""Reading real-world files: text kept exactly, encodings detected, broken files refused cleanly."""

from __future__ import annotations

import datetime as dt
import gc
import weakref

import openpyxl
import pandas as pd
import pytest

from sheetkit import PipelineConfig, load_schema, pipeline, run_pipeline, workbook
from sheetkit.errors import SourceError
from sheetkit.pipeline import read_sources
from sheetkit.resources import default_schema_path
from sheetkit.workbook import read_workbook
from sheetkit.writer import EXCEL_MAX_CELL, write_workbook
from tests.corpus import zip_bomb


def test_numbers_dates_and_leading_zeros_come_back_as_the_user_typed_them(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户"
    ws["B3"] = "名单"
    ws.merge_cells("B3:D3")
    ws.append([])
    ws["B5"], ws["C5"], ws["D5"], ws["E5"] = "姓名", "手机", "邮编", "日期"
    ws["B6"], ws["C6"], ws["D6"], ws["E6"] = "张三", 13812345678, "021100", dt.date(2023, 1, 5)
    ws["B7"], ws["C7"], ws["D7"], ws["E7"] = "李四", "02112345678", 1.5, dt.datetime(2023, 1, 5, 9, 30)
    path = tmp_path / "a.xlsx"
    wb.save(path)
    [grid] = read_workbook(path)
    cells = grid.cells
    assert grid.sheet == "客户"
    assert cells.loc[3].tolist()[:3] == ["名单", "名单", "名单"]  # merged title filled across
    assert cells.loc[6].tolist() == ["张三", "13812345678", "021100", "2023-01-05"]
    assert cells.loc[7].tolist() == ["李四", "02112345678", "1.5", "2023-01-05 09:30:00"]



@pytest.mark.parametrize("threaded_from", [1, 10**9], ids=["columns-on-threads", "columns-in-turn"])
def test_cells_of_spaces_read_as_empty_and_text_keeps_its_spaces(tmp_path, monkeypatch, threaded_from):
    monkeypatch.setattr(workbook, "_THREADED_ROWS", threaded_from)  # long sheets convert columns on the cores
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "备注", "日期", "签约"])
    wb.active.append(["\u3000 ", " 张三 ", "2023-01-05 00:00:00x", dt.datetime(2023, 1, 5)])
    wb.save(tmp_path / "a.xlsx")
    [grid] = read_workbook(tmp_path / "a.xlsx")
    assert grid.cells.loc[2].tolist() == [None, " 张三 ", "2023-01-05 00:00:00x", "2023-01-05"]

SIMPLIFIED = "客户姓名,手机,地址\n张伟,13812345678,北京市海淀区中关村大街1号\n王芳,13912345678,上海市浦东新区张江路2号\n"
TRADITIONAL = "客戶姓名,手機,地址\n張偉,13812345678,台北市信義區松仁路1號\n王芳,13912345678,台北市大安區復興南路2號\n"


@pytest.mark.parametrize("encoding, text", [("utf-8", SIMPLIFIED), ("utf-8-sig", SIMPLIFIED), ("gb18030", SIMPLIFIED),
                                            ("big5", TRADITIONAL), ("utf-16", SIMPLIFIED)],
                         ids=["utf-8", "utf-8-bom", "gb18030", "big5", "utf-16"])
def test_csv_encodings_are_detected(tmp_path, encoding, text):
    path = tmp_path / "c.csv"
    path.write_bytes(text.encode(encoding))
    [grid] = read_workbook(path)
    expected = [line.split(",") for line in text.strip().split("\n")]
    assert [grid.cells.loc[i + 1].tolist() for i in range(3)] == expected


def test_csv_delimiters_and_multiline_fields_keep_record_numbers(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text('name;phone;notes\n"Li";"138 1234 5678";"line one\nline two"\n"Wang";"13912345678";\n',
                    encoding="utf-8")
    [grid] = read_workbook(path)
    assert grid.cells.loc[2].tolist() == ["Li", "138 1234 5678", "line one\nline two"]
    assert grid.cells.loc[3, 0] == "Wang"  # record 3, although it starts on line 4


def test_excel_unicode_text_is_tab_separated_utf16(tmp_path):
    path = tmp_path / "u.txt"
    path.write_bytes("姓名\t手机\r\n张三\t13812345678\r\n".encode("utf-16"))
    [grid] = read_workbook(path)
    assert grid.cells.loc[2].tolist() == ["张三", "13812345678"]


def test_a_csv_named_xlsx_is_read_as_csv_and_says_so(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("姓名,手机\n张三,13812345678\n", encoding="utf-8")
    [grid] = read_workbook(path)
    assert grid.cells.loc[2, 0] == "张三"
    assert "read as CSV" in grid.notes[0]


def _truncated(tmp_path):
    good = tmp_path / "good.xlsx"
    openpyxl.Workbook().save(good)
    data = good.read_bytes()
    return data[: len(data) // 2]


@pytest.mark.parametrize("name, make, message", [
    ("empty.xlsx", lambda p, t: p.write_bytes(b""), "the file is empty (0 bytes)"),
    ("garbage.xlsx", lambda p, t: p.write_bytes(b"\x00\x01\x02garbage\xff" * 3), "damaged or not a real .xlsx file"),
    ("page.xls", lambda p, t: p.write_text("<html><table><tr><td>x</td></tr></table></html>"), "web page (HTML)"),
    ("cut.xlsx", lambda p, t: p.write_bytes(_truncated(t)), "the file is damaged: incomplete or corrupt"),
    ("bomb.xlsx", lambda p, t: zip_bomb(p), "zip bomb"),
], ids=["empty", "garbage", "html-as-xls", "truncated-zip", "zip-bomb"])
def test_bad_files_are_refused_with_one_line_naming_the_file(tmp_path, name, make, message):
    path = tmp_path / name
    make(path, tmp_path)
    with pytest.raises(SourceError) as err:
        read_workbook(path)
    assert message in str(err.value) and str(err.value).startswith(name)
    assert "\n" not in str(err.value)


def test_password_protected_workbook(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "手机"])
    wb.active.append(["张三", "13812345678"])
    wb.save(plain)
    locked = tmp_path / "locked.xlsx"
    with open(plain, "rb") as src, open(locked, "wb") as dst:
        OOXMLFile(src).encrypt("secret", dst)
    with pytest.raises(SourceError, match="password-protected; pass --password"):
        read_workbook(locked)
    with pytest.raises(SourceError, match="password does not open"):
        read_workbook(locked, password="wrong")
    [grid] = read_workbook(locked, password="secret")
    assert grid.cells.loc[2].tolist() == ["张三", "13812345678"]


def test_folder_skips_lock_junk_copies_and_keeps_good_files(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "手机"])
    wb.active.append(["张三", "13812345678"])
    wb.save(tmp_path / "a.xlsx")
    (tmp_path / "a - 副本.xlsx").write_bytes((tmp_path / "a.xlsx").read_bytes())
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    (tmp_path / "Thumbs.db").write_bytes(b"x")
    (tmp_path / "notes.docx").write_bytes(b"x")
    (tmp_path / "broken.xlsx").write_bytes(b"")
    sub = tmp_path / "2024"
    sub.mkdir()
    (sub / "b.csv").write_text("姓名,手机\n李四,13912345678\n", encoding="utf-8")
    got = read_sources([tmp_path])
    files = sorted(g.file for g in got.grids)  # reading fills in the files that fail
    status = {f["file"]: (f["status"], f["message"]) for f in got.files}
    assert status["a - 副本.xlsx"] == ("skipped", "identical copy of a.xlsx")
    assert status["~$a.xlsx"] == ("skipped", "Office lock file")
    assert status["Thumbs.db"][0] == status["notes.docx"][0] == "skipped"
    assert status["broken.xlsx"] == ("failed", "the file is empty (0 bytes)")
    assert files == ["2024/b.csv", "a.xlsx"]


def test_a_folder_is_read_one_file_at_a_time_and_every_file_is_accounted_for(tmp_path, monkeypatch):
    # Issue 6: memory must not grow with the number of files, so a file's cells are let go
    # before the next file is read, and failures found on the way still reach the Sources sheet.
    for i in range(4):
        (tmp_path / f"{i}.csv").write_text(f"姓名,手机\n客户{i},1381234567{i}\n", encoding="utf-8")
    (tmp_path / "2.csv").write_bytes(b"")  # fails when its turn comes
    (tmp_path / "1a.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))  # a cut-off old .xls
    (tmp_path / "1b.docx").write_bytes(b"x")  # skipped before anything is read
    alive, seen = [], []
    extract = pipeline.extract_sheet

    def watch(grid, *args):
        gc.collect()
        seen.append(sum(ref() is not None for ref in alive))
        alive.append(weakref.ref(grid))
        return extract(grid, *args)

    monkeypatch.setattr(pipeline, "extract_sheet", watch)
    sources = read_sources([tmp_path])
    assert sources.to_read == 5
    result = run_pipeline(sources.take_grids(), load_schema(default_schema_path()), PipelineConfig(),
                          pd.Timestamp("2024-12-31"), sources.files)
    assert seen == [0, 0, 0]  # no earlier file's sheet was still held when the next was extracted
    # Files that are not read come first, in the order they were found, whenever they failed.
    assert list(zip(result.files["file"], result.files["status"])) == [
        ("1a.xls", "failed"), ("1b.docx", "skipped"), ("2.csv", "failed"),
        ("0.csv", "read"), ("1.csv", "read"), ("3.csv", "read")]
    assert "damaged" in result.files["message"][0]
    assert sorted(result.customers["name"]) == ["客户0", "客户1", "客户3"]


def test_writer_keeps_formulas_as_text_truncates_huge_cells_and_leaves_no_partial_file(tmp_path):
    frame = pd.DataFrame({"name": ["=1+1", "+86 138", "@SUM(A1)", "x" * (EXCEL_MAX_CELL + 10)]})
    out = tmp_path / "o.xlsx"
    truncated = write_workbook({"S": frame}, out)
    assert truncated == {"S": 1}
    ws = openpyxl.load_workbook(out)["S"]
    assert [c.data_type for c in ws["A"][1:]] == ["s", "s", "s", "s"]
    assert ws["A2"].value == "=1+1" and len(ws["A5"].value) == EXCEL_MAX_CELL
    assert [p.name for p in tmp_path.iterdir()] == ["o.xlsx"]


def test_a_frame_longer_than_a_sheet_continues_on_the_next(monkeypatch, tmp_path):
    import sheetkit.writer as w
    monkeypatch.setattr(w, "EXCEL_MAX_ROWS", 3)
    out = tmp_path / "o.xlsx"
    write_workbook({"Lineage": pd.DataFrame({"source_row": range(2, 9)})}, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Lineage", "Lineage (2)", "Lineage (3)"]
    rows = [r[0] for name in wb.sheetnames for r in wb[name].iter_rows(min_row=2, values_only=True)]
    assert rows == list(range(2, 9))


# Issue 15: text files that were refused, misread or lost rows --------------------------------

def _run(paths, tmp_path=None):
    sources = read_sources(paths)
    return run_pipeline(sources.grids, load_schema(default_schema_path()), PipelineConfig(),
                        pd.Timestamp("2024-12-31"), sources.files)


def test_a_byte_that_is_not_utf8_is_replaced_and_its_row_named_and_escapes_never_reach_outputs(tmp_path):
    path = tmp_path / "bad.csv"
    body = "姓名,手机\n张伟,13812345678\n\x1b]0;pwned\x07王倩,13612345678\n李\x00娜,13712345678\n"
    path.write_bytes(body.encode().replace("张伟".encode(), "张".encode() + b"\xff"))
    result = _run([path])
    assert list(result.lineage["source_row"]) == [1, 2, 3, 4]
    assert sorted(result.records["name"]) == ["张\ufffd", "李娜", "王倩"]
    issues = result.issues[result.issues["code"] == "undecodable-text"]
    assert [(int(r), c) for r, c in zip(issues["source_row"], issues["column"])] == [(2, "姓名")]


@pytest.mark.parametrize("encoding, text, note", [
    ("iso-8859-1", "Name,Phone,Notes\nJohn Smith,+442079460958,© 2024\n", "cp1252"),
    ("iso-8859-7", "Name,Phone\nΆννα Νικολάου,+302107654321\n", "iso8859_7"),
    ("cp1251", "Name,Phone\nСергей Иванов,+74951234567\n", "cp1251"),
], ids=["latin-1-copyright", "greek", "cyrillic"])
def test_a_short_single_byte_file_is_read_in_its_encoding_and_the_guess_is_reported(tmp_path, encoding, text, note):
    path = tmp_path / "short.csv"
    path.write_bytes(text.encode(encoding))
    [grid] = read_workbook(path)
    assert grid.cells.loc[2, 0] == text.split("\n")[1].split(",")[0]
    assert f"text encoding {note}" in grid.notes
    [issue] = grid.issues
    assert issue["code"] == "encoding-guessed" and f"read as {note}" in issue["value"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text(tmp_path, codec):
    path = tmp_path / "u.txt"
    path.write_bytes("姓名\t手机\r\n张三\t13812345678\r\n".encode(codec))
    [grid] = read_workbook(path)
    assert grid.cells.loc[2].tolist() == ["张三", "13812345678"]


@pytest.mark.parametrize("name, content", [
    ("README.md", b"# notes\nname,phone\n"), ("data.json", b'{"name": "x"}\n'),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(40)),
], ids=["markdown", "json", "png"])
def test_a_file_named_on_the_command_line_that_is_not_a_spreadsheet_is_skipped(tmp_path, name, content):
    from click.testing import CliRunner

    from sheetkit.cli import cli
    (tmp_path / name).write_bytes(content)
    good = tmp_path / "good.csv"
    good.write_text("姓名,手机\n张三,13812345678\n", encoding="utf-8")
    result = _run([tmp_path / name, good])
    assert [(f, s, m) for f, s, m in zip(result.files["file"], result.files["status"], result.files["message"])
            if f == name] == [(name, "skipped", "not a spreadsheet")]
    assert set(result.lineage["source_file"]) == {"good.csv"}
    out = CliRunner().invoke(cli, ["run", str(tmp_path / name), str(good), "--out", str(tmp_path / "out"),
                                   "--as-of", "2024-12-31"])
    assert out.exit_code == 0 and f"skipped: {name}: not a spreadsheet" in out.stderr


def test_an_image_with_a_spreadsheet_name_is_called_what_it_is(tmp_path):
    path = tmp_path / "scan.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(40))
    with pytest.raises(SourceError, match="not a spreadsheet: this is a PNG image"):
        read_workbook(path)
