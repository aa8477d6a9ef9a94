"""What changed for each customer since the previous run: the Changes sheet.

One row per change: a customer that is ``new`` or ``gone``, one ``merged`` into another
or ``split`` off one (from ``identity.id_changes``), a field whose value ``changed``,
and a value ``tier`` that moved. Whole columns are compared at once, so a million
customers take seconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import columns as C
from ..values.text import arrow_text

CHANGE_COLUMNS = [C.CUSTOMER_ID, "change", "field", "before", "after", "source"]
CHANGE_KINDS = ("new", "gone", "changed", "merged", "split", "tier")
# The fields whose change a person wants to see; the archive keeps them for each run.
COMPARED = [C.NAME, C.PHONE, C.EMAIL, C.COMPANY, C.ADDRESS, C.OWNER, "lifecycle"]
TIER = "value_tier"
KEPT = [C.CUSTOMER_ID, *COMPARED, TIER, "health_score", "sources"]  # per customer, in the archive


def find_changes(before: pd.DataFrame, after: pd.DataFrame, id_changes: pd.DataFrame) -> pd.DataFrame:
    """The changes from the customers ``before`` to those ``after`` (both with customer_id
    and any of ``KEPT``); ``id_changes`` says which IDs were merged or split off. Each is
    read a column at a time (``before`` may be ``archive.ArchivedCustomers``).

    >>> b = pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["张三", "李四"], "value_tier": ["A", "B"]})
    >>> a = pd.DataFrame({"customer_id": ["C1", "C3"], "name": ["张三丰", "王五"], "value_tier": ["B", "C"]})
    >>> find_changes(b, a, pd.DataFrame(columns=["previous_customer_id", "customer_id", "change", "records"])
    ...              )[["customer_id", "change", "before", "after"]].values.tolist()
    [['C1', 'changed', '张三', '张三丰'], ['C1', 'tier', 'A', 'B'], ['C2', 'gone', '李四', None], ['C3', 'new', None, '王五']]
    """
    # All as Arrow text, aligned by pc.index_in: a value becomes a Python string only where a
    # change lists it (a million customers each side, most of them unchanged).
    was, now = _text(before, C.CUSTOMER_ID), _text(after, C.CUSTOMER_ID)
    split_off = id_changes[id_changes["change"] == "split off"]
    merged = id_changes[id_changes["change"] == "merged into"].drop_duplicates("previous_customer_id")
    sources = _text(after, "sources")
    b_of_a = _positions(now, was)  # where each customer now was before (-1: not there)
    parts = []
    new = (b_of_a < 0) & ~_among(now, split_off[C.CUSTOMER_ID])
    parts.append(_rows(_pick(now, new), "new", None, None, _pick(_text(after, C.NAME), new), _pick(sources, new)))
    gone = (_positions(was, now) < 0) & ~_among(was, merged["previous_customer_id"])
    parts.append(_rows(_pick(was, gone), "gone", None, _pick(_text(before, C.NAME), gone), None,
                       _pick(_text(before, "sources"), gone)))
    for kind, moves in (("merged", merged), ("split", split_off.drop_duplicates(C.CUSTOMER_ID))):
        ids = moves[C.CUSTOMER_ID].to_numpy(dtype=object)
        at = _positions(arrow_text(moves[C.CUSTOMER_ID]), now)
        parts.append(_rows(ids, kind, None, moves["previous_customer_id"].to_numpy(dtype=object), ids,
                           _pick(sources, at)))
    # Field by field, aligned on the customers both runs have: one column of each in memory at a
    # time, compared as Arrow text (equal, or both empty).
    a_pos = np.flatnonzero(b_of_a >= 0)
    b_pos = b_of_a[a_pos]
    for col in [*COMPARED, TIER]:
        b = _text(before, col).take(b_pos)
        a = _text(after, col).take(a_pos)
        same = pc.or_(pc.fill_null(pc.equal(b, a), False), pc.and_(pc.is_null(b), pc.is_null(a)))
        differ = ~same.to_numpy(zero_copy_only=False)
        parts.append(_rows(_pick(now, a_pos[differ]), "tier" if col == TIER else "changed", col, _pick(b, differ),
                           _pick(a, differ), _pick(sources, a_pos[differ])))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    order = {k: i for i, k in enumerate(("changed", "tier", "merged", "split", "gone", "new"))}
    out["_k"] = out["change"].map(order)
    return out.sort_values([C.CUSTOMER_ID, "_k"], kind="stable")[CHANGE_COLUMNS].reset_index(drop=True)


def tier_moves(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The value-tier movement matrix: customers by tier before (rows) and after (columns);
    new customers come from "(new)", gone ones go to "(gone)"."""
    b_ids, a_ids = _text(before, C.CUSTOMER_ID), _text(after, C.CUSTOMER_ID)
    b_tier = pc.fill_null(_text(before, TIER), "(none)")
    a_tier = pc.fill_null(_text(after, TIER), "(none)")
    # every customer once (its first row), those after and then those only before
    a_first = _positions(a_ids, a_ids) == np.arange(len(a_ids))
    b_only = (_positions(b_ids, b_ids) == np.arange(len(b_ids))) & (_positions(b_ids, a_ids) < 0)
    b_at = _positions(a_ids.filter(pa.array(a_first)), b_ids)
    tier_from = np.concatenate([np.where(b_at >= 0, _pick(b_tier, b_at), "(new)"), _pick(b_tier, b_only)])
    tier_to = np.concatenate([_pick(a_tier, a_first), np.full(int(b_only.sum()), "(gone)", dtype=object)])
    return pd.crosstab(pd.Series(tier_from, name="from", dtype=object), pd.Series(tier_to, name="to", dtype=object))


def _text(frame: pd.DataFrame, col: str) -> pa.Array:
    """One column as Arrow text (dates as yyyy-mm-dd; missing: null; a column the frame
    lacks: all null), made without a Python object per value."""
    if col not in frame.columns:
        return pa.nulls(len(frame), pa.large_string())
    values = frame[col]
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.strftime("%Y-%m-%d")
    if values.dtype.kind == "f":  # numbers as written (12, not 12.0); no compared column is one
        text = values.map(lambda v: None if pd.isna(v) else f"{v:g}")
        return pa.array(text.to_numpy(dtype=object), pa.large_string())
    return arrow_text(values)


def _positions(values: pa.Array, among: pa.Array) -> np.ndarray:
    """Each value's first position in ``among`` (-1: not there)."""
    return pc.fill_null(pc.index_in(values, value_set=among), -1).to_numpy(zero_copy_only=False).astype("int64")


def _among(values: pa.Array, ids: pd.Series) -> np.ndarray:
    return pc.is_in(values, value_set=arrow_text(ids)).to_numpy(zero_copy_only=False)


def _pick(values: pa.Array, which: np.ndarray) -> np.ndarray:
    """The values a mask or positions (-1: none) pick, as Python objects (None: missing)."""
    which = np.asarray(which)
    if which.dtype == bool:
        return values.filter(pa.array(which)).to_numpy(zero_copy_only=False)
    return values.take(pa.array(which, mask=which < 0)).to_numpy(zero_copy_only=False)


def _rows(ids, change: str, field: str | None, before, after, source) -> pd.DataFrame:
    n = len(ids)

    def values(v):
        return np.full(n, None, dtype=object) if v is None else np.asarray(v, dtype=object)

    return pd.DataFrame({C.CUSTOMER_ID: np.asarray(ids, dtype=object), "change": change, "field": field,
                         "before": values(before), "after": values(after), "source": values(source)})
