"""Two workbooks written side by side, joined into one xlsx without deflating anything again.

The writer deflates a workbook's XML on one core when it closes the file: at 1M rows that
is about half of the workbook's time. So the writer writes two copies of the workbook at
once (writer.py), each holding every sheet, and each writing the rows of its own share of
the sheets; the others get only their header. The file people get is the first copy with
the second copy's sheets put in, their compressed bytes copied as they are.

That is only right when the two copies agree on everything outside those sheets: the
sheet list and defined names (workbook.xml and its relationships), and the styles a
sheet's cells point to by number. ``join_books`` checks both and returns False when they
differ; the caller then writes the workbook the slow way.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BOOK, _BOOK_RELS, _STYLES = "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"
# Style tables a cell reaches by position: its xf (cellXfs), and through that a number
# format, font, fill and border.
_TABLES = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs")


def join_books(main: Path, other: Path, sheets: set[str], out: Path) -> bool:
    """Write ``out``: ``main`` with the parts of ``sheets`` (names) taken from ``other``.

    False, and nothing written, when the two disagree on the sheets or defined names, or
    when a style that ``other``'s cells may use is not the same style in ``main``.
    """
    with zipfile.ZipFile(main) as first, zipfile.ZipFile(other) as second:
        if any(first.read(name) != second.read(name) for name in (_BOOK, _BOOK_RELS)):
            return False
        if not _styles_within(second.read(_STYLES), first.read(_STYLES)):
            return False
        parts = _sheet_parts(first)
        if not sheets <= parts.keys():
            return False
        taken = {parts[name] for name in sheets}
        with open(out, "wb") as fp, zipfile.ZipFile(fp, "w") as joined:
            for info in first.infolist():
                source = second if info.filename in taken else first
                _copy_raw(source, source.getinfo(info.filename), joined)
    return True


def _styles_within(part: bytes, whole: bytes) -> bool:
    """Whether each style table of ``part`` is the start of the same table in ``whole``:
    then every number a cell of ``part``'s sheets holds means the same style in ``whole``."""
    small, large = ET.fromstring(part), ET.fromstring(whole)
    for table in _TABLES:
        mine, theirs = ([ET.tostring(e) for e in tree.iterfind(f"{_MAIN}{table}/*")] for tree in (small, large))
        if theirs[:len(mine)] != mine:
            return False
    return True


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip (xl/worksheets/sheetN.xml)."""
    targets = {rel.get("Id"): rel.get("Target") for rel in ET.fromstring(book.read(_BOOK_RELS)).iter(_PKG + "Relationship")}
    parts = {}
    for sheet in ET.fromstring(book.read(_BOOK)).iter(_MAIN + "sheet"):
        target = targets.get(sheet.get(_REL + "id"), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts


def _copy_raw(source: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
    """One entry of ``source`` into ``out`` as it is stored (compressed), CRC and all.

    zipfile reads and writes only uncompressed data, so this writes the local header and
    central-directory entry the way ``ZipFile.write`` does, through the same attributes.
    """
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    for name in ("compress_type", "external_attr", "create_system", "CRC", "compress_size", "file_size"):
        setattr(copy, name, getattr(info, name))
    copy.flag_bits = info.flag_bits & ~0x08  # sizes go in the local header, not after the data
    fp = out.fp
    copy.header_offset = fp.tell()
    fp.write(copy.FileHeader(zip64=copy.file_size > zipfile.ZIP64_LIMIT or copy.compress_size > zipfile.ZIP64_LIMIT))
    source.fp.seek(_data_offset(source, info))
    _copy_bytes(source.fp, fp, info.compress_size)
    out.filelist.append(copy)
    out.NameToInfo[copy.filename] = copy
    out.start_dir = fp.tell()


def _data_offset(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Where an entry's compressed bytes start: after its local header, whose name and extra
    field lengths may differ from the central directory's."""
    book.fp.seek(info.header_offset)
    header = book.fp.read(zipfile.sizeFileHeader)
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    return info.header_offset + zipfile.sizeFileHeader + name_len + extra_len


def _copy_bytes(src, dst, size: int, chunk: int = 1 << 22) -> None:
    left = size
    while left:
        block = src.read(min(chunk, left))
        if not block:
            raise OSError("the workbook being joined ended early")
        dst.write(block)
        left -= len(block)
