"""People's decisions across runs: read from last week's output, kept in a ledger, applied.

A person decides in the previous run's workbook:

- in ``Review``, the ``decision`` of a pair: same or different (同一客户 / 不同, yes / no);
- in ``Lineage``, ``split`` on a row that should not be part of its customer: one
  decision, applied as "different" from each other record of that customer;
- in ``Decisions``, the ledger of every decision so far: a decision can be changed
  there, or cleared to withdraw it.

``recall`` turns all of it into one ledger for this run (one row per decision a person
made, with the day and the OS user), finds every previous record again at once
(``identity.locate``: content first, each row claimed once) and maps each decided
record through that, so a decision lands on its own two rows or on none. It gives
dedupe the pairs as record positions. Where a pair was decided more than once, the
latest decision wins (on the same day, the one read from Review or Lineage, then
"different").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import columns as C
from ..values.text import ARROW_TEXT, arrow_text, isin
from .identity import FIELD_HASHES, IDENTITY, RECORD_KEY, locate, whole_rows

SAME, DIFFERENT, SPLIT = "same", "different", "split"
# What people may type, as read after NFKC, strip and lower-case; the order is the
# dropdown's (``choices``): the word itself, then Chinese, then the short forms.
_SPELLINGS = {
    SAME: ("same", "同一客户", "是", "同一个客户", "同一人", "同一", "相同", "合并", "yes", "y", "true"),
    DIFFERENT: ("different", "不同", "否", "不同客户", "不是", "不是同一客户", "不同的客户", "diff", "no", "n", "false"),
    SPLIT: ("split", "拆分", "拆开", "分开", "分离"),
}
_SIDES = ("left", "right")
DECISION_COLUMNS = (["decision", "decided_on", "origin", "applied", "left_customer_id", "right_customer_id",
                     "left_name", "right_name"]
                    + [f"{side}_{c}" for side in _SIDES for c in (*C.PROVENANCE, RECORD_KEY)]
                    + ["decided_by", "decision_id"])
_SOURCE_TEXT = r"^(?P<source_file>.*) › (?P<source_sheet>.*) › row (?P<source_row>\d+)$"


@dataclass
class Recalled:
    """What a previous run tells this one."""

    pairs: pd.DataFrame       # left, right (record positions), decision: for find_duplicates
    ledger: pd.DataFrame      # every decision so far, with _left/_right positions (-1: not found)
    previous: pd.DataFrame    # per record: customer_id to keep (none for split rows), main, previous_customer_id
    unread: list[str]         # decision cells that were not understood, "sheet row N: 'text'"


def parse_decisions(values: pd.Series, allowed: tuple[str, ...]) -> pd.Series:
    """Canonical decisions (same / different / split) from what people type; None for empty
    cells, "?" for text that is none of ``allowed``.

    >>> parse_decisions(pd.Series(["同一客户", " Yes", "否", "", None, "maybe"]), (SAME, DIFFERENT)).tolist()
    ['same', 'same', 'different', None, None, '?']
    """
    text = values.astype("string").str.normalize("NFKC").str.strip().str.lower()  # full-width Ｙｅｓ too
    out = pd.Series("?", index=values.index, dtype=object)
    for decision in allowed:
        out[text.isin(_SPELLINGS[decision]).fillna(False).to_numpy(dtype=bool)] = decision
    return out.where(text.fillna("").ne("").to_numpy(), None)


def choices(allowed: tuple[str, ...]) -> list[str]:
    """Every spelling ``parse_decisions`` understands for ``allowed``, for a dropdown:
    the decisions' own words first, then their other spellings taken in turn.

    >>> choices((SAME, DIFFERENT))[:4]
    ['same', 'different', '同一客户', '不同']
    """
    words = [_SPELLINGS[d] for d in allowed]
    return [w[i] for i in range(max(map(len, words))) for w in words if i < len(w)]


def recall(lineage: pd.DataFrame, review: pd.DataFrame, decisions: pd.DataFrame,
           current: pd.DataFrame, decided_on: str, decided_by: str | None = None) -> Recalled:
    """The previous run's decisions and customer IDs, mapped onto this run's records.

    Args:
        lineage: the previous run's records: identity, customer_id, outcome, and the
            ``decision`` people typed (split); with ``identity.FIELD_HASHES`` columns when
            read from the archive. record_key may be missing in old outputs.
        review: the previous Review sheet with the decisions people filled in.
        decisions: the ledger so far (one row per decision; may carry ``decided_by`` and
            ``decision_id``).
        current: this run's records' identity: record_key, source columns (and field
            hashes), by position.
        decided_on: the day decisions read for the first time were made (today, not as-of).
        decided_by: who made them (the OS user of the run that reads them).
    """
    unread: list[str] = []
    rows = lineage[lineage[C.CUSTOMER_ID].notna()].reset_index(drop=True) \
        if not lineage.empty and C.CUSTOMER_ID in lineage.columns else pd.DataFrame(columns=[*IDENTITY, C.CUSTOMER_ID])
    ident = _side_frame(rows.add_prefix("x_"), "x")
    for h in FIELD_HASHES.values():
        if h in rows.columns:
            ident[h] = rows[h].to_numpy()
    at = locate(ident, current) if len(rows) else np.empty(0, dtype="int64")  # every previous record at once
    fresh = pd.concat([_from_review(review, unread), _from_lineage(lineage, unread)], ignore_index=True)
    fresh = fresh.assign(decided_on=decided_on, decided_by=decided_by, _fresh=True)
    ledger = pd.concat([_carried(decisions, unread), fresh], ignore_index=True)
    ledger = _locate_sides(ledger, current, ident, at)
    ledger = _latest_per_pair(ledger)
    ledger = _with_ids(ledger)
    pairs = _pairs(ledger, rows, at)
    return Recalled(pairs, ledger, _previous_customers(rows, at, ledger, len(current)), unread)


def _pairs(ledger: pd.DataFrame, rows: pd.DataFrame, at: np.ndarray) -> pd.DataFrame:
    """The record pairs dedupe must respect: each decided pair, and each split row against
    every other record its customer had in the previous run."""
    plain = ledger["decision"].ne(SPLIT).to_numpy()
    both = plain & (ledger["_left"] >= 0).to_numpy() & (ledger["_right"] >= 0).to_numpy() \
        & (ledger["_left"] != ledger["_right"]).to_numpy()
    pairs = pd.DataFrame({"left": ledger["_left"].to_numpy()[both], "right": ledger["_right"].to_numpy()[both],
                          "decision": ledger["decision"].to_numpy()[both]})
    return pd.concat([pairs, _split_pairs(ledger, rows, at)], ignore_index=True)


def _split_pairs(ledger: pd.DataFrame, rows: pd.DataFrame, at: np.ndarray) -> pd.DataFrame:
    split = ledger[ledger["decision"].eq(SPLIT).to_numpy() & (ledger["_left"] >= 0).to_numpy()]
    if split.empty:
        return pd.DataFrame(columns=["left", "right", "decision"])
    members = pd.DataFrame({"right_customer_id": rows[C.CUSTOMER_ID].to_numpy(), "right": at})
    members = members[members["right"] >= 0]
    out = split[["_left", "right_customer_id"]].rename(columns={"_left": "left"}).merge(members, on="right_customer_id")
    out = out[out["left"] != out["right"]]
    return out[["left", "right"]].assign(decision=DIFFERENT)


def _with_ids(ledger: pd.DataFrame) -> pd.DataFrame:
    """A stable ``decision_id`` for each decision that has none yet (read for the first time)."""
    if ledger.empty:
        return ledger
    missing = ledger["decision_id"].isna() if "decision_id" in ledger.columns else pd.Series(True, index=ledger.index)
    text = ledger.loc[missing, ["decision", "decided_on", "origin"] + [f"{s}_{c}" for s in _SIDES for c in IDENTITY]]
    text = text.astype("string").fillna("").agg("|".join, axis=1)
    ledger.loc[missing, "decision_id"] = text.map(
        lambda t: "D" + hashlib.sha1(t.encode("utf-8")).hexdigest()[:10].upper())
    return ledger


def _side_frame(frame: pd.DataFrame, side: str) -> pd.DataFrame:
    """One side's identity columns, renamed to the plain identity names."""
    cols = {f"{side}_{c}": c for c in IDENTITY}
    out = pd.DataFrame({c: frame[k] if k in frame.columns else None for k, c in cols.items()}, index=frame.index)
    text = frame.get(f"{side}_source")
    if text is not None and out[C.SOURCE_FILE].isna().all():  # Review names places as "file › sheet › row N"
        out[C.PROVENANCE] = text.astype("string").str.extract(_SOURCE_TEXT).to_numpy()
    return out


