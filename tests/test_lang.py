"""Issue 18: the language of what people read (--lang), from a catalogue kept as data."""

from __future__ import annotations

import re
import string

import pytest
import yaml
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.lang import load_messages, resolve_lang, system_lang
from sheetkit.output import write_outputs
from sheetkit.report import build_context, render_report
from sheetkit.resources import messages_path


def test_every_text_is_in_both_languages_with_the_same_placeholders():
    catalogue = yaml.safe_load(messages_path().read_text(encoding="utf-8"))
    fields = lambda text: sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)  # noqa: E731
    for key, entry in catalogue.items():
        assert set(entry) == {"zh", "en"}, key
        assert fields(str(entry["zh"])) == fields(str(entry["en"])), key


@pytest.mark.parametrize("option, configured, env, expected", [
    ("en", "zh", {"LANG": "zh_CN.UTF-8"}, "en"),
    (None, "zh", {"LANG": "en_US.UTF-8"}, "zh"),
    (None, "", {"LANG": "zh_CN.UTF-8"}, "zh"),
    (None, "", {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
    (None, "", {}, "en"),
], ids=["option", "config", "locale", "lc-all-first", "nothing"])
def test_language_comes_from_option_then_config_then_locale(option, configured, env, expected):
    assert resolve_lang(option, configured, env) == expected


def test_the_cli_speaks_the_system_locale_when_nothing_else_says(shop_result, tmp_path, monkeypatch):
    write_outputs(shop_result, tmp_path / "out")
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert system_lang() == "zh"
    chinese = CliRunner().invoke(cli, ["export", str(tmp_path / "out"), "--crm", "hubspot"])
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    english = CliRunner().invoke(cli, ["export", str(tmp_path / "out"), "--crm", "hubspot"])
    assert "预检" in chinese.output and "preflight:" not in chinese.output
    assert "preflight:" in english.output and "预检" not in english.output


def test_unknown_key_shows_itself_and_columns_fall_back_to_their_name():
    zh = load_messages("zh")
    assert zh("no.such.key") == "no.such.key"
    assert zh.column("phone") == "电话" and zh.column("来源") == "来源"
    assert zh.sheet("Customers") == "客户" and load_messages("en").sheet("About") == "About"


def test_report_sections_written_through_the_macros_follow_the_language(shop_result):
    context = build_context(shop_result)
    both, en, zh = (render_report(context, lang=lang) for lang in (None, "en", "zh"))
    headings = lambda html: re.findall(r"<h2>.*?</h2>", html)  # noqa: E731
    first = {name: headings(html)[0] for name, html in (("both", both), ("en", en), ("zh", zh))}
    assert "概览" in first["both"] and "Summary" in first["both"]
    assert "Summary" in first["en"] and "概览" not in first["en"]
    assert "概览" in first["zh"] and "Summary" not in first["zh"]
    assert "错误 · error" in both and "错误 · error" not in en and "错误 · error" not in zh


def _visible_text(html: str) -> str:
    """The report's text a reader sees, without the table of contents (its lines keep both
    languages for other sections to add theirs; the style shows only the chosen one)."""
    body = re.sub(r"<style.*?</style>|<nav class=\"toc\".*?</nav>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_an_english_report_of_english_data_has_no_chinese_and_the_other_way_round(schema):
    from tests.conftest import run_rows

    result = run_rows([["Name", "Phone", "Email", "Order date", "Amount"],
                       ["Amy Walker", "+61 412 345 678", "amy@walker.au", "2024-05-01", "120"],
                       ["Bob Stone", "+61 412 345 679", "bob@stone", "2024-06-01", "80"]], schema)
    context = build_context(result)
    english = _visible_text(render_report(context, lang="en"))
    assert not re.findall(r"[\u4e00-\u9fff]+", english)
    chinese = _visible_text(render_report(context, lang="zh"))
    for sentence in ("The overall result of this run", "Overall health score", "Issues by rule",
                     "Share of customers in the archive", "Bar length is relative", "Phone numbers, e-mails"):
        assert sentence not in chinese
    assert "本次整理的总体结果" in chinese and "近12个月消费" in chinese
