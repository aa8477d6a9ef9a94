"""A generated corpus of customer spreadsheets as people really keep them, with the right answers.

``build_corpus(folder)`` writes one small file per case into ``folder`` and returns, per file
(its path relative to ``folder``), what a careful person would say about it: whether it can be
read, and for every sheet the header row, the Excel row numbers of the customer rows and the
reason every other non-blank row is not a customer. Blank rows are in neither list: they carry
nothing to account for. tests/test_corpus.py checks sheetkit against these answers.

Each case below is one function: its docstring says what it is, its body builds the file, and
it returns the right answer as literal data. Nothing is random but for a fixed seed, and
nothing is fetched. A case whose writer is not installed (xlwt for .xls, odfpy for .ods) is not
written and its answer says ``unavailable``.

Row numbers are the ones Excel shows; for a text file they are CSV record numbers (the header
is record 1; a quoted field spanning two lines is still one record).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils import column_index_from_string

# The skip reasons sheetkit writes into Lineage, exactly.
TITLE = "title or note above the header"
HEADER = "header row"
REPEATED = "repeated header"
TOTALS = "totals line"
NOTE = "note line"
NOT_LIST = "sheet is not a customer list"


@dataclass(frozen=True)
class Sheet:
    """The right answer for one sheet.

    ``header`` is the Excel row of the header (the top row of a two-row header), None when the
    sheet is not a customer list. ``customers`` are the rows that are customers; ``skipped``
    gives every other non-blank row its reason. ``status``/``message`` are the sheet's line in
    the Sources sheet (status "skipped" for a sheet that is empty or not a customer list).
    The optional checks: ``mapping`` header text -> schema field ("" for a column kept as an
    extra); ``cells`` (row, column letter) -> the exact text read; ``values`` (row, field) ->
    the value after normalising; ``issues`` (code, row, column) that must be reported.
    """

    name: str
    header: int | None
    customers: tuple[int, ...] = ()
    skipped: dict[int, str] = field(default_factory=dict)
    status: str = "read"
    message: str = ""
    mapping: dict[str, str] = field(default_factory=dict)
    cells: dict[tuple[int, str], str] = field(default_factory=dict)
    values: dict[tuple[int, str], str] = field(default_factory=dict)
    issues: tuple[tuple[str, int, str], ...] = ()

    def __post_init__(self):
        overlap = set(self.customers) & set(self.skipped)
        assert not overlap, f"{self.name}: rows both customer and skipped: {overlap}"


@dataclass(frozen=True)
class File:
    """The right answer for one file: read (with its sheets), failed or skipped (with a message
    substring), or unavailable (the writer for its format is not installed)."""

    status: str
    message: str = ""
    sheets: tuple[Sheet, ...] = ()
    description: str = ""


def read(*sheets: Sheet, message: str = "") -> File:
    return File("read", message, sheets)


def failed(message: str) -> File:
    return File("failed", message)


def skipped(message: str) -> File:
    return File("skipped", message)


class Unavailable(Exception):
    """The writer this case needs is not installed."""


def column(letter: str) -> int:
    """Position of a column letter in the grid sheetkit reads (every sheet here starts at A)."""
    return column_index_from_string(letter) - 1


# ---------------------------------------------------------------------------------------------
# Registry and helpers

@dataclass(frozen=True)
class Case:
    path: str
    build: Callable[[Path], File]
    description: str


CASES: list[Case] = []


def case(path: str):
    """Register a builder for the file at ``path`` (relative to the corpus folder)."""
    def register(fn: Callable[[Path], File]) -> Callable[[Path], File]:
        CASES.append(Case(path, fn, " ".join((fn.__doc__ or "").split())))
        return fn
    return register


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀英", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "雪梅", "国庆", "春生", "子涵"]


def people(seed: int, n: int) -> list[tuple[str, str, str]]:
    """``n`` made-up customers (name, mobile, e-mail), the same for the same seed; numbers and
    addresses carry the seed, so no two cases share a customer."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        mobile = f"139{seed % 1000:03d}{i:02d}{rng.randrange(1000):03d}"
        out.append((name, mobile, f"c{seed}x{i}@example.com"))
    return out


def new_book(title: str) -> tuple[openpyxl.Workbook, object]:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    return wb, ws


def put(ws, row: int, values: list[object]) -> None:
    """Write ``values`` into ``row`` from column A (None leaves a cell empty)."""
    for i, v in enumerate(values, start=1):
        if v is not None:
            ws.cell(row=row, column=i, value=v)


def save_xlsx(wb: openpyxl.Workbook, path: Path) -> None:
    stamp = dt.datetime(2024, 12, 1, 9, 0, 0)
    wb.properties.created = wb.properties.modified = stamp
    wb.save(path)


def rewrite_zip(path: Path, member: str, replace: dict[bytes, bytes]) -> None:
    """Replace bytes inside one member of a zip (an xlsx), keeping the others as they are: how
    a case writes what openpyxl refuses to (a control character, a cell over 32,767 characters)."""
    with zipfile.ZipFile(path) as zf:
        items = [(info, zf.read(info)) for info in zf.infolist()]
    assert member in [info.filename for info, _ in items], f"no {member} in {path.name}"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            if info.filename == member:
                for old, new in replace.items():
                    assert data.count(old) == 1, f"{old!r} not once in {member}"
                    data = data.replace(old, new)
            zf.writestr(info, data)


def write_csv(path: Path, rows: list[list[str]], encoding: str, sep: str = ",", newline: str = "\r\n") -> None:
    """A text file as Excel or a Chinese ERP writes it; fields with the separator, a quote or a
    line break are quoted."""
    def field_text(v: str) -> str:
        if any(c in v for c in (sep, '"', "\n", "\r")):
            return '"' + v.replace('"', '""') + '"'
        return v
    text = newline.join(sep.join(field_text(v) for v in r) for r in rows) + newline
    path.write_bytes(text.encode(encoding))


