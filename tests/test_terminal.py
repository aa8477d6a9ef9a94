"""The CLI's terminal helpers: streams that never fail on a character, the live progress line."""

from __future__ import annotations

import io

from sheetkit.terminal import LiveLine, display_width, make_streams_safe


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_a_gbk_stream_writes_plain_stand_ins_instead_of_raising():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk")
    make_streams_safe(stream)
    stream.write("a.xlsx › 客户 › row 7 → ok … \u2603")
    stream.flush()
    assert raw.getvalue().decode("gbk") == "a.xlsx > 客户 > row 7 → ok … \\u2603"  # GBK has → and …


def test_live_line_rewrites_itself_on_a_terminal_and_stays_silent_elsewhere():
    tty = _Tty()
    live = LiveLine(stream=tty, every=0)
    live.update("dedupe", 1, 5)
    live.update("dedupe", 5, 5)
    live.clear()
    assert tty.getvalue() == "\r  dedupe      20%\r  dedupe     100%\r" + " " * 17 + "\r"
    for stream, wanted in ((io.StringIO(), True), (_Tty(), False)):  # a file or a pipe; --quiet
        line = LiveLine(wanted=wanted, stream=stream, every=0)
        line.update("workbook", 1, 2)
        line.clear()
        assert stream.getvalue() == ""


def test_display_width_counts_cjk_as_two():
    assert display_width("客户 ab") == 7
