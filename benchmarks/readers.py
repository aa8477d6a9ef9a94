"""Compare spreadsheet readers on one sheet: wall time and peak memory, each in its own process.

    python benchmarks/readers.py benchmarks/data/customers_1048575.xlsx [--with-openpyxl]

Every reader must give every cell as text without losing digits (see ../TRAPS: typed
readers turn 02112345678 into 2112345678). Prints seconds, peak RSS and the row count.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def _sheetkit(path: Path) -> int:
    from sheetkit.workbook import read_workbook
    return sum(len(g.cells) for g in read_workbook(path))


def _calamine_raw(path: Path) -> int:
    import python_calamine
    return len(python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())


def _fastexcel_text(path: Path) -> int:
    import fastexcel
    sheet = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string", skip_rows=0)
    return len(sheet.to_arrow().to_pandas())


def _openpyxl_readonly(path: Path) -> int:
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))


READERS = {"sheetkit.read_workbook (fastexcel, text frame)": _sheetkit,
           "python-calamine to_python (no text conversion)": _calamine_raw,
           "fastexcel, every column as text": _fastexcel_text,
           "openpyxl read-only": _openpyxl_readonly}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--with-openpyxl", action="store_true", help="include openpyxl (minutes at 1M rows)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        start = time.perf_counter()
        rows = READERS[args.one](args.path)
        print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows,
                          "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        return
    print(f"{'reader':<50} {'seconds':>8} {'peak MiB':>9} {'rows':>10}")
    for name in READERS:
        if "openpyxl" in name and not args.with_openpyxl:
            continue
        proc = subprocess.run([sys.executable, __file__, str(args.path), "--one", name], capture_output=True, text=True)
        if proc.returncode:
            print(f"{name:<50} failed: {proc.stderr.strip().splitlines()[-1]}")
            continue
        r = json.loads(proc.stdout)
        print(f"{name:<50} {r['seconds']:>8.1f} {r['peak_mib']:>9,.0f} {r['rows']:>10,}")


if __name__ == "__main__":
    main()
