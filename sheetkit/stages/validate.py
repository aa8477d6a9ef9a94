"""Checks normalised records against the pandera schema; every failing cell is an issue.

Validation is lazy: all failures are collected, none stops the run. Rows failing an
error-severity check are quarantined (the Rejected sheet); rows with warnings go on,
flagged with their issue codes. Each issue carries the value as written in the sheet,
the value after cleaning, and a suggested fix where sheetkit has one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .. import columns as C
from ..checks import ON_FIRST_FIELD, SUGGESTERS
from ..issues import BUILTIN, make_issues
from ..schema import Schema, compile_schema
from ..values.ids import is_valid_ric
from ..values.text import TEXT

log = logging.getLogger(__name__)


@dataclass
class Validated:
    """Records that go on (``issue_codes`` added), rejected records (``reason`` added), issues,
    and the positions (in the input) of the records that go on."""

    records: pd.DataFrame
    rejected: pd.DataFrame
    issues: pd.DataFrame
    kept: np.ndarray | None = None


def validate_records(records: pd.DataFrame, schema: Schema, as_of: pd.Timestamp | None = None,
                     original: pd.DataFrame | None = None) -> Validated:
    """Run every schema check on ``records`` (indexed 0..n-1) and sort the rows.

    Args:
        records: normalised records.
        schema: the checks and rules.
        as_of: the run's reference date, for checks such as ``not_future``.
        original: the same records as written in the sheets, for the issues' ``original``.

    Returns:
        Validated: kept records, rejected records, and one issue per failing cell
        (or per row, for row rules) with its source file, sheet and row.
    """
    records = records.reset_index(drop=True)
    # Checks run on Arrow text (string methods in C++); object columns would run Python per cell.
    # Only the schema's fields are checked: a sheet's thousands of other columns are not copied.
    checked = pd.DataFrame({f: records[f].astype(TEXT) if records[f].dtype == object else records[f]
                            for f in schema.fields if f in records.columns}, index=records.index)
    try:
        compile_schema(schema, as_of).validate(checked, lazy=True)
        failures = pd.DataFrame(columns=["schema_context", "column", "check", "failure_case", "index"])
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    for case in failures.loc[failures["index"].isna(), ["check", "failure_case"]].itertuples(index=False):
        # A check that could not run at all: say so, rather than pass its rows silently.
        log.warning("check %s could not run: %s", case.check, case.failure_case)
    failures = failures[failures["index"].notna()].copy()
    failures["index"] = failures["index"].astype("int64")
    # pandera repeats a row rule's failure once per column: one issue per row is enough.
    needs = {r.code: "/".join(r.fields) for r in schema.rules}
    is_rule = failures["schema_context"].astype(str).eq("DataFrameSchema")
    failures.loc[is_rule, "column"] = failures.loc[is_rule, "check"].map(needs)
    failures.loc[is_rule, "failure_case"] = None
    for rule in schema.rules:
        if rule.check in ON_FIRST_FIELD and rule.fields[0] in records.columns:
            mine = is_rule & failures["check"].astype(str).eq(rule.code)
            failures.loc[mine, "column"] = rule.fields[0]
            failures.loc[mine, "failure_case"] = records[rule.fields[0]].to_numpy(dtype=object)[
                failures.loc[mine, "index"].to_numpy(dtype="int64")]
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
        "original": _originals(failures, original if original is not None else records),
        "value": failures["failure_case"].astype(object).to_numpy(),
        "message": [sev_msg[c][1] for c in codes],
        "suggestion": _suggestions(failures, records, schema),
    }))
    by_row = pd.DataFrame({"index": failures["index"].to_numpy(), "code": codes.to_numpy(),
                           "severity": issues["severity"].to_numpy(), "message": issues["message"].to_numpy()})
    errors = by_row[by_row["severity"] == "error"]
    reject_reason = errors.groupby("index")["message"].agg(lambda m: "; ".join(dict.fromkeys(m)))
    flags = by_row.drop_duplicates(["index", "code"]).sort_values(["index", "code"]).groupby("index")["code"].agg(", ".join)
    # Not records.copy(): under copy-on-write (pandas 3) a new column leaves ``records`` as it
    # was, and a deep copy of every column took 5 s at a million rows
    out = records.assign(issue_codes=flags.reindex(records.index).astype(object).where(lambda s: s.notna(), None))
    rejected_mask = out.index.isin(reject_reason.index)
    rejected = out[rejected_mask].copy()
    rejected["reason"] = reject_reason.reindex(rejected.index).to_numpy()
    issues = issues.sort_values([C.SOURCE_FILE, C.SOURCE_SHEET, C.SOURCE_ROW, "column"],
                                kind="stable", na_position="first").reset_index(drop=True)
    return Validated(out[~rejected_mask].reset_index(drop=True), rejected.reset_index(drop=True), issues,
                     np.flatnonzero(~rejected_mask))


def _originals(failures: pd.DataFrame, original: pd.DataFrame) -> np.ndarray:
    """The cell as written, for field failures (row rules have no single cell)."""
    out = np.full(len(failures), None, dtype=object)
    original = original.reset_index(drop=True)
    for column, group in failures.groupby("column", sort=False):
        if column in original.columns:
            out[group.index.to_numpy()] = original[column].to_numpy(dtype=object)[group["index"].to_numpy()]
    return out


def _suggestions(failures: pd.DataFrame, records: pd.DataFrame, schema: Schema) -> pd.Series:
    """A suggested fix per failure, from the check that failed (where it has one)."""
    out = pd.Series(None, index=failures.index, dtype=object)
    by_code = schema.checks_by_code()
    for code, group in failures.groupby("check", sort=False):
        check, fields = by_code.get(str(code), ("", ()))
        if check not in SUGGESTERS:
            continue
        rows = records.iloc[group["index"].to_numpy()].reset_index(drop=True)
        values = group["failure_case"].astype(object).reset_index(drop=True)
        got = SUGGESTERS[check](values, rows, list(fields)) if fields else SUGGESTERS[check](values, rows)
        out[group.index] = pd.Series(got).astype(object).where(lambda v: v.notna(), None).to_numpy()
    return out


def find_id_conflicts(records: pd.DataFrame) -> pd.DataFrame:
    """An issue per record whose valid ID card number an earlier record has with a name that
    is not the same person's: the name keys differ (spacing, case, Traditional characters,
    titles do not count) and so do the pinyin readings (张伟 and Zhang Wei are one name).

    Dedupe is not changed by this: it only says where two names share one 身份证号.
    """
    need = [C.ID_NUMBER, C.NAME, C.NAME_KEY]
    if not set(need) <= set(records.columns):
        return make_issues()
    ids = records[C.ID_NUMBER]
    named = (ids.notna() & records[C.NAME_KEY].notna()).to_numpy(bool)
    if not named.any():
        return make_issues()
    rows = records.loc[named, C.PROVENANCE + need + ([C.NAME_PINYIN] if C.NAME_PINYIN in records.columns else [])]
    rows = rows[is_valid_ric(rows[C.ID_NUMBER]).to_numpy(bool)]
    first = rows.groupby(C.ID_NUMBER, sort=False).transform("first")
    other = rows[C.NAME_KEY] != first[C.NAME_KEY]
    if C.NAME_PINYIN in rows.columns:
        other &= ~(rows[C.NAME_PINYIN].notna() & (rows[C.NAME_PINYIN] == first[C.NAME_PINYIN]))
    if not other.any():
        return make_issues()
    hit, was = rows[other], first[other]
    severity, message = BUILTIN["id-number-conflict"]
    return make_issues(hit[C.PROVENANCE].assign(
        code="id-number-conflict", severity=severity, column=f"{C.ID_NUMBER}/{C.NAME}", original=hit[C.NAME],
        message=message,
        suggestion=(hit[C.NAME] + " and " + was[C.NAME] + " share this ID: see row "
                    + was[C.SOURCE_ROW].astype("int64").astype(str) + " of " + was[C.SOURCE_FILE].astype(str)
                    + " › " + was[C.SOURCE_SHEET].astype(str)).to_numpy()))
