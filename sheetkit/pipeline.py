"""run_pipeline: sheets in, the customer archive out. Calls the stages in order.

The library core never touches disk except through ``read_sources`` (whose
``SourceFiles`` reads the input files, one at a time as they are taken) and
``sheetkit.output.write_outputs``. ``run_pipeline`` itself only reads what it is given:
given ``SourceFiles.take_grids()``, that is where the files get read.
"""

from __future__ import annotations

import bisect
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import columns as C
from .config import PipelineConfig
from .errors import ConfigError, SourceError
from .history import PreviousRun
from .issues import BUILTIN, builtin_issue, make_issues
from .memory import kept_within, release
from .parallel import beside
from .schema import Schema
from .sources import Source, find_sources
from .stages.decisions import DECISION_COLUMNS, decisions_sheet, recall
from .stages.dedupe import find_duplicates
from .stages.doubts import find_phone_doubts
from .stages.extract import ExtractedSheet, extract_sheet
from .stages.freshness import READS as FRESHNESS_READS
from .stages.freshness import flag_freshness, score_health
from .stages.changes import CHANGE_COLUMNS, find_changes, tier_moves
from .stages.identity import IDENTITY, RECORD_KEY, field_hashes, id_changes, record_keys
from .stages.normalize import normalize_records
from .stages.follow_up import follow_up
from .stages.owners import OWNER_COLUMNS
from .stages.pool import POOL_COLUMNS
from .stages.segment import segment_customers
from .stages.survive import PROVENANCE_COLUMNS, build_customers, source_ref
from .stages.tags import TAG_COUNT_COLUMNS, tag_customers, unknown_tag_columns
from .stages.transactions import extract_transactions, find_repeated_orders, summarize_orders
from .stages.validate import find_id_conflicts, validate_records
from .stages.verify import VERIFY_COLUMNS
from .values.text import isin
from .workbook import SheetGrid, read_workbook

log = logging.getLogger(__name__)
Progress = Callable[[str, int, float], None]  # (stage, rows, seconds) after each stage
Tick = Callable[[str, int, int], None]  # (stage, steps done, steps in all) while a long stage runs

FILE_COLUMNS = ["file", "sheet", "status", "message", "header_row", "rows", "customer_rows", "mapping"]
# Appended to the Lineage contract: where a person splits a record off its customer, how
# the record is found next week, and the customer it belonged to in the previous run.
LINEAGE_EXTRA = ["decision", RECORD_KEY, "previous_customer_id"]
ID_CHANGE_COLUMNS = ["previous_customer_id", C.CUSTOMER_ID, "change", "records"]


class SourceFiles:
    """The spreadsheets found under the user's paths, read one file at a time.

    ``files`` has one row per file that is skipped or cannot be read, for the report, in
    the order the files were found; a file that fails is added when its turn to be read
    comes (the list is the same object throughout, so a ``run_pipeline`` given it sees them).
    """

    def __init__(self, pending: list[tuple[int, Source]], files: list[tuple[int, dict]] | None = None,
                 password: str | None = None, on_failed: Callable[[dict], None] | None = None,
                 on_read: Progress | None = None) -> None:
        self._pending = list(pending)            # (position found, file) not read yet
        self._places = [at for at, _ in files or []]  # position found of each row of ``files``
        self.files = [row for _, row in files or []]
        self._password, self._on_failed, self._on_read = password, on_failed, on_read
        self._read: list[SheetGrid] = []        # sheets read and not yet taken

    @property
    def to_read(self) -> int:
        """Files not read yet."""
        return len(self._pending)

    def readable(self) -> bool:
        """Whether any sheet is left to take: reads files until one gives a sheet (kept for
        ``take_grids``), so a run where every file fails stops before any work."""
        if not self._read:
            self._read = self._next_file()
        return bool(self._read)

    @property
    def grids(self) -> list[SheetGrid]:
        """Every sheet not yet taken, all in memory together (fine for small inputs and tests;
        ``take_grids`` is the way for large ones)."""
        while more := self._next_file():
            self._read.extend(more)
        return list(self._read)

    def take_grids(self) -> Iterator[SheetGrid]:
        """The sheets one at a time, a file read only when the sheets before it are taken and
        kept nowhere here: passed straight to ``run_pipeline``, at most one file's cells are in
        memory at once besides the rows already taken from the others. Each sheet is given
        out once: a second call gives only what the first left."""
        while self._read or self.readable():
            yield self._read.pop(0)

    def _next_file(self) -> list[SheetGrid]:
        """The sheets of the next file that can be read; [] when no file is left."""
        while self._pending:
            at, src = self._pending.pop(0)
            started = time.perf_counter()
            try:
                grids = read_workbook(src.path, src.display, self._password)
            except SourceError as exc:
                self._failed(at, src, exc.reason)
                continue
            except Exception as exc:  # one unreadable file must not stop a folder
                log.debug("reading %s", src.display, exc_info=True)
                self._failed(at, src, f"cannot be read ({type(exc).__name__}: {str(exc)[:200]})")
                continue
            if self._on_read:
                self._on_read(src.display, sum(len(g.cells) for g in grids), time.perf_counter() - started)
            if grids:
                return grids
        return []

    def _failed(self, at: int, src: Source, reason: str) -> None:
        log.info("%s: %s", src.display, reason)
        row = {"file": src.display, "sheet": "", "status": "failed", "message": reason}
        where = bisect.bisect(self._places, at)  # among the skipped files, where it was found
        self._places.insert(where, at)
        self.files.insert(where, row)
        if self._on_failed:
            self._on_failed(row)


