"""Builds one golden record per customer from its cluster, by survivorship rules from the config.

Each field's value comes from one of the customer's records, picked by the field's rule
(``survivorship`` in the config, ``"*"`` for every field not named):

- ``most_recent`` (the default): the record with the latest last contact, order or
  creation date; ties by source order.
- ``most_frequent``: the value most of the records hold; ties by recency.
- ``longest``: the longest value (the fullest address); ties by recency.
- ``source_priority``: the record from the most trusted source, by the config's
  ``source_priority`` patterns (the CRM export before a salesperson's sheet); ties by
  recency.

Whatever the rule, a valid phone, e-mail, gender or date beats an invalid one. Unless
given a rule, dates are facts about the customer: the latest last contact, the earliest
creation. Other distinct valid phones and e-mails are kept as alternates (``phone_2``,
``email_2``), never dropped. Order fields belong to transactions, not to the customer.
Where a customer's records disagree on a field, the record its value came from is
listed (``provenance``).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import partial
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import columns as C
from ..config import PipelineConfig
from ..parallel import run_all
from ..values.dates import iso_dates
from ..values.text import ARROW_TEXT, arrow_text
from .compare import run_starts
from .dedupe import Duplicates
from .identity import customer_ids

ORDER_FIELDS = [C.ORDER_ID, C.ORDER_DATE, C.AMOUNT, C.AMOUNT_CURRENCY]
_DATE_FIELDS = [C.LAST_CONTACT_ON, C.ORDER_DATE, C.CREATED_ON]


def source_ref(records: pd.DataFrame) -> pd.Series:
    """"file › sheet › row N" for each record, as people find it in Excel."""
    return pd.Series(pd.array(_ref_texts(records), dtype=ARROW_TEXT), index=records.index)


def _refs(records: pd.DataFrame, rows: pd.Series) -> pa.Array:
    """``source_ref`` of the records at positions ``rows`` ("?" where there is none): only
    the rows a reason names, not a text for each of a million records."""
    pos = rows.to_numpy(dtype=float)
    unknown = np.isnan(pos)
    refs = _ref_texts(records, pa.array(np.where(unknown, 0, pos).astype(np.int64)))
    return pc.if_else(pa.array(unknown), pa.scalar("?", refs.type), refs)


def _ref_texts(records: pd.DataFrame, at: pa.Array | None = None) -> pa.Array:
    """``source_ref``'s texts, of the records at positions ``at`` (all by default), made in
    Arrow: no Python string per record. A missing name reads empty."""
    def text(col: str) -> pa.Array:
        values = arrow_text(records[col])
        return pc.fill_null(values if at is None else values.take(at), "")

    return _joined(text(C.SOURCE_FILE), " › ", text(C.SOURCE_SHEET), " › row ", text(C.SOURCE_ROW))


def record_recency(records: pd.DataFrame) -> pd.Series:
    """The latest date a record carries (last contact, order, creation), NaT if none."""
    dates = [iso_dates(records[c]) for c in _DATE_FIELDS if c in records.columns]
    if not dates:
        return pd.Series(pd.NaT, index=records.index, dtype="datetime64[ns]")
    return pd.concat(dates, axis=1).max(axis=1)


def _join_per_cluster(values: pd.Series, cluster: pd.Series, sep: str = "; ") -> pd.Series:
    """Distinct values per cluster, in order, joined; only clusters with several pay for a join."""
    # Values as codes: distinct (cluster, value) pairs are found among integers, each text
    # hashed once by factorize rather than again with its cluster (sources at 1M rows: 1.0 s to 0.4 s).
    code, texts = pd.factorize(values)
    has = code >= 0  # a missing value names nothing
    frame = pd.DataFrame({"c": cluster.to_numpy()[has], "v": code[has]}).drop_duplicates()
    texts = np.asarray(texts, dtype=object)
    several = frame["c"].duplicated(keep=False)
    single = pd.Series(texts[frame.loc[~several, "v"].to_numpy()], index=pd.Index(frame.loc[~several, "c"], name="c"),
                       name="v")  # text inferred as text, as the frame's column was
    # The clusters with several, each joined by slicing its run of values (a pandas group
    # each cost ~50 µs): factorize numbers them in order of appearance, as groupby(sort=False).
    codes, clusters = pd.factorize(frame.loc[several, "c"])
    order = np.argsort(codes, kind="stable")
    values = texts[frame.loc[several, "v"].to_numpy()[order]]
    starts = np.r_[0, np.flatnonzero(np.diff(codes[order])) + 1] if len(order) else np.zeros(0, int)
    ends = np.r_[starts[1:], len(order)]
    joined = pd.Series([sep.join(values[a:b]) for a, b in zip(starts, ends)], index=pd.Index(clusters, name="c"),
                       name="v")
    return pd.concat([single, joined])


def _alternates(members: pd.DataFrame, cols: list[str], primary: pd.Series, valid: str) -> pd.Series:
    """Per cluster, its other distinct valid values, in survivorship order, joined with "; "."""
    texts, owners = [], []
    cluster = members["cluster"].to_numpy()
    for c in cols:
        if c in members.columns:
            text, row = arrow_text(members[c]), np.arange(len(members))
            if c in (C.PHONE_ALT, C.EMAIL_ALT):  # only alternates hold several values
                parts = pc.split_pattern(text, "; ")
                text, row = pc.list_flatten(parts), pc.list_parent_indices(parts).to_numpy()
            texts.append(text)
            owners.append(cluster[row])
    if not texts:
        return pd.Series(dtype=object)
    # In Arrow: a million phones are matched and compared without a Python string each.
    text, owner = pa.concat_arrays(texts), np.concatenate(owners)
    ok = pc.fill_null(pc.match_substring_regex(text, valid), False).to_numpy(zero_copy_only=False)
    text, owner = text.filter(ok), owner[ok]
    mine = arrow_text(primary).take(primary.index.get_indexer(owner))  # the cluster's own value
    other = pc.fill_null(pc.not_equal(text, mine), True).to_numpy(zero_copy_only=False)
    return _join_per_cluster(pd.Series(pd.arrays.ArrowStringArray(text.filter(other))), pd.Series(owner[other]))


class Golden(NamedTuple):
    """The survivorship result: golden records, each record's outcome, and provenance."""

    customers: pd.DataFrame   # one row per customer
    outcomes: pd.DataFrame    # per record: customer_id, outcome, reason
    provenance: pd.DataFrame  # PROVENANCE_COLUMNS: where a value was picked among different ones


