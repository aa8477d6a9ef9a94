"""Issue 18: a workbook and report per role, masked; encrypted copies; the share log.

The planted archive has customers of two owners, with phones, e-mails, ID numbers, birth
dates and addresses, and a phone in the input file's name. For each role every cell,
cell note and sheet name of the workbook, and the text of its report, are scanned: what
the role may not see must not be there in clear.
"""

from __future__ import annotations

import io
import json
import sqlite3
import re

import msoffcrypto
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from msoffcrypto.exceptions import InvalidKeyError

from sheetkit.cli import cli
from sheetkit.roles import apply_mask, load_roles

FILE_PHONE = "13300001111"  # in the input file's name: only the manager's files may name the file


def _id_number(body: str) -> str:
    """A valid 18-character resident ID: 17 digits and their check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


CUSTOMERS = [  # name, phone, e-mail, company, address, ID, birthday, owner, note
    ("陈静怡", "13812340001", "chenjingyi@qq.com", "云帆贸易", "上海市黄浦区南京东路100号", _id_number("31010119900501002"),
     "1990-05-01", "张丽", "备用 13977770001"),
    ("刘洋洋", "13812340002", "liuyangyang@163.com", "", "杭州市西湖区文三路8号", _id_number("33010619851212003"),
     "1985-12-12", "张丽", "身份证 " + _id_number("33010619851212003")),
    ("王建军", "13812340003", "wangjianjun@126.com", "绿源科技", "北京市朝阳区建国路5号", _id_number("11010519700101004"),
     "1970-01-01", "张丽", ""),
    ("Amy Walker", "13812340004", "amy.walker@gmail.com", "Walker Studio", "深圳市南山区科技园1栋",
     _id_number("44030519950707005"), "1995-07-07", "David", "met at fair"),
    ("赵晓敏", "13812340005", "zhaoxiaomin@qq.com", "", "广州市天河区体育西路9号", _id_number("44010619880808006"),
     "1988-08-08", "David", "call 13977770005"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("share")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户"
    ws.append(["客户姓名", "手机", "邮箱", "公司", "地址", "身份证号", "生日", "负责人", "备注", "交易日期", "金额"])
    for i, c in enumerate(CUSTOMERS):
        ws.append([*c, f"2024-0{i + 1}-15", 1000 * (i + 1) + 0.5])
    ws.append([CUSTOMERS[0][0], CUSTOMERS[0][1], "", "", "", "", "", "张丽", "", "2024-11-20", 777.25])
    source = folder / "in" / f"客户-{FILE_PHONE}.xlsx"
    source.parent.mkdir()
    wb.save(source)
    out = folder / "out"
    result = CliRunner().invoke(cli, ["run", str(source.parent), "-o", str(out), "--as-of", "2024-12-31", "-q"])
    assert result.exit_code == 0, result.output
    return out


def share(archive, *args, env=None):
    result = CliRunner().invoke(cli, ["share", str(archive), *args], env=env or {})
    assert result.exit_code == 0, result.output
    return result


def texts_of(workbook_bytes: bytes, report: str) -> str:
    """Every cell, cell note and sheet name of a workbook, and the report's text, as one string."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    parts = [report]
    for ws in wb.worksheets:
        parts.append(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    parts.append(str(cell.value))
                if cell.comment is not None:
                    parts.append(cell.comment.text)
    return "\n".join(parts)


def in_clear(text: str, value: str) -> bool:
    """Whether ``value`` shows in ``text``; a phone also with spaces, dashes or +86 between its digits."""
    if value.isdigit():
        return value in re.sub(r"[\s\-]", "", text)
    return value.lower() in text.lower()


def written(archive, name):
    path = archive / "shared" / name
    return path.read_bytes(), path.with_suffix(".html").read_text(encoding="utf-8")


def test_manager_sees_everything_including_file_names(archive):
    share(archive, "--role", "manager", "--lang", "en")
    text = texts_of(*written(archive, "manager.xlsx"))
    for name, phone, email, *_ in CUSTOMERS:
        assert in_clear(text, name) and in_clear(text, phone) and in_clear(text, email)
    assert in_clear(text, CUSTOMERS[0][5])  # the scan finds what is there, so the other tests can trust it
    assert FILE_PHONE in text  # Transactions' source_file: the manager may see it


def test_sales_sees_only_own_customers_and_no_id_numbers(archive):
    share(archive, "--role", "sales", "--owner", "张丽", "--lang", "zh")
    text = texts_of(*written(archive, "sales-张丽.xlsx"))
    own = [c for c in CUSTOMERS if c[7] == "张丽"]
    for name, phone, email, *_ in own:
        assert in_clear(text, name) and in_clear(text, phone) and in_clear(text, email)
    for name, phone, email, company, address, *_ in [c for c in CUSTOMERS if c[7] != "张丽"]:
        for value in (name, phone, email, address):
            assert not in_clear(text, value), value
    for c in CUSTOMERS:
        assert not in_clear(text, c[5]) and not in_clear(text, c[6])  # ID numbers, birth dates
    assert not in_clear(text, FILE_PHONE)
    assert not in_clear(text, "13977770001")  # the phone inside a note is masked
    assert "客户" in openpyxl.load_workbook(archive / "shared" / "sales-张丽.xlsx").sheetnames


def test_frontdesk_sees_names_and_masked_contacts_only(archive):
    share(archive, "--role", "frontdesk")
    data, report = written(archive, "frontdesk.xlsx")
    text = texts_of(data, report)
    for name, phone, email, company, address, id_number, birthday, *_ in CUSTOMERS:
        assert in_clear(text, name)
        for value in (phone, email, address, id_number, birthday):
            assert not in_clear(text, value), value
    assert "138****0001" in text and "c***@qq.com" in text
    for amount in ("1000.5", "1,000.50", "777.25"):
        assert amount not in text
    assert not in_clear(text, FILE_PHONE)


def test_analyst_sees_no_direct_identifier(archive):
    share(archive, "--role", "analyst", "--lang", "en")
    data, report = written(archive, "analyst.xlsx")
    text = texts_of(data, report)
    ids = pd.read_excel(archive / "cleaned.xlsx", sheet_name="Customers", dtype=str, engine="calamine")["customer_id"]
    for name, phone, email, company, address, id_number, birthday, *_ in CUSTOMERS:
        for value in (name, phone, email, address, id_number, birthday):
            assert not in_clear(text, value), value
    for customer_id in ids:
        assert customer_id not in text
    assert not in_clear(text, FILE_PHONE)
    customers = pd.read_excel(io.BytesIO(data), sheet_name="Customers", engine="calamine")
    assert sorted(customers["Age"].dropna().astype(int)) == [29, 34, 36, 39, 54]  # at the as-of date
    assert set(customers["City"].dropna()) >= {"上海市", "杭州市"}


def test_pseudonyms_are_stable_between_shares_of_one_output(archive, tmp_path):
    share(archive, "--role", "analyst", "-o", str(tmp_path / "a.xlsx"), "--lang", "en")
    share(archive, "--role", "analyst", "-o", str(tmp_path / "b.xlsx"), "--lang", "en")
    first = pd.read_excel(tmp_path / "a.xlsx", sheet_name="Customers", engine="calamine")
    second = pd.read_excel(tmp_path / "b.xlsx", sheet_name="Customers", engine="calamine")
    assert first["Customer ID"].tolist() == second["Customer ID"].tolist()
    assert first["Customer ID"].str.match(r"^P[A-Z2-9]{12}$").all()
    assert first["Customer ID"].is_unique


def test_encrypted_copy_opens_with_the_password_and_not_without(archive, tmp_path):
    path = tmp_path / "sales.xlsx"
    share(archive, "--role", "sales", "--owner", "张丽", "--password", "客户密码2024", "-o", str(path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xd0\xcf\x11\xe0")  # an OLE container, not a readable zip
    assert not in_clear(raw.decode("latin-1"), CUSTOMERS[0][1])
    office = msoffcrypto.OfficeFile(io.BytesIO(raw))
    office.load_key(password="客户密码2024", verify_password=True)
    plain = io.BytesIO()
    office.decrypt(plain, verify_integrity=True)
    assert in_clear(texts_of(plain.getvalue(), ""), CUSTOMERS[0][1])
    wrong = msoffcrypto.OfficeFile(io.BytesIO(raw))
    with pytest.raises(InvalidKeyError):
        wrong.load_key(password="guess", verify_password=True)
    with pytest.raises(Exception):
        openpyxl.load_workbook(path)


def test_password_from_the_environment_and_from_password_file(archive, tmp_path):
    share(archive, "--role", "frontdesk", "-o", str(tmp_path / "env.xlsx"), env={"SHEETKIT_SHARE_PASSWORD": "cron-pw"})
    (tmp_path / "pw.txt").write_text("file-pw\n", encoding="utf-8")
    (tmp_path / "sheetkit.toml").write_text('password_file = "pw.txt"\nlang = "zh"\n', encoding="utf-8")
    result = share(archive, "--role", "frontdesk", "-o", str(tmp_path / "cfg.xlsx"),
                   "--config", str(tmp_path / "sheetkit.toml"))
    assert "已加密" in result.output
    for name, password in (("env.xlsx", "cron-pw"), ("cfg.xlsx", "file-pw")):
        office = msoffcrypto.OfficeFile(open(tmp_path / name, "rb"))
        office.load_key(password=password, verify_password=True)


def test_every_share_is_logged_beside_the_outputs(archive, tmp_path):
    log = archive / "shared.log"
    before = len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0
    share(archive, "--role", "sales", "--owner", "David", "--password", "x", "-o", str(tmp_path / "d.xlsx"))
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == before + 1
    entry = json.loads(lines[-1])
    assert (entry["role"], entry["owner"], entry["rows"], entry["encrypted"]) == ("sales", "David", 2, True)
    assert "id_number" not in entry["sheets"]["Customers"] and "phone" in entry["sheets"]["Customers"]
    assert entry["files"][0].endswith("d.xlsx")
    with sqlite3.connect(archive / "archive.sqlite") as con:  # and in the output folder's archive
        logged = con.execute("SELECT role, owner, rows, encrypted, files FROM shares").fetchall()
    assert logged[-1][:4] == ("sales", "David", 2, 1) and logged[-1][4].split("; ")[0].endswith("d.xlsx")


def test_headers_sheet_names_and_report_follow_the_language(archive, tmp_path):
    share(archive, "--role", "frontdesk", "--lang", "zh", "-o", str(tmp_path / "zh.xlsx"))
    share(archive, "--role", "frontdesk", "--lang", "en", "-o", str(tmp_path / "en.xlsx"))
    zh = pd.read_excel(tmp_path / "zh.xlsx", sheet_name=None, engine="calamine")
    en = pd.read_excel(tmp_path / "en.xlsx", sheet_name=None, engine="calamine")
    assert list(zh) == ["客户", "说明"] and list(en) == ["Customers", "About"]
    assert list(zh["客户"].columns) == ["客户ID", "客户姓名", "称呼", "电话", "邮箱", "公司"]
    assert list(en["Customers"].columns) == ["Customer ID", "Name", "Form of address", "Phone", "E-mail", "Company"]
    report_zh = (tmp_path / "zh.html").read_text(encoding="utf-8")
    report_en = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert "客户名单（前台）" in report_zh and "Customer list (Front desk)" not in report_zh
    assert "Customer list (Front desk)" in report_en and "前台" not in report_en


def test_sales_without_an_owner_and_an_unknown_role_are_one_line_errors(archive):
    result = CliRunner().invoke(cli, ["share", str(archive), "--role", "sales"])
    assert result.exit_code == 1
    assert "role sales shows one owner's customers: add --owner NAME (owners in this output: David, 张丽)" in result.output
    result = CliRunner().invoke(cli, ["share", str(archive), "--role", "boss"])
    assert result.exit_code == 2 and "roles: manager, sales, frontdesk, analyst" in result.output


def test_a_bad_roles_file_names_the_key(archive, tmp_path):
    roles = tmp_path / "roles.yaml"
    roles.write_text("roles:\n  temp:\n    sheets:\n      Customers: {name: blur}\n      Lineage: {'*': keep}\n",
                     encoding="utf-8")
    result = CliRunner().invoke(cli, ["share", str(archive), "--role", "temp", "--roles", str(roles)])
    assert result.exit_code == 1
    assert "roles.temp.sheets.Customers.name: 'blur' is not a mask" in result.output
    assert "roles.temp.sheets.Lineage: not a sheet a role can see" in result.output


def test_masks_on_whole_columns():
    phones = pd.Series(["+8613812345678", "021-6123 4567", "12345", ""])
    assert apply_mask(phones, "phone").tolist() == ["138****5678", "021****4567", "****45", ""]
    ids = pd.Series(["11010519491231002X", "110105491231002"])
    assert apply_mask(ids, "id").tolist() == ["110*************2X", "110**********02"]
    assert apply_mask(pd.Series(["1990-05-01", "bad"]), "age", as_of=pd.Timestamp("2024-04-30")).tolist() == ["33", ""]
    assert apply_mask(pd.Series(["no@at"]), "email").tolist() == ["n***@at"]


def test_bundled_roles_leave_unlisted_columns_out():
    roles = load_roles()
    columns = ["customer_id", "name", "phone", "id_number", "来源", "new_column_next_year"]
    assert roles["frontdesk"].columns("Customers", columns) == {"customer_id": "keep", "name": "keep", "phone": "phone"}
    assert set(roles["manager"].columns("Customers", columns)) == set(columns)
