"""How much each comparison says, estimated from the data: Fellegi-Sunter with EM.

For every field and comparison level, ``m`` is the chance that two records of the *same*
customer compare at that level, and ``u`` the chance for two *different* customers.
Classic Fellegi-Sunter assumes the fields of different customers agree independently.
Among candidate pairs they do not: blocking brings together people with the same name
(who differ everywhere else), colleagues (same company and address, other names) and
families (same landline and address, other names). Multiplying the chances of those
agreements as if they were independent would make a family look like one person, and
two records of one person with the same name and company look like strangers.

So the pairs are modelled as a mixture of one "same customer" class and a few kinds of
"different customers" (``NON_MATCH_KINDS``), each with its own chances per field; within
a kind, fields are independent. EM estimates every class's chances and share from the
candidate pairs alone, no labelled data, starting from defaults that also count as a few
dozen pairs of evidence so that a handful of records still gets sensible answers. It runs
on the distinct combinations of levels (a few thousand) weighted by their counts, so its
cost does not depend on the number of pairs.

A pair's score is the log2 posterior odds that it is one customer: 0 is an even chance,
and each point doubles the odds. Since the model is estimated on each data set, the same
threshold means about the same probability on any file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .compare import IDENTIFIERS, unique_inverse

PRIOR_PAIRS = 100.0    # each class's defaults count as this many pairs of evidence
M_FLOOR = 0.01        # every level happens to one customer's records sometimes (typing errors)
# ...and a few levels only seldom: one customer's records with wholly different names, or
# with a phone, e-mail or address that other people use. Without these ceilings, EM on a
# sheet of many colleagues (one company, its switchboard and office, different names) can
# take them for one customer's records: measured at 1M rows, the match class drifted to
# "name different" in 25% and "phone shared" in 31% of its pairs, and merged whole offices.
M_CEILING = {"name": {1: 0.05}, "phone": {3: 0.10}, "email": {3: 0.10}, "address": {4: 0.15}}  # different; shared
# The mirror for different customers at one address or office: a typing slip between two
# people's names (Rhnda / Rhonda, 周芳 / 邹芳) is rare. Without it EM lets "households"
# explain one customer's records whose name was mistyped on a shared phone and address
# (measured: 4.4% of household pairs "close", and such pairs scored -4 to -9). Measured
# on two blind 100k lists with their truth, since a Chinese family name must look typed
# wrong to be "close" (compare.family_typed_wrong): 0.27-0.43 % of different people's
# pairs on a shared address, 0.11-0.13 % on a shared phone. At 1 % a slip at an office
# (James Jacskon beside James Jackson, on its switchboard and address) scored -2.8.
KIND_CEILING = {"households": {"name": {4: 0.003}}, "colleagues": {"name": {4: 0.003}}}
# Nor do two different people share a national ID or passport number, but by a typing
# error. On a list where few records carry one, EM let "namesakes" explain a customer who
# moved and changed phones but kept his ID: measured on a blind 100k list, 2.4% of the
# namesakes' ID pairs "same", and 江伟 / 江伟 with one ID number scored -6.8 (not even
# Review; 0.1 under this ceiling). Every kind of different customers is held to it. (A
# number held under many names, a placeholder, is no evidence at all: compare.PLACEHOLDER_PEOPLE.)
IDENTIFIER_CEILING = {field: {3: 0.0002} for field in IDENTIFIERS}
MATCH_SHARE = 0.15    # share of candidate pairs that are matches, before seeing any (0.10-0.13 measured)
MAX_ODDS = 40.0       # scores are clipped to +-this (log2)


@dataclass
class Weights:
    """The estimated model: per class and field, the chance of each level; class shares.

    ``matches`` are the kinds of one customer's records (unchanged, moved ...), ``kinds``
    the kinds of different customers. ``m`` and ``u`` are their mixtures: what a pair of
    one customer, or of different customers, looks like on average.
    """

    matches: dict[str, dict[str, np.ndarray]]
    kinds: dict[str, dict[str, np.ndarray]]
    shares: dict[str, float]          # each class: its share of candidate pairs
    iterations: int

    @property
    def prior(self) -> float:
        """Share of candidate pairs that are one customer."""
        return sum(self.shares[k] for k in self.matches) if self.matches else MATCH_SHARE

    def _mixture(self, classes: dict[str, dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
        total = sum(self.shares[k] for k in classes) or 1.0
        fields = next(iter(classes.values()), {})
        return {f: sum(classes[k][f] * self.shares[k] / total for k in classes) for f in fields}

    @property
    def m(self) -> dict[str, np.ndarray]:
        return self._mixture(self.matches)

    @property
    def u(self) -> dict[str, np.ndarray]:
        return self._mixture(self.kinds)

    @property
    def weight(self) -> dict[str, np.ndarray]:
        """log2(m/u) per level, level 0 (missing) weighing nothing: each field on its own."""
        m, u = self.m, self.u
        out = {}
        for f in m:
            w = np.log2(m[f] / u[f])
            w[0] = 0.0
            out[f] = w
        return out

    def table(self) -> pd.DataFrame:
        """One row per field and level: m, u, weight and each kind's chance, for reports and tests."""
        from .compare import LEVELS

        m, u, w = self.m, self.u, self.weight
        rows = [{"field": f, "level": LEVELS[f][k], "m": m[f][k], "u": u[f][k], "weight": w[f][k],
                 **{kind: self.kinds[kind][f][k] for kind in self.kinds}}
                for f in m for k in range(1, len(m[f]))]
        return pd.DataFrame(rows)

    def score(self, levels: dict[str, np.ndarray]) -> np.ndarray:
        """Each pair's log2 posterior odds of being one customer (before term-frequency adjustment)."""
        fields = [f for f in levels if f in self.m]
        if not fields or not len(levels[fields[0]]):
            return np.zeros(len(next(iter(levels.values()))) if levels else 0)
        m = self.m
        cols, inverse, _ = _patterns(levels, {f: len(m[f]) for f in fields})
        return _log_odds(cols, self)[inverse]