@dataclass
class PipelineResult:
    """Everything the outputs are made of; each frame is one sheet of cleaned.xlsx."""

    customers: pd.DataFrame
    transactions: pd.DataFrame
    review: pd.DataFrame
    rejected: pd.DataFrame
    issues: pd.DataFrame
    lineage: pd.DataFrame
    files: pd.DataFrame
    sheet_health: pd.DataFrame
    records: pd.DataFrame          # every kept input record, normalised, with its customer_id
    as_of: pd.Timestamp
    config: PipelineConfig
    schema: Schema
    timings: dict[str, float] = field(default_factory=dict)
    # Cells to highlight in the output, per sheet: row (0-based position in that sheet's
    # frame), column (name) and message (shown as the cell's comment).
    cell_notes: dict[str, pd.DataFrame] = field(default_factory=dict)
    # Across runs: every decision people made (the Decisions sheet), where each golden
    # value was picked among different ones, and which customer IDs became which.
    decisions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DECISION_COLUMNS))
    provenance: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROVENANCE_COLUMNS))
    id_changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ID_CHANGE_COLUMNS))
    previous: dict | None = None   # what the previous run gave: path, counts, decisions not understood
    # Tags, owners, the pool (公海) and re-verification (stages/tags.py, owners.py, pool.py, verify.py)
    tag_counts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TAG_COUNT_COLUMNS))
    owners: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OWNER_COLUMNS))
    pool: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=POOL_COLUMNS))
    verify: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=VERIFY_COLUMNS))
    # Per kept record: identity (record_key, place, field hashes), customer_id and outcome:
    # what the archive keeps of each run so the next one finds its records again.
    identity: pd.DataFrame = field(default_factory=pd.DataFrame)
    # What changed for each customer since the previous run (stages/changes.py).
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))


def read_sources(paths: list[Path], password: str | None = None,
                 on_failed: Callable[[dict], None] | None = None, on_read: Progress | None = None,
                 on_skipped: Callable[[dict], None] | None = None) -> SourceFiles:
    """The spreadsheets under ``paths``, to be read file by file (``SourceFiles.take_grids``).

    Unreadable files are listed in ``files`` (and passed to ``on_failed``), never raised.
    ``on_read`` is called with (file, rows, seconds) after each file is read;
    ``on_skipped`` with each file the user named that is skipped (a README.md, a photo).
    """
    pending, skipped = [], []
    for at, src in enumerate(find_sources(paths)):
        if src.skip:
            row = {"file": src.display, "sheet": "", "status": "skipped", "message": src.skip}
            skipped.append((at, row))
            if src.named and on_skipped:
                on_skipped(row)
        else:
            pending.append((at, src))
    return SourceFiles(pending, skipped, password, on_failed, on_read)