PROVENANCE_COLUMNS = [C.CUSTOMER_ID, "field", "value", "rule", *C.PROVENANCE]
_VALID = {C.PHONE: C.VALID_PHONE, C.EMAIL: C.VALID_EMAIL, C.GENDER: r"^(male|female)$", C.BIRTH_ON: C.ISO_DATE,
          C.LAST_CONTACT_ON: C.ISO_DATE, C.CREATED_ON: C.ISO_DATE}
_DEFAULT_RULES = {C.LAST_CONTACT_ON: "latest", C.CREATED_ON: "earliest"}
# taken from the row the phone (name, address) came from: a name's parts belong with it
_COMPANIONS = {C.PHONE: [C.PHONE_DISPLAY, C.PHONE_TYPE], C.NAME: C.NAME_PARTS, C.ADDRESS: C.ADDRESS_PARTS}


def source_rank(records: pd.DataFrame, patterns: tuple[str, ...]) -> np.ndarray:
    """Per record, the index of the first pattern its file, sheet or "file › sheet" matches
    (case-insensitive, * and ?); ``len(patterns)`` when none does.

    >>> r = pd.DataFrame({"source_file": ["sales/张丽.xlsx", "CRM导出.xlsx"], "source_sheet": ["客户", "Sheet1"]})
    >>> source_rank(r, ("crm*", "*张丽*")).tolist()
    [1, 0]
    """
    where = records[[C.SOURCE_FILE, C.SOURCE_SHEET]].astype(str).fillna("")  # a missing name reads empty
    places = where.drop_duplicates()
    rank = []
    for file, sheet in zip(places[C.SOURCE_FILE], places[C.SOURCE_SHEET]):  # one per sheet, not per record
        names = [file.lower(), file.lower().rsplit("/", 1)[-1], sheet.lower(), f"{file} › {sheet}".lower()]
        rank.append(next((i for i, p in enumerate(patterns) if any(fnmatchcase(n, p.lower()) for n in names)),
                         len(patterns)))
    ranks = places.assign(_rank=rank)
    keyed = where.merge(ranks, how="left", on=[C.SOURCE_FILE, C.SOURCE_SHEET])
    return keyed["_rank"].to_numpy()


