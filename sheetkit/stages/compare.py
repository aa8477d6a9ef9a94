"""Graded field comparisons of record pairs: each field gives a level per pair.

Levels are small integers, 0 meaning "one side is missing" (no evidence either way)
and higher meaning closer agreement; ``LEVELS`` names them. How much each level says is
not decided here: ``weights.py`` estimates it from the data.

Contact values (phones, e-mails, addresses) that several different people use — a
family landline, a company switchboard, ``info@``, a spouse's e-mail — agree on their own
level, "shared", so that the data can say that such an agreement means little. People
are told apart by their name as read in pinyin (张伟, 張偉 and Wei Zhang are one).
Similarities are computed with rapidfuzz's batch ``cpdist`` over all pairs at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cpdist

from .. import columns as C
from ..values.pinyin import pinyin_tokens

GENERIC_MAILBOXES = {"info", "sales", "admin", "service", "contact", "support", "office", "hr",
                     "noreply", "no-reply", "kefu", "hello", "marketing", "webmaster", "postmaster"}
SLOTS = 3  # phones or e-mails compared per record: the primary and two alternates
SHARED_BY = 2  # a contact value used under this many different names is shared

MISSING, DIFFERENT = 0, 1
LEVELS: dict[str, list[str]] = {
    "name": ["missing", "different", "surname or part", "close", "same reading", "exact"],
    "phone": ["missing", "different", "one digit off", "shared", "same"],
    "email": ["missing", "different", "same mailbox name", "shared", "same"],
    "address": ["missing", "different", "close", "shared", "same"],
    "company": ["missing", "different", "close", "same"],
    "city": ["missing", "different", "same"],
    "birth_on": ["missing", "different", "one digit off", "same"],
    "postcode": ["missing", "different", "one digit off", "same"],
    "customer_code": ["missing", "different", "one character off", "same"],
    "gender": ["missing", "different", "same"],
}
# Starting chances per level, from "different" up, for records of one customer and for
# the kinds of different customers that blocking brings together. EM starts here and
# counts these as a few dozen pairs of evidence (weights.py); a sheet's own pairs soon
# outweigh them. Fields a kind does not name start at GENERIC.
DEFAULT_M = {
    "name": [0.03, 0.04, 0.05, 0.15, 0.73], "phone": [0.15, 0.03, 0.05, 0.77], "email": [0.10, 0.05, 0.02, 0.83],
    "address": [0.20, 0.10, 0.10, 0.60], "company": [0.10, 0.10, 0.80], "city": [0.10, 0.90],
    "birth_on": [0.05, 0.05, 0.90], "postcode": [0.05, 0.05, 0.90], "customer_code": [0.05, 0.05, 0.90],
    "gender": [0.05, 0.95],
}
GENERIC = {
    "name": [0.80, 0.12, 0.03, 0.01, 0.04], "phone": [0.90, 0.01, 0.05, 0.04], "email": [0.94, 0.01, 0.03, 0.02],
    "address": [0.85, 0.05, 0.05, 0.05], "company": [0.80, 0.10, 0.10], "city": [0.50, 0.50],
    "birth_on": [0.95, 0.04, 0.01], "postcode": [0.90, 0.05, 0.05], "customer_code": [0.98, 0.01, 0.01],
    "gender": [0.50, 0.50],
}
NON_MATCH_KINDS = {
    "namesakes": GENERIC | {"name": [0.05, 0.05, 0.10, 0.30, 0.50]},
    "colleagues": GENERIC | {"name": [0.60, 0.35, 0.03, 0.01, 0.01], "company": [0.05, 0.10, 0.85],
                             "address": [0.40, 0.05, 0.45, 0.10], "email": [0.85, 0.02, 0.10, 0.03]},
    "households": GENERIC | {"name": [0.60, 0.38, 0.01, 0.005, 0.005], "phone": [0.30, 0.01, 0.64, 0.05],
                             "address": [0.20, 0.05, 0.70, 0.05], "email": [0.70, 0.02, 0.25, 0.03],
                             "company": [0.70, 0.10, 0.20]},
}
AGREE = {"name": 3, "phone": 3, "email": 3, "address": 2, "company": 2, "city": 2, "birth_on": 2,
         "postcode": 2, "customer_code": 2, "gender": 2}  # from this level up a field "agreed"
SHARED = {"phone": 3, "email": 3, "address": 3}  # the level of agreeing on a shared value


@dataclass
class Prepared:
    """Per-record values in comparable form, computed once for all pairs."""

    name_key: np.ndarray        # NFKC, case-folded, no spaces (object, None if missing)
    name_reading: np.ndarray    # pinyin words sorted: "wei zhang" for 张伟, 張偉, Zhang Wei
    phones: np.ndarray          # (n, SLOTS) int codes, -1 empty
    phone_names: np.ndarray     # names using each phone code
    emails: np.ndarray          # (n, SLOTS) int codes, -1 empty
    email_names: np.ndarray     # names using each e-mail code (generic mailboxes count as many)
    mailbox: np.ndarray         # (n, SLOTS) int codes of the part before @, -1 empty
    address_names: np.ndarray   # per record: names at its address
    person: np.ndarray          # coarse name key to count different people by
    phone_digits: np.ndarray    # the first phone's national digits, also when it is not a valid number
    street: np.ndarray          # per record: code of its address from the street on, -1 if none
    text: dict[str, np.ndarray]  # other fields, object arrays with None for missing


def _sorted_words(s: pd.Series) -> np.ndarray:
    """'zhang wei' -> 'wei zhang': one spelling for either order, computed per distinct value."""
    codes, uniques = pd.factorize(s)
    table = np.array([" ".join(sorted(v.split())) for v in uniques.tolist()] + [None], dtype=object)
    return table[codes]


def _person_key(words: pd.Series) -> np.ndarray:
    """A coarse name to count people by: the first three letters of the first two words, sorted.

    张伟, 張偉, Zhang Wei and Wei Zhang give "wei zha"; 何帅泽 Kevin and 何帅泽 give "he shu";
    Steve Yuan and Steven Yuan give "ste yua". Spelling variants of one person's name then
    do not make their own phone look like a family's.
    """
    codes, uniques = pd.factorize(words)
    keys = [" ".join(sorted(w[:3] for w in v.split()[:2])) for v in uniques.tolist()]
    return np.array(keys + [None], dtype=object)[codes]


def _names_per_value(rows: np.ndarray, values: np.ndarray, person: np.ndarray, n_values: int) -> np.ndarray:
    """How many different people (by name) use each value code; records without a name do not count."""
    frame = pd.DataFrame({"v": values, "name": person[rows]}).dropna().drop_duplicates()
    return np.bincount(frame["v"].to_numpy(dtype=np.int64), minlength=n_values)


def _slots(sets: pd.DataFrame, n: int) -> tuple[np.ndarray, pd.Index]:
    """(row, value) pairs as an (n, SLOTS) array of value codes, -1 where empty."""
    codes, uniques = pd.factorize(sets["value"])
    rank = sets.groupby("row").cumcount().to_numpy()
    keep = rank < SLOTS
    out = np.full((n, SLOTS), -1, dtype=np.int64)
    out[sets["row"].to_numpy()[keep], rank[keep]] = codes[keep]
    return out, uniques


def prepare(records: pd.DataFrame, phones: pd.DataFrame, emails: pd.DataFrame) -> Prepared:
    """Comparable values of every record. ``phones``/``emails``: (row, value), valid values only."""
    n = len(records)

    def column(name: str) -> pd.Series:
        return records[name] if name in records.columns else pd.Series(None, index=records.index, dtype=object)

    reading_words = column(C.NAME_PINYIN) if C.NAME_PINYIN in records.columns else pinyin_tokens(column(C.NAME))
    reading = _sorted_words(pd.Series(reading_words, dtype=object))
    person = _person_key(pd.Series(reading_words, dtype=object))
    phone_slots, phone_values = _slots(phones, n)
    email_slots, email_values = _slots(emails, n)
    phone_names = _names_per_value(phones["row"].to_numpy(), pd.Index(phone_values).get_indexer(phones["value"]),
                                   person, len(phone_values))
    email_names = _names_per_value(emails["row"].to_numpy(), pd.Index(email_values).get_indexer(emails["value"]),
                                   person, len(email_values))
    local = pd.Series(email_values, dtype=object).str.extract(r"^([^@]*)@", expand=False)
    email_names[local.isin(GENERIC_MAILBOXES).to_numpy()] = SHARED_BY + 99
    mailbox = np.append(pd.factorize(local)[0], -1)[email_slots]  # slot -1 reads the appended -1

    address = column(C.ADDRESS_KEY)
    address_codes = pd.factorize(address)[0]
    address_names = np.zeros(n, dtype=np.int64)
    if (address_codes >= 0).any():
        has = np.flatnonzero(address_codes >= 0)
        per_value = _names_per_value(has, address_codes[has], person, int(address_codes.max()) + 1)
        address_names[has] = per_value[address_codes[has]]

    text = {
        "address": address.to_numpy(dtype=object),
        "company": column(C.COMPANY_KEY).to_numpy(dtype=object),
        "city": column(C.CITY).astype("string").str.replace(r"\s+|市$", "", regex=True).str.lower()
                .to_numpy(dtype=object, na_value=None),
    }
    for name in ("birth_on", "postcode", "customer_code", "gender"):
        if name in records.columns:
            text[name] = (records[name].astype("string").str.replace(r"[\s\-/.]", "", regex=True).str.lower()
                          .to_numpy(dtype=object, na_value=None))
    return Prepared(column(C.NAME_KEY).to_numpy(dtype=object), reading, phone_slots, phone_names,
                    email_slots, email_names, mailbox, address_names, person, phone_digits(column(C.PHONE)),
                    pd.factorize(street_key(address))[0], text)


def street_key(address: pd.Series) -> pd.Series:
    """The address from the street on: what stays when a city or 市 is left out.

    >>> street_key(pd.Series(["上海市浦东新区张江路1号", "浦东新区张江路1号", None])).tolist()
    ['张江路1号', '张江路1号', <NA>]
    """
    return address.astype("string").str.replace(r"^.*?(?:区|县|街道|镇)", "", regex=True)


def phone_digits(phones: pd.Series) -> np.ndarray:
    """National digits of a phone cell, valid or not: '+8613812345678' and '138123456788' (a
    doubled digit) give 13812345678 and 138123456788; a country code 86 is dropped."""
    digits = phones.astype("string").str.replace(r"\D", "", regex=True)
    national = digits.where(~(digits.str.startswith("86") & (digits.str.len() >= 12)), digits.str.slice(2))
    national = national.where(national.str.len() >= 7)
    return national.to_numpy(dtype=object, na_value=None)


def similarity(a: np.ndarray, b: np.ndarray, scorer=fuzz.ratio, where: np.ndarray | None = None,
               **kwargs) -> np.ndarray:
    """Elementwise similarity of two aligned object arrays of str; NaN where either is missing
    (or ``where`` is False). Object arrays go to rapidfuzz as they are: converting them to
    numpy text first costs more than the comparison."""
    both = pd.notna(a) & pd.notna(b)
    if where is not None:
        both &= where
    out = np.full(len(a), np.nan)
    if both.any():
        out[both] = cpdist(a[both], b[both], scorer=scorer, workers=-1, **kwargs)
    return out


def _set_levels(slots: np.ndarray, names: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """missing / different / shared (2) / same (3) for set-valued fields (phones, e-mails)."""
    a, b = slots[left], slots[right]
    has_a, has_b = (a >= 0).any(axis=1), (b >= 0).any(axis=1)
    fewest = np.full(len(left), np.iinfo(np.int64).max)
    names = np.append(names, 0)  # slot -1 reads the appended 0
    for i in range(SLOTS):
        for j in range(SLOTS):
            hit = (a[:, i] >= 0) & (a[:, i] == b[:, j])
            fewest = np.where(hit, np.minimum(fewest, names[a[:, i]]), fewest)
    agree = fewest < np.iinfo(np.int64).max
    level = np.where(has_a & has_b, DIFFERENT, MISSING)
    return np.where(agree, np.where(fewest >= SHARED_BY, 2, 3), level).astype(np.int8)


def _graded(a: np.ndarray, b: np.ndarray, close: np.ndarray | None = None) -> np.ndarray:
    """missing / different / [close] / same for a text field."""
    both = pd.notna(a) & pd.notna(b)
    same = both & (a == b)
    top = 2 if close is None else 3
    level = np.where(same, top, np.where(both, DIFFERENT, MISSING))
    if close is not None:
        level = np.where(both & ~same & close, 2, level)
    return level.astype(np.int8)


def compare_pairs(prep: Prepared, left: np.ndarray, right: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The level of every field for each pair, and the pairs' name similarity (0..100)."""
    levels: dict[str, np.ndarray] = {}
    ka, kb = prep.name_key[left], prep.name_key[right]
    ra, rb = prep.name_reading[left], prep.name_reading[right]
    both = pd.notna(ra) & pd.notna(rb)
    reading_same = both & (ra == rb)
    name_same = both & (ka == kb)
    sim = np.fmax(similarity(ka, kb), similarity(ra, rb, fuzz.token_set_ratio))
    levels["name"] = np.select([name_same, reading_same, sim >= 88, sim >= 60, both],
                               [5, 4, 3, 2, DIFFERENT], MISSING).astype(np.int8)

    phone = _set_levels(prep.phones, prep.phone_names, left, right)
    da, db = prep.phone_digits[left], prep.phone_digits[right]
    typo = similarity(da, db, Levenshtein.distance) <= 1
    phone = np.where(phone >= 2, phone + 1, np.where(phone <= DIFFERENT, np.where(typo, 2, phone), phone))
    levels["phone"] = np.where((phone == MISSING) & pd.notna(da) & pd.notna(db), DIFFERENT, phone).astype(np.int8)
    email = _set_levels(prep.emails, prep.email_names, left, right)
    email = np.where(email == 3, 4, np.where(email == 2, 3, email))
    mailbox = (prep.mailbox[left][:, :, None] == prep.mailbox[right][:, None, :]) & (prep.mailbox[left][:, :, None] >= 0)
    levels["email"] = np.where((email == DIFFERENT) & mailbox.any(axis=(1, 2)), 2, email).astype(np.int8)

    aa, ab = prep.text["address"][left], prep.text["address"][right]
    sa, sb = prep.street[left], prep.street[right]  # 上海市浦东新区X路1号 and 浦东新区X路1号: close
    address = _graded(aa, ab, (sa >= 0) & (sa == sb))
    shared = (prep.address_names[left] >= SHARED_BY) | (prep.address_names[right] >= SHARED_BY)
    levels["address"] = np.where(address == 3, np.where(shared, 3, 4), address).astype(np.int8)

    ca, cb = prep.text["company"][left], prep.text["company"][right]
    close = similarity(ca, cb, fuzz.partial_ratio, where=ca != cb, score_cutoff=90) >= 90  # 信凤食品, 北京信凤食品
    levels["company"] = _graded(ca, cb, close)
    levels["city"] = _graded(prep.text["city"][left], prep.text["city"][right])
    for name in ("birth_on", "postcode", "customer_code"):
        if name in prep.text:
            a, b = prep.text[name][left], prep.text[name][right]
            edits = similarity(a, b, Levenshtein.distance)
            levels[name] = _graded(a, b, edits <= 1)
    if "gender" in prep.text:
        levels["gender"] = _graded(prep.text["gender"][left], prep.text["gender"][right])
    return levels, sim
