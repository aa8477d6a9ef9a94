"""What an .xlsx says about its cells beyond their values: the 1904 date system, and
numbers shown with leading zeros only through their number format.

The fast reader (fastexcel) gives 123 for a cell Excel shows as 00123 (format "00000"),
which loses a postcode's or customer number's zeros. Formats live in xl/styles.xml; only
when a zero-padding format exists is the sheet's XML scanned, by one regex, for the cells
that use it, so ordinary workbooks cost one small read.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from posixpath import join, normpath

_PADDED = re.compile(r"^0{2,}$")  # "00000", "000000": digits padded with zeros, nothing else
_ATTR = r'\b{}="([^"]*)"'


@dataclass
class XlsxMeta:
    date_1904: bool = False
    # sheet name -> (Excel row, 0-based column, width) of each number cell with a padded format
    padded: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)


def read_xlsx_meta(source: str | bytes) -> XlsxMeta:
    """The 1904 flag and the zero-padded cells of an .xlsx; an empty answer for anything else
    (an .xls, .ods, a damaged part): these are refinements, the cells were read already."""
    try:
        with zipfile.ZipFile(source if isinstance(source, str) else io.BytesIO(source)) as zf:
            return _read(zf)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, re.error, NotImplementedError):
        return XlsxMeta()


def sheet_parts(source: str | Path | bytes) -> dict[str, str]:
    """Sheet name -> its part in the zip ({} when the workbook does not say)."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
            return _sheet_parts(zf, zf.read("xl/workbook.xml").decode("utf-8", "replace"))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, re.error, NotImplementedError):
        return {}


def _read(zf: zipfile.ZipFile) -> XlsxMeta:
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        return XlsxMeta()
    book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    pr = re.search(r"<(?:\w+:)?workbookPr\b[^>]*>", book)
    meta = XlsxMeta(date_1904=bool(pr and re.search(r'\bdate1904="(1|true)"', pr.group(0))))
    widths = _padded_styles(zf.read("xl/styles.xml").decode("utf-8", "replace")) if "xl/styles.xml" in names else {}
    if not widths:
        return meta
    for sheet, part in _sheet_parts(zf, book).items():
        if part in names:
            found = _padded_cells(zf.read(part).decode("utf-8", "replace"), widths)
            if found:
                meta.padded[sheet] = found
    return meta


def _padded_styles(styles: str) -> dict[str, int]:
    """Style index (the s="" of a cell) -> padded width, for styles with such a format."""
    codes = {m.group(1): _unescape(m.group(2))
             for m in re.finditer(r'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', styles)}
    padded = {i: len(code) for i, code in codes.items() if _PADDED.match(code)}
    if not padded:
        return {}
    xfs = re.search(r"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", styles, re.S)
    out = {}
    for index, xf in enumerate(re.findall(r"<(?:\w+:)?xf\b[^>]*>", xfs.group(0) if xfs else "")):
        fmt = re.search(_ATTR.format("numFmtId"), xf)
        if fmt and fmt.group(1) in padded:
            out[str(index)] = padded[fmt.group(1)]
    return out


def _sheet_parts(zf: zipfile.ZipFile, book: str) -> dict[str, str]:
    """Sheet name -> its part in the zip, through the workbook's relationships."""
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {}
    for rel in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rid, target = re.search(_ATTR.format("Id"), rel), re.search(_ATTR.format("Target"), rel)
        if rid and target:
            t = target.group(1)
            targets[rid.group(1)] = t.lstrip("/") if t.startswith("/") else normpath(join("xl", t))
    out = {}
    for sheet in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        name, rid = re.search(_ATTR.format("name"), sheet), re.search(r'\br:id="([^"]*)"', sheet)
        if name and rid and rid.group(1) in targets:
            out[_unescape(name.group(1))] = targets[rid.group(1)]
    return out


def _padded_cells(xml: str, widths: dict[str, int]) -> list[tuple[int, int, int]]:
    """Number cells (no t="s"/"str") whose style pads with zeros: (row, column, width)."""
    styles = "|".join(map(re.escape, widths))
    found = []
    for m in re.finditer(rf'<(?:\w+:)?c\b(?=[^>]*\bs="({styles})")[^>]*>', xml):
        tag = m.group(0)
        kind = re.search(_ATTR.format("t"), tag)
        ref = re.search(r'\br="([A-Z]+)(\d+)"', tag)
        if ref and (kind is None or kind.group(1) == "n"):
            found.append((int(ref.group(2)), _column(ref.group(1)), widths[m.group(1)]))
    return found


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _unescape(text: str) -> str:
    return (text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">")
            .replace("&amp;", "&"))
