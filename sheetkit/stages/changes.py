"""What changed for each customer since the previous run: the Changes sheet.

One row per change: a customer that is ``new`` or ``gone``, one ``merged`` into another
or ``split`` off one (from ``identity.id_changes``), a field whose value ``changed``,
and a value ``tier`` that moved. Whole columns are compared at once, so a million
customers take seconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import columns as C
from ..values.text import isin

CHANGE_COLUMNS = [C.CUSTOMER_ID, "change", "field", "before", "after", "source"]
CHANGE_KINDS = ("new", "gone", "changed", "merged", "split", "tier")
# The fields whose change a person wants to see; the archive keeps them for each run.
COMPARED = [C.NAME, C.PHONE, C.EMAIL, C.COMPANY, C.ADDRESS, C.OWNER, "lifecycle"]
TIER = "value_tier"
KEPT = [C.CUSTOMER_ID, *COMPARED, TIER, "health_score", "sources"]  # per customer, in the archive


def find_changes(before: pd.DataFrame, after: pd.DataFrame, id_changes: pd.DataFrame) -> pd.DataFrame:
    """The changes from the customers ``before`` to those ``after`` (both with customer_id
    and any of ``KEPT``); ``id_changes`` says which IDs were merged or split off.

    >>> b = pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["张三", "李四"], "value_tier": ["A", "B"]})
    >>> a = pd.DataFrame({"customer_id": ["C1", "C3"], "name": ["张三丰", "王五"], "value_tier": ["B", "C"]})
    >>> find_changes(b, a, pd.DataFrame(columns=["previous_customer_id", "customer_id", "change", "records"])
    ...              )[["customer_id", "change", "before", "after"]].values.tolist()
    [['C1', 'changed', '张三', '张三丰'], ['C1', 'tier', 'A', 'B'], ['C2', 'gone', '李四', None], ['C3', 'new', None, '王五']]
    """
    before, after = _text(before), _text(after)
    was, now = before[C.CUSTOMER_ID], after[C.CUSTOMER_ID]
    split_off = id_changes[id_changes["change"] == "split off"]
    merged = id_changes[id_changes["change"] == "merged into"].drop_duplicates("previous_customer_id")
    parts = []
    new = after[~isin(now, was) & ~isin(now, split_off[C.CUSTOMER_ID])]
    parts.append(_rows(new, "new", None, None, new[C.NAME]))
    gone = before[~isin(was, now) & ~isin(was, merged["previous_customer_id"])]
    parts.append(_rows(gone, "gone", None, gone[C.NAME], None))
    source = after.set_index(C.CUSTOMER_ID)["sources"]
    for kind, moves in (("merged", merged), ("split", split_off.drop_duplicates(C.CUSTOMER_ID))):
        parts.append(pd.DataFrame({C.CUSTOMER_ID: moves[C.CUSTOMER_ID].to_numpy(), "change": kind, "field": None,
                                   "before": moves["previous_customer_id"].to_numpy(),
                                   "after": moves[C.CUSTOMER_ID].to_numpy(),
                                   "source": source.reindex(moves[C.CUSTOMER_ID]).to_numpy()}))
    both = before.merge(after, on=C.CUSTOMER_ID, suffixes=("_b", "_a"))
    for col in [*COMPARED, TIER]:
        b, a = both[f"{col}_b"], both[f"{col}_a"]
        differ = (b.fillna("\x00") != a.fillna("\x00")).to_numpy()
        rows = both[differ]
        parts.append(_rows(rows, "tier" if col == TIER else "changed", col, b[differ], a[differ], "sources_a"))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if out is None:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    order = {k: i for i, k in enumerate(("changed", "tier", "merged", "split", "gone", "new"))}
    out["_k"] = out["change"].map(order)
    return out.sort_values([C.CUSTOMER_ID, "_k"], kind="stable")[CHANGE_COLUMNS].reset_index(drop=True)


def tier_moves(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The value-tier movement matrix: customers by tier before (rows) and after (columns);
    new customers come from "(new)", gone ones go to "(gone)"."""
    b = _text(before).set_index(C.CUSTOMER_ID)[TIER].fillna("(none)")
    a = _text(after).set_index(C.CUSTOMER_ID)[TIER].fillna("(none)")
    b, a = b[~b.index.duplicated()], a[~a.index.duplicated()]
    pairs = pd.DataFrame({"from": b.reindex(a.index.union(b.index)).fillna("(new)"),
                          "to": a.reindex(a.index.union(b.index)).fillna("(gone)")})
    return pd.crosstab(pairs["from"], pairs["to"])


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """``KEPT`` as text (dates as yyyy-mm-dd, numbers as written), missing ones empty."""
    out = pd.DataFrame(index=frame.index)
    for col in KEPT:
        values = frame[col] if col in frame.columns else pd.Series(None, index=frame.index, dtype=object)
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime("%Y-%m-%d")
        out[col] = values.astype("string").astype(object).where(values.notna(), None)
    return out.reset_index(drop=True)


def _rows(frame: pd.DataFrame, change: str, field: str | None, before, after, source: str = "sources") -> pd.DataFrame:
    def values(v):
        return np.full(len(frame), None, dtype=object) if v is None else np.asarray(v, dtype=object)

    return pd.DataFrame({C.CUSTOMER_ID: frame[C.CUSTOMER_ID].to_numpy(), "change": change, "field": field,
                         "before": values(before), "after": values(after), "source": frame[source].to_numpy()})
