"""Numbers read column-wise agree with libphonenumber number by number, in every shape."""

import random

import pandas as pd
import phonenumbers
import pytest

from sheetkit.values.phone_columns import read_columnwise
from sheetkit.values.phones import _parse_phone

# where the numbers come from: sheets' usual countries, codes shared by several regions
# (+1, +44, +61, +7), a national prefix with a transform rule (JP, AR, BR, MX), Italian
# leading zeros (IT), no national prefix (SG, HK)
ORIGINS = ["CN", "AU", "GB", "US", "CA", "NZ", "SG", "HK", "TW", "MO", "JP", "DE", "FR", "IT", "IN", "RU", "KZ",
           "BR", "MX", "AR", "JE", "GG", "IM", "CC", "PR", "JM", "MY", "KR"]
READ_IN = ["CN", "AU", "GB", "US", "CA", "NZ", "JP", "IT", "DE", "SG"]
TYPES = [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE,
         phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.VOIP]


def _keys(rng: random.Random) -> list[str]:
    """Digit strings as cells hold them once punctuation is gone: example numbers of each
    origin and type, written with "+", an IDD, the bare country code, the national prefix
    or nothing; with one digit changed, dropped or added; and random digits."""
    keys = []
    for origin in ORIGINS:
        for kind in TYPES:
            example = phonenumbers.example_number_for_type(origin, kind)
            if example is None:
                continue
            nsn = phonenumbers.national_significant_number(example)
            cc = str(example.country_code)
            national = "".join(ch for ch in phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
                               if ch.isdigit())
            for _ in range(12):
                digits = list(nsn)
                edit = rng.random()
                at = rng.randrange(len(digits))
                if edit < 0.35:
                    digits[at] = rng.choice("0123456789")
                elif edit < 0.45:
                    del digits[at]
                elif edit < 0.55:
                    digits.insert(at, rng.choice("0123456789"))
                body = "".join(digits)
                keys += ["+" + cc + body, "00" + cc + body, "011" + cc + body, cc + body, "0" + body, body,
                         "+" + cc + "0" + body]
            keys += [national, "+" + cc + national]
    for _ in range(3000):
        body = "".join(rng.choice("0123456789") for _ in range(rng.randint(3, 19)))
        keys.append(rng.choice(["", "+", "0", "00", "+86", "86", "+1", "1", "+44", "+61"]) + body)
    return list(dict.fromkeys(keys))


@pytest.mark.parametrize("region", READ_IN)
def test_column_wise_reading_agrees_with_libphonenumber(region):
    keys = pd.Series(_keys(random.Random(READ_IN.index(region))))  # the same numbers every run
    got = read_columnwise(keys, region)
    decided = valid = valid_decided = 0
    for key, e164, display, kind, done in zip(keys, got["e164"], got["display"], got["kind"], got["decided"]):
        reference = _parse_phone(key, region)
        valid += reference is not None
        if done:
            decided += 1
            valid_decided += reference is not None
            assert ((e164, display, kind) if e164 else None) == reference, (key, region)
        else:
            assert e164 is None and display is None and kind is None
    if region == "JP":  # a transform rule: its national numbers are left to libphonenumber
        return
    # most numbers take the column-wise path; what is left is libphonenumber's to read
    assert decided >= 0.8 * len(keys) and valid_decided >= 0.8 * valid, (decided, len(keys), valid_decided, valid)


def test_a_plain_number_is_read_column_wise_in_every_usual_shape():
    keys = pd.Series(["+61412345678", "0412345678", "001161412345678", "61412345678", "+6104123456789", "041234567"])
    got = read_columnwise(keys, "AU")
    assert got["decided"].all()
    assert got["e164"].tolist() == ["+61412345678"] * 4 + [None, None]
    assert got["display"].tolist()[:4] == ["0412 345 678"] * 4
    assert got["kind"].tolist()[:4] == ["mobile"] * 4
    other = read_columnwise(pd.Series(["+61412345678", "+12125550123", "2125550123"]), "CN")
    # foreign numbers shown in international form; ten digits without a code are the region's
    assert other["display"].tolist() == ["+61 412 345 678", "+1 212-555-0123", "021 2555 0123"]
