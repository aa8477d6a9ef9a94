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
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import columns as C
from .errors import OutputError, PreviousRunError
from .stages.changes import KEPT
from .stages.decisions import DECISION_COLUMNS
from .stages.identity import FIELD_HASHES, RECORD_KEY

ARCHIVE = "archive.sqlite"
SCHEMA_VERSION = 1
_HASHES = list(FIELD_HASHES.values())
RUN_COLUMNS = ["run_id", "started_at", "finished_at", "user", "host", "sheetkit_version", "as_of", "settings",
               "schema_sha256", "duration_s", "status", "exit_status", "rows", "customers", "merged_rows",
               "review_pairs", "errors", "warnings", "health_score", "decisions", "staging"]
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
CREATE TABLE IF NOT EXISTS records (run_id INTEGER, sheet_id INTEGER, source_row INTEGER, record_key INTEGER,
    customer_id TEXT, outcome TEXT, {", ".join(f"{h} INTEGER" for h in _HASHES)});
CREATE INDEX IF NOT EXISTS records_run ON records (run_id);
CREATE TABLE IF NOT EXISTS customers (run_id INTEGER, {", ".join(KEPT)});
CREATE INDEX IF NOT EXISTS customers_run ON customers (run_id);
CREATE TABLE IF NOT EXISTS decisions ({", ".join(DECISION_COLUMNS)}, first_run INTEGER, last_run INTEGER);
CREATE TABLE IF NOT EXISTS id_changes (run_id INTEGER, previous_customer_id TEXT, customer_id TEXT, change TEXT,
    records INTEGER);
CREATE TABLE IF NOT EXISTS sheet_stats (run_id INTEGER, source_file TEXT, source_sheet TEXT, rows INTEGER,
    customers INTEGER, merged INTEGER, issues INTEGER, health_score REAL);
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


def connect(out_dir: Path, create: bool = True) -> sqlite3.Connection | None:
    """The archive of ``out_dir`` (made when ``create``; None when there is none)."""
    path = Path(out_dir) / ARCHIVE
    if not create and not path.is_file():
        return None
    try:
        con = sqlite3.connect(path, isolation_level=None)  # transactions are explicit
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
           "status": "writing", "exit_status": 0, "rows": len(lineage), "customers": len(customers),
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
    _insert_records(con, run_id, result.identity)
    _insert_frame(con, "customers", customers.reindex(columns=KEPT), run_id)
    _insert_frame(con, "id_changes", result.id_changes[["previous_customer_id", C.CUSTOMER_ID, "change", "records"]],
                  run_id)
    _insert_frame(con, "sheet_stats", sheet_stats(result), run_id)
    _replace_ledger(con, result.decisions, run_id)
    return run_id


def finish_run(con: sqlite3.Connection, run_id: int, finished_at: str) -> None:
    """The run's outputs are in place: it is the one the next run follows."""
    con.execute("UPDATE runs SET status = 'done', finished_at = ? WHERE run_id = ?", (finished_at, run_id))


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


def _insert_frame(con: sqlite3.Connection, table: str, frame: pd.DataFrame, run_id: int) -> None:
    if frame.empty:
        return
    values = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns]
    for i, c in enumerate(frame.columns):
        if pd.api.types.is_datetime64_any_dtype(frame[c]):
            values[i] = frame[c].dt.strftime("%Y-%m-%d").astype(object).where(frame[c].notna(), None).tolist()
        elif frame[c].dtype.kind in "iub":
            values[i] = frame[c].astype("int64").tolist()
        elif frame[c].dtype.kind == "f":
            values[i] = [None if np.isnan(v) else float(v) for v in frame[c].to_numpy(dtype=float)]
        else:
            values[i] = [v if v is None or isinstance(v, (int, float, str)) else str(v) for v in values[i]]
    marks = ", ".join("?" * (len(frame.columns) + 1))
    con.executemany(f"INSERT INTO {table} (run_id, {', '.join(frame.columns)}) VALUES ({marks})",
                    zip([run_id] * len(frame), *values))


