"""Scores the normalise and validate stages on the labelled set, field by field.

Every case becomes one record (one sheet per context column, so day/month order and the
decimal mark are decided per column as in a real run); the records go through
``normalize_records`` and ``validate_records`` exactly as the pipeline calls them, and
each case is scored on the values and issues of its own record. Row rules
(``no-identity`` and the like) are not part of a field's score.

Run ``python -m tests.labelled.measure`` for the table and the failures
(``--field phone`` for one field, ``--limit 50`` for more examples).
"""

from __future__ import annotations

import argparse
import inspect
import math
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from sheetkit.config import PipelineConfig
from sheetkit.resources import default_schema_path
from sheetkit.schema import Schema, load_schema
from sheetkit.stages.normalize import normalize_records
from sheetkit.stages.validate import validate_records

from .cases import AS_OF, FIELDS, Case, all_cases

PROVENANCE = ["source_file", "source_sheet", "source_row"]
SOURCE_FILE = "labelled.xlsx"
# Every record gets a name (or, for name cases, a phone) so it is a usable customer;
# these fillers are valid and their own issues, if any, are not the case's.
FILLER_NAME = "王小明"
FILLER_PHONE = "13800138000"
ROW_RULE_CODES = {"no-identity", "no-contact", "dates-out-of-order"}


@dataclass
class CaseResult:
    """How one case came out."""

    case: Case
    got: dict[str, object]                       # output column -> value, for the expected columns
    wrong_values: dict[str, tuple[object, object]]  # column -> (got, expected)
    issues: list[tuple[str, str]]                # (code, severity) on the case's record
    caught: bool | None                          # invalid cases: expected codes raised (None for valid)
    suggestion_ok: bool | None = None

    @property
    def right(self) -> bool:
        return not self.wrong_values

    @property
    def errors(self) -> list[str]:
        return [c for c, s in self.issues if s == "error"]

    @property
    def warnings(self) -> list[str]:
        return [c for c, s in self.issues if s != "error"]

    @property
    def failed(self) -> bool:
        if not self.right:
            return True
        return bool(self.issues) if self.case.valid else not self.caught


@dataclass(repr=False)
class FieldScore:
    """The issue's three figures for one field (shares from 0 to 1; None when nothing to count)."""

    field: str
    cases: int
    hand: int
    valid: int
    invalid: int
    exact: float | None
    wrong_errors: float | None
    wrong_warnings: float | None
    caught: float | None
    in_schema: bool = True
    failures: list[CaseResult] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"FieldScore({self.field}: {self.cases} cases, {len(self.failures)} failing)"


@dataclass
class Measurement:
    """Scores per field, every case's result, stage timings, and the frames (for re-runs)."""

    scores: dict[str, FieldScore]
    results: list[CaseResult]
    seconds: dict[str, float]
    records: pd.DataFrame
    normalised: pd.DataFrame

    def __repr__(self) -> str:  # pytest prints fixtures: keep a failure readable
        return f"Measurement({len(self.results)} cases, {len(self.scores)} fields)"


def load_defaults() -> tuple[Schema, PipelineConfig]:
    """The bundled schema and the default config, as the CLI uses them."""
    return load_schema(default_schema_path()), PipelineConfig()


def sheet_names(cases: Sequence[Case]) -> list[str]:
    """The sheet of each case: the n-th context column of every field goes on sheet ``ctx<n>``.

    A sheet holds at most one context column per field, so each column's day/month
    order or decimal mark is decided from its own values only; packing the columns of
    different fields side by side keeps the number of sheets (and the run time) small.
    Cases without a context column go on sheet ``cases``.
    """
    numbers: dict[tuple[str, str], int] = {}
    per_field: dict[str, int] = {}
    names = []
    for case in cases:
        if not case.column:
            names.append("cases")
            continue
        key = (case.field, case.column)
        if key not in numbers:
            numbers[key] = per_field[case.field] = per_field.get(case.field, 0) + 1
        names.append(f"ctx{numbers[key]}")
    return names


