"""Writes a PipelineResult to an output folder: cleaned.xlsx and report.html, atomically."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import socket
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pandas as pd

from . import columns as C
from .csvsafe import neutralise_formulas
from .errors import OutputError
from . import archive
from .archive import RunInfo
from .changes_report import changes_context, trend_frame
from .lock import LOCK_FILE, current_user, folder_lock, now_text
from .outputset import check_not_foreign, move_into_place, pause, prune_history, sha256, stage, tidy
from .issues import count_by_severity
from .pipeline import CheckResult, PipelineResult, Progress, Tick
from .report import build_context, render_report
from .sources import OUTPUT_FILES, OUTPUT_MARKER
from .stages.decisions import DIFFERENT, SAME, SPLIT, choices
from .stages.segment import describe_rules
from .values.dates import iso_dates
from .values.text import isin
from .writer import current_umask, write_workbook

SHEETS = ["Customers", "Transactions", "Review", "Rejected", "Issues", "Lineage", "Summary", "Sources",
          "Decisions", "Provenance", "Owners", "Pool", "Verify", "Changes"]
_ID_CHANGES_LISTED = 1_000  # Summary lists this many ID changes; Lineage has every one
_INTERNAL = set(C.MATCH_KEYS)
# Every spelling the next run reads back from each decision column (stages/decisions.py).
DROPDOWNS = {"Review": ("decision", choices((SAME, DIFFERENT))),
             "Lineage": ("decision", choices((SPLIT, DIFFERENT))),
             "Decisions": ("decision", choices((SAME, DIFFERENT)))}
# Columns kept in view while scrolling right: who the row is about.
FREEZE = {"Customers": C.NAME, "Review": "right_name"}


def _customers_sheet(result: PipelineResult) -> pd.DataFrame:
    customers = result.customers.drop(columns=[c for c in result.customers.columns if c in _INTERNAL])
    for c in (C.LAST_CONTACT_ON, C.CREATED_ON, C.BIRTH_ON):
        if c in customers.columns:  # real dates where valid; text kept where not
            parsed = iso_dates(customers[c])
            text = parsed.isna() & customers[c].notna()
            # A date column stays datetime64 (no Timestamp object per cell) unless it holds text.
            customers[c] = parsed.astype(object).where(~text, customers[c]) if text.any() else parsed
    missing = [c for c in C.CUSTOMER_COLUMNS if c not in customers.columns]
    if missing:  # added at once: a sheet may bring thousands of columns of its own
        customers = pd.concat([customers, pd.DataFrame(None, index=customers.index, columns=missing, dtype=object)],
                              axis=1)
    order = list(C.CUSTOMER_COLUMNS)
    levels = [c for c in customers.columns if c.startswith("tags_") and c not in order]
    order[order.index("tags") + 1:order.index("tags") + 1] = levels  # each tag level beside the tags
    return customers[order + [c for c in customers.columns if c not in order]]


def summary_frame(result: PipelineResult) -> pd.DataFrame:
    """The Summary sheet: counts, then distributions, then the rules behind the segments."""
    lineage, customers = result.lineage, result.customers
    outcome = lineage["outcome"].value_counts()
    severity = count_by_severity(result.issues)
    rows: list[tuple[str, str, object]] = [
        ("run", "as of", result.as_of.strftime("%Y-%m-%d")),
        ("run", "files read", int((result.files["status"] == "read").groupby(result.files["file"]).any().sum())),
        ("run", "files that could not be read", int((result.files["status"] == "failed").sum())),
        ("run", "input rows accounted for (Lineage)", len(lineage)),
        ("run", "customers", len(customers)),
        ("run", "transactions", len(result.transactions)),
        ("run", "review pairs", len(result.review)),
        ("run", "issues: errors", severity["error"]),
        ("run", "issues: warnings", severity["warning"]),
    ]
    rows += [("rows by outcome", o, int(outcome.get(o, 0))) for o in C.OUTCOMES]
    for col in ("value_tier", "lifecycle", "rfm_segment", "freshness"):
        rows += [(col, str(k), int(v)) for k, v in customers[col].value_counts().sort_index().items()]
    rows += [("rule", name, rule) for name, rule in describe_rules(result.config)]
    rows += _tag_rows(result)
    rows += _history_rows(result)
    return pd.DataFrame(rows, columns=["section", "item", "value"])


def _tag_rows(result: PipelineResult) -> list[tuple[str, str, object]]:
    """Each tag rule and how many customers it matched; the pool and the Verify sheet."""
    rows: list[tuple[str, str, object]] = [(f"tag ({level})", tag, n)
                                           for level, tag, _, n in result.tag_counts.itertuples(index=False)]
    rows += [("rule", f"tag {tag} ({level})", when) for level, tag, when, _ in result.tag_counts.itertuples(index=False)]
    cfg = result.config
    rows += [("rule", "pool (公海)", f"no owner, or no contact or order for more than {cfg.pool_after_days} days"),
             ("rule", "verify (定期核对)", f"contact confirmed over {cfg.verify_after_days} days ago or never, "
                                         "or an invalid phone or e-mail"),
             ("pool", "customers in the pool (Pool sheet)", len(result.pool)),
             ("pool", "of them with no owner", int(result.pool["former_owner"].isna().sum())),
             ("verify", "customers to check again (Verify sheet)", len(result.verify))]
    return rows


def _history_rows(result: PipelineResult) -> list[tuple[str, str, object]]:
    """What the previous run carried over: decisions, and which customer IDs became which."""
    if result.previous is None:
        return []
    prev, decisions, changes = result.previous, result.decisions, result.id_changes
    applied = decisions["applied"].astype(str) if "applied" in decisions else pd.Series(dtype=str)
    ids = result.customers[C.CUSTOMER_ID]
    kept = int(isin(ids, result.lineage["previous_customer_id"].dropna()).sum())
    rows: list[tuple[str, str, object]] = [
        ("previous run", "read from", prev["path"]),
        ("previous run", "input rows found again", prev["records found"]),
        ("decisions", "in the ledger (Decisions sheet)", len(decisions)),
        ("decisions", "applied", int(applied.eq("yes").sum())),
        ("decisions", "not applied (see Decisions)", int((~applied.eq("yes")).sum())),
        ("decisions", "not understood (ignored)", len(prev["unread"])),
        ("customer ids", "previous customers", prev["customers before"]),
        ("customer ids", "kept their ID", kept),
        ("customer ids", "new", len(ids) - kept),
        ("customer ids", "merged into another", int((changes["change"] == "merged into").sum())),
        ("customer ids", "split off (new ID)", int((changes["change"] == "split off").sum())),
        ("customer ids", "rows moved between customers", int((changes["change"] == "moved to").sum())),
        ("customer ids", "gone (no rows left)", prev["customers gone"]
         - int(changes.loc[changes["change"] == "merged into", "previous_customer_id"].nunique())),
    ]
    rows += [("id change", f"{a} → {b}", f"{change} ({n} row{'s' if n != 1 else ''})")
             for a, b, change, n in changes.head(_ID_CHANGES_LISTED).itertuples(index=False)]
    if len(changes) > _ID_CHANGES_LISTED:
        more = f"{len(changes) - _ID_CHANGES_LISTED:,} more: see previous_customer_id in Lineage"
        rows.append(("id change", "…", more))
    return rows


@contextmanager
def output_folder(out_dir: Path) -> Iterator[Path]:
    """Check ``out_dir`` can be created and written before any work is done, then run the
    ``with`` body; folders created here are removed again if the body fails while they
    are still empty (a failed run leaves no empty archive behind).

    The check is a real one: the folder (and missing parents) is made and a scratch file
    written and removed, since permission bits cannot tell a read-only mount or ``/proc``.

    Raises:
        OutputError: the folder cannot be created or written into.
    """
    out_dir = Path(out_dir)
    missing = [p for p in (out_dir, *out_dir.parents) if not p.exists()]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out_dir}: {exc.strerror or exc}") from exc
    try:
        try:
            fd, scratch = tempfile.mkstemp(prefix=".sheetkit-check-", suffix=".part", dir=out_dir)
            os.close(fd)
            os.unlink(scratch)
        except OSError as exc:
            raise OutputError(f"cannot write into the output folder {out_dir}: {exc.strerror or exc}") from exc
        yield out_dir
    except BaseException:  # Ctrl-C too
        if missing:  # made by this run: its lock file goes with it
            (out_dir / LOCK_FILE).unlink(missing_ok=True)
        for folder in missing:  # deepest first
            try:
                folder.rmdir()
            except OSError:  # not empty (something was written), or gone
                break
        raise


def write_outputs(result: PipelineResult, out_dir: Path, keep_history: bool = False,
                  progress: Progress | None = None, tick: Tick | None = None,
                  run_info: RunInfo | None = None, keep_runs: int | None = None) -> dict[str, Path]:
    """Write cleaned.xlsx and report.html into ``out_dir`` (created if needed) and record the
    run in its archive (archive.py), as one unit (outputset.py).

    Holding the folder's lock, an interrupted earlier run is finished or undone first; the
    files are written into a staging folder, the run is recorded with their sha256, then
    they are moved into place. With ``keep_history``, the outputs they replace are first
    kept in ``history/<their date-time>/`` (the newest ``keep_runs`` copies are kept).
    ``progress`` is called with ("report", "workbook" or "archive", rows, seconds) as each is done;
    ``tick`` with ("workbook", rows written, rows in all) while the workbook is written.

    Raises:
        OutputError: the folder or a file cannot be written, or holds a cleaned.xlsx or
            report.html sheetkit did not write; the folder is then as it was.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out_dir}: {exc.strerror or exc}") from exc
    info = run_info or default_run_info(result.config)
    started_at = time.perf_counter()
    with folder_lock(out_dir):
        tidy(out_dir)
        check_not_foreign(out_dir)
        try:
            (out_dir / OUTPUT_MARKER).write_text(
                "sheetkit wrote cleaned.xlsx and report.html here; a run over this folder does not read them\n",
                encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write into the output folder {out_dir}: {exc.strerror or exc}") from exc
        token = f"{os.getpid()}-{time.time_ns()}"
        folder = stage(out_dir, token)
        made = not (out_dir / archive.ARCHIVE).exists()  # by this run: gone again if nothing is recorded
        run_id = None
        try:
            con = archive.connect(out_dir)
            try:
                # The archive is written while the workbook's close() deflates (recorder.start
                # at its last row) and committed only once the workbook is whole.
                recorder = archive.Recorder(con, result, info, token)
                try:
                    staged = _write_staged(result, out_dir, folder, progress, tick, on_last_row=recorder.start)
                    pause("staged")
                    outputs = {name: (path.stat().st_size, sha256(path)) for name, path in staged.items()}
                except BaseException:
                    recorder.abandon()
                    raise
                info.duration_s = info.duration_s + time.perf_counter() - started_at
                run_id = recorder.commit(outputs, info.duration_s)
                if progress:
                    progress("archive", len(result.identity), recorder.seconds)
                pause("recorded")
                move_into_place(out_dir, staged, keep_history)
                archive.finish_run(con, run_id, now_text())
            except sqlite3.Error as exc:
                raise OutputError(f"cannot write the archive {out_dir / archive.ARCHIVE}: {exc} "
                                  "(no output was replaced)") from exc
            finally:
                con.close()
        except BaseException:
            if made and run_id is None:  # a first run that failed leaves no empty archive
                for name in (archive.ARCHIVE, archive.ARCHIVE + "-journal"):
                    (out_dir / name).unlink(missing_ok=True)
            tidy(out_dir)  # what is recorded is finished, what is not is removed
            raise
        shutil.rmtree(folder.parent, ignore_errors=True)
        if keep_history and keep_runs is not None:
            prune_history(out_dir, keep_runs)
    return {"workbook": out_dir / OUTPUT_FILES[0], "report": out_dir / OUTPUT_FILES[1]}


def _write_staged(result: PipelineResult, out_dir: Path, folder: Path, progress: Progress | None,
                  tick: Tick | None, on_last_row: Callable[[], None] | None = None) -> dict[str, Path]:
    """The workbook and the report, written into ``folder``; ``on_last_row`` is called when
    the writer has every row and is left to close (deflate) the file."""
    files = result.files.assign(mapping=result.files["mapping"].map(
        lambda m: "; ".join(f"{x['header']} → {x['field'] or '(kept)'}" for x in m) if isinstance(m, list) else ""))
    sheets = {
        "Customers": _customers_sheet(result),
        "Transactions": result.transactions,
        "Review": result.review,
        "Rejected": result.rejected.drop(columns=[c for c in result.rejected.columns if c in _INTERNAL]),
        "Issues": result.issues,
        "Lineage": result.lineage,
        "Summary": summary_frame(result),
        "Sources": files,
        "Decisions": result.decisions,
        "Provenance": result.provenance,
        "Owners": result.owners,
        "Pool": result.pool,
        "Verify": result.verify,
        "Changes": result.changes,
    }
    started = time.perf_counter()
    context = build_context(result)
    context.update(changes_context(result, trend_frame(out_dir, result), trend_frame(out_dir, result, per="owner")))
    report = render_report(context, lang=result.config.lang or None)  # "": both languages
    if progress:
        progress("report", len(result.customers), time.perf_counter() - started)
    html = folder / OUTPUT_FILES[1]
    try:
        write_text_atomic(html, report)
    except OutputError as exc:  # name the file people know, not the staging folder's
        raise OutputError(str(exc).replace(str(html), str(out_dir / OUTPUT_FILES[1]))
                          + "; no output was replaced") from exc.__cause__
    started = time.perf_counter()
    xlsx = folder / OUTPUT_FILES[0]
    where = os.environ.get("TMPDIR") or "/tmp"  # where the Rust writer keeps each sheet while writing it
    try:
        with _quiet_panics(folder):
            write_workbook(sheets, xlsx, dropdowns=DROPDOWNS, notes=result.cell_notes, freeze=FREEZE,
                           tick=partial(_rows_written, tick, on_last_row))
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":  # the Rust writer panics on a full disk
            raise
        raise OutputError(f"cannot write {out_dir / OUTPUT_FILES[0]}: the disk or the temporary folder ({where}) "
                          f"is full or cannot be written ({str(exc).strip().splitlines()[0][:120]}); "
                          "no output was replaced; free some space or set TMPDIR to another folder") from None
    pause("workbook-written")
    if progress:
        progress("workbook", sum(len(f) for f in sheets.values()), time.perf_counter() - started)
    return {OUTPUT_FILES[0]: xlsx, OUTPUT_FILES[1]: html}


def _rows_written(tick: Tick | None, on_last_row: Callable[[], None] | None, done: int, total: int) -> None:
    if tick:
        tick("workbook", done, total)
    if on_last_row and done >= total:
        on_last_row()


@contextmanager
def _quiet_panics(folder: Path) -> Iterator[None]:
    """While the Rust writer runs, what it writes to stderr goes to a file in ``folder``, and
    is passed on afterwards unless it is a panic's report: a full disk is then one line (the
    OutputError), not a Rust backtrace. Only when stderr is not a terminal, where the
    workbook's live progress line must stay live."""
    if sys.stderr is None or sys.stderr.isatty():
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    path = folder / ".stderr"
    with open(path, "w+b") as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            said = capture.read().decode("utf-8", "replace")
    path.unlink(missing_ok=True)
    if said and "panicked at" not in said:
        sys.stderr.write(said)


def default_run_info(config) -> RunInfo:
    """What a run called from Python records about itself (the CLI adds its inputs)."""
    return RunInfo(started_at=now_text(), user=current_user(), host=socket.gethostname(),
                   sheetkit_version=_version(), settings=archive.settings_json(config))


def _version() -> str:
    try:
        return importlib.metadata.version("sheetkit")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` under a temporary name beside ``path``, then move it into place."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def result_json(result: PipelineResult) -> str:
    """Counts of a run as JSON (the CLI's --json output)."""
    outcome = result.lineage["outcome"].value_counts()
    return json.dumps({"customers": len(result.customers), "transactions": len(result.transactions),
                       "review_pairs": len(result.review), "rows": len(result.lineage),
                       "outcomes": {o: int(outcome.get(o, 0)) for o in C.OUTCOMES},
                       "issues": count_by_severity(result.issues)}, ensure_ascii=False)


def write_issues_csv(issues: pd.DataFrame, path: Path) -> None:
    """The issues as CSV with a BOM, so Excel opens the Chinese text right; a cell that
    would run as a formula gets a ' in front (csvsafe.py)."""
    write_text_atomic(Path(path), neutralise_formulas(issues).to_csv(index=False), encoding="utf-8-sig")


def check_json(result: CheckResult) -> str:
    """Counts of a check as JSON (``sheetkit check --json``)."""
    by_code = result.issues.groupby(["code", "severity"]).size()
    return json.dumps({"rows": result.rows, "rejected": result.rejected,
                       "issues": count_by_severity(result.issues),
                       "codes": [{"code": c, "severity": s, "count": int(n)} for (c, s), n in by_code.items()]},
                      ensure_ascii=False)
