"""Checks normalised records against the pandera schema; every failing cell is an issue.

Validation is lazy: all failures are collected, none stops the run. Rows failing an
error-severity check are quarantined (the Rejected sheet); rows with warnings go on,
flagged with their issue codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from .. import columns as C
from ..issues import make_issues
from ..schema import Schema, compile_schema


@dataclass
class Validated:
    """Records that go on (``issue_codes`` added), rejected records (``reason`` added), issues."""

    records: pd.DataFrame
    rejected: pd.DataFrame
    issues: pd.DataFrame


def validate_records(records: pd.DataFrame, schema: Schema) -> Validated:
    """Run every schema check on ``records`` (indexed 0..n-1) and sort the rows.

    Returns:
        Validated: kept records, rejected records, and one issue per failing cell
        (or per row, for row rules) with its source file, sheet and row.
    """
    records = records.reset_index(drop=True)
    try:
        compile_schema(schema).validate(records, lazy=True)
        failures = pd.DataFrame(columns=["schema_context", "column", "check", "failure_case", "index"])
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    failures = failures[failures["index"].notna()].copy()
    failures["index"] = failures["index"].astype("int64")
    # pandera repeats a row rule's failure once per column: one issue per row is enough.
    needs = {r.code: "/".join(r.require_any) for r in schema.rules}
    is_rule = failures["schema_context"].astype(str).eq("DataFrameSchema")
    failures.loc[is_rule, "column"] = failures.loc[is_rule, "check"].map(needs)
    failures.loc[is_rule, "failure_case"] = None
    failures = failures.drop_duplicates(["index", "check", "column"]).reset_index(drop=True)
    codes = failures["check"].astype(str)
    sev_msg = {code: schema.message_for(code) for code in codes.unique()}
    rows = records.loc[failures["index"], C.PROVENANCE].reset_index(drop=True)
    issues = make_issues(pd.DataFrame({
        "code": codes.to_numpy(),
        "severity": [sev_msg[c][0] for c in codes],
        C.SOURCE_FILE: rows[C.SOURCE_FILE], C.SOURCE_SHEET: rows[C.SOURCE_SHEET],
        C.SOURCE_ROW: rows[C.SOURCE_ROW],
        "column": failures["column"].to_numpy(),
        "value": failures["failure_case"].astype(object).to_numpy(),
        "message": [sev_msg[c][1] for c in codes],
    }))
    # A row-rule failure's "column" is the schema's name; show which fields it needs.
    by_row = pd.DataFrame({"index": failures["index"].to_numpy(), "code": codes.to_numpy(),
                           "severity": issues["severity"].to_numpy(), "message": issues["message"].to_numpy()})
    errors = by_row[by_row["severity"] == "error"]
    reject_reason = errors.groupby("index")["message"].agg(lambda m: "; ".join(dict.fromkeys(m)))
    flags = by_row.groupby("index")["code"].agg(lambda c: ", ".join(sorted(set(c))))
    out = records.copy()
    out["issue_codes"] = flags.reindex(out.index).astype(object).where(lambda s: s.notna(), None)
    rejected_mask = out.index.isin(reject_reason.index)
    rejected = out[rejected_mask].copy()
    rejected["reason"] = reject_reason.reindex(rejected.index).to_numpy()
    issues = issues.sort_values([C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW, "column"],
                                kind="stable", na_position="first").reset_index(drop=True)
    return Validated(out[~rejected_mask].reset_index(drop=True), rejected.reset_index(drop=True), issues)
