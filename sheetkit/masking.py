"""Masks personal data by what it looks like, wherever it sits in a text.

The report is meant to be shared, and phone numbers and e-mails turn up far from their
columns: in file and sheet names, unmapped headers, a name or company cell, the example
of an issue in another field. So the report masks by pattern, not by column: every text
it shows goes through ``mask_text`` (see report.py), which finds

- e-mail addresses: ``zhangwei@qq.com`` -> ``z***@qq.com`` (first character and domain);
- ID card numbers (15 digits, or 17 and a check digit or X) and any run of 7 or more
  digits, spaces, dashes and a leading + (phones, bank cards): masked by ``mask_digits``.

The mask rule: of n digits, ``min(n // 4, 3)`` stay at each end and the rest become
``*``, so at most half of them show: 13812345678 -> ``13*******78``, 9123 4568 ->
``91****68``, 11010519491231002X -> ``110************02X``.

What stays readable, since it is not personal and the report is about it: dates
(2024-12-31, 2024-12-31 09:30), amounts with separators (1,234.50), sheetkit's own row
references (``row 1048576``: up to seven digits after "row "), customer IDs (C8CE759D2:
their digit runs are short) and scores.
"""

from __future__ import annotations

import re

import pandas as pd

_SEP = r"[ \-\u2010-\u2015\u2212\uff0d\u3000]"  # space, ASCII and Unicode dashes, full-width ones
# One pass, alternatives in order: a date is kept as a whole before its digits could read
# as a phone; an e-mail before the digits in its local part; an ID before a digit run.
_PATTERN = re.compile(
    r"(?P<date>(?<!\d)(?:1[89]|20)\d\d([-/.])\d{1,2}\2\d{1,2}(?:[ T]\d{1,2}:\d\d(?::\d\d)?)?(?!\d))"
    r"|(?P<email>[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+)"
    r"|(?P<id>(?<!\d)(?:\d{17}[\dXx]|\d{15})(?![\dA-Za-z]))"
    rf"|(?P<digits>\+?\d(?:{_SEP}?\d){{6,}})")
_ROW_REF = re.compile(r"\brow $")  # sheetkit's "row 12": a position in a sheet, not a number of a person


def mask_digits(text: str) -> str:
    """Keep ``min(n // 4, 3)`` of the n digits (or a final X) at each end, star the rest.

    >>> mask_digits("13812345678"), mask_digits("9123 4568"), mask_digits("123")
    ('13*******78', '91****68', '***')
    """
    chars = [c for c in text if c.isdigit() or c in "Xx"]
    keep = min(len(chars) // 4, 3)
    return "".join(chars[:keep]) + "*" * (len(chars) - 2 * keep) + "".join(chars[len(chars) - keep:] if keep else [])


def mask_phone(value: object) -> str:
    """A phone number masked by ``mask_digits``, after a +86/0086 country code is dropped
    (so the number reads as it is dialled in China).

    >>> mask_phone("+8613812345678"), mask_phone("021-61234567"), mask_phone(None)
    ('13*******78', '02*******67', '')
    """
    text = _text(value)
    if not text:
        return ""
    digits = re.sub(r"\D", "", text)
    abroad = text.lstrip().startswith("+")
    if digits.startswith("0086"):
        digits, abroad = digits[2:], True
    if digits.startswith("86") and len(digits) == 13 and digits[2] == "1":  # +86 mobile
        digits = digits[2:]
    elif digits.startswith("86") and abroad and len(digits) in (11, 12):  # +86 21 ...: dialled 021 ...
        digits = "0" + digits[2:]
    return mask_digits(digits)


def mask_email(value: object) -> str:
    """Keep the first character and the domain (its digit runs masked too).

    >>> mask_email("zhangwei@qq.com"), mask_email("not-an-email")
    ('z***@qq.com', 'n***')
    """
    text = _text(value)
    if not text:
        return ""
    local, _, domain = text.partition("@")
    return f"{local[:1]}***" + (f"@{mask_text(domain)}" if domain else "")


def mask_id(value: object) -> str:
    """An ID card number masked by ``mask_digits``.

    >>> mask_id("11010519491231002X")
    '110************02X'
    """
    return mask_digits(_text(value))


def mask_text(text: str) -> str:
    """``text`` with every e-mail, ID number and long digit run in it masked.

    >>> mask_text("北京智远咨询13312340050有限公司 · a.b@qq.com · row 1048576 · 2024-12-31 · 1,234.50")
    '北京智远咨询13*******50有限公司 · a***@qq.com · row 1048576 · 2024-12-31 · 1,234.50'
    """
    if not text or not any(c.isdigit() or c == "@" for c in text):  # most texts: nothing to look for
        return text
    return _PATTERN.sub(_mask_match, text)


def _mask_match(m: re.Match[str]) -> str:
    found = m.group(0)
    if m.group("date"):
        return found
    if m.group("email"):
        return mask_email(found)
    if m.group("id"):
        return mask_id(found)
    if len(found) <= 7 and _ROW_REF.search(m.string, 0, m.start()):
        return found
    return mask_phone(found)


def _text(value: object) -> str:
    """A value as text; "" for every kind of missing (None, NaN, NA)."""
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return ""
    return str(value)