# ---------------------------------------------------------------------------------------------
# Layout: titles, totals, notes, merged and repeated headers

@case("title_totals.xlsx")
def title_and_totals(path: Path) -> File:
    """A title merged across the columns, an export-date line and a blank line above the
    header (row 4); a blank row in the middle; a totals line 合计 and a signature line at the
    bottom."""
    wb, ws = new_book("客户名单")
    ws["A1"] = "2024年客户名单"
    ws.merge_cells("A1:D1")
    ws["A2"] = "导出日期：2024-12-01"
    put(ws, 4, ["姓名", "手机", "邮箱", "城市"])
    p = people(1, 4)
    put(ws, 5, [*p[0], "北京"])
    put(ws, 6, [*p[1], "上海"])
    put(ws, 8, [*p[2], "广州"])
    put(ws, 9, [*p[3], "深圳"])
    put(ws, 10, ["合计", None, None, "4 人"])
    put(ws, 11, ["制表人：王五    审核：李六"])
    save_xlsx(wb, path)
    return read(Sheet("客户名单", header=4, customers=(5, 6, 8, 9),
                      skipped={1: TITLE, 2: TITLE, 4: HEADER, 10: TOTALS, 11: NOTE},
                      cells={(1, "D"): "2024年客户名单"}))


@case("two_row_header.xlsx")
def two_row_header(path: Path) -> File:
    """A two-row header: 联系方式 merged over 手机 | 邮箱; 姓名 and 城市 merged down over both
    header rows, as people draw it."""
    wb, ws = new_book("Sheet1")
    put(ws, 1, ["姓名", "联系方式", None, "城市"])
    put(ws, 2, [None, "手机", "邮箱", None])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:D2")
    p = people(2, 3)
    for r, (person, city) in enumerate(zip(p, ["杭州", "南京", "苏州"]), start=3):
        put(ws, r, [*person, city])
    save_xlsx(wb, path)
    return read(Sheet("Sheet1", header=1, customers=(3, 4, 5), skipped={1: HEADER, 2: HEADER},
                      mapping={"姓名": "name", "手机": "phone", "邮箱": "email", "城市": "city"},
                      values={(3, "phone"): f"+86{p[0][1]}", (3, "email"): p[0][2], (5, "city"): "苏州"}))


@case("two_row_header_plain.xlsx")
def two_row_header_plain(path: Path) -> File:
    """The same two-row header drawn without merging down: 姓名 and 城市 only on row 1, with
    联系方式 merged across 手机 | 邮箱 below it."""
    wb, ws = new_book("Sheet1")
    put(ws, 1, ["姓名", "联系方式", None, "城市"])
    put(ws, 2, [None, "手机", "邮箱", None])
    ws.merge_cells("B1:C1")
    p = people(22, 2)
    for r, (person, city) in enumerate(zip(p, ["无锡", "常州"]), start=3):
        put(ws, r, [*person, city])
    save_xlsx(wb, path)
    return read(Sheet("Sheet1", header=1, customers=(3, 4), skipped={1: HEADER, 2: HEADER},
                      mapping={"姓名": "name", "手机": "phone", "邮箱": "email", "城市": "city"},
                      values={(4, "phone"): f"+86{p[1][1]}", (4, "email"): p[1][2], (4, "city"): "常州"}))


@case("repeated_header.xlsx")
def repeated_header(path: Path) -> File:
    """Two blocks pasted one under the other: the header is repeated mid-sheet (row 6) after a
    blank row."""
    wb, ws = new_book("客户")
    header = ["客户名称", "联系电话", "公司"]
    p = people(3, 5)
    put(ws, 1, header)
    for r, person in zip((2, 3, 4), p[:3]):
        put(ws, r, [person[0], person[1], "华联商贸"])
    put(ws, 6, header)
    for r, person in zip((7, 8), p[3:]):
        put(ws, r, [person[0], person[1], "东方电子"])
    save_xlsx(wb, path)
    return read(Sheet("客户", header=1, customers=(2, 3, 4, 7, 8), skipped={1: HEADER, 6: REPEATED}))


@case("grouped_header.xlsx")
def grouped_header(path: Path) -> File:
    """Issue 15: a title, then a two-row header with group titles merged across their
    sub-headers (客户信息 over 客户名称 | 联系电话 | 微信号, 购买信息 over 产品 | 金额 | 日期), 序号,
    区域 and 备注 merged down over both header rows, and each region merged down over its rows.
    微信号 and 产品 map onto no field: the second header row is still a header."""
    wb, ws = new_book("登记表")
    ws["A1"] = "2024年客户登记表"
    ws.merge_cells("A1:I1")
    put(ws, 2, ["序号", "区域", "客户信息", None, None, "购买信息", None, None, "备注"])
    put(ws, 3, [None, None, "客户名称", "联系电话", "微信号", "产品", "金额", "日期", None])
    for rng in ("A2:A3", "B2:B3", "C2:E2", "F2:H2", "I2:I3"):
        ws.merge_cells(rng)
    p = people(83, 5)
    for i, person in enumerate(p):
        put(ws, 4 + i, [i + 1, None, person[0], person[1], f"wx{i}", "茶叶", 100 * (i + 1), f"2024-03-0{i + 1}"])
    ws["B4"], ws["B7"] = "华东", "华北"
    ws.merge_cells("B4:B6")
    ws.merge_cells("B7:B8")
    save_xlsx(wb, path)
    return read(Sheet("登记表", header=2, customers=(4, 5, 6, 7, 8), skipped={1: TITLE, 2: HEADER, 3: HEADER},
                      mapping={"客户名称": "name", "联系电话": "phone", "区域": "district", "金额": "amount",
                               "微信号": "", "产品": ""},
                      cells={(6, "B"): "华东", (8, "B"): "华北"},
                      values={(4, "name"): p[0][0], (4, "phone"): f"+86{p[0][1]}", (5, "district"): "华东",
                              (6, "district"): "华东", (8, "district"): "华北", (8, "amount"): "500"}))


