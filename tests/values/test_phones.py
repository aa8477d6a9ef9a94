"""Chinese landlines checked column-wise agree with libphonenumber number by number."""

import random

import pandas as pd

from sheetkit.values.phones import _cn_landlines, _parse_one, normalize_phones

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


def test_column_wise_landlines_agree_with_libphonenumber():
    keys = _keys(6_000, seed=5)
    fast = _cn_landlines(keys)
    checked = valid = 0
    for key, e164, display, kind in zip(keys, fast["e164"], fast["display"], fast["kind"]):
        reference = _parse_one(key, "CN")
        valid += bool(reference and reference[2] == "landline")
        if e164 is not None:
            checked += 1
            assert (e164, display, kind) == reference, key
    # most valid landlines take the column-wise path (the rest, such as "86…" without "+",
    # go to libphonenumber one by one)
    assert checked >= 0.6 * valid and checked > 500


def test_landlines_in_any_spelling_become_one_number():
    out = normalize_phones(pd.Series(["021-6123 4567", "(021)61234567", "+86 21 6123 4567", "0086-21-61234567",
                                      "010 8888 1234", "0571-8888-1234", "021-1234"]))
    assert out["phone"].tolist() == ["+862161234567"] * 4 + ["+861088881234", "+8657188881234", "021-1234"]
    assert out["phone_display"].tolist()[:6] == ["021 6123 4567"] * 4 + ["010 8888 1234", "0571 8888 1234"]
    assert out["phone_type"].tolist()[:6] == ["landline"] * 6
