"""EM finds the weights a data set implies, with no labels."""

from pathlib import Path

import numpy as np
import pandas as pd

from sheetkit.stages.compare import DEFAULT_M, NON_MATCH_KINDS
from sheetkit.stages.weights import estimate_weights, frequency_adjustment


def synthetic(n_match: int, n_other: int, seed: int = 1):
    """Pairs with known truth: matches agree on phone 90% of the time, others 2%."""
    rng = np.random.default_rng(seed)
    match = np.r_[np.ones(n_match, bool), np.zeros(n_other, bool)]
    draw = rng.random(len(match))
    phone = np.where(match, np.where(draw < 0.90, 4, 1), np.where(draw < 0.02, 4, 1))
    draw = rng.random(len(match))
    name = np.where(match, np.where(draw < 0.85, 5, 3), np.where(draw < 0.10, 5, 1))
    draw = rng.random(len(match))
    email = np.where(draw < 0.4, 0, np.where(match, np.where(draw < 0.95, 4, 1), 1))  # 40% missing
    return {"phone": phone.astype(np.int8), "name": name.astype(np.int8), "email": email.astype(np.int8)}, match


def test_em_recovers_the_share_of_matches_and_their_agreement_rates():
    levels, match = synthetic(2_000, 18_000)
    w = estimate_weights(levels, DEFAULT_M, NON_MATCH_KINDS)
    assert abs(w.prior - 0.10) < 0.02
    assert abs(w.m["phone"][4] - 0.90) < 0.03
    assert abs(w.u["phone"][4] - 0.02) < 0.01
    assert w.weight["phone"][4] > 4 and w.weight["phone"][1] < -2  # agreeing counts for, differing against
    assert w.weight["email"][0] == 0  # a missing value says nothing


def test_scores_separate_matches_from_the_rest():
    levels, match = synthetic(2_000, 18_000)
    score = estimate_weights(levels, DEFAULT_M, NON_MATCH_KINDS).score(levels)
    predicted = score >= 0
    assert (predicted & match).sum() / predicted.sum() > 0.97
    assert (predicted & match).sum() / match.sum() > 0.90


def test_a_handful_of_pairs_still_gets_the_default_weights():
    levels = {"phone": np.array([4, 1], np.int8), "name": np.array([5, 1], np.int8)}
    w = estimate_weights(levels, DEFAULT_M, NON_MATCH_KINDS)
    assert w.weight["phone"][4] > 2 and w.weight["name"][5] > 0


def test_a_common_value_counts_for_less_than_a_rare_one():
    counts = np.array([1, 1000])               # value 0 is rare, value 1 common
    values = np.array([0, 1, 1, 0])
    adjust = frequency_adjustment(values, np.array([True, True, True, False]), counts)
    assert adjust[0] > 0 > adjust[1] and adjust[3] == 0


def test_a_move_counts_once_not_once_per_field_that_changed():
    """Matches that moved differ on address and city together: with kinds of one customer
    (MATCH_KINDS) that is one change, and such a pair is more likely one customer than not;
    as two independent disagreements it would be about a thousand to one against."""
    from sheetkit.stages.compare import CHANGED_M, MATCH_KIND_SHARES, MATCH_KINDS

    rng = np.random.default_rng(3)
    n_match, n_other = 3_000, 12_000
    match = np.r_[np.ones(n_match, bool), np.zeros(n_other, bool)]
    moved = match & (rng.random(len(match)) < 0.3)
    d = rng.random(len(match))
    levels = {
        "name": np.where(match, 6, np.where(d < 0.5, 6, 1)).astype(np.int8),  # half the others are namesakes
        "phone": np.where(match, np.where(d < 0.9, 4, 1), 1).astype(np.int8),
        "address": np.where(match & ~moved, 5, 1).astype(np.int8),  # 5: the same address
        "city": np.where(match & ~moved, 3, np.where(d < 0.3, 3, 1)).astype(np.int8),
    }
    one = estimate_weights(levels, DEFAULT_M, NON_MATCH_KINDS)
    kinds = estimate_weights(levels, DEFAULT_M, NON_MATCH_KINDS, MATCH_KINDS, CHANGED_M, MATCH_KIND_SHARES)
    pattern = {"name": np.array([6], np.int8), "phone": np.array([4], np.int8), "address": np.array([1], np.int8),
               "city": np.array([1], np.int8)}  # same name and phone, new address and city
    assert kinds.score(pattern)[0] > 0 > -8 > one.score(pattern)[0]


