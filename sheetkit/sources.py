"""Expands the user's paths into the spreadsheet files to read, noting every skip."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".tsv", ".txt")
_JUNK = {"desktop.ini", ".ds_store", "thumbs.db"}
OUTPUT_MARKER = ".sheetkit-output"  # written into every output folder
OUTPUT_FILES = ("cleaned.xlsx", "report.html")  # beside the marker: sheetkit's own, never read back


@dataclass(frozen=True)
class Source:
    """A file found under the user's paths; ``skip`` says why it is not read (empty: read it)."""

    path: Path
    display: str
    skip: str = ""
    named: bool = False  # given by the user as a file, not found in a folder


def _why_skip(path: Path) -> str:
    name = path.name
    if (path.parent / OUTPUT_MARKER).exists() and (
            name in OUTPUT_FILES or name == OUTPUT_MARKER or name.endswith(".part")):
        return "sheetkit's own output"
    if name.startswith(("~$", ".~lock")):
        return "Office lock file"
    if name.lower() in _JUNK or name.startswith("._"):
        return "system file"
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return "not a spreadsheet"
    return ""


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def find_sources(paths: list[Path]) -> list[Source]:
    """Files to read under ``paths`` (folders searched recursively), in a stable order.

    Lock files, system files, non-spreadsheets, the workbook and report sheetkit wrote
    (beside its marker file) and byte-identical copies are listed with the reason they
    are skipped.
    """
    found: list[Source] = []
    for given in paths:
        given = Path(given)
        if given.is_dir():
            root = given if len(paths) == 1 else given.parent
            for path in sorted(given.rglob("*")):
                if not path.is_file():
                    continue
                found.append(Source(path, _display(path, root), _why_skip(path)))
        else:
            # A file named on the command line is judged like a folder entry: a README.md
            # or a photo given by mistake is skipped and said so, not read as CSV.
            found.append(Source(given, given.name, _why_skip(given), named=True))
    return _mark_copies(_unique_displays(found))


def _unique_displays(sources: list[Source]) -> list[Source]:
    """Two files shown alike (a/客户.xlsx and b/客户.xlsx given separately) are shown with as
    much of their folder path as tells them apart: Lineage names rows by file, so the
    names must differ."""
    out = list(sources)
    for _ in range(8):
        seen: dict[str, int] = {}
        for s in out:
            seen[s.display] = seen.get(s.display, 0) + 1
        clash = [i for i, s in enumerate(out) if seen[s.display] > 1]
        if not clash:
            break
        for i in clash:
            s = out[i]
            parts = s.path.resolve().parts
            depth = len(Path(s.display).parts) + 1
            out[i] = Source(s.path, Path(*parts[-depth:]).as_posix() if depth <= len(parts) else s.path.as_posix(),
                            s.skip, s.named)
    return out


def _mark_copies(sources: list[Source]) -> list[Source]:
    """Skip byte-identical files; the original is the one with the shortest name ("a.xlsx", not
    "a - 副本.xlsx" or "a (1).xlsx")."""
    digests: dict[int, str] = {}
    for i, s in enumerate(sources):
        if not s.skip:
            try:
                digests[i] = hashlib.sha256(s.path.read_bytes()).hexdigest() if s.path.stat().st_size else ""
            except OSError:
                digests[i] = ""
    original: dict[str, Source] = {}
    for i in sorted(digests, key=lambda i: (len(sources[i].display), sources[i].display)):
        if digests[i]:
            original.setdefault(digests[i], sources[i])
    result = []
    for i, s in enumerate(sources):
        first = original.get(digests.get(i, ""))
        if first is not None and first is not s:
            s = Source(s.path, s.display, f"identical copy of {first.display}", s.named)
        result.append(s)
    return result
