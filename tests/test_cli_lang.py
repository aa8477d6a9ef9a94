"""`--lang` on every command, and the terminal in Chinese: run, check and log say the same
things in zh as in en, from the catalogue; errors name file, sheet and row alike."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest
import yaml
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.lang import load_messages
from sheetkit.resources import messages_path
from tests.conftest import ROOT, SHOP

CJK = re.compile(r"[\u3400-\u9fff]")
NUMBER = re.compile(r"\d[\d,]*")


def _numbers(line: str) -> list[int]:
    return [int(n.replace(",", "")) for n in NUMBER.findall(line)]


def _line(text: str, part: str) -> str:
    return next(line for line in text.splitlines() if part in line)


@pytest.fixture(scope="module")
def shop_runs(tmp_path_factory):
    """`sheetkit run examples/shop` in Chinese and in English (outputs in their own folders)."""
    runs = {}
    for lang in ("zh", "en"):
        out = tmp_path_factory.mktemp(lang)
        result = CliRunner().invoke(cli, ["run", str(SHOP), "-o", str(out), "--as-of", "2024-12-31",
                                          "--lang", lang, "--fail-on", "error"])
        assert result.exit_code == 3, result.output  # the shop has 2 errors
        runs[lang] = result, out
    return runs


def test_run_in_chinese_says_the_same_counts_as_in_english(shop_runs):
    zh, en = shop_runs["zh"][0].stderr, shop_runs["en"][0].stderr
    pairs = [(_line(zh, " 行 → "), _line(en, "rows read →")),
             (_line(zh, "问题："), _line(en, "issues:")),
             (_line(zh, "退出码 3"), _line(en, "exit code 3"))]
    for chinese, english in pairs:
        assert _numbers(chinese) == _numbers(english), (chinese, english)
    assert _numbers(pairs[0][0]) == [72, 32, 31, 1, 1, 8, 25]  # examples/shop/README.md's counts
    assert "个客户" in zh and "对待核对" in zh and "rows read" not in zh
    # the unreadable file is named in both, the same way, and the run goes on
    assert "错误：损坏的文件.xlsx：文件已损坏，或不是真正的 .xlsx 文件（内容不是工作簿）（已跳过" in zh
    assert "error: 损坏的文件.xlsx: damaged or not a real .xlsx file" in en


def test_every_progress_line_names_its_stage_in_the_chosen_language(shop_runs):
    zh, en = shop_runs["zh"][0].stderr, shop_runs["en"][0].stderr
    stages = lambda text, unit: [line.split()[0] for line in text.splitlines() if unit in line]  # noqa: E731
    zh_stages, en_stages = stages(zh, " 行）"), stages(en, " rows/s)")
    assert len(zh_stages) == len(en_stages) >= 14  # open ... workbook, archive
    assert all(CJK.search(stage) for stage in zh_stages), zh_stages
    assert not any(CJK.search(stage) for stage in en_stages), en_stages


def test_the_report_follows_run_lang(shop_runs):
    heading = lambda out: re.search(r"<h2>(.*?)</h2>", (out / "report.html").read_text("utf-8")).group(1)  # noqa: E731
    assert "概览" in heading(shop_runs["zh"][1]) and "Summary" not in heading(shop_runs["zh"][1])
    assert "Summary" in heading(shop_runs["en"][1]) and "概览" not in heading(shop_runs["en"][1])


def test_log_headings_in_chinese_over_the_same_rows(shop_runs):
    out = shop_runs["zh"][1]
    zh = CliRunner().invoke(cli, ["log", str(out), "--lang", "zh"])
    en = CliRunner().invoke(cli, ["log", str(out), "--lang", "en"])
    assert zh.exit_code == en.exit_code == 0, zh.output
    assert "客户" in zh.stdout.splitlines()[0] and "健康分" in zh.stdout.splitlines()[0]
    assert "customers" in en.stdout.splitlines()[0]
    assert _numbers(zh.stdout.splitlines()[1]) == _numbers(en.stdout.splitlines()[1])
    assert "完成" in zh.stdout.splitlines()[1] and " done " in en.stdout.splitlines()[1]
    as_json = CliRunner().invoke(cli, ["log", str(out), "--lang", "zh", "--json"])
    assert "customers" in json.loads(as_json.stdout.splitlines()[0])  # scripts read English keys


@pytest.mark.parametrize("command", [
    ["run", str(SHOP)], ["check", str(SHOP)], ["log", str(SHOP)],
    ["export", str(SHOP), "--crm", "hubspot"], ["share", str(SHOP), "--role", "sales"],
], ids=lambda c: c[0])
def test_a_bad_lang_is_a_usage_error_listing_the_choices(command):
    result = CliRunner().invoke(cli, [*command, "--lang", "fr"])
    assert result.exit_code == 2
    assert "Invalid value for '--lang': 'fr' is not one of 'en', 'zh', 'both'." in result.stderr


def test_run_help_documents_lang():
    help_text = CliRunner().invoke(cli, ["run", "--help"]).output
    assert "--lang [en|zh|both]" in help_text and "SHEETKIT_LANG" in help_text


CSV = str(SHOP / "crm-export.csv")


@pytest.mark.parametrize("env, config, option, chinese", [
    ({"SHEETKIT_LANG": "zh"}, None, None, True),
    ({"LANG": "zh_CN.UTF-8"}, None, None, True),
    ({"SHEETKIT_LANG": "en", "LANG": "zh_CN.UTF-8"}, None, None, False),
    ({"SHEETKIT_LANG": "zh"}, "en", None, False),
    ({}, "zh", "en", False),
    ({"LANG": "en_US.UTF-8"}, None, "zh", True),
    ({}, None, None, False),
], ids=["sheetkit-lang", "locale", "sheetkit-lang-over-locale", "config-over-env", "option-over-config",
        "option", "nothing-english"])
def test_check_speaks_option_then_config_then_environment(env, config, option, chinese, tmp_path, monkeypatch):
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    args = ["check", CSV, "--as-of", "2024-12-31"]
    if config:
        (tmp_path / "sheetkit.toml").write_text(f'lang = "{config}"\n', encoding="utf-8")
        args += ["--config", str(tmp_path / "sheetkit.toml")]
    if option:
        args += ["--lang", option]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert ("检查了 6 行" in result.stdout) is chinese and ("6 rows checked" in result.stdout) is not chinese


def test_check_json_keys_stay_english_in_chinese():
    zh = CliRunner().invoke(cli, ["check", CSV, "--json", "--lang", "zh", "-q"])
    en = CliRunner().invoke(cli, ["check", CSV, "--json", "--lang", "en", "-q"])
    assert json.loads(zh.stdout) == json.loads(en.stdout)


def test_check_in_chinese_names_file_sheet_and_row_like_english():
    zh = CliRunner().invoke(cli, ["check", str(SHOP), "--as-of", "2024-12-31", "--lang", "zh"]).stdout
    en = CliRunner().invoke(cli, ["check", str(SHOP), "--as-of", "2024-12-31", "--lang", "en"]).stdout
    assert "例：sales-david.xlsx › Customers › 第 7 行: wang@@163.com" in zh
    assert "e.g. sales-david.xlsx › Customers › row 7: wang@@163.com" in en
    assert "邮箱地址无效" in zh and "Not a valid e-mail address" not in zh  # the Chinese side of the message
    assert _numbers(_line(zh, "检查了")) == _numbers(_line(en, "64 rows"))


def test_errors_that_stop_a_run_are_said_in_chinese(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.xlsx").write_bytes(b"")
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--lang", "zh"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "错误：empty.xlsx：文件是空的（0 字节）" in result.stderr  # the file, named as in English
    assert result.stderr.strip().splitlines()[-1] == f"错误：在 {tmp_path / 'in'} 中没有找到可读取的表格文件"


def test_the_lock_holder_is_named_in_chinese(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, json, os, sys, time
        fd = os.open({str(out / '.sheetkit.lock')!r}, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, json.dumps({{"pid": os.getpid(), "host": "h1", "user": "张丽", "command": "run",
                                  "started": "2024-12-31T09:00:00+08:00"}}).encode())
        print("held", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = CliRunner().invoke(cli, ["log", str(out), "--lang", "zh"])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"错误：{out} 正由 sheetkit run（h1 上的进程 {holder.pid}，用户 张丽，"
                                     "开始于 2024-12-31T09:00:00+08:00） 使用；请等它结束后再试，或加上 --wait 等它结束")


def test_ctrl_c_is_said_in_chinese(tmp_path, monkeypatch):
    import sheetkit.cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sheetkit.cli, "check_sheets", interrupted)
    result = CliRunner().invoke(cli, ["check", CSV, "--lang", "zh"])
    assert result.exit_code == 130 and "已中断" in result.stderr and "interrupted" not in result.stderr


def test_both_says_each_summary_line_in_chinese_then_english():
    result = CliRunner().invoke(cli, ["check", CSV, "--as-of", "2024-12-31", "--lang", "both"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("检查了 6 行") and lines[1].startswith("6 rows checked")


def test_every_text_the_terminal_uses_is_in_the_catalogue():
    """A key used in cli.py, terminal.py or runlog.py but missing from messages.yaml would
    print as its key: every literal key there, and every stage the pipeline reports, is in it."""
    catalogue = yaml.safe_load(messages_path().read_text(encoding="utf-8"))
    sections = {key.split(".")[0] for key in catalogue}
    used = set()
    for module in ("cli.py", "terminal.py", "runlog.py"):
        text = (ROOT / "sheetkit" / module).read_text(encoding="utf-8")
        used |= {k for k in re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', text)
                 if k.split(".")[0] in sections and not k.endswith((".csv", ".log", ".yaml"))}  # file names
    assert len(used) >= 30
    assert sorted(used - set(catalogue)) == []
    stages = re.findall(r'(?:done|progress)\("([a-z]+)"', "".join(
        (ROOT / "sheetkit" / m).read_text(encoding="utf-8") for m in ("pipeline.py", "output.py")))
    assert len(stages) >= 10 and sorted({f"stage.{s}" for s in stages} - set(catalogue)) == []


# Texts that are the same in both languages on purpose: file › sheet, codes, names.
SAME_IN_BOTH = {"where.file", "where.sheet", "export.code", "run.tidy"}


def test_every_chinese_text_is_chinese():
    """A zh text copied from the English (a translation forgotten) fails here, like a missing zh."""
    catalogue = yaml.safe_load(messages_path().read_text(encoding="utf-8"))
    untranslated = sorted(key for key, entry in catalogue.items()
                          if key not in SAME_IN_BOTH and not CJK.search(str(entry.get("zh") or "")))
    assert untranslated == []
    zh = load_messages("zh")
    assert zh("n.row", n=3) == "3 行" and zh("severity.warning") == "警告"


def test_every_library_reason_in_the_catalogue_is_one_the_library_still_says():
    """``lib.*`` entries translate the library's English reasons by matching them whole; an
    entry whose words the library no longer uses would leave that reason in English."""
    catalogue = yaml.safe_load(messages_path().read_text(encoding="utf-8"))
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "sheetkit").rglob("*.py"))
    source = re.sub(r'"\s*\n\s*f?"', "", source)  # implicitly joined string literals, as Python joins them
    reasons = {key: entry["en"] for key, entry in catalogue.items() if key.startswith("lib.")}
    assert len(reasons) >= 25
    stale = [key for key, text in reasons.items()
             if not all(part in source for part in re.split(r"\{\w+\}", text) if len(part) > 3)]
    assert stale == []


def test_a_skipped_copy_is_said_in_chinese(tmp_path):
    (tmp_path / "a.csv").write_text("姓名,手机\n张伟,13812345678\n", encoding="utf-8")
    (tmp_path / "a - 副本.csv").write_bytes((tmp_path / "a.csv").read_bytes())
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "a.csv"), str(tmp_path / "a - 副本.csv"), "--lang", "zh"])
    assert "已跳过：a - 副本.csv：与 a.csv 完全相同的副本" in result.stderr


def test_export_in_both_says_each_line_in_chinese_then_english(shop_runs, tmp_path):
    result = CliRunner().invoke(cli, ["export", str(shop_runs["en"][1]), "--crm", "hubspot",
                                      "-o", str(tmp_path / "x"), "--lang", "both"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("已写出 3 个文件"))
    assert lines[at + 1].startswith("wrote 3 file(s)")


def test_an_install_without_its_catalogue_says_so_in_one_line(tmp_path, monkeypatch):
    # A copy of the source without its data files (a partial `git archive`, a repackaged
    # wheel) printed three chained tracebacks before the reason.
    from sheetkit import lang

    monkeypatch.setattr(lang, "messages_path", lambda: tmp_path / "gone" / "messages.yaml")
    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "cannot read the message catalogue" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
