"""The archive: every run into an output folder, kept in one SQLite file there.

``OUT/archive.sqlite`` is made by the first run and updated by each run in one
transaction: the run (when, who, where, version, settings, schema, as-of, inputs and
outputs with their sha256, counts, duration), its records (how each is found again
next week), its customers (what Changes compares), the decisions ledger and the
customer-ID changes. The next run reads the previous run from here, not by parsing
last week's workbook; decisions people type into the workbook are still taken in.
SQLite comes with Python, is one file that any SQLite tool opens, and writes a
million records in a few seconds (README, "The archive"). The tables are a contract:
columns may be added, never renamed or dropped.

Records and customers are kept compactly: a row holds for the runs ``first_run`` to
``last_run``, so a week in which most records stay as they were adds only the ones that
changed (and moves ``last_run`` on for the rest, in one statement). The records of run
k are those with ``first_run <= k <= last_run``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import columns as C
from .errors import OutputError, PreviousRunError
from .stages.changes import KEPT, TIER
from .stages.decisions import DECISION_COLUMNS
from .stages.identity import FIELD_HASHES, RECORD_KEY
from .values.text import ARROW_TEXT

ARCHIVE = "archive.sqlite"
SCHEMA_VERSION = 1
_HASHES = list(FIELD_HASHES.values())
_RECORD_COLUMNS = ["sheet_id", C.SOURCE_ROW, RECORD_KEY, C.CUSTOMER_ID, "outcome", *_HASHES]
RUN_COLUMNS = ["run_id", "started_at", "finished_at", "user", "host", "sheetkit_version", "as_of", "settings",
               "schema_sha256", "duration_s", "status", "exit_status", "rows", "customers", "merged_rows",
               "review_pairs", "errors", "warnings", "health_score", "decisions", "staging"]
# Files written by ``sheetkit share`` (who, when, role, rows; the whole log entry as JSON).
_SHARES = """CREATE TABLE IF NOT EXISTS shares (at TEXT, user TEXT, role TEXT, owner TEXT, rows INTEGER,
    encrypted INTEGER, lang TEXT, files TEXT, entry TEXT)"""
_TABLES = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (run_id INTEGER PRIMARY KEY, started_at TEXT, finished_at TEXT, user TEXT,
    host TEXT, sheetkit_version TEXT, as_of TEXT, settings TEXT, schema_sha256 TEXT, duration_s REAL,
    status TEXT, exit_status INTEGER, rows INTEGER, customers INTEGER, merged_rows INTEGER,
    review_pairs INTEGER, errors INTEGER, warnings INTEGER, health_score REAL, decisions INTEGER, staging TEXT);
CREATE TABLE IF NOT EXISTS inputs (run_id INTEGER, path TEXT, size INTEGER, mtime TEXT, sha256 TEXT);
CREATE TABLE IF NOT EXISTS outputs (run_id INTEGER, name TEXT, size INTEGER, sha256 TEXT);
CREATE TABLE IF NOT EXISTS sheets (sheet_id INTEGER PRIMARY KEY, source_file TEXT, source_sheet TEXT,
    UNIQUE (source_file, source_sheet));
CREATE TABLE IF NOT EXISTS records (first_run INTEGER, last_run INTEGER, sheet_id INTEGER, source_row INTEGER,
    record_key INTEGER, customer_id TEXT, outcome TEXT, {", ".join(f"{h} INTEGER" for h in _HASHES)},
    content_hash INTEGER);
CREATE INDEX IF NOT EXISTS records_last_run ON records (last_run);
CREATE TABLE IF NOT EXISTS customers (first_run INTEGER, last_run INTEGER, {", ".join(KEPT)},
    content_hash INTEGER);
CREATE INDEX IF NOT EXISTS customers_last_run ON customers (last_run);
CREATE TABLE IF NOT EXISTS decisions ({", ".join(DECISION_COLUMNS)}, first_run INTEGER, last_run INTEGER);
CREATE TABLE IF NOT EXISTS id_changes (run_id INTEGER, previous_customer_id TEXT, customer_id TEXT, change TEXT,
    records INTEGER);
CREATE TABLE IF NOT EXISTS sheet_stats (run_id INTEGER, source_file TEXT, source_sheet TEXT, rows INTEGER,
    customers INTEGER, merged INTEGER, issues INTEGER, health_score REAL);
{_SHARES};
CREATE TABLE IF NOT EXISTS owner_stats (run_id INTEGER, owner TEXT, customers INTEGER, duplicate_rows INTEGER,
    issues INTEGER, health_score REAL, in_pool INTEGER, to_verify INTEGER);
"""


