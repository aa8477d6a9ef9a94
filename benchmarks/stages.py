"""Per-stage seconds of ``sheetkit run`` beside the I/O floor of the same input.

    python benchmarks/stages.py /tmp/g100k.xlsx --repeat 3 --out /tmp/stages-100k
    python benchmarks/stages.py /tmp/blind/s4_1m --floor --json /tmp/s4.json --as-of 2024-12-31

Runs the installed ``sheetkit run`` in a subprocess under ``/usr/bin/time -v`` (via
cli_quality.run_sheetkit: the stage lines sheetkit prints on stderr, wall, user and system
CPU, peak RSS), ``--repeat`` times, and prints the medians as one table row. With
``--floor`` it also measures the I/O floor (floor.py: fastexcel read + Rust-backed write of
the rows and a Lineage-sized sheet) in the same session and the ratio to it (issue 20's
target: at most 4x, at most 4 GiB).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_quality import run_sheetkit  # noqa: E402
from floor import floor  # noqa: E402

STAGES = ["open", "read", "extract", "normalise", "validate", "identify", "dedupe", "segment", "assemble",
          "workbook", "report"]


def measure(paths: list[Path], out: Path, repeat: int, extra: list[str]) -> dict:
    """Medians over ``repeat`` runs: seconds per stage, wall, CPU, peak RSS."""
    runs = []
    for _ in range(repeat):
        run = run_sheetkit(paths[0], out, [sys.executable, "-m", "sheetkit"], [*map(str, paths[1:]), *extra])
        runs.append(run)
    for r in runs:  # the files opened (fastexcel, zip check) come first, as one stage
        r["stages"] = {"open": {"rows": sum(f["rows"] for f in r["files_opened"]),
                                "seconds": sum(f["seconds"] for f in r["files_opened"])}, **r["stages"]}
    names = [s for s in STAGES if any(s in r["stages"] for r in runs)]
    names += [s for s in runs[-1]["stages"] if s not in names]
    med = lambda f: statistics.median(f(r) for r in runs)  # noqa: E731
    return {"runs": repeat, "rows": max((s["rows"] for s in runs[-1]["stages"].values()), default=0),
            "stages": {s: med(lambda r: r["stages"].get(s, {}).get("seconds", 0.0)) for s in names},
            "wall_s": med(lambda r: r.get("wall_time_v_s", r["wall_s"])),
            "cpu_s": med(lambda r: r.get("user_s", 0.0) + r.get("sys_s", 0.0)),
            "peak_rss_mib": med(lambda r: r.get("peak_rss_mib", 0.0))}


def print_table(label: str, got: dict, io_floor: dict | None) -> None:
    stages = got["stages"]
    head = ["input", *stages, "wall", "CPU", "peak MiB"] + (["floor", "× floor"] if io_floor else [])
    row = [label, *(f"{v:.1f}" for v in stages.values()), f"{got['wall_s']:.1f}", f"{got['cpu_s']:.1f}",
           f"{got['peak_rss_mib']:,.0f}"]
    if io_floor:
        row += [f"{io_floor['total_s']:.1f}", f"{got['wall_s'] / io_floor['total_s']:.1f}"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    print("| " + " | ".join(row) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", type=Path, nargs="+", help="a folder or workbooks, as sheetkit run takes them")
    parser.add_argument("--out", type=Path, default=Path("/tmp/sheetkit-stages"),
                        help="output folder for sheetkit (emptied of sheetkit's outputs before each run)")
    parser.add_argument("--repeat", type=int, default=1, help="runs; medians shown")
    parser.add_argument("--floor", action="store_true", help="also measure the I/O floor of the .xlsx inputs")
    parser.add_argument("--label", help="the table's first cell (default: the input's name)")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args, extra = parser.parse_known_args()  # options this script does not know go to sheetkit run
    got = measure(args.paths, args.out, args.repeat, extra)
    io_floor = None
    if args.floor:
        books = [p for path in args.paths for p in ([path] if path.is_file() else sorted(path.rglob("*.xlsx")))]
        io_floor = floor([b for b in books if b.suffix == ".xlsx"], args.repeat)
    print_table(args.label or args.paths[0].name, got, io_floor)
    if args.json:
        args.json.write_text(json.dumps({"sheetkit": got, "floor": io_floor}, indent=1))


if __name__ == "__main__":
    main()