def _with_sides(frame: pd.DataFrame, left: pd.DataFrame, right: pd.DataFrame, **columns) -> pd.DataFrame:
    out = pd.DataFrame(columns, index=frame.index)
    for side, ident in (("left", left), ("right", right)):
        for c in IDENTITY:
            out[f"{side}_{c}"] = ident[c].to_numpy()
    return out


def _note_unread(parsed: pd.Series, raw: pd.Series, sheet: str, unread: list[str]) -> None:
    for i in np.flatnonzero(parsed.eq("?").to_numpy()):  # only the cells people got wrong
        unread.append(f"{sheet} row {i + 2}: {raw.iat[i]!r}")


def _from_review(review: pd.DataFrame, unread: list[str]) -> pd.DataFrame:
    if review.empty or "decision" not in review.columns:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    parsed = parse_decisions(review["decision"], (SAME, DIFFERENT))
    _note_unread(parsed, review["decision"], "Review", unread)
    done = parsed.isin([SAME, DIFFERENT]).to_numpy()
    rows = review[done]
    out = _with_sides(rows, _side_frame(rows, "left"), _side_frame(rows, "right"), decision=parsed[done].to_numpy(),
                      origin=("Review " + rows.get("pair_id", pd.Series("", index=rows.index)).fillna("")).to_numpy())
    for side in _SIDES:
        out[f"{side}_name"] = rows.get(f"{side}_name")
    return out


