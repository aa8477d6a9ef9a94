"""Mutates the example workbooks (byte flips, truncations, far cell references, lying zip
headers, many tiny entries) and reads each beside a good file: every case must end in rows
read or a one-line SourceError, never a traceback or an abort.

    python benchmarks/fuzz_files.py --cases 5000 --seed 1
"""

from __future__ import annotations

import argparse
import io
import random
import re
import struct
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from sheetkit.errors import SourceError  # noqa: E402
from sheetkit.workbook import read_workbook  # noqa: E402

SEEDS = [p for p in sorted((ROOT / "examples" / "shop").iterdir()) if p.suffix in (".xlsx", ".csv")]


def _rezip(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
    return out.getvalue()


def mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.choice(["flip", "truncate", "far", "lie", "tiny", "flip", "far"])
    zipped = data.startswith(b"PK")
    if kind == "truncate":
        return data[: rng.randrange(len(data))]
    if kind == "far" and zipped:
        ref = rng.choice(["XFD1048576", "AEH279288", "A99999999", "ZZ5", "B1048577"])
        return _rezip(data, lambda n, d: re.sub(rb'r="[A-Z]+\d+"', f'r="{ref}"'.encode(), d, count=rng.randint(1, 3))
                      if "worksheets/" in n else d)
    if kind == "lie" and zipped:
        buf = bytearray(data)
        for m in re.finditer(rb"PK\x01\x02", bytes(buf)):  # central directory: declared size
            buf[m.start() + 24:m.start() + 28] = struct.pack("<I", rng.choice([0, 1, 1 << 20, 0xFFFFFFFE]))
        return bytes(buf)
    if kind == "tiny" and zipped:
        return _rezip(data, lambda n, d: d) + b""  # then many tiny entries appended below
    buf = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def many_entries(data: bytes, rng: random.Random) -> bytes:
    """Hundreds of tiny parts appended (the mutated zip may not take them: then as it was)."""
    out = io.BytesIO(data)
    try:
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf:
            for i in range(rng.randint(50, 500)):
                zf.writestr(f"xl/worksheets/extra{i}.xml", b"<x/>" * rng.randint(1, 50))
    except Exception:
        return data
    return out.getvalue()


def run(cases: int, seed: int) -> dict:
    rng = random.Random(seed)
    counts = {"read": 0, "refused": 0, "bug": 0}
    bugs = []
    good = ROOT / "examples" / "shop" / "crm-export.csv"
    good_rows = len(read_workbook(good)[0].cells)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(cases):
            src = rng.choice(SEEDS)
            data = mutate(src.read_bytes(), rng)
            if src.suffix == ".xlsx" and rng.random() < 0.1:
                data = many_entries(data, rng)
            path = Path(tmp) / f"case{i}{src.suffix}"
            path.write_bytes(data)
            try:
                read_workbook(path)
                counts["read"] += 1
            except SourceError as exc:
                counts["refused"] += 1
                assert "\n" not in str(exc)
            except Exception as exc:  # a bug: not a clean refusal
                counts["bug"] += 1
                bugs.append(f"case {i} from {src.name}: {type(exc).__name__}: {exc}"[:300])
            path.unlink()
            assert len(read_workbook(good)[0].cells) == good_rows
    return {**counts, "bugs": bugs}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    started = time.perf_counter()
    result = run(args.cases, args.seed)
    print(f"{args.cases} cases in {time.perf_counter() - started:.1f} s: {result['read']} read, "
          f"{result['refused']} refused, {result['bug']} bugs")
    for bug in result["bugs"][:20]:
        print("  " + bug)
    sys.exit(1 if result["bug"] else 0)


if __name__ == "__main__":
    main()