def _rule(config: PipelineConfig, field: str) -> str:
    """The survivorship rule of ``field``: its own, else the date rule (dates are facts), else
    the config's "*", else most recent."""
    rules = config.survivorship
    return rules.get(field) or _DEFAULT_RULES.get(field) or rules.get("*", "most_recent")


def _pick_most_recent(records: pd.DataFrame, members: pd.DataFrame, cols: list[str],
                      clusters: pd.Index) -> tuple[dict[str, pd.Series], pd.DataFrame]:
    """``_pick`` and ``_take`` with the default rule for many columns at once: per column,
    cluster -> position of its first record (``members``' order: most recent first) with a
    value; and the values so chosen, one row per cluster."""
    if not cols or not len(members):  # no records: every column is still answered for here
        return ({col: pd.Series(dtype=np.int64) for col in cols},
                pd.DataFrame(index=clusters, columns=cols, dtype=object))
    cluster = members["cluster"].to_numpy()
    starts = run_starts(cluster)
    m, pos = len(members), members["_pos"].to_numpy()
    sizes = np.diff(np.r_[starts, m])
    # Most customers are one record: their value is that record's. Only customers of
    # several are searched for their first record with a value, a column at a time.
    several = np.flatnonzero(sizes > 1)
    offsets = np.r_[0, np.cumsum(sizes[several])[:-1]]
    rows = np.repeat(starts[several] - offsets, sizes[several]) + np.arange(sizes[several].sum())  # their members
    picked, chosen = {}, {}
    for col in cols:
        values = records[col].to_numpy(dtype=object)
        present = pd.notna(values)
        at = starts.copy()
        if len(several):
            first = np.minimum.reduceat(np.where(present[pos[rows]], rows, m), offsets)
            at[several] = np.where(first < m, first, starts[several])
        has = present[pos[at]]
        value = values[pos[at]]
        value[~has] = None
        picked[col] = value
        chosen[col] = pd.Series(pos[at[has]], index=cluster[starts[has]])
    # Kept as a column each: a frame made of one block would copy every cell once more.
    block = pd.DataFrame(picked, index=cluster[starts], dtype=object, copy=False)
    if not block.index.equals(clusters):
        block = block.reindex(clusters)
    return chosen, block


def _pick(members: pd.DataFrame, col: str, rule: str, valid: str | None) -> pd.Series:
    """cluster -> position of the record whose ``col`` survives: among records with a value,
    valid ones first, then by ``rule``, then in ``members``' order (most recent first).

    ``members`` is sorted by cluster, then recency: the default rule needs no sort.
    """
    cluster = members["cluster"].to_numpy()
    starts = run_starts(cluster)
    sizes = np.diff(np.r_[starts, len(members)])
    present = members[col].notna().to_numpy()
    one = starts[sizes == 1]  # a customer of one record has that record's value, if any
    one = one[present[one]]
    many = np.flatnonzero(np.repeat(sizes > 1, sizes))  # only customers of several need ranking
    values, cluster, present = members[col].iloc[many], cluster[many], present[many]
    keys = []  # np.lexsort: last key sorts first
    if rule == "most_frequent":
        keys.append(-values.groupby([cluster, values.to_numpy()]).transform("size").fillna(0).to_numpy())
    elif rule == "longest":
        keys.append(-values.astype("string").str.len().fillna(0).to_numpy())
    elif rule == "source_priority":
        keys.append(members["_source_rank"].to_numpy()[many])
    elif rule in ("latest", "earliest"):
        day = iso_dates(values)
        day = (day - pd.Timestamp("1900-01-01")).dt.days.to_numpy(dtype=float, na_value=np.nan)
        keys.append(np.nan_to_num(-day if rule == "latest" else day, nan=np.inf))
    if valid:
        keys.append(~values.astype("string").str.match(valid).fillna(False).to_numpy(dtype=bool))
    order = np.arange(len(many))
    if keys:
        order = np.lexsort([order, *keys, cluster])
    order = order[present[order]]
    ranked = cluster[order]
    first = np.ones(len(order), dtype=bool)  # the first record of each cluster in that order
    first[1:] = ranked[1:] != ranked[:-1]
    at = np.r_[one, many[order[first]]]
    at.sort()  # by cluster, as members are
    return pd.Series(members.index.to_numpy()[at], index=members["cluster"].to_numpy()[at])


