"""Finds records of the same customer: blocking, graded comparisons, estimated weights, guarded clusters.

1. Candidate pairs come from blocks of records sharing a key: a phone number (primary
   or alternate), a personal e-mail, the name as read in pinyin (unless many records
   carry it), and the company or the address together with the name's first character.
   Blocks larger than ``max_block_size`` are split by the name's first character, so the
   number of pairs stays near-linear in the number of records. Where a sheet has them, a
   customer code, and a birth date few records share, are keys on their own.
2. Each field of a pair is compared on graded levels (``compare.py``); how much each
   level says is estimated from the candidate pairs themselves by EM (``weights.py``),
   and a name many records share (张伟) counts for less than a rare one. One customer's
   records may show a move or a new job; different customers may be namesakes,
   colleagues or a household: each is a kind of pair the model knows. A pair's score is
   the log2 odds that it is one customer; its probability goes with it. A phone or
   e-mail two of whose holders score as clearly two people is not one person's: agreeing
   on it then says nothing.
3. Pairs at or above ``merge_threshold`` are merged; those between the thresholds go
   to review. Clusters grow along merge pairs, but never join two records whose names
   are clearly different: a chain of links cannot glue unrelated people together. A name
   of one word, an English name with the Chinese name's surname, and names that certain
   pairs show to be one person's (a surname changed) are not "clearly different".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .. import columns as C
from ..config import PipelineConfig
from ..parallel import run_all
from ..values.text import TEXT, arrow_text
from .compare import (
    AGREE,
    CHANGED_M,
    DEFAULT_M,
    DIFFERENT,
    ENGLISH_NAME,
    KIND_M,
    KIND_NEEDS,
    MATCH_KIND_SHARES,
    MATCH_KINDS,
    MISSING,
    NON_MATCH_KINDS,
    SAME_NAME,
    SHARED,
    Prepared,
    compare_pairs,
    distinct,
    first_positions,
    is_slip,
    people_per_value,
    prepare,
    run_starts,
    unique_inverse,
    within_groups,
)
from .weights import Weights, estimate_weights, frequency_adjustment

RARE = 8  # a value at most this many records carry is a blocking key on its own
DIFFERENT_NAME = 60.0  # name similarity below this: clearly not the same person
# A pair this sure (log2 odds 6: 64 to 1 with its names disagreeing, so the rest of the
# record says much more) vouches that its two names belong to one person: Liam Schuster
# and Liam Krasioukova with one birth date, customer code and address is one person whose
# surname changed. On the generated Chinese data no pair of two people scores above 2
# with conflicting names (benchmarks/dedupe_quality.py).
CERTAIN = 6.0
LABELS = {"name": "name", "phone": "phone", "email": "e-mail", "address": "address", "company": "company",
          "city": "city", "birth_on": "birth date", "postcode": "postcode", "customer_code": "customer code",
          "id_number": "ID number", "personal_id": "personal ID",
          "gender": "gender"}


@dataclass
class Duplicates:
    """Result of dedupe: a cluster per record and the scored pairs."""

    cluster: pd.Series          # record position -> cluster number (0..k-1, in first-seen order)
    pairs: pd.DataFrame         # left, right, score, probability, agreed, disagreed, decision
    review: pd.DataFrame        # pairs left for a person: the best pair per two clusters
    weights: Weights | None = None  # the estimated model, to show how scores were made


def _contact_sets(records: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(row, phone) and (row, email) for every valid phone and e-mail of each record."""
    def explode(cols: list[str], valid: str) -> pd.DataFrame:
        # In Arrow: a million phones split, matched and kept without a Python string each.
        rows, texts = [], []
        for col in cols:
            if col in records.columns:
                text, row = arrow_text(records[col]), records.index.to_numpy()
                if col in (C.PHONE_ALT, C.EMAIL_ALT):  # only alternates hold several values
                    parts = pc.split_pattern(text, "; ")
                    text, row = pc.list_flatten(parts), row[pc.list_parent_indices(parts).to_numpy()]
                ok = pc.fill_null(pc.match_substring_regex(text, valid), False).to_numpy(zero_copy_only=False)
                rows.append(row[ok])
                texts.append(text.filter(ok))
        if not rows:
            return pd.DataFrame({"row": pd.Series(dtype="int64"), "value": pd.Series(dtype=object)})
        out = pd.DataFrame({"row": np.concatenate(rows), "value": pd.arrays.ArrowStringArray(pa.concat_arrays(texts))})
        return out.drop_duplicates().reset_index(drop=True)

    phones = explode([C.PHONE, C.PHONE_ALT], C.VALID_PHONE)
    emails = explode([C.EMAIL, C.EMAIL_ALT], C.VALID_EMAIL)
    return phones, emails


