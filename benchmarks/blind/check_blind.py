#!/usr/bin/env python3
"""Check that a generated folder and its truth file line up.

    python benchmarks/blind/check_blind.py DIR [--show K]

Every truth row must point at a non-empty row of its file/sheet; every non-empty row
that is not in the truth must be a title, header, total or note row. Prints the
non-truth rows found per sheet and K random duplicate groups for eyeballing.
"""
import argparse
import csv
import os
import random
import sys
from collections import defaultdict

import openpyxl


def read_csv(path):
    raw = open(path, "rb").read()
    for enc in ("utf-8-sig", "gbk"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    rows = list(csv.reader(text.splitlines()))
    return rows


def read_book(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return out


def empty(row):
    return all(v is None or (isinstance(v, str) and v.strip() == "") for v in row)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--show", type=int, default=3)
    a = ap.parse_args()
    d = os.path.abspath(a.dir)
    truth = os.path.join(os.path.dirname(d), os.path.basename(d) + ".truth.csv")
    T = defaultdict(dict)
    ents = defaultdict(list)
    with open(truth, encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            T[(rec["file"], rec["sheet"])][int(rec["row"])] = rec
            ents[rec["entity_id"]].append(rec)
    data = {}
    for f in sorted(os.listdir(d)):
        p = os.path.join(d, f)
        if f.endswith(".csv"):
            data[(f, os.path.splitext(f)[0])] = read_csv(p)
        elif f.endswith(".xlsx"):
            for sh, rows in read_book(p).items():
                data[(f, sh)] = rows
    bad = 0
    for key, rows in data.items():
        tr = T.get(key, {})
        extra = []
        for i, row in enumerate(rows, 1):
            if i in tr:
                if empty(row):
                    print("EMPTY truth row", key, i)
                    bad += 1
            elif not empty(row):
                extra.append((i, [v for v in row if v not in (None, "")][:3]))
        missing = [i for i in tr if i > len(rows)]
        if missing:
            print("truth rows beyond end", key, missing[:5])
            bad += 1
        print("%-40s %-10s data=%6d  non-truth rows: %s" % (key[0][:40], key[1][:10], len(tr),
                                                           [(i, x) for i, x in extra[:4]] + (["..."] if len(extra) > 4 else [])))
    for key in T:
        if key not in data:
            print("truth sheet not found", key)
            bad += 1
    # show a few duplicate groups
    rnd = random.Random(0)
    groups = [v for v in ents.values() if len(v) > 1]
    print("\nentities with duplicates: %d" % len(groups))
    for g in rnd.sample(groups, min(a.show, len(groups))):
        print("--- entity", g[0]["entity_id"])
        for rec in g:
            rows = data[(rec["file"], rec["sheet"])]
            print("  %-28s %-6s r%-6s %-30s %s" % (rec["file"][:28], rec["sheet"][:6], rec["row"], rec["kinds"] or "(first)",
                                                 [v for v in rows[int(rec["row"]) - 1] if v not in (None, "")]))
    print("\nOK" if bad == 0 else "\nPROBLEMS: %d" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