def _insert_records(con: sqlite3.Connection, run_id: int, ident: pd.DataFrame) -> None:
    if ident.empty:
        return
    places = ident[[C.SOURCE_FILE, C.SOURCE_SHEET]].drop_duplicates()
    con.executemany("INSERT OR IGNORE INTO sheets (source_file, source_sheet) VALUES (?, ?)",
                    places.itertuples(index=False, name=None))
    known = pd.DataFrame(con.execute("SELECT sheet_id, source_file, source_sheet FROM sheets").fetchall(),
                         columns=["sheet_id", C.SOURCE_FILE, C.SOURCE_SHEET])
    sheet = ident[[C.SOURCE_FILE, C.SOURCE_SHEET]].merge(known, how="left")["sheet_id"].to_numpy(dtype="int64")
    cols = [sheet.tolist(), ident[C.SOURCE_ROW].astype("int64").tolist(), keys_to_ints(ident[RECORD_KEY]).tolist(),
            ident[C.CUSTOMER_ID].astype(object).tolist(), ident["outcome"].astype(object).tolist(),
            *[ident[h].astype("int64").tolist() for h in _HASHES]]
    con.executemany(f"INSERT INTO records VALUES (?, {', '.join('?' * len(cols))})",
                    zip([run_id] * len(ident), *cols))


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
    rows = [tuple(v if v is None or isinstance(v, (int, float, str)) else (int(v) if isinstance(v, np.integer) else str(v))
                  for v in row) for row in frame.itertuples(index=False, name=None)]
    con.executemany(f"INSERT INTO decisions VALUES ({', '.join('?' * len(frame.columns))})", rows)


def keys_to_ints(keys: pd.Series) -> np.ndarray:
    """16-hex-digit record keys as signed 64-bit integers (8 bytes each in SQLite, not 17)."""
    text = keys.fillna("0" * 16).astype(str).to_numpy(dtype="<U16")
    return np.frombuffer(bytes.fromhex("".join(text)), dtype=">u8").astype(np.uint64).view(np.int64) \
        if len(text) else np.empty(0, dtype=np.int64)


def ints_to_keys(values: np.ndarray) -> np.ndarray:
    """The inverse of ``keys_to_ints``."""
    raw = np.asarray(values, dtype=np.int64).view(np.uint64).astype(">u8").tobytes().hex()
    return np.array([raw[i:i + 16] for i in range(0, len(raw), 16)], dtype=object)


@dataclass
class ArchivedRun:
    """The last finished run of an archive, as the next run needs it."""

    run_id: int
    records: pd.DataFrame     # identity, field hashes, customer_id, outcome
    customers: pd.DataFrame   # KEPT columns
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
            rows = con.execute(f"SELECT s.source_file, s.source_sheet, r.source_row, r.record_key, r.customer_id, "
                               f"r.outcome, {', '.join('r.' + h for h in _HASHES)} FROM records r "
                               f"JOIN sheets s USING (sheet_id) WHERE r.run_id = ?", (run_id,)).fetchall()
            records = pd.DataFrame(rows, columns=[*C.PROVENANCE, RECORD_KEY, C.CUSTOMER_ID, "outcome", *_HASHES])
            records[RECORD_KEY] = ints_to_keys(records[RECORD_KEY].to_numpy(dtype="int64"))
            customers = pd.read_sql_query(f"SELECT {', '.join(KEPT)} FROM customers WHERE run_id = ?", con,
                                          params=(run_id,))
            decisions = pd.read_sql_query(f"SELECT {', '.join(DECISION_COLUMNS)} FROM decisions", con)
            outputs = dict(con.execute("SELECT name, sha256 FROM outputs WHERE run_id = ?", (run_id,)).fetchall())
    except sqlite3.DatabaseError as exc:
        raise PreviousRunError(f"cannot read the archive {path}: {exc} (move it away to start a new one; "
                               f"the next run then starts afresh)") from exc
    return ArchivedRun(run_id, records, customers, decisions, outputs)


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


def trend(out_dir: Path, runs: int = 12) -> pd.DataFrame:
    """Per source sheet and finished run (the last ``runs``): rows, customers, merged rows,
    issues and health score, for the report's chart."""
    con = connect(out_dir, create=False)
    if con is None:
        return pd.DataFrame()
    with closing(con):
        return pd.read_sql_query(
            "SELECT s.*, r.as_of, r.started_at FROM sheet_stats s JOIN runs r USING (run_id) WHERE r.run_id IN "
            "(SELECT run_id FROM runs WHERE status = 'done' ORDER BY run_id DESC LIMIT ?) ORDER BY run_id",
            con, params=(runs,))


def settings_json(config) -> str:
    """The settings a run used, as JSON (dataclasses and tuples as plain values)."""
    import dataclasses

    return json.dumps(dataclasses.asdict(config), ensure_ascii=False, default=str, sort_keys=True)
