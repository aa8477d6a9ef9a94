"""Do two workbooks hold the same cells? Sheet names and order, then every row's values.

    python benchmarks/same_cells.py before/cleaned.xlsx after/cleaned.xlsx

For a speed change that must not change the output: read with python-calamine (values
as Excel stores them: text, numbers, dates), prints the first differing rows and a count.
Exit status 1 when anything differs.
"""

from __future__ import annotations

import sys

import python_calamine


def main() -> int:
    a, b = (python_calamine.CalamineWorkbook.from_path(p) for p in sys.argv[1:3])
    if a.sheet_names != b.sheet_names:
        print("sheets differ:", a.sheet_names, b.sheet_names)
        return 1
    bad = cells = 0
    for name in a.sheet_names:
        ra, rb = a.get_sheet_by_name(name).to_python(), b.get_sheet_by_name(name).to_python()
        if len(ra) != len(rb):
            print(f"{name}: {len(ra)} rows against {len(rb)}")
            bad += 1
            continue
        for i, (x, y) in enumerate(zip(ra, rb)):
            cells += len(x)
            if x != y:
                bad += 1
                if bad <= 10:
                    print(name, "row", i + 1, [(j, u, v) for j, (u, v) in enumerate(zip(x, y)) if u != v][:5])
    print(f"sheets {a.sheet_names}; {cells:,} cells; differing rows {bad:,}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
