"""Reads CSV/TXT files: the text encoding, the delimiter, and cells safe to show.

Kept apart from workbook.py because text files go wrong in their own ways: no BOM on
UTF-16, one bad byte in a UTF-8 export, short files in a single-byte code page that a
detector cannot tell apart, semicolon exports whose text is full of commas, and control
characters (a NUL, a terminal escape sequence) that must not reach outputs or a terminal.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
from charset_normalizer import from_bytes

# C0/C1 controls other than tab, line feed and carriage return, and whole escape
# sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL" that retitles a terminal, and
# two-character ones): removed from every cell, as a terminal would act on them.
CONTROL = (r"(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"   # OSC with its terminator
           r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"                      # CSI
           r"|\x1b[ -/]*[0-~]"                                      # other escapes
           r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL = re.compile(CONTROL)
_NON_ASCII = re.compile("[\u0080-\ufffc\ufffe-\U0010ffff]+")
DELIMITERS = (",", ";", "\t", "|")
_SNIFF_CHARS = 65536
_WIDE = 1024  # columns past which entirely empty ones are left out as the file is read
# The single-byte and CJK encodings spreadsheets are saved in (Windows code pages first),
# most common first: where readings are equally clean (a short file), the earlier wins.
_ENCODINGS = ("cp1252", "gb18030", "big5", "shift_jis", "euc_kr", "cp1250", "cp1251", "cp1253", "iso8859_7",
              "cp1254", "cp1257", "cp1255", "cp1256", "cp874", "cp1258", "iso8859_2", "iso8859_15", "koi8_r")
_SCRIPT = re.compile(r"(LATIN|GREEK|CYRILLIC|HEBREW|ARABIC|THAI|HANGUL|HIRAGANA|KATAKANA|CJK)")


@dataclass
class TextTable:
    """A text file as records: ``frame`` indexed by record number, what to say about it."""

    frame: pd.DataFrame
    encoding: str
    notes: list[str] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)  # code, source_row, column, value


class TextError(Exception):
    """The bytes are not text in any encoding tried."""


def utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the NUL bytes fall on one side of each byte pair, as
    they do for the ASCII delimiters, digits and line ends of a UTF-16 file."""
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even, odd = head[0:pairs * 2:2].count(0) / pairs, head[1:pairs * 2:2].count(0) / pairs
    if odd >= 0.2 and even < 0.02:
        return "utf-16-le"
    if even >= 0.2 and odd < 0.02:
        return "utf-16-be"
    return None


