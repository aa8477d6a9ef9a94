"""The I/O floor of a workbook: the least any tool must spend to read it and write its rows back.

    python benchmarks/floor.py benchmarks/data/customers_1048575.xlsx [more.xlsx ...] [--repeat 3]

In a fresh process per run: fastexcel reads every sheet of every file, every column as
text (what sheetkit must read too: typed readers lose the leading zero of 02112345678);
then rvgsrust-xlsxwriter, the Rust-backed writer sheetkit itself uses (sheetkit/writer.py),
writes those rows to one sheet (continuing on a second past 1,048,575 rows) plus a
six-column Lineage-sized sheet (file, sheet, row, customer_id, outcome, reason: one row per
input row), constant-memory mode, as sheetkit writes. Prints read, write and total seconds,
CPU seconds and peak RSS, as JSON with --json. Issue 20's target is sheetkit run within 4x
of the total.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXCEL_MAX_ROWS = 1_048_575


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _read(paths: list[Path]) -> list:
    """Every sheet of every file as Arrow tables of text, header row included as data."""
    import fastexcel

    tables = []
    for path in paths:
        reader = fastexcel.read_excel(str(path))
        for name in reader.sheet_names:
            sheet = reader.load_sheet(name, header_row=None, dtypes="string")
            tables.append(sheet.to_arrow())
    return tables


def _lineage(rows: int):
    """A table shaped like sheetkit's Lineage: one row per input row, six columns."""
    import pyarrow as pa
    import pyarrow.compute as pc

    index = pa.array(range(rows), type=pa.int64())
    ids = pc.binary_join_element_wise("C", pc.cast(pc.divide(index, 2), pa.string()), "")
    return pa.table({"source_file": pa.repeat("customers.xlsx", rows).cast(pa.large_string()),
                     "source_sheet": pa.repeat("Sheet1", rows).cast(pa.large_string()),
                     "source_row": pc.add(index, 2).cast(pa.float64()),
                     "customer_id": ids.cast(pa.large_string()),
                     "outcome": pa.repeat("kept", rows).cast(pa.large_string()),
                     "reason": pa.repeat("", rows).cast(pa.large_string())})


def _write(tables: list, path: Path) -> None:
    """The rows of ``tables`` and a Lineage-sized sheet, in bulk, as sheetkit writes them."""
    import pyarrow as pa
    import rvgsrust_xlsxwriter as xlsx

    book = xlsx.Workbook()
    rows = 0
    for t, table in enumerate(tables):
        table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
        table = pa.table([c.cast(pa.large_string()) for c in table.columns], names=table.column_names)
        rows += table.num_rows
        for part, start in enumerate(range(0, max(table.num_rows, 1), EXCEL_MAX_ROWS)):
            ws = book.add_worksheet(f"Rows {t + 1}.{part + 1}", constant_memory=True)
            ws.write_dataframe(0, 0, table.slice(start, EXCEL_MAX_ROWS), write_header=True)
    lineage = _lineage(rows)
    for part, start in enumerate(range(0, max(rows, 1), EXCEL_MAX_ROWS)):
        ws = book.add_worksheet(f"Lineage {part + 1}", constant_memory=True)
        ws.write_dataframe(0, 0, lineage.slice(start, EXCEL_MAX_ROWS), write_header=True)
    book.close(str(path))


def measure(paths: list[Path]) -> dict:
    """One floor measurement in this process."""
    t0, c0 = time.perf_counter(), _cpu()
    tables = _read(paths)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "floor.xlsx"
        _write(tables, out)
        size = out.stat().st_size
    t2 = time.perf_counter()
    return {"rows": sum(t.num_rows for t in tables), "sheets": len(tables), "read_s": t1 - t0,
            "write_s": t2 - t1, "total_s": t2 - t0, "cpu_s": _cpu() - c0, "written_mib": size / 2**20,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def floor(paths: list[Path], repeat: int = 1) -> dict:
    """Medians of ``repeat`` measurements, each in a fresh process (peak RSS is that run's)."""
    runs = []
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, __file__, "--one", *map(str, paths)],
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]} | {"runs": len(runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", type=Path, nargs="+", help="workbooks (.xlsx)")
    parser.add_argument("--repeat", type=int, default=1, help="runs, each in a fresh process; medians shown")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.paths)))
        return
    got = floor(args.paths, args.repeat)
    if args.json:
        print(json.dumps(got))
        return
    print(f"I/O floor, {got['rows']:,} rows in {got['sheets']} sheet(s), median of {got['runs']}: "
          f"read {got['read_s']:.1f} s + write {got['write_s']:.1f} s = {got['total_s']:.1f} s; "
          f"CPU {got['cpu_s']:.1f} s; peak {got['peak_rss_mib']:,.0f} MiB; 4x = {4 * got['total_s']:.0f} s")


if __name__ == "__main__":
    main()
