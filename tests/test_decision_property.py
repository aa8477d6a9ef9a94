"""The property of issue 17: a decision made on two rows is applied to those two rows, or
reported as not applicable, never to other rows, whatever a week does to the sheet
(rows inserted, deleted, edited, reordered)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetkit.stages.decisions import recall
from sheetkit.stages.identity import FIELD_HASHES, RECORD_KEY, field_hashes, record_keys

FIELDS = ["name", "phone", "email"]


def sheet(weeks_rows: list[list[dict]]) -> pd.DataFrame:
    """Records as extracted, each week's rows on a sheet of its own (W0, W1, …; rows from 2):
    the cells, then file, sheet and row, key and hashes. Values carry their week, so no
    two weeks share one."""
    frames = []
    for k, rows in enumerate(weeks_rows):
        cells = pd.DataFrame([{f: None if v is None else f"w{k}:{v}" for f, v in r.items()} for r in rows],
                             columns=FIELDS).astype(object)
        frames.append(cells.assign(source_file="a.xlsx", source_sheet=f"W{k}", source_row=np.arange(2, 2 + len(cells))))
    frame = pd.concat(frames, ignore_index=True)
    return frame.assign(**{RECORD_KEY: record_keys(frame[FIELDS])}, **field_hashes(frame[FIELDS]))


class Counter:
    def __init__(self):
        self.n = 0

    def row(self, blanks: set[str] = frozenset()) -> dict:
        """A row unlike any other: every value unique."""
        self.n += 1
        return {f: None if f in blanks else f"{f}-{self.n}" for f in FIELDS}


@st.composite
def weeks(draw):
    make = Counter()
    size = draw(st.integers(3, 14))
    week1 = [make.row(draw(st.sets(st.sampled_from(FIELDS), max_size=1))) for _ in range(size)]
    ids = list(range(size))            # which week-1 row each week-2 row descends from (None: new)
    rows = [dict(r) for r in week1]
    edited = set()
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["insert", "delete", "edit", "edit2", "move"]))
        at = draw(st.integers(0, max(len(rows) - 1, 0)))
        if op == "insert":
            rows.insert(at, make.row())
            ids.insert(at, None)
        elif not rows:
            continue
        elif op == "delete":
            del rows[at], ids[at]
        elif op.startswith("edit"):  # one cell, or two (then the row may well not be found)
            for f in draw(st.sets(st.sampled_from(FIELDS), min_size=1, max_size=1 if op == "edit" else 2)):
                rows[at][f] = f"{f}-edited-{make.row()[f]}"
            if ids[at] is not None:
                edited.add(ids[at])
        else:
            to = draw(st.integers(0, len(rows) - 1))
            rows.insert(to, rows.pop(at))
            ids.insert(to, ids.pop(at))
    pairs = draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)).filter(lambda p: p[0] < p[1]),
                          min_size=1, max_size=4, unique=True))
    return week1, rows, ids, pairs, edited


WEEKS_PER_EXAMPLE = 10  # weeks on sheets of their own, found again in one call: 300 weeks in seconds


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(weeks(), min_size=WEEKS_PER_EXAMPLE, max_size=WEEKS_PER_EXAMPLE))
def test_a_decision_lands_on_its_own_two_rows_or_on_none(all_weeks):
    before = sheet([w[0] for w in all_weeks])
    now = sheet([w[1] for w in all_weeks])
    start_before = np.cumsum([0] + [len(w[0]) for w in all_weeks])
    start_now = np.cumsum([0] + [len(w[1]) for w in all_weeks])
    lineage = before.assign(customer_id=[f"C{i}" for i in range(len(before))], outcome="kept")
    ident = ["record_key", "source_file", "source_sheet", "source_row"]
    decided = [(k, a, b) for k, w in enumerate(all_weeks) for a, b in w[3]]
    ledger = pd.DataFrame([{"decision": "same", "decided_on": "2025-01-01", "origin": f"d{i}",
                            **{f"left_{c}": before.at[start_before[k] + a, c] for c in ident},
                            **{f"right_{c}": before.at[start_before[k] + b, c] for c in ident}}
                           for i, (k, a, b) in enumerate(decided)])
    current = now[ident + list(FIELD_HASHES.values())]
    got = recall(lineage, pd.DataFrame(), ledger, current, "2025-01-08").ledger
    assert len(got) == len(decided)
    for _, d in got.iterrows():
        k, a, b = decided[int(d["origin"][1:])]
        _, _, ids, _, edited = all_weeks[k]
        descendant = {old: start_now[k] + pos for pos, old in enumerate(ids) if old is not None}
        for old, side in ((a, "left"), (b, "right")):
            pos = d[f"_{side}"]
            assert pos == -1 or pos == descendant.get(old), (
                f"week {k}: row {old} decided {side} landed on row {pos} (it is {descendant.get(old)})")
        # what this week cannot tell apart is not applied; everything else is
        if descendant.get(a) is not None and descendant.get(b) is not None and a not in edited and b not in edited:
            assert (d["_left"], d["_right"]) == (descendant[a], descendant[b]), f"week {k}: an untouched pair was lost"