@case("pasted_blocks.xlsx")
def pasted_blocks(path: Path) -> File:
    """Issue 15: three blocks pasted under each other; the header is repeated after a 小计
    line and blank rows, worded differently (客户姓名 for 客户名称, 手机 for 电话), and the
    third block's header has its columns in another order and one more (邮箱). Each block is
    read under its own header."""
    wb, ws = new_book("客户")
    p = people(84, 7)
    put(ws, 1, ["客户名称", "电话", "公司"])
    for r, person in zip((2, 3, 4), p):
        put(ws, r, [person[0], person[1], "华联商贸"])
    put(ws, 5, ["小计", "3人", None])
    put(ws, 8, ["客户姓名", "手机", "公司"])
    for r, person in zip((9, 10), p[3:]):
        put(ws, r, [person[0], person[1], "东方电子"])
    put(ws, 12, ["公司", "客户姓名", "手机", "邮箱"])
    for r, person in zip((13, 14), p[5:]):
        put(ws, r, ["南方物流", person[0], person[1], person[2]])
    save_xlsx(wb, path)
    return read(Sheet("客户", header=1, customers=(2, 3, 4, 9, 10, 13, 14),
                      skipped={1: HEADER, 5: TOTALS, 8: REPEATED, 12: REPEATED},
                      values={(9, "name"): p[3][0], (9, "phone"): f"+86{p[3][1]}", (13, "name"): p[5][0],
                              (13, "company"): "南方物流", (14, "phone"): f"+86{p[6][1]}", (14, "email"): p[6][2]}))


@case("noisy_headers.xlsx")
def noisy_headers(path: Path) -> File:
    """Headers with noise: extra spaces, full-width letters, "(必填)", "E-mail地址", "Phone No.";
    an unknown column (会员等级) is kept as an extra column."""
    wb, ws = new_book("客户")
    put(ws, 1, ["  姓 名  ", "手机号码（必填）", "Ｅ-mail地址", "Phone No.", "会员等级"])
    p = people(4, 3)
    put(ws, 2, [*p[0], "021-61234567", "金卡"])
    put(ws, 3, [*p[1], None, "银卡"])
    put(ws, 4, [*p[2], None, None])
    save_xlsx(wb, path)
    return read(Sheet("客户", header=1, customers=(2, 3, 4), skipped={1: HEADER},
                      mapping={"姓 名": "name", "手机号码（必填）": "phone", "Ｅ-mail地址": "email",
                               "Phone No.": "phone", "会员等级": ""},
                      values={(2, "name"): p[0][0], (2, "phone"): f"+86{p[0][1]}", (2, "phone_2"): "+862161234567",
                              (3, "email"): p[1][2], (2, "会员等级"): "金卡", (3, "会员等级"): "银卡"}))


@case("multi_sheet.xlsx")
def several_sheets(path: Path) -> File:
    """One workbook, five sheets: two salespeople's customer lists, a lookup sheet (城市 | 区号)
    that is not a customer list, an empty sheet, and a hidden sheet with customers."""
    wb, ws = new_book("张三")
    put(ws, 1, ["客户", "电话", "公司"])
    for r, person in enumerate(people(51, 3), start=2):
        put(ws, r, [person[0], person[1], "张三的客户公司"])
    ws = wb.create_sheet("李四")
    put(ws, 1, ["客户", "电话", "公司"])
    for r, person in enumerate(people(52, 2), start=2):
        put(ws, r, [person[0], person[1], "李四的客户公司"])
    ws = wb.create_sheet("区号")
    put(ws, 1, ["城市", "区号"])
    put(ws, 2, ["北京", "010"])
    put(ws, 3, ["上海", "021"])
    wb.create_sheet("空白")
    ws = wb.create_sheet("隐藏")
    ws.sheet_state = "hidden"
    put(ws, 1, ["姓名", "手机"])
    for r, person in enumerate(people(53, 2), start=2):
        put(ws, r, list(person[:2]))
    save_xlsx(wb, path)
    return read(
        Sheet("张三", header=1, customers=(2, 3, 4), skipped={1: HEADER}),
        Sheet("李四", header=1, customers=(2, 3), skipped={1: HEADER}),
        Sheet("区号", header=None, skipped={1: NOT_LIST, 2: NOT_LIST, 3: NOT_LIST},
              status="skipped", message="not a customer list", cells={(2, "B"): "010"}),
        Sheet("空白", header=None, status="skipped", message="empty sheet"),
        Sheet("隐藏", header=1, customers=(2, 3), skipped={1: HEADER}, message="hidden sheet"),
    )


# ---------------------------------------------------------------------------------------------
# Values: phones and dates as Excel stores them

@case("phones.xlsx")
def phones(path: Path) -> File:
    """Phones stored as numbers (13812345678 as a number cell), a float that Excel shows as
    1.38123E+10, and text with a leading zero (an 021 landline) that must keep it."""
    wb, ws = new_book("电话")
    put(ws, 1, ["姓名", "电话", "邮编"])
    put(ws, 2, ["周一鸣", 13812345678, "200001"])
    put(ws, 3, ["吴二妹", 1.38123e10, None])
    put(ws, 4, ["郑三多", "02161234567", "020000"])
    put(ws, 5, ["冯四海", 2161234567, None])  # 021 typed as a number: the 0 is gone in the file itself
    save_xlsx(wb, path)
    return read(Sheet("电话", header=1, customers=(2, 3, 4, 5), skipped={1: HEADER},
                      cells={(2, "B"): "13812345678", (3, "B"): "13812300000", (4, "B"): "02161234567",
                             (4, "C"): "020000", (2, "C"): "200001", (5, "B"): "2161234567"},
                      values={(2, "phone"): "+8613812345678", (4, "phone"): "+862161234567",
                              (2, "phone_type"): "mobile", (4, "phone_type"): "landline"}))


