"""Sheets that split a name or an address into parts, and checks that belong to a region."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import run_rows

FEBRL_HEADER = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state",
                "date_of_birth", "soc_sec_id"]


def customer_of(result, row):
    lineage = result.lineage.set_index("source_row")
    return lineage.loc[row, "customer_id"]


def test_febrl_columns_map_onto_name_address_and_identifier_fields(schema):
    r = run_rows([FEBRL_HEADER,
                  ["rhonda", "kelly", "12", "high street", "flat 3", "richmond", "3121", "vic", "19560409", "5493827"],
                  ["kelly", "rhonda", "12", "high street", "flat 3", "richmond", "3121", "vic", "19560409", "5493827"]],
                 schema)
    c = r.customers
    assert len(c) == 1
    assert c.loc[0, "name"] in ("rhonda kelly", "kelly rhonda")
    assert c.loc[0, "address"] == "12 high street, flat 3"
    assert (c.loc[0, "city"], c.loc[0, "province"], c.loc[0, "personal_id"]) == ("richmond", "vic", "5493827")
    assert not (r.issues["code"] == "invalid-postcode").any()  # 3121 is an Australian postcode


def test_family_and_given_name_columns_build_the_name(schema):
    r = run_rows([["姓", "名字", "手机"], ["王", "小明", "13812345678"], ["玉珍", "宋", "13912345678"],
                  ["Last Name", None, None]], schema)
    names = r.customers.set_index("phone")[["name", "family_name", "given_name"]]
    assert names.loc["+8613812345678"].tolist() == ["王小明", "王", "小明"]
    assert names.loc["+8613912345678"].tolist() == ["宋玉珍", "宋", "玉珍"]  # the columns swapped, put back


def test_name_and_surname_columns_are_given_and_family_name(schema):
    r = run_rows([["Name", "Surname", "Email"], ["Rhonda", "Kelly", "rk@example.com"]], schema)
    assert r.customers.loc[0, ["name", "given_name", "family_name"]].tolist() == ["Rhonda Kelly", "Rhonda", "Kelly"]


# 马 | 宁芹 turned round (宁芹 | 马) cannot be put back: 宁 is a family name too
PEOPLE = [("Kelly", "Rhonda", "+61 412 345 678", "rkelly@gmail.com"), ("宋", "玉珍", "13912345678", "yz@163.com"),
          ("Martin", "Steven", "+44 7911 123456", "sm@yahoo.co.uk"), ("欧阳", "娜娜", "13712345678", "oy@qq.com"),
          ("马", "宁芹", "15843440837", "maningqin@hotmail.com")]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(PEOPLE) - 1), st.sampled_from(["as is", "swapped", "in family",
                                                                             "in given", "spaced"])),
                min_size=1, max_size=6))
def test_how_the_name_parts_are_typed_never_changes_the_customer(schema, typed):
    rows = [["Last Name", "First Name", "Phone", "Email"]]
    rows += [[family, given_name, phone, email] for family, given_name, phone, email in PEOPLE]  # rows 2-5
    for who, how in typed:
        family, given_name, phone, email = PEOPLE[who]
        full = family + given_name if family[0] > "z" else f"{given_name} {family}"
        parts = {"as is": [family, given_name], "swapped": [given_name, family], "in family": [full, None],
                 "in given": [None, full],
                 "spaced": [family, " ".join(given_name) if family[0] > "z" else given_name]}[how]  # 宁 芹
        rows.append([*parts, phone, email])
    r = run_rows(rows, schema)
    assert r.customers.shape[0] == len(PEOPLE)
    for i, (who, _) in enumerate(typed):
        assert customer_of(r, 2 + len(PEOPLE) + i) == customer_of(r, 2 + who)


@pytest.mark.parametrize("row,flagged", [
    (["王伟", "13812345678", "上海市浦东新区张江路1号", "20012", None], True),      # a Chinese postcode has six digits
    (["王伟", "13812345678", "上海市浦东新区张江路1号", "200120", None], False),
    (["Ann Lee", "+61 2 9876 5432", "3 Elm St", "2000", None], False),           # Australian: four
    (["Ann Lee", "+44 20 7946 0018", "3 Elm St", "SW1A 1AA", None], False),      # British, by shape
    (["Ann Lee", None, "3 Elm St", "2000", "Australia"], False),
    (["Ann Lee", None, None, "2000", "China"], True),
])
def test_postcodes_are_checked_by_the_rules_of_the_row_s_country(schema, row, flagged):
    r = run_rows([["Name", "Phone", "Address", "Postcode", "Country"], row], schema)
    found = r.issues[r.issues["code"] == "invalid-postcode"]
    assert (len(found) == 1) == flagged
    if flagged:
        assert found.iloc[0][["column", "value"]].tolist() == ["postcode", row[3]]


def test_phones_are_read_in_the_row_s_country(schema):
    r = run_rows([["Name", "Phone", "Address", "State"],
                  ["Rhonda Kelly", "0412 345 678", "12 High St, Richmond", "VIC"],
                  ["Bob Li", "07911 123456", "5 Mill Rd, Leeds", None],
                  ["张伟", "021-61234567", "上海市徐汇区漕溪北路1号", None]], schema)
    phones = dict(zip(r.customers["name"], r.customers["phone"]))
    assert phones == {"Rhonda Kelly": "+61412345678", "Bob Li": "+447911123456", "张伟": "+862161234567"}
