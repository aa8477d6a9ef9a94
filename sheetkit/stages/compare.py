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

import functools
import re
import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import cpdist
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .. import columns as C
from ..memory import release
from ..parallel import run_all
from ..values.addresses import spell_out_streets
from ..values.given_names import opposite
from ..values.pinyin import (
    ROMANIZED_FORMS,
    SURNAME_READINGS,
    SYLLABLES,
    char_reading,
    pinyin_tokens,
    reads_as_pinyin,
    romanized_forms,
)
from ..values.text import HAN, NON_WORD, TEXT, extract, replace_regex

GENERIC_MAILBOXES = {"info", "sales", "admin", "service", "contact", "support", "office", "hr",
                     "noreply", "no-reply", "kefu", "hello", "marketing", "webmaster", "postmaster"}
SLOTS = 3  # phones or e-mails compared per record: the primary and two alternates
SHARED_BY = 2  # a contact value used under this many different names is shared
# Mobiles by their country's prefix: China, Australia, the UK, New Zealand (a US number does not say)
_MOBILE = r"^\+(861[3-9][0-9]{9}|614[0-9]{8}|447[0-9]{9}|642[0-9]{7,9})$"
_SLIP_GROUP = 6  # names on a value used by more people than this are not checked for typing slips
CLOSE_ADDRESS = 85.0  # addresses or cities this alike (rapidfuzz ratio, 0-100) are "close": typos

MISSING, DIFFERENT = 0, 1
LEVELS: dict[str, list[str]] = {
    "name": ["missing", "different", "surname or part", "English name, same surname", "close", "same reading",
             "exact"],
    "phone": ["missing", "different", "one digit off", "shared", "same"],
    "email": ["missing", "different", "same mailbox name", "shared", "same", "same, numbered mailbox"],
    "address": ["missing", "different", "alike, other number", "close", "shared", "same"],
    "company": ["missing", "different", "close", "same"],
    "city": ["missing", "different", "close", "same"],
    "birth_on": ["missing", "different", "one digit off", "same"],
    "postcode": ["missing", "different", "one digit off", "same"],
    "customer_code": ["missing", "different", "one character off", "same"],
    "id_number": ["missing", "different", "one character off", "same"],
    "personal_id": ["missing", "different", "one character off", "same"],
    "gender": ["missing", "different", "same"],
}
# Starting chances per level, from "different" up, for records of one customer and for
# the kinds of different customers that blocking brings together. EM starts here and
# counts these as a few dozen pairs of evidence (weights.py); a sheet's own pairs soon
# outweigh them. Fields a kind does not name start at GENERIC.
DEFAULT_M = {
    "name": [0.03, 0.04, 0.03, 0.05, 0.15, 0.73], "phone": [0.15, 0.03, 0.05, 0.77],
    "email": [0.10, 0.05, 0.02, 0.50, 0.33],
    "address": [0.20, 0.03, 0.10, 0.10, 0.57], "company": [0.10, 0.10, 0.80], "city": [0.10, 0.05, 0.85],
    "birth_on": [0.05, 0.05, 0.90], "postcode": [0.05, 0.05, 0.90], "customer_code": [0.05, 0.05, 0.90],
    "id_number": [0.03, 0.05, 0.92], "personal_id": [0.03, 0.05, 0.92], "gender": [0.05, 0.95],
}
GENERIC = {
    "name": [0.80, 0.12, 0.005, 0.03, 0.01, 0.04], "phone": [0.95, 0.01, 0.035, 0.005],
    "email": [0.95, 0.01, 0.035, 0.004, 0.001],
    "address": [0.85, 0.03, 0.05, 0.05, 0.05], "company": [0.80, 0.10, 0.10], "city": [0.50, 0.02, 0.48],
    "birth_on": [0.95, 0.04, 0.01], "postcode": [0.90, 0.05, 0.05], "customer_code": [0.98, 0.01, 0.01],
    "id_number": [0.985, 0.01, 0.005], "personal_id": [0.985, 0.01, 0.005], "gender": [0.50, 0.50],
}
NON_MATCH_KINDS = {
    "namesakes": GENERIC | {"name": [0.05, 0.05, 0.001, 0.10, 0.10, 0.70]},
    "colleagues": GENERIC | {"name": [0.60, 0.35, 0.01, 0.03, 0.01, 0.01], "company": [0.05, 0.10, 0.85],
                             "address": [0.40, 0.05, 0.05, 0.45, 0.10], "email": [0.85, 0.02, 0.10, 0.02, 0.01]},
    "households": GENERIC | {"name": [0.60, 0.38, 0.01, 0.01, 0.005, 0.005], "phone": [0.30, 0.01, 0.64, 0.05],
                             "address": [0.20, 0.02, 0.05, 0.70, 0.05], "email": [0.70, 0.02, 0.25, 0.02, 0.01],
                             "company": [0.70, 0.10, 0.20]},
    # strangers born on one day: brought together by a rare birth date (dedupe's blocking)
    "birthdays": GENERIC | {"name": [0.90, 0.08, 0.002, 0.01, 0.005, 0.005], "birth_on": [0.02, 0.03, 0.95]},
}
KIND_NEEDS = {"birthdays": "birth_on"}  # a kind is left out where the data lack its field
# One customer's records as they change: a customer who moved has a new address, city and
# postcode together, one who changed jobs a new company and work e-mail. Counting each of
# those disagreements as independent evidence would make a customer who moved look like a
# stranger, so these are kinds of one customer: each kind's changed fields have the
# chances CHANGED_M, shared by every kind that changes them; all other fields the chances
# of the customer who changed nothing (weights.py ties them).
MATCH_KINDS = {"unchanged": set(), "moved": {"address", "city", "postcode"}, "new job": {"company", "email"},
               "moved and new job": {"address", "city", "postcode", "company", "email"},
               "at a shared office": {"phone", "address"}, "new phone": {"phone"},
               "moved and new phone": {"address", "city", "postcode", "phone"},
               "with family": {"phone", "email", "address"}}
MATCH_KIND_SHARES = {"unchanged": 0.67, "moved": 0.08, "new job": 0.08, "moved and new job": 0.04,
                     "at a shared office": 0.04, "new phone": 0.03, "moved and new phone": 0.03, "with family": 0.03}
CHANGED_M = {"address": [0.85, 0.03, 0.05, 0.05, 0.05], "city": [0.75, 0.05, 0.20], "postcode": [0.85, 0.05, 0.10],
             "company": [0.85, 0.05, 0.10], "email": [0.60, 0.15, 0.05, 0.12, 0.08],
             "phone": [0.85, 0.03, 0.05, 0.07]}
# One customer at an office: the switchboard and the office address are shared with
# colleagues, and they come together. Counted as two independent rarities (a shared phone,
# and a shared address) they made 2-6 bits against Michael Fraser / Michael Frazer with one
# mailbox, one switchboard and one office; a kind of their own estimates them jointly. So
# for one customer at home with family: the family's landline, mailbox and address are all
# "shared" on every record of it (Joseph / Joseh Williams beside Linda Williams).
KIND_M = {"at a shared office": {"phone": [0.05, 0.02, 0.88, 0.05], "address": [0.05, 0.02, 0.05, 0.83, 0.05]},
          "with family": {"phone": [0.10, 0.02, 0.80, 0.08], "email": [0.30, 0.02, 0.40, 0.20, 0.08],
                          "address": [0.05, 0.02, 0.05, 0.83, 0.05]}}
AGREE = {"name": 4, "phone": 3, "email": 3, "address": 3, "company": 2, "city": 2, "birth_on": 2,
         "postcode": 2, "customer_code": 2, "id_number": 2, "personal_id": 2, "gender": 2}  # from this level up a field "agreed"
SHARED = {"phone": 3, "email": 3, "address": 4}  # the level of agreeing on a shared value
# A national ID or passport number is one person's (weights.IDENTIFIER_CEILING), so one that
# PLACEHOLDER_RECORDS records or more hold under PLACEHOLDER_PEOPLE names or more (slips of
# one name counted as one) is a placeholder typed for anyone, and says nothing. Fewer is
# one person's: FEBRL's duplicates carry one number under names typed several ways, up to
# six records; a surname changes and the number stays.
IDENTIFIERS = ("id_number", "personal_id")
PLACEHOLDER_PEOPLE, PLACEHOLDER_RECORDS = 3, 10
ENGLISH_NAME = 3  # the name level of "Tony Ma" beside 马永健
CLOSE_NAME = 4  # the name level of a typing slip (Rhnda / Rhonda, 梅亮 / 刘亮)
SAME_NAME = 5  # name levels from here up: the same name (same reading or exact)


@dataclass
class Coded:
    """A column as integer codes per record (-1 missing) into its distinct values."""

    codes: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, values: pd.Series | np.ndarray) -> Coded:
        text = isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype)
        codes, uniques = pd.factorize(values if text else pd.Series(values, dtype=object))  # Arrow: dictionary-encoded
        return cls(codes.astype(np.int64), np.asarray(uniques, dtype=object))

    def map(self, fn) -> Coded:
        """Apply a Series -> Series function to the distinct values only, and re-code."""
        mapped = Coded.of(fn(pd.Series(self.values, dtype=TEXT)))  # Arrow: string methods run in C++
        lookup = np.append(mapped.codes, -1)  # code -1 reads the appended -1
        return Coded(lookup[self.codes], mapped.values)

    def strings(self, missing: str | None = None, rows: np.ndarray | None = None) -> np.ndarray:
        """Each record's value (``missing`` where it has none); of ``rows`` only, when given."""
        codes = self.codes if rows is None else self.codes[rows]
        return np.append(self.values, np.array([missing], dtype=object))[codes]