@case("dates.xlsx")
def dates(path: Path) -> File:
    """The same day, 2023-01-05, as people store it: a real Excel date, a date with a time, the
    serial number 44931 as a plain number, and text dates 2023/1/5 and 2023年1月5日."""
    wb, ws = new_book("日期")
    put(ws, 1, ["姓名", "手机", "建档日期"])
    p = people(7, 5)
    values = [dt.date(2023, 1, 5), dt.datetime(2023, 1, 5, 9, 30), 44931, "2023/1/5", "2023年1月5日"]
    for r, (person, value) in enumerate(zip(p, values), start=2):
        put(ws, r, [person[0], person[1], value])
    ws["C2"].number_format = "yyyy-mm-dd"
    save_xlsx(wb, path)
    return read(Sheet("日期", header=1, customers=(2, 3, 4, 5, 6), skipped={1: HEADER},
                      cells={(2, "C"): "2023-01-05", (3, "C"): "2023-01-05 09:30:00", (4, "C"): "44931",
                             (5, "C"): "2023/1/5", (6, "C"): "2023年1月5日"},
                      values={(r, "created_on"): "2023-01-05" for r in range(2, 7)}))


@case("dates_1904.xlsx")
def dates_1904(path: Path) -> File:
    """A workbook in the 1904 date system (old Mac Excel): its real dates are the same days."""
    wb, ws = new_book("Mac")
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    put(ws, 1, ["姓名", "手机", "建档日期", "最近联系时间"])
    p = people(8, 2)
    put(ws, 2, [*p[0][:2], dt.date(2023, 1, 5), dt.datetime(2024, 6, 30, 18, 0)])
    put(ws, 3, [*p[1][:2], dt.date(1999, 12, 31), dt.date(2024, 2, 29)])
    save_xlsx(wb, path)
    return read(Sheet("Mac", header=1, customers=(2, 3), skipped={1: HEADER},
                      cells={(2, "C"): "2023-01-05", (3, "C"): "1999-12-31"},
                      values={(2, "created_on"): "2023-01-05", (3, "created_on"): "1999-12-31",
                              (2, "last_contact_on"): "2024-06-30", (3, "last_contact_on"): "2024-02-29"}))


@case("dates_1904_serial.xlsx")
def dates_1904_serial(path: Path) -> File:
    """Issue 15: a 1904-system workbook whose date column also holds plain day numbers (no
    date format): 43469 is 2023-01-05 there, not 2019-01-04 as in the 1900 system."""
    wb, ws = new_book("Mac")
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    put(ws, 1, ["姓名", "手机", "建档日期"])
    p = people(81, 3)
    put(ws, 2, [*p[0][:2], dt.date(2023, 1, 5)])
    put(ws, 3, [*p[1][:2], 43469])
    put(ws, 4, [*p[2][:2], 35064.5])
    save_xlsx(wb, path)
    return read(Sheet("Mac", header=1, customers=(2, 3, 4), skipped={1: HEADER},
                      values={(2, "created_on"): "2023-01-05", (3, "created_on"): "2023-01-05",
                              (4, "created_on"): "2000-01-01"}))


@case("zero_padded_numbers.xlsx")
def zero_padded_numbers(path: Path) -> File:
    """Issue 15: numbers shown with leading zeros only by their format: customer number 123
    formatted 00000 shows 00123, postcode 10010 formatted 000000 shows 010010. Read as shown."""
    wb, ws = new_book("会员")
    put(ws, 1, ["姓名", "手机", "邮编", "客户编号", "积分"])
    p = people(82, 3)
    for r, (person, post, number) in enumerate(zip(p, [10010, 200001, 830000], [123, 45, 67890]), start=2):
        put(ws, r, [*person[:2], post, number, 100 * r])
        ws.cell(row=r, column=3).number_format = "000000"
        ws.cell(row=r, column=4).number_format = "00000"
    save_xlsx(wb, path)
    return read(Sheet("会员", header=1, customers=(2, 3, 4), skipped={1: HEADER},
                      cells={(2, "C"): "010010", (2, "D"): "00123", (3, "D"): "00045", (4, "D"): "67890",
                             (3, "C"): "200001", (2, "E"): "200"},
                      values={(2, "postcode"): "010010", (2, "customer_code"): "00123"}))


# ---------------------------------------------------------------------------------------------
# Cells that break naive readers

@case("error_cell.xlsx")
def error_cell(path: Path) -> File:
    """An error cell #N/A (a VLOOKUP that found nothing) in the e-mail column of row 3: the row
    is still a customer and an error-cell issue names it."""
    wb, ws = new_book("客户")
    put(ws, 1, ["姓名", "手机", "邮箱"])
    p = people(9, 3)
    for r, person in enumerate(p, start=2):
        put(ws, r, list(person))
    ws["C3"] = "#N/A"
    ws["C3"].data_type = "e"
    save_xlsx(wb, path)
    return read(Sheet("客户", header=1, customers=(2, 3, 4), skipped={1: HEADER},
                      issues=(("error-cell", 3, "邮箱"),), values={(4, "email"): p[2][2]}))


LONG_NOTE = "长备注" * 11_000 + "完"  # 33,001 characters: more than a cell may hold


