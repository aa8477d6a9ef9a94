"""The outputs of a run as one unit: cleaned.xlsx, report.html and the archive change
together or not at all.

A run writes its files into ``OUT/.sheetkit-staging/<token>/``, then records itself in
the archive with each file's sha256 (one transaction, status "writing"), then keeps the
outputs it replaces in ``history/``, moves its files into place and marks itself done.
Killed before the archive commit, the staged files are debris: the next sheetkit
command in the folder removes them (roll back). Killed after it, the next command
finishes the move (roll forward). Either way the folder ends with the previous set or
the new one whole. Commands take the folder's lock (lock.py) before any of this.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import zipfile
from pathlib import Path

from . import archive
from .errors import OutputError
from .lock import now_text
from .sources import OUTPUT_FILES, OUTPUT_MARKER
from .writer import current_umask

STAGING = ".sheetkit-staging"
HISTORY = "history"
_OWN_SHEETS = {"Lineage", "Decisions", "Provenance"}  # a workbook with these is one sheetkit wrote
_OWN_REPORT = b'<meta name="generator" content="sheetkit'


def sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB pieces."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while piece := fh.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()


def is_own_output(path: Path) -> bool:
    """Whether ``path`` (cleaned.xlsx or report.html) is one sheetkit wrote, though a person
    may have typed decisions into it since."""
    try:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                names = set(re.findall(r'<sheet [^>]*name="([^"]+)"', z.read("xl/workbook.xml").decode("utf-8")))
            return _OWN_SHEETS <= names
        with open(path, "rb") as fh:
            return _OWN_REPORT in fh.read(4096)
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        return False


def check_not_foreign(out_dir: Path) -> None:
    """Stop before any work when ``out_dir`` holds a cleaned.xlsx or report.html sheetkit did
    not write: it is neither replaced nor moved.

    Raises:
        OutputError: such a file is there.
    """
    for name in OUTPUT_FILES:
        path = Path(out_dir) / name
        if path.exists() and not is_own_output(path):
            raise OutputError(f"{path} was not written by sheetkit, so it is left as it is and no output was "
                              f"written; move it away or choose another --out")


def tidy(out_dir: Path) -> list[str]:
    """Finish or undo what an interrupted run left in ``out_dir``, and remove debris; what was
    done, one line each. Call it holding the folder's lock."""
    out_dir = Path(out_dir)
    done = []
    con = archive.connect(out_dir, create=False)
    if con is not None:
        try:
            pending = con.execute("SELECT run_id, staging FROM runs WHERE status = 'writing'").fetchall()
            for run_id, token in pending:
                outputs = dict(con.execute("SELECT name, sha256 FROM outputs WHERE run_id = ?", (run_id,)).fetchall())
                folder = out_dir / STAGING / str(token)
                staged = {n: folder / n for n in outputs if (folder / n).is_file() and sha256(folder / n) == outputs[n]}
                placed = {n for n in outputs if (out_dir / n).is_file() and sha256(out_dir / n) == outputs[n]}
                if set(staged) | placed >= set(outputs):  # roll forward
                    move_into_place(out_dir, staged, keep_history=True)
                    archive.finish_run(con, run_id, now_text())
                    done.append(f"finished the interrupted run {run_id}: its outputs are now in place")
                else:
                    con.execute("UPDATE runs SET status = 'lost' WHERE run_id = ?", (run_id,))
                    done.append(f"the interrupted run {run_id} cannot be finished (its files are gone); "
                                "the run before it stays the previous one")
        finally:
            con.close()
    staging = out_dir / STAGING
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
        done.append("removed the files of a run interrupted before it was recorded")
    for debris in [*out_dir.glob(".*.part"), *(out_dir / HISTORY).glob(".*.part")]:
        if debris.is_dir():
            shutil.rmtree(debris, ignore_errors=True)
        else:
            debris.unlink(missing_ok=True)
    return done


