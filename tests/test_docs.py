"""The README stays true: its Quickstart commands, the CLI help it shows, the sheets it names.

After changing the command's options, refresh the README's help block with:

    python -m tests.test_docs
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from sheetkit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quickstart_is_exactly_two_commands_run_and_test():
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1).strip().splitlines()
    assert len(block) == 2
    assert "sheetkit run examples/shop" in block[0] and "pip install ." in block[0]
    assert "pytest" in block[1] and '.[test]' in block[1]
    assert block[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8"), "CI must run the README's test command"


START, END = "<!-- help:run -->\n```\n", "```\n<!-- /help:run -->"


def current_help() -> str:
    return CliRunner().invoke(cli, ["run", "--help"], terminal_width=80, prog_name="sheetkit").output


def test_readme_shows_the_current_help():
    shown = README.split(START, 1)[1].split(END, 1)[0]
    assert shown == current_help(), "refresh it: python -m tests.test_docs"


def test_every_output_sheet_is_documented():
    from sheetkit.output import SHEETS
    for sheet in SHEETS:
        assert f"| `{sheet}` |" in README, sheet


if __name__ == "__main__":
    head, rest = README.split(START, 1)
    (ROOT / "README.md").write_text(head + START + current_help() + END + rest.split(END, 1)[1], encoding="utf-8")