@case("long_and_unicode.xlsx")
def long_and_unicode(path: Path) -> File:
    """A notes cell over 32,767 characters (a cell-too-long issue); names with emoji and a CJK
    extension-B character (𠀀, U+20000); a control character stored as Excel stores it
    (_x0007_ in the XML); a line break inside a cell."""
    wb, ws = new_book("客户")
    put(ws, 1, ["姓名", "手机", "备注"])
    put(ws, 2, ["陈长文", "13700000001", "LONGMARK"])  # openpyxl cuts strings at 32,767
    put(ws, 3, ["王😀芳", "13700000002", "👨‍👩‍👧 全家福"])
    put(ws, 4, ["𠀀丽华", "13700000003", "第一行\n第二行"])
    put(ws, 5, ["林CTRLMARK响", "13700000004", None])
    save_xlsx(wb, path)
    rewrite_zip(path, "xl/worksheets/sheet1.xml",
                {b"LONGMARK": LONG_NOTE.encode("utf-8"), b"CTRLMARK": b"_x0007_"})
    return read(Sheet("客户", header=1, customers=(2, 3, 4, 5), skipped={1: HEADER},
                      issues=(("cell-too-long", 2, "notes"),),
                      cells={(2, "C"): LONG_NOTE, (3, "A"): "王😀芳", (3, "C"): "👨‍👩‍👧 全家福",
                             (4, "A"): "𠀀丽华", (4, "C"): "第一行\n第二行", (5, "A"): "林响"},
                      # control characters go when read; normalising folds line breaks to spaces
                      values={(2, "notes"): LONG_NOTE, (3, "name"): "王😀芳", (3, "notes"): "👨‍👩‍👧 全家福",
                              (4, "name"): "𠀀丽华", (5, "name"): "林响"}))


# ---------------------------------------------------------------------------------------------
# Text files

CSV_HEADER = ["姓名", "手机", "邮箱", "地址"]


@case("csv/utf8.csv")
def csv_utf8(path: Path) -> File:
    """A UTF-8 CSV (no BOM) with an emoji, 𠀀, a bell control character (removed when read)
    and a leading-zero landline."""
    rows = [CSV_HEADER, ["钱😀多", "13800000001", "q1@example.com", "北京市朝阳区建国路1号"],
            ["𠀀子墨", "02161234567", "q2@example.com", "上海市徐汇区漕溪路2号"],
            ["孙\x07铃", "13800000003", "q3@example.com", "广州市天河区体育西路3号"]]
    write_csv(path, rows, "utf-8")
    return read(Sheet("utf8", header=1, customers=(2, 3, 4), skipped={1: HEADER},
                      # control characters never reach the outputs or a terminal: gone when read
                      cells={(2, "A"): "钱😀多", (3, "A"): "𠀀子墨", (3, "B"): "02161234567", (4, "A"): "孙铃"},
                      values={(2, "name"): "钱😀多", (3, "name"): "𠀀子墨", (3, "phone"): "+862161234567",
                              (4, "name"): "孙铃"}))


@case("csv/utf8_bom.csv")
def csv_utf8_bom(path: Path) -> File:
    """UTF-8 with a BOM, as Excel's "CSV UTF-8" saves it: the BOM is not part of the first header."""
    rows = [CSV_HEADER, ["何以琛", "13800000011", "h1@example.com", "成都市武侯区天府大道11号"],
            ["赵默笙", "13800000012", "h2@example.com", "重庆市渝中区解放碑12号"]]
    write_csv(path, rows, "utf-8-sig")
    return read(Sheet("utf8_bom", header=1, customers=(2, 3), skipped={1: HEADER},
                      mapping={"姓名": "name", "手机": "phone", "邮箱": "email", "地址": "address"},
                      cells={(1, "A"): "姓名"}))


@case("csv/gb18030.csv")
def csv_gb18030(path: Path) -> File:
    """GB18030, as Excel on Chinese Windows saves "CSV (逗号分隔)"; one name has 𠀀, which GBK
    cannot hold but GB18030 can."""
    rows = [CSV_HEADER, ["欧阳娜娜", "13800000021", "g1@example.com", "杭州市西湖区文三路21号"],
            ["𠀀慕容", "13800000022", "g2@example.com", "南京市鼓楼区中山路22号"],
            ["诸葛明亮", "13800000023", "g3@example.com", "武汉市洪山区珞喻路23号"]]
    write_csv(path, rows, "gb18030")
    return read(Sheet("gb18030", header=1, customers=(2, 3, 4), skipped={1: HEADER},
                      cells={(2, "A"): "欧阳娜娜", (3, "A"): "𠀀慕容", (4, "D"): "武汉市洪山区珞喻路23号"}))


@case("csv/gb18030_english.csv")
def csv_gb18030_english_headers(path: Path) -> File:
    """GB18030 with English headers, as an e-commerce platform exports it: only the names are
    Chinese, so there is little text to tell the encoding by."""
    rows = [["Customer", "Phone", "E-mail"], ["吕娟", "13915100866", "lvjuan@example.com"],
            ["吕刚", "13915101741", "lvgang@example.com"], ["朱艳", "13915102996", "zhuyan@example.com"]]
    write_csv(path, rows, "gb18030")
    return read(Sheet("gb18030_english", header=1, customers=(2, 3, 4), skipped={1: HEADER},
                      cells={(2, "A"): "吕娟", (3, "A"): "吕刚", (4, "A"): "朱艳"},
                      values={(2, "name"): "吕娟", (4, "email"): "zhuyan@example.com"}))


@case("csv/big5.csv")
def csv_big5(path: Path) -> File:
    """Big5 from Taiwan or Hong Kong: traditional characters in the headers and the data
    (客戶姓名 | 手機 | 電子郵件 | 地址)."""
    rows = [["客戶姓名", "手機", "電子郵件", "地址"],
            ["張偉", "0912345678", "t1@example.com.tw", "台北市信義區松仁路1號"],
            ["陳淑芬", "0922345678", "t2@example.com.tw", "台北市大安區復興南路2號"]]
    write_csv(path, rows, "big5")
    return read(Sheet("big5", header=1, customers=(2, 3), skipped={1: HEADER},
                      mapping={"客戶姓名": "name", "手機": "phone", "電子郵件": "email", "地址": "address"},
                      cells={(2, "A"): "張偉", (3, "D"): "台北市大安區復興南路2號", (2, "B"): "0912345678"}))