def _lineage_of(skipped: list[pd.DataFrame], rejected: pd.DataFrame, records: pd.DataFrame,
                outcomes: pd.DataFrame, order: dict[tuple[str, str], int]) -> pd.DataFrame:
    cols = C.LINEAGE + LINEAGE_EXTRA
    kept = pd.concat([records[C.PROVENANCE], outcomes], axis=1).reindex(columns=cols)
    parts = [rows.assign(**{C.CUSTOMER_ID: None, "outcome": "skipped"}) for rows in skipped]
    parts.append(rejected[C.PROVENANCE + ["reason"]].assign(**{C.CUSTOMER_ID: None, "outcome": "rejected"}))
    # A column the skipped and rejected rows do not have takes the records' type: else the
    # concat turns the IDs and keys from Arrow text into a Python string each (200 MB at 1M rows).
    parts = [p.reindex(columns=cols) for p in parts if len(p)]
    text = [c for c in cols if isinstance(kept[c].dtype, pd.StringDtype)]
    parts = [p.astype({c: kept[c].dtype for c in text if p[c].isna().all()}) for p in parts] + [kept]
    lineage = pd.concat([p for p in parts if len(p)], ignore_index=True) if len(parts) > 1 else kept
    del parts, kept
    # Sheets in the order they were read, rows in sheet order: one take of the rows sorted
    # by two integer keys, not a merge and a sort that each copy a million rows.
    sheets = pd.MultiIndex.from_tuples(list(order)) if order else None
    at = pd.MultiIndex.from_arrays([lineage[C.SOURCE_FILE], lineage[C.SOURCE_SHEET]])
    sheet_no = sheets.get_indexer(at) if sheets is not None else np.full(len(lineage), -1)
    sheet_no = np.where(sheet_no < 0, len(order), sheet_no)  # a sheet not in ``order`` goes last
    rows = lineage[C.SOURCE_ROW].to_numpy(dtype="int64")
    lineage = lineage.take(np.lexsort((rows, sheet_no))).reset_index(drop=True)
    lineage[C.SOURCE_ROW] = lineage[C.SOURCE_ROW].astype("int64")
    return lineage