def _from_lineage(lineage: pd.DataFrame, unread: list[str]) -> pd.DataFrame:
    """A row marked split is one decision: it is not part of its customer (right_customer_id)."""
    if lineage.empty or "decision" not in lineage.columns:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    parsed = parse_decisions(lineage["decision"], (SPLIT, DIFFERENT))
    _note_unread(parsed, lineage["decision"], "Lineage", unread)
    split = parsed.isin([SPLIT, DIFFERENT]).to_numpy() & lineage[C.CUSTOMER_ID].notna().to_numpy()
    rows = lineage[split]
    ident = _side_frame(rows.add_prefix("x_"), "x")
    out = pd.DataFrame({"decision": SPLIT, "origin": "Lineage split from " + rows[C.CUSTOMER_ID].astype(str),
                        "right_customer_id": rows[C.CUSTOMER_ID]}, index=rows.index)
    for c in IDENTITY:
        out[f"left_{c}"] = ident[c].to_numpy()
    return out.reset_index(drop=True)


def _carried(decisions: pd.DataFrame, unread: list[str]) -> pd.DataFrame:
    """The ledger as the previous run wrote it (and the person may have edited it)."""
    if decisions.empty or "decision" not in decisions.columns:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    parsed = parse_decisions(decisions["decision"], (SAME, DIFFERENT, SPLIT))
    _note_unread(parsed, decisions["decision"], "Decisions", unread)
    kept = decisions[parsed.isin([SAME, DIFFERENT, SPLIT]).to_numpy()]  # a cleared decision is withdrawn
    out = pd.DataFrame({c: kept[c] if c in kept.columns else None for c in DECISION_COLUMNS}, index=kept.index)
    out["decision"] = parsed[kept.index]
    return out.assign(_fresh=False)


