"""People's decisions across runs: read from last week's output, kept in a ledger, applied.

A person decides in the previous run's workbook:

- in ``Review``, the ``decision`` of a pair: same or different (同一客户 / 不同, yes / no);
- in ``Lineage``, ``split`` on a row that should not be part of its customer: the record
  is then decided different from each other record of that customer;
- in ``Decisions``, the ledger of every decision so far: a decision can be changed
  there, or cleared to withdraw it.

``recall`` turns all of it into one ledger for this run, finds each decided record
again (``identity.locate``: by content, then by place) and gives dedupe the pairs as
record positions. Where a pair was decided more than once, the latest decision wins
(on the same day, the one read from Review or Lineage, then "different").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import columns as C
from .identity import IDENTITY, RECORD_KEY, locate

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
                    + [f"{side}_{c}" for side in _SIDES for c in (*C.PROVENANCE, RECORD_KEY)])
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
           current: pd.DataFrame, as_of: pd.Timestamp) -> Recalled:
    """The previous run's decisions and customer IDs, mapped onto this run's records.

    Args:
        lineage: the previous Lineage sheet (record_key may be missing in old outputs).
        review: the previous Review sheet with the decisions people filled in.
        decisions: the previous Decisions sheet (the ledger).
        current: this run's records' identity: record_key and source columns, by position.
        as_of: this run's date, the ``decided_on`` of decisions read for the first time.
    """
    unread: list[str] = []
    fresh = pd.concat([_from_review(review, unread), _from_lineage(lineage, unread)], ignore_index=True)
    fresh = fresh.assign(decided_on=as_of.strftime("%Y-%m-%d"), _fresh=True)
    ledger = pd.concat([_carried(decisions, unread), fresh], ignore_index=True)
    ledger = _locate_sides(ledger, current)
    ledger = _latest_per_pair(ledger)
    both = (ledger["_left"] >= 0) & (ledger["_right"] >= 0) & (ledger["_left"] != ledger["_right"])
    pairs = pd.DataFrame({"left": ledger.loc[both, "_left"].to_numpy(), "right": ledger.loc[both, "_right"].to_numpy(),
                          "decision": ledger.loc[both, "decision"].to_numpy()})
    return Recalled(pairs, ledger, _previous_customers(lineage, current), unread)


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
    """A row marked split is decided different from every other (unmarked) row of its customer."""
    if lineage.empty or "decision" not in lineage.columns:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    parsed = parse_decisions(lineage["decision"], (SPLIT, DIFFERENT))
    _note_unread(parsed, lineage["decision"], "Lineage", unread)
    split = parsed.isin([SPLIT, DIFFERENT]).to_numpy() & lineage[C.CUSTOMER_ID].notna().to_numpy()
    ident = _side_frame(lineage.add_prefix("x_"), "x").assign(**{C.CUSTOMER_ID: lineage[C.CUSTOMER_ID]})
    pairs = ident[split].merge(ident[~split & ident[C.CUSTOMER_ID].notna().to_numpy()], on=C.CUSTOMER_ID,
                               suffixes=("_l", "_r"))
    out = pd.DataFrame({"decision": DIFFERENT, "origin": "Lineage split from " + pairs[C.CUSTOMER_ID].astype(str)},
                       index=pairs.index)
    for side, suffix in (("left", "_l"), ("right", "_r")):
        for c in IDENTITY:
            out[f"{side}_{c}"] = pairs[c + suffix].to_numpy()
    return out


def _carried(decisions: pd.DataFrame, unread: list[str]) -> pd.DataFrame:
    """The ledger as the previous run wrote it (and the person may have edited it)."""
    if decisions.empty or "decision" not in decisions.columns:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    parsed = parse_decisions(decisions["decision"], (SAME, DIFFERENT))
    _note_unread(parsed, decisions["decision"], "Decisions", unread)
    kept = decisions[parsed.isin([SAME, DIFFERENT]).to_numpy()]  # a cleared decision is withdrawn
    out = pd.DataFrame({c: kept[c] if c in kept.columns else None for c in DECISION_COLUMNS}, index=kept.index)
    out["decision"] = parsed[kept.index]
    return out.assign(_fresh=False)


def _locate_sides(ledger: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Positions of both sides in this run (-1: not found); found sides take this run's identity,
    so a record edited this week is still found next week."""
    ledger = ledger.reset_index(drop=True)
    for side in _SIDES:
        ident = _side_frame(ledger, side)
        pos = locate(ident, current) if len(ledger) else np.empty(0, dtype="int64")
        ledger[f"_{side}"] = pos
        found = pos >= 0
        for c in IDENTITY:
            ledger.loc[found, f"{side}_{c}"] = current[c].to_numpy()[pos[found]]
    return ledger


