"""Issue 18: CRM import files from an output folder, and the preflight in each CRM's words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.crmprofile import CRMS, bundled_profile, load_profile
from sheetkit.export import build_export, derive_sources, read_customers
from sheetkit.lang import load_messages
from sheetkit.preflight import PREFLIGHT_COLUMNS
from sheetkit.sources import find_sources

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop"
EN = load_messages("en")


@pytest.fixture(scope="module")
def shop_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("shop") / "out"
    result = CliRunner().invoke(cli, ["run", str(SHOP), "-o", str(out), "--as-of", "2024-12-31", "-q"])
    assert result.exit_code == 0, result.output
    return out


def customers(**columns) -> pd.DataFrame:
    """A Customers sheet as export reads it: text, "" for empty; customer_id C1, C2, ..."""
    n = max(len(v) for v in columns.values())
    frame = pd.DataFrame({"customer_id": [f"C{i}" for i in range(1, n + 1)]})
    for name, values in columns.items():
        frame[name] = values
    return frame.fillna("").astype(str)


def problems(export, code=None) -> list[tuple]:
    p = export.preflight
    if code:
        p = p[p["code"] == code]
    return list(p[["file", "row", "customer_id", "column"]].itertuples(index=False, name=None))


@pytest.mark.parametrize("crm", CRMS)
def test_export_of_the_shop_writes_one_contact_per_customer_keyed_by_customer_id(shop_out, tmp_path, crm):
    dest = tmp_path / crm
    result = CliRunner().invoke(cli, ["export", str(shop_out), "--crm", crm, "-o", str(dest), "--lang", "en"])
    assert result.exit_code == 0, result.output
    profile = load_profile(bundled_profile(crm))
    preflight = pd.read_csv(dest / "preflight.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(preflight.columns) == PREFLIGHT_COLUMNS
    archive = read_customers(shop_out)
    contacts = profile.objects[1]
    read = (lambda p: pd.read_csv(p, dtype=str, keep_default_na=False)) if profile.format == "csv" else (
        lambda p: pd.read_excel(p, dtype=str, engine="calamine").fillna(""))
    frame = read(dest / f"{contacts.file}.{profile.format}")
    if contacts.rows == "customer":  # the external ID is the customer_id, once per customer
        id_column = next(c.name for c in contacts.columns if c.source == ("customer_id",))
        assert sorted(frame[id_column]) == sorted(archive["customer_id"])
    else:  # fxiaoke: contacts of companies, linked to their 客户 by identical 客户名称
        accounts = read(dest / f"{profile.objects[0].file}.{profile.format}")
        assert set(frame["客户名称"]) <= set(accounts["客户名称"])
        assert len(frame) == int((archive["company"] != "").sum())
    assert f"wrote {len([p for p in dest.iterdir() if not p.name.startswith('.')])} file(s)" in result.output


def test_hubspot_contacts_in_the_forms_hubspot_takes(tmp_path):
    frame = customers(name=["陈静", "Amy Zhang", "欧阳娜娜"], email=["chen.jing@yunfan.com", "AMY@qq.com", ""],
                      company=["上海云帆贸易有限公司", "", ""], phone=["+8613812345678", "138 1234 5678", ""],
                      lifecycle=["loyal", "prospect", "churned"], tags=["high value, multi-source", "", ""],
                      birth_on=["1990-05-01", "", ""], total_amount=["53380.0", "", "1,234.5"])
    export = build_export(frame, load_profile(bundled_profile("hubspot")), EN)
    contacts = export.frames["contacts"]
    assert contacts[["firstname", "lastname"]].values.tolist() == [["静", "陈"], ["Amy", "Zhang"], ["娜娜", "欧阳"]]
    assert contacts["email"].tolist() == ["chen.jing@yunfan.com", "amy@qq.com", ""]
    assert contacts["phone"].tolist() == ["+8613812345678", "+8613812345678", ""]  # E.164 via libphonenumber
    assert contacts["lifecyclestage"].tolist() == ["customer", "lead", "other"]  # internal values, not labels
    assert contacts["sheetkit_tags"].tolist() == ["high value;multi-source", "", ""]
    assert contacts["date_of_birth"].tolist() == ["1990-05-01", "", ""]
    assert contacts["sheetkit_total_amount"].tolist() == ["53380", "", "1234.5"]
    companies = export.frames["companies"]
    assert companies[["name", "domain"]].values.tolist() == [["上海云帆贸易有限公司", "yunfan.com"]]
    # the contact carries its company's domain, which HubSpot associates it by; qq.com is nobody's company
    assert contacts["associated_company_domain"].tolist() == ["yunfan.com", "", ""]
    # the third contact has a name, so it passes the one-of rule; a shared phone is not a unique key
    assert problems(export) == []


def test_preflight_finds_what_hubspot_would_refuse_with_its_codes_and_rows():
    frame = customers(name=["张伟", "", "李娜", "王芳", "赵敏"],
                      email=["zw@qq.com", "", "not-an-email", "zw@QQ.com", "zm@qq.com"],
                      owner=["张丽", "", "David", "张丽", "Nobody"],
                      lifecycle=["active", "", "", "", "vip"])
    owners = pd.DataFrame({"name": ["张丽", "David"], "email": ["zhangli@shop.cn", "david@shop.cn"]})
    export = build_export(frame, load_profile(bundled_profile("hubspot")), EN, owners)
    assert problems(export, "MISSING_REQUIRED_PROPERTY") == [("contacts.csv", 3, "C2", "email / firstname / lastname")]
    assert problems(export, "INVALID_EMAIL") == [("contacts.csv", 4, "C3", "email")]
    assert problems(export, "DUPLICATE_UNIQUE_PROPERTY_VALUE") == [("contacts.csv", 5, "C4", "email")]
    dup = export.preflight[export.preflight["code"] == "DUPLICATE_UNIQUE_PROPERTY_VALUE"]["message"].iloc[0]
    assert "row 2" in dup
    assert problems(export, "COULD_NOT_FIND_OWNER") == [("contacts.csv", 6, "C5", "hubspot_owner_id")]
    assert problems(export, "INVALID_ENUMERATION_OPTION") == [("contacts.csv", 6, "C5", "lifecyclestage")]
    assert export.rejected_rows() == 4


def test_zoho_owner_by_email_forbidden_characters_and_salesforce_lengths():
    owners = pd.DataFrame({"name": ["张丽"], "email": ["zhangli@shop.cn"]})
    frame = customers(name=['王"小"明', "李四"], owner=["张丽", ""], notes=["<b>VIP</b>", "ok"],
                      title=["x" * 129, ""])
    zoho = build_export(frame, load_profile(bundled_profile("zoho")), EN, owners)
    assert zoho.frames["contacts"]["Owner"].tolist() == ["zhangli@shop.cn", ""]  # Zoho: the user's exact e-mail
    assert problems(zoho, "FORBIDDEN_CHARACTER") == [("Contacts.xlsx", 2, "C1", "Description"),
                                                     ("Contacts.xlsx", 2, "C1", "Last_Name")]
    salesforce = build_export(frame, load_profile(bundled_profile("salesforce")), EN)
    assert problems(salesforce, "STRING_TOO_LONG") == [("contacts.csv", 2, "C1", "Title")]


def test_fxiaoke_accounts_are_companies_once_and_persons_with_digit_only_phones():
    frame = customers(name=["陈静", "刘洋", "张伟", "张伟"], company=["云帆贸易", "云帆贸易", "", ""],
                      phone=["+8613812345678", "+862161234567", "+8613900001111", "+61412345678"])
    export = build_export(frame, load_profile(bundled_profile("fxiaoke")), EN)
    accounts = export.frames["accounts"]
    assert accounts["客户名称"].tolist() == ["云帆贸易", "张伟", "张伟"]
    assert accounts["电话"].tolist() == ["13812345678", "13900001111", "0061412345678"]
    assert problems(export, "DUPLICATE_NAME") == [("客户.xlsx", 4, "C4", "客户名称")]  # two 张伟: make them distinct
    contacts = export.frames["contacts"]
    assert contacts[["姓名", "客户名称", "手机"]].values.tolist() == [["陈静", "云帆贸易", "13812345678"],
                                                                ["刘洋", "云帆贸易", "02161234567"]]


def test_own_profile_splits_files_past_the_row_limit_with_a_bom_and_inert_formulas(shop_out, tmp_path):
    text = bundled_profile("hubspot").read_text(encoding="utf-8")
    profile = tmp_path / "mine.yaml"
    profile.write_text(text.replace("max_rows: 1048576", "max_rows: 10").replace("encoding: utf-8 ", "encoding: utf-8-sig "),
                       encoding="utf-8")
    dest = tmp_path / "mine"
    result = CliRunner().invoke(cli, ["export", str(shop_out), "--profile", str(profile), "-o", str(dest), "-q"])
    assert result.exit_code == 0, result.output
    parts = sorted(dest.glob("contacts-*.csv"))
    assert [p.name for p in parts] == ["contacts-1.csv", "contacts-2.csv", "contacts-3.csv", "contacts-4.csv"]
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in parts)
    rows = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig") for p in parts])
    assert len(rows) == len(read_customers(shop_out))
    assert max(len(pd.read_csv(p, encoding="utf-8-sig")) for p in parts) == 10
    assert "'=HYPERLINK(\"http://x\",\"click\")" in rows["lastname"].tolist()  # quote-prefixed, never a formula
    preflight = pd.read_csv(dest / "preflight.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for file, row, column, value in preflight[["file", "row", "column", "value"]].itertuples(index=False):
        written = pd.read_csv(dest / file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        assert written.loc[int(row) - 2, column] == value  # the row and file the CRM will name


def test_hubspot_file_is_utf8_without_bom_and_keeps_chinese(shop_out, tmp_path):
    CliRunner().invoke(cli, ["export", str(shop_out), "--crm", "hubspot", "-o", str(tmp_path), "-q"])
    raw = (tmp_path / "contacts.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert "上海云帆贸易有限公司" in raw.decode("utf-8")


@pytest.mark.parametrize("crm", ["hubspot", "salesforce"])
def test_written_files_pass_the_independent_check_script(shop_out, tmp_path, crm):
    CliRunner().invoke(cli, ["export", str(shop_out), "--crm", crm, "-o", str(tmp_path), "-q"])
    check = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "check_crm.py"), str(tmp_path), "--crm", crm],
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "not in preflight: 0; file-level problems: 0" in check.stdout


def test_fail_on_error_exits_3_when_a_row_would_be_refused(shop_out, tmp_path):
    result = CliRunner().invoke(cli, ["export", str(shop_out), "--crm", "hubspot", "-o", str(tmp_path),
                                      "--fail-on", "error", "--lang", "en"])
    assert result.exit_code == 3
    assert "INVALID_EMAIL · email · contacts.csv" in result.output


def test_messages_follow_the_language(shop_out, tmp_path):
    result = CliRunner().invoke(cli, ["export", str(shop_out), "--crm", "zoho", "-o", str(tmp_path), "--lang", "zh"])
    assert "预检" in result.output and "Zoho CRM" in result.output
    preflight = pd.read_csv(tmp_path / "preflight.csv", dtype=str, encoding="utf-8-sig")
    assert preflight["code"].isin(["INVALID_DATA", "FORBIDDEN_CHARACTER"]).all()  # codes never translated
    assert preflight["message"].str.contains("邮箱|电话|字符|Email|Phone").all()


def test_a_bad_profile_is_one_message_naming_each_key(shop_out, tmp_path):
    profile = tmp_path / "bad.yaml"
    profile.write_text(bundled_profile("hubspot").read_text(encoding="utf-8")
                       .replace("email: {from: email, format: email}", "email: {from: email, format: mail}")
                       .replace("max_rows: 1048576", "max_rows: lots"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(shop_out), "--profile", str(profile)])
    assert result.exit_code == 1
    assert "objects.contacts.columns.email.format: 'mail' is not one of" in result.output
    assert "max_rows: expected a whole number" in result.output
    assert "Traceback" not in result.output


def test_no_output_folder_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["export", str(tmp_path), "--crm", "hubspot"])
    assert result.exit_code == 1
    assert "holds no cleaned.xlsx" in result.output


def test_a_run_over_the_folder_does_not_read_the_export_back(shop_out, tmp_path):
    CliRunner().invoke(cli, ["export", str(shop_out), "--crm", "zoho", "-q"])
    found = {s.path.name: s.skip for s in find_sources([shop_out / "export-zoho"])}
    assert found["Contacts.xlsx"].startswith("sheetkit's own output")


def test_names_and_domains_are_derived_on_whole_columns():
    frame = derive_sources(pd.DataFrame({"name": ["司马相如", "Li", "王"], "family_name": ["", "", ""],
                                         "given_name": ["", "", ""], "company": ["A", "B", ""],
                                         "email": ["s@gmail.com", "li@b.cn", ""], "customer_id": ["1", "2", "3"]}))
    assert frame[["last_name", "first_name", "company_domain"]].values.tolist() == [
        ["司马", "相如", ""], ["Li", "", "b.cn"], ["王", "", ""]]