def _take(values: pd.Series, positions: pd.Series, clusters: pd.Index) -> pd.Series:
    """``values`` at each cluster's chosen record position (missing where none has one)."""
    pos = positions.reindex(clusters)
    out = values.iloc[pos.fillna(0).astype("int64").to_numpy()].reset_index(drop=True)
    return out.where(pos.notna().to_numpy()).set_axis(clusters)


def build_customers(records: pd.DataFrame, dups: Duplicates, config: PipelineConfig | None = None,
                    previous: pd.DataFrame | None = None) -> Golden:
    """Golden records and, per input record, its customer, outcome and reason.

    Args:
        records: validated records indexed 0..n-1.
        dups: the dedupe result for them.
        config: ``survivorship`` and ``source_priority`` (default: most recent).
        previous: per record, its ``customer_id`` in the previous run and whether it was
            its customer's ``main`` record, so IDs stay as they were (see identity.py).

    Returns:
        Golden. ``customers`` has one row per cluster: customer_id, the surviving
        fields, alternates, ``source_rows`` and ``sources``. ``outcomes`` is indexed like
        ``records`` with customer_id, outcome (kept/merged/review), reason.
        ``provenance`` names the record each value came from wherever a customer's
        records held different values for a field.
    """
    config = config or PipelineConfig()
    # The IDs on a thread of their own: they wait on nothing the values need, and much of
    # their work is Arrow's, which lets go of the GIL.
    ids, (golden, members, chosen) = run_all([partial(customer_ids, records, dups.cluster, previous),
                                              partial(_golden_values, records, dups, config)], config.threads or None)
    # each customer's first member (members are sorted by cluster) holds its ID
    first = ids.iloc[members["_pos"].to_numpy()[run_starts(members["cluster"].to_numpy())]]
    golden = pd.concat([first.set_axis(golden.index).rename("customer_id"), golden], axis=1)
    # Both read what is made above and change nothing of it; the reasons' joins are Arrow's.
    provenance, outcomes = run_all([partial(_provenance, records, members, golden, chosen, config),
                                    partial(_outcomes, records, members, dups, ids)], config.threads or None)
    return Golden(golden.reset_index(drop=True), outcomes, provenance)


def _golden_values(records: pd.DataFrame, dups: Duplicates,
                   config: PipelineConfig) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, pd.Series]]:
    """The golden records but their IDs; the members table (records sorted by customer,
    then recency) and the record each field was picked from (``chosen``)."""
    fields = [c for c in records.columns
              if c not in ORDER_FIELDS + C.PROVENANCE + C.NAME_PARTS + C.ADDRESS_PARTS
              + [C.PHONE_DISPLAY, C.PHONE_TYPE, C.PHONE_ALT, C.EMAIL_ALT, "issue_codes"]]
    # Text columns under the plain rule (most recent value) are picked together: a sheet
    # may bring thousands of columns of its own. They are read where they are, not sorted.
    plain = [c for c in fields if pd.api.types.is_string_dtype(records[c].dtype) and _rule(config, c) == "most_recent"
             and c not in _VALID and c not in _COMPANIONS]
    # The members table holds only what is picked by rule, listed or joined per customer:
    # the sort moves every cell it holds.
    held = {*fields, C.PHONE_ALT, C.EMAIL_ALT, C.SOURCE_FILE, C.SOURCE_SHEET, "issue_codes"} - set(plain)
    order = pd.DataFrame({"cluster": dups.cluster.to_numpy(), "_recency": record_recency(records).to_numpy(),
                          "_pos": np.arange(len(records))})
    order = order.sort_values(["cluster", "_recency", "_pos"], ascending=[True, False, True],
                              na_position="last", kind="stable")["_pos"].to_numpy()
    members = records[[c for c in records.columns if c in held]].take(order).assign(
        cluster=dups.cluster.to_numpy()[order], _pos=order)
    if config.source_priority:
        members["_source_rank"] = source_rank(records, config.source_priority)[order]
    clusters = pd.Index(np.unique(members["cluster"].to_numpy()))
    chosen, block = _pick_most_recent(records, members, plain, clusters)
    columns = {}
    for col in fields:
        if col not in chosen:
            chosen[col] = _pick(members, col, _rule(config, col), _VALID.get(col))
            for c in [col, *_COMPANIONS.get(col, [])]:
                if c in records.columns:
                    columns[c] = _take(records[c], chosen[col], clusters)
    chosen = {col: chosen[col] for col in fields}  # in the records' order, for Provenance
    golden = pd.DataFrame(columns, index=clusters, copy=False)  # a column each, as the block below
    if plain:  # in the records' column order, as a column at a time would have put them
        order = [c for col in fields for c in [col, *_COMPANIONS.get(col, [])]
                 if c in golden.columns or c in block.columns]
        golden = pd.concat([golden, block], axis=1)[order]
    more = {}  # added at once: a column at a time into a frame of thousands would be one copy each
    if C.PHONE in members.columns:
        more[C.PHONE_ALT] = _alternates(members, [C.PHONE, C.PHONE_ALT], golden[C.PHONE], C.VALID_PHONE)
    if C.EMAIL in members.columns:
        more[C.EMAIL_ALT] = _alternates(members, [C.EMAIL, C.EMAIL_ALT], golden[C.EMAIL], C.VALID_EMAIL)
    more["source_rows"] = members.groupby("cluster").size()
    more["sources"] = _join_per_cluster(  # a missing file or sheet name makes a missing text: it names nothing
        members[C.SOURCE_FILE].astype(str) + " › " + members[C.SOURCE_SHEET].astype(str), members["cluster"])
    if "issue_codes" in members:
        codes = members["issue_codes"].dropna().str.split(", ").explode().sort_values(kind="stable")
        more["issue_codes"] = _join_per_cluster(codes, members.loc[codes.index, "cluster"], ", ")
    golden = pd.concat([golden, pd.DataFrame(more, index=clusters)], axis=1)
    return golden, members, chosen