def _pairs_from_blocks(keys: np.ndarray, initial: np.ndarray, limit: int, content: np.ndarray) -> np.ndarray:
    """Pair codes (left * n + right, left < right) of records sharing a key.

    ``keys`` is an (n, k) or (n,) array of integer keys per record, -1 for none. A block
    over ``limit`` is split by the name's first character; one still over it (a customer
    with hundreds of order rows, a switchboard) is linked as a star: every record with
    the block's hub, its record of least ``content`` (not the first by position, so the
    rows' order does not change the pairs). The pairs stay linear, and a customer's
    records still meet.
    """
    n = len(initial)
    keys = keys.reshape(n, -1)
    rows = np.repeat(np.arange(n, dtype=np.int64), keys.shape[1])
    values = keys.ravel()
    keep = values >= 0
    dense = unique_inverse(values[keep])[1]         # keys made dense: 0..k-1
    key = distinct(dense * n + rows[keep])          # distinct (key, record), by key then record
    group, row = key // n, key % n
    size = np.bincount(group)[group] if len(group) else group
    big = size > limit
    if big.any():  # split by the key and the name's first character
        group = np.where(big, group * (int(initial.max(initial=0)) + 2) + initial[row] + 1, -group - 1)
        order = np.lexsort((row, group))
        group, row = group[order], row[order]
        _, inverse, counts = unique_inverse(group)
        size = counts[inverse]
    star = size > limit
    left, right = within_groups(row[~star], group[~star])
    if star.any():
        g, r = group[star], row[star]
        order = np.lexsort((r, content[r], g))
        g, r = g[order], r[order]
        starts = np.r_[True, g[1:] != g[:-1]]
        hub = r[starts][np.cumsum(starts) - 1]
        spoke = hub != r
        hub, r = hub[spoke], r[spoke]
        left, right = np.r_[left, np.minimum(hub, r)], np.r_[right, np.maximum(hub, r)]
    return left * n + right


def _rare(codes: np.ndarray, limit: int) -> np.ndarray:
    """The codes of values at most ``limit`` records carry; -1 for the others."""
    ok = codes >= 0
    counts = np.bincount(codes[ok], minlength=1)
    return np.where(ok & (np.append(counts, 0)[codes] <= limit), codes, -1)