@case("csv/unicode.txt")
def csv_utf16(path: Path) -> File:
    """Excel's "Unicode text": UTF-16 with a BOM, tab-separated, CRLF line ends."""
    rows = [CSV_HEADER, ["宋江", "13800000031", "s1@example.com", "济南市历下区泉城路31号"],
            ["卢俊义", "13800000032", "s2@example.com", "青岛市市南区香港中路32号"]]
    write_csv(path, rows, "utf-16", sep="\t")
    return read(Sheet("unicode", header=1, customers=(2, 3), skipped={1: HEADER},
                      cells={(2, "A"): "宋江", (3, "D"): "青岛市市南区香港中路32号"}))


@case("csv/semicolon.csv")
def csv_semicolon(path: Path) -> File:
    """Semicolon-separated, as Excel saves CSV where the comma is the decimal mark; an address
    with commas in it."""
    rows = [["Name", "Phone", "E-mail", "Address", "Amount"],
            ["Anna Schmidt", "+49 30 12345678", "anna@example.de", "Hauptstraße 1, Berlin", "12,50"],
            ["Luca Rossi", "+39 06 1234 5678", "luca@example.it", "Via Roma 2, Roma", "7,00"]]
    write_csv(path, rows, "utf-8", sep=";")
    return read(Sheet("semicolon", header=1, customers=(2, 3), skipped={1: HEADER},
                      cells={(2, "D"): "Hauptstraße 1, Berlin", (2, "E"): "12,50"},
                      values={(2, "phone"): "+493012345678"}))


@case("csv/semicolon_decimal_comma.csv")
def csv_semicolon_decimal_comma(path: Path) -> File:
    """Issue 15: a German export, semicolon-separated, above it an export line; its notes are
    full of commas (offen, bitte anrufen, 2x), amounts have decimal commas (1.000,50, -250,00,
    1.234.567,89) and dates are dd.mm.yyyy. Counting characters picks the comma."""
    rows = [["Export 27.05.2024"],
            ["Name", "Phone", "Notes", "Amount", "Order date"],
            ["Anna Schmidt", "+49 30 12345678", "offen, bitte anrufen, 2x", "1.000,50", "27.05.2024"],
            ["Luca Rossi", "+39 06 1234 5678", "Zahlung, später, bar", "-250,00", "01.06.2024"],
            ["Max Muster", "+49 40 7654321", "ok, ok", "1.234.567,89", "15.12.2023"]]
    write_csv(path, rows, "utf-8", sep=";")
    return read(Sheet("semicolon_decimal_comma", header=2, customers=(3, 4, 5), skipped={1: TITLE, 2: HEADER},
                      cells={(3, "C"): "offen, bitte anrufen, 2x", (3, "D"): "1.000,50", (5, "E"): "15.12.2023"},
                      values={(3, "amount"): "1000.5", (4, "amount"): "-250", (5, "amount"): "1234567.89",
                              (3, "order_date"): "2024-05-27", (4, "order_date"): "2024-06-01"}))


@case("csv/damaged_bytes.csv")
def csv_damaged_bytes(path: Path) -> File:
    """Issue 15: a UTF-8 export with a NUL inside a field, one byte that is not UTF-8, and a
    terminal escape sequence in a name (ESC ] 0;pwned BEL, which retitles a terminal). Every
    record is kept at its own number; the bad byte becomes U+FFFD; no control character is
    left in any cell."""
    rows = [["姓名", "手机", "备注"]] + [[n, f"1390015{i:04d}", "VIP"] for i, n in enumerate(
        ["甲一", "乙二", "丙三", "丁四", "戊五", "己六", "庚七", "辛八"])]
    rows[2][2] = "a\x00b"
    rows[5][0] = "\x1b]0;pwned\x07王倩"
    write_csv(path, rows, "utf-8")
    data = path.read_bytes().replace("丁四".encode(), "丁".encode() + b"\xff")
    path.write_bytes(data)
    return read(Sheet("damaged_bytes", header=1, customers=tuple(range(2, 10)), skipped={1: HEADER},
                      cells={(3, "C"): "ab", (4, "A"): "丙三", (5, "A"): "丁\ufffd", (5, "B"): "13900150003",
                             (6, "A"): "王倩", (9, "A"): "辛八"},
                      values={(6, "name"): "王倩", (9, "phone"): "+8613900150007"}))


@case("csv/utf16le_no_bom.txt")
def csv_utf16le_no_bom(path: Path) -> File:
    """Issue 15: UTF-16 little-endian without a byte-order mark, tab-separated."""
    rows = [CSV_HEADER, ["公孙胜", "13800000131", "g1@example.com", "济南市历下区31号"],
            ["吴用", "13800000132", "g2@example.com", "青岛市市南区32号"]]
    write_csv(path, rows, "utf-16-le", sep="\t")
    return read(Sheet("utf16le_no_bom", header=1, customers=(2, 3), skipped={1: HEADER},
                      cells={(2, "A"): "公孙胜", (3, "D"): "青岛市市南区32号"}))


@case("csv/utf16be_no_bom.csv")
def csv_utf16be_no_bom(path: Path) -> File:
    """Issue 15: UTF-16 big-endian without a byte-order mark, comma-separated."""
    rows = [CSV_HEADER, ["花荣", "13800000141", "h1@example.com", "青州市41号"]]
    write_csv(path, rows, "utf-16-be")
    return read(Sheet("utf16be_no_bom", header=1, customers=(2,), skipped={1: HEADER},
                      cells={(2, "A"): "花荣", (2, "D"): "青州市41号"}))