@dataclass
class RunInfo:
    """What a run records about itself besides its result."""

    started_at: str
    user: str
    host: str
    sheetkit_version: str
    settings: str = "{}"
    schema_sha256: str = ""
    inputs: list[dict] = field(default_factory=list)   # path, size, mtime, sha256
    duration_s: float = 0.0
    exit_status: int = 0      # what the command exits with (3: --fail-on found issues)


def connect(out_dir: Path, create: bool = True) -> sqlite3.Connection | None:
    """The archive of ``out_dir`` (made when ``create``; None when there is none)."""
    path = Path(out_dir) / ARCHIVE
    if not create and not path.is_file():
        return None
    try:
        # transactions are explicit; a run records itself on a thread (Recorder), one thread at a time
        con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA journal_mode=DELETE")  # a rollback journal: one file at rest, any tool reads it
        con.execute("PRAGMA synchronous=FULL")
        if create:
            con.executescript(_TABLES)
            con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        return con
    except sqlite3.DatabaseError as exc:
        raise OutputError(f"cannot use the archive {path}: {exc} (move it away to start a new one)") from exc


@contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All or nothing: the archive changes only if the body ends without an error."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def record_run(con: sqlite3.Connection, result, info: RunInfo, outputs: dict[str, tuple[int, str]],
               staging: str) -> int:
    """Add a run (status "writing") and all it found, inside the caller's transaction; its id."""
    lineage, customers = result.lineage, result.customers
    outcome = lineage["outcome"].value_counts()
    severity = result.issues["severity"].value_counts()
    health = float(customers["health_score"].mean()) if len(customers) else None
    row = {"started_at": info.started_at, "user": info.user, "host": info.host,
           "sheetkit_version": info.sheetkit_version, "as_of": result.as_of.strftime("%Y-%m-%d"),
           "settings": info.settings, "schema_sha256": info.schema_sha256, "duration_s": info.duration_s,
           "status": "writing", "exit_status": info.exit_status, "rows": len(lineage),
           "customers": len(customers),
           "merged_rows": int(outcome.get("merged", 0)), "review_pairs": len(result.review),
           "errors": int(severity.get("error", 0)), "warnings": int(severity.get("warning", 0)),
           "health_score": health, "decisions": len(result.decisions), "staging": staging}
    cur = con.execute(f"INSERT INTO runs ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                      list(row.values()))
    run_id = int(cur.lastrowid)
    con.executemany("INSERT INTO inputs VALUES (?, ?, ?, ?, ?)",
                    [(run_id, f["path"], f["size"], f["mtime"], f["sha256"]) for f in info.inputs])
    con.executemany("INSERT INTO outputs VALUES (?, ?, ?, ?)",
                    [(run_id, name, size, sha) for name, (size, sha) in outputs.items()])
    follows = _last_done(con)
    _store_records(con, run_id, follows, result.identity)
    _store_kept(con, "customers", run_id, follows, customers.reindex(columns=KEPT), KEPT)
    _insert_frame(con, "id_changes", result.id_changes[["previous_customer_id", C.CUSTOMER_ID, "change", "records"]],
                  run_id)
    _insert_frame(con, "sheet_stats", sheet_stats(result), run_id)
    _insert_frame(con, "owner_stats", result.owners.reindex(columns=OWNER_STATS), run_id)
    _replace_ledger(con, result.decisions, run_id)
    return run_id


class Recorder:
    """Records a run beside other work: ``start`` opens the transaction and runs
    ``record_run`` (everything but the outputs) on a thread; ``commit`` waits for it, adds
    the outputs' sizes and sha256 and commits. The workbook's close() deflates its sheets
    with the GIL let go, so the archive is written meanwhile, and nothing is committed
    until the workbook is whole. ``abandon`` rolls back what was done (an error, Ctrl-C)."""

    def __init__(self, con: sqlite3.Connection, result, info: RunInfo, staging: str) -> None:
        self._con, self._error = con, None
        self.run_id: int | None = None
        self.seconds = 0.0  # how long recording took (the thread's, then the commit)
        self._thread = threading.Thread(target=self._record, args=(result, info, staging), name="archive",
                                        daemon=True)

    def start(self) -> None:
        if self._thread.ident is None:
            self._thread.start()

    def _record(self, result, info: RunInfo, staging: str) -> None:
        started = time.perf_counter()
        try:
            self._con.execute("BEGIN IMMEDIATE")
            self.run_id = record_run(self._con, result, info, {}, staging)
        except BaseException as exc:  # raised again by commit, in the thread that waits for it
            self._error = exc
        self.seconds = time.perf_counter() - started

    def commit(self, outputs: dict[str, tuple[int, str]], duration_s: float) -> int:
        """Wait for the records, add the outputs and the run's duration, commit; the run's id."""
        self.start()
        self._thread.join()
        started = time.perf_counter()
        try:
            if self._error is not None:
                raise self._error
            self._con.executemany("INSERT INTO outputs VALUES (?, ?, ?, ?)",
                                  [(self.run_id, name, size, sha) for name, (size, sha) in outputs.items()])
            self._con.execute("UPDATE runs SET duration_s = ? WHERE run_id = ?", (duration_s, self.run_id))
            self._con.execute("COMMIT")
        except BaseException:
            self.abandon()
            raise
        self.seconds += time.perf_counter() - started
        return int(self.run_id)

    def abandon(self) -> None:
        if self._thread.ident is not None:
            self._thread.join()
        if self._con.in_transaction:
            self._con.execute("ROLLBACK")


def finish_run(con: sqlite3.Connection, run_id: int, finished_at: str) -> None:
    """The run's outputs are in place: it is the one the next run follows."""
    con.execute("UPDATE runs SET status = 'done', finished_at = ? WHERE run_id = ?", (finished_at, run_id))


OWNER_STATS = ["owner", "customers", "duplicate_rows", "issues", "health_score", "in_pool", "to_verify"]


def sheet_stats(result) -> pd.DataFrame:
    """Per source sheet: rows, customers, merged rows, issues and health: the report's trend."""
    cols = [C.SOURCE_FILE, C.SOURCE_SHEET, "rows", "customers", "merged", "issues", "health_score"]
    ident = result.identity
    if ident.empty:
        return pd.DataFrame(columns=cols)
    g = ident.groupby([C.SOURCE_FILE, C.SOURCE_SHEET], sort=False)
    out = pd.DataFrame({"customers": g[C.CUSTOMER_ID].nunique(),
                        "merged": g["outcome"].agg(lambda s: int((s == "merged").sum()))}).reset_index()
    issues = result.issues.groupby([C.SOURCE_FILE, C.SOURCE_SHEET]).size().rename("issues").reset_index()
    health = result.sheet_health.rename(columns={"file": C.SOURCE_FILE, "sheet": C.SOURCE_SHEET})
    out = out.merge(health[[C.SOURCE_FILE, C.SOURCE_SHEET, "rows", "health_score"]], how="left") \
        .merge(issues, how="left")
    out["issues"] = out["issues"].fillna(0).astype("int64")
    return out[cols]


def _insert_frame(con: sqlite3.Connection, table: str, frame: pd.DataFrame, run_id: int,
                  interval: bool = False) -> None:
    if frame.empty:
        return
    values = []
    for c in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[c]):
            values.append(frame[c].dt.strftime("%Y-%m-%d").astype(object).where(frame[c].notna(), None).tolist())
        elif frame[c].dtype.kind in "iub":
            values.append(frame[c].astype("int64").tolist())
        elif frame[c].dtype.kind == "f":
            number = frame[c].to_numpy(dtype=float)  # NaN as None, in C: 0.04 s, not 1.4 s, a million
            values.append(np.where(np.isnan(number), None, number).tolist())
        elif frame[c].dtype == ARROW_TEXT:  # text (``_storable``): Arrow makes the Python strings
            values.append(pa.array(frame[c].array).to_pylist())
        else:
            values.append([v if v is None or isinstance(v, (int, float, str)) else str(v)
                           for v in frame[c].astype(object).where(frame[c].notna(), None).tolist()])
    lead = ["first_run", "last_run"] if interval else ["run_id"]
    marks = ", ".join("?" * (len(frame.columns) + len(lead)))
    con.executemany(f"INSERT INTO {table} ({', '.join(lead + list(frame.columns))}) VALUES ({marks})",
                    zip(*[[run_id] * len(frame)] * len(lead), *values))