def _provenance(records: pd.DataFrame, members: pd.DataFrame, golden: pd.DataFrame,
                chosen: dict[str, pd.Series], config: PipelineConfig) -> pd.DataFrame:
    """Where a customer's records disagree on a field, the record its value came from.

    Fields its records agree on (and customers of one record) come from every record that
    has them, as Lineage shows; listing those too would be most of a million rows.
    """
    several = members["cluster"].duplicated(keep=False).to_numpy()
    members = members[several]  # a customer of one row has nothing to choose between
    cluster = members["cluster"].to_numpy()
    parts = []
    rows = members["_pos"].to_numpy()
    # only fields that some customer holds twice can be disputed (a sheet may have thousands)
    cols = [c for c in chosen if c not in C.MATCH_KEYS]
    if len(members):
        starts = run_starts(cluster)
        cols = [c for c in cols  # a column at a time: a frame's row take copies every column first
                if (np.add.reduceat(pd.notna(records[c].to_numpy()[rows]).astype(np.int32), starts) >= 2).any()]
    else:
        cols = []
    at = np.full(len(records) + 1, -1, dtype=np.int64)  # a record's place among ``rows``; position -1 reads -1
    at[rows] = np.arange(len(rows))
    for i, col in enumerate(cols):
        pos = chosen[col]  # each customer's chosen record is one of its own, so among ``rows``
        codes = np.append(pd.factorize(records[col].iloc[rows])[0], -1)  # compared as codes; place -1 reads -1
        kept = codes[at[pos.reindex(cluster).fillna(-1).to_numpy(dtype=np.int64)]]
        mine = codes[:-1]
        differs = (mine >= 0) & (kept >= 0) & (mine != kept)
        disputed = np.unique(cluster[differs])
        if len(disputed):
            picked = pos.reindex(disputed).to_numpy()
            parts.append(pd.DataFrame({"value": records[col].iloc[picked].to_numpy(), "_field": i, "_pos": picked,
                                       "_cluster": disputed}))
    if not parts:
        return pd.DataFrame(columns=PROVENANCE_COLUMNS)
    # customers in the order of the Customers sheet, fields in the order of the input; the
    # texts made once in that order (a sort moves every cell it holds)
    out = pd.concat(parts, ignore_index=True)
    out = out.take(np.argsort(out["_cluster"].to_numpy(), kind="stable"))
    field = pa.array(cols, pa.string()).take(pa.array(out["_field"].to_numpy()))
    rule = pa.array([_rule(config, c) for c in cols], pa.string()).take(pa.array(out["_field"].to_numpy()))
    picked = out["_pos"].to_numpy()
    return pd.DataFrame({C.CUSTOMER_ID: golden["customer_id"].array.take(golden.index.get_indexer(out["_cluster"])),
                         "field": pd.array(field, dtype=ARROW_TEXT), "value": out["value"].array,
                         "rule": pd.array(rule, dtype=ARROW_TEXT),
                         **{c: records[c].array.take(picked) for c in C.PROVENANCE}})