@case("csv/latin1_short.csv")
def csv_latin1_short(path: Path) -> File:
    """Issue 15: a short ISO-8859-1 file whose only accented character is ©: was read as
    Shift-JIS (ｩ) without a word."""
    write_csv(path, [["Name", "Phone", "Notes"], ["John Smith", "+44 20 7946 0958", "© 2024 Smith Ltd"]],
              "iso-8859-1")
    return read(Sheet("latin1_short", header=1, customers=(2,), skipped={1: HEADER},
                      cells={(2, "C"): "© 2024 Smith Ltd"}))


@case("csv/greek.csv")
def csv_greek(path: Path) -> File:
    """Issue 15: a short ISO-8859-7 (Greek) file: was refused as an unknown encoding."""
    write_csv(path, [["Name", "Phone"], ["Γιώργος Παπαδόπουλος", "+30 210 1234567"],
                     ["Άννα Νικολάου", "+30 210 7654321"]], "iso-8859-7")
    return read(Sheet("greek", header=1, customers=(2, 3), skipped={1: HEADER},
                      cells={(2, "A"): "Γιώργος Παπαδόπουλος", (3, "A"): "Άννα Νικολάου"}))


@case("csv/multiline.csv")
def csv_multiline(path: Path) -> File:
    """A quoted field with a line break (an address on two lines): one record, two lines. Row
    numbers are record numbers, so the customer after it is record 4, although on line 5."""
    rows = [["姓名", "手机", "地址"],
            ["林冲", "13800000041", "北京市东城区"],
            ["鲁智深", "13800000042", "北京市西城区\n金融街42号"],
            ["武松", "13800000043", "北京市海淀区"]]
    write_csv(path, rows, "utf-8", newline="\n")
    return read(Sheet("multiline", header=1, customers=(2, 3, 4), skipped={1: HEADER},
                      cells={(3, "C"): "北京市西城区\n金融街42号", (4, "A"): "武松"}))


@case("csv/long_note.csv")
def csv_long_note(path: Path) -> File:
    """A CSV whose notes cell is over 32,767 characters (a pasted e-mail thread): read whole,
    with a cell-too-long issue, since the output workbook cannot hold it."""
    rows = [["姓名", "手机", "备注"], ["程灵素", "13800000091", LONG_NOTE], ["胡斐", "13800000092", "短备注"]]
    write_csv(path, rows, "utf-8")
    return read(Sheet("long_note", header=1, customers=(2, 3), skipped={1: HEADER},
                      issues=(("cell-too-long", 2, "notes"),), cells={(2, "C"): LONG_NOTE},
                      values={(2, "notes"): LONG_NOTE}))


# ---------------------------------------------------------------------------------------------
# Other formats

FORMAT_PEOPLE = [("柳如是", 13811110001, "l1@example.com"), ("董小宛", 13811110002, "l2@example.com")]


@case("formats/macro.xlsm")
def xlsm(path: Path) -> File:
    """A workbook saved with the .xlsm name (a macro-enabled workbook; no macros here)."""
    wb, ws = new_book("客户")
    put(ws, 1, ["姓名", "手机", "邮箱"])
    for r, person in enumerate(FORMAT_PEOPLE, start=2):
        put(ws, r, list(person))
    save_xlsx(wb, path)
    return read(Sheet("客户", header=1, customers=(2, 3), skipped={1: HEADER}, cells={(2, "B"): "13811110001"}))


@case("formats/calc.ods")
def ods(path: Path) -> File:
    """An OpenDocument spreadsheet (LibreOffice, WPS), written by pandas with odfpy; phones are
    numbers, the date a real date."""
    import pandas as pd
    try:
        import odf  # noqa: F401
    except ImportError as exc:
        raise Unavailable("odfpy is not installed: cannot write .ods") from exc
    frame = pd.DataFrame({"姓名": [p[0] for p in FORMAT_PEOPLE], "手机": [p[1] for p in FORMAT_PEOPLE],
                          "邮箱": [p[2] for p in FORMAT_PEOPLE],
                          "建档日期": [dt.date(2023, 1, 5), dt.date(2024, 2, 29)]})
    frame.to_excel(path, sheet_name="客户", index=False, engine="odf")
    return read(Sheet("客户", header=1, customers=(2, 3), skipped={1: HEADER},
                      cells={(2, "B"): "13811110001"},
                      values={(2, "created_on"): "2023-01-05", (3, "created_on"): "2024-02-29"}))


@case("formats/old.xls")
def xls(path: Path) -> File:
    """An Excel 97-2003 .xls (BIFF8, written by xlwt); phones are numbers, a date is a real date."""
    try:
        import xlwt
    except ImportError as exc:
        raise Unavailable("xlwt is not installed: cannot write .xls") from exc
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("客户")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, h in enumerate(["姓名", "手机", "邮箱", "建档日期"]):
        ws.write(0, c, h)
    for r, (person, day) in enumerate(zip(FORMAT_PEOPLE, [dt.date(2023, 1, 5), dt.date(2024, 2, 29)]), start=1):
        for c, v in enumerate(person):
            ws.write(r, c, v)
        ws.write(r, 3, dt.datetime.combine(day, dt.time()), date_style)
    book.save(str(path))
    return read(Sheet("客户", header=1, customers=(2, 3), skipped={1: HEADER},
                      cells={(2, "B"): "13811110001", (2, "D"): "2023-01-05"},
                      values={(2, "created_on"): "2023-01-05", (3, "created_on"): "2024-02-29"}))


# ---------------------------------------------------------------------------------------------
# Bad files

@case("bad/csv_named.xlsx")
def csv_named_xlsx(path: Path) -> File:
    """A CSV renamed .xlsx (an export "saved as Excel" by a web system): read as CSV, and said so."""
    write_csv(path, [["姓名", "手机"], ["黄药师", "13800000051"], ["欧阳锋", "13800000052"]], "utf-8")
    return read(Sheet("csv_named", header=1, customers=(2, 3), skipped={1: HEADER}, message="read as CSV"))