def decode_text(raw: bytes) -> tuple[str, str, list[str], list[dict]]:
    """(text, encoding, notes, file-level issues). Never fails on a text file: bytes no
    encoding explains are replaced with U+FFFD (the caller names their rows).

    Raises:
        TextError: nothing reads the bytes as text.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(enc, errors="replace"), enc, [], []
    if enc := utf16_without_bom(raw[:4096]):
        return raw.decode(enc, errors="replace"), enc, [f"text encoding {enc} (no byte-order mark)"], []
    try:
        return raw.decode("utf-8"), "utf-8", [], []
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(raw):  # a UTF-8 export with a stray byte: keep every record, mark the byte
        return raw.decode("utf-8", errors="replace"), "utf-8", [], []
    chinese = {enc: text for enc in ("gb18030", "big5") if (text := _try_decode(raw, enc)) is not None}
    shares = {enc: _common_share(text, enc) for enc, text in chinese.items()}
    if chinese and max(shares.values()) >= 0.5:  # Latin-1 bytes also decode as GB18030, as rare hanzi
        enc = max(chinese, key=lambda e: (shares[e], e == "gb18030"))
        return chinese[enc], enc, [f"text encoding {enc}"], []
    return _detect(raw)


def _mostly_utf8(raw: bytes) -> bool:
    """Valid multi-byte UTF-8 characters outnumber the invalid bytes five to one (Latin-1 text
    read as UTF-8 has almost none: é before a letter is not a valid sequence)."""
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
    good = sum(map(len, _NON_ASCII.findall(text)))  # runs, not a loop per character
    return good >= max(3, 5 * bad)


def _detect(raw: bytes) -> tuple[str, str, list[str], list[dict]]:
    """charset-normalizer's readings, re-ranked where it cannot tell them apart.

    On a short file (a few accented letters) it finds dozens of code pages equally clean
    and orders them arbitrarily: Latin-1 "©" came back as Shift-JIS "ｩ". So only the
    encodings spreadsheets are saved in are considered, ranked by words that look wrong
    (``_odd_words``), then by how clean charset-normalizer found them, then by how common
    the encoding is. GB18030 and Big5 readings were judged already (``decode_text``).
    Guesses it is not sure of are reported on the file."""
    def common(enc: str) -> int:
        return _ENCODINGS.index(enc) if enc in _ENCODINGS else len(_ENCODINGS)

    found: dict[str, tuple[float, float]] = {}  # encoding -> (chaos, coherence) from the detector
    for m in from_bytes(raw, cp_isolation=list(_ENCODINGS)):
        for enc in (m.encoding, *m.could_be_from_charset):
            found.setdefault(enc, (m.chaos, m.coherence))
    # One reading per distinct text: many code pages read "©" alike; name the commonest.
    readings: dict[str, tuple[float, float, str]] = {}
    for enc in _ENCODINGS:
        if enc in ("gb18030", "big5"):
            continue
        if (text := _try_decode(raw, enc)) is not None and text not in readings:
            readings[text] = (*found.get(enc, (1.0, 0.0)), enc)
    if not readings:
        raise TextError("the text encoding cannot be recognised")

    def rank(item):
        text, (chaos, coherence, enc) = item
        return round(_odd_words(text), 1), round(chaos, 2), -round(coherence, 1), common(enc)

    ranked = sorted(readings.items(), key=rank)
    text, (chaos, coherence, enc) = ranked[0]
    notes = [f"text encoding {enc}"]
    rivals = [item[1][2] for item in ranked[1:] if rank(item)[:3] == rank(ranked[0])[:3]][:3]
    if coherence < 0.2 or rivals:
        sure = "unsure" if rivals else "fairly sure"
        detail = f"read as {enc} ({sure}: {len(raw):,} bytes" + (
            f"; {', '.join(rivals)} would read it differently" if rivals else "") + ")"
        return text, enc, notes, [{"code": "encoding-guessed", "value": detail}]
    return text, enc, notes, []


def _odd_words(text: str) -> float:
    """Share of the words with non-ASCII characters that look misdecoded: letters of several
    scripts, or letters and symbols, in one word ("¶ννα", "—ергей"); a capital inside a
    word ("ФзлЭцщнп"); a Latin word whose letters are mostly accented (cp1250 reading
    Greek as "Ăéţńăďň")."""
    words = [w for w in re.split(r"[\s!-@\[-`{-~]+", text) if w and not w.isascii()]
    if not words:
        return 0.0
    odd = 0
    for w in words:
        letters = [ch for ch in w if ch.isalpha()]
        scripts = {(_SCRIPT.match(unicodedata.name(ch, "")) or [None])[0] for ch in letters}
        wide = sum(1 for ch in letters if ord(ch) > 0x7F)
        odd += bool(letters) and (len(letters) < len(w) or len(scripts) > 1 or None in scripts
                                  or any(a.islower() and b.isupper() for a, b in zip(w, w[1:]))
                                  or (scripts == {"LATIN"} and wide * 2 > len(w)))
    return odd / len(words)


def _try_decode(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _common_share(text: str, encoding: str) -> float:
    """Share of the non-ASCII characters that are level-1 (most common) hanzi of ``encoding``:
    GB2312 B0A1-D7F9 for GB18030, Big5 A440-C67E for Big5. Text decoded with the wrong one
    is mostly rare hanzi, kana or symbols."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return 0.0
    low, high, table = ((b"\xb0\xa1", b"\xd7\xf9", "gb2312") if encoding == "gb18030"
                        else (b"\xa4\x40", b"\xc6\x7e", "big5"))
    return sum(1 for ch in wide if low <= (_encodes(ch, table) or b"") <= high) / len(wide)