def stage(out_dir: Path, token: str) -> Path:
    """A fresh folder for a run's files, inside ``out_dir`` (same file system: a rename moves them)."""
    folder = Path(out_dir) / STAGING / token
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        raise OutputError(f"cannot write into the output folder {out_dir}: {exc.strerror or exc}") from exc
    return folder


def move_into_place(out_dir: Path, staged: dict[str, Path], keep_history: bool) -> Path | None:
    """Keep the outputs ``staged`` files replace in history/ (when ``keep_history``), then move
    each into place; returns the history folder used (None: nothing kept)."""
    kept = keep_in_history(out_dir, list(staged)) if keep_history else None
    for name, part in staged.items():
        pause(f"before-moving-{name}")
        os.replace(part, Path(out_dir) / name)
    return kept


def keep_in_history(out_dir: Path, names: list[str]) -> Path | None:
    """Keep the sheetkit outputs in ``out_dir`` named ``names`` in ``history/<their date-time>/``,
    unless a copy with the same content is already there.

    Files are hard-linked where the file system allows, copied otherwise; the folder appears
    under its final name only once complete.

    Raises:
        OutputError: the history folder cannot be written; nothing is replaced then.
    """
    out_dir = Path(out_dir)
    old = [out_dir / n for n in names if (out_dir / n).is_file() and is_own_output(out_dir / n)]
    if not old:
        return None
    history = out_dir / HISTORY
    if _already_kept(old, history):
        return None
    stamp = dt.datetime.fromtimestamp(old[0].stat().st_mtime).strftime("%Y-%m-%d_%H%M%S")
    tmp = history / f".{stamp}-{os.getpid()}.part"
    try:
        history.mkdir(exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(mode=0o777 & ~current_umask())
        (tmp / OUTPUT_MARKER).write_text("an earlier output of sheetkit, kept when a new run replaced it; "
                                         "a run over this folder does not read it\n", encoding="utf-8")
        for f in old:
            try:
                os.link(f, tmp / f.name)
            except OSError:
                shutil.copy2(f, tmp / f.name)
        target, n = history / stamp, 1
        while target.exists():
            n += 1
            target = history / f"{stamp}-{n}"
        os.rename(tmp, target)
        return target
    except OSError as exc:
        raise OutputError(f"cannot keep the previous output in {history}: {exc.strerror or exc} "
                          "(nothing was replaced)") from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _already_kept(files: list[Path], history: Path) -> bool:
    """Whether the newest copy in ``history`` holds these very files (an interrupted run kept
    them already)."""
    copies = sorted((p for p in history.glob("[0-9]*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    if not copies:
        return False
    last = copies[-1]
    for f in files:
        copy = last / f.name
        if not copy.is_file() or copy.stat().st_size != f.stat().st_size:
            return False
        if not os.path.samefile(copy, f) and sha256(copy) != sha256(f):
            return False
    return True


def prune_history(out_dir: Path, keep_runs: int) -> list[Path]:
    """Remove all but the newest ``keep_runs`` copies in history/ (0 keeps none); the archive
    still holds every run. Returns the folders removed."""
    history = Path(out_dir) / HISTORY
    copies = sorted((p for p in history.glob("[0-9]*") if p.is_dir()), key=lambda p: (p.stat().st_mtime, p.name))
    gone = copies[:max(len(copies) - keep_runs, 0)]
    for p in gone:
        shutil.rmtree(p, ignore_errors=True)
    return gone


def pause(point: str) -> None:
    """Crash tests stop a real run at a named moment: where ``SHEETKIT_TEST_KILL_AT`` names
    ``point`` the process kills itself (SIGKILL, as ``kill -9``); where
    ``SHEETKIT_TEST_PAUSE_AT`` does, it sleeps a minute (for another process to meet it
    there). Unset, nothing happens."""
    if os.environ.get("SHEETKIT_TEST_KILL_AT") == point:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("SHEETKIT_TEST_PAUSE_AT") == point:
        import time

        time.sleep(60)