def _latest_per_pair(ledger: pd.DataFrame) -> pd.DataFrame:
    """One decision per pair of records: the latest (then fresh, then different)."""
    if ledger.empty:
        return ledger.assign(_pair=pd.Series(dtype=object))
    ident = {side: _side_frame(ledger, side).astype("string").fillna("").agg("|".join, axis=1) for side in _SIDES}
    first = ident["left"] < ident["right"]
    lo, hi = ident["left"].where(first, ident["right"]), ident["right"].where(first, ident["left"])
    found = (ledger["_left"] >= 0) & (ledger["_right"] >= 0)
    a, b = np.minimum(ledger["_left"], ledger["_right"]), np.maximum(ledger["_left"], ledger["_right"])
    ledger["_pair"] = np.where(found, "p" + a.astype(str) + "-" + b.astype(str), "i" + lo + "~" + hi)
    ledger["_different"] = ledger["decision"].eq(DIFFERENT)
    ledger = ledger.sort_values(["decided_on", "_fresh", "_different"], ascending=False, kind="stable",
                                na_position="last")
    return ledger.drop_duplicates("_pair").drop(columns="_different").sort_index().reset_index(drop=True)


def _previous_customers(lineage: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Per current record: the customer it belonged to last run, whether it was that
    customer's main record, and the ID it votes for (none when a person split it off)."""
    out = pd.DataFrame({C.CUSTOMER_ID: None, "main": False, "previous_customer_id": None},
                       index=range(len(current)))
    if lineage.empty or C.CUSTOMER_ID not in lineage.columns:
        return out
    rows = lineage[lineage[C.CUSTOMER_ID].notna()]
    ident = _side_frame(rows.add_prefix("x_"), "x")
    pos = locate(ident, current)
    found = pos >= 0
    split = parse_decisions(rows["decision"], (SPLIT, DIFFERENT)).isin([SPLIT, DIFFERENT]).to_numpy() \
        if "decision" in rows.columns else np.zeros(len(rows), bool)
    ids = rows[C.CUSTOMER_ID].to_numpy(dtype=object)
    out.loc[pos[found], "previous_customer_id"] = ids[found]
    out.loc[pos[found & ~split], C.CUSTOMER_ID] = ids[found & ~split]
    out.loc[pos[found], "main"] = rows["outcome"].isin(["kept", "review"]).to_numpy()[found] \
        if "outcome" in rows.columns else False
    return out


def decisions_sheet(ledger: pd.DataFrame, cluster: pd.Series, ids: pd.Series, names: pd.Series) -> pd.DataFrame:
    """The ledger as written to the output: whether each decision holds this run, and the
    customers and names of its records as they are now."""
    if ledger.empty:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    out = ledger.copy()
    c = cluster.to_numpy()
    left, right = out["_left"].to_numpy(), out["_right"].to_numpy()
    found = (left >= 0) & (right >= 0)
    together = np.zeros(len(out), bool)
    together[found] = c[left[found]] == c[right[found]]
    holds = np.where(out["decision"].eq(SAME), together, ~together)
    out["applied"] = np.select([~found, holds], ["no: a record is no longer in the input", "yes"],
                               "no: another decision says different")
    for side, pos in (("left", left), ("right", right)):
        ok = pos >= 0
        out[f"{side}_customer_id"] = None
        out.loc[ok, f"{side}_customer_id"] = ids.to_numpy(dtype=object)[pos[ok]]
        out.loc[ok, f"{side}_name"] = names.to_numpy(dtype=object)[pos[ok]]
    out["_order"] = np.where(out["_fresh"].fillna(False).astype(bool), 1, 0)
    out = out.sort_values(["_order", "decided_on"], kind="stable")  # the ledger's order, new ones last
    out[[f"{s}_{C.SOURCE_ROW}" for s in _SIDES]] = out[[f"{s}_{C.SOURCE_ROW}" for s in _SIDES]].apply(
        lambda s: pd.to_numeric(s, errors="coerce").astype("Int64"))
    return out[DECISION_COLUMNS].reset_index(drop=True)