def _combined(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One dense code per (a, b), -1 where either is missing (dense: ``_rare`` counts by code)."""
    both = (a >= 0) & (b >= 0)
    out = np.full(len(a), -1, dtype=np.int64)
    out[both] = unique_inverse(a[both] * (int(b.max(initial=0)) + 1) + b[both])[1]
    return out


def _with_initial(codes: np.ndarray, initial: np.ndarray) -> np.ndarray:
    """A key per record from a code and the name's first character (-1 where the code is)."""
    return np.where(codes >= 0, codes * (int(initial.max(initial=0)) + 2) + initial + 1, -1)


def _phone_keys(prep: Prepared) -> np.ndarray:
    """The phone block: each record's phone codes, and in its free slots the mobiles its
    mailboxes spell (18196874805@163.com), so they meet the records holding that mobile.
    In free slots, not added columns: a block twice as wide cost 100 MiB at 1M rows."""
    keys = prep.phones.copy()
    spelt = prep.spelt_mobiles
    for j in range(spelt.shape[1]):
        code = spelt[:, j]
        free = keys < 0
        put = np.flatnonzero((code >= 0) & free.any(axis=1) & ~(keys == code[:, None]).any(axis=1))
        keys[put, free[put].argmax(axis=1)] = code[put]
    return keys


def candidate_pairs(records: pd.DataFrame, config: PipelineConfig,
                    contacts: tuple[pd.DataFrame, pd.DataFrame] | None = None,
                    prep: Prepared | None = None) -> pd.DataFrame:
    """Distinct (left, right) record positions that share at least one blocking key.

    Keys: each valid phone (and the mobile a mailbox spells: 18196874805@163.com), each
    personal e-mail, the name as read in pinyin (张伟, 張偉 and Wei Zhang alike; not a
    name many records carry), and the company or the address together with the name's
    first character: colleagues and family members share a company or an address but
    rarely need comparing unless their names start alike.
    Also: a mobile's first ten digits (a digit lost or doubled at the end), the part of a
    personal e-mail before @ (the same mailbox at another domain), the address from the
    street on (written with or without its city), the house number and street name (with
    or without a flat, town or postcode; each with a word of the name), and, where the sheet has them, the
    customer code, and birth date or postcode with the name's first character.
    """
    if prep is None:
        prep = prepare(records, *(contacts if contacts is not None else _contact_sets(records)))
    f = prep.fields
    # A word of the name read in pinyin, the same whatever the script, order or an English
    # name after it: 张丽, 張麗, Zhang Li and 张丽 Judy give "li" (compare.py: the person key).
    initial = np.where(f["person"].codes >= 0, f["person"].map(lambda s: s.str.split(" ").str[0]).codes,
                       f["name_key"].map(lambda s: "~" + s.str[0]).codes + 10_000)
    initial = pd.factorize(initial)[0]
    personal = np.append(~prep.generic, False)  # slot -1 reads the appended False
    digits = f["phone_digits"].map(lambda s: s.str.slice(0, 10).where(s.str.match(r"1[0-9]{9,11}$").fillna(False)))
    # A name many records share (张伟, 王芳) says little on its own: such records meet
    # through a phone, an e-mail, the company or the address instead (term frequency).
    reading, people = _person_counts(prep)
    common = np.append(people, 0)[reading] > config.common_name_records
    # 张伟 in 上海 is still common; 张伟 in 宁波 may not be
    in_city, people = _person_counts(prep, f["city"].codes)
    in_city = np.where(common & (np.append(people, 0)[in_city] <= config.common_name_records), in_city, -1)
    # The part before @ of one person's mailboxes, not of a name many people use (zhangwei@).
    one_person = np.append(prep.mailbox_names <= 1, False)  # slot -1 reads the appended False
    mailbox = np.where(personal[prep.emails] & one_person[prep.mailbox], prep.mailbox, -1)
    # a phone cell's digits: the same number valid nowhere, or read in two countries (+1 718…, +44 718…)
    # (its own codes kept where long enough: a key need only be equal where the values are)
    long_enough = pd.Series(f["phone_digits"].values, dtype=TEXT).str.len().ge(8).to_numpy(dtype=bool, na_value=False)
    written = np.where(np.append(long_enough, False)[f["phone_digits"].codes], f["phone_digits"].codes, -1)
    # The company or the address with either word of the name (its pinyin reading): colleagues
    # and family members rarely need comparing unless their names share a word, while Bill
    # Morgan and William Morgan, or Kathryn Jonson and Katherine Johnson, do.
    # Both words in one vocabulary: "brow" is the first word of "ames brow" (a letter lost
    # from James) and the second of "brow jame".
    halves = pd.Series(f["person"].values, dtype=object).str.split(" ")
    vocab = pd.factorize(pd.concat([halves.str[0], halves.str[1]], ignore_index=True))[0]
    words = np.vstack([vocab.reshape(2, -1).T, [-1, -1]])[f["person"].codes]  # row -1: no name
    words = np.where(words >= 0, words, initial[:, None] + len(vocab) + 1)  # no name: its first character
    blocks = [_phone_keys(prep), np.where(personal[prep.emails], prep.emails, -1), mailbox, digits.codes, written,
              np.where(common, -1, reading), in_city,
              *(_with_initial(f[key].codes[:, None], words)
                for key in ("company_core", "street", "anchor"))]
    for name in ("customer_code", "id_number", "personal_id"):  # identifiers: each a key on its own
        if name in f:
            blocks.append(f[name].codes)
    blocks += [_with_initial(f[name].codes, initial) for name in ("birth_on", "postcode") if name in f]
    # A birth date few records share is a key on its own (a changed or misspelt name),
    # and so is a birth date with the postcode.
    if "birth_on" in f:
        blocks.append(_rare(f["birth_on"].codes, RARE))
        if "postcode" in f:
            blocks.append(_rare(_combined(f["birth_on"].codes, f["postcode"].codes), RARE))
    n = len(initial)
    if n < 2:
        return pd.DataFrame({"left": np.zeros(0, np.int64), "right": np.zeros(0, np.int64)})
    # Each block on either core: its sorts and gathers are NumPy's, which let go of the GIL.
    codes = distinct(np.concatenate(run_all([partial(_pairs_from_blocks, b, initial, config.max_block_size,
                                                     prep.content) for b in blocks], config.threads or None)))
    return pd.DataFrame({"left": codes // n, "right": codes % n})


def _person_counts(prep: Prepared, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per record, a code of its name reading (within a city, say) and how many people carry it.

    People, not rows: a customer with twenty order rows under one phone counts once.
    """
    reading = prep.fields["reading"].codes
    if within is not None:
        reading = np.where((reading >= 0) & (within >= 0), unique_inverse(reading * (int(within.max(initial=0)) + 1)
                                                                         + within)[1], -1)
    ok = reading >= 0
    phone, email = prep.phones[:, 0] + 1, prep.emails[:, 0] + 1
    who = (reading * (int(phone.max(initial=0)) + 1) + phone) * (int(email.max(initial=0)) + 1) + email
    people = distinct(who[ok]) // ((int(phone.max(initial=0)) + 1) * (int(email.max(initial=0)) + 1))
    return reading, np.bincount(people, minlength=int(reading.max(initial=-1)) + 1)


def _profiles(prep: Prepared) -> np.ndarray:
    """A code per record for what it says (records saying the same get one: Prepared.content)."""
    return pd.factorize(prep.content)[0]


def score_pairs(records: pd.DataFrame, pairs: pd.DataFrame, keep_from: float = -np.inf,
                contacts: tuple[pd.DataFrame, pd.DataFrame] | None = None,
                prep: Prepared | None = None, keep: pd.DataFrame | None = None,
                workers: int | None = None) -> tuple[pd.DataFrame, Weights]:
    """Score candidate pairs with weights estimated on them; adds score, probability,
    agreed and disagreed (field names, comma-joined) and name_similarity. ``workers``:
    threads comparing the pairs (default: one per core).

    Only pairs scoring at least ``keep_from`` are returned (and labelled), and the pairs in
    ``keep`` whatever their score: the rest are distinct and nobody reads their explanation.
    """
    if prep is None:
        phones, emails = contacts if contacts is not None else _contact_sets(records)
        prep = prepare(records, phones, emails)
    left, right = pairs["left"].to_numpy(), pairs["right"].to_numpy()
    levels, name_sim = compare_pairs(prep, left, right, workers)
    once = _first_of_contents(prep, left, right)
    levels = {f: lv for f, lv in levels.items() if (lv > 0).any()}
    kinds = {k: v for k, v in NON_MATCH_KINDS.items() if KIND_NEEDS.get(k) in (None, *levels)}
    # The weights (EM over distinct patterns: small arrays, mostly Python) beside the frequency
    # adjustments (NumPy over every pair, which lets go of the GIL); both only read the levels.
    weights, adjust = run_all([partial(estimate_weights, {f: lv[once] for f, lv in levels.items()}, DEFAULT_M,
                                       kinds, MATCH_KINDS, CHANGED_M, MATCH_KIND_SHARES, KIND_M),
                               partial(_frequency_adjustments, prep, levels, left, right)], workers)
    score = weights.score(levels) + adjust
    several = _held_by_several_people(levels, {"phone": prep.phones, "email": prep.emails}, score, left, right)
    if several:  # scored again: only the pairs whose levels changed
        again = np.flatnonzero(np.logical_or.reduce(list(several.values())))
        score[again] = weights.score({f: lv[again] for f, lv in levels.items()}) + adjust[again]

    k = score >= keep_from
    if keep is not None and len(keep):
        kept = pairs[["left", "right"]].merge(keep[["left", "right"]].drop_duplicates().assign(_keep=True),
                                              on=["left", "right"], how="left")["_keep"]
        k |= kept.notna().to_numpy()
    qualified = {f: {SHARED[f]: " (shared)"} for f in SHARED} | {"name": {ENGLISH_NAME: " (English name)"}}
    nobodys = {f: several[f][k] if f in several else np.zeros(int(k.sum()), dtype=bool) for f in levels}
    agreed = _labels([_qualified(LABELS[f], lv[k], qualified.get(f, {}), nobodys[f],
                                 (lv[k] >= AGREE[f]) | np.isin(lv[k], list(qualified.get(f, {}))) | nobodys[f])
                      for f, lv in levels.items()])
    disagreed = _labels([([LABELS[f]], np.where((lv[k] == DIFFERENT) | ((lv[k] == 2) & (f == "name")), 0, -1))
                         for f, lv in levels.items()])
    out = pairs[k].reset_index(drop=True).assign(
        score=score[k].round(2), probability=(1 / (1 + np.exp2(-score[k]))).round(4),
        name_similarity=name_sim[k], agreed=agreed, disagreed=disagreed)
    return out, weights


def _first_of_contents(prep: Prepared, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair, whether it is the first of its two record contents. The weights are
    estimated on these only: a customer's twenty identical order rows would otherwise make
    190 pairs that all say "a match looks like this"."""
    profile = _profiles(prep)
    lo, hi = np.minimum(profile[left], profile[right]), np.maximum(profile[left], profile[right])
    first = unique_inverse(lo * (int(profile.max(initial=0)) + 1) + hi)[1]
    once = np.zeros(len(left), dtype=bool)
    once[first_positions(first)] = True
    return once


def _frequency_adjustments(prep: Prepared, levels: dict[str, np.ndarray], left: np.ndarray,
                           right: np.ndarray) -> np.ndarray:
    """Per pair, what its score gains or loses by how many people share what agrees: a
    rare name says more than 张伟, a big company or city less than a small one."""
    adjust = np.zeros(len(left))
    if "name" in levels:
        codes, counts = _person_counts(prep)
        same_name = (levels["name"] >= SAME_NAME) & (codes[left] == codes[right]) & (codes[left] >= 0)
        adjust += frequency_adjustment(codes[left], same_name, counts)
    for field, top in (("company", 3), ("city", 3)):
        if field in levels:
            codes = prep.fields[field].codes
            people = people_per_value(np.arange(prep.n), codes, prep.fields["person"].codes,
                                      len(prep.fields[field].values))
            adjust += frequency_adjustment(codes[left], levels[field] == top, people)
    return adjust


# A pair scoring this low (log2 odds: 30,000 to one against) with a phone or e-mail
# counted as its own is two people: the value is not one person's (_held_by_several_people).
# At -10, a blind 1M list marked the mailboxes of customers who moved and changed phones
# (250 of its pairs of one customer scored -10 to -15 on a name and mailbox alone).
TOLD_APART = -15.0


def _held_by_several_people(levels: dict[str, np.ndarray], slots: dict[str, np.ndarray], score: np.ndarray,
                            left: np.ndarray, right: np.ndarray) -> dict[str, np.ndarray]:
    """Agreeing on a phone or e-mail says nothing where two of its holders score
    ``TOLD_APART`` or less with it counted as theirs: the model itself tells them apart, so
    the value is not one person's (mary.smith@gmail.com put down for every Mary Smith). A
    record holding only the name and that value would otherwise join all of them. Not
    "shared" either: a shared mailbox is a family's, and under one name it reads as a
    stranger's (a blind 1M list lost 740 true links so). Sets those pairs' level to missing
    in ``levels``; returns, per field where any was, a flag per pair."""
    out = {}
    for field, values in slots.items():
        if field not in levels:
            continue
        level = levels[field]
        own = np.flatnonzero(level > SHARED[field])
        held = _agreeing(values, left[own], right[own])
        apart = held[score[own] <= TOLD_APART]
        several = np.zeros(int(values.max(initial=-1)) + 2, dtype=bool)  # code -1 reads the last: False
        several[apart[apart >= 0]] = True
        hit = several[held] | (held < 0)
        moved = own[hit.all(axis=1) & (held >= 0).any(axis=1)]
        if len(moved):
            level[moved] = MISSING
            out[field] = np.zeros(len(level), dtype=bool)
            out[field][moved] = True
    return out


def _agreeing(slots: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values two records have in common, per pair: an array of slots, -1 where none."""
    va, vb = slots[a], slots[b]
    hit = ((va[:, :, None] == vb[:, None, :]) & (va[:, :, None] >= 0)).any(axis=2)
    return np.where(hit, va, -1)


def _qualified(label: str, level: np.ndarray, notes: dict[int, str], several: np.ndarray,
               applies: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The field's labels, and per pair which one it shows (-1 where none ``applies``): a
    note on the levels that have one ("phone (shared)"), and on the pairs whose value is
    ``several`` people's."""
    index = np.zeros(len(level), dtype=np.int64)
    for i, value in enumerate(notes, start=1):
        index[level == value] = i
    index[several] = len(notes) + 1
    labels = [label, *(label + note for note in notes.values()), label + " (several people's)"]
    return labels, np.where(applies, index, -1)


def _labels(parts: list[tuple[list[str], np.ndarray]]) -> np.ndarray:
    """Comma-joined labels per pair: each part is (its labels, per pair which one, -1 none).
    Each distinct combination is joined once: pairs show a few hundred of them at most."""
    n = len(parts[0][1]) if parts else 0
    combo, size = np.zeros(n, dtype=np.int64), 1
    for labels, index in parts:
        if size * (len(labels) + 1) >= 2 ** 62:  # made dense again before it could overflow
            distinct_combos, combo, _ = unique_inverse(combo)
            size = len(distinct_combos)
        combo, size = combo * (len(labels) + 1) + index + 1, size * (len(labels) + 1)
    _, inverse, _ = unique_inverse(combo)
    texts = np.array([", ".join(labels[index[at]] for labels, index in parts if index[at] >= 0)
                      for at in first_positions(inverse).tolist()] + [""], dtype=object)
    return texts[inverse]


def fingerprints(records: pd.DataFrame, with_place: bool = False) -> np.ndarray:
    """A hash of each record's content, to break ties by what records say, not where they are
    (``with_place``: its file, sheet and row too, which tell apart rows that say the same)."""
    cols = [c for c in records.columns if with_place or c not in C.PROVENANCE]
    return pd.util.hash_pandas_object(records[cols].astype("string"), index=False).to_numpy()


def name_similarity(a_key: str, b_key: str, a_name: str, b_name: str) -> float:
    """How alike two names are, 0..100: the better of the keys' ratio and the written
    names' token-sort ratio, so "Wei Zhang" and "Zhang Wei" are alike."""
    return max(fuzz.ratio(a_key, b_key), fuzz.token_sort_ratio(a_name, b_name))


Name = tuple  # (key, reading, surname of a Chinese name, first and last word of an English name)


def names_conflict(a: Name, b: Name) -> bool:
    """Whether two names are clearly of different people.

    Each is (name key, pinyin reading[, Chinese surname, English first word, English last
    word]; the last three None where they do not apply; see compare._surnames). A name of
    one word is too little to tell anyone apart: only a surname, a given name or an English
    name was written ("White", "Jaime", 张, Judy). It can be part of any name; two full
    names in one cluster are still compared, so it cannot glue two people. Nor do an
    English name and a Chinese one with its surname conflict: "Tony Ma" and 马永健.
    """
    wa, wb = a[1].split(), b[1].split()
    if len(wa) < 2 or len(wb) < 2:
        return False
    if _english_name_of(a, b) or _english_name_of(b, a):
        return False
    if isinstance(a[0], str) and isinstance(b[0], str) and is_slip(a[0], b[0], a[1], b[1]):
        return False  # one name typed wrong: 梅亮 and 刘亮, Rhnda and Rhonda Kelly
    return name_similarity(a[0], b[0], a[1], b[1]) < DIFFERENT_NAME and not (set(wa) <= set(wb) or set(wb) <= set(wa))


def _english_name_of(english: Name, chinese: Name) -> bool:
    """Whether ``english`` is an English name carrying ``chinese``'s surname (first or last)."""
    if len(english) < 5 or len(chinese) < 5 or chinese[2] is None:
        return False
    return chinese[2] in (english[3], english[4])


def _vouched_names(sure: pd.DataFrame, named) -> set[tuple[Name, Name]]:
    """Pairs of names that certain pairs (and chains of them) show to be one person's.

    Within a chain of certain links every name vouches for every other: a customer whose
    surname changed has records under both, and each of them may meet the others. Only
    links between two full names count: a record with no name, or one word of a name,
    could be certain with two different people and must not vouch that they are one."""
    def full(i: int) -> bool:
        key, reading = named(int(i))[:2]
        return bool(key) and len(reading.split()) >= 2

    ends = np.r_[sure["left"].to_numpy(), sure["right"].to_numpy()]
    named_fully = np.array([full(i) for i in ends], dtype=bool).reshape(2, -1)
    sure = sure[named_fully[0] & named_fully[1]]
    if sure.empty:
        return set()
    rows, inverse = np.unique(np.r_[sure["left"].to_numpy(), sure["right"].to_numpy()], return_inverse=True)
    half = len(sure)
    graph = coo_matrix((np.ones(half), (inverse[:half], inverse[half:])), shape=(len(rows), len(rows)))
    _, component = connected_components(graph, directed=False)
    names: dict[int, set[Name]] = {}
    for row, c in zip(rows, component):
        names.setdefault(int(c), set()).add(named(int(row)))
    return {(x, y) for group in names.values() if len(group) > 1 for x in group for y in group if x != y}


def _conflicting_names(labels: np.ndarray, name_keys: pd.Series, names: pd.DataFrame,
                       named: Callable[[int], Name]) -> pd.Index:
    """The components holding two names that ``names_conflict``: only these need the greedy
    pass. Most components with two names hold a slip or a variant (Rhnda / Rhonda Kelly)."""
    per_label = pd.DataFrame({"label": labels, "name": name_keys.to_numpy()}).dropna()
    per_label = per_label[per_label["label"].duplicated(keep=False).to_numpy()]  # one named record: no conflict
    per_label = per_label.join(names.reset_index(drop=True).add_prefix("_")).drop_duplicates()
    several = per_label[per_label.duplicated("label", keep=False)]
    # Components as runs of a stable sort, each record's name made once: pandas' groups
    # (an Index per component) and slicing them cost more than the comparisons.
    label = several["label"].to_numpy()
    order = np.argsort(label, kind="stable")
    label, rows = label[order], several.index.to_numpy()[order]
    written = [named(int(row)) for row in rows]
    starts = run_starts(label)
    found = [label[start] for start, end in zip(starts.tolist(), np.r_[starts[1:], len(label)].tolist())
             if any(names_conflict(written[i], written[j]) for i in range(start, end) for j in range(i + 1, end))]
    return pd.Index(found, dtype=labels.dtype)


def _cluster(n: int, merges: pd.DataFrame, name_keys: pd.Series, names: pd.DataFrame,
             prints: Callable[[np.ndarray], np.ndarray], same: pd.DataFrame | None = None,
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
    keys = name_keys.to_numpy(dtype=object)  # read per pair below: arrays, not .iat
    parts = [names[c].to_numpy(dtype=object) for c in names.columns]

    def named(i: int) -> Name:
        return (keys[i], *(p[i] for p in parts))

    conflicted = _conflicting_names(labels, name_keys, names, named)
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
    # content fingerprints (``prints`` of record positions) only of the records whose ties are broken
    rows, inverse = np.unique(np.r_[todo["left"].to_numpy(), todo["right"].to_numpy()], return_inverse=True)
    fl, fr = np.split(prints(rows)[inverse], 2)
    todo = todo.assign(_lo=np.minimum(fl, fr), _hi=np.maximum(fl, fr)).sort_values(
        ["score", "_lo", "_hi"], ascending=[False, True, True], kind="stable")
    vouched = _vouched_names(todo[todo["score"] >= CERTAIN], named)
    for a, b, score in zip(todo["left"].to_numpy(), todo["right"].to_numpy(), todo["score"].to_numpy()):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        xa, xb = apart.get(ra, set()), apart.get(rb, set())
        if any(find(x) == rb for x in xa) or any(find(x) == ra for x in xb):
            continue  # a person decided some of these records are different customers
        na = members_names.get(ra, {named(a)} if keys[a] else set())
        nb = members_names.get(rb, {named(b)} if keys[b] else set())
        if not np.isinf(score) and any(names_conflict(x, y) and (x, y) not in vouched for x in na for y in nb):
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
                    decisions: pd.DataFrame | None = None,
                    tick: Callable[[int, int], None] | None = None) -> Duplicates:
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
        tick: called with (steps done, steps in all) as each of its steps ends, for a
            progress display (the steps are vectorised: no finer count is cheap).

    Returns:
        Duplicates. Cluster numbers follow the first record of each cluster, so they do
        not depend on anything but the records' order; customer IDs are made elsewhere.
    """
    step = tick or (lambda done, total: None)
    n = len(records)
    contacts = _contact_sets(records)
    prep = prepare(records, *contacts, workers=config.threads or None)
    step(1, _STEPS)
    same, different = _decided_pairs(decisions, n)
    candidates = candidate_pairs(records, config, contacts, prep)
    if len(same):  # a pair a person called the same is scored (and explained) like any other
        candidates = pd.concat([candidates, same], ignore_index=True).drop_duplicates(ignore_index=True)
    step(2, _STEPS)
    pairs, weights = score_pairs(records, candidates, config.review_threshold, prep=prep, keep=same,
                                 workers=config.threads or None)
    step(3, _STEPS)
    merges = pairs[pairs["score"] >= config.merge_threshold]
    keys = records.get(C.NAME_KEY, pd.Series([None] * n)).astype(object)
    # Names compared as read in pinyin, so 张伟 and Wei Zhang are one name to the guard.
    f = prep.fields
    written = pd.DataFrame({"reading": f["reading"].strings(""), "surname": f["surname"].strings(),
                            "first": f["latin_first"].strings(), "last": f["latin_last"].strings()})
    labels, refused = _cluster(n, merges, keys.where(keys.notna(), None), written,
                               lambda rows: fingerprints(records.iloc[rows]),
                               same, different)
    cluster = pd.Series(pd.factorize(labels)[0], index=records.index)
    step(4, _STEPS)
    pairs = _with_decisions(pairs, same, different)
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
    # Of pairs scoring alike, the one of least content stands for the two, not the first rows
    # (a re-sorted sheet shows the same pair); listed by score, then in the sheets' order.
    # Content is every field with the file, sheet and row: what a row is, not where it sits.
    rows = np.unique(candidates[["left", "right"]].to_numpy())
    content = pd.Series(fingerprints(records.iloc[rows], with_place=True), index=rows)
    a, b = content.loc[candidates["left"]].to_numpy(), content.loc[candidates["right"]].to_numpy()
    review = (candidates.assign(_a=np.minimum(a, b), _b=np.maximum(a, b))
              .sort_values(["score", "_a", "_b"], ascending=[False, True, True], kind="stable")
              .drop_duplicates(["_lo", "_hi"])
              .sort_values(["score", "left", "right"], ascending=[False, True, True], kind="stable")
              .drop(columns=["_lo", "_hi", "_a", "_b"]).reset_index(drop=True))
    step(5, _STEPS)
    return Duplicates(cluster, pairs, review, weights)


_STEPS = 5  # prepare, candidate pairs, score, cluster, review pairs
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


def _with_decisions(pairs: pd.DataFrame, same: pd.DataFrame, different: pd.DataFrame) -> pd.DataFrame:
    """``pairs`` with a decision column (pairs decided same are scored with the rest, whatever
    their score, so every merge has its explanation)."""
    decided = pd.concat([same.assign(decision="same"), different.assign(decision="different")], ignore_index=True)
    pairs = pairs.drop(columns="decision", errors="ignore").merge(decided, on=["left", "right"], how="left")
    pairs["decision"] = pairs["decision"].astype(object).where(pairs["decision"].notna(), None)
    return pairs
