"""What the CLI needs from the terminal: streams that never fail on a character, and a
live progress line on stderr. The library never prints; only ``cli.py`` uses this.
"""

from __future__ import annotations

import codecs
import sys
import time
import unicodedata
from typing import TextIO

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
        text = f"  {stage:<10} {share} {what}".rstrip()
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