def _patterns(levels: dict[str, np.ndarray], n_levels: dict[str, int]):
    """Distinct combinations of levels: (level of each field per pattern, pattern of each pair, counts)."""
    fields = list(n_levels)
    code = np.zeros(len(levels[fields[0]]), dtype=np.int64)
    for f in fields:
        code = code * n_levels[f] + levels[f]
    patterns, inverse, counts = unique_inverse(code)
    cols = {}
    for f in reversed(fields):
        cols[f] = patterns % n_levels[f]
        patterns = patterns // n_levels[f]
    return cols, inverse, counts.astype(float)


def _class_log_lik(cols: dict[str, np.ndarray], chances: dict[str, np.ndarray], share: float) -> np.ndarray:
    """ln(share * product of the chances of each pattern's levels); missing (level 0) counts 1."""
    out = np.full(len(next(iter(cols.values()))), np.log(max(share, 1e-12)))
    for f, lv in cols.items():
        out += np.log(np.where(lv == 0, 1.0, chances[f][lv]))
    return out


def _classes(model: Weights) -> dict[str, dict[str, np.ndarray]]:
    return {**model.matches, **model.kinds}


def _responsibilities(cols: dict[str, np.ndarray], model: Weights) -> dict[str, np.ndarray]:
    """P(class | pattern) for every class."""
    ll = {c: _class_log_lik(cols, ch, model.shares[c]) for c, ch in _classes(model).items()}
    top = np.max(np.vstack(list(ll.values())), axis=0)
    ex = {c: np.exp(v - top) for c, v in ll.items()}
    total = sum(ex.values())
    return {c: v / total for c, v in ex.items()}


def _log_sum(ll: np.ndarray) -> np.ndarray:
    top = ll.max(axis=0)
    return top + np.log(np.exp(ll - top).sum(axis=0))


def _log_odds(cols: dict[str, np.ndarray], model: Weights) -> np.ndarray:
    def total(classes: dict[str, dict[str, np.ndarray]]) -> np.ndarray:
        return _log_sum(np.vstack([_class_log_lik(cols, ch, model.shares[c]) for c, ch in classes.items()]))

    return np.clip((total(model.matches) - total(model.kinds)) / np.log(2), -MAX_ODDS, MAX_ODDS)


def _distribution(levels: list[float]) -> np.ndarray:
    """Chances over levels 1.. from defaults; level 0 (missing) holds nothing."""
    out = np.concatenate([[0.0], np.asarray(levels, dtype=float)])
    return out / out.sum()