def test_em_on_a_million_rows_of_colleagues_does_not_take_them_for_one_customer():
    """The comparison levels of 4.7 million candidate pairs from a 1,048,575-row list written
    blind to sheetkit (benchmarks/blind, seed 4, with "Pty Ltd" stripped from company keys):
    many colleagues share a company, its switchboard and its office. Unchecked, EM moved them
    into the match class and merged whole offices (precision 0.70)."""
    from sheetkit.stages.compare import CHANGED_M, KIND_NEEDS, MATCH_KIND_SHARES, MATCH_KINDS

    patterns = pd.read_csv(Path(__file__).parent.parent / "data" / "em_patterns_blind_1m.csv.gz")
    counts = patterns.pop("pairs").to_numpy()
    levels = {f: np.repeat(patterns[f].to_numpy(np.int8), counts) for f in patterns.columns}
    kinds = {k: v for k, v in NON_MATCH_KINDS.items() if KIND_NEEDS.get(k) in (None, *levels)}  # as dedupe does
    w = estimate_weights(levels, DEFAULT_M, kinds, MATCH_KINDS, CHANGED_M, MATCH_KIND_SHARES)
    assert w.m["name"][1] <= 0.05  # one customer's records seldom carry wholly different names
    colleagues = {f: np.array([0], np.int8) for f in patterns.columns} | {
        "name": np.array([1], np.int8), "phone": np.array([3], np.int8), "email": np.array([1], np.int8),
        "address": np.array([4], np.int8), "company": np.array([3], np.int8), "city": np.array([3], np.int8)}
    assert w.score(colleagues)[0] < 0  # different names on a switchboard and an office: not one customer


def test_a_customer_at_home_shares_the_family_landline_mailbox_and_address_together():
    """A customer whose family is on the list has the family's landline, mailbox and address
    "shared" on every record: with the kind "with family" that is one fact, and such a pair
    is more likely one customer than not; counted as three rarities it was not."""
    from sheetkit.stages.compare import CHANGED_M, KIND_M, MATCH_KIND_SHARES, MATCH_KINDS

    rng = np.random.default_rng(5)
    n_match, n_family, n_other = 3_000, 600, 12_000
    match = np.r_[np.ones(n_match, bool), np.zeros(n_family + n_other, bool)]
    home = match & (rng.random(len(match)) < 0.2)          # one customer, at home with family
    family = np.r_[np.zeros(n_match, bool), np.ones(n_family, bool), np.zeros(n_other, bool)]
    d = rng.random(len(match))
    levels = {
        "name": np.where(match, 6, np.where(family, np.where(d < 0.7, 1, 2), np.where(d < 0.5, 6, 1))).astype(np.int8),
        "phone": np.where(home | family, 3, np.where(match, 4, 1)).astype(np.int8),
        "email": np.where(home | family, 3, np.where(match & (d < 0.5), 4, 0)).astype(np.int8),
        "address": np.where(home | family, 4, np.where(match, 5, 1)).astype(np.int8),
    }
    pattern = {"name": np.array([6], np.int8), "phone": np.array([3], np.int8), "email": np.array([3], np.int8),
               "address": np.array([4], np.int8)}  # the same name on the family's landline, mailbox and address
    without = {k: v for k, v in MATCH_KINDS.items() if k != "with family"}
    shares = {k: v for k, v in MATCH_KIND_SHARES.items() if k in without}
    home_kind = estimate_weights(levels, DEFAULT_M, NON_MATCH_KINDS, MATCH_KINDS, CHANGED_M, MATCH_KIND_SHARES, KIND_M)
    no_home = estimate_weights(levels, DEFAULT_M, NON_MATCH_KINDS, without, CHANGED_M, shares, KIND_M)
    assert home_kind.score(pattern)[0] > 0 > no_home.score(pattern)[0]