def _last_done(con: sqlite3.Connection) -> int | None:
    found = con.execute("SELECT max(run_id) FROM runs WHERE status = 'done'").fetchone()
    return None if not found or found[0] is None else int(found[0])


def _record_frame(con: sqlite3.Connection, ident: pd.DataFrame) -> pd.DataFrame:
    """The identity frame as the ``records`` table holds it (sheet_id, key as an integer)."""
    places = ident[[C.SOURCE_FILE, C.SOURCE_SHEET]].drop_duplicates()
    con.executemany("INSERT OR IGNORE INTO sheets (source_file, source_sheet) VALUES (?, ?)",
                    places.itertuples(index=False, name=None))
    known = pd.DataFrame(con.execute("SELECT sheet_id, source_file, source_sheet FROM sheets").fetchall(),
                         columns=["sheet_id", C.SOURCE_FILE, C.SOURCE_SHEET])
    sheet = ident[[C.SOURCE_FILE, C.SOURCE_SHEET]].merge(known, how="left")["sheet_id"].to_numpy(dtype="int64")
    return pd.DataFrame({"sheet_id": sheet, C.SOURCE_ROW: ident[C.SOURCE_ROW].to_numpy(dtype="int64"),
                         RECORD_KEY: keys_to_ints(ident[RECORD_KEY]),
                         C.CUSTOMER_ID: ident[C.CUSTOMER_ID].to_numpy(object),
                         "outcome": ident["outcome"].to_numpy(object),
                         **{h: ident[h].to_numpy(dtype="int64") for h in _HASHES}})


