"""Issue 16: nothing private escapes into what people share.

Phones, e-mails and ID numbers are planted wherever a sheet can hold text (file and sheet
names, headers, names, companies, notes, cells of other fields), `sheetkit run` writes
the report, and none of them may show in it unmasked.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.masking import mask_text
from sheetkit.report import mask_value

_SEPARATORS = re.compile(r"[\s\-+\u2010-\u2015\u2212\uff0d]")


def _phone(i: int) -> str:
    return f"1331234{i:04d}"


def _email(i: int) -> str:
    return f"planted.user{i:02d}@qq.com"


def _id(i: int) -> str:
    return f"11010519491231{i:03d}X"


def _spaced(digits: str, style: int) -> str:
    """The number as people write it: plain, spaced, dashed or with +86."""
    return [digits, f"{digits[:3]} {digits[3:7]} {digits[7:]}", f"{digits[:3]}-{digits[3:7]}-{digits[7:]}",
            f"+86 {digits}", f"+86-{digits[:3]}-{digits[3:7]}-{digits[7:]}"][style % 5]


def _plant_workbooks(folder):
    """Three workbooks full of planted values; returns the planted values as written."""
    planted: list[str] = []

    def plant(value: str) -> str:
        planted.append(value)
        return value

    n = iter(range(1, 100))
    header = ["客户姓名", "手机", "邮箱", "公司", "邮编", "最近联系时间", "统一社会信用代码", "备注", "身份证号", "性别"]
    for book in range(3):
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for sheet in range(2):
            name = [f"{plant(_phone(next(n)))}客户", f"联系 {plant(_spaced(_phone(next(n)), 2))}",
                    plant(f"s.owner{next(n)}@qq.com")][(book + sheet) % 3]
            ws = wb.create_sheet(name[:31])
            extra = [f"备用 {plant(_phone(next(n)))}", plant(f"h.owner{next(n)}@qq.com")]
            ws.append(header + extra)
            for row in range(4):
                i = next(n)
                phone, email = _phone(i), _email(i)
                ws.append([
                    # a name that is an e-mail or a phone, twice: the two rows merge (same phone)
                    plant(email) if row < 2 else plant(_phone(i + 100)),
                    plant(_spaced(_phone(i - row % 2), row)) if row < 2 else plant(phone),
                    plant(email),
                    f"北京智远咨询{plant(_phone(i + 200))}有限公司",
                    f"电话{plant(_phone(i + 300))}",                      # postcode: an invalid-postcode example
                    plant(_spaced(_phone(i + 400), row + 1)),           # last contact: an invalid-date example
                    plant(_id(i)),                                      # an ID number as credit code
                    f"call {plant(_spaced(_phone(i + 500), row + 2))} or {plant(f'note{i}@163.com')}",
                    plant(_id(i + 100)), "女" if row % 2 else "男",
                    plant(_phone(i + 600)), plant(f"x{i}@example.com"),
                ])
        file = [f"{plant(_phone(90 + book))}-file.owner@qq.com.xlsx", f"客户 {plant(_spaced(_phone(93), 1))}.xlsx",
                "plain.xlsx"][book]
        if book == 0:
            planted.append("file.owner@qq.com")
        wb.save(folder / file)
    return planted


@pytest.fixture(scope="module")
def leak_run(tmp_path_factory):
    inbox, out = tmp_path_factory.mktemp("inbox"), tmp_path_factory.mktemp("out")
    planted = _plant_workbooks(inbox)
    result = CliRunner().invoke(cli, ["run", str(inbox), "--out", str(out), "--as-of", "2024-12-31", "-q"])
    assert result.exit_code == 0, result.output
    return planted, (out / "report.html").read_text(encoding="utf-8")


def test_no_planted_value_shows_unmasked_in_the_report(leak_run):
    planted, html = leak_run
    assert len(set(planted)) >= 100
    bare = _SEPARATORS.sub("", html)
    for value in planted:
        assert value not in html, value
        if "@" in value:
            assert value.partition("@")[0] + "@" not in html, value
        else:  # the digits, however the report spaced them; an ID without its last characters
            digits = _SEPARATORS.sub("", value).removeprefix("86")
            assert digits not in bare, value
            assert digits[:14] not in bare, value
    # The plants did reach the report: a good share of them shows there, masked.
    shown = [v for v in planted if mask_text(v) in html]
    assert len(shown) >= 40, len(shown)


@pytest.mark.parametrize("text", [
    "2024-12-31", "2024-12-31 09:30", "1,234.50", "-250.00", "row 1048576", "C8CE759D2", "0.93", "ID says female",
    "same as row 12; counted once", "2024-03-04 (day first) or 2024-04-03 (month first)", "ID says 1949-12-31",
    "张伟 and 李娜 share this ID: see row 12 of a.xlsx › Sheet1",
], ids=["date", "date-time", "amount", "negative", "row", "customer-id", "score", "gender", "row-ref", "date-orders",
        "id-birth", "id-conflict"])
def test_masking_keeps_what_is_not_personal(text):
    assert mask_text(text) == text


@pytest.mark.parametrize("text, masked", [
    ("13312340024-file.owner@qq.com.xlsx", "1***@qq.com.xlsx"),
    ("13312340023客户", "13*******23客户"),
    ("北京智远咨询13312340050有限公司", "北京智远咨询13*******50有限公司"),
    ("电话13312340073", "电话13*******73"),
    ("11010519491231002X", "110************02X"),
    ("call +86 133-1234-0073 now", "call 13*******73 now"),
    ("9123 4568", "91****68"),
], ids=["file-name", "sheet-name", "company", "postcode", "id-number", "spaced", "short"])
def test_masking_finds_values_inside_text(text, masked):
    assert mask_text(text) == masked


def test_a_rule_over_two_filled_fields_is_not_called_empty(schema):
    # Issue 16.2: id-gender-mismatch read "ID *********le" and its (filled) cells "空 empty".
    from sheetkit.report import build_context, render_report
    from tests.conftest import run_rows

    result = run_rows([["姓名", "手机", "身份证号", "性别"], ["张伟", "13812345678", "11010519491231002X", "男"],
                       ["李娜", "", "", ""]], schema)
    context = build_context(result)
    rule = next(r for r in context["issues_by_rule"] if r["code"] == "id-gender-mismatch")
    example = rule["examples"][0]
    assert example["suggestion"] == "ID says female" and example["empty"] is False and example["value"] == ""
    html = render_report(context)
    item = html[html.index("id-gender-mismatch"):]
    item = item[:item.index("</tr>")]
    assert "ID says female" in item and "空 empty" not in item
    missing = next(r for r in context["issues_by_rule"] if r["code"] == "no-contact")
    assert missing["examples"][0]["empty"] is True  # there, the cells are empty


def test_a_field_of_personal_data_is_masked_whole():
    assert mask_value("phone", "12345") == "1***5"
    assert mask_value("id_number/gender", "ID says female") == "ID says female"


def test_the_template_masks_what_it_prints_even_unmasked_context(shop_result):
    # The jinja2 finalize: a text that skipped build_context's masking is masked when printed.
    from sheetkit.report import build_context, render_report

    context = build_context(shop_result)
    context["files"][0]["file"] = "13312340099-客户.xlsx"
    html = render_report(context)
    assert "13312340099" not in html and "13*******99-客户.xlsx" in html


def test_no_template_marks_data_safe():
    # finalize leaves Markup alone (a macro's output), so no filter may turn data into Markup.
    from sheetkit.resources import templates_dir

    for path in templates_dir().glob("*.j2"):
        source = path.read_text(encoding="utf-8")
        found = re.findall(r"\|\s*(safe|tojson|xmlattr|urlize|e|escape|forceescape)\b|autoescape\s+false", source)
        assert not found, (path.name, found)
