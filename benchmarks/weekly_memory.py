"""Memory and time of the weekly loop: the same input run twice into one output folder.

    python benchmarks/weekly_memory.py /tmp/gen1m -o /tmp/w1m --json /tmp/w1m.json
    python benchmarks/weekly_memory.py /tmp/g100k.xlsx -o /tmp/w100k --runs 2 --as-of 2024-12-31

The first run starts from an empty folder; each later one reads the previous run from the
folder's archive (issue 17: the second run must take no longer than the first, within
4 GiB). Each run is ``python -m sheetkit run`` in a subprocess; a thread here reads its
VmRSS from /proc every 0.2 s and labels each sample with the stage running then (the
stage whose progress line comes next on stderr), so the table says where the peak is.
Wall, user and system CPU and peak RSS come from the kernel (``os.wait4``) per run; the
CPU counts worker processes too, peak RSS the largest process only, so "with workers" is
sampled: sheetkit's RSS plus its worker processes' (phone parsing at 1M rows).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

_STAGE = re.compile(r"^  (\S+)\s+[\d,]+ rows\s+([\d.]+) s")


def run_once(inputs: list[str], out: Path, extra: list[str], every: float = 0.2, src: Path | None = None) -> dict:
    """One ``sheetkit run``: seconds per stage, wall, CPU, peak RSS overall and per stage.
    ``src``: a copy of sheetkit's source to run instead of the installed one."""
    cmd = [sys.executable, "-m", "sheetkit", "run", *(str(Path(i).resolve()) for i in inputs), "-o", str(out.resolve()),
           *extra]
    # `python -m` puts the working folder first on the path, before PYTHONPATH: run it from
    # ``src``, or a run started in a checkout would measure the checkout instead
    env = {**os.environ, "PYTHONPATH": str(src)} if src else None
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=src)
    samples: list[tuple[float, int]] = []
    tree: list[tuple[float, int]] = []  # with its worker processes (phone parsing at 1M rows)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            rss = _rss(proc.pid)
            if rss is None:
                break
            samples.append((time.perf_counter(), rss))
            tree.append((time.perf_counter(), rss + _children_rss(proc.pid)))
            stop.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    events: list[tuple[float, str, float]] = []  # (when its line came, stage, seconds it says)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if m := _STAGE.match(line):
            events.append((time.perf_counter(), m.group(1), float(m.group(2))))
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        sys.stderr.write("".join(lines[-30:]))
        raise SystemExit(f"sheetkit failed: {' '.join(cmd)}")
    peak_by_stage: dict[str, int] = {}
    for t, rss in samples:  # a sample belongs to the stage whose line comes next
        stage = next((s for when, s, _ in events if when >= t), "finish")
        peak_by_stage[stage] = max(peak_by_stage.get(stage, 0), rss)
    stages: dict[str, float] = {}
    for _, s, secs in events:  # files opened are listed by name: summed as "open"
        key = s if s.isidentifier() else "open"
        stages[key] = stages.get(key, 0.0) + secs
    return {"stages": stages, "wall_s": wall, "user_s": usage.ru_utime, "sys_s": usage.ru_stime,
            "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024,
            "peak_mib_by_stage": {s: v / 1024 for s, v in peak_by_stage.items()},
            "peak_tree_mib": max((v for _, v in tree), default=0) / 1024}


def _rss(pid: int) -> int | None:
    """A process's VmRSS (KiB) from /proc; None once it has ended."""
    try:
        return int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1))
    except (OSError, AttributeError):
        return None


def _children_rss(pid: int) -> int:
    """VmRSS (KiB) of a process's descendants, from /proc."""
    try:
        kids = [int(k) for t in Path(f"/proc/{pid}/task").iterdir()
                for k in (t / "children").read_text().split()]
    except OSError:
        return 0
    return sum((_rss(kid) or 0) + _children_rss(kid) for kid in kids)


def print_table(runs: list[dict]) -> None:
    names = list(dict.fromkeys(s for r in runs for s in r["stages"]))
    head = ["run", *names, "wall", "user+sys", "peak MiB", "peak in", "with workers MiB"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for i, r in enumerate(runs, 1):
        where = max(r["peak_mib_by_stage"], key=r["peak_mib_by_stage"].get) if r["peak_mib_by_stage"] else ""
        print("| " + " | ".join([str(i), *(f"{r['stages'].get(s, 0):.1f}" for s in names), f"{r['wall_s']:.1f}",
                                 f"{r['cpu_s']:.1f}", f"{r['peak_rss_mib']:,.0f}", where,
                                 f"{r.get('peak_tree_mib', 0):,.0f}"]) + " |")
    print("\npeak MiB per stage (sampled every 0.2 s):")
    for i, r in enumerate(runs, 1):
        print(f"  run {i}: " + ", ".join(f"{s} {v:,.0f}" for s, v in r["peak_mib_by_stage"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("-o", "--out", type=Path, required=True, help="the output folder (emptied first)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--as-of", default="2024-12-31")
    parser.add_argument("--keep", action="store_true", help="keep what --out holds (a later week of it)")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument("--src", type=Path, help="run the sheetkit source in this folder (a `git archive` of the "
                        "commit to measure), not the installed one: edits made meanwhile do not leak in")
    args = parser.parse_args()
    if not args.keep:
        shutil.rmtree(args.out, ignore_errors=True)
    runs = []
    for i in range(args.runs):
        runs.append(run_once(args.inputs, args.out, ["--as-of", args.as_of], src=args.src))
        print(f"run {i + 1}: {runs[-1]['wall_s']:.1f} s, {runs[-1]['peak_rss_mib']:,.0f} MiB", file=sys.stderr)
        if i == 0:
            shutil.copy2(args.out / "cleaned.xlsx", args.out.parent / f"{args.out.name}-run1.xlsx")
    shutil.copy2(args.out / "cleaned.xlsx", args.out.parent / f"{args.out.name}-run{args.runs}.xlsx")
    print_table(runs)
    archive = args.out / "archive.sqlite"
    if archive.is_file():
        print(f"\narchive: {archive.stat().st_size / 2**20:,.1f} MiB after {args.runs} runs")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1))


if __name__ == "__main__":
    main()
