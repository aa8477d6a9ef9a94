"""E-mail addresses: trimmed, lower-cased, syntax checked by email-validator, typos spotted.

Most addresses are plain ASCII (``zhang.wei@qq.com``); those matching a strict subset of
the RFC 5322 grammar are accepted column-wise, and every other spelling is decided by
email-validator itself (no network lookups). A likely domain typo (gmial.com, 163.con)
is reported with a suggestion and never changed: the customer may really use it.
"""

from __future__ import annotations

import pandas as pd
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from .. import columns as C
from .text import TEXT, blank_to_na, extract, fold, map_unique, split_many

# Dot-atoms of letters, digits and the common punctuation, a dotted domain of LDH labels and
# an alphabetic TLD: what email-validator accepts without question (tested against it).
_PLAIN = (r"^[a-z0-9_%+\-]+(?:\.[a-z0-9_%+\-]+)*@"
          r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$")
# Special-use names email-validator refuses even when they look plain.
_SPECIAL = r"\.(?:local|localhost|test|invalid|example|onion|arpa|internal|home\.arpa)$|@(?:[^@]*\.)?example\.(?:com|net|org)$"
# Mail providers Chinese and international customers use; a domain one edit away from one
# of these (and not itself one) is probably a typo.
PROVIDERS = ("qq.com", "vip.qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "vip.163.com", "sina.com",
             "sina.cn", "sohu.com", "139.com", "189.cn", "aliyun.com", "tom.com", "21cn.com", "gmail.com",
             "googlemail.com", "hotmail.com", "outlook.com", "live.com", "msn.com", "yahoo.com", "yahoo.com.cn",
             "icloud.com", "me.com", "mac.com", "aol.com", "protonmail.com", "proton.me", "mail.com", "gmx.com",
             "gmx.de", "yandex.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.cn", "263.net", "wo.cn")
# Country-code TLDs (ISO 3166 codes, as libphonenumber lists them, plus .uk and .eu), the
# second-level labels registries put under them (yahoo.com.hk, yahoo.co.jp), and the common
# generic TLDs: a domain ending in one of these has a real suffix, which is never "corrected".
_CC_TLDS = frozenset(r.lower() for r in phonenumbers.SUPPORTED_REGIONS) | {"uk", "eu"}
_SECOND_LEVEL = frozenset({"com", "co", "net", "org", "edu", "gov", "ac", "ne", "or", "go", "gen", "biz", "info"})
_GENERIC_TLDS = frozenset({"com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "mobi",
                           "asia", "me", "io", "xyz", "top", "vip", "club", "online", "site", "shop", "tech",
                           "app", "dev", "email", "mail", "store", "work", "ltd", "group"})
_TLD_TYPOS = {"con": "com", "cm": "com", "cmo": "com", "comm": "com", "co": "com", "om": "com", "vom": "com",
              "xom": "com", "cpm": "com", "coom": "com", "ocm": "com", "nt": "net", "ner": "net", "met": "net"}


def is_valid_email(values: pd.Series) -> pd.Series:
    """True where the address is syntactically valid (email-validator; no DNS).

    >>> is_valid_email(pd.Series(["a.b@qq.com", "li@163", "王@例子.中国", "x@localhost.test"])).tolist()
    [True, False, True, False]
    """
    text = values.astype(TEXT)
    # RFC 5321 lengths: 254 in all, 64 before the @
    fits = (text.str.len() <= 254) & (text.str.find("@") <= 64)
    plain = (text.str.fullmatch(_PLAIN) & fits & ~text.str.contains(_SPECIAL)).fillna(False).astype(bool)
    out = pd.Series(plain.to_numpy(), index=values.index)
    rest = values[~plain & values.notna()]
    if len(rest):
        out[rest.index] = map_unique(rest, _library_says_valid).astype(bool).to_numpy()
    return out.where(values.notna(), True).astype(bool)  # empty cells are not invalid


def _library_says_valid(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
        return True
    except EmailNotValidError:
        return False


def _split_suffix(domain: str) -> tuple[str, str]:
    """(name, public suffix): ("yahoo", "com.hk"), ("hotmail", "co.jp"), ("gmail", "com")."""
    labels = domain.split(".")
    n = 2 if len(labels) >= 3 and labels[-1] in _CC_TLDS and labels[-2] in _SECOND_LEVEL else 1
    return ".".join(labels[:-n]), ".".join(labels[-n:])


def _real_suffix(suffix: str) -> bool:
    tld = suffix.rpartition(".")[2]
    return tld in _CC_TLDS or (suffix == tld and tld in _GENERIC_TLDS)


_PROVIDER_NAMES = frozenset(_split_suffix(p)[0] for p in PROVIDERS)
# The providers under each public suffix, made once, not once per domain (a 1M-row list has
# ~100,000 distinct company domains)
_PROVIDERS_BY_SUFFIX = {suffix: tuple(p for p in PROVIDERS if _split_suffix(p)[1] == suffix)
                        for suffix in {_split_suffix(p)[1] for p in PROVIDERS}}


def _domain_fix(domain: str) -> str | None:
    if domain in PROVIDERS:
        return None
    stem, _, tld = domain.rpartition(".")
    if tld in _TLD_TYPOS and f"{stem}.{_TLD_TYPOS[tld]}" in PROVIDERS:
        return f"{stem}.{_TLD_TYPOS[tld]}"
    name, suffix = _split_suffix(domain)
    candidates = PROVIDERS
    if _real_suffix(suffix):
        # A provider's own name under a real suffix is its regional domain (yahoo.com.hk,
        # hotmail.co.jp): never a typo. Otherwise only the name may be misspelt, so only
        # providers under the same suffix are candidates: .com.hk is never made .com.cn.
        if name in _PROVIDER_NAMES:
            return None
        candidates = _PROVIDERS_BY_SUFFIX.get(suffix, ())
        if not candidates:
            return None
    # One edit (two for long names) from a provider, with the same first letter or digit.
    limit = 1 if len(domain) <= 8 else 2
    best = process.extractOne(domain, candidates, scorer=DamerauLevenshtein.distance, score_cutoff=limit)
    if best is None or best[0][0] != domain[0]:
        return None
    return best[0]


def suggest_emails(values: pd.Series) -> pd.Series:
    """The address with its domain corrected where the domain looks like a provider's typo, else None.

    >>> suggest_emails(pd.Series(["li@gmial.com", "wang@163.con", "zhao@qq.cm", "a@acme.com", "b@qq.com"])).tolist()
    ['li@gmail.com', 'wang@163.com', 'zhao@qq.com', None, None]
    """
    text = values.astype(TEXT)
    parts = extract(text, r"^(.+)@([^@]+)$")
    local, domain = parts[0], parts[1]
    fixed = map_unique(domain.astype(object).where(domain.notna(), None), _domain_fix)
    return (local.astype(object) + "@" + fixed).where(fixed.notna(), None)


def normalize_emails(s: pd.Series) -> pd.DataFrame:
    """E-mails trimmed and lower-cased; several in one cell give ``email`` and ``email_2``.

    >>> normalize_emails(pd.Series([" Zhang.Wei@QQ.com ", "a@b.cn; c@d.cn", "mailto:x@y.com"])).values.tolist()
    [['zhang.wei@qq.com', None], ['a@b.cn', 'c@d.cn'], ['x@y.com', None]]
    """
    first, rest = split_many(s)

    def clean(part: pd.Series) -> pd.Series:
        text = fold(part).str.lower().str.replace(r"^mailto:", "", regex=True)
        # Brackets and sentence punctuation around an address are not part of it; a leading
        # dot is, and makes it invalid (flagged, not repaired). One strip of the whole set at
        # the end, so "x@y.com ;." is clean in one pass, as it is in the next.
        return blank_to_na(text.str.replace(" *@ *", "@", regex=True).str.lstrip("<>,;: ").str.rstrip("<>,;: ."))

    parts = clean(rest.dropna().astype(TEXT).str.split("; ").explode()).dropna()
    joined = parts.groupby(level=0, sort=False).agg("; ".join) if len(parts) else parts
    return pd.DataFrame({C.EMAIL: clean(first), C.EMAIL_ALT: joined.reindex(s.index)}, index=s.index) \
        .astype(object).where(lambda f: f.notna(), None)
