"""E-mails: the column-wise fast path never disagrees with email-validator; typos are suggested."""

import random
import string

import pandas as pd
from email_validator import EmailNotValidError, validate_email

from sheetkit import columns as C
from sheetkit.values.emails import (
    PROVIDERS,
    is_valid_email,
    normalize_emails,
    suggest_emails,
)


def _library(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
        return True
    except EmailNotValidError:
        return False


def test_validity_agrees_with_email_validator_on_random_addresses():
    rng = random.Random(9)
    alphabet = string.ascii_lowercase + string.digits + "._-+%@!#'"

    def word(n):
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, n)))

    values = [f"{word(12)}@{word(10)}.{rng.choice(['com', 'cn', 'co.uk', 'c', 'test', 'local', '中国'])}"
              for _ in range(3000)]
    values += ["a..b@qq.com", ".a@qq.com", "a.@qq.com", "a@-qq.com", "a@qq-.com", "王@例子.中国", "x@example.com",
               "a" * 65 + "@qq.com", "a@" + "b" * 64 + ".com", "12345678@qq.com", "first.last+tag@mail.tsinghua.edu.cn"]
    got = is_valid_email(pd.Series(values)).tolist()
    assert got == [_library(v) for v in values]


def test_provider_typos_get_a_suggestion_and_real_domains_do_not():
    got = suggest_emails(pd.Series(["li@gmial.com", "wang@163.con", "zhao@qq.cm", "a@hotmial.com", "b@yahoo.co",
                                    "c@outlok.com", "d@126.cm"])).tolist()
    assert got == ["li@gmail.com", "wang@163.com", "zhao@qq.com", "a@hotmail.com", "b@yahoo.com",
                   "c@outlook.com", "d@126.com"]
    real = pd.Series([f"x@{p}" for p in PROVIDERS] + ["x@sinotech.com", "x@ox.ac.uk", "x@pku.edu.cn", "x@acme.co"])
    assert suggest_emails(real).isna().all()


REGIONAL = ["yahoo.com.hk", "yahoo.com.tw", "yahoo.com.sg", "yahoo.co.jp", "hotmail.co.jp", "yahoo.co.in",
            "yahoo.com.au", "hotmail.com.tw", "outlook.jp", "hotmail.fr", "sina.com.cn"]


def test_real_regional_domains_of_providers_are_never_corrected():
    # issue 15: yahoo.com.hk was "corrected" to yahoo.com.cn, yahoo.co.jp to yahoo.co.uk
    assert suggest_emails(pd.Series([f"x@{d}" for d in REGIONAL])).tolist() == [None] * len(REGIONAL)


def test_a_misspelt_provider_keeps_its_own_country_suffix():
    got = suggest_emails(pd.Series(["x@hotmial.co.uk", "x@hotmail.co.ul", "x@gmial.co.jp", "x@yahoo.com.hk"])).tolist()
    assert got == ["x@hotmail.co.uk", "x@hotmail.co.uk", None, None]


def test_punctuation_typed_after_an_address_goes_in_one_pass():
    # "x@y.com ;." kept its ";" (and was flagged invalid); the cleaned value, read again
    # (a cleaned workbook fed back in), then changed a second time
    cells = pd.Series(["x@y.com ;.", "x@y.com. ", "<x@y.com>,", "0 ."])
    once = normalize_emails(cells)[C.EMAIL]
    assert once.tolist() == ["x@y.com", "x@y.com", "x@y.com", "0"]
    assert normalize_emails(once)[C.EMAIL].tolist() == once.tolist()