def estimate_weights(levels: dict[str, np.ndarray], match: dict[str, list[float]],
                     kinds: dict[str, dict[str, list[float]]], changes: dict[str, set[str]] | None = None,
                     changed: dict[str, list[float]] | None = None, change_shares: dict[str, float] | None = None,
                     kind_m: dict[str, dict[str, list[float]]] | None = None,
                     max_iter: int = 200, tol: float = 1e-5) -> Weights:
    """EM over candidate pairs' comparison levels (maximum a posteriori from the defaults).

    Args:
        levels: field -> level per pair (0 missing).
        match: field -> default chances of levels 1.. for one customer's records.
        kinds: kind of different customers -> field -> default chances of levels 1..
        changes: kinds of one customer -> the fields that changed (``compare.MATCH_KINDS``);
            without it, one customer's records are one class, "match".
        changed: field -> default chances of a changed field. Every kind that changes a
            field shares one estimate of it; every kind that does not shares ``match``'s.
        change_shares: each kind's starting share of one customer's pairs.
        kind_m: kind of one customer -> field -> default chances: that kind's changed
            fields have an estimate of their own (not ``changed``), with no ceiling
            (``compare.KIND_M``: a customer at an office shares its phone and address).

    Returns:
        Weights. Missing values are ignored (they have the same chance in every class).
    """
    fields = [f for f in levels if f in match]
    n_levels = {f: len(match[f]) + 1 for f in fields}
    changes = changes or {"match": set()}
    change_shares = change_shares or {c: 1 / len(changes) for c in changes}

    kind_m = kind_m or {}

    def tie(c: str, f: str) -> str:  # which estimate a match kind's field shares
        if f in changes[c] and f in kind_m.get(c, {}):
            return c
        return "changed" if f in changes[c] and changed and f in changed else "match"

    base = {"match": {f: _distribution(match[f]) for f in fields},
            "changed": {f: _distribution(changed[f]) for f in fields if changed and f in changed}}
    base |= {c: {f: _distribution(v) for f, v in kind_m[c].items() if f in fields} for c in kind_m if c in changes}
    prior = {c: {f: base[tie(c, f)][f] for f in fields} for c in changes}
    prior |= {k: {f: _distribution(v[f]) for f in fields} for k, v in kinds.items()}
    shares0 = {c: MATCH_SHARE * change_shares[c] for c in changes} | {k: (1 - MATCH_SHARE) / len(kinds) for k in kinds}
    model = Weights({c: {f: prior[c][f].copy() for f in fields} for c in changes},
                    {k: {f: prior[k][f].copy() for f in fields} for k in kinds}, dict(shares0), 0)
    if not fields or not len(levels[fields[0]]):
        return model
    cols, _, counts = _patterns(levels, n_levels)
    total = counts.sum()

    def estimate(f: str, weight: np.ndarray, default: np.ndarray, floor: bool, ceiling: bool = True,
                 caps: dict[int, float] | None = None) -> np.ndarray:
        seen = cols[f] > 0
        new = np.bincount(cols[f][seen], weight[seen], minlength=n_levels[f]) + PRIOR_PAIRS * default
        new[0] = 0.0
        new /= new.sum()
        if floor:  # every level happens to one customer's records sometimes
            new[1:] = np.maximum(new[1:], M_FLOOR)
            new /= new.sum()
            caps = M_CEILING.get(f, {}) if ceiling else {}
        for level, cap in (caps or {}).items():
            if new[level] > cap:  # the excess goes to the other levels, in proportion
                others = new.sum() - new[level]
                new *= (1 - cap) / others
                new[level] = cap
        return new

    for it in range(1, max_iter + 1):
        resp = _responsibilities(cols, model)
        change = 0.0
        for c, r in resp.items():
            share = (r @ counts + PRIOR_PAIRS * shares0[c]) / (total + PRIOR_PAIRS)
            change = max(change, abs(share - model.shares[c]))
            model.shares[c] = share
        for k in model.kinds:
            for f in fields:
                caps = KIND_CEILING.get(k, {}).get(f, {}) | IDENTIFIER_CEILING.get(f, {})
                new = estimate(f, resp[k] * counts, prior[k][f], floor=False, caps=caps)
                change = max(change, float(np.abs(new - model.kinds[k][f]).max()))
                model.kinds[k][f] = new
        for f in fields:  # match kinds: one estimate per tie, from all the kinds sharing it
            for group in {tie(c, f) for c in changes}:
                members = [c for c in changes if tie(c, f) == group]
                new = estimate(f, sum(resp[c] for c in members) * counts, base[group][f], floor=True,
                               ceiling=group in ("match", "changed"))
                change = max(change, float(np.abs(new - model.matches[members[0]][f]).max()))
                for c in members:
                    model.matches[c][f] = new
        model.iterations = it
        if change < tol:
            break
    for chances in [*model.matches.values(), *model.kinds.values()]:
        for f in fields:  # level 0 (missing) is as likely in every class: it says nothing
            chances[f] = chances[f].copy()
            chances[f][0] = 1.0
    return model


def frequency_adjustment(values: np.ndarray, agree: np.ndarray, counts: np.ndarray,
                         limit: tuple[float, float] = (-12.0, 4.0)) -> np.ndarray:
    """Term-frequency adjustment (log2) for pairs that agree on a value.

    A value many people carry (张伟) is weaker evidence than the average agreeing value, a
    rare one stronger. Returns log2(typical count / this value's count) for agreeing pairs,
    0 elsewhere, clipped to ``limit``. ``values`` are codes into ``counts``; "typical" is
    the geometric mean count over the agreeing pairs.
    """
    out = np.zeros(len(values))
    if agree.any():
        log_count = np.log2(np.maximum(counts[values[agree]], 1))
        out[agree] = np.clip(log_count.mean() - log_count, *limit)
    return out