def _store_records(con: sqlite3.Connection, run_id: int, follows: int | None, ident: pd.DataFrame) -> None:
    if ident.empty:
        frame = pd.DataFrame(columns=_RECORD_COLUMNS)
    else:
        frame = _record_frame(con, ident)
    _store_kept(con, "records", run_id, follows, frame, _RECORD_COLUMNS)


def _store_kept(con: sqlite3.Connection, table: str, run_id: int, follows: int | None, frame: pd.DataFrame,
                cols: list[str]) -> None:
    """Add ``frame`` as ``table``'s rows for ``run_id``: rows the run ``follows`` had just so
    (the same ``content_hash``) only get their ``last_run`` moved on; the others are inserted.
    Rows are made storable a chunk at a time, so a million customers are never copied whole."""
    chunks = range(0, len(frame), _CHUNK)
    if follows is None or not len(frame):
        for start in chunks:
            part = _storable(frame.iloc[start:start + _CHUNK][cols])
            _insert_frame(con, table, part.assign(content_hash=_row_hashes(part)), run_id, interval=True)
        return
    hashes = np.concatenate([_row_hashes(_storable(frame.iloc[start:start + _CHUNK][cols])) for start in chunks])
    before = _read_columns(con, table, ["content_hash"], "last_run = ?", (follows,), with_rowid=True)
    before["_at"] = np.arange(len(before))
    same = pd.DataFrame({"content_hash": hashes, "index": np.arange(len(hashes))}).merge(before, on="content_hash")
    same = same.drop_duplicates("_rowid").drop_duplicates("index")
    left = np.ones(len(before), bool)  # rows of ``follows`` no row of this run has: they end there
    left[same["_at"].to_numpy()] = False
    gone = before["_rowid"].to_numpy()[left]
    # Each row changed costs an update of the last_run index, so only the smaller side is
    # changed row by row. Rows deleted near the top of a sheet renumber every row below,
    # and then almost none of last week's records stay: ending a million of them one by one
    # took 6.5 s, moving on the few that stay takes 0.1 s.
    if len(gone) <= len(same):
        con.execute(f"UPDATE {table} SET last_run = ? WHERE last_run = ?", (run_id, follows))
        con.executemany(f"UPDATE {table} SET last_run = ? WHERE rowid = ?", ((follows, int(r)) for r in gone))
    else:
        con.executemany(f"UPDATE {table} SET last_run = ? WHERE rowid = ?",
                        ((run_id, int(r)) for r in same["_rowid"].to_numpy()))
    new = np.ones(len(frame), bool)
    new[same["index"].to_numpy()] = False
    for start in chunks:
        take = new[start:start + _CHUNK]
        if take.any():
            part = _storable(frame.iloc[start:start + _CHUNK][cols][take])
            _insert_frame(con, table, part.assign(content_hash=hashes[start:start + _CHUNK][take]), run_id,
                          interval=True)


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row of what it holds: how a week's unchanged rows are told."""
    if not len(frame):
        return np.empty(0, dtype=np.int64)
    return pd.util.hash_pandas_object(frame, index=False).to_numpy().view(np.int64)


