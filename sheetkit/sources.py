"""Expands the user's paths into the spreadsheet files to read, noting every skip."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".tsv", ".txt")
_JUNK = {"desktop.ini", ".ds_store", "thumbs.db"}
COPIES_MARKER = ".sheetkit-copies"  # in the folders export and share write: all of it is sheetkit's own
OUTPUT_MARKER = ".sheetkit-output"  # written into every output folder
OUTPUT_FILES = ("cleaned.xlsx", "report.html")  # beside the marker: sheetkit's own, never read back
OWN_FILES = ("archive.sqlite", ".sheetkit.lock")  # beside the marker too: the archive and the folder's lock


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
            name in OUTPUT_FILES or name in OWN_FILES or name == OUTPUT_MARKER or name.endswith(".part")):
        return "sheetkit's own output"
    if (path.parent / COPIES_MARKER).exists():  # CRM import files, shared copies: read, they would count twice
        return "sheetkit's own output (an export or shared copy)"
    if name.startswith(("~$", ".~lock")):
        return "Office lock file"
    if name.lower() in _JUNK or name.startswith("._"):
        return "system file"
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return "not a spreadsheet"
    return ""


def _not_regular(path: Path) -> str:
    """Why ``path`` (followed if a link) is not a file that can be read: a named pipe would
    block the run forever, a device or socket gives no end."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot be opened ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return ""
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"not a regular file: {kind}"


def _outside(path: Path, roots: list[Path]) -> str:
    """A symbolic link found in a folder is followed only to a place inside the folders given:
    a link to /etc/passwd dropped into a shared folder must not be read into the archive."""
    if not path.is_symlink():
        return ""
    target = path.resolve()
    if any(target == root or target.is_relative_to(root) for root in roots):
        return ""
    return f"symbolic link to {os.readlink(path)}, outside the folders given (not followed)"


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
    roots = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    for given in paths:
        given = Path(given)
        if given.is_dir():
            root = given if len(paths) == 1 else given.parent
            for path in sorted(given.rglob("*")):  # rglob does not descend into linked folders
                if path.is_dir() and not path.is_symlink():
                    continue
                why = _outside(path, roots) or ("symbolic link to a folder (not followed)" if path.is_dir() else "")
                found.append(Source(path, _display(path, root), why or _not_regular(path) or _why_skip(path)))
        else:
            # A file named on the command line is judged like a folder entry: a README.md
            # or a photo given by mistake is skipped and said so, not read as CSV. A link
            # named there is followed: the user chose it.
            found.append(Source(given, given.name, _not_regular(given) or _why_skip(given), named=True))
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
