"""Issue 20's table: first and weekly runs at several sizes, beside the I/O floor of the same sheet.

    python benchmarks/issue20_table.py --rows 10000 100000 300000 1048575 --repeat 3 \\
        --data /tmp/i20 --src /tmp/src_head --json /tmp/i20.json

Per size: ``generate.py --seed 7`` makes week 1 and ``--next-week 0.01`` week 2 (1 % of
rows edited, 1 % added; at Excel's limit as many deleted). Each repeat runs sheetkit on
week 1 into an empty folder, then on week 2, put at the same path, into the same folder
(the weekly run: it reads the previous run from the archive). ``floor.py`` measures the
floor of week 1 in between. Every figure printed is the median of the repeats; repeats are
interleaved with the floor so a change in the machine's load shows in both.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from weekly_memory import run_once


def _sheets(data: Path, rows: int) -> tuple[Path, Path]:
    """Week 1 and week 2 of a ``rows``-row sheet, generated once into ``data``."""
    weeks = data / f"{rows}-week1.xlsx", data / f"{rows}-week2.xlsx"
    for week, path in enumerate(weeks):
        if not path.is_file():
            extra = ["--next-week", "0.01"] if week else []
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--rows", str(rows), "--seed", "7",
                            "--out", str(path), "--quiet", *extra], check=True)
    return weeks


def _floor(path: Path) -> dict:
    proc = subprocess.run([sys.executable, str(HERE / "floor.py"), str(path), "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def measure(rows: int, repeat: int, data: Path, as_of: str, src: Path | None) -> dict:
    week1, week2 = _sheets(data, rows)
    here, out = data / f"in-{rows}" / "customers.xlsx", data / f"out-{rows}"
    here.parent.mkdir(parents=True, exist_ok=True)
    runs: dict[str, list] = {"floor": [], "first": [], "weekly": []}
    for i in range(repeat):
        runs["floor"].append(_floor(week1))
        shutil.rmtree(out, ignore_errors=True)
        for kind, week in (("first", week1), ("weekly", week2)):
            shutil.copyfile(week, here)
            runs[kind].append(run_once([str(here)], out, ["--as-of", as_of], src=src))
            print(f"{rows:,} rows, repeat {i + 1}: floor {runs['floor'][-1]['total_s']:.1f} s, "
                  f"{kind} {runs[kind][-1]['wall_s']:.1f} s", file=sys.stderr)
    return {"rows": rows, **runs}


def _median(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def print_table(results: list[dict]) -> None:
    stages = list(dict.fromkeys(s for r in results for kind in ("first", "weekly") for run in r[kind]
                                for s in run["stages"]))
    head = ["rows", "run", *stages, "wall s", "CPU s", "peak MiB", "floor s (read + write)", "× floor",
            "weekly / first"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * 2 + "---:|" * (len(head) - 2))
    for r in results:
        floor = _median(f["total_s"] for f in r["floor"])
        floor_text = (f"{floor:.1f} ({_median(f['read_s'] for f in r['floor']):.1f} + "
                      f"{_median(f['write_s'] for f in r['floor']):.1f})")
        first = _median(run["wall_s"] for run in r["first"])
        for kind in ("first", "weekly"):
            wall = _median(run["wall_s"] for run in r[kind])
            cells = [f"{r['rows']:,}", kind,
                     *(f"{_median(run['stages'].get(s) for run in r[kind]):.1f}"
                       if any(s in run["stages"] for run in r[kind]) else "–" for s in stages),
                     f"{wall:.1f}", f"{_median(run['cpu_s'] for run in r[kind]):.1f}",
                     f"{_median(run['peak_rss_mib'] for run in r[kind]):,.0f}",
                     floor_text if kind == "first" else "", f"{wall / floor:.1f}",
                     "" if kind == "first" else f"{wall / first:.0%}"]
            print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 300_000, 1_048_575])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, required=True, help="where the sheets and output folders go")
    parser.add_argument("--as-of", default="2025-01-01")
    parser.add_argument("--src", type=Path, help="run the sheetkit source in this folder (a `git archive`)")
    parser.add_argument("--json", type=Path, help="also write every run's measurements here")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    results = []
    for rows in args.rows:
        results.append(measure(rows, args.repeat, args.data, args.as_of, args.src))
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
    print_table(results)


if __name__ == "__main__":
    main()