@dataclass
class Prepared:
    """Per-record values in comparable form, computed once for all pairs."""

    fields: dict[str, Coded]    # name_key, reading (pinyin words sorted: "wei zhang"), person,
                                # address, street, address_words, company, city, phone_digits, and optional fields
    phones: np.ndarray          # (n, SLOTS) int codes, -1 empty
    phone_names: np.ndarray     # people (by name) using each phone code
    emails: np.ndarray          # (n, SLOTS) int codes, -1 empty
    email_names: np.ndarray     # people using each e-mail code (generic mailboxes count as many)
    generic: np.ndarray         # per e-mail code: info@, sales@ ...
    mailbox: np.ndarray         # (n, SLOTS) int codes of the part before @, -1 empty
    mailbox_names: np.ndarray   # people using each mailbox name
    address_names: np.ndarray   # per record: people at its address
    numbered: np.ndarray        # per e-mail code: its mailbox holds a digit (3377128623@qq.com, karen396@)
    other_readings: np.ndarray  # (n, ROMANIZED_FORMS) codes of other readings of the name, -1 none
    mobile: np.ndarray          # per phone code: a mobile by its country's prefix (``_MOBILE``)
    spelt_mobile: np.ndarray    # per e-mail code: the phone code its mailbox spells (18196874805@163.com), -1 none
    content: np.ndarray         # per record: a hash of what it says (record_content); where one
                                # record must stand for several, the least: never the first by position
    rare_words: frozenset[str] = frozenset()  # words of names that look typed wrong (rare_words)
    family_names: dict[str, int] = field(default_factory=dict)  # records per Chinese family name (family_counts)
    placeholders: dict[str, np.ndarray] = field(default_factory=dict)  # per identifier field and value
                                                # code: a placeholder (see PLACEHOLDER_PEOPLE)

    @property
    def n(self) -> int:
        return len(self.phones)

    @functools.cached_property
    def spelt_mobiles(self) -> np.ndarray:
        """(n, SLOTS) phone codes the records' mailboxes spell, -1 none (blocking and every
        chunk of pairs read it)."""
        return np.append(self.spelt_mobile, -1)[self.emails]  # e-mail slot -1 reads -1

    # What compare_pairs reads of the distinct values, made once however many chunks of
    # pairs it is asked about (each is a pass over every distinct value).
    @functools.cached_property
    def counted_reading(self) -> Coded:
        """``reading`` with a word said twice kept twice (``_words_twice_kept``)."""
        reading = self.fields["reading"]
        return Coded(reading.codes, _words_twice_kept(pd.Series(reading.values, dtype=TEXT)).to_numpy(object))

    @functools.cached_property
    def han_names(self) -> np.ndarray:
        """Per name_key code, whether it is written in Chinese characters only (code -1 reads False)."""
        keys = pd.Series(self.fields["name_key"].values, dtype=TEXT)
        return np.append(keys.str.fullmatch(f"[{HAN}]+").fillna(False).to_numpy(bool), False)

    @functools.cached_property
    def reading_words(self) -> np.ndarray:
        """Per reading code, its number of spaces (-1 for none; code -1 reads -2)."""
        spaces = pd.Series(self.fields["reading"].values, dtype=TEXT).str.count(" ")
        return np.append(spaces.fillna(-1).to_numpy(int), -2)

    @functools.cached_property
    def phone_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Per phone_digits code, codes of its first six and of its last four digits."""
        digits = pd.Series(self.fields["phone_digits"].values, dtype=TEXT)
        return Coded.of(digits.str[:6]).codes, Coded.of(digits.str[-4:]).codes

    @functools.cached_property
    def house_numbers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``address_numbers`` of the distinct address_words."""
        return address_numbers(self.fields["address_words"].values)

    @functools.cached_property
    def spells(self) -> np.ndarray:
        """Per record: one of its mailboxes spells a mobile."""
        return (self.spelt_mobiles >= 0).any(axis=1)


def unique_inverse(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted distinct values, index of each element's value, counts): by marking the values
    present where they are dense (codes below twice their number, such as a pair's levels
    as one number: six times faster than sorting five million), else by sorting."""
    if len(x) and x.dtype.kind in "iu" and x.min() >= 0 and x.max() < 2 * len(x):
        present = np.zeros(int(x.max()) + 1, dtype=bool)
        present[x] = True
        inverse = (np.cumsum(present, dtype=np.int64) - 1)[x]
        values = np.flatnonzero(present).astype(x.dtype, copy=False)
        return values, inverse, np.bincount(inverse, minlength=len(values))
    order = np.argsort(x)  # any order of equal values gives the same answer: the faster sort
    xs = x[order]
    first = np.r_[True, xs[1:] != xs[:-1]] if len(xs) else np.zeros(0, bool)
    inverse = np.empty(len(x), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return xs[first], inverse, np.diff(np.r_[np.flatnonzero(first), len(xs)])


def first_positions(labels: np.ndarray) -> np.ndarray:
    """The position of each label's first element; labels are 0..k-1, each present (as
    ``unique_inverse`` and connected_components give them). np.unique's return_index
    would sort them again: 40 times slower on five million."""
    first = np.full(int(labels.max(initial=-1)) + 1, len(labels), dtype=np.int64)
    np.minimum.at(first, labels, np.arange(len(labels)))
    return first


def run_starts(sorted_labels: np.ndarray) -> np.ndarray:
    """Where each run of equal labels begins in a sorted array (a customer's records, a
    component's members)."""
    if not len(sorted_labels):
        return np.zeros(0, np.int64)
    return np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])


