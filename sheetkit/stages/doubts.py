"""Phone numbers whose country sheetkit had to choose without evidence: say so.

A number written without a country code is read in the row's country where the row
shows one (normalize.py). With no evidence at all, it is read in the default region;
where the same digits are also a valid number of another country customers often come
from (020 7946 0958: Guangzhou or London; (415) 555-2672: 丹东 or San Francisco), that
choice is a guess, and a warning names the other reading instead of choosing silently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import phonenumbers

from .. import columns as C
from ..issues import BUILTIN, make_issues
from ..values.addresses import country_of
from ..values.text import HAN, TEXT, map_unique

# Countries checked for a second reading. New Zealand is left out on purpose: its mobiles
# (021…, 022…) share every Shanghai landline's digits, so it would doubt every one of them.
OTHER_REGIONS = ("GB", "US", "AU")


def _other_readings(digits: str, default: str) -> str | None:
    """The other countries' valid readings of national digits, "+44 20 7946 0958 (GB)"."""
    found = []
    for region in OTHER_REGIONS:
        if region == default:
            continue
        try:
            num = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num):
            where = phonenumbers.region_code_for_number(num)
            text = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            if f"{text} ({where})" not in found:
                found.append(f"{text} ({where})")
    return "; ".join(found) or None


def find_phone_doubts(raw_phone: pd.Series, records: pd.DataFrame, default: str) -> pd.DataFrame:
    """A ``phone-region-uncertain`` issue per row whose landline, written without a country
    code, was read in ``default`` with nothing in the row to say so (no country, no
    address, no name in Chinese characters) and is also valid in another country.

    Args:
        raw_phone: the phone cells as written, aligned with ``records``.
        records: the normalised records.
        default: the default region (``PipelineConfig.default_region``).
    """
    if C.PHONE not in records.columns:
        return make_issues()
    phone = records[C.PHONE].astype(TEXT)
    code = phonenumbers.country_code_for_region(default)
    written = raw_phone.astype(TEXT).str.strip()
    local = (phone.str.startswith(f"+{code}") & ~written.str.match(r"^(\+|00|\(\+)")).fillna(False).to_numpy(bool)
    country = country_of(records.get(C.COUNTRY), None, records.get(C.PROVINCE), records.get(C.ADDRESS), records.index)
    han = (records[C.NAME].astype(TEXT).str.contains(f"[{HAN}]").fillna(False).to_numpy(bool)
           if C.NAME in records.columns else np.zeros(len(records), bool))
    # Only landlines: a Chinese mobile (13522446688) is also "1 352-244-6688" in the US, but
    # an eleven-digit 1… number in these sheets is all but always the mobile.
    landline = (records[C.PHONE_TYPE].ne("mobile").fillna(True).to_numpy(bool)
                if C.PHONE_TYPE in records.columns else np.ones(len(records), bool))
    todo = local & landline & country.isna().to_numpy(bool) & ~han
    if not todo.any():
        return make_issues()
    digits = written[todo].str.replace("[^0-9]", "", regex=True)
    other = map_unique(digits.astype(object), lambda d: _other_readings(d, default))
    hit = other.notna().to_numpy(bool)
    rows = records.loc[digits.index[hit]]
    severity, message = BUILTIN["phone-region-uncertain"]
    return make_issues(rows[C.PROVENANCE].assign(
        code="phone-region-uncertain", severity=severity, column=C.PHONE, value=rows[C.PHONE],
        original=raw_phone.loc[rows.index], message=message, suggestion=("or " + other[hit]).to_numpy()))