_CHUNK = 100_000


def _storable(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as SQLite gives them back: dates as text, missing as None, numbers as numbers."""
    out = {}
    for c in frame.columns:
        v = frame[c]
        if pd.api.types.is_datetime64_any_dtype(v):
            v = v.dt.strftime("%Y-%m-%d")
        if v.dtype.kind in "iu":
            out[c] = v.to_numpy(dtype="int64")
        elif v.dtype.kind == "f":
            out[c] = v.to_numpy(dtype=float)
        else:  # as Arrow text: the same values and row hashes as Python strings, made in C
            text = v if v.dtype == ARROW_TEXT else v.astype(ARROW_TEXT)
            if text.str.contains(_SEPARATORS, regex=True).any():
                text = text.str.replace(_SEPARATORS, " ", regex=True)
            out[c] = text.array
    return pd.DataFrame(out, index=frame.index)


_SEPARATORS = "[\x1e\x1f]"  # how a column is read back (_read_columns); never in a cell read from xlsx


def _read_columns(con: sqlite3.Connection, table: str, cols: list[str], where: str, params: tuple,
                  with_rowid: bool = False) -> pd.DataFrame:
    """Columns of the rows ``where`` says, each fetched as one text (``group_concat`` in rowid
    order, in C) and split by Arrow: a million rows in a second or two, and no Python
    object per value (text columns come back Arrow-backed, as pandas keeps text anyway)."""
    types = dict(con.execute(f"SELECT name, type FROM pragma_table_info('{table}')").fetchall())
    wanted = (["rowid"] if with_rowid else []) + cols
    parts = ", ".join(f"group_concat(ifnull({c}, char(30)), char(31))" for c in wanted)
    inner = ", ".join(["rowid", *cols])  # not ``*``: each row's other columns cost a third more
    row = con.execute(f"SELECT count(*), {parts} FROM (SELECT {inner} FROM {table} WHERE {where} ORDER BY rowid)",
                      params).fetchone()
    n, texts = row[0], list(row[1:])
    del row
    out = {}
    for i, c in enumerate(wanted):
        values = _split_text(texts[i] if n else None)
        texts[i] = None  # each column's text goes once it is split: they are not all held at once
        missing = pc.equal(values, _MISSING)
        has_missing = pc.any(missing).as_py() or False
        if c == "rowid" or types.get(c) == "INTEGER" and not has_missing:
            out["_rowid" if c == "rowid" else c] = pc.cast(values, pa.int64()).to_numpy()
            continue
        values = pc.if_else(missing, pa.scalar(None, values.type), values) if has_missing else values
        if c == "health_score":
            out[c] = pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)
        else:
            out[c] = pd.Series(ARROW_TEXT.__from_arrow__(values))
    return pd.DataFrame(out, columns=list(out) or wanted)


_MISSING = "\x1e"


def _split_text(text: str | None) -> pa.Array:
    """A ``group_concat`` text split at its separators, as an Arrow string array."""
    if text is None:
        return pa.array([], pa.large_string())
    return pc.split_pattern(pa.array([text], pa.large_string()), "\x1f").values


def _replace_ledger(con: sqlite3.Connection, decisions: pd.DataFrame, run_id: int) -> None:
    """The ledger as this run leaves it: one row per decision, who made it and when; the run
    that first took it in is kept."""
    first = dict(con.execute("SELECT decision_id, first_run FROM decisions").fetchall())
    con.execute("DELETE FROM decisions")
    if decisions.empty:
        return
    frame = decisions.reindex(columns=DECISION_COLUMNS).copy()
    frame["first_run"] = frame["decision_id"].map(first).fillna(run_id).astype("int64")
    frame["last_run"] = run_id
    frame = frame.astype(object).where(frame.notna(), None)
    rows = [tuple(v if v is None or isinstance(v, (int, float, str))
                  else (int(v) if isinstance(v, np.integer) else str(v)) for v in row)
            for row in frame.itertuples(index=False, name=None)]
    con.executemany(f"INSERT INTO decisions VALUES ({', '.join('?' * len(frame.columns))})", rows)


def keys_to_ints(keys: pd.Series) -> np.ndarray:
    """16-hex-digit record keys as signed 64-bit integers (8 bytes each in SQLite, not 17)."""
    text = keys.fillna("0" * 16).astype(str).to_numpy(dtype="<U16")
    return np.frombuffer(bytes.fromhex("".join(text)), dtype=">u8").astype(np.uint64).view(np.int64) \
        if len(text) else np.empty(0, dtype=np.int64)


def ints_to_keys(values: np.ndarray) -> np.ndarray:
    """The inverse of ``keys_to_ints``.

    >>> ints_to_keys(keys_to_ints(pd.Series(["00000000000000ff", "ffffffffffffffff"]))).tolist()
    ['00000000000000ff', 'ffffffffffffffff']
    """
    digits = _HEX[np.asarray(values, dtype=np.int64).view(np.uint64).astype(">u8").view(np.uint8).reshape(-1, 8)]
    return np.ascontiguousarray(digits).view("<U16").ravel().astype(object)


_HEX = np.array([f"{i:02x}" for i in range(256)])


@dataclass
class ArchivedRun:
    """The last finished run of an archive, as the next run needs it."""

    run_id: int
    records: pd.DataFrame     # identity, field hashes, customer_id, outcome
    customers: Callable[[], pd.DataFrame]  # reads its customers (KEPT columns) when called
    decisions: pd.DataFrame   # the ledger
    outputs: dict[str, str]   # name -> sha256


def last_run(out_dir: Path) -> ArchivedRun | None:
    """The last finished run in ``out_dir``'s archive, or None when it has none.

    Raises:
        PreviousRunError: the archive cannot be read.
    """
    path = Path(out_dir) / ARCHIVE
    try:
        con = connect(out_dir, create=False)
        if con is None:
            return None
        with closing(con):
            found = con.execute("SELECT max(run_id) FROM runs WHERE status = 'done'").fetchone()
            if not found or found[0] is None:
                return None
            run_id = int(found[0])
            records = _read_columns(con, "records", _RECORD_COLUMNS, "last_run = ?", (run_id,))
            sheets = pd.DataFrame(con.execute("SELECT sheet_id, source_file, source_sheet FROM sheets").fetchall(),
                                  columns=["sheet_id", C.SOURCE_FILE, C.SOURCE_SHEET]).set_index("sheet_id")
            place = sheets.reindex(records["sheet_id"].to_numpy())
            records = pd.DataFrame({C.SOURCE_FILE: place[C.SOURCE_FILE].to_numpy(),
                                    C.SOURCE_SHEET: place[C.SOURCE_SHEET].to_numpy(),
                                    C.SOURCE_ROW: records[C.SOURCE_ROW].to_numpy(),
                                    RECORD_KEY: ints_to_keys(records[RECORD_KEY].to_numpy(dtype="int64")),
                                    C.CUSTOMER_ID: records[C.CUSTOMER_ID].array,
                                    "outcome": records["outcome"].array,
                                    **{h: records[h].to_numpy() for h in _HASHES}})
            decisions = pd.read_sql_query(f"SELECT {', '.join(DECISION_COLUMNS)} FROM decisions", con)
            outputs = dict(con.execute("SELECT name, sha256 FROM outputs WHERE run_id = ?", (run_id,)).fetchall())
    except sqlite3.DatabaseError as exc:
        raise PreviousRunError(f"cannot read the archive {path}: {exc} (move it away to start a new one; "
                               f"the next run then starts afresh)") from exc
    return ArchivedRun(run_id, records, partial(ArchivedCustomers, Path(out_dir), run_id), decisions, outputs)


class ArchivedCustomers:
    """The customers of run ``run_id`` (the ``KEPT`` columns), each column read from the
    archive when asked for (``customers[column]``, as a Series), or all of them by
    ``read_all`` (what a run does, on a thread after dedupe: 2.8 s and 190 MiB at 848k
    customers). Each column is let go once Changes has compared it. It has what
    ``find_changes`` and ``tier_moves`` use of a frame: ``columns``, ``len()`` and
    ``[column]``; ``read_customers`` gives a frame.

    SQLite keeps rows, so each read scans the whole table (0.45 s at 841k customers): the
    columns are read a few at a time, in the order Changes asks for them, and a column read
    with another is held only until it is asked for."""

    _GROUPS = ((C.CUSTOMER_ID, C.NAME, "sources"), (C.PHONE, C.EMAIL, C.COMPANY),
               (C.ADDRESS, C.OWNER, "lifecycle", TIER))
    _KEPT_READ = (C.CUSTOMER_ID, C.NAME, TIER)  # each asked for twice (Changes, the tier matrix)

    def __init__(self, out_dir: Path, run_id: int) -> None:
        self._out_dir, self._run_id = Path(out_dir), run_id
        self.columns = pd.Index(KEPT)
        self._held: dict[str, pd.Series] = {}
        self.scans = 0  # table scans so far (a test counts them)

    def __len__(self) -> int:
        return len(self[C.CUSTOMER_ID])

    def __getitem__(self, col: str) -> pd.Series:
        if col not in self.columns:
            raise KeyError(col)
        if col not in self._held:
            self._read(col)
        return self._held[col] if col in self._KEPT_READ else self._held.pop(col)

    def read_all(self) -> ArchivedCustomers:
        """Every column read now, each held until asked for: on a thread beside other work
        (SQLite and Arrow let go of the GIL while they read and split)."""
        for group in self._GROUPS:
            if group[0] not in self._held:
                self._read(group[0])
        return self

    def _read(self, col: str) -> None:
        group = next((g for g in self._GROUPS if col in g), (col,))
        con = connect(self._out_dir, create=False)
        if con is None:
            self._held.update({c: pd.Series(dtype=object, name=c) for c in group})
            return
        with closing(con):
            read = _read_columns(con, "customers", list(group), "first_run <= ? AND last_run >= ?",
                                 (self._run_id, self._run_id))
        self.scans += 1
        self._held.update({c: read[c] for c in group if c not in self._held})


def read_customers(out_dir: Path, run_id: int) -> pd.DataFrame:
    """The customers of run ``run_id`` (the ``KEPT`` columns): read only when Changes needs
    them, after dedupe has let its memory go."""
    con = connect(out_dir, create=False)
    if con is None:
        return pd.DataFrame(columns=KEPT)
    with closing(con):
        return _read_columns(con, "customers", KEPT, "first_run <= ? AND last_run >= ?", (run_id, run_id))


def list_runs(out_dir: Path) -> pd.DataFrame:
    """Every run in ``out_dir``'s archive, oldest first, with its inputs joined by "; "."""
    con = connect(out_dir, create=False)
    if con is None:
        return pd.DataFrame(columns=RUN_COLUMNS + ["inputs"])
    with closing(con):
        runs = pd.read_sql_query("SELECT * FROM runs ORDER BY run_id", con)
        inputs = pd.read_sql_query("SELECT run_id, group_concat(path, '; ') AS inputs FROM inputs GROUP BY run_id",
                                   con)
    return runs.merge(inputs, on="run_id", how="left")


def record_share(out_dir: Path, entry: dict, user: str) -> bool:
    """Log one file written by ``sheetkit share`` in ``out_dir``'s archive (the whole entry
    as JSON beside the columns one filters on); False when the folder has no archive."""
    con = connect(out_dir, create=False)
    if con is None:
        return False
    with closing(con):
        try:
            con.execute("PRAGMA busy_timeout = 10000")  # a run may be writing: wait for it
            con.execute(_SHARES)  # an archive made before shares were logged in it
            con.execute("INSERT INTO shares VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (entry.get("at"), user, entry.get("role"), entry.get("owner") or None, entry.get("rows"),
                         int(bool(entry.get("encrypted"))), entry.get("lang"), "; ".join(map(str, entry.get("files", []))),
                         json.dumps(entry, ensure_ascii=False, sort_keys=True)))
        except sqlite3.DatabaseError as exc:
            raise OutputError(f"cannot log the share in the archive {Path(out_dir) / ARCHIVE}: {exc}") from exc
    return True


def trend(out_dir: Path, runs: int = 12, table: str = "sheet_stats") -> pd.DataFrame:
    """Per source sheet (or, with ``table="owner_stats"``, per owner) and finished run (the
    last ``runs``): customers, duplicates, issues and health score, for the report's charts."""
    con = connect(out_dir, create=False)
    if con is None:
        return pd.DataFrame()
    with closing(con):
        try:
            return pd.read_sql_query(
                f"SELECT s.*, r.as_of, r.started_at FROM {table} s JOIN runs r USING (run_id) WHERE r.run_id IN "
                "(SELECT run_id FROM runs WHERE status = 'done' ORDER BY run_id DESC LIMIT ?) ORDER BY run_id",
                con, params=(runs,))
        except (sqlite3.OperationalError, pd.errors.DatabaseError):  # an archive older than the table
            return pd.DataFrame()


def settings_json(config) -> str:
    """The settings a run used, as JSON (dataclasses and tuples as plain values)."""
    import dataclasses

    return json.dumps(dataclasses.asdict(config), ensure_ascii=False, default=str, sort_keys=True)