def _locate_sides(ledger: pd.DataFrame, current: pd.DataFrame, previous: pd.DataFrame,
                  at: np.ndarray) -> pd.DataFrame:
    """Positions of both sides in this run (-1: not found). A side that is one of the previous
    run's records goes where that record was found (``at``), so it never takes a row another
    record claims; one that is not (a decisions file, an old ledger) is found by content only,
    unless there are no previous records at all. Found sides take this run's identity, so a
    record edited this week is still found next week."""
    ledger = ledger.reset_index(drop=True)
    if ledger.empty:  # most weeks: no decision at all, and a million previous records to index
        return ledger.assign(_left=pd.Series(dtype="int64"), _right=pd.Series(dtype="int64"))
    # Only the previous records a side names are looked up: their texts, not a million.
    wanted = pd.concat([_identity_text(_side_frame(ledger, side)) for side in _SIDES], ignore_index=True)
    texts = _identity_text(previous)
    near = isin(texts, wanted)
    known = texts[near].to_frame("_id").assign(_at=at[near]).drop_duplicates("_id")
    known_places = None  # by place alone: made once, for the first side that needs it
    for side in _SIDES:
        ident = _side_frame(ledger, side)
        pos = ident.drop(columns=ident.columns).assign(_id=_identity_text(ident)).merge(
            known, on="_id", how="left")["_at"].to_numpy(dtype=float).copy()
        placed = np.isnan(pos) & ident[RECORD_KEY].isna().to_numpy()  # a file naming rows by place only
        if placed.any():
            if known_places is None:
                places = _identity_text(previous.assign(**{RECORD_KEY: None}))
                known_places = places.to_frame("_id").assign(_at=at).drop_duplicates("_id")
            by_place = _identity_text(ident[placed].assign(**{RECORD_KEY: None}))
            pos[placed] = by_place.to_frame("_id").merge(
                known_places, on="_id", how="left")["_at"].to_numpy(dtype=float)
        stranger = np.isnan(pos) & ident[[RECORD_KEY, C.SOURCE_ROW]].notna().any(axis=1).to_numpy()
        if stranger.any():
            pos[stranger] = locate(ident[stranger], current, by_place=previous.empty)
        pos = np.nan_to_num(pos, nan=-1).astype("int64")
        ledger[f"_{side}"] = pos
        found = pos >= 0
        for c in IDENTITY:
            ledger.loc[found, f"{side}_{c}"] = current[c].to_numpy()[pos[found]]
    return ledger


def _identity_text(ident: pd.DataFrame) -> pd.Series:
    """One text per identity (key, file, sheet, row as a whole number), to look records up by."""
    row = whole_rows(ident[C.SOURCE_ROW]).astype("string")
    return (ident[RECORD_KEY].astype("string").fillna("") + "\x00" + ident[C.SOURCE_FILE].astype("string").fillna("")
            + "\x00" + ident[C.SOURCE_SHEET].astype("string").fillna("") + "\x00" + row.fillna(""))


def _latest_per_pair(ledger: pd.DataFrame) -> pd.DataFrame:
    """One decision per pair of records: the latest (then fresh, then different)."""
    if ledger.empty:
        return ledger.assign(_pair=pd.Series(dtype=object))
    ident = {side: _side_frame(ledger, side).astype("string").fillna("").agg("|".join, axis=1) for side in _SIDES}
    ident["right"] = ident["right"].where(ledger["decision"].ne(SPLIT), "split " + ledger["right_customer_id"].astype(str))
    first = ident["left"] < ident["right"]
    lo, hi = ident["left"].where(first, ident["right"]), ident["right"].where(first, ident["left"])
    found = (ledger["_left"] >= 0) & (ledger["_right"] >= 0)
    a, b = np.minimum(ledger["_left"], ledger["_right"]), np.maximum(ledger["_left"], ledger["_right"])
    ledger["_pair"] = np.where(found, "p" + a.astype(str) + "-" + b.astype(str), "i" + lo + "~" + hi)
    ledger["_different"] = ledger["decision"].eq(DIFFERENT)
    ledger = ledger.sort_values(["decided_on", "_fresh", "_different"], ascending=False, kind="stable",
                                na_position="last")
    return ledger.drop_duplicates("_pair").drop(columns="_different").sort_index().reset_index(drop=True)