@case("bad/page.xls")
def html_as_xls(path: Path) -> File:
    """An HTML table saved as .xls (what many web systems' "Export to Excel" produces)."""
    path.write_text("<html><head><meta charset='utf-8'></head><body><table>"
                    "<tr><td>姓名</td><td>手机</td></tr><tr><td>洪七公</td><td>13800000061</td></tr>"
                    "</table></body></html>", encoding="utf-8")
    return failed("web page (HTML)")


@case("bad/truncated.xlsx")
def truncated(path: Path) -> File:
    """An xlsx cut in half (an interrupted download or copy)."""
    good = io.BytesIO()
    wb, ws = new_book("客户")
    put(ws, 1, ["姓名", "手机"])
    put(ws, 2, ["一灯", "13800000071"])
    wb.save(good)
    data = good.getvalue()
    path.write_bytes(data[: len(data) // 2])
    return failed("damaged")


@case("bad/empty.xlsx")
def empty(path: Path) -> File:
    """A 0-byte file."""
    path.write_bytes(b"")
    return failed("empty")


@case("bad/locked.xlsx")
def password_protected(path: Path) -> File:
    """A password-protected xlsx (an OLE container holding the encrypted package); no password given."""
    from msoffcrypto.format.ooxml import OOXMLFile
    plain = io.BytesIO()
    wb, ws = new_book("客户")
    put(ws, 1, ["姓名", "手机"])
    put(ws, 2, ["周伯通", "13800000081"])
    wb.save(plain)
    plain.seek(0)
    with open(path, "wb") as out:
        OOXMLFile(plain).encrypt("secret", out)
    return failed("password-protected")


BOMB_BYTES = 200 << 20


@case("bad/bomb.xlsx")
def zip_bomb(path: Path) -> File:
    """A zip bomb: an "xlsx" whose one sheet inflates to 200 MB of zeros (about 200 KB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(BOMB_BYTES >> 20):
                fh.write(chunk)
    return failed("zip bomb")


# ---------------------------------------------------------------------------------------------
# Folder junk, copies and a subfolder

@case("a.xlsx")
def original(path: Path) -> File:
    """A plain customer list: the original of the copy and the lock files below."""
    wb, ws = new_book("Sheet1")
    put(ws, 1, ["姓名", "手机", "邮箱"])
    for r, person in enumerate(people(90, 2), start=2):
        put(ws, r, list(person))
    save_xlsx(wb, path)
    return read(Sheet("Sheet1", header=1, customers=(2, 3), skipped={1: HEADER}))


@case("a - 副本.xlsx")
def windows_copy(path: Path) -> File:
    """A byte-identical copy Windows made ("a - 副本.xlsx"): skipped, its rows are a.xlsx's."""
    path.write_bytes((path.parent / "a.xlsx").read_bytes())
    return skipped("identical copy of a.xlsx")


@case("~$a.xlsx")
def excel_lock(path: Path) -> File:
    """Excel's owner file while a.xlsx is open."""
    path.write_bytes(b"\x06Alice" + b" " * 47 + b"\x06\x00A\x00l\x00i\x00c\x00e\x00" + b"\x00" * 100)
    return skipped("Office lock file")


@case(".~lock.a.xlsx#")
def libreoffice_lock(path: Path) -> File:
    """LibreOffice's lock file while a.xlsx is open."""
    path.write_text("Alice,alice,PC-01,01.12.2024 09:00,file:///C:/Users/alice/AppData/Roaming/LibreOffice/4;",
                    encoding="utf-8")
    return skipped("Office lock file")


@case("desktop.ini")
def desktop_ini(path: Path) -> File:
    """Windows folder settings."""
    path.write_text("[.ShellClassInfo]\r\nIconResource=C:\\Windows\\System32\\imageres.dll,-3\r\n", encoding="utf-8")
    return skipped("system file")


@case(".DS_Store")
def ds_store(path: Path) -> File:
    """macOS Finder settings."""
    path.write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 64)
    return skipped("system file")


@case("Thumbs.db")
def thumbs_db(path: Path) -> File:
    """Windows thumbnail cache (an OLE file, like an .xls)."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    return skipped("system file")


@case("客户说明.docx")
def word_document(path: Path) -> File:
    """A Word document next to the sheets (a zip, like an xlsx)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return skipped("not a spreadsheet")


@case("sub/b.csv")
def in_a_subfolder(path: Path) -> File:
    """One more good file, in a subfolder: its name in Lineage is the path from the folder given."""
    rows = [["姓名", "手机"], *[list(p[:2]) for p in people(91, 3)]]
    write_csv(path, rows, "utf-8")
    return read(Sheet("b", header=1, customers=(2, 3, 4), skipped={1: HEADER}))


# ---------------------------------------------------------------------------------------------

def build_corpus(folder: Path) -> dict[str, File]:
    """Write every case into ``folder``; the right answer per file, by path relative to ``folder``."""
    folder = Path(folder)
    answers: dict[str, File] = {}
    for c in CASES:
        path = folder / c.path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            answer = c.build(path)
        except Unavailable as exc:
            path.unlink(missing_ok=True)
            answer = File("unavailable", str(exc))
        answers[c.path] = File(answer.status, answer.message, answer.sheets, c.description)
    return answers


def expected_lineage(answers: dict[str, File]) -> dict[tuple[str, str, int], str]:
    """Every row Lineage must hold: (file, sheet, row) -> "customer" or the skip reason."""
    out: dict[tuple[str, str, int], str] = {}
    for name, f in answers.items():
        if f.status != "read":
            continue
        for s in f.sheets:
            out.update({(name, s.name, r): "customer" for r in s.customers})
            out.update({(name, s.name, r): reason for r, reason in s.skipped.items()})
    return out


if __name__ == "__main__":  # python -m tests.corpus FOLDER: write the corpus to look at it
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    for name, answer in build_corpus(target).items():
        print(f"{answer.status:<11} {name}  {answer.message}")
