"""What the CLI needs from the terminal: streams that never fail on a character, a live
progress line on stderr, and ``Voice``, which says everything in the reader's language
(``lang.Messages``). The library never prints; only ``cli.py`` uses this.
"""

from __future__ import annotations

import codecs
import re
import sys
import time
import unicodedata
from typing import TextIO

import click
import pandas as pd

from . import columns as C
from . import interrupt
from .lang import Messages

# Characters the CLI's own text uses that a legacy code page (GBK, cp1252) may not have.
_PLAIN = {"›": ">", "→": "->", "…": "...", "—": "-", "–": "-", "×": "x", "·": "-", "≥": ">=", "≤": "<="}
_HANDLER = "sheetkit-plain"


def _plain(exc: UnicodeError) -> tuple[str, int]:
    """Encode error handler: a plain stand-in for known symbols, \\uXXXX for anything else."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return "".join(_PLAIN.get(ch) or ch.encode("ascii", "backslashreplace").decode() for ch in bad), exc.end


codecs.register_error(_HANDLER, _plain)


def make_streams_safe(*streams: TextIO) -> None:
    """Let ``streams`` (default: stdout and stderr) write any text: characters their encoding
    lacks (stdout redirected on a Chinese Windows is GBK, which has no "›") are replaced
    instead of raising UnicodeEncodeError. Streams that cannot be reconfigured are left."""
    for stream in streams or (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors=_HANDLER)  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):  # not a TextIOWrapper, or closed
            pass


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide (CJK) characters take two.

    >>> display_width("ab张伟")
    6
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (str.ljust counts a CJK
    character as one column, so Chinese labels would push the columns after them).

    >>> pad("规范化", 8) + "|", pad("7", 3, right=True)
    ('规范化  |', '  7')
    """
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, with "…" where it was cut.

    >>> clip("损坏的文件 damaged", 8)
    '损坏的…'
    """
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        used += display_width(ch)
        if used > width - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


class LiveLine:
    """One line on stderr rewritten in place (``\\r``) while a stage runs, at most every
    ``every`` seconds; cleared before the next ordinary line. Does nothing unless stderr
    is a terminal, so logs and redirected output never fill with progress."""

    def __init__(self, wanted: bool = True, stream: TextIO | None = None, every: float = 0.2) -> None:
        self._stream = stream or sys.stderr
        self._every, self._last, self._shown = every, 0.0, 0
        isatty = getattr(self._stream, "isatty", None)
        self.enabled = bool(wanted and isatty and isatty())

    def update(self, stage: str, done: int, total: int, what: str = "") -> None:
        """Show ``stage``: done of total (a percentage when total > 0) and what it is doing."""
        now = time.monotonic()
        if not self.enabled or (now - self._last < self._every and done < total):
            return
        self._last = now
        share = f"{100 * done / total:3.0f}%" if total > 0 else ""
        text = f"  {pad(stage, 10)} {share} {what}".rstrip()
        self._write("\r" + text + " " * max(self._shown - display_width(text), 0))
        self._shown = display_width(text)

    def clear(self) -> None:
        """Blank the live line, so the next line printed starts clean."""
        if self.enabled and self._shown:
            self._write("\r" + " " * self._shown + "\r")
            self._shown = 0

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()


class Voice:
    """What the CLI tells a person on stderr, in their language: ``say`` for progress and
    summaries (silent with -q), ``tell`` for warnings and errors (always). In "both", a
    text is a Chinese line then an English one; a progress line stays one line, its stage
    named in both languages."""

    def __init__(self, messages: Messages, quiet: bool = False, live: LiveLine | None = None) -> None:
        self.messages, self.quiet, self.live = messages, quiet, live
        # one template for progress lines; its numbers once, whatever the language
        self._progress = messages.only("en") if messages.lang == "both" else messages
        self._width = 20 if messages.lang == "both" else 10

    def say(self, key: str, **values: object) -> None:
        """A catalogue text, unless -q."""
        if not self.quiet:
            self.tell(key, **values)

    def tell(self, key: str, **values: object) -> None:
        """A catalogue text, even with -q (an error or a warning)."""
        if self.live:
            self.live.clear()
        for line in self.messages.lines(key, **values):
            click.echo(line, err=True)

    def stage(self, name: str) -> str:
        """A stage's name for the reader (the name itself when the catalogue lacks it)."""
        return self.messages(f"stage.{name}") if f"stage.{name}" in self.messages.texts else name

    def progress(self, key: str, stage: str, **values: object) -> None:
        """One progress line (``progress.*``) for ``stage``, unless -q."""
        if self.quiet:
            return
        if self.live:
            self.live.clear()
        click.echo(self._progress(key, stage=pad(self.stage(stage), self._width), **values), err=True)

    def step(self, stage: str, rows: int, secs: float, what: str = "") -> None:
        """A stage (or a file opened) done: its rows, seconds and rows/s. Between stages: a
        Ctrl-C that Python swallowed stops the run here."""
        interrupt.check()
        self.progress("progress.step", stage, rows=rows, secs=secs, rate=rows / max(secs, 1e-3),
                      what=f"  {what}" if what else "")

    def tick(self, stage: str, done: int, total: int, what: str = "") -> None:
        """The live line inside a long stage (only where stderr is a terminal)."""
        if self.live and not self.quiet:
            self.live.update(self.stage(stage), done, total, what)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def one_side(message: str, lang: str) -> str:
    """The Chinese side of a bilingual "English / 中文" message for ``zh``; the whole
    message otherwise (English readers have always been shown both, issue 15.4).

    >>> one_side("Not a valid e-mail address / 邮箱地址无效", "zh"), one_side("same / different", "zh")
    ('邮箱地址无效', 'same / different')
    """
    if lang != "zh":
        return message
    parts = message.split(" / ")
    first = next((i for i, part in enumerate(parts) if _CJK.search(part)), 0)
    return " / ".join(parts[first:]) if first else message


