"""Chinese addresses: province, city and district read from the address text.

cpca (Chinese province/city/area mapper, built on the national division codes) finds the
divisions. It also guesses a province from a district name alone ("朝阳区" could be in
Beijing or Changchun); sheetkit keeps a division only when the address itself names the
province or the city, so nothing is filled in that the sheet did not say.
"""

from __future__ import annotations

import re

import pandas as pd

from .text import TEXT, blank_to_na, extract, re2

_SUFFIX = re.compile(r"(省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区|地区|自治州|盟)$")
_MUNICIPALITY = {"北京市", "上海市", "天津市", "重庆市"}
# Up to the first district or county, past a province-level 自治区 / 特别行政区.
_PREFIX = "^((?:.{1,12}?(?:自治区|特别行政区))?.{1,16}?(?:区|县|旗))"


def _short(name: object) -> str:
    return _SUFFIX.sub("", name) if isinstance(name, str) else ""


def parse_addresses(s: pd.Series) -> pd.DataFrame:
    """``province``, ``city`` and ``district`` of each Chinese address, where it names them.

    >>> parse_addresses(pd.Series(["上海市浦东新区张江路88号", "浙江杭州西湖区文三路", "朝阳区建国路", "1 Main St"])).values.tolist()
    [['上海市', '上海市', '浦东新区'], ['浙江省', '杭州市', '西湖区'], [None, None, None], [None, None, None]]
    """
    out = pd.DataFrame({"province": None, "city": None, "district": None}, index=s.index, dtype=object)
    text = s.astype(TEXT)
    han = text.str.contains("[\u4e00-\u9fff]", regex=True).fillna(False).astype(bool)
    if not han.any():
        return out
    import cpca  # loads the division table: only when there are Chinese addresses

    # The divisions are at the start of an address: parse each distinct prefix (up to the
    # first district or county, else the first 8 characters) once, not each address.
    prefix = extract(text[han], _PREFIX)[0].fillna(text[han].str.slice(0, 8))
    uniques = pd.unique(prefix.to_numpy(dtype=object))
    found = cpca.transform(list(uniques)).rename(columns={"省": "province", "市": "city", "区": "district"})
    found.index = uniques
    province, city = found["province"].to_numpy(dtype=object), found["city"].to_numpy(dtype=object)
    city = [p if c == "市辖区" or (pd.isna(c) and p in _MUNICIPALITY) else c for p, c in zip(province, city)]
    named = [bool(_short(p) and _short(p) in a) or bool(_short(c) and _short(c) in a)
             for a, p, c in zip(uniques, province, city)]
    found["city"] = city
    found = found[["province", "city", "district"]].where(pd.Series(named, index=uniques), None, axis=0)
    parsed = found.reindex(prefix.to_numpy(dtype=object))
    parsed.index = prefix.index
    out.loc[parsed.index] = parsed.astype(object).where(parsed.notna(), None).to_numpy()
    return out.apply(blank_to_na)


# Foreign postcodes sheetkit recognises by shape: UK, Canada, Netherlands, Japan, US ZIP+4.
_FOREIGN_POSTCODE = re2(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{4} ?[A-Z]{2}|\d{3}-\d{4}"
                         r"|\d{5}-\d{4}")


def is_valid_postcode(values: pd.Series) -> pd.Series:
    """A Chinese postcode is six digits, the first 0–8; a foreign one (SW1A 1AA, 100-0001,
    94105-1234) is recognised by its shape; anything else is flagged.

    >>> is_valid_postcode(pd.Series(["200120", "20012", "SW1A 1AA", "999999", "ABC123", "100-0001", None])).tolist()
    [True, False, True, False, False, True, True]
    """
    text = values.astype(TEXT).str.upper().str.strip()
    ok = text.str.fullmatch("[0-8][0-9]{5}") | text.str.fullmatch(_FOREIGN_POSTCODE)
    return (ok | values.isna()).fillna(True).astype(bool)