def _previous_customers(rows: pd.DataFrame, at: np.ndarray, ledger: pd.DataFrame, n: int) -> pd.DataFrame:
    """Per current record: the customer it belonged to last run, whether it was that
    customer's main record, and the ID it votes for (none when a person split it off)."""
    out = pd.DataFrame({C.CUSTOMER_ID: None, "main": False, "previous_customer_id": None}, index=range(n))
    if rows.empty:
        return out
    found = at >= 0
    # Which previous record each current one is (-1: none): the IDs are taken as Arrow text,
    # not a Python string per record (a million of them live through dedupe).
    source = np.full(n, -1, dtype="int64")
    source[at[found]] = np.flatnonzero(found)
    taken = arrow_text(rows[C.CUSTOMER_ID]).take(pa.array(source, mask=source < 0))
    ids = pd.Series(ARROW_TEXT.__from_arrow__(taken))
    main = np.zeros(n, bool)
    if "outcome" in rows.columns:
        main[at[found]] = rows["outcome"].isin(["kept", "review"]).to_numpy()[found]
    vote = ids
    split = ledger[ledger["decision"].eq(SPLIT).to_numpy() & (ledger["_left"] >= 0).to_numpy()]
    if len(split):  # a row split off the customer it still belonged to: no vote for that ID
        pos = split["_left"].to_numpy()
        off = ids.to_numpy(dtype=object)[pos] == split["right_customer_id"].to_numpy(dtype=object)
        vote = ids.copy()
        vote.iloc[pos[off]] = None
    return pd.DataFrame({C.CUSTOMER_ID: vote, "main": main, "previous_customer_id": ids})


def decisions_sheet(ledger: pd.DataFrame, cluster: pd.Series, ids: pd.Series, names: pd.Series) -> pd.DataFrame:
    """The ledger as written to the output: whether each decision holds this run, and the
    customers and names of its records as they are now."""
    if ledger.empty:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    out = ledger.copy()
    c = cluster.to_numpy()
    left, right = out["_left"].to_numpy(), out["_right"].to_numpy()
    split = out["decision"].eq(SPLIT).to_numpy()
    found = (left >= 0) & ((right >= 0) | split)
    together = np.zeros(len(out), bool)
    pair = found & ~split
    together[pair] = c[left[pair]] == c[right[pair]]
    if split.any():  # a split holds when its row is with none of its former customer's records
        alone = pd.Series(ids.to_numpy(dtype=object)[np.maximum(left, 0)], index=out.index)
        together[split & found] = (alone == out["right_customer_id"]).to_numpy()[split & found]
    holds = np.where(out["decision"].eq(SAME), together, ~together)
    out["applied"] = np.select([~found, holds], ["no: a record is no longer in the input", "yes"],
                               "no: another decision says different")
    was = out["right_customer_id"].copy()
    for side, pos in (("left", left), ("right", right)):
        ok = pos >= 0
        out[f"{side}_customer_id"] = was.where(split, None) if side == "right" else None
        out.loc[ok, f"{side}_customer_id"] = ids.to_numpy(dtype=object)[pos[ok]]
        out.loc[ok, f"{side}_name"] = names.to_numpy(dtype=object)[pos[ok]]
    out["_order"] = np.where(out["_fresh"].fillna(False).astype(bool), 1, 0)
    out = out.sort_values(["_order", "decided_on"], kind="stable")  # the ledger's order, new ones last
    out[[f"{s}_{C.SOURCE_ROW}" for s in _SIDES]] = out[[f"{s}_{C.SOURCE_ROW}" for s in _SIDES]].apply(
        lambda s: pd.to_numeric(s, errors="coerce").astype("Int64"))
    return out[DECISION_COLUMNS].reset_index(drop=True)
