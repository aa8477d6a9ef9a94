"""Phone cells to numbers: every spelling of one number is one number."""

import random

import pandas as pd

from sheetkit.values.phone_columns import read_columnwise
from sheetkit.values.phones import _parse_phone, normalize_phones

AREAS = ["10", "20", "21", "22", "23", "24", "25", "27", "28", "29", "311", "351", "371", "411", "431", "451",
         "471", "510", "512", "531", "551", "571", "591", "731", "755", "757", "769", "791", "851", "871", "898",
         "931", "991", "335", "433", "754", "978", "994",
         "12", "17951", "400", "800", "16", "95", "86", "0"]  # not area codes: other types, carrier prefixes
PREFIXES = ["0", "+86", "+860", "0086", "", "86", "00860", "00"]


def _keys(n: int, seed: int) -> pd.Series:
    """Digit strings as a phone cell holds them once punctuation is gone, valid or not."""
    rng = random.Random(seed)
    keys = []
    for _ in range(n):
        subscriber = "".join(rng.choice("0123456789") for _ in range(rng.choice([4, 5, 6, 7, 8, 9, 10])))
        if rng.random() < 0.8:
            subscriber = rng.choice("23456789") + subscriber
        keys.append(rng.choice(PREFIXES) + rng.choice(AREAS) + subscriber)
    return pd.Series(list(dict.fromkeys(keys)))


def test_chinese_landlines_read_column_wise_agree_with_libphonenumber():
    keys = _keys(6_000, seed=5)
    fast = read_columnwise(keys, "CN")
    checked = valid = 0
    for key, e164, display, kind, decided in zip(keys, fast["e164"], fast["display"], fast["kind"], fast["decided"]):
        reference = _parse_phone(key, "CN")
        valid += bool(reference and reference[2] == "landline")
        if decided:
            checked += reference is not None
            assert ((e164, display, kind) if e164 else None) == reference, key
    # carrier prefixes (17951), "86" without "+", "0086": all read column-wise but a few
    assert checked >= 0.95 * valid and checked > 500


def test_landlines_in_any_spelling_become_one_number():
    out = normalize_phones(pd.Series(["021-6123 4567", "(021)61234567", "+86 21 6123 4567", "0086-21-61234567",
                                      "010 8888 1234", "0571-8888-1234", "021-1234"]))
    assert out["phone"].tolist() == ["+862161234567"] * 4 + ["+861088881234", "+8657188881234", "021-1234"]
    assert out["phone_display"].tolist()[:6] == ["021 6123 4567"] * 4 + ["010 8888 1234", "0571 8888 1234"]
    assert out["phone_type"].tolist()[:6] == ["landline"] * 6


def test_many_numbers_parsed_in_other_processes_give_what_one_process_gives(monkeypatch):
    from sheetkit import parallel
    from sheetkit.values import phones

    rng = random.Random(8)
    # valid Australian and British numbers, and some that are not, in spellings read one by
    # one (words in the cell: not plain digits)
    shapes = ["tel 04dd ddd ddd", "mob: (02) 9ddd dddd", "Tel: +61 4dd ddd ddd", "ph 07 3ddd dddd",
              "tel +44 20 7946 0ddd", "tel 0412 ddd", "not a phone d"]
    cells = pd.Series(["".join(rng.choice("0123456789") if c == "d" else c for c in rng.choice(shapes))
                       for _ in range(400)] + [None, "", "0412 345 678"])
    alone = normalize_phones(cells, "AU", workers=1)
    monkeypatch.setattr(phones, "_IN_PROCESSES", 40)  # a list this short is parsed here by default
    started = []
    real = parallel.process_pool
    monkeypatch.setattr(parallel, "process_pool", lambda workers: started.append(workers) or real(workers))
    pd.testing.assert_frame_equal(normalize_phones(cells, "AU", workers=2), alone)
    assert started == [2]
    assert alone["phone"].iloc[-1] == "+61412345678" and alone["phone_type"].notna().sum() > 200


def test_where_no_process_can_start_the_numbers_are_parsed_here(monkeypatch):
    from sheetkit import parallel
    from sheetkit.values import phones

    def refuse(workers):
        raise OSError("no processes in this sandbox")

    monkeypatch.setattr(phones, "_IN_PROCESSES", 2)
    monkeypatch.setattr(parallel, "process_pool", refuse)
    out = normalize_phones(pd.Series(["0412 345 678", "(02) 9374 4000", "0412345678", "12"]), "AU", workers=2)
    assert out["phone"].tolist() == ["+61412345678", "+61293744000", "+61412345678", "12"]
