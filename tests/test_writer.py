"""Writing the cleaned workbook: values keep their type, listed cells are highlighted with a note."""

from __future__ import annotations

import datetime as dt
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

import sheetkit.writer as w
from sheetkit.bookjoin import join_books
from sheetkit.errors import OutputError
from sheetkit.writer import HIGHLIGHT, write_workbook

_FILL = "FF" + HIGHLIGHT.lstrip("#").upper()


def _fill(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def test_listed_cells_get_the_fill_and_their_messages_as_a_note(tmp_path):
    frame = pd.DataFrame({"name": ["张三", "李四", None], "phone": ["13812345678", "12", "13912345678"]})
    notes = pd.DataFrame({"row": [1, 1, 2], "column": ["phone", "phone", "name"],
                          "message": ["invalid-phone: 12", "too short", "name is missing"]})
    out = tmp_path / "o.xlsx"
    write_workbook({"S": frame}, out, notes={"S": notes})
    ws = openpyxl.load_workbook(out)["S"]
    phone, missing = ws["B3"], ws["A4"]  # data row 1 is Excel row 3
    assert phone.value == "12" and _fill(phone) == _FILL
    assert "invalid-phone: 12\ntoo short" in phone.comment.text
    assert missing.value is None and _fill(missing) == _FILL and "name is missing" in missing.comment.text
    for unlisted in (ws["B2"], ws["A3"], ws["B4"]):
        assert _fill(unlisted) is None and unlisted.comment is None


def test_highlights_follow_a_split_sheet_and_notes_stop_at_the_cap(monkeypatch, tmp_path):
    monkeypatch.setattr(w, "EXCEL_MAX_ROWS", 3)
    monkeypatch.setattr(w, "MAX_COMMENTS", 1)
    frame = pd.DataFrame({"source_row": range(2, 9), "amount": [1.5] * 7})
    notes = pd.DataFrame({"row": [0, 4], "column": ["amount", "amount"], "message": ["first", "second"]})
    out = tmp_path / "o.xlsx"
    write_workbook({"Lineage": frame}, out, notes={"Lineage": notes})
    wb = openpyxl.load_workbook(out)
    first, second = wb["Lineage"]["B2"], wb["Lineage (2)"]["B3"]  # frame row 4 = row 1 of part 2
    assert _fill(first) == _fill(second) == _FILL
    assert first.comment.text.endswith("first") and second.comment is None
    assert second.value == 1.5 and second.number_format == wb["Lineage"]["B3"].number_format == "#,##0.00"
    assert _fill(wb["Lineage (2)"]["B2"]) is None


def test_dates_stay_dates_beside_text_that_is_not_a_date(tmp_path):
    frame = pd.DataFrame({
        "created_on": pd.Series([pd.Timestamp("2023-01-05"), "2023-02-30", None, dt.datetime(1850, 1, 1)],
                                dtype=object),
        "at": pd.to_datetime(["2024-03-01 09:30", None, "2024-03-02 00:00", "2024-03-03 00:00"]),
        "mixed": pd.Series([1, "二", 3.5, True], dtype=object),
    })
    out = tmp_path / "o.xlsx"
    write_workbook({"S": frame}, out)
    ws = openpyxl.load_workbook(out)["S"]
    created = [c for c in ws["A"][1:]]
    assert created[0].value == dt.datetime(2023, 1, 5) and created[0].number_format == "yyyy-mm-dd"
    assert [c.value for c in created[1:]] == ["2023-02-30", None, "1850-01-01"]
    assert ws["B2"].value == dt.datetime(2024, 3, 1, 9, 30) and ws["B2"].is_date
    assert [c.value for c in ws["C"][1:]] == [1, "二", 3.5, True]


def test_print_setup_freeze_widths_and_dropdowns_as_asked(tmp_path):
    # Issue 15.5 and 15.3, at the writer: read back with openpyxl as Excel would.
    rule = "spent at least 50,000.00 in the last 12 months (a long rule text)"
    frame = pd.DataFrame({"id": ["C1", "C2"], "name": ["张三", "Ann"], "value": [3, rule], "decision": [None, None]})
    out = tmp_path / "o.xlsx"
    ticks = []
    write_workbook({"S": frame, "T": frame}, out, dropdowns={"S": ("decision", ["same", "不同"])},
                   freeze={"S": "name"}, tick=lambda done, total: ticks.append((done, total)))
    book = openpyxl.load_workbook(out)
    s, t = book["S"], book["T"]
    assert s.freeze_panes == "C2" and t.freeze_panes == "A2"
    for ws in (s, t):
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert s.column_dimensions["C"].width >= len(rule)  # a short sheet fits its longest value
    dv, = s.data_validations.dataValidation
    assert dv.formula1 == '"same,不同"' and dv.errorStyle == "warning" and str(dv.sqref) == "D2:D3"
    assert not t.data_validations.dataValidation
    assert ticks == [(2, 4), (4, 4)]  # per block of rows, not per row


def test_a_long_sheet_is_sized_by_most_values_not_the_longest(tmp_path):
    frame = pd.DataFrame({"note": ["short"] * 299 + ["x" * 120]})
    out = tmp_path / "o.xlsx"
    write_workbook({"S": frame}, out)
    assert openpyxl.load_workbook(out)["S"].column_dimensions["A"].width < 10


def test_a_frame_wider_than_excel_continues_on_more_sheets_with_its_key(tmp_path):
    wide = pd.DataFrame({"customer_id": ["C1", "C2"], **{f"c{i}": [f"a{i}", None] for i in range(16_400)}})
    path = tmp_path / "wide.xlsx"
    write_workbook({"Customers": wide}, path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["Customers", "Customers (columns 2)"]
    more = list(book["Customers (columns 2)"].iter_rows(values_only=True))
    assert more[0][0] == "customer_id" and more[1][0] == "C1" and more[0][-1] == "c16399"
    assert book["Customers"].max_column == 16_384 and len(more[0]) == 1 + 16_401 - 16_384


def test_formula_like_text_is_text_with_the_quote_prefix(monkeypatch, tmp_path):
    # Issue 16.4: written as text already; the quote prefix keeps it text when the cell is
    # edited or the sheet saved as CSV. Only those cells, unless a column is full of them.
    monkeypatch.setattr(w, "_QUOTED_CELLS", 4)
    risky = ["=HYPERLINK(\"http://x\",\"y\")", "+1-555-0100", "-2+3", "@SUM(A1)"]
    frame = pd.DataFrame({
        "name": risky + ["张三", None, "a=b"],
        "mixed": [dt.datetime(2024, 1, 2), "=1+1", None, None, None, None, None],  # a text written by itself
        "phone": ["+8613812345678"] * 6 + [None],                                     # more than _QUOTED_CELLS
        "amount": [-250.0] * 7,
    })
    notes = pd.DataFrame({"row": [3], "column": ["name"], "message": ["check"]})
    out = tmp_path / "o.xlsx"
    write_workbook({"S": frame.rename(columns={"mixed": "=extra"})}, out, notes={"S": notes})
    ws = openpyxl.load_workbook(out)["S"]
    assert ws["B1"].value == "=extra" and ws["B1"].data_type == "s" and ws["B1"].quotePrefix
    assert not ws["A1"].quotePrefix
    for row, value in enumerate(risky, start=2):
        cell = ws.cell(row, 1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True), row
    assert _fill(ws["A5"]) == _FILL  # a highlighted cell keeps its fill and gets the prefix
    assert [ws.cell(r, 1).quotePrefix for r in (6, 8)] == [False, False]
    assert ws["B3"].value == "=1+1" and ws["B3"].data_type == "s" and ws["B3"].quotePrefix
    assert ws["B2"].is_date and not ws["B2"].quotePrefix
    assert all(ws.cell(r, 3).quotePrefix and ws.cell(r, 3).data_type == "s" for r in range(2, 8))
    assert ws["D2"].value == -250.0 and not ws["D2"].quotePrefix


def _parts(path) -> dict[str, bytes]:
    """Every part of an xlsx, uncompressed, but its time stamp (docProps/core.xml)."""
    with zipfile.ZipFile(path) as book:
        assert book.testzip() is None
        return {info.filename: book.read(info) for info in book.infolist() if info.filename != "docProps/core.xml"}


def _mixed_sheets(rows: int = 3_000) -> tuple[dict[str, pd.DataFrame], dict]:
    """Sheets with every kind of cell the writer formats: dates, times, money, formula-like
    text (a whole column and single cells), a date Excel cannot hold, notes, a dropdown."""
    days = pd.Timestamp("2021-01-01") + pd.to_timedelta(np.arange(rows) % 900, unit="D")
    customers = pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in range(rows)],
        "name": ["=HYPERLINK(1)" if i % 500 == 0 else f"客户{i}" for i in range(rows)],
        "phone": [f"+86 138{i:08d}" for i in range(rows)],
        "total_amount": np.where(np.arange(rows) % 9 == 0, np.nan, np.arange(rows) * 1.25),
        "created_on": days,
        "last_seen": days + pd.Timedelta(hours=5),
        "note": pd.Series(["x"] * (rows - 1) + [dt.datetime(1850, 1, 1)], dtype=object),
    })
    lineage = pd.DataFrame({"source_file": ["a.xlsx"] * rows, "source_row": np.arange(2, rows + 2),
                            "decision": [None] * rows, "outcome": ["merged", "kept", "-x"] * (rows // 3)})
    sheets = {"Customers": customers, "Transactions": customers[["customer_id", "total_amount", "created_on"]],
              "Lineage": lineage, "Review": lineage.head(5), "Changes": lineage.head(0)}
    notes = {"Customers": pd.DataFrame({"row": [0, 7], "column": ["phone", "total_amount"], "message": ["bad", "odd"]})}
    return sheets, {"notes": notes, "dropdowns": {"Lineage": ("decision", ["split", "拆分"])},
                    "freeze": {"Customers": "name"}}


def test_a_workbook_written_in_copies_is_the_one_written_in_one_piece(monkeypatch, tmp_path):
    # Copies written in turn, closed on threads and joined (bookjoin.py) must give the same
    # file, part for part, as one piece: same cells, styles, notes, filters and frozen panes.
    sheets, options = _mixed_sheets()
    monkeypatch.setattr(w, "_IN_COPIES_FROM", 10**12)
    write_workbook(sheets, tmp_path / "one.xlsx", **options)
    joined = []
    monkeypatch.setattr(w, "_IN_COPIES_FROM", 1)
    monkeypatch.setattr(w, "_COPIES", 8)  # a copy for Lineage, one for Transactions
    monkeypatch.setattr(w, "join_books", lambda main, others, out: joined.append(others) or join_books(main, others, out))
    write_workbook(sheets, tmp_path / "copies.xlsx", **options)
    # Customers has the notes, Review and Changes are small: those stay in the first copy
    assert [group for _, group in joined[0]] == [{"Lineage"}, {"Transactions"}]
    assert _parts(tmp_path / "copies.xlsx") == _parts(tmp_path / "one.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copies.xlsx", "one.xlsx"]
    ws = openpyxl.load_workbook(tmp_path / "copies.xlsx")["Lineage"]
    assert ws["D4"].value == "-x" and ws["D4"].quotePrefix and ws.data_validations.dataValidation


def test_copies_that_disagree_on_styles_are_written_again_in_one_piece(monkeypatch, tmp_path, caplog):
    # Without the styles numbered up front, a copy numbers them in the order its cells use
    # them: the join must notice, and the file must still be the one-piece file.
    sheets, options = _mixed_sheets()
    monkeypatch.setattr(w, "_IN_COPIES_FROM", 10**12)
    write_workbook(sheets, tmp_path / "one.xlsx", **options)
    monkeypatch.setattr(w, "_IN_COPIES_FROM", 1)
    copies = []
    numbered = w._Formats.number_all

    def all_but_the_second(self, ws):
        copies.append(ws)
        if len(copies) != 2:
            numbered(self, ws)

    monkeypatch.setattr(w._Formats, "number_all", all_but_the_second)
    write_workbook(sheets, tmp_path / "copies.xlsx", **options)
    assert "did not agree" in caplog.text
    assert _parts(tmp_path / "copies.xlsx") == _parts(tmp_path / "one.xlsx")


def test_rows_written_are_counted_once_across_the_copies(monkeypatch, tmp_path):
    sheets, options = _mixed_sheets()
    monkeypatch.setattr(w, "_IN_COPIES_FROM", 1)
    ticks = []
    write_workbook(sheets, tmp_path / "o.xlsx", tick=lambda done, total: ticks.append((done, total)), **options)
    total = sum(len(f) for f in sheets.values())
    assert ticks[-1] == (total, total) and [d for d, _ in ticks] == sorted(d for d, _ in ticks)


def test_a_copy_that_cannot_be_closed_fails_the_write_and_leaves_no_file(monkeypatch, tmp_path):
    sheets, options = _mixed_sheets()
    monkeypatch.setattr(w, "_IN_COPIES_FROM", 1)
    monkeypatch.setattr(w, "_COPIES", 8)
    closed = []
    real = w._Book.make

    def full_disk(path):
        closed.append(path)
        raise OSError(28, "No space left on device")

    def make(self, rows_of=None):
        made, cut = real(self, rows_of)
        if rows_of == {"Transactions"}:
            made.close = full_disk
        return made, cut

    monkeypatch.setattr(w._Book, "make", make)
    with pytest.raises(OutputError, match="No space left"):
        write_workbook(sheets, tmp_path / "o.xlsx", **options)
    assert closed and list(tmp_path.iterdir()) == []


def test_an_interrupted_write_waits_for_the_copies_closing_and_leaves_no_file(monkeypatch, tmp_path):
    sheets, options = _mixed_sheets()
    monkeypatch.setattr(w, "_IN_COPIES_FROM", 1)
    monkeypatch.setattr(w, "_COPIES", 8)
    real = w._Book.make

    def make(self, rows_of=None):
        if rows_of == {"Transactions"}:  # the first two copies are closing by now
            raise KeyboardInterrupt
        return real(self, rows_of)

    monkeypatch.setattr(w._Book, "make", make)
    with pytest.raises(KeyboardInterrupt):
        write_workbook(sheets, tmp_path / "o.xlsx", **options)
    assert list(tmp_path.iterdir()) == []


def test_one_large_sheet_is_written_in_one_piece(monkeypatch):
    # A CRM export of one sheet: a copy of its own would only add a join, nothing to overlap.
    monkeypatch.setattr(w, "_IN_COPIES_FROM", 1)
    sheets, options = _mixed_sheets()
    assert w._groups(list(w._split_long({"Contacts": sheets["Customers"]}, {}))) == []
    assert len(w._groups(list(w._split_long(sheets, options["notes"])))) == 2