def build_records(cases: Sequence[Case], schema: Schema) -> pd.DataFrame:
    """One record per case, rows numbered from 2 in case order (see ``sheet_names`` for sheets).

    Columns: provenance, every schema field, and any case field the schema lacks (so a
    field not yet in the schema scores as missing rather than breaking the run).
    """
    rows = []
    for i, (case, sheet) in enumerate(zip(cases, sheet_names(cases))):
        row: dict[str, object] = {"source_file": SOURCE_FILE, "source_sheet": sheet, "source_row": i + 2}
        if case.field == "name":
            row["phone"] = FILLER_PHONE
        else:
            row["name"] = FILLER_NAME
        row.update(case.row)
        row[case.field] = case.raw
        rows.append(row)
    extra = sorted({k for r in rows for k in r} - set(PROVENANCE) - set(schema.fields))
    frame = pd.DataFrame(rows, columns=[*PROVENANCE, *schema.fields, *extra]).astype(object)
    frame = frame.where(frame.notna(), None)
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame


def normalise(records: pd.DataFrame, schema: Schema, config: PipelineConfig) -> pd.DataFrame:
    return normalize_records(records, schema, config)


def validate(records: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """The issues frame; ``as_of`` is passed when validate_records takes it."""
    as_of = pd.Timestamp(AS_OF)
    if "as_of" in inspect.signature(validate_records).parameters:
        return validate_records(records, schema, as_of=as_of).issues
    return validate_records(records, schema).issues


def is_empty(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value == ""


def same(got: object, want: object) -> bool:
    """Equal as text, with None, NaN, NA and "" all meaning empty."""
    if is_empty(want) or is_empty(got):
        return is_empty(want) and is_empty(got)
    return str(got) == str(want)


def _score_case(case: Case, out_row: dict | None, issues: list[dict]) -> CaseResult:
    """Compare one record's values and issues (plain dicts: scoring stays fast) with the case."""
    got: dict[str, object] = {}
    wrong: dict[str, tuple[object, object]] = {}
    for col, want in case.expected.items():
        value = out_row.get(col) if out_row is not None else "<no record>"
        if out_row is not None and col not in out_row and not is_empty(want):
            value = "<no such column>"
        got[col] = value
        if not same(value, want):
            wrong[col] = (value, want)
    filler = "phone" if case.field == "name" else "name"
    own = [i for i in issues if str(i["column"]) != filler and i["code"] not in ROW_RULE_CODES]
    found = [(str(i["code"]), str(i["severity"])) for i in own]
    caught = suggestion_ok = None
    if not case.valid:
        caught = all((code, case.severity) in found for code in case.codes)
        if case.suggestion is not None:
            text = " ".join(str(v) for i in own if i["code"] in case.codes for v in i.values() if not is_empty(v))
            suggestion_ok = case.suggestion in text
            caught = caught and suggestion_ok
    return CaseResult(case, got, wrong, found, caught, suggestion_ok)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def measure(cases: Sequence[Case] | None = None, schema: Schema | None = None,
            config: PipelineConfig | None = None) -> Measurement:
    """Normalise and validate the labelled cases and score every field."""
    cases = list(all_cases() if cases is None else cases)
    if schema is None or config is None:
        schema, config = load_defaults()
    records = build_records(cases, schema)
    t0 = time.perf_counter()
    out = normalise(records, schema, config)
    t1 = time.perf_counter()
    issues = validate(out, schema)
    t2 = time.perf_counter()
    rows = {int(r["source_row"]): r for r in out.to_dict("records")}
    by_row: dict[int, list[dict]] = {}
    for issue in issues.to_dict("records"):
        if not is_empty(issue["source_row"]):
            by_row.setdefault(int(issue["source_row"]), []).append(issue)
    results = [_score_case(case, rows.get(i + 2), by_row.get(i + 2, [])) for i, case in enumerate(cases)]
    scores = {}
    for name in dict.fromkeys([*FIELDS, *(c.field for c in cases)]):
        mine = [r for r in results if r.case.field == name]
        if not mine:
            continue
        valid = [r for r in mine if r.case.valid]
        invalid = [r for r in mine if not r.case.valid]
        scores[name] = FieldScore(
            field=name, cases=len(mine), hand=sum(r.case.origin == "hand" for r in mine),
            valid=len(valid), invalid=len(invalid),
            exact=_share(sum(r.right for r in mine), len(mine)),
            wrong_errors=_share(sum(bool(r.errors) for r in valid), len(valid)),
            wrong_warnings=_share(sum(bool(r.warnings) for r in valid), len(valid)),
            caught=_share(sum(bool(r.caught) for r in invalid), len(invalid)),
            in_schema=name in schema.fields,
            failures=[r for r in mine if r.failed])
    return Measurement(scores, results, {"normalise": t1 - t0, "validate": t2 - t1}, records, out)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f}%"


def render_table(m: Measurement) -> str:
    """The per-field table of the issue's figures."""
    head = (f"{'field':<16}{'cases':>6}{'hand':>6}{'valid':>6}{'inval':>6}{'exact':>9}"
            f"{'ok→err':>9}{'ok→warn':>9}{'caught':>9}  note")
    lines = [head, "-" * len(head)]
    for s in m.scores.values():
        note = "" if s.in_schema else "field not in schema"
        lines.append(f"{s.field:<16}{s.cases:>6}{s.hand:>6}{s.valid:>6}{s.invalid:>6}{_pct(s.exact):>9}"
                     f"{_pct(s.wrong_errors):>9}{_pct(s.wrong_warnings):>9}{_pct(s.caught):>9}  {note}")
    total = sum(s.cases for s in m.scores.values())
    lines.append("-" * len(head))
    lines.append(f"{total} cases; normalise {m.seconds['normalise']:.2f} s, validate {m.seconds['validate']:.2f} s. "
                 "exact: all expected columns right; ok→err / ok→warn: valid values flagged; "
                 "caught: invalid values flagged with the expected code.")
    return "\n".join(lines)


def _short(value: object, width: int = 40) -> str:
    text = "∅" if is_empty(value) else repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def describe(result: CaseResult) -> str:
    """One failure on one line: the raw cell, then what differed."""
    case = result.case
    parts = [f"{col} {_short(got)} ≠ {_short(want)}" for col, (got, want) in result.wrong_values.items()]
    codes = [f"{c}/{s}" for c, s in result.issues]
    if case.valid and result.issues:
        parts.append(f"flagged {', '.join(codes)}")
    elif not case.valid and not result.caught:
        want = ", ".join(case.codes)
        if result.suggestion_ok is False:
            want += f" with suggestion {case.suggestion!r}"
        parts.append(f"issues [{', '.join(codes)}] want {want}")
    context = f" (row {case.row})" if case.row else ""
    sheet = f" [{case.column}]" if case.column else ""
    origin = "" if case.origin == "hand" else " gen"
    return f"  {_short(case.raw, 44)}{context}{sheet}{origin}: " + "; ".join(parts)


def render_failures(m: Measurement, limit: int = 10, fields: Iterable[str] | None = None) -> str:
    """Up to ``limit`` failures per field, hand cases first."""
    chosen = set(fields) if fields else None
    lines = []
    for s in m.scores.values():
        if not s.failures or (chosen and s.field not in chosen):
            continue
        shown = sorted(s.failures, key=lambda r: r.case.origin != "hand")[:limit]
        lines.append(f"{s.field}: {len(s.failures)} failing of {s.cases} (showing {len(shown)})")
        lines += [describe(r) for r in shown]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=8, help="failures shown per field")
    parser.add_argument("--field", action="append", help="show failures of this field only (repeatable)")
    args = parser.parse_args(argv)
    m = measure()
    print(render_table(m))
    failures = render_failures(m, args.limit, args.field)
    if failures:
        print("\nFailures (raw cell: got ≠ expected)\n" + failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