def _read_whole(customers: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``customers()`` with every column read (``archive.ArchivedCustomers.read_all``)."""
    got = customers()
    return got.read_all() if hasattr(got, "read_all") else got


def run_pipeline(grids: Iterable[SheetGrid], schema: Schema, config: PipelineConfig, as_of: pd.Timestamp,
                 files: list[dict] | None = None, progress: Progress | None = None,
                 previous: PreviousRun | Callable[[], PreviousRun | None] | None = None,
                 tick: Tick | None = None) -> PipelineResult:
    """Turn sheets into the customer archive.

    Args:
        grids: sheets as text cells (``read_sources`` or ``read_workbook`` make them). Pass
            ``SourceFiles.take_grids()`` and files are read one at a time, each sheet's
            cells let go once extracted.
        schema: the customer schema.
        config: thresholds and rules.
        as_of: the reference date for segments and freshness.
        files: rows about files that could not be read, for the report (``SourceFiles.files``:
            read once ``grids`` is used up, so it holds the files that failed on the way).
        progress: called with (stage, rows, seconds) after each stage.
        tick: called with (stage, steps done, steps in all) inside the long stages
            (dedupe), a few times each, for a live progress display.
        previous: the previous run's output (``history.read_previous``): its customers
            keep their IDs and people's decisions in it are applied and carried on. Its
            records are let go once recalled: ``previous.lineage`` is left empty. Or a
            function giving it, called once, when the records are identified: the caller
            may read the archive on a thread meanwhile, beside the sheets.

    Raises:
        ConfigError: ``header_overrides`` or ``survivorship`` name a field the schema
            does not have.

    Returns:
        PipelineResult with a frame for every sheet of the output workbook.
    """
    unknown = {h: f for h, f in config.header_overrides.items() if f and f not in schema.fields}
    if unknown:
        raise ConfigError("header_overrides map onto fields the schema does not have: "
                          + ", ".join(f"{h!r} -> {f!r}" for h, f in unknown.items())
                          + f" (fields: {', '.join(schema.fields)})")
    unknown_rules = sorted(f for f in config.survivorship if f != "*" and f not in schema.fields)
    if unknown_rules:
        raise ConfigError(f"survivorship names fields the schema does not have: {', '.join(unknown_rules)} "
                          f"(fields: {', '.join(schema.fields)})")
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def done(stage: str, rows: int) -> None:
        nonlocal clock
        release()  # what the stage let go, back to the system before the next one grows
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now
        if progress:
            progress(stage, rows, timings[stage])

    skipped, order, read_issues, records, file_rows = _extract_all(grids, schema, config, files)
    del grids  # the caller may have passed its only reference (SourceFiles.take_grids)
    aliases = tag_aliases(schema)
    columns = ({*records.columns, *C.CUSTOMER_COLUMNS, *schema.fields} - {*C.PROVENANCE, "tags"})  # a rule cannot read tags
    problems = unknown_tag_columns(config.all_tags, columns, aliases)
    if problems:  # before the long stages: the sheets' own columns are known once they are read
        raise ConfigError("tags name columns the Customers sheet does not have:\n  " + "\n  ".join(problems))
    done("read", len(records))

    raw = records
    records = normalize_records(records, schema, config)
    done("normalise", len(records))

    checked = validate_records(records, schema, as_of, original=raw)
    doubts = _phone_doubts(raw, checked, config)
    records, rejected = checked.records, checked.rejected
    done("validate", len(records))

    # A record's key hashes the cells as written, so a better normaliser in a later version
    # (a new derived column, a phone now understood) does not make last week's rows strangers.
    keys = record_keys(raw).to_numpy()[checked.kept]  # by position: labels need not be unique
    hashes = field_hashes(raw).iloc[checked.kept].reset_index(drop=True)
    del raw  # the cells as written are needed no more: their memory goes before dedupe
    identity = pd.concat([records[C.PROVENANCE].assign(**{RECORD_KEY: keys})[IDENTITY], hashes], axis=1)
    if callable(previous):
        previous = previous()
    recalled = (recall(previous.lineage, previous.review, previous.decisions, identity,
                       previous.decided_on or as_of.strftime("%Y-%m-%d"), previous.decided_by)
                if previous is not None else None)
    if previous is not None:  # what Changes needs of the previous records is their customers
        was = pd.Series(previous.lineage.get(C.CUSTOMER_ID, pd.Series(dtype=object)).dropna().unique())
        # the caller's too (130 MiB at 1M rows, held to the end); a new empty frame, as a
        # slice of it (iloc[:0]) would keep every column's million values alive
        previous.lineage = pd.DataFrame(columns=previous.lineage.columns)
    done("identify", len(records))
    steps = partial(tick, "dedupe") if tick else None
    with kept_within():  # dedupe's columns are freed and made again, step after step
        dups = find_duplicates(records, config, recalled.pairs if recalled else None, tick=steps)
        # unpacked: the golden records as built would otherwise be held beside the segmented ones
        customers, outcomes, provenance = build_customers(records, dups, config,
                                                          recalled.previous if recalled else None)
    before = recalled.previous["previous_customer_id"] if recalled else pd.Series(None, index=records.index)
    outcomes = outcomes.assign(decision=None, **{RECORD_KEY: identity[RECORD_KEY].to_numpy(),
                                                "previous_customer_id": before.to_numpy()})
    done("dedupe", len(records))
    # last week's customers, for Changes: read beside segment and tags, after dedupe's peak
    before_customers = (beside(partial(_read_whole, previous.customers), "previous-customers")
                        if recalled is not None and previous.customers is not None else None)

    transactions = extract_transactions(records, outcomes[C.CUSTOMER_ID])
    summary = summarize_orders(transactions, as_of, base_currency=config.base_currency)
    summary.index = summary.index.astype(object)
    customers = customers.astype({C.CUSTOMER_ID: object}).join(summary, on=C.CUSTOMER_ID)
    for col in ("first_order_on", "last_order_on"):  # stay dates even when no row has an order
        customers[col] = pd.to_datetime(customers[col])
    customers = segment_customers(customers, config, as_of)
    customers = flag_freshness(customers, config, as_of)
    customers["health_score"] = score_health(customers)
    customers["review_pairs"] = _review_pairs(customers, dups, outcomes)
    done("segment", len(customers))
    customers, pool, verify, owners = follow_up(customers, config, as_of)  # first: a tag may use ``pool``
    customers, tag_counts = tag_customers(customers, config.all_tags, aliases)
    done("tags", len(customers))  # tags, the pool and the Verify sheet

    if recalled is not None:  # here, before assemble builds the big sheets: the lowest point after dedupe
        moved = id_changes(before, outcomes[C.CUSTOMER_ID])
        before_customers = before_customers.result() if before_customers is not None else None
        changes = find_changes(before_customers, customers, moved) if before_customers is not None else None
        tiers = tier_moves(before_customers, customers) if before_customers is not None else None
        del before_customers
        done("changes", len(customers))

    review = _review_sheet(records, dups, outcomes, identity[RECORD_KEY])
    lineage = _lineage_of(skipped, rejected, records, outcomes, order)
    records = records.assign(**{C.CUSTOMER_ID: outcomes[C.CUSTOMER_ID].to_numpy()})
    identity = identity.assign(**{C.CUSTOMER_ID: outcomes[C.CUSTOMER_ID].to_numpy(),
                                  "outcome": outcomes["outcome"].to_numpy()})
    issues = _all_issues(file_rows, read_issues, checked, config, doubts)
    repeated = find_repeated_orders(records, records[C.CUSTOMER_ID])  # needs the customers dedupe found
    issues = pd.concat([issues, repeated], ignore_index=True) if len(repeated) else issues
    sheet_health = _sheet_health(records, rejected, config, as_of)
    files_frame = pd.DataFrame(file_rows, columns=FILE_COLUMNS)
    done("assemble", len(lineage))
    result = PipelineResult(customers, transactions, review, rejected, issues, lineage, files_frame,
                            sheet_health, records, as_of, config, schema, timings,
                            cell_notes=cell_notes(issues, records, customers, rejected),
                            provenance=provenance, tag_counts=tag_counts, owners=owners, pool=pool,
                            verify=verify,
                            identity=identity)
    if recalled is not None:
        names = records[C.NAME] if C.NAME in records.columns else pd.Series(None, index=records.index)
        result.decisions = decisions_sheet(recalled.ledger, dups.cluster, outcomes[C.CUSTOMER_ID], names)
        result.id_changes = moved
        if changes is not None:
            result.changes = changes
        result.previous = {"path": str(previous.path), "records found": int(before.notna().sum()),
                           "customers before": len(was),
                           "customers gone": int((~isin(was, outcomes[C.CUSTOMER_ID])).sum()),
                           "unread": recalled.unread}
        if tiers is not None:
            result.previous["tiers"] = tiers
    return result



@dataclass
class CheckResult:
    """What ``sheetkit check`` reports: the issues, and how many rows were checked."""

    issues: pd.DataFrame
    files: pd.DataFrame
    rows: int
    rejected: int


def check_sheets(grids: Iterable[SheetGrid], schema: Schema, config: PipelineConfig, as_of: pd.Timestamp,
                 files: list[dict] | None = None) -> CheckResult:
    """Validation only: extract, normalise and validate, without dedupe or outputs."""
    _, _, read_issues, raw, file_rows = _extract_all(grids, schema, config, files)
    records = normalize_records(raw, schema, config)
    checked = validate_records(records, schema, as_of, original=raw)
    issues = _all_issues(file_rows, read_issues, checked, config, _phone_doubts(raw, checked, config))
    return CheckResult(issues, pd.DataFrame(file_rows, columns=FILE_COLUMNS), len(records), len(checked.rejected))


def _extract_all(grids: Iterable[SheetGrid], schema: Schema, config: PipelineConfig, files: list[dict] | None):
    """Extract every sheet, one at a time: (the rows skipped in each sheet, sheet order, read
    issues, all records, the Sources sheet's rows: ``files`` then one per sheet). No grid is
    kept: each may be a whole file's cells, and the next file is read only once this one is
    let go. Nor is a sheet's records frame: the returned records are then their only holder,
    and the caller's ``del`` of them frees the cells as written (290 MiB at 1M rows)."""
    extracted, order, read_issues, sheet_rows = [], {}, [], []
    for g in grids:
        e = extract_sheet(g, schema, config)
        extracted.append(e)
        order.setdefault((g.file, g.sheet), len(order))
        status = "read" if e.is_customer_list else "skipped"
        message = "; ".join([*g.notes, *([] if g.visible else ["hidden sheet"]), *([e.message] if e.message else [])])
        sheet_rows.append({"file": g.file, "sheet": g.sheet, "status": status, "message": message,
                           "header_row": e.header_row, "rows": int(g.cells.notna().any(axis=1).sum()),
                           "customer_rows": len(e.records), "mapping": e.mapping})
        read_issues.extend(_grid_issues(g, e))
        del g, e  # before the next file is read (and ``e`` would keep the last sheet's records)
    frames = [e.records for e in extracted if len(e.records)]
    records = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=C.PROVENANCE)
    skipped = [e.skipped for e in extracted]
    del extracted, frames
    # ``files`` is read only now: a lazy reader (SourceFiles) adds its failures as it goes.
    return skipped, order, read_issues, records, list(files or []) + sheet_rows


def _other_currency(records: pd.DataFrame, config: PipelineConfig) -> pd.DataFrame:
    """Amounts stated in another currency: kept, but out of the totals; say so."""
    if C.AMOUNT_CURRENCY not in records.columns:
        return make_issues()
    other = records[records[C.AMOUNT_CURRENCY].notna() & (records[C.AMOUNT_CURRENCY] != config.base_currency)]
    severity, message = BUILTIN["other-currency"]
    return make_issues(other[C.PROVENANCE].assign(code="other-currency", severity=severity, column=C.AMOUNT,
                                                  value=other[C.AMOUNT] + " " + other[C.AMOUNT_CURRENCY],
                                                  message=message))


def cell_notes(issues: pd.DataFrame, records: pd.DataFrame, customers: pd.DataFrame,
               rejected: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Cells of the Customers and Rejected sheets to highlight, with their issue's message.

    A customer's cell is highlighted when the value it shows is the one an issue was
    raised on (a merged record's bad phone that did not survive is not shown, so not
    highlighted); a rule over several fields highlights each of them.
    """
    found = issues[issues[C.SOURCE_ROW].notna() & issues["column"].notna()]
    found = found.assign(column=found["column"].str.split("/")).explode("column").astype({C.SOURCE_ROW: "int64"})
    notes = {}
    for sheet, frame in (("Customers", records), ("Rejected", rejected)):
        if frame.empty or found.empty:
            continue
        rows = frame[C.PROVENANCE + ([C.CUSTOMER_ID] if sheet == "Customers" else [])].assign(_pos=np.arange(len(frame)))
        hit = found.merge(rows.astype({C.SOURCE_ROW: "int64"}), on=C.PROVENANCE)
        if sheet == "Customers":
            position = pd.Series(np.arange(len(customers)), index=customers[C.CUSTOMER_ID].to_numpy())
            hit = hit.assign(_pos=position.reindex(hit[C.CUSTOMER_ID]).to_numpy())
            hit = hit[hit["column"].isin(customers.columns) & hit["_pos"].notna()]
            shown = pd.Series(None, index=hit.index, dtype=object)
            for col, group in hit.groupby("column"):
                shown[group.index] = customers[col].to_numpy(dtype=object)[group["_pos"].astype("int64")]
            hit = hit[(shown == hit["value"]) | hit["value"].isna()]
        else:
            hit = hit[hit["column"].isin(frame.columns)]
        notes[sheet] = (pd.DataFrame({"row": hit["_pos"].astype("int64").to_numpy(), "column": hit["column"].to_numpy(),
                                      "message": (hit["code"] + ": " + hit["message"]).to_numpy()})
                        .drop_duplicates().groupby(["row", "column"], as_index=False)["message"].agg("\n".join))
    return notes


def _review_pairs(customers: pd.DataFrame, dups, outcomes: pd.DataFrame) -> np.ndarray:
    """Per customer, how many pairs on the Review sheet it is in."""
    review = dups.review
    if review.empty:
        return np.zeros(len(customers), dtype="int64")
    ids = outcomes[C.CUSTOMER_ID].to_numpy(dtype=object)
    both = np.concatenate([ids[review["left"].to_numpy(dtype="int64")], ids[review["right"].to_numpy(dtype="int64")]])
    return customers[C.CUSTOMER_ID].map(pd.Series(both).value_counts()).fillna(0).astype("int64").to_numpy()


def tag_aliases(schema: Schema) -> dict[str, str]:
    """Other names a tag rule may use for a column: each schema field's header aliases and
    title (行业 for ``industry``)."""
    out = {}
    for name, spec in schema.fields.items():
        for alias in (*spec.aliases, *spec.title.split(" / ")):
            out.setdefault(alias, name)
    return out


REVIEW_FIELDS = [C.NAME, C.PHONE, C.EMAIL, C.COMPANY, C.ADDRESS]


# In the order a person reads a pair: what the two records say, side by side, then the
# score and why, then the decision beside them; the IDs, sources and keys (for next week's
# run) after. Scripts read these columns by name, so only the order may change.
REVIEW_COLUMNS = (["pair_id"] + [f"{side}_{f}" for f in REVIEW_FIELDS for side in ("left", "right")]
                  + ["score", "agreed", "disagreed", "decision", "left_customer_id", "right_customer_id",
                     "left_source", "right_source", "left_record_key", "right_record_key"])


def _review_sheet(records: pd.DataFrame, dups, outcomes: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """Uncertain pairs side by side, with an empty decision column for a person (and the
    records' keys last, so next week's run finds them again)."""
    review = dups.review
    cols = REVIEW_COLUMNS
    if review.empty:
        return pd.DataFrame(columns=cols)
    left, right = review["left"].to_numpy(dtype="int64"), review["right"].to_numpy(dtype="int64")
    # the two records' places, made for these pairs only, not a text for every record
    ref = source_ref(records[C.PROVENANCE].iloc[np.concatenate([left, right])]).to_numpy(dtype=object)
    out = pd.DataFrame({
        "pair_id": [f"P{i + 1:05d}" for i in range(len(review))],
        "score": review["score"].to_numpy(), "agreed": review["agreed"].to_numpy(),
        "disagreed": review["disagreed"].to_numpy(), "decision": None,
        "left_customer_id": outcomes[C.CUSTOMER_ID].iloc[review["left"]].to_numpy(),
        "right_customer_id": outcomes[C.CUSTOMER_ID].iloc[review["right"]].to_numpy(),
        "left_source": ref[:len(left)], "right_source": ref[len(left):],
    })
    for f in REVIEW_FIELDS:
        values = records[f] if f in records.columns else pd.Series(None, index=records.index)
        out[f"left_{f}"] = values.iloc[review["left"]].to_numpy()
        out[f"right_{f}"] = values.iloc[review["right"]].to_numpy()
    out["left_record_key"] = keys.iloc[review["left"]].to_numpy()
    out["right_record_key"] = keys.iloc[review["right"]].to_numpy()
    return out[cols]


_EXCEL_ERRORS = {"NA": "#N/A", "Div0": "#DIV/0!", "Ref": "#REF!", "Name": "#NAME?", "Value": "#VALUE!",
                 "Num": "#NUM!", "Null": "#NULL!", "GettingData": "#GETTING_DATA"}


def _grid_issues(grid: SheetGrid, extracted: ExtractedSheet) -> list[dict]:
    """Error cells (#N/A, #REF!) of a sheet as issues, named by their column's header."""
    out = []
    for row, col, detail in grid.cell_errors:
        code = detail.rsplit("Error(", 1)[-1].rstrip(")'\"")
        out.append(builtin_issue("error-cell", source_file=grid.file, source_sheet=grid.sheet, source_row=row,
                                 column=extracted.headers.get(col, f"column {col + 1}"),
                                 value=_EXCEL_ERRORS.get(code, code)))
    for issue in grid.issues:  # from reading: an encoding guessed, bytes replaced (with their row)
        col = issue.get("column")
        out.append(builtin_issue(issue["code"], source_file=grid.file, source_sheet=grid.sheet,
                                 source_row=issue.get("source_row"), value=issue.get("value"),
                                 column=None if col is None else extracted.headers.get(col, f"column {col + 1}")))
    return out


def _long_cells(records: pd.DataFrame) -> pd.DataFrame:
    """Cells longer than Excel allows: the writer truncates them, so say where."""
    found = []
    for col in records.columns.difference(C.PROVENANCE):
        if records[col].dtype == object:
            for i in np.flatnonzero(_longer_than(records[col], C.EXCEL_MAX_CELL)):
                found.append(builtin_issue("cell-too-long", **records.loc[i, C.PROVENANCE].to_dict(), column=col,
                                           value=f"{len(records.at[i, col]):,} characters"))
    return make_issues(found)


def _longer_than(values: pd.Series, limit: int) -> np.ndarray:
    """Which cells hold more than ``limit`` characters, counted by Arrow (pandas' "string"
    dtype would first check every value in Python)."""
    try:
        text = pa.array(values.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers among the text: count them as written
        return values.astype("string").str.len().gt(limit).fillna(False).to_numpy(dtype=bool)
    return pc.fill_null(pc.greater(pc.utf8_length(text), limit), False).to_numpy(zero_copy_only=False)


def _phone_doubts(raw: pd.DataFrame, checked, config: PipelineConfig) -> pd.DataFrame:
    """Numbers read in the default region on no evidence that are valid elsewhere too."""
    if C.PHONE not in raw.columns:
        return make_issues()
    return find_phone_doubts(raw[C.PHONE].iloc[checked.kept].reset_index(drop=True), checked.records,
                             config.default_region)


def _all_issues(file_rows: list[dict], read_issues: list[dict], checked, config: PipelineConfig,
                doubts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every issue of a run or a check: files, cells as read, then the kept records' values."""
    kept = checked.records
    return _file_issues(file_rows, pd.concat([make_issues(read_issues), _long_cells(kept),
                                              _other_currency(kept, config), checked.issues,
                                              find_id_conflicts(kept), doubts if doubts is not None else make_issues()],
                                             ignore_index=True))


def _file_issues(file_rows: list[dict], issues: pd.DataFrame) -> pd.DataFrame:
    extra = [builtin_issue("unreadable-file", source_file=r["file"], value=r["message"])
             for r in file_rows if r["status"] == "failed"]
    extra += [builtin_issue("not-customer-sheet", source_file=r["file"], source_sheet=r["sheet"], value=r["message"])
              for r in file_rows if r["status"] == "skipped" and r.get("sheet")]
    return pd.concat([make_issues(extra), issues], ignore_index=True) if extra else issues


def _sheet_health(records: pd.DataFrame, rejected: pd.DataFrame, config: PipelineConfig,
                  as_of: pd.Timestamp) -> pd.DataFrame:
    """Per source sheet (often one salesperson's): rows, completeness, issue rate, health."""
    cols = ["file", "sheet", "rows", "completeness_pct", "issue_rate", "health_score"]
    used = C.PROVENANCE + FRESHNESS_READS
    both = pd.concat([f[[c for c in used if c in f.columns]] for f in (records, rejected)], ignore_index=True)
    if both.empty:
        return pd.DataFrame(columns=cols)
    both = flag_freshness(both, config, as_of)
    both["_health"] = score_health(both)
    key_fields = [f for f in (C.NAME, C.PHONE, C.EMAIL, C.ADDRESS, C.COMPANY) if f in both.columns]
    both["_complete"] = both[key_fields].notna().mean(axis=1) * 100 if key_fields else 0.0
    both["_issue"] = both["issue_codes"].notna() if "issue_codes" in both.columns else False
    g = both.groupby([C.SOURCE_FILE, C.SOURCE_SHEET], sort=False)
    out = pd.DataFrame({"rows": g.size(), "completeness_pct": g["_complete"].mean().round(1),
                        "issue_rate": (g["_issue"].mean() * 100).round(1),
                        "health_score": g["_health"].mean().round(1)}).reset_index()
    return out.rename(columns={C.SOURCE_FILE: "file", C.SOURCE_SHEET: "sheet"})[cols]
