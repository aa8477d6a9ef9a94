"""Writes a PipelineResult to an output folder: cleaned.xlsx and report.html, atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from . import columns as C
from .errors import OutputError
from .issues import count_by_severity
from .pipeline import PipelineResult
from .report import build_context, render_report
from .sources import OUTPUT_FILES, OUTPUT_MARKER
from .stages.segment import describe_rules
from .writer import current_umask, write_workbook

SHEETS = ["Customers", "Transactions", "Review", "Rejected", "Issues", "Lineage", "Summary", "Sources"]
_INTERNAL = set(C.MATCH_KEYS)


def _customers_sheet(result: PipelineResult) -> pd.DataFrame:
    customers = result.customers.drop(columns=[c for c in result.customers.columns if c in _INTERNAL])
    for c in (C.LAST_CONTACT_ON, C.CREATED_ON, C.BIRTH_ON):
        if c in customers.columns:  # real dates where valid; text kept where not
            parsed = pd.to_datetime(customers[c], format="%Y-%m-%d", errors="coerce")
            customers[c] = parsed.astype(object).where(parsed.notna(), customers[c])
    for c in C.CUSTOMER_COLUMNS:
        if c not in customers.columns:
            customers[c] = None
    return customers[C.CUSTOMER_COLUMNS + [c for c in customers.columns if c not in C.CUSTOMER_COLUMNS]]


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
    return pd.DataFrame(rows, columns=["section", "item", "value"])


def write_outputs(result: PipelineResult, out_dir: Path) -> dict[str, Path]:
    """Write cleaned.xlsx and report.html into ``out_dir`` (created if needed).

    Each file is written under a temporary name and moved into place, so an
    interrupted run never leaves a half-written output.

    Raises:
        OutputError: the folder or a file cannot be written.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out_dir}: {exc.strerror or exc}") from exc
    try:
        (out_dir / OUTPUT_MARKER).write_text(
            "sheetkit wrote cleaned.xlsx and report.html here; a run over this folder does not read them\n",
            encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write into the output folder {out_dir}: {exc.strerror or exc}") from exc
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
    }
    xlsx = out_dir / OUTPUT_FILES[0]
    # Render first: a failure there must not leave a new workbook beside an old report.
    report = render_report(build_context(result))
    write_workbook(sheets, xlsx, dropdowns={"Review": ("decision", ["same", "different"])}, notes=result.cell_notes)
    html = out_dir / OUTPUT_FILES[1]
    _write_text_atomic(html, report)
    return {"workbook": xlsx, "report": html}


def _write_text_atomic(path: Path, text: str) -> None:
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
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