def _encodes(ch: str, encoding: str) -> bytes | None:
    try:
        return ch.encode(encoding)
    except UnicodeEncodeError:
        return None


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the sample into records of one consistent width.

    Each candidate parses the sample as CSV (quotes respected); the one whose records most
    often have the usual field count wins, then the one giving more fields. Character
    counts mislead: "offen, bitte anrufen" and 1.000,50 put commas into a semicolon file.

    >>> sniff_delimiter('Export 27.05.2024\\nName;Notiz;Betrag\\nAnna;offen, bitte, 2x;1.000,50\\nLuca;ok;-250,00\\n')
    ';'
    >>> sniff_delimiter('name,phone\\n"Li, Wei",138\\n')
    ','
    """
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[:sample.rindex("\n")]  # no cut-off last record
    best, best_key = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if any(r)]
        except csv.Error:
            continue
        if not widths:
            continue
        usual = max(set(widths), key=lambda w: (widths.count(w), w))
        if usual < 2:
            continue
        key = (round(widths.count(usual) / len(widths), 1), usual)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def clean_controls(text: str) -> tuple[str, int]:
    """``text`` without control characters and escape sequences; how many were removed.
    A lone carriage return (not before a line feed) goes too: it overwrites a terminal line."""
    text, n = _CONTROL.subn("", text)
    text, m = re.subn(r"\r(?!\n)", "", text)
    return text, n + m


def read_text_table(raw: bytes) -> TextTable:
    """A CSV/TXT file's records as a frame of text cells (None for blank ones), indexed
    by record number, with what was guessed or repaired.

    Raises:
        TextError: not text; csv.Error: not parseable (the caller words both).
    """
    text, encoding, notes, issues = decode_text(raw)
    text, removed = clean_controls(text)
    if removed:
        notes.append(f"{removed:,} control characters or escape sequences removed")
    delimiter = sniff_delimiter(text)
    if delimiter != ",":
        notes.append(f"delimiter {'tab' if delimiter == chr(9) else repr(delimiter)}")
    # The csv module keeps ragged rows (a one-cell title line above the header) and quoted
    # multi-line fields; one record is one row of the grid.
    csv.field_size_limit(1 << 30)  # the default, 131,072 characters, would fail a whole file over one cell
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max(map(len, records), default=0)  # ragged records padded: a title line has one cell
    if width > _WIDE:  # a line of a million commas: only columns holding something, by position
        used = sorted({i for rec in records for i, c in enumerate(rec) if c and not c.isspace()})
        frame = pd.DataFrame({i: [rec[i] if i < len(rec) and rec[i].strip() else None for rec in records]
                              for i in used}, index=pd.RangeIndex(1, len(records) + 1), dtype=object)
    else:
        frame = pd.DataFrame([[c if c.strip() else None for c in rec] + [None] * (width - len(rec))
                              for rec in records], dtype=object)
        frame.index = pd.RangeIndex(1, len(frame) + 1)
        frame.columns = pd.RangeIndex(frame.shape[1])
    if "\ufffd" in text and text.count("\ufffd") > raw.count(b"\xef\xbf\xbd"):
        issues.extend(_replaced_rows(frame, encoding))
    return TextTable(frame, encoding, notes, issues)


def _replaced_rows(frame: pd.DataFrame, encoding: str) -> list[dict]:
    """One issue per record holding a byte that could not be decoded (now U+FFFD)."""
    hit = pd.DataFrame({c: frame[c].str.contains("\ufffd", regex=False) for c in frame.columns}).fillna(False)
    out = []
    for row in hit.index[hit.any(axis=1).to_numpy()]:
        col = int(hit.columns[hit.loc[row].to_numpy(dtype=bool).argmax()])
        out.append({"code": "undecodable-text", "source_row": int(row), "column": col,
                    "value": f"not valid {encoding}: replaced with \ufffd"})
    return out