def issue_lines(issues: pd.DataFrame, messages: Messages, example_width: int = 60) -> list[str]:
    """Two lines per issue code, errors first: severity, count, code and the message in the
    reader's language (never cut); then the first example, where it is (file › sheet ›
    row) and its value cut at ``example_width`` terminal columns."""
    if issues.empty:
        return messages.lines("check.none")
    order = {"error": 0, "warning": 1}
    counts = issues.groupby(["severity", "code"], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values(["severity", "n"], key=lambda s: s.map(order) if s.name == "severity" else -s)
    first = issues.drop_duplicates("code").set_index("code")
    labels = {sev: messages(f"severity.{sev}") for sev in order}
    example = messages.only("en") if messages.lang == "both" else messages  # once: the place is the same
    width = max(7, *(display_width(label) for label in labels.values()))
    lines = []
    for sev, code, n in counts.itertuples(index=False):
        e = first.loc[code]
        where = " › ".join(str(x) for x in (e[C.SOURCE_FILE], e[C.SOURCE_SHEET]) if pd.notna(x) and x != "")
        if e[C.SOURCE_ROW] is not None and not pd.isna(e[C.SOURCE_ROW]):
            where += " › " + example("where.row", row=int(e[C.SOURCE_ROW]))
        shown = e["original"] if e["original"] is not None and not pd.isna(e["original"]) else e["value"]
        value = "" if shown is None or pd.isna(shown) else f": {clip(str(shown), example_width)}"
        hint = f" → {e['suggestion']}" if e["suggestion"] is not None and not pd.isna(e["suggestion"]) else ""
        lines.append(f"  {pad(labels.get(sev, sev), width)} {n:>7,}  {code:<22} {one_side(e['message'], messages.lang)}")
        lines.append(f"  {'':<{width}} {'':>7}  {'':<22} {example('check.example', where=where, value=value, hint=hint)}")
    return lines
