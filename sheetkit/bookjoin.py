"""Copies of a workbook, each holding some of its sheets' rows, joined into one xlsx without
deflating anything again.

The writer deflates a workbook's XML when it closes the file, on one core and without
the GIL: at 1M rows that is about half of the workbook's time. So writer.py writes a large
workbook as several copies, each holding every sheet but giving rows only to its own group
of sheets (the others get just their header), and closes each copy on a thread while the
next is written. The file people get is the first copy with the other copies' sheets put
in, their compressed bytes copied as they are.

That is only right when the copies agree on everything outside those sheets: the sheet
list and defined names (workbook.xml and its relationships), and the styles a sheet's
cells point to by number. ``join_books`` checks both and returns False when they differ;
the caller then writes the workbook in one piece.
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


def join_books(main: Path, others: list[tuple[Path, set[str]]], out: Path) -> bool:
    """Write ``out``: ``main`` with the parts of each other copy's sheets (names) taken from it.

    False, and nothing written, when a copy disagrees with ``main`` on the sheets or defined
    names, or when a style its cells may use is not the same style in ``main``.
    """
    books = [zipfile.ZipFile(path) for path in [main] + [path for path, _ in others]]
    try:
        first = books[0]
        parts = _sheet_parts(first)
        shared = [first.read(name) for name in (_BOOK, _BOOK_RELS)]
        styles = _style_tables(first.read(_STYLES))
        taken: dict[str, zipfile.ZipFile] = {}
        for book, (_, sheets) in zip(books[1:], others):
            if [book.read(name) for name in (_BOOK, _BOOK_RELS)] != shared or not sheets <= parts.keys():
                return False
            # each of the copy's style tables the start of the first's: a cell's number means the same style
            if any(styles[table][:len(mine)] != mine for table, mine in _style_tables(book.read(_STYLES)).items()):
                return False
            taken.update({parts[name]: book for name in sheets})
        with open(out, "wb") as fp, zipfile.ZipFile(fp, "w") as joined:
            for info in first.infolist():
                source = taken.get(info.filename, first)
                _copy_raw(source, source.getinfo(info.filename), joined)
    finally:
        for book in books:
            book.close()
    return True


def _style_tables(xml: bytes) -> dict[str, list[bytes]]:
    """Each style table a cell reaches by position, as its entries' XML."""
    tree = ET.fromstring(xml)
    return {table: [ET.tostring(e) for e in tree.iterfind(f"{_MAIN}{table}/*")] for table in _TABLES}


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
