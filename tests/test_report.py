"""The HTML report: a context contract, masking, escaping, and one self-contained file."""

from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from sheetkit.report import build_context, mask_email, mask_phone, render_report
from tests.conftest import run_rows

SAMPLE = Path(__file__).parent / "data" / "report_context_sample.json"


def keys(obj, prefix=""):
    """Every key path of a context, list items merged: {"totals.files", "files[].mapping[].header", ...}."""
    out = set()
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.add(prefix + k)
            out |= keys(v, prefix + k + ".")
    elif isinstance(obj, list):
        for item in obj:
            out |= keys(item, prefix[:-1] + "[].")
    return out


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.ids = [], [], set()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if dict(attrs).get("id"):
            self.ids.add(dict(attrs)["id"])

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def shop_context(shop_result):
    return build_context(shop_result)


def test_context_has_exactly_the_documented_keys(shop_context):
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert keys(shop_context) == keys(sample)


def test_context_counts_agree_with_the_result(shop_context, shop_result):
    t = shop_context["totals"]
    assert t["customers"] == len(shop_result.customers)
    assert t["rows_read"] == len(shop_result.lineage)
    assert t["review_pairs"] == len(shop_result.review) == len(shop_context["review"])
    assert t["transactions"] == len(shop_result.transactions)
    assert t["files_failed"] == 1
    assert sum(r["count"] for r in shop_context["issues_by_rule"]) == t["issues"] == len(shop_result.issues)
    assert {c["id"] for c in shop_context["charts"]} >= {"value-tier", "lifecycle", "rfm", "freshness", "health"}
    for chart in shop_context["charts"]:
        assert sum(b["value"] for b in chart["bars"]) == len(shop_result.customers), chart["id"]


def test_report_masks_every_phone_and_email(shop_context, shop_result):
    html = render_report(shop_context)
    for col in ("phone", "email"):
        for value in shop_result.records[col].dropna():
            assert value not in html, f"unmasked {col} {value}"
    digits = re.findall(r"1[3-9]\d{9}", html)
    assert digits == []


def test_report_escapes_data_and_needs_no_network(schema):
    result = run_rows([["姓名", "手机", "公司"], ["<script>alert(1)</script>", "13812345678", "x"],
                       ["<script>alert(1)</script>", "13812345678", "y"]], schema)
    html = render_report(build_context(result))
    parser = _Collector()
    parser.feed(html)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for tag, attrs in parser.tags:
        assert tag not in ("link", "img", "iframe"), tag
        assert not (attrs.get("src") or "").startswith(("http", "//")), attrs
    assert html.count("<svg") >= 5


def test_a_run_with_nothing_to_report_still_renders(schema):
    result = run_rows([["姓名", "手机"]], schema)
    html = render_report(build_context(result))
    assert "客户档案质量报告" in html


@pytest.mark.parametrize("value, masked", [
    ("+8613812345678", "13*******78"), ("13812345678", "13*******78"), ("+862161234567", "02*******67"),
    ("9123 4568", "91****68"), ("61234567", "61****67"), ("021-6123-4567", "02*******67"), ("", ""),
], ids=["cn-mobile-intl", "cn-mobile", "cn-landline-intl", "short-spaced", "short", "landline-dashed", "empty"])
def test_mask_phone(value, masked):
    # At most half the digits show (issue 16.2): min(n // 4, 3) at each end.
    assert mask_phone(value) == masked


def test_mask_email():
    assert mask_email("zhang.wei@qq.com") == "z***@qq.com"


def test_review_table_says_when_it_shows_only_some_pairs(shop_result):
    # Issue 15.7: it stopped at 50 of 370 pairs without saying so.
    many = dataclasses.replace(shop_result, review=pd.concat([shop_result.review] * 3, ignore_index=True),
                               config=shop_result.config.replace(report_rows=2))
    text = " ".join(render_report(build_context(many)).split())
    total = 3 * len(shop_result.review)
    assert f"显示前 2 对，共 {total} 对；全部见 cleaned.xlsx › Review · Showing 2 of {total}; all in cleaned.xlsx › Review." in text
    whole = render_report(build_context(shop_result))
    assert "all in cleaned.xlsx › Review" not in whole  # every pair is shown: nothing to say


def test_report_lists_each_tag_rule_and_each_owner(shop_context, shop_result):
    html = render_report(shop_context)
    parser = _Collector()
    parser.feed(html)
    assert {"tags", "owners", "pool", "verify"} <= parser.ids
    assert 'href="#tags"' in html and 'href="#owners"' in html  # in the table of contents
    tags = html.split('id="tags"', 1)[1].split("</section>", 1)[0]
    for level, tag, rule, n in shop_result.tag_counts.itertuples(index=False):
        row = tags.split(f">{tag}<", 1)[1].split("</tr>", 1)[0]
        assert f">{n}<" in row, tag
    owners = html.split('id="owners"', 1)[1].split('id="pool"', 1)[0]
    for row in shop_result.owners.itertuples():
        assert f">{row.owner}<" in owners
    assert [o["customers"] for o in shop_context["owners"]] == shop_result.owners["customers"].tolist()
    assert shop_context["pool"]["total"] == len(shop_result.pool) > 0
    assert shop_context["verify"]["total"] == len(shop_result.verify) > 0


def test_report_masks_the_values_the_verify_list_names(shop_context):
    checks = " ".join(v["check"] for v in shop_context["verify"]["rows"])
    assert "li.qq.com" not in checks and "wang@@163.com" not in checks and "12345 " not in checks
    assert "is not a valid" in checks
