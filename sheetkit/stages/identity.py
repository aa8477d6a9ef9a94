"""Who is who across runs: record keys, finding last week's records again, stable customer IDs.

A weekly run must give the same customer the same ``customer_id`` as rows are added,
edited or reordered, and must find again the records a person made decisions about.

- A record is known by its **record key**, a hash of what it says (not where it is),
  and by its place (file, sheet, row). ``locate`` finds every previous record in this
  run by content first (key and place, then key alone: the row moved), and only then by
  place (the row was edited): where its neighbours moved, then where it stood, and only
  onto a row that still says mostly the same. Each row is claimed once.
- A cluster keeps the previous ID most of its records had; when two previous customers
  merge, one ID lives on; when one splits, the part with most of its records (then the
  part holding its main record) keeps it and the rest get new IDs. ``id_changes`` says
  which IDs became which.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import columns as C
from ..values.text import arrow_text, isin
from .dedupe import fingerprints

RECORD_KEY = "record_key"
IDENTITY = [RECORD_KEY, *C.PROVENANCE]
# Computed from other columns: left out of the key, so a change in how sheetkit derives
# them does not make every record look new.
_DERIVED = {C.PHONE_DISPLAY, C.PHONE_TYPE, *C.MATCH_KEYS, "issue_codes", C.CUSTOMER_ID, C.CLUSTER, C.ROW_ID}
_HEX = np.array([f"{i:02x}" for i in range(256)])


def record_keys(records: pd.DataFrame) -> pd.Series:
    """A 16-hex-digit hash of each record's content, the same wherever the row stands.

    Each non-empty cell adds a hash of (column, value); empty cells add nothing, so a
    column that another file brings in (empty on this record) leaves the key alone.

    >>> a = pd.DataFrame({"source_row": [2, 9], "name": ["张三", "张三"], "phone": ["+8613812345678", None]})
    >>> keys = record_keys(a)
    >>> keys[0] == record_keys(a.assign(source_row=5, extra=None))[0], keys[0] == keys[1]
    (True, False)
    """
    total = np.zeros(len(records), dtype=np.uint64)
    cols = sorted(str(c) for c in records.columns if c not in C.PROVENANCE and c not in _DERIVED)
    text = [c for c in cols if records[c].dtype == object]
    if text:  # the text columns' filled cells in one pass: a sheet may have 16,384 columns
        cells = records[text].to_numpy(dtype=object)
        row, col = np.nonzero(pd.notna(cells))
        total += _summed(len(records), row, _salt(text)[col], pd.Series(cells[row, col], dtype=object))
    text_set = set(text)
    for c in cols:
        if c not in text_set:
            values = records[c]
            row = np.flatnonzero(values.notna().to_numpy())
            total += _summed(len(records), row, np.full(len(row), _salt([c])[0]), values.iloc[row])
    digits = _HEX[total.astype(">u8").view(np.uint8).reshape(-1, 8)]
    return pd.Series(np.ascontiguousarray(digits).view("<U16").ravel().astype(object), index=records.index)


def _salt(columns: list[str]) -> np.ndarray:
    return np.array([int(hashlib.sha1(c.encode("utf-8")).hexdigest()[:16], 16) for c in columns], dtype=np.uint64)


def _summed(n: int, row: np.ndarray, salt: np.ndarray, values: pd.Series) -> np.ndarray:
    """Per record, the wrapping sum of the mixed hashes of its cells (``row``: each cell's record)."""
    hashed = pd.util.hash_pandas_object(values.astype("string"), index=False, categorize=True).to_numpy()  # siphash
    out = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrapping uint64 arithmetic is the point
        mixed = (hashed ^ salt) * np.uint64(0x9E3779B97F4A7C15)
        np.add.at(out, row, mixed ^ (mixed >> np.uint64(29)))
    return out


# Fields whose cells (as written) tell whether a row found by its place still is the same
# record: an edit changes one cell, a different customer in that place changes them all.
FIELD_HASHES = {C.NAME: "name_hash", C.PHONE: "phone_hash", C.EMAIL: "email_hash"}


def field_hashes(records: pd.DataFrame) -> pd.DataFrame:
    """A 31-bit hash per record of each of name, phone and e-mail as written (0: empty),
    kept in the archive so that next week a row found only by its place can be checked.

    >>> h = field_hashes(pd.DataFrame({"name": ["张三", None], "phone": ["138", "138"]}))
    >>> int(h["name_hash"].iat[1]), int(h["email_hash"].iat[0]), bool(h["phone_hash"].iat[0] == h["phone_hash"].iat[1])
    (0, 0, True)
    """
    out = {}
    for col, name in FIELD_HASHES.items():
        if col not in records.columns:
            out[name] = np.zeros(len(records), dtype=np.int64)
            continue
        values = records[col]
        empty = values.isna().to_numpy() | values.astype(object).eq("").to_numpy()
        hashed = pd.util.hash_array(values.to_numpy(dtype=object), categorize=False)
        out[name] = np.where(empty, 0, np.maximum(hashed & np.uint64(0x7FFFFFFF), 1).astype(np.int64))
    return pd.DataFrame(out, index=records.index)


def locate(wanted: pd.DataFrame, current: pd.DataFrame, by_place: bool = True) -> np.ndarray:
    """For each row of ``wanted``, the position in ``current`` of the same record, or -1.

    Both frames have ``record_key``, ``source_file``, ``source_sheet`` and ``source_row``
    (a missing key matches only by place), and may have the ``field_hashes`` columns.
    Each current record is claimed once, and content comes first for every wanted row
    before any is matched by place: key and place (unchanged), key alone (moved; several
    rows with one key pair up in order of place); then, by place, the row where the
    nearest record found above it (then below) says it moved to, then the row it stood
    in (not with ``by_place`` False). A place match needs the row to still say mostly the
    same (all but one of the filled name, phone and e-mail cells, when ``wanted`` has their
    hashes), so a deleted row's place is never taken by another customer.
    """
    hashes = [h for h in FIELD_HASHES.values() if h in wanted.columns and h in current.columns]
    wanted_codes, have = _identities(wanted, current, hashes)
    want = wanted_codes.drop_duplicates(IDENTITY).reset_index(drop=True)
    have = have.assign(pos=np.arange(len(current)))
    want["pos"] = -1
    for on in (IDENTITY, [RECORD_KEY]):
        todo, free = _open(want, have)
        todo, free = todo[(todo[on] >= 0).all(axis=1).to_numpy()], free[(free[on] >= 0).all(axis=1).to_numpy()]
        if on == [RECORD_KEY]:  # the n-th row with a key is the n-th row with it
            todo = todo.assign(_n=_in_place_order(todo).groupby(RECORD_KEY).cumcount())
            free = free.assign(_n=_in_place_order(free).groupby(RECORD_KEY).cumcount())
            on = [RECORD_KEY, "_n"]
        found = todo.merge(free[on + ["pos"]].drop_duplicates(on), on=on).drop_duplicates("pos")
        want.loc[found["index"].to_numpy(), "pos"] = found["pos"].to_numpy()
    for direction in ("backward", "forward", None) if by_place else ():
        todo, free = _open(want, have)
        todo = todo[todo["_row"] >= 0]
        if todo.empty or free.empty:
            break
        todo = todo.assign(_at=_expected_rows(todo, want, have, direction))
        found = todo[todo["_at"] >= 0].merge(
            free.drop(columns=[RECORD_KEY, C.SOURCE_ROW, "_sheet"]).rename(columns={"_row": "_at"}),
            on=[C.SOURCE_FILE, C.SOURCE_SHEET, "_at"], suffixes=("", "_now"))
        found = found[_similar(found, hashes)].drop_duplicates("pos").drop_duplicates("index")
        want.loc[found["index"].to_numpy(), "pos"] = found["pos"].to_numpy()
    return (wanted_codes[IDENTITY].merge(want[IDENTITY + ["pos"]], on=IDENTITY, how="left")["pos"]
            .fillna(-1).to_numpy(dtype="int64"))


def _open(want: pd.DataFrame, have: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The wanted rows not found yet (with their index) and the current rows not yet claimed."""
    todo = want[want["pos"] < 0].drop(columns="pos").reset_index()
    return todo, have[~have["pos"].isin(want["pos"])]


def _expected_rows(todo: pd.DataFrame, want: pd.DataFrame, have: pd.DataFrame, direction: str | None) -> np.ndarray:
    """Where each row of ``todo`` should stand now: shifted as its nearest found neighbour in
    ``direction`` (on the same sheet, still on it) moved; its own row when None; -1: no neighbour."""
    if direction is None:
        return todo["_row"].to_numpy()
    found = want[want["pos"] >= 0]
    now = have.set_index("pos").loc[found["pos"].to_numpy()]
    same = ((now[C.SOURCE_FILE].to_numpy() == found[C.SOURCE_FILE].to_numpy())
            & (now[C.SOURCE_SHEET].to_numpy() == found[C.SOURCE_SHEET].to_numpy()) & (found["_row"].to_numpy() >= 0))
    anchors = pd.DataFrame({"_sheet": found["_sheet"].to_numpy()[same],
                            "_row": found["_row"].to_numpy()[same],
                            "_shift": now["_row"].to_numpy()[same] - found["_row"].to_numpy()[same]})
    if anchors.empty:
        return np.full(len(todo), -1)
    left = pd.DataFrame({"_sheet": todo["_sheet"].to_numpy(),
                         "_row": todo["_row"].to_numpy(), "_i": np.arange(len(todo))}).sort_values("_row")
    hit = pd.merge_asof(left, anchors.sort_values("_row"), on="_row", by="_sheet", direction=direction,
                        allow_exact_matches=False).sort_values("_i")
    return np.where(hit["_shift"].notna(), hit["_row"] + hit["_shift"].fillna(0), -1).astype("int64")


def _similar(found: pd.DataFrame, hashes: list[str]) -> np.ndarray:
    """Whether the row found by place says mostly what the wanted record said."""
    if not hashes:
        return np.ones(len(found), bool)
    was = found[hashes].to_numpy(dtype="int64")
    now = found[[f"{h}_now" for h in hashes]].to_numpy(dtype="int64")
    filled = (was != 0).sum(axis=1)
    same = ((was == now) & (was != 0)).sum(axis=1)
    return same >= np.maximum(filled - 1, 1)


MAX_ROW = 1_048_576  # Excel's last row


def whole_rows(values: pd.Series) -> pd.Series:
    """Row numbers as Int64: "12", "12.0" and 12 are row 12; anything else (2.5, 1e20, "x",
    0) is missing, so a hand-edited cell never stops a run.

    >>> whole_rows(pd.Series(["12", 12.0, 2.5, "1e20", "x", None])).tolist()
    [12, 12, <NA>, <NA>, <NA>, <NA>]
    """
    number = pd.to_numeric(values, errors="coerce")
    ok = number.notna() & (number % 1 == 0) & number.between(1, MAX_ROW)
    return number.where(ok).astype("Float64").astype("Int64")


def _identities(wanted: pd.DataFrame, current: pd.DataFrame, hashes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both frames' identities as integer codes, comparable across the two (-1: missing): key,
    file and sheet (these two numbered in the order of their texts), source_row as the whole row number
    ("12", "12.0" and 12 are one row), ``_sheet`` one code per file and sheet, ``_row`` the
    row, and the ``hashes`` columns. Joins on a million such rows take a fraction of what
    the same joins on their texts take."""
    n = len(wanted)
    out = {}
    for col in (RECORD_KEY, C.SOURCE_FILE, C.SOURCE_SHEET):
        both = pd.concat([_text(wanted, col), _text(current, col)], ignore_index=True)
        # files and sheets numbered in their texts' order (rows pair up in it; there are few)
        out[col] = pd.factorize(both, sort=col != RECORD_KEY)[0].astype("int64")
    out["_sheet"] = np.where((out[C.SOURCE_FILE] < 0) | (out[C.SOURCE_SHEET] < 0), -1,
                             (out[C.SOURCE_FILE] << 32) | out[C.SOURCE_SHEET])
    rows = np.concatenate([whole_rows(f[C.SOURCE_ROW]).fillna(-1).to_numpy(dtype="int64") for f in (wanted, current)])
    out[C.SOURCE_ROW] = out["_row"] = rows
    frames = []
    for part, frame in ((slice(0, n), wanted), (slice(n, None), current)):
        coded = pd.DataFrame({c: v[part] for c, v in out.items()})
        for h in hashes:
            coded[h] = pd.to_numeric(frame[h], errors="coerce").fillna(0).to_numpy(dtype="int64")
        frames.append(coded)
    return frames[0], frames[1]


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    values = frame[col] if col in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    return values.astype("str").reset_index(drop=True)


def _in_place_order(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` sorted by place as its texts sort (file, sheet, then the row number as
    text, missing last): the order rows with one key pair up in."""
    last = np.iinfo("int64").max
    order = pd.DataFrame({"f": frame[C.SOURCE_FILE].where(frame[C.SOURCE_FILE] >= 0, last).to_numpy(),
                          "s": frame[C.SOURCE_SHEET].where(frame[C.SOURCE_SHEET] >= 0, last).to_numpy(),
                          "r": frame[C.SOURCE_ROW].astype("string").where(frame[C.SOURCE_ROW] >= 0).to_numpy()},
                         index=frame.index).sort_values(["f", "s", "r"])
    return frame.loc[order.index]


def customer_ids(records: pd.DataFrame, cluster: pd.Series, previous: pd.DataFrame | None = None) -> pd.Series:
    """A stable ID per cluster, one per record.

    Args:
        records: the records, indexed 0..n-1.
        cluster: the cluster of each record.
        previous: per record (same index), ``customer_id`` it had in the previous run
            (missing for a new record) and ``main`` (it was its customer's main record).

    Returns:
        The customer ID of each record. A cluster keeps the previous ID most of its
        records had (ties: the one holding the main record, then the smaller ID); each
        previous ID goes to one cluster only. Other clusters get an ID made from their
        members' identifiers (smallest name key, phone or e-mail, company), never one in
        use, so reordering rows or files gives the same IDs.
    """
    clusters = pd.Index(pd.unique(cluster.to_numpy()))

    def content(of: pd.Index) -> pd.Series:
        """The smallest fingerprint of each cluster in ``of``: a tie-break by what records say."""
        mine = cluster.isin(of).to_numpy()
        return pd.Series(fingerprints(records[mine]), index=cluster[mine].to_numpy()).groupby(level=0).min()

    ids = pd.Series(None, index=clusters, dtype=object)
    taken = np.array([], dtype=object)  # previous IDs: an array, hashed in C (a set of a million: 0.6 s)
    if previous is not None and previous[C.CUSTOMER_ID].notna().any():
        kept = _keep_previous(cluster, previous, content)
        ids.loc[kept.index] = kept.to_numpy()
        taken = np.asarray(previous[C.CUSTOMER_ID].dropna().unique(), dtype=object)
    new = ids.index[ids.isna()]
    ids.loc[new] = _new_ids(records, cluster, new, content, taken).to_numpy()
    return cluster.map(ids)


def _keep_previous(cluster: pd.Series, previous: pd.DataFrame, content) -> pd.Series:
    """cluster -> previous ID: each ID to the cluster holding most of its records, in rounds
    (an ID whose best cluster took another one tries its next best)."""
    votes = pd.DataFrame({"cluster": cluster.to_numpy(), "id": previous[C.CUSTOMER_ID].to_numpy(),
                          "main": previous["main"].fillna(False).astype(bool).to_numpy()}).dropna(subset=["id"])
    votes = votes.groupby(["cluster", "id"], sort=False).agg(n=("main", "size"), main=("main", "any")).reset_index()
    tied = votes.duplicated(["id", "n", "main"], keep=False).to_numpy()  # fingerprints only where needed
    votes["content"] = np.uint64(0)
    votes.loc[tied, "content"] = content(pd.Index(votes.loc[tied, "cluster"])).reindex(
        votes.loc[tied, "cluster"]).to_numpy()
    votes = votes.sort_values(["n", "main", "id", "content"], ascending=[False, False, True, True], kind="stable")
    chosen = []
    while len(votes):
        best = votes.drop_duplicates("id").drop_duplicates("cluster")
        chosen.append(best)
        votes = votes[~isin(votes["cluster"], best["cluster"]) & ~isin(votes["id"], best["id"])]
    return pd.concat(chosen).set_index("cluster")["id"]


def _new_ids(records: pd.DataFrame, cluster: pd.Series, clusters: pd.Index, content,
             taken: np.ndarray) -> pd.Series:
    """IDs hashed from each cluster's smallest name key, contact and company; clusters with
    the same key, or whose ID is taken, hash it again with a counter, in the order of their content."""
    if len(clusters) == 0:
        return pd.Series(dtype=object)
    mine = cluster.isin(clusters).to_numpy()
    if not mine.all():  # a weekly run: a few thousand new customers, read from their records only
        records, cluster = records[mine], cluster[mine]

    def smallest(col: str, pattern: str | None = None) -> np.ndarray:
        if col not in records.columns:
            return np.full(len(clusters), "", dtype=object)
        # The distinct values ranked (and matched) in Arrow: a sort and a regex over them, not over every record.
        encoded = pc.dictionary_encode(arrow_text(records[col]))
        values = encoded.dictionary
        rank = pc.rank(values, sort_keys="ascending").to_numpy().astype(np.int64)  # 1, 2, ...: the least is 1
        if pattern:
            rank[~pc.match_substring_regex(values, f"^(?:{pattern})").to_numpy(zero_copy_only=False)] = 0
        per = np.append(rank, 0)[pc.fill_null(encoded.indices, -1).to_numpy()]  # 0: none
        has = per > 0
        least = pd.Series(per[has]).groupby(cluster.to_numpy()[has]).min()
        by_rank = np.empty(len(values) + 1, dtype=object)
        by_rank[0], by_rank[rank[rank > 0]] = "", values.to_numpy(zero_copy_only=False)[rank > 0]
        return by_rank[least.reindex(clusters).fillna(0).to_numpy(dtype=np.int64)]

    name, company = smallest(C.NAME_KEY), smallest(C.COMPANY_KEY)
    phone, email = smallest(C.PHONE, C.VALID_PHONE), smallest(C.EMAIL, C.VALID_EMAIL)
    phone, email = pa.array(phone, pa.string()), pa.array(email, pa.string())  # compared and joined in Arrow
    contact = pc.if_else(pc.and_(pc.not_equal(phone, ""), pc.or_(pc.equal(email, ""), pc.less(phone, email))),
                         phone, email)
    keys = pc.binary_join_element_wise(pa.array(name, pa.string()), contact, pa.array(company, pa.string()),
                                       "|").to_pylist()
    ids = pd.Series([_hashed(k) for k in keys], index=clusters, dtype=object)
    clash = (ids.duplicated(keep=False) | isin(ids, taken)).to_numpy()
    if clash.any():
        # Clusters with one key (or whose ID is a previous customer's) hash it again with a
        # counter, in the order of their content: the ID keeps its shape (C + 8 digits).
        at = np.flatnonzero(clash)
        order = pd.DataFrame({"id": ids.to_numpy()[at], "content": content(clusters[at]).reindex(clusters[at]).to_numpy(),
                              "at": at}).sort_values(["id", "content"], kind="stable")["at"].to_numpy()
        used = set(taken) | set(ids[~clash])
        out = ids.to_numpy(dtype=object, copy=True)  # set one by one in numpy: a Series' setitem copies
        for i in order:
            n, new = 0, None
            while new is None or new in used:
                n += 1
                new = _hashed(f"{keys[i]}#{n}")
            out[i] = new
            used.add(new)
        ids = pd.Series(out, index=clusters, dtype=object)
    return ids


def _hashed(key: str) -> str:
    return "C" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8].upper()


def id_changes(previous_ids: pd.Series, ids: pd.Series) -> pd.DataFrame:
    """Which previous customer IDs became which: one row per (previous, current) pair that
    differ, with the number of records and what happened.

    ``change`` is "merged into" (the previous ID is gone, its records are in this
    customer), "split off" (the previous customer lives on; these records form a new
    one) or "moved to" (both live on; these records went from one to the other).
    """
    cols = ["previous_customer_id", C.CUSTOMER_ID, "change", "records"]
    # Compared as Arrow text: only the records that moved become Python strings (a million each side).
    was, now = arrow_text(previous_ids), arrow_text(ids)
    moved = pc.fill_null(pc.not_equal(was, now), False).to_numpy(zero_copy_only=False)
    moves = pd.DataFrame({"previous_customer_id": was.filter(moved).to_numpy(zero_copy_only=False),
                          C.CUSTOMER_ID: now.filter(moved).to_numpy(zero_copy_only=False)})
    if moves.empty:
        return pd.DataFrame(columns=cols)
    out = moves.groupby(["previous_customer_id", C.CUSTOMER_ID]).size().rename("records").reset_index()
    gone = ~pc.is_in(arrow_text(out["previous_customer_id"]), value_set=now).to_numpy(zero_copy_only=False)
    new = ~pc.is_in(arrow_text(out[C.CUSTOMER_ID]), value_set=was).to_numpy(zero_copy_only=False)
    out["change"] = np.select([gone, new], ["merged into", "split off"], "moved to")
    return out[cols]