def _outcomes(records: pd.DataFrame, members: pd.DataFrame, dups: Duplicates, ids: pd.Series) -> pd.DataFrame:
    """Per record: its customer, kept / merged / review, and a reason naming the row it matched."""
    cluster = members["cluster"].to_numpy()  # sorted: a customer's main record comes first
    first = run_starts(cluster)
    survivor = pd.DataFrame({"cluster": cluster[first]}, index=members.index[first])  # not every column copied
    # Set by position and made in Arrow once: label lookups into a frame of a million rows,
    # and a Python string per record, cost more than writing the reasons.
    at = records.index.get_indexer
    kind = np.zeros(len(records), dtype=np.int8)  # an index into _OUTCOMES: merged unless told otherwise
    text = np.zeros(len(records), dtype=np.int64)  # an index into the reasons' texts, below
    kind[at(survivor.index)], text[at(survivor.index)] = 1, 1
    texts = [pa.array(["", "kept as the customer's main record"], pa.large_string())]

    # Each merged record names the record it matched best, and why.
    pairs = dups.pairs[[c for c in ("left", "right", "score", "agreed", "decision") if c in dups.pairs]]
    cl = dups.cluster.to_numpy()
    linked = pairs[cl[pairs["left"]] == cl[pairs["right"]]]
    both = pd.concat([linked.rename(columns={"left": "row", "right": "other"}),
                      linked.rename(columns={"right": "row", "left": "other"})])
    # A person's decision explains a merge better than any score.
    both = both.assign(_decided=both["decision"].eq("same") if "decision" in both else False)
    best = both.sort_values(["row", "_decided", "score", "other"], ascending=[True, False, False, True]) \
        .drop_duplicates("row")
    best = best.set_index("row")
    merged = np.flatnonzero(kind == 0)
    b = best.reindex(merged)  # pairs name records by position
    decided = b["decision"].eq("same").to_numpy() if "decision" in b else np.zeros(len(b), bool)
    text[merged] = 2 + np.arange(len(merged))
    texts.append(_joined("same customer as ", _refs(records, b["other"]),
                         np.where(decided, " (a person decided so", " (agreed: "),
                         np.where(decided, "", b["agreed"].fillna("").to_numpy(dtype=object)),
                         "; score ", b["score"].map("{:g}".format).to_numpy(dtype=object), ")"))
    review = dups.review
    if len(review):
        both = pd.concat([review.rename(columns={"left": "row", "right": "other"}),
                          review.rename(columns={"right": "row", "left": "other"})])
        # The customer's main record carries the review: a merged row stays merged, so every
        # customer has exactly one row that is kept or under review.
        main = pd.Series(survivor.index, index=survivor["cluster"].to_numpy())
        both["row"] = main.reindex(dups.cluster.iloc[both["row"]].to_numpy()).to_numpy()
        both = both.sort_values(["row", "score"], ascending=[True, False]).drop_duplicates("row").set_index("row")
        rows = at(both.index)
        kind[rows], text[rows] = 2, 2 + len(merged) + np.arange(len(rows))
        texts.append(_joined("may be the same customer as ", _refs(records, both["other"]), " (score ",
                             both["score"].map("{:g}".format).to_numpy(dtype=object), "); see the Review sheet"))
    return pd.DataFrame({C.CUSTOMER_ID: ids.to_numpy(),  # arrays: laid out, not aligned
                         "outcome": pc.take(_OUTCOMES, pa.array(kind)).to_pandas().array,
                         "reason": pc.take(pa.concat_arrays(texts), pa.array(text)).to_pandas().array},
                        index=records.index)


_OUTCOMES = pa.array(["merged", "kept", "review"])


def _joined(*parts: str | np.ndarray | pa.Array) -> pa.Array:
    """Texts and arrays of texts joined element-wise, in Arrow (no Python string per step)."""
    def large(part: str | np.ndarray | pa.Array) -> pa.Scalar | pa.Array:  # one type: a million rows may pass 2 GiB
        if isinstance(part, str):
            return pa.scalar(part, pa.large_string())
        return part.cast(pa.large_string()) if isinstance(part, pa.Array) else pa.array(part, type=pa.large_string())

    return pc.binary_join_element_wise(*map(large, parts), pa.scalar("", pa.large_string()))