def distinct(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an integer array (by sorting: faster than hashing here)."""
    xs = np.sort(x)
    return xs[np.r_[True, xs[1:] != xs[:-1]]] if len(xs) else xs


def _sorted_words(words: pd.Series) -> pd.Series:
    """'zhang wei' -> 'wei zhang': one spelling for either order (run on distinct values)."""
    return words.map(lambda v: " ".join(sorted(v.split())), na_action="ignore")


def _words_twice_kept(words: pd.Series) -> pd.Series:
    """Sorted words with a word said twice kept twice ('li li' -> 'li~ li'), for a comparison
    of word sets: as a set, 李丽 ("li li") is "li", which 李明 ("li ming") holds whole, so
    the two were as alike as a name and itself (run on distinct values)."""
    return words.astype(object).str.replace(r"(?<!\S)(\S+)(?= \1(?: |$))", r"\1~", regex=True)


def _person_key(words: pd.Series) -> pd.Series:
    """A coarse name to count people by: the first four letters of the first two words, sorted.

    张伟, 張偉, Zhang Wei and Wei Zhang give "wei zhan"; 何帅泽 Kevin and 何帅泽 give "he shua";
    Steve Yuan and Steven Yuan give "stev yuan". Spelling variants of one person's name then
    do not make their own phone look like a family's (陈伟 and 陈薇娜 stay two people).
    """
    return words.map(lambda v: " ".join(sorted(w[:4] for w in v.split()[:2])), na_action="ignore")


def _pinyin_person(words: pd.Series) -> pd.Series:
    """For a name that reads as pinyin, whom it counts as where a value's users are counted:
    its first two words whole, sorted; missing for other names, which count by
    ``_person_key``. Cut to four letters, 张晓明 and 张晓梅 (siblings' generation name) were
    both "xiao zhan": one person, and their family's landline their own. English given
    names stay cut (Steve and Steven Yuan are one; for Michael and Michelle Smith see
    ``compare_pairs``).

    >>> _pinyin_person(pd.Series(["zhang xiaoming", "zhang xiaomei", "steven yuan"])).isna().tolist()
    [False, False, True]
    >>> _pinyin_person(pd.Series(["zhang xiaoming", "zhang xiaomei"])).tolist()
    ['xiaoming zhang', 'xiaomei zhang']
    """
    two = words.str.split(" ").str[:2]
    each = two.explode()
    codes, distinct_words = pd.factorize(each)  # a word is read once, however many names hold it
    read = np.append(reads_as_pinyin(pd.Series(distinct_words, dtype=object)).to_numpy(bool), False)[codes]
    pinyin = pd.Series(read, index=each.index).groupby(level=0).all().reindex(words.index, fill_value=False)
    out = pd.Series(None, index=words.index, dtype=object)
    out[pinyin.to_numpy(bool)] = two[pinyin.to_numpy(bool)].map(lambda w: " ".join(sorted(w)))
    return out


def within_groups(rows: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (left, right) pair of rows in the same group, left before right in the given order.

    ``rows`` and ``group`` are sorted by group; pairs are generated with numpy, no loop.
    """
    start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    size = np.diff(np.r_[start, len(group)])
    pos = np.arange(len(group)) - np.repeat(start, size)      # position within the group
    follow = np.repeat(size, size) - pos - 1                  # rows after this one in its group
    total = int(follow.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    first = np.repeat(np.arange(len(group)), follow)
    offset = np.arange(total) - np.repeat(np.cumsum(follow) - follow, follow)
    return rows[first], rows[first + 1 + offset]


_ALL_HAN = re.compile(f"[{HAN}]+")
_LATIN_WORDS = re.compile(r"[a-z]+(?: [a-z]+)+")


def typo_close(key_a: np.ndarray, key_b: np.ndarray, words_a: np.ndarray, words_b: np.ndarray,
               variants: bool = False, rare: frozenset[str] = frozenset(),
               families: dict[str, int] | None = None) -> np.ndarray:
    """Whether two names are one name with a typing slip, pair by pair.

    Chinese (name keys): the family name typed wrong and the given name the same (梅亮 / 刘亮,
    冬淑华 / 骆淑华), or one character of the given name dropped (宋珍 / 宋玉珍). Another
    given name under one family name is not a slip: 宋玉珍 and 宋玉华 are sisters.
    Latin (words, sorted): the same words but one, a letter off (one edit, two in a long
    word) in a word of five letters or more: Rhnda / Rhonda, Maritn / Martin, Jonson /
    Johnson. Mark / Mary, Jane / June are other people's names. With ``variants``, also a
    nickname or another spelling of a Latin given name (``is_variant``): for the few names
    met on one phone, e-mail or address, not for every pair. ``rare``: words of the data's
    names that look typed wrong (``rare_words``); a short word a letter off one of them is a
    slip too (Jaes / James, Mry / Mary), where two common words are two names (Mark / Mary).
    With ``families`` (``family_counts``), a Chinese family name only where it looks typed
    wrong (``family_typed_wrong``): 张伟 / 王伟 are colleagues' names as often as not.

    >>> typo_close(np.array(["梅亮", "宋珍", "宋玉珍", "rhndakelly", "marksmith"]),
    ...            np.array(["刘亮", "宋玉珍", "宋玉华", "rhondakelly", "marysmith"]),
    ...            np.array(["liang mei", "song zhen", "song yuzhen", "kelly rhnda", "mark smith"]),
    ...            np.array(["liang liu", "song yuzhen", "song yuhua", "kelly rhonda", "mary smith"])).tolist()
    [True, True, False, True, False]
    """
    out = np.zeros(len(key_a), dtype=bool)
    ok = np.array([isinstance(a, str) and isinstance(b, str) and a != b for a, b in zip(key_a, key_b)], dtype=bool)
    if not ok.any():
        return out
    idx = np.flatnonzero(ok)
    ka, kb = np.array(key_a[idx].tolist(), dtype=object), np.array(key_b[idx].tolist(), dtype=object)
    # Only pairs at most two edits apart can be a slip: rapidfuzz finds them in C.
    near = cpdist(ka.tolist(), kb.tolist(), scorer=OSA.distance, workers=-1, score_cutoff=2) <= 2
    # Chinese names column-wise (most pairs in a Chinese sheet); the others one by one
    a, b = pd.Series(ka[near], dtype=TEXT), pd.Series(kb[near], dtype=TEXT)
    han = (a.str.fullmatch(f"[{HAN}]+") & b.str.fullmatch(f"[{HAN}]+")).fillna(False).to_numpy(bool)
    la, lb = a.str.len().to_numpy(), b.str.len().to_numpy()
    surname = (la == lb) & (la >= 2) & (a.str.slice(1) == b.str.slice(1)).to_numpy(bool)
    dropped = (np.abs(la - lb) == 1) & (np.minimum(la, lb) >= 2) & (a.str.slice(0, 1) == b.str.slice(0, 1)).to_numpy(bool)
    if dropped.any():
        dropped &= cpdist(ka[near].tolist(), kb[near].tolist(), scorer=Levenshtein.distance, workers=-1,
                          score_cutoff=1) == 1
    if families is not None:  # 张伟 / 王伟 are two people's names; 周芳 / 邹芳, 王磊 / 玉磊 one typed wrong
        first_a, first_b = a.str.slice(0, 1).to_numpy(object), b.str.slice(0, 1).to_numpy(object)
        for i in np.flatnonzero(surname & han):
            surname[i] = family_typed_wrong(first_a[i], first_b[i], families)
    # one character typed for another that reads alike (欧阳勇 / 欧杨勇: an input method's slip)
    homophone = np.zeros(len(a), dtype=bool)
    near_a, near_b = ka[near], kb[near]
    for i in np.flatnonzero(han & (la == lb) & ~surname & ~dropped):
        homophone[i] = _homophone_slip(near_a[i], near_b[i])
    out[idx[near][han]] = (surname | dropped | homophone)[han]
    latin = idx[near][~han]
    out[latin] = variants_many(np.asarray(words_a[latin], dtype=object), np.asarray(words_b[latin], dtype=object),
                               rare, slips_only=True)
    if variants:  # Bill / William Smith, Kathryn Jonson / Katherine Johnson (English names only)
        todo = idx[~out[idx]]
        todo = todo[[key_a[i].isascii() and key_b[i].isascii() for i in todo]]
        out[todo] = variants_many(np.asarray(words_a[todo], dtype=object), np.asarray(words_b[todo], dtype=object),
                                  rare)
    # Eric / Erica, Michael / Michelle Smith: one letter apart, or "another spelling", but
    # given names of two sexes are two people's.
    found = np.flatnonzero(out)
    out[found] = ~_two_sexes(np.asarray(words_a[found], dtype=object), np.asarray(words_b[found], dtype=object))
    return out


def typo_close_codes(key: Coded, words: Coded, ka: np.ndarray, kb: np.ndarray, wa: np.ndarray, wb: np.ndarray,
                     variants: bool = False, rare: frozenset[str] = frozenset(),
                     families: dict[str, int] | None = None) -> np.ndarray:
    """``typo_close`` of pairs given as codes (name keys ``ka``/``kb``, words ``wa``/``wb``):
    each distinct pair of names (key and words: O'Connor and OConnor have one key, not
    one reading) is judged once, however many pairs carry it."""
    out = np.zeros(len(ka), dtype=bool)
    idx = np.flatnonzero((ka >= 0) & (kb >= 0) & (ka != kb))
    keys, reads = np.append(key.values, None), np.append(words.values, None)  # code -1 reads None
    width = len(words.values) + 1  # words code -1 reads as 0
    _, names, _ = unique_inverse(np.r_[ka[idx] * width + wa[idx] + 1, kb[idx] * width + wb[idx] + 1])
    out[idx] = once_per_pair(names[:len(idx)], names[len(idx):], len(names), lambda r: typo_close(
        keys[ka[idx][r]], keys[kb[idx][r]], reads[wa[idx][r]], reads[wb[idx][r]], variants, rare, families))
    return out


def once_per_pair(ca: np.ndarray, cb: np.ndarray, width: int, judge) -> np.ndarray:
    """``judge`` (positions -> a bool per position) asked once per distinct pair of codes
    (each below ``width``), its answer spread to every pair carrying those codes."""
    if not len(ca):
        return np.zeros(0, dtype=bool)
    _, inverse, _ = unique_inverse(ca * (width + 1) + cb)
    return np.asarray(judge(first_positions(inverse)), dtype=bool)[inverse]


def is_slip(a: str, b: str, wa, wb, rare: frozenset[str] = frozenset()) -> bool:
    """``typo_close`` for one pair: name keys ``a``, ``b`` and their sorted words ``wa``, ``wb``."""
    if _ALL_HAN.fullmatch(a) and _ALL_HAN.fullmatch(b):
        if len(a) == len(b) >= 2:
            return (a[1:] == b[1:] and a[0] != b[0]) or _homophone_slip(a, b)
        short, long = sorted((a, b), key=len)
        return (len(long) == len(short) + 1 and len(short) >= 2 and short[0] == long[0]
                and any(long[:i] + long[i + 1:] == short for i in range(1, len(long))))
    rest = _other_words(wa, wb)
    return rest is not None and len(rest[0]) == 1 and _word_slip(rest[0][0], rest[1][0], rare)


def _other_words(wa, wb) -> tuple[list[str], list[str]] | None:
    """The words of two Latin names (as many words each) that the other lacks; None otherwise."""
    if not (isinstance(wa, str) and isinstance(wb, str) and _LATIN_WORDS.fullmatch(wa) and _LATIN_WORDS.fullmatch(wb)):
        return None
    xa, xb = wa.split(), wb.split()
    if len(xa) != len(xb):
        return None
    rest_a, rest_b = sorted(set(xa) - set(xb)), sorted(set(xb) - set(xa))
    return (rest_a, rest_b) if len(rest_a) == len(rest_b) else None


@functools.lru_cache(maxsize=1 << 18)
def _word_slip(u: str, v: str, rare: frozenset[str] = frozenset()) -> bool:
    """One word typed wrong: a letter off (two in a long word) in a word of five letters or
    more; in a shorter word, only where one spelling is ``rare`` and the other is not."""
    if min(len(u), len(v)) >= 4 and max(len(u), len(v)) >= 5:
        return OSA.distance(u, v) <= (2 if min(len(u), len(v)) >= 8 else 1)
    return (min(len(u), len(v)) >= 2 and max(len(u), len(v)) >= 3 and (u in rare) != (v in rare)
            and OSA.distance(u, v) <= 1)


def _two_sexes(wa: np.ndarray, wb: np.ndarray) -> np.ndarray:
    """Whether two names (sorted words) differ in given names of two sexes (``opposite``),
    where the curated nicknames do not join them: Alex is a man's name, and Alexandra's."""
    out = opposite(wa, wb)
    for i in np.flatnonzero(out):
        rest = _other_words(wa[i], wb[i])
        out[i] = not (rest is not None and len(rest[0]) == 1 and (rest[0][0], rest[1][0]) in _nicknames())
    return out


@functools.cache
def _nicknames() -> frozenset[tuple[str, str]]:
    """(name, nickname) both ways, from the nicknames package's curated English list."""
    from nicknames import name_triplets

    return frozenset(p for t in name_triplets() for p in ((t.name1, t.name2), (t.name2, t.name1)))


@functools.cache
def _english_given_names() -> frozenset[str]:
    """English given names of the nicknames package's list, less single pinyin syllables (lan, bo)."""
    return frozenset(n for pair in _nicknames() for n in pair) - SYLLABLES


@functools.cache
def _spellings() -> frozenset[tuple[str, str]]:
    """Two spellings of one name, both ways: names the nickname list gives one nickname that
    begin alike and are mostly the same letters (Steven and Stephen, both Steve; Deborah and
    Debra; Claire and Clare), less those of two sexes (Natalie and Nathaniel share Nat)."""
    from nicknames import name_triplets

    formal: dict[str, set[str]] = {}
    for t in name_triplets():
        formal.setdefault(t.name2, set()).add(t.name1)
    pairs = sorted({(u, v) for names in formal.values() for u in names for v in names
                    if u < v and u[:3] == v[:3] and fuzz.ratio(u, v) >= 75})
    two = opposite(np.array([u for u, _ in pairs], dtype=object), np.array([v for _, v in pairs], dtype=object))
    kept = [pair for pair, apart in zip(pairs, two) if not apart]
    return frozenset(kept + [(v, u) for u, v in kept])


@functools.lru_cache(maxsize=1 << 18)
def _given_variant(u: str, v: str) -> bool:
    """Bill / William, Steve / Steven (a nickname), Steven / Stephen (``_spellings``),
    Kathryn / Katherine (one spelling of a name)."""
    return ((u, v) in _nicknames() or (u, v) in _spellings()
            or (u[:4] == v[:4] and min(len(u), len(v)) >= 4 and fuzz.ratio(u, v) >= 75))


def _word_slips(u: np.ndarray, v: np.ndarray, rare: frozenset[str]) -> np.ndarray:
    """``_word_slip`` of word pairs, column-wise (rapidfuzz's batch distance in C)."""
    if not len(u):
        return np.zeros(0, dtype=bool)
    su, sv = pa.array(u.tolist(), type=pa.string()), pa.array(v.tolist(), type=pa.string())
    lu, lv = pc.utf8_length(su).to_numpy(), pc.utf8_length(sv).to_numpy()
    lo, hi = np.minimum(lu, lv), np.maximum(lu, lv)
    dist = cpdist(u.tolist(), v.tolist(), scorer=OSA.distance, workers=-1, score_cutoff=2)  # over 2 reads 3
    long = (lo >= 4) & (hi >= 5)
    rare_set = _value_set(rare)
    one_rare = (pc.is_in(su, value_set=rare_set).to_numpy(zero_copy_only=False)
                != pc.is_in(sv, value_set=rare_set).to_numpy(zero_copy_only=False))
    return np.where(long, dist <= np.where(lo >= 8, 2, 1), (lo >= 2) & (hi >= 3) & one_rare & (dist <= 1))


@functools.lru_cache(maxsize=4)
def _value_set(words: frozenset[str]) -> pa.Array:
    """``words`` as an Arrow array for ``is_in``: made once per set, not per call (90 calls
    at 1M rows, each sorting the ten thousand words that look typed wrong)."""
    return pa.array(sorted(words), type=pa.string())


def _given_variants(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``_given_variant`` of word pairs, column-wise."""
    if not len(u):
        return np.zeros(0, dtype=bool)
    su, sv = pa.array(u.tolist(), type=pa.string()), pa.array(v.tolist(), type=pa.string())
    nick = pc.is_in(pc.binary_join_element_wise(su, sv, "\t"), value_set=_nickname_keys()).to_numpy(zero_copy_only=False)
    lo = np.minimum(pc.utf8_length(su).to_numpy(), pc.utf8_length(sv).to_numpy())
    alike = pc.equal(pc.utf8_slice_codeunits(su, 0, 4), pc.utf8_slice_codeunits(sv, 0, 4)).to_numpy(
        zero_copy_only=False) & (lo >= 4)
    ratio = np.zeros(len(u))
    if alike.any():
        ratio[alike] = cpdist(u[alike].tolist(), v[alike].tolist(), scorer=fuzz.ratio, workers=-1, score_cutoff=75)
    return nick | (alike & (ratio >= 75))


@functools.cache
def _nickname_keys() -> pa.Array:
    """The pairs ``_given_variant`` looks up (nicknames and spellings), as "a\tb" keys."""
    return pa.array(sorted(f"{a}\t{b}" for a, b in _nicknames() | _spellings()), type=pa.string())


def variants_many(wa: np.ndarray, wb: np.ndarray, rare: frozenset[str] = frozenset(),
                  slips_only: bool = False) -> np.ndarray:
    """``is_variant`` (or, with ``slips_only``, the Latin half of ``is_slip``) of many pairs
    of sorted-word names at once. Two-word names, nearly all of them, are judged column-wise;
    others one by one.

    >>> variants_many(np.array(["jonson kathryn", "bill smith", "mark smith", "kelly rhnda"], dtype=object),
    ...               np.array(["johnson katherine", "smith william", "mary smith", "kelly rhonda"], dtype=object)).tolist()
    [True, True, False, True]
    """
    n = len(wa)
    out = np.zeros(n, dtype=bool)
    if not n:
        return out
    a = pa.array([x if isinstance(x, str) else None for x in wa], type=pa.string())
    b = pa.array([x if isinstance(x, str) else None for x in wb], type=pa.string())
    two = pc.and_kleene(pc.match_substring_regex(a, r"^[a-z]+ [a-z]+$"), pc.match_substring_regex(b, r"^[a-z]+ [a-z]+$"))
    two = pc.fill_null(two, False).to_numpy(zero_copy_only=False)

    def halves(x: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        parts = pc.split_pattern(x.filter(pa.array(two)), " ")
        flat = np.asarray(pc.list_flatten(parts).to_numpy(zero_copy_only=False), dtype=object)
        return flat[0::2], flat[1::2]
    (a1, a2), (b1, b2) = halves(a), halves(b)
    same = [(a1 == b1), (a2 == b2), (a1 == b2), (a2 == b1)]
    twin = (a1 == a2) | (b1 == b2)  # "li li": sets, not positions; one by one below
    # one word differs: which word of each name it is
    one = ~twin & (same[0] ^ same[1] ^ same[2] ^ same[3]) & ((same[0] | same[1] | same[2] | same[3]))
    u = np.where(same[0] | same[2], a2, a1)[one]
    v = np.where(same[0], b2, np.where(same[1], b1, np.where(same[2], b1, b2)))[one]
    ok_one = _word_slips(u, v, rare) | (np.zeros(len(u), bool) if slips_only else _given_variants(u, v))
    none = ~twin & ~(same[0] | same[1] | same[2] | same[3])  # both words differ
    ok_two = np.zeros(int(none.sum()), dtype=bool)
    if none.any() and not slips_only:
        p, q, r, t = a1[none], b1[none], a2[none], b2[none]
        ok_two = ((_word_slips(p, q, rare) & _given_variants(r, t)) | (_word_slips(r, t, rare) & _given_variants(p, q))
                  | (_word_slips(p, t, rare) & _given_variants(r, q)) | (_word_slips(r, q, rare) & _given_variants(p, t)))
    judged = np.zeros(int(two.sum()), dtype=bool)
    judged[one], judged[none] = ok_one, ok_two
    out[np.flatnonzero(two)] = judged
    rest = np.flatnonzero(~two) if not two.any() else np.r_[np.flatnonzero(~two), np.flatnonzero(two)[twin]]
    for i in rest:
        if slips_only:
            other = _other_words(wa[i], wb[i])
            out[i] = other is not None and len(other[0]) == 1 and _word_slip(other[0][0], other[1][0], rare)
        else:
            out[i] = is_variant(wa[i], wb[i], rare)
    return out


def is_variant(wa, wb, rare: frozenset[str] = frozenset()) -> bool:
    """Two Latin names (sorted words) of one person: one given name a nickname or another
    spelling of the other, the rest the same or a letter off (Kathryn Jonson / Katherine
    Johnson, Bill Smith / William Smith). Louis / Louise stay apart only by other evidence.

    >>> is_variant("jonson kathryn", "johnson katherine"), is_variant("bill smith", "smith william")
    (True, True)
    >>> is_variant("mark smith", "mary smith"), is_variant("christina smith", "christopher smith")
    (False, False)
    """
    rest = _other_words(wa, wb)
    if rest is None or not 1 <= len(rest[0]) <= 2:
        return False
    (a, *more_a), (b, *more_b) = rest
    if not more_a:
        return _given_variant(a, b) or _word_slip(a, b, rare)
    c, d = more_a[0], more_b[0]
    return any((_word_slip(p, q, rare) and _given_variant(r, t)) or (_word_slip(r, t, rare) and _given_variant(p, q))
               for (p, q), (r, t) in (((a, b), (c, d)), ((a, d), (c, b))))


def record_content(columns: list[Coded]) -> np.ndarray:
    """A 64-bit hash per record of its values in ``columns`` (one code or a row of slot codes
    each): records that say the same get one hash, whatever their positions. Each value is
    hashed by its rank among the column's values (Arrow sorts text several times faster
    than pandas hashes it)."""
    n = len(columns[0].codes) if columns else 0
    out = np.zeros(n, dtype=np.uint64)
    for column in columns if n else []:
        try:
            text = pa.array(column.values, type=pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: compared as written
            text = pa.array(column.values.astype(str), type=pa.string())
        # dense: values equal as text (1 and "1" made text) rank alike, not by which came first
        ranked = np.append(pc.rank(text, sort_keys="ascending", tiebreaker="dense").to_numpy().astype(np.uint64),
                           np.uint64(0))
        for codes in column.codes.reshape(n, -1).T:  # a missing value (-1) reads the appended 0
            out = (out ^ ranked[codes]) * _MIX
    return out


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd, bits spread: a hash that mixes the ranks well


def people_per_value(rows: np.ndarray, values: np.ndarray, person: np.ndarray, n_values: int,
                     surnames: dict[str, Coded] | None = None, personal: np.ndarray | None = None,
                     slips=None, spelling: np.ndarray | None = None) -> np.ndarray:
    """How many different people (by name) use each value code; records without a name do not count.

    With ``surnames`` (``_surnames``), on the ``personal`` value codes (a mobile, not a
    family's landline: a son may well be "Tony Ma"), a name in Latin letters that carries
    the surname of a Chinese name using the same value is that person's English name:
    Tony Ma and 马永健 on one mobile are one person. With ``slips`` (records a, b and
    whether the value is ``personal`` -> whether their names are one name typed wrong,
    ``_name_slips``), so are 梅亮 and 刘亮. Both need ``spelling``, a hash per record of its
    name as written (``record_content``): where two Chinese names fit one English name, the
    one of least hash takes it, so the rows' order does not change the count."""
    who = person[rows]
    ok = (values >= 0) & (who >= 0)
    if surnames is not None and ok.any():
        who = who.copy()
        width = len(surnames["surname"].values) + 1
        han = surnames["surname"].codes[rows]
        ok_personal = ok & np.append(personal, False)[values]  # code -1 reads the appended False
        chinese = np.flatnonzero(ok_personal & (han >= 0))
        chinese = chinese[np.argsort(spelling[rows[chinese]], kind="stable")]
        known = pd.Series(who[chinese], index=values[chinese].astype(np.int64) * width + han[chinese])
        known = known[~known.index.duplicated()]
        for end in ("latin_last", "latin_first"):
            word = surnames[end].codes[rows]
            latin = np.flatnonzero(ok_personal & (word >= 0))
            found = known.reindex(values[latin].astype(np.int64) * width + word[latin]).to_numpy()
            hit = ~np.isnan(found)
            who[latin[hit]] = found[hit].astype(np.int64)
    width = int(max(person.max(initial=0), who.max(initial=0))) + 1
    if slips is None:
        return np.bincount(distinct(values[ok] * width + who[ok]) // width, minlength=n_values)
    value, _, a, b = _slip_links(rows[ok], values[ok], who[ok], slips, personal, spelling)
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(value), len(value)))
    _, component = connected_components(graph, directed=False)
    return np.bincount(value[first_positions(component)], minlength=n_values)


_SPELLINGS = 4  # a person's spellings on one value read for slips: those of least hash


def _slip_links(rows: np.ndarray, values: np.ndarray, who: np.ndarray, slips, personal: np.ndarray | None,
                spelling: np.ndarray):
    """The distinct (value, person) of ``rows`` (values and people given, none missing), as
    (value, person) arrays, and the pairs of them (positions a, b) whose names are one name
    typed wrong: 梅亮 and 刘亮 on one mobile.

    Each spelling a person has on the value is read (up to ``_SPELLINGS``, by ``spelling``
    hash): one joined by a mobile may be Tim Nelson on one record and Timothy Nelson on
    another, and Tiomthy Nelson is a slip of the second. No record stands for the others,
    so the rows' order does not change the links."""
    width = int(who.max(initial=0)) + 1
    pairs, inverse, _ = unique_inverse(values * width + who)
    value = pairs // width
    several = np.bincount(value)[value] if len(value) else value
    small = np.flatnonzero(((several >= 2) & (several <= _SLIP_GROUP))[inverse])
    # distinct (value and person, spelling), by value and person, then spelling
    order = small[np.lexsort((spelling[rows[small]], inverse[small]))]
    entity, hashed = inverse[order], spelling[rows[order]]
    new = np.r_[True, (entity[1:] != entity[:-1]) | (hashed[1:] != hashed[:-1])] if len(order) else np.zeros(0, bool)
    entity, rep = entity[new], rows[order[new]]
    start = np.r_[True, entity[1:] != entity[:-1]] if len(entity) else new
    rank = np.arange(len(entity)) - np.maximum.accumulate(np.where(start, np.arange(len(entity)), 0))
    entity, rep = entity[rank < _SPELLINGS], rep[rank < _SPELLINGS]
    a, b = within_groups(np.arange(len(entity)), value[entity])
    other = entity[a] != entity[b]  # two spellings of one person are not a link
    a, b = a[other], b[other]
    if len(a):
        own = np.append(personal, False)[value[entity[a]]] if personal is not None else np.zeros(len(a), bool)
        slipped = slips(rep[a], rep[b], own)
        a, b = a[slipped], b[slipped]
    return value, pairs % width, entity[a], entity[b]


def _one_person_by(person: np.ndarray, slots: np.ndarray, own: np.ndarray, slips,
                   spelling: np.ndarray) -> np.ndarray:
    """Person codes with the names that one person's own contact value (``own``: a mobile)
    shows to be one person's joined: Javob Philips and Jacob Phillips on one mobile. The
    address, phone and e-mail they share are then not shared by two people.

    The join holds wherever the names appear, so it is kept to mobiles: joined on mailboxes
    at mail providers too, a 1M-row blind list lost 0.007 of precision (namesakes put
    down at one guessable or numbered mailbox, mary.smith@, lisa27@, joined everywhere)."""
    rows = np.repeat(np.arange(len(slots)), SLOTS)
    values, who = slots.ravel(), person[rows]
    ok = (values >= 0) & (who >= 0) & np.append(own, False)[values]
    if not ok.any():
        return person
    _, someone, a, b = _slip_links(rows[ok], values[ok], who[ok], slips, own, spelling)
    if not len(a):
        return person
    n = int(person.max(initial=0)) + 1
    graph = coo_matrix((np.ones(len(a)), (someone[a], someone[b])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    return np.where(person >= 0, component[np.maximum(person, 0)], -1)


def _slots(sets: pd.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, value) pairs as an (n, SLOTS) array of value codes, -1 where empty; and the values."""
    codes, uniques = pd.factorize(sets["value"])
    rank = sets.groupby("row").cumcount().to_numpy()
    keep = rank < SLOTS
    out = np.full((n, SLOTS), -1, dtype=np.int64)
    out[sets["row"].to_numpy()[keep], rank[keep]] = codes[keep]
    return out, np.asarray(uniques, dtype=object)


def _slot_people(slots: np.ndarray, person: np.ndarray, n_values: int,
                 surnames: dict[str, Coded] | None = None, personal: np.ndarray | None = None,
                 slips=None, spelling: np.ndarray | None = None) -> np.ndarray:
    rows = np.repeat(np.arange(len(slots)), SLOTS)
    return people_per_value(rows, slots.ravel(), person, n_values, surnames, personal, slips, spelling)


def _other_readings(records: pd.DataFrame, written: Coded, reading: Coded) -> np.ndarray:
    """Per record, codes into ``reading``'s values (extended past them) of the readings its
    name may also have: "Cheung Wei" reads "wei zhang" as 张伟 does (``romanized_forms``;
    names written in Latin letters only), and 宁芹 | 马 in the family and given name columns
    may be 马宁芹 typed the wrong way round (two Chinese parts, read in the other order)."""
    out = np.full((len(reading.codes), ROMANIZED_FORMS), -1, dtype=np.int64)
    vocab = {v: i for i, v in enumerate(reading.values.tolist())}
    text = pd.Series(written.values, dtype=TEXT)
    latin = np.append(~text.str.contains(f"[{HAN}]").fillna(True).to_numpy(bool), False)[written.codes]
    candidates = np.unique(reading.codes[latin & (reading.codes >= 0)])
    if len(candidates):
        forms = romanized_forms(pd.Series(reading.values[candidates], dtype=object))
        table = np.full((len(reading.values) + 1, ROMANIZED_FORMS), -1, dtype=np.int64)
        for code, spellings in zip(candidates, forms):
            for k, spelling in enumerate(spellings):
                table[code, k] = vocab.setdefault(spelling, len(vocab))
        out[latin] = table[reading.codes[latin]]
    if C.FAMILY_NAME in records.columns and C.GIVEN_NAME in records.columns:
        family, given = records[C.FAMILY_NAME].astype(TEXT), records[C.GIVEN_NAME].astype(TEXT)
        both = (family.str.fullmatch(f"[{HAN}]+") & given.str.fullmatch(f"[{HAN}]+")).fillna(False).to_numpy(bool)
        if both.any():
            turned = Coded.of((given[both] + family[both]).astype(TEXT)).map(
                lambda s: _sorted_words(pinyin_tokens(s)))
            codes = np.array([vocab.setdefault(v, len(vocab)) for v in turned.values.tolist()] + [-1])[turned.codes]
            rows = np.flatnonzero(both)
            free = (out[rows] >= 0).sum(1)  # Latin names hold none: Chinese parts are Han
            out[rows, np.minimum(free, ROMANIZED_FORMS - 1)] = np.where(codes != reading.codes[rows], codes, -1)
    return out


def read_alike(reading: np.ndarray, others: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether records a and b have names one of whose readings is the other's: "Cheung Wei"
    and 张伟, "Wong Hui" and "Huang Hui", 宁芹马 and 马宁芹 (``reading`` codes, ``others``
    from ``_other_readings``)."""
    out = np.zeros(len(a), dtype=bool)
    other = (others >= 0).any(axis=1)  # few names have another reading: only their pairs are read
    has_a, has_b = other[a], other[b]
    ka, kb = reading[a], reading[b]
    for has, mine, theirs in ((has_a & (kb >= 0), a, kb), (has_b & (ka >= 0), b, ka)):
        i = np.flatnonzero(has)
        out[i] |= (others[mine[i]] == theirs[i, None]).any(axis=1)
    i = np.flatnonzero(has_a & has_b & ~out)
    ra, rb = others[a[i]], others[b[i]]
    out[i] = ((ra[:, :, None] == rb[:, None, :]) & (ra[:, :, None] >= 0)).any(axis=(1, 2))
    return out


RARE_WORD = 2  # a word of a name at most this many records hold: maybe a typo
# A word a letter off another that this many times as many records hold is that word typed
# wrong (Mayr beside Mary, Ryna beside Ryan): a name's slips are a few in a hundred of its
# spellings, spread over many misspellings, while two real names a letter apart (Mark,
# Mary; Dean, Sean) are held by numbers of one order. A ratio, not a count, so a long
# list, where one slip is made many times over, reads as a short one does.
TYPO_RATIO = 20


def rare_words(reading: Coded) -> frozenset[str]:
    """The words of names (as read) that look typed wrong: held by at most ``RARE_WORD``
    records, or a letter off a word held by ``TYPO_RATIO`` times as many ("jaes" beside
    "james", "mayr" beside "mary"), where two words many hold are two names (mark, mary)."""
    counts = np.bincount(reading.codes[reading.codes >= 0], minlength=len(reading.values))
    if not len(reading.values):
        return frozenset()
    lists = pc.split_pattern(pa.array(reading.values.tolist(), type=pa.string()), " ")
    words = pc.list_flatten(lists).to_numpy(zero_copy_only=False)
    owner = pc.list_parent_indices(lists).to_numpy()
    total = pd.Series(counts[owner]).groupby(words).sum()
    return frozenset(total.index[total.to_numpy() <= RARE_WORD]) | _slipped_words(total)


def _slipped_words(held: pd.Series) -> frozenset[str]:
    """Words (``held``: word -> records) one edit (OSA: a letter changed, added, dropped or
    two swapped) from a word ``TYPO_RATIO`` times as common. Found by deletion keys: words
    one edit apart share the word itself or the word less one letter (SymSpell's way), so
    only words with a key in common are compared, not every pair."""
    text = held.index.to_numpy(object)
    words, n = pa.array(text, type=pa.string()), held.to_numpy()
    common = np.flatnonzero(n >= TYPO_RATIO)  # what a word typed wrong is typed for
    if not len(common):
        return frozenset()
    length = pc.utf8_length(words).to_numpy()

    def keys(ids: np.ndarray) -> pd.DataFrame:
        parts = [pd.DataFrame({"key": words.take(pa.array(ids)).to_numpy(zero_copy_only=False), "word": ids})]
        for i in range(int(length[ids].max(initial=0))):
            at = ids[length[ids] > i]
            w = words.take(pa.array(at))
            cut = pc.binary_join_element_wise(pc.utf8_slice_codeunits(w, 0, i), pc.utf8_slice_codeunits(w, i + 1), "")
            parts.append(pd.DataFrame({"key": cut.to_numpy(zero_copy_only=False), "word": at}))
        return pd.concat(parts, ignore_index=True).drop_duplicates()

    pairs = keys(np.flatnonzero(length >= 2)).merge(keys(common), on="key", suffixes=("", "_common"))
    pairs = pairs[n[pairs["word_common"].to_numpy()] >= TYPO_RATIO * n[pairs["word"].to_numpy()]]
    pairs = pairs.drop_duplicates(["word", "word_common"])
    if not len(pairs):
        return frozenset()
    u, v = text[pairs["word"].to_numpy()], text[pairs["word_common"].to_numpy()]
    near = cpdist(u.tolist(), v.tolist(), scorer=OSA.distance, workers=-1, score_cutoff=1) <= 1
    return frozenset(u[near].tolist())


# Chinese family names a pinyin input method's fuzzy rules read alike (模糊音: z/zh, c/ch,
# s/sh, l/n, f/h, r/l; -n/-ng): 周 zhou and 邹 zou, 陈 chen and 程 cheng, 杨 yang and 闫 yan
# are one key away from each other, and typed for each other.
_FUZZY_PINYIN = ((r"^([zcs])h", r"\1"), (r"^n", "l"), (r"^r", "l"), (r"^h", "f"), (r"ng$", "n"))
# A family name this many times rarer than the other, in the data, is the other typed
# wrong (玉 for 王: 26 beside 4,651 in a blind list). Not TYPO_RATIO: the commonest family
# names each hold some 7 % of people and the hundredth about 0.1 %, so a real name is
# often twenty times rarer than another (方 beside 王: 40 in the same list).
FAMILY_TYPO_RATIO = 100


def family_counts(key: Coded) -> dict[str, int]:
    """Records per family name (a Chinese name's first character) among the names."""
    held = np.bincount(key.codes[key.codes >= 0], minlength=len(key.values))
    names = pd.Series(key.values, dtype=TEXT)
    chinese = names.str.fullmatch(f"[{HAN}]{{2,4}}").fillna(False).to_numpy(bool)
    return pd.Series(held[chinese]).groupby(names[chinese].str[0].to_numpy(object)).sum().to_dict()


@functools.lru_cache(maxsize=1 << 16)
def _fuzzy_reading(char: str) -> str:
    """A Chinese character's pinyin (as a family name's, where that differs: 曾 zeng) under
    ``_FUZZY_PINYIN``. pypinyin itself, a character at a time (11 µs; pinyin_tokens' frame
    per call cost 0.5 ms, 3 s a 100k list)."""
    reading = SURNAME_READINGS.get(char) or char_reading(char)
    for pattern, to in _FUZZY_PINYIN:
        reading = re.sub(pattern, to, reading)
    return reading


def family_typed_wrong(a: str, b: str, counts: dict[str, int]) -> bool:
    """Whether one Chinese family name looks typed for the other: read alike under an
    input method's fuzzy rules (``_FUZZY_PINYIN``), or one of them few records hold
    (``RARE_WORD``) beside one more hold, or ``FAMILY_TYPO_RATIO`` times rarer. Two common
    family names under one given name (张伟, 王伟) are two people: colleagues, neighbours.

    >>> counts = {"王": 4651, "玉": 26, "方": 117, "张": 4570, "骆": 32, "冬": 1}
    >>> [family_typed_wrong(a, b, counts) for a, b in ["王玉", "王方", "周邹", "张王", "骆冬"]]
    [True, False, True, False, True]
    """
    if _fuzzy_reading(a) == _fuzzy_reading(b):
        return True
    few, many = sorted((counts.get(a, 0), counts.get(b, 0)))
    return few <= RARE_WORD < many or many >= FAMILY_TYPO_RATIO * max(few, 1)


def _homophone_slip(a: str, b: str) -> bool:
    """Two Chinese names of one length that differ in one character, the two read alike
    (``_fuzzy_reading``): 欧阳勇 / 欧杨勇, 李晓静 / 李晓靖, not 张晓明 / 张晓梅."""
    differ = [(x, y) for x, y in zip(a, b) if x != y]
    return len(differ) == 1 and _fuzzy_reading(differ[0][0]) == _fuzzy_reading(differ[0][1])


def _name_slips(key: Coded, words: Coded, rare: frozenset[str], others: np.ndarray,
                families: dict[str, int] | None = None):
    """``slips`` for people_per_value, over record positions: whether two records' names are
    one name typed wrong (``typo_close``, with variants), or one name read another way
    (``read_alike``: Cheung Wei, 张伟). On a value of one person's own (``own``: a mobile),
    a name sharing a word with the other, or a word a letter off, with the other words
    starting alike, is that person's too (Rick Perr, Richard Perry; Jiangchun L, 李江春):
    a family shares a landline and an address, seldom a mobile. On other values, with
    ``families`` (``family_counts``), a family name changed must look typed wrong
    (``family_typed_wrong``)."""
    reads = words.strings()

    def slips(a: np.ndarray, b: np.ndarray, own: np.ndarray) -> np.ndarray:
        out = np.zeros(len(a), dtype=bool)
        # on a landline or address, 张伟 and 王伟 are two colleagues; on one's mobile, one person
        for mine, counts in ((own, None), (~own, families)):
            x, y = a[mine], b[mine]
            out[mine] = typo_close_codes(key, words, key.codes[x], key.codes[y], words.codes[x], words.codes[y],
                                         True, rare, counts)
        out |= read_alike(words.codes, others, a, b)  # Cheung Wei and 张伟
        for i in np.flatnonzero(own & ~out):
            out[i] = _share_a_word(reads[a[i]], reads[b[i]])
        return out
    return slips


def _share_a_word(wa, wb) -> bool:
    """A word in common (or a letter off), and the other words starting alike: Rick Perr and
    Richard Perry, May Smith and Mary Smith; not 张敏 and Zhang Wei, nor Mary and John Smith."""
    if not (isinstance(wa, str) and isinstance(wb, str)):
        return False
    xa, xb = wa.split(), wb.split()
    if len(xa) != len(xb) or len(xa) < 2:
        return False
    common = set(xa) & set(xb)
    ra, rb = sorted(w for w in xa if w not in common), sorted(w for w in xb if w not in common)
    if len(ra) != len(rb):
        return False
    slips = [min(len(u), len(v)) >= 3 and OSA.distance(u, v) <= 1 for u, v in zip(ra, rb)]
    if not common and not any(slips):
        return False
    return all(s or u[0] == v[0] for s, u, v in zip(slips, ra, rb))


def _surnames(written: Coded, words: Coded) -> dict[str, Coded]:
    """The surname (pinyin) of Chinese names, and the first and last word of English names,
    as codes into one vocabulary: 马永健 "ma", Tony Ma "tony" and "ma".

    An English name is written in Latin letters only and is not all pinyin: "Zhang Wei" is
    张伟 in pinyin, another person than 张敏, not 张敏's English name. An English given name
    of two syllables or more that happens to read as pinyin (Tina, Linda, Helen) still makes
    an English name: "Tina Liu" beside 刘珍淑; one syllable (Lan, Bo) is taken as pinyin."""
    text = pd.Series(written.values, dtype=TEXT)
    han = np.append(text.str.contains(f"[{HAN}]").fillna(False).to_numpy(bool), False)[written.codes]
    latin = np.append(text.str.fullmatch(r"[A-Za-z][A-Za-z .'-]*").fillna(False).to_numpy(bool), False)[written.codes]
    split = pd.Series(words.values, dtype=TEXT).str.split(" ")
    each = split.explode()
    pinyin = reads_as_pinyin(each).groupby(level=0).all().reindex(split.index, fill_value=False).to_numpy(bool)
    given = each.isin(_english_given_names()).groupby(level=0).any().reindex(split.index, fill_value=False)
    latin &= ~np.append(pinyin & ~given.to_numpy(bool), True)[words.codes]
    first = np.append(split.str[0].to_numpy(object), None)[words.codes]
    last = np.append(split.str[-1].to_numpy(object), None)[words.codes]
    n = len(han)
    codes, values = pd.factorize(np.concatenate([np.where(han, first, None), np.where(latin, first, None),
                                                 np.where(latin, last, None)]))
    values = np.asarray(values, dtype=object)
    return {name: Coded(codes[i * n:(i + 1) * n].astype(np.int64), values)
            for i, name in enumerate(("surname", "latin_first", "latin_last"))}


def prepare(records: pd.DataFrame, phones: pd.DataFrame, emails: pd.DataFrame,
            workers: int | None = None) -> Prepared:
    """Comparable values of every record. ``phones``/``emails``: (row, value), valid values only;
    ``workers``: threads for the columns (default: one per core)."""
    n = len(records)

    def column(name: str) -> pd.Series:
        return records[name] if name in records.columns else pd.Series(None, index=records.index, dtype=object)

    written = Coded.of(column(C.NAME))

    def names() -> dict[str, Coded]:
        words = Coded.of(column(C.NAME_PINYIN)) if C.NAME_PINYIN in records.columns else \
            written.map(lambda s: pinyin_tokens(s))
        # name_key is Simplified already (values.text.match_key): 張偉 and 张伟 are one key
        return _surnames(written, words) | {"name_key": Coded.of(column(C.NAME_KEY)),
                                            "reading": words.map(_sorted_words), "person": words.map(_person_key),
                                            "pinyin_person": words.map(_pinyin_person)}

    def addresses() -> dict[str, Coded]:
        address = Coded.of(column(C.ADDRESS_KEY))
        return {"address": address, "street": address.map(street_key)}

    def address_words() -> dict[str, Coded]:
        words = Coded.of(column(C.ADDRESS)).map(
            lambda s: replace_regex(replace_regex(spell_out_streets(s), NON_WORD, " "), r"^ | $", "").str.lower())
        return {"address_words": words, "anchor": words.map(street_anchor)}

    def companies() -> dict[str, Coded]:
        city = Coded.of(column(C.CITY)).map(lambda s: replace_regex(s, r"\s+|市$", "").str.lower())
        company = Coded.of(column(C.COMPANY_KEY))
        return {"company": company, "city": city, "company_core": company.map(lambda s: company_core(s, city.values))}

    def the_rest() -> dict[str, Coded]:
        out = {"phone_digits": Coded.of(column(C.PHONE)).map(phone_digits)}
        for name in OPTIONAL:
            if name in records.columns:
                out[name] = Coded.of(records[name]).map(lambda s: replace_regex(s, r"[\s\-/.]", "").str.lower())
        if "gender" in out:  # 不详, unknown: no evidence either way
            out["gender"] = out["gender"].map(lambda s: s.where(s.isin(["male", "female"])))
        return out

    # Independent columns, each on a thread: most of their time is Arrow's string kernels,
    # which let go of the GIL (as in the normalise stage).
    fields: dict[str, Coded] = {}
    for part in run_all([names, addresses, address_words, companies, the_rest], workers):
        fields |= part
    pinyin_person = fields.pop("pinyin_person")
    fields = {name: fields[name] for name in _FIELD_ORDER if name in fields}
    release()  # what the threads let go stays in their heaps otherwise (51 of the 84 MiB they added at 1M rows)
    address = fields["address"]
    # one vocabulary for both keys: a cut English name and a whole pinyin one may be one text
    cut = len(fields["person"].values)
    both = np.append(pd.factorize(np.concatenate([fields["person"].values, pinyin_person.values]))[0], -1)
    person = np.where(pinyin_person.codes >= 0, both[cut + pinyin_person.codes], both[fields["person"].codes])
    phone_slots, phone_values = _slots(phones, n)
    email_slots, email_values = _slots(emails, n)

    def contents() -> tuple[np.ndarray, np.ndarray]:
        parts = [Coded.of(records[c]) for c in (C.FAMILY_NAME, C.GIVEN_NAME) if c in records.columns]
        # What the name slips read (_name_slips): name_key and name_pinyin are made from the name.
        spelling = record_content([written, *parts])
        # The other fields are made from these (street from address, anchor from address_words ...)
        sources = ("address", "address_words", "company", "city", "phone_digits", *OPTIONAL)
        content = (spelling ^ record_content(
            [*(fields[f] for f in sources if f in fields), Coded(phone_slots, phone_values),
             Coded(email_slots, email_values)])) * _MIX
        return spelling, content

    def readings() -> tuple[frozenset[str], np.ndarray, dict[str, int]]:
        return (rare_words(fields["reading"]), _other_readings(records, written, fields["reading"]),
                family_counts(fields["name_key"]))

    # Then the people on each value; each step beside another (hashing in Arrow and NumPy's
    # sorts let go of the GIL; the name readings and slips do not).
    (spelling, content), (rare, others, families) = run_all([contents, readings], workers)
    slips = _name_slips(fields["name_key"], fields["reading"], rare, others, families)
    mobile = pd.Series(phone_values, dtype=TEXT).str.match(_MOBILE).fillna(False).to_numpy(bool)

    def mailboxes() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per e-mail code: generic (info@), numbered (karen396@); the mailbox names (before
        @) and each record's slots of them; per e-mail code, the phone code it spells, -1 none."""
        local = extract(pd.Series(email_values, dtype=TEXT), r"^([^@]*)@")[0]
        local_codes, local_values = pd.factorize(local)
        # A Chinese mobile as the mailbox (18196874805@163.com) is a habit: the number is the person's.
        spelt = ("+86" + local).where(local.str.fullmatch(r"1[3-9][0-9]{9}").fillna(False))
        return (local.isin(GENERIC_MAILBOXES).to_numpy(), local.str.contains("[0-9]").fillna(False).to_numpy(bool),
                local_values, np.append(local_codes, -1)[email_slots],  # slot -1 reads the appended -1
                pd.Index(phone_values).get_indexer(spelt.astype(object).to_numpy()).astype(np.int64))

    # The mailboxes, which do not depend on who is who, beside the names one mobile joins.
    person, (generic, numbered, local_values, mailbox, spelt_mobile) = run_all(
        [functools.partial(_one_person_by, person, phone_slots, mobile, slips, spelling), mailboxes], workers)

    def email_people() -> np.ndarray:
        found = _slot_people(email_slots, person, len(email_values), fields, ~generic,  # a family may share one
                             lambda a, b, own: slips(a, b, np.zeros_like(own)), spelling)
        found[generic] = SHARED_BY + 99
        return found

    def address_people() -> np.ndarray:
        has = address.codes >= 0
        per_address = people_per_value(np.flatnonzero(has), address.codes[has], person, len(address.values),
                                       slips=slips, spelling=spelling)
        return np.where(has, np.append(per_address, 0)[address.codes], 0)

    def placeholder_values() -> dict[str, np.ndarray]:
        out = {}
        for name in IDENTIFIERS:
            if name in fields:
                held = fields[name].codes >= 0
                people = people_per_value(np.flatnonzero(held), fields[name].codes[held], person,
                                          len(fields[name].values), slips=slips, spelling=spelling)
                times = np.bincount(fields[name].codes[held], minlength=len(fields[name].values))
                out[name] = (people >= PLACEHOLDER_PEOPLE) & (times >= PLACEHOLDER_RECORDS)
        return out

    email_names, mailbox_names, address_names, phone_names, placeholders = run_all([
        email_people, lambda: _slot_people(mailbox, person, len(local_values)), address_people,
        lambda: _slot_people(phone_slots, person, len(phone_values), fields, mobile, slips, spelling),
        placeholder_values], workers)
    release()
    return Prepared(fields, phone_slots, phone_names, email_slots, email_names, generic, mailbox, mailbox_names,
                    address_names, numbered, others, mobile, spelt_mobile, content, rare, families, placeholders)


OPTIONAL = ("birth_on", "postcode", "customer_code", "id_number", "personal_id", "gender")
# Prepared.fields in this order whatever thread finished first.
_FIELD_ORDER = ("surname", "latin_first", "latin_last", "name_key", "reading", "person", "address", "street",
                "address_words", "company", "city", "phone_digits", "company_core", "anchor", *OPTIONAL)


def company_core(company: pd.Series, cities: np.ndarray) -> pd.Series:
    """A company key without the city names it may carry: 上海浩林科技, 浩林科技(上海) -> 浩林科技.

    ``cities`` are the data's own city names (any without 市); longer names are removed first.
    """
    names = sorted({c for c in cities.tolist() if isinstance(c, str) and 2 <= len(c) <= 8}, key=len, reverse=True)
    if not names:
        return company
    core = replace_regex(company, "|".join(map(re.escape, names)), "")
    return core.where(core.str.len() >= 2, company)


def street_key(address: pd.Series) -> pd.Series:
    """The address from the district's last character on: what stays when the city or 市 is
    left out (the district and street are written the same way every time).

    >>> street_key(pd.Series(["上海市浦东新区张江路1号", "上海浦东新区张江路1号", None])).tolist()
    ['新区张江路1号', '新区张江路1号', <NA>]
    """
    return replace_regex(address, r"^.*?(.(?:区|县|街道|镇))", r"\1", max_replacements=1)


def street_anchor(words: pd.Series) -> pd.Series:
    """The house number and the street's first word, from an address's words (``address_words``):
    what stays when a flat, a suburb, a town or a postcode is added or left out, or the
    street type is abbreviated. Chinese: the district's last character, the road and its
    number (人民路100 alone is in every city: measured, it tripled the candidate pairs).

    >>> street_anchor(pd.Series(["flat 36 89 victoria street", "89 victoria st london w1 2ab",
    ...                          "中原区学府路914号世纪花园15栋", "郑州市中原区学府路914号", "人民路100号", None])).tolist()
    ['89 victoria', '89 victoria', '原区学府路914', '原区学府路914', <NA>, <NA>]
    """
    latin = extract(words, r"(?:^| )([0-9]+[a-z]? [a-z]{3,})")[0]
    chinese = extract(words, f"([{HAN}](?:区|县)[{HAN}]{{1,8}}?(?:路|街|道|巷|弄)[0-9]+)")[0]
    return latin.fillna(chinese)


def phone_digits(phones: pd.Series) -> pd.Series:
    """National digits of a phone cell, valid or not, so one number written with or without
    its country code or trunk 0 reads the same: '+8613812345678' and '138123456788' (a
    doubled digit) give 13812345678 and 138123456788; '+61 443 045 642' and '0443 045642'
    (a range libphonenumber does not know) both 443045642; '+447911903760' and '7911903760'
    both 7911903760. A country code goes after + or 00 (the codes are prefix-free), and
    86 before a Chinese mobile's eleven digits; a trunk 0 goes before the rest."""
    text = replace_regex(phones, r"[^0-9+]", "")
    international = replace_regex(text, f"^(?:\\+|00)(?:{_calling_codes()})", "")
    digits = replace_regex(international.where(international != text, replace_regex(text, r"^0(\d)", r"\1")), r"\D", "")
    national = digits.where(~(digits.str.startswith("86") & (digits.str.len() >= 12)), digits.str.slice(2))
    return national.where(national.str.len() >= 7)


@functools.cache
def _calling_codes() -> str:
    import phonenumbers

    return "|".join(sorted(map(str, phonenumbers.COUNTRY_CODE_TO_REGION_CODE), key=lambda c: (-len(c), c)))


def similarity(field: Coded, ca: np.ndarray, cb: np.ndarray, scorer=fuzz.ratio, where: np.ndarray | None = None,
               **kwargs) -> np.ndarray:
    """Similarity of the pairs' values of one field: 100 (or 0 for a distance) where the codes
    are equal, NaN where either is missing (or ``where`` is False). Each distinct pair of
    values is scored once, with rapidfuzz's batch ``cpdist``. Where a caller asks only
    whether a threshold is passed, ``score_cutoff`` lets rapidfuzz give up early (scores
    below it read 0, distances above it cutoff + 1): 2.3 times faster on addresses."""
    both = (ca >= 0) & (cb >= 0)
    out = np.full(len(ca), np.nan)
    out[both & (ca == cb)] = 0.0 if scorer in (Levenshtein.distance, OSA.distance) else 100.0
    todo = both & (ca != cb)
    if where is not None:
        todo &= where
    idx = np.flatnonzero(todo)
    if len(idx):
        width = len(field.values)
        combos, inverse, _ = unique_inverse(ca[idx] * width + cb[idx])
        scores = cpdist(field.values[combos // width], field.values[combos % width], scorer=scorer, workers=-1,
                        **kwargs)
        out[idx] = scores[inverse]
    return out


def _set_levels(slots: np.ndarray, names: np.ndarray, left: np.ndarray,
                right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """missing / different / shared (2) / same (3) for set-valued fields (phones, e-mails),
    and whether the value in common is used by two people only (``SHARED_BY``)."""
    a0, b0 = slots[left, 0], slots[right, 0]
    names = np.append(names, 0)  # slot -1 reads the appended 0
    fewest = np.where((a0 >= 0) & (a0 == b0), names[a0], np.iinfo(np.int64).max)
    has_a, has_b = a0 >= 0, b0 >= 0
    more = np.flatnonzero((slots[left, 1] >= 0) | (slots[right, 1] >= 0))  # alternates: only where any
    if len(more):
        a, b = slots[left[more]], slots[right[more]]
        has_a[more] |= (a >= 0).any(axis=1)
        has_b[more] |= (b >= 0).any(axis=1)
        for i in range(SLOTS):
            for j in range(SLOTS):
                hit = (a[:, i] >= 0) & (a[:, i] == b[:, j])
                fewest[more] = np.where(hit, np.minimum(fewest[more], names[a[:, i]]), fewest[more])
    agree = fewest < np.iinfo(np.int64).max
    level = np.where(has_a & has_b, DIFFERENT, MISSING)
    return np.where(agree, np.where(fewest >= SHARED_BY, 2, 3), level).astype(np.int8), agree & (fewest == SHARED_BY)


def _same_sets(slots: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Whether each pair's records hold the same values of a set-valued field (phones)."""
    return (np.sort(slots[left], axis=1) == np.sort(slots[right], axis=1)).all(axis=1)


_HAN_NAME = re.compile(f"[{HAN}]+")


def _typed_wrong(key: Coded, reading: Coded, a: np.ndarray, b: np.ndarray, rare: frozenset[str],
                 families: dict[str, int] | None = None) -> np.ndarray:
    """Whether two names a typing slip apart look typed wrong rather than like two family
    members' names, for each pair of records. Siblings share the surname and often a
    character of the given name (宋玉珍, 宋玉华; 张伟, 张敏), so a Chinese slip counts only
    in the surname or as a character added or dropped (宋珍, 宋玉珍); with ``families``
    (``family_counts``), a surname only where it looks typed wrong (周芳, 邹芳; 王磊, 玉磊),
    as colleagues share a given name under common surnames (张伟, 王伟). In Latin
    letters, a word that looks typed wrong (``rare_words``: few records hold it, or far fewer
    than a word a letter off) where the other name's does not ("barara" for "barbara"): two
    words many hold are two names (Mark, Mary), and a small sheet says nothing either way."""
    out = np.zeros(len(a), dtype=bool)
    pairs = zip(key.strings(rows=a), key.strings(rows=b), reading.strings(rows=a), reading.strings(rows=b))
    for i, (ka, kb, x, y) in enumerate(pairs):
        if isinstance(ka, str) and isinstance(kb, str) and _HAN_NAME.fullmatch(ka) and _HAN_NAME.fullmatch(kb):
            out[i] = len(ka) != len(kb) or (ka[1:] == kb[1:] and (
                families is None or family_typed_wrong(ka[0], kb[0], families)))
        elif isinstance(x, str) and isinstance(y, str):
            wx, wy = set(x.split()), set(y.split())
            ox, oy = wx - wy, wy - wx
            out[i] = bool(ox and oy) and (ox <= rare) != (oy <= rare)
    return out


def address_numbers(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per distinct address: its numbers in order ("12 3"), and codes of them all and of the
    first alone (equal codes, equal numbers). A -1 code is appended for a missing address.

    >>> nums, full, first = address_numbers(np.array(["12 high st", "12 high st, london se1 4qq"], dtype=object))
    >>> nums.tolist(), bool(full[0] == full[1]), bool(first[0] == first[1])
    (['12', '12 1 4'], False, True)
    """
    numbers = pc.utf8_trim(pc.replace_substring_regex(pa.array(values, type=pa.string()), "[^0-9]+", " "), " ")
    first = pc.utf8_trim(pc.replace_substring_regex(numbers, " .*$", "", max_replacements=1), " ")
    full, head = (np.append(pd.factorize(pd.Series(x, dtype=TEXT))[0], -1) for x in (numbers, first))
    return np.asarray(numbers.to_pylist(), dtype=object), full, head


def _numbers_extend(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether one address's numbers begin with all of the other's ("12 1 4" and "12")."""
    return np.array([x.startswith(y + " ") or y.startswith(x + " ") for x, y in zip(a.tolist(), b.tolist())],
                    dtype=bool)


def _graded(ca: np.ndarray, cb: np.ndarray, close: np.ndarray | None = None) -> np.ndarray:
    """missing / different / [close] / same from the pairs' codes of a field."""
    both = (ca >= 0) & (cb >= 0)
    same = both & (ca == cb)
    top = 2 if close is None else 3
    level = np.where(same, top, np.where(both, DIFFERENT, MISSING))
    if close is not None:
        level = np.where(both & ~same & close, 2, level)
    return level.astype(np.int8)


def _spelt_in(spelt: np.ndarray, phones: np.ndarray) -> np.ndarray:
    """Per row, a phone code of ``spelt`` (e-mail slots' spelt mobiles) that ``phones`` holds, -1 none."""
    out = np.full(len(spelt), -1, dtype=np.int64)
    for i in range(spelt.shape[1]):
        for j in range(phones.shape[1]):
            hit = (spelt[:, i] >= 0) & (spelt[:, i] == phones[:, j])
            out[hit] = spelt[hit, i]
    return out


# Pairs compared at a time: a column of a chunk is 8 MB. The 5.3 million pairs of the blind
# 1M list at once made 42 MB columns, and compare_pairs' arrays peaked 1.3 GB over its
# input; in chunks, 0.55 GB (the same levels, in about the same time).
# Pairs compared at a time on each core: two chunks of a million pairs at once peaked 300
# MB above one (blind 1M list); two of half a million, 90-150 MB.
CHUNK = 1 << 19


def compare_pairs(prep: Prepared, left: np.ndarray, right: np.ndarray,
                  workers: int | None = None) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The level of every field for each pair, and the pairs' name similarity (0..100).

    A pair's levels depend on the two records alone, so the pairs go in chunks, on up to
    ``workers`` threads (default: one per core): much of a chunk is NumPy, Arrow and
    rapidfuzz, which let go of the GIL."""
    if len(left) <= CHUNK:
        return _compare_chunk(prep, left, right)
    # What every chunk reads of the distinct values, made first, side by side: made by the
    # first chunk, the other threads would wait (a cached_property holds a lock while made).
    run_all([functools.partial(getattr, prep, name) for name in _READ_BY_EVERY_CHUNK], workers)
    levels: dict[str, np.ndarray] = {}
    sim = np.empty(len(left))
    made = threading.Lock()

    def chunk(start: int) -> None:  # each chunk's levels go into place as it ends, not held to the end
        part, sim[start:start + CHUNK] = _compare_chunk(prep, left[start:start + CHUNK], right[start:start + CHUNK])
        with made:
            for name, level in part.items():
                if name not in levels:
                    levels[name] = np.zeros(len(left), dtype=level.dtype)
        for name, level in part.items():
            levels[name][start:start + CHUNK] = level

    run_all([functools.partial(chunk, start) for start in range(0, len(left), CHUNK)], workers)
    release()  # what the threads let go stays in their heaps otherwise (200 MiB at 1M rows)
    return levels, sim


_READ_BY_EVERY_CHUNK = ("house_numbers", "counted_reading", "phone_ends", "spelt_mobiles", "spells", "han_names",
                        "reading_words")


def _compare_chunk(prep: Prepared, left: np.ndarray, right: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    f = prep.fields
    levels: dict[str, np.ndarray] = {}

    def codes(name: str) -> tuple[np.ndarray, np.ndarray]:
        return f[name].codes[left], f[name].codes[right]

    ka, kb = codes("name_key")
    ra, rb = codes("reading")
    both = (ra >= 0) & (rb >= 0)
    # the readings' own codes: a value for a value, so no pair's codes are taken again
    sim = np.fmax(similarity(f["name_key"], ka, kb), similarity(prep.counted_reading, ra, rb, fuzz.token_set_ratio))
    name = np.select([both & (ka == kb), both & (ra == rb), sim >= 88, sim >= 60, both], [6, 5, 4, 2, DIFFERENT],
                     MISSING)
    # Two Chinese names alike in pinyin are not alike for that (张晓明 / 张晓梅, siblings):
    # only a slip (typo_close, below) makes them close.
    han = prep.han_names
    name = np.where((name == CLOSE_NAME) & han[ka] & han[kb], 2, name)
    # "Tony Ma" beside 马永健: an English name with the Chinese name's surname
    sa, sb = codes("surname")
    english = [(s >= 0) & ((s == codes("latin_first")[1 - i]) | (s == codes("latin_last")[1 - i]))
               for i, s in enumerate((sa, sb))]
    name = np.where((name <= 2) & (english[0] | english[1]), ENGLISH_NAME, name)
    low = np.flatnonzero((name >= DIFFERENT) & (name < CLOSE_NAME))  # a typing slip is "close": 梅亮 / 刘亮
    if len(low):
        slip = typo_close_codes(f["name_key"], f["reading"], ka[low], kb[low], ra[low], rb[low], rare=prep.rare_words,
                                families=prep.family_names)
        name[low[slip]] = CLOSE_NAME
        # Latin names alike in part (token-set similarity): a nickname or another spelling
        words = prep.reading_words
        english = (f["latin_first"].codes[left[low]] >= 0) & (f["latin_first"].codes[right[low]] >= 0)
        latin = low[~slip & english & (sim[low] >= 60) & (words[ra[low]] == words[rb[low]])]
        reads = f["reading"].values
        found = once_per_pair(ra[latin], rb[latin], len(reads), lambda r: variants_many(
            reads[ra[latin][r]], reads[rb[latin][r]], prep.rare_words))
        name[latin[found]] = CLOSE_NAME
    # Cheung Wei and 张伟 (one name in another romanisation); 宁芹马 and 马宁芹 (parts turned round)
    low = np.flatnonzero((name >= DIFFERENT) & (name < SAME_NAME))
    if len(low):
        name[low[read_alike(f["reading"].codes, prep.other_readings, left[low], right[low])]] = SAME_NAME
    # Alike as written, but given names of two sexes: Michael / Michelle, Patrick / Patricia Smith
    alike = np.flatnonzero(name == CLOSE_NAME)
    reads = np.append(f["reading"].values, None)
    name[alike[_two_sexes(reads[ra[alike]], reads[rb[alike]])]] = 2
    levels["name"] = name.astype(np.int8)
    # Each block's arrays go when it is done: a column per pair is 42 MB at 5 million pairs,
    # and held to the end they were 1.7 GB at the function's height.
    del ka, kb, sa, sb, english, name, low, alike, both

    phone, phone_by_two = _set_levels(prep.phones, prep.phone_names, left, right)
    da, db = codes("phone_digits")
    near = (phone <= DIFFERENT) & (da >= 0) & (db >= 0) & (da != db)
    if near.any():  # a digit lost, doubled or mistyped keeps most of the number: compare only those
        head, tail = prep.phone_ends
        a, b = np.maximum(da, 0), np.maximum(db, 0)
        near &= (head[a] == head[b]) | (tail[a] == tail[b])
    # equal digits read distance 0 too: those are the same number, below, not a digit off
    typo = (similarity(f["phone_digits"], da, db, Levenshtein.distance, where=near, score_cutoff=1) <= 1) & near
    phone = np.where(phone >= 2, phone + 1, np.where((phone <= DIFFERENT) & typo, 2, phone))
    phone = np.where((phone == MISSING) & (da >= 0) & (db >= 0), DIFFERENT, phone)
    # the same digits, not a valid number where the sheet is (0479772614 in a Chinese sheet)
    levels["phone"] = np.where((phone == DIFFERENT) & (da >= 0) & (da == db), 4, phone).astype(np.int8)
    del da, db, phone, typo, near

    email, email_by_two = _set_levels(prep.emails, prep.email_names, left, right)
    email = np.where(email == 3, 4, np.where(email == 2, 3, email))
    ma, mb = prep.mailbox[left, 0], prep.mailbox[right, 0]
    email = np.where((email == DIFFERENT) & (ma >= 0) & (ma == mb), 2, email)
    # A numbered mailbox (3377128623@qq.com, karen396@gmail.com) is one person's: two people of
    # one name may both be put down as mary.smith@gmail.com, seldom as karen396@.
    same = np.flatnonzero(email == 4)
    if len(same):
        numbered = np.where(np.append(prep.numbered, False)[prep.emails], prep.emails, -1)
        email[same[_set_levels(numbered, prep.email_names, left[same], right[same])[0] == 3]] = 5
    levels["email"] = email.astype(np.int8)
    del email, ma, mb, same
    # One record's mailbox spells the other's mobile (a new phone, the old number kept as the
    # e-mail): the phones agree, as shared where the names are two people's (王娜's mailbox,
    # 王涛's mobile). Not where the e-mails agree: that would count one fact twice.
    spelt, spells = prep.spelt_mobiles, prep.spells
    cross = np.flatnonzero((levels["phone"] <= DIFFERENT) & (levels["email"] < SHARED["email"])
                           & (spells[left] | spells[right]))
    if len(cross):
        code = np.maximum(_spelt_in(spelt[left[cross]], prep.phones[right[cross]]),
                          _spelt_in(spelt[right[cross]], prep.phones[left[cross]]))
        hit = code >= 0
        one = (prep.phone_names[code[hit]] < SHARED_BY) & (levels["name"][cross[hit]] >= ENGLISH_NAME)
        levels["phone"][cross[hit]] = np.where(one, SHARED["phone"] + 1, SHARED["phone"])

    sa, sb = codes("street")  # 上海市浦东新区X路1号 and 浦东新区X路1号: close, and so are typos
    aa, ab = codes("address")
    street = (sa >= 0) & (sa == sb)
    wa, wb = codes("address_words")  # written, with its spaces: words moved around are close too
    alike = similarity(f["address_words"], wa, wb, fuzz.token_sort_ratio, where=~street,
                       score_cutoff=CLOSE_ADDRESS) >= CLOSE_ADDRESS
    numbers, full, first = prep.house_numbers
    both = (wa >= 0) & (wb >= 0)
    same_numbers = both & (full[wa] == full[wb])
    # and in the order written, where the numbers are the same: a typo in a word's first
    # letter moves it in the sorted order (4 dinnison gcircuit, 4 dinnison circuit: 69
    # sorted, 98 as written)
    alike |= similarity(f["address_words"], wa, wb, fuzz.ratio, where=~street & ~alike & same_numbers,
                        score_cutoff=CLOSE_ADDRESS) >= CLOSE_ADDRESS
    # alike with other house or room numbers is its own level: a typo, or next door (12 and 14 Main St)
    # one written with its town, state or postcode after it (244 New Avenue; 244 New Avenue,
    # London SE1 4QQ): it holds all the other's words, and its numbers begin with the other's
    maybe = both & (first[wa] == first[wb]) & (first[wa] >= 0)
    wider = similarity(f["address_words"], wa, wb, fuzz.token_set_ratio, where=~street & ~alike & maybe,
                       score_cutoff=100)
    check = np.flatnonzero((wider >= 100) & ~same_numbers)
    within = (wider >= 100) & same_numbers
    within[check] = _numbers_extend(numbers[wa[check]], numbers[wb[check]])
    alike |= within
    same_numbers |= within
    renumbered = alike & ~same_numbers
    address = _graded(aa, ab, street | (alike & ~renumbered))  # missing, different, close, same
    shared = (prep.address_names[left] >= SHARED_BY) | (prep.address_names[right] >= SHARED_BY)
    address_by_two = np.maximum(prep.address_names[left], prep.address_names[right]) == SHARED_BY
    address = np.where(address == 3, np.where(shared, 4, 5), np.where(address == 2, 3, address))
    levels["address"] = np.where((address == DIFFERENT) & renumbered, 2, address).astype(np.int8)
    del sa, sb, aa, ab, street, wa, wb, alike, both, same_numbers, maybe, wider, check, within, renumbered, address, \
        shared, spelt, spells, cross

    ca, cb = codes("company")
    oa, ob = codes("company_core")  # 信凤食品, 北京信凤食品, 信凤食品(北京): close
    levels["company"] = _graded(ca, cb, (oa >= 0) & (oa == ob))
    del ca, cb, oa, ob
    ta, tb = codes("city")  # Mooroolbark and Mooroofbark; a short name (广州, 杭州) is never this alike
    levels["city"] = _graded(ta, tb, similarity(f["city"], ta, tb, score_cutoff=CLOSE_ADDRESS) >= CLOSE_ADDRESS)
    for name in ("birth_on", "postcode", "customer_code", "id_number", "personal_id"):
        if name in f:
            a, b = codes(name)
            levels[name] = _graded(a, b, similarity(f[name], a, b, OSA.distance, score_cutoff=1) <= 1)  # a swap is one
            if name in prep.placeholders:  # one number typed for many people identifies nobody
                dummy = np.append(prep.placeholders[name], False)
                levels[name][dummy[a] | dummy[b]] = MISSING
    if "gender" in f:
        levels["gender"] = _graded(*codes("gender"))
    # A family's landline or a company's mailbox still points to one person when the names
    # are the same: a household or an office seldom has two people of one name.
    same_name = levels["name"] >= SAME_NAME
    for name, level in SHARED.items():
        levels[name] = np.where(same_name & (levels[name] == level), level + 1, levels[name]).astype(np.int8)
    # Two people the coarse person key takes for one (Michael and Michelle Smith are both
    # "mich smit", so their family's landline looked their own): what both use is shared.
    person_a, person_b = f["person"].codes[left], f["person"].codes[right]
    twin = np.flatnonzero((person_a == person_b) & (person_a >= 0) & (ra != rb))
    twin = twin[_two_sexes(reads[ra[twin]], reads[rb[twin]])]
    for name, level in SHARED.items():
        levels[name][twin] = np.minimum(levels[name][twin], level)
    # Nor a value whose only two names are a typing slip apart, where the records' other
    # contacts do not differ: 欧阳勇 and 欧杨勇 on one mobile, or Barbara Lewis and Barara
    # Lewis on one landline, look "shared" by the slip alone. A family shares a landline, an
    # address and maybe an e-mail, seldom a mobile: on those the slip must look typed wrong
    # (``_typed_wrong``), so Mark and Mary Smith, 宋玉珍 and 宋玉华 stay two people.
    slip = np.flatnonzero((levels["name"] == CLOSE_NAME) & (levels["phone"] != DIFFERENT)
                          & (levels["email"] != DIFFERENT))
    a, b = left[slip], right[slip]
    only_two = {"phone": phone_by_two[slip] & _same_sets(prep.phones, a, b),
                "email": email_by_two[slip] & _same_sets(prep.emails, a, b), "address": address_by_two[slip]}
    only_two = {name: two & (levels[name][slip] == SHARED[name]) for name, two in only_two.items()}
    # the value the two names alone use is a mobile (the records hold the same phones: a's say)
    held = prep.phones[a]
    own = only_two["phone"] & ((np.append(prep.phone_names, 0)[held] == SHARED_BY)
                               & np.append(prep.mobile, False)[held]).any(axis=1)
    family = np.flatnonzero((only_two["phone"] & ~own) | only_two["email"] | only_two["address"])
    typo = np.zeros(len(slip), dtype=bool)  # judged on these only: a loop over names
    typo[family] = _typed_wrong(f["name_key"], f["reading"], a[family], b[family], prep.rare_words,
                                prep.family_names)
    for name, two in only_two.items():
        theirs = (typo | own) if name == "phone" else typo
        levels[name][slip[two & theirs]] = SHARED[name] + 1
    return levels, sim
