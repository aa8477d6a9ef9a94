"""Finds records of the same customer: blocking, graded field comparisons, guarded clustering.

1. Candidate pairs come from blocks of records sharing a key: a phone number (primary
   or alternate), a personal e-mail, the name, the company, the address. Blocks
   larger than ``max_block_size`` are split by the name's first character, so the
   number of pairs stays near-linear in the number of records.
2. Each pair gets a score: the sum of field weights, Fellegi-Sunter style, where
   agreement adds and disagreement subtracts. A phone shared by many different names
   (a switchboard, a family landline) counts for less than a personal one.
3. Pairs at or above ``merge_threshold`` are merged; those between the thresholds go
   to review. Clusters grow along merge pairs, but never join two records whose names
   are clearly different: a chain of links cannot glue unrelated people together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .. import columns as C
from ..config import PipelineConfig

GENERIC_MAILBOXES = {"info", "sales", "admin", "service", "contact", "support", "office", "hr",
                     "noreply", "no-reply", "kefu", "hello", "marketing", "webmaster", "postmaster"}
DIFFERENT_NAME = 60.0  # name similarity below this: clearly not the same person

# Field weights (points): agreement adds, disagreement subtracts, missing counts 0.
W_PHONE, W_PHONE_SHARED, W_PHONE_DIFF = 8.0, 3.0, -3.0
W_EMAIL, W_EMAIL_DIFF = 8.0, -2.0
W_NAME_SAME, W_NAME_CLOSE, W_NAME_FAR, W_NAME_DIFF = 5.0, 3.0, -4.0, -8.0
W_COMPANY, W_COMPANY_DIFF = 2.0, -1.0
W_ADDRESS, W_ADDRESS_DIFF = 2.0, -1.0


@dataclass
class Duplicates:
    """Result of dedupe: a cluster per record and the scored pairs."""

    cluster: pd.Series          # record position -> cluster number (0..k-1, in first-seen order)
    pairs: pd.DataFrame         # left, right, score, agreed, disagreed, decision
    review: pd.DataFrame        # pairs left for a person: the best pair per two clusters


def _contact_sets(records: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(row, phone) and (row, email) for every valid phone and personal e-mail of each record."""
    def explode(cols: list[str], valid: str) -> pd.DataFrame:
        parts = []
        for col in cols:
            if col in records.columns:
                s = records[col].dropna()
                if col in (C.PHONE_ALT, C.EMAIL_ALT):  # only alternates hold several values
                    s = s.astype("string").str.split("; ").explode()
                parts.append(pd.DataFrame({"row": s.index.to_numpy(), "value": s.astype(object).to_numpy()}))
        if not parts:
            return pd.DataFrame({"row": pd.Series(dtype="int64"), "value": pd.Series(dtype="string")})
        out = pd.concat(parts, ignore_index=True).dropna()
        out = out[out["value"].astype("string").str.match(valid)]
        return out.drop_duplicates().reset_index(drop=True)

    phones = explode([C.PHONE, C.PHONE_ALT], r"^\+\d{7,15}$")
    emails = explode([C.EMAIL, C.EMAIL_ALT], r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    local = emails["value"].astype("string").str.extract(r"^([^@]*)@", expand=False)
    emails = emails[~local.isin(GENERIC_MAILBOXES).to_numpy()].reset_index(drop=True)
    return phones, emails


def _pairs_from_blocks(keys: pd.DataFrame, first_char: pd.Series, limit: int) -> pd.DataFrame:
    """(left, right) with left < right sharing a key.

    A block over ``limit`` is split by the name's first character; one still over it (a
    customer with hundreds of order rows, a switchboard) is linked as a star: every row
    with the block's first row. The pairs stay linear, and a customer's rows still meet.
    """
    keys = keys.dropna().drop_duplicates()
    size = keys.groupby("value")["row"].transform("size")
    big = size > limit
    stars = keys.iloc[:0]
    if big.any():
        split = keys[big].assign(value=keys.loc[big, "value"] + "|" + first_char.reindex(keys.loc[big, "row"]).fillna("").to_numpy())
        oversized = (split.groupby("value")["row"].transform("size") > limit).to_numpy()
        keys = pd.concat([keys[~big], split[~oversized]], ignore_index=True)
        stars = split[oversized].sort_values(["value", "row"])
    keys = keys[keys.groupby("value")["row"].transform("size") > 1]
    joined = keys.merge(keys, on="value", suffixes=("_l", "_r"))
    joined = joined[joined["row_l"] < joined["row_r"]]
    hub = stars.groupby("value")["row"].transform("first")
    star = pd.DataFrame({"left": hub.to_numpy(), "right": stars["row"].to_numpy()})
    star = star[star["left"] < star["right"]]
    return pd.concat([pd.DataFrame({"left": joined["row_l"].to_numpy(), "right": joined["row_r"].to_numpy()}), star],
                     ignore_index=True)


def candidate_pairs(records: pd.DataFrame, config: PipelineConfig,
                    contacts: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Distinct (left, right) record positions that share at least one blocking key.

    Keys: each valid phone, each personal e-mail, the name (unless it is a common one),
    and the company or the address together with the name's first character (a surname,
    usually): colleagues and family members share a company or an address but rarely
    need comparing unless their names start alike.
    """
    phones, emails = contacts if contacts is not None else _contact_sets(records)
    empty = pd.Series(index=records.index, dtype=object)
    first_char = records.get(C.NAME_KEY, empty).astype("string").str[0]
    blocks = [phones, emails]
    if C.NAME_KEY in records.columns:
        # A name many records share (张伟, 王芳) says little on its own: such records meet
        # through a phone, an e-mail, the company or the address instead (term frequency).
        names = pd.DataFrame({"row": records.index.to_numpy(), "value": records[C.NAME_KEY].to_numpy()})
        common = names.groupby("value")["row"].transform("size") > config.common_name_records
        blocks.append(names[~common.to_numpy()])
    for col in (C.COMPANY_KEY, C.ADDRESS_KEY):
        if col in records.columns:
            key = records[col].astype("string") + "|" + first_char
            blocks.append(pd.DataFrame({"row": records.index.to_numpy(), "value": key.to_numpy()}))
    pairs = [_pairs_from_blocks(b.assign(value=b["value"].astype(object)), first_char, config.max_block_size)
             for b in blocks if len(b)]
    if not pairs:
        return pd.DataFrame({"left": pd.Series(dtype="int64"), "right": pd.Series(dtype="int64")})
    return pd.concat(pairs, ignore_index=True).drop_duplicates().sort_values(["left", "right"]).reset_index(drop=True)


def _similarity(a: pd.Series, b: pd.Series, scorer=fuzz.ratio) -> np.ndarray:
    """Elementwise similarity 0..100 of two aligned string columns; NaN where either is missing."""
    both = a.notna().to_numpy() & b.notna().to_numpy()
    out = np.full(len(a), np.nan)
    if both.any():
        out[both] = cpdist(a.to_numpy()[both].astype(str), b.to_numpy()[both].astype(str), scorer=scorer, workers=-1)
    return out


def _overlap(sets: pd.DataFrame, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(both sides have a value, the sides share a value) for each pair."""
    has = np.zeros(max(left.max(initial=-1), right.max(initial=-1)) + 1, dtype=bool)
    has[sets["row"].to_numpy()[sets["row"].to_numpy() < len(has)]] = True
    both = has[left] & has[right]
    pairs = pd.DataFrame({"left": left, "right": right, "i": np.arange(len(left))})
    shared = pairs.merge(sets.rename(columns={"row": "left"}), on="left").merge(
        sets.rename(columns={"row": "right"}), on=["right", "value"])
    share = np.zeros(len(left), dtype=bool)
    share[shared["i"].to_numpy()] = True
    return both, share


def score_pairs(records: pd.DataFrame, pairs: pd.DataFrame, keep_from: float = -np.inf,
                contacts: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Score candidate pairs; adds score, agreed and disagreed (field names, comma-joined).

    Only pairs scoring at least ``keep_from`` are returned (and labelled): the rest are
    distinct and nobody reads their explanation.
    """
    left, right = pairs["left"].to_numpy(), pairs["right"].to_numpy()
    phones, emails = contacts if contacts is not None else _contact_sets(records)
    phone_both, phone_same = _overlap(phones, left, right)
    email_both, email_same = _overlap(emails, left, right)

    # A phone used by several different names is a household or switchboard number.
    names_per_phone = phones.assign(name=records[C.NAME_KEY].reindex(phones["row"]).to_numpy() if C.NAME_KEY in records else None)
    shared_numbers = set(names_per_phone.groupby("value")["name"].nunique().loc[lambda n: n >= 2].index)
    shared_phone = phones[phones["value"].isin(shared_numbers)]
    _, phone_shared = _overlap(shared_phone, left, right) if len(shared_phone) else (None, np.zeros(len(left), bool))

    def col(name: str) -> tuple[pd.Series, pd.Series]:
        s = records[name] if name in records.columns else pd.Series(None, index=records.index, dtype=object)
        return s.iloc[left].reset_index(drop=True), s.iloc[right].reset_index(drop=True)

    name_sim = np.fmax(_similarity(*col(C.NAME_KEY)),
                       _similarity(*(s.astype("string").str.lower() for s in col(C.NAME)), scorer=fuzz.token_sort_ratio))
    company_sim = _similarity(*col(C.COMPANY_KEY))
    address_sim = _similarity(*col(C.ADDRESS_KEY))

    score = np.zeros(len(pairs))
    score += np.where(phone_same, np.where(phone_shared, W_PHONE_SHARED, W_PHONE), np.where(phone_both, W_PHONE_DIFF, 0))
    score += np.where(email_same, W_EMAIL, np.where(email_both, W_EMAIL_DIFF, 0))
    score += np.select([name_sim >= 95, name_sim >= 85, name_sim >= DIFFERENT_NAME, name_sim < DIFFERENT_NAME],
                       [W_NAME_SAME, W_NAME_CLOSE, W_NAME_FAR, W_NAME_DIFF], 0)
    score += np.select([company_sim >= 90, company_sim < 60], [W_COMPANY, W_COMPANY_DIFF], 0)
    score += np.select([address_sim >= 90, address_sim < 50], [W_ADDRESS, W_ADDRESS_DIFF], 0)

    k = score >= keep_from
    agreed = _labels({"phone": phone_same[k], "e-mail": email_same[k], "name": name_sim[k] >= 85,
                      "company": company_sim[k] >= 90, "address": address_sim[k] >= 90})
    disagreed = _labels({"phone": (phone_both & ~phone_same)[k], "e-mail": (email_both & ~email_same)[k],
                         "name": name_sim[k] < 85, "company": company_sim[k] < 60, "address": address_sim[k] < 50})
    return pairs[k].reset_index(drop=True).assign(score=score[k].round(2), name_similarity=name_sim[k],
                                                  agreed=agreed, disagreed=disagreed)


def _labels(flags: dict[str, np.ndarray]) -> np.ndarray:
    out = np.full(len(next(iter(flags.values()))), "", dtype=object)
    for label, flag in flags.items():
        flag = np.asarray(flag, dtype=bool)
        out[flag] = np.where(out[flag] == "", label, out[flag] + ", " + label)
    return out


def fingerprints(records: pd.DataFrame) -> np.ndarray:
    """A hash of each record's content, to break ties by what records say, not where they are."""
    cols = [c for c in records.columns if c not in C.PROVENANCE]
    return pd.util.hash_pandas_object(records[cols].astype("string"), index=False).to_numpy()


def name_similarity(a_key: str, b_key: str, a_name: str, b_name: str) -> float:
    """How alike two names are, 0..100: the better of the keys' ratio and the written
    names' token-sort ratio, so "Wei Zhang" and "Zhang Wei" are alike."""
    return max(fuzz.ratio(a_key, b_key), fuzz.token_sort_ratio(a_name, b_name))


def _cluster(n: int, merges: pd.DataFrame, name_keys: pd.Series, names: pd.Series,
             prints: np.ndarray, same: pd.DataFrame | None = None,
             different: pd.DataFrame | None = None) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Connected components over merge pairs, re-done greedily where names conflict.

    Returns a component label per record and the merge pairs refused by the name guard.
    Pairs are taken strongest first, equal scores in the order of their records' content,
    so the result does not depend on row order. A person's decisions come first: ``same``
    pairs (left < right) are joined before any score and past the name guard;
    ``different`` pairs never end in one cluster, not even through a chain (where the
    two disagree, "different" wins).
    """
    same = same if same is not None else _NO_PAIRS
    different = different if different is not None else _NO_PAIRS
    merges = merges[["left", "right", "score"]]
    if len(different):  # a pair decided different is never a merge link
        merges = merges.merge(different.assign(_no=True), on=["left", "right"], how="left")
        merges = merges[merges["_no"].isna()].drop(columns="_no")
    merges = pd.concat([same[["left", "right"]].assign(score=np.inf), merges], ignore_index=True)
    left, right = merges["left"].to_numpy(), merges["right"].to_numpy()
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    per_label = pd.DataFrame({"label": labels, "name": name_keys.to_numpy()}).dropna()
    conflicted = per_label.groupby("label")["name"].nunique().loc[lambda k: k > 1].index
    dl, dr = different["left"].to_numpy(), different["right"].to_numpy()
    conflicted = conflicted.union(pd.Index(np.unique(labels[dl][labels[dl] == labels[dr]])))
    refused: list[tuple[int, int]] = []
    if len(conflicted) == 0:
        return labels, refused
    # Greedy, strongest pair first, for the few components with more than one name or
    # holding a pair decided different.
    parent = np.arange(n)
    members_names: dict[int, set[tuple[str, str]]] = {}
    apart: dict[int, set[int]] = {}  # root -> records its members were decided different from
    for a, b in zip(dl, dr):
        apart.setdefault(int(a), set()).add(int(b))
        apart.setdefault(int(b), set()).add(int(a))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return int(i)

    todo = merges[np.isin(labels[left], conflicted)]
    fl, fr = prints[todo["left"].to_numpy()], prints[todo["right"].to_numpy()]
    todo = todo.assign(_lo=np.minimum(fl, fr), _hi=np.maximum(fl, fr)).sort_values(
        ["score", "_lo", "_hi"], ascending=[False, True, True], kind="stable")
    for a, b, forced in zip(todo["left"].to_numpy(), todo["right"].to_numpy(), np.isinf(todo["score"].to_numpy())):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        xa, xb = apart.get(ra, set()), apart.get(rb, set())
        if any(find(x) == rb for x in xa) or any(find(x) == ra for x in xb):
            continue  # a person decided some of these records are different customers
        na = members_names.get(ra, {(name_keys.iat[a], names.iat[a])} if name_keys.iat[a] else set())
        nb = members_names.get(rb, {(name_keys.iat[b], names.iat[b])} if name_keys.iat[b] else set())
        if not forced and any(name_similarity(x[0], y[0], x[1], y[1]) < DIFFERENT_NAME for x in na for y in nb):
            refused.append((int(a), int(b)))
            continue
        parent[rb] = ra
        members_names[ra] = na | nb
        if xa or xb:
            apart[ra] = xa | xb
    rows = np.flatnonzero(np.isin(labels, conflicted))
    roots = np.array([find(i) for i in rows])
    labels = labels.copy()
    labels[rows] = labels.max() + 1 + roots  # fresh labels for the re-done components
    return labels, refused


def find_duplicates(records: pd.DataFrame, config: PipelineConfig,
                    decisions: pd.DataFrame | None = None) -> Duplicates:
    """Cluster the records of one customer together and list the pairs for review.

    Args:
        records: normalised records, indexed 0..n-1 (``name_key``, ``company_key``,
            ``address_key`` and the phone/e-mail columns are used where present).
        config: ``merge_threshold``, ``review_threshold`` and ``max_block_size``.
        decisions: a person's decisions: ``left``, ``right`` (record positions) and
            ``decision`` ("same" or "different"). "same" puts the two in one cluster
            whatever their score; "different" keeps them apart, also through chains
            (it splits a wrong automatic merge). Decided pairs, and two clusters
            decided different, never come back for review.

    Returns:
        Duplicates. Cluster numbers follow the first record of each cluster, so they do
        not depend on anything but the records' order; customer IDs are made elsewhere.
    """
    n = len(records)
    contacts = _contact_sets(records)
    pairs = score_pairs(records, candidate_pairs(records, config, contacts), config.review_threshold, contacts)
    merges = pairs[pairs["score"] >= config.merge_threshold]
    keys = records.get(C.NAME_KEY, pd.Series([None] * n)).astype(object)
    written = records.get(C.NAME, pd.Series([None] * n)).astype("string").str.lower().fillna("").astype(object)
    same, different = _decided_pairs(decisions, n)
    labels, refused = _cluster(n, merges, keys.where(keys.notna(), None), written, fingerprints(records),
                               same, different)
    cluster = pd.Series(pd.factorize(labels)[0], index=records.index)
    pairs = _with_decisions(records, pairs, same, different, contacts)
    # pairs already hold only scores at or above the review threshold
    refused_frame = pd.DataFrame(refused, columns=["left", "right"]).assign(refused_merge=True)
    candidates = pairs.merge(refused_frame, on=["left", "right"], how="left")
    candidates["refused_merge"] = candidates["refused_merge"].fillna(False).astype(bool)
    cl, cr = cluster.to_numpy()[candidates["left"]], cluster.to_numpy()[candidates["right"]]
    keep = ((candidates["score"] < config.merge_threshold) | candidates["refused_merge"]).to_numpy() & (cl != cr)
    keep &= candidates["decision"].isna().to_numpy()  # decided once: never reviewed again
    # One review row per two clusters: their best-scoring pair.
    candidates = candidates[keep].assign(_lo=np.minimum(cl, cr)[keep], _hi=np.maximum(cl, cr)[keep])
    if len(different):  # two customers a person told apart are not asked about again
        c = cluster.to_numpy()
        apart = pd.DataFrame({"_lo": np.minimum(c[different["left"]], c[different["right"]]),
                              "_hi": np.maximum(c[different["left"]], c[different["right"]]), "_apart": True})
        candidates = candidates.merge(apart.drop_duplicates(), on=["_lo", "_hi"], how="left")
        candidates = candidates[candidates["_apart"].isna()].drop(columns="_apart")
    review = (candidates.sort_values(["score", "left", "right"], ascending=[False, True, True], kind="stable")
              .drop_duplicates(["_lo", "_hi"]).drop(columns=["_lo", "_hi"]).reset_index(drop=True))
    return Duplicates(cluster, pairs, review)


_NO_PAIRS = pd.DataFrame({"left": pd.Series(dtype="int64"), "right": pd.Series(dtype="int64")})


def _decided_pairs(decisions: pd.DataFrame | None, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(same, different) as distinct (left < right) pairs of positions below ``n``; a pair
    decided both ways counts as different."""
    if decisions is None or decisions.empty:
        return _NO_PAIRS, _NO_PAIRS
    lo = np.minimum(decisions["left"].to_numpy(), decisions["right"].to_numpy()).astype("int64")
    hi = np.maximum(decisions["left"].to_numpy(), decisions["right"].to_numpy()).astype("int64")
    frame = pd.DataFrame({"left": lo, "right": hi, "decision": decisions["decision"].to_numpy()})
    frame = frame[(frame["left"] != frame["right"]) & (frame["left"] >= 0) & (frame["right"] < n)]
    different = frame.loc[frame["decision"] == "different", ["left", "right"]].drop_duplicates()
    same = frame.loc[frame["decision"] == "same", ["left", "right"]].drop_duplicates()
    same = same.merge(different.assign(_no=True), on=["left", "right"], how="left")
    same = same[same["_no"].isna()].drop(columns="_no")
    return same.reset_index(drop=True), different.reset_index(drop=True)


def _with_decisions(records: pd.DataFrame, pairs: pd.DataFrame, same: pd.DataFrame, different: pd.DataFrame,
                    contacts: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    """``pairs`` with a decision column; pairs decided same that scored too low to be kept
    are scored and added, so every merge has its explanation."""
    decided = pd.concat([same.assign(decision="same"), different.assign(decision="different")], ignore_index=True)
    pairs = pairs.drop(columns="decision", errors="ignore").merge(decided, on=["left", "right"], how="left")
    pairs["decision"] = pairs["decision"].astype(object).where(pairs["decision"].notna(), None)
    missing = same.merge(pairs[["left", "right"]].assign(_have=True), on=["left", "right"], how="left")
    missing = missing[missing["_have"].isna()].drop(columns="_have")
    if len(missing):
        scored = score_pairs(records, missing.reset_index(drop=True), contacts=contacts)
        pairs = pd.concat([pairs, scored.assign(decision="same")], ignore_index=True)
    return pairs
