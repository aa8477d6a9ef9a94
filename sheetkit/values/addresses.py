"""Chinese addresses: province, city and district read from the address text.

cpca (Chinese province/city/area mapper, built on the national division codes) finds the
divisions. It also guesses a province from a district name alone ("朝阳区" could be in
Beijing or Changchun); sheetkit keeps a division only when the address itself names the
province or the city, so nothing is filled in that the sheet did not say.
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .text import HAN, NON_WORD, TEXT, arrow_text, blank_to_na, extract, re2

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


def join_address_parts(number: pd.Series | None, line1: pd.Series | None, line2: pd.Series | None,
                       index: pd.Index) -> pd.Series:
    """One address from a sheet's street number and address lines: "12 High Street, Flat 3".

    >>> join_address_parts(pd.Series(["12", None, "7"]), pd.Series(["High Street", "上海市浦东新区张江路1号", "7 Elm Rd"]),
    ...                    pd.Series(["Flat 3", None, None]), pd.RangeIndex(3)).tolist()
    ['12 High Street, Flat 3', '上海市浦东新区张江路1号', '7 Elm Rd']
    """
    def part(s: pd.Series | None) -> pd.Series:
        empty = pd.Series("", index=index, dtype=TEXT)
        return empty if s is None else s.astype(TEXT).str.strip().fillna("")

    num, one, two = part(number), part(line1), part(line2)
    num = num.where(~((num != "") & (one.str.split(" ", n=1).str[0] == num)), "")  # already in line 1
    street = (num + " " + one).str.strip()
    street = street.where(~(num.str.contains(f"[{HAN}]") | one.str.contains(f"[{HAN}]")), num + one)
    return blank_to_na((street + ", " + two).str.strip(", "))


# Evidence of a customer's country, per row: a country column, the phone's country code,
# an Australian or US state, the address's script.
_COUNTRY_NAMES = {"CN": ("cn", "chn", "china", "prc", "中国", "中华人民共和国", "中国大陆", "大陆"),
                  "AU": ("au", "aus", "australia", "澳大利亚", "澳洲"),
                  "GB": ("gb", "uk", "united kingdom", "great britain", "england", "scotland", "wales", "英国"),
                  "US": ("us", "usa", "united states", "united states of america", "america", "美国"),
                  "NZ": ("nz", "new zealand", "新西兰"), "CA": ("ca", "canada", "加拿大")}
_BY_NAME = {name: code for code, names in _COUNTRY_NAMES.items() for name in names}
_CALLING = {"+86": "CN", "+61": "AU", "+44": "GB", "+64": "NZ", "+1": "US"}
_AU_STATES = ("nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt", "new south wales", "victoria", "queensland",
              "western australia", "south australia", "tasmania", "australian capital territory",
              "northern territory")
_POSTCODE_SHAPES = {"CN": "[0-8][0-9]{5}", "AU": "[0-9]{4}", "NZ": "[0-9]{4}",
                    "GB": "[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", "US": "[0-9]{5}(-[0-9]{4})?",
                    "CA": "[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]"}


def country_of(country: pd.Series | None, phone: pd.Series | None, state: pd.Series | None,
               address: pd.Series | None, index: pd.Index) -> pd.Series:
    """Each row's country as far as the row shows it: "CN", "AU", "GB", "US", "NZ", "CA",
    "other" (a foreign row of another country), "foreign" (not Chinese, country unknown) or
    <NA> (no evidence). A stated country wins, then the phone's country code, a state, the
    address's script.

    >>> country_of(None, pd.Series(["+8613812345678", None, None, "+4420794609"]),
    ...            pd.Series([None, "nsw", None, None]), pd.Series([None, "12 High St", "上海市", None]),
    ...            pd.RangeIndex(4)).tolist()
    ['CN', 'AU', 'CN', 'GB']
    """
    out = pd.Series(pd.NA, index=index, dtype=TEXT)
    if address is not None:
        text = address.astype(TEXT)
        out = out.mask(text.str.contains(f"[{HAN}]").fillna(False).astype(bool), "CN")
        out = out.mask(text.str.contains("[A-Za-z]{3}").fillna(False).astype(bool)
                       & ~text.str.contains(f"[{HAN}]").fillna(False).astype(bool), "foreign")
    if state is not None:
        out = out.mask(state.astype(TEXT).str.strip().str.lower().isin(_AU_STATES).fillna(False).astype(bool), "AU")
    if phone is not None:  # a phone's country code says more than the address's script
        text = phone.astype(TEXT)
        valid = text.str.match(r"^\+[0-9]{7,15}$").fillna(False).astype(bool)
        for prefix, code in _CALLING.items():
            out = out.mask(valid & text.str.startswith(prefix).fillna(False).astype(bool), code)
    if country is not None:
        stated = country.astype(TEXT).str.strip().str.lower().str.strip(".")
        known = stated.map(_BY_NAME, na_action="ignore")
        out = out.mask(known.notna(), known).mask(known.isna() & stated.notna(), "other")
    return out


def postcode_fits_country(postcode: pd.Series, country: pd.Series) -> pd.Series:
    """Whether each postcode has its country's shape (China: six digits, the first 0–8;
    Australia: four; the UK, US, Canada by shape). A row whose country is unknown may
    have any shape sheetkit knows; a row of another country is not judged.

    >>> postcode_fits_country(pd.Series(["2000", "2000", "20012", "SW1A 1AA", "12345", None]),
    ...                       pd.Series(["AU", "CN", None, "foreign", "other", "CN"])).tolist()
    [True, False, False, True, True, True]
    """
    text = postcode.astype(TEXT).str.upper().str.strip()
    ok = pd.Series(postcode.isna().to_numpy(), index=postcode.index) | country.eq("other").fillna(False)
    for code, shape in _POSTCODE_SHAPES.items():
        ok |= (country == code).fillna(False) & text.str.fullmatch(shape).fillna(False)
    foreign = "|".join(v for k, v in _POSTCODE_SHAPES.items() if k != "CN")
    ok |= (country == "foreign").fillna(False) & text.str.fullmatch(foreign).fillna(False)
    ok |= country.isna() & is_valid_postcode(postcode)
    return ok.astype(bool)


# Street words people abbreviate (English-speaking countries), compared written out: the
# common forms of USPS Publication 28 (C1), Australia Post's street types and Royal Mail's.
# Not two-letter state codes that are words elsewhere (FL, LA, PA) or words in their own
# right (Way, Row, Is).
STREET_WORDS = {"st": "street", "str": "street", "rd": "road", "ave": "avenue", "av": "avenue", "dr": "drive",
                "drv": "drive", "ln": "lane", "ct": "court", "crt": "court", "pl": "place", "cres": "crescent",
                "cr": "crescent", "hwy": "highway", "blvd": "boulevard", "bvd": "boulevard", "sq": "square",
                "tce": "terrace", "terr": "terrace", "ter": "terrace", "pde": "parade", "cl": "close",
                "gdns": "gardens", "gdn": "garden", "pk": "park", "gr": "grove", "grv": "grove", "cct": "circuit",
                "cir": "circle", "esp": "esplanade", "pkwy": "parkway", "pky": "parkway", "trl": "trail",
                "xing": "crossing", "hts": "heights", "jct": "junction", "fwy": "freeway", "expy": "expressway",
                "cswy": "causeway", "mtn": "mountain", "plz": "plaza", "cnr": "corner", "grn": "green",
                "rdg": "ridge", "vly": "valley", "vlg": "village", "mdw": "meadow", "wlk": "walk", "mws": "mews",
                "ctr": "center", "centre": "center", "apt": "apartment", "ste": "suite", "bldg": "building",
                "mt": "mount", "n": "north", "s": "south", "e": "east", "w": "west"}
_SHORT = pa.array(list(STREET_WORDS), type=pa.large_string())  # the type arrow_text gives
_LONG = pa.array(list(STREET_WORDS.values()), type=pa.large_string())


def spell_out_streets(s: pd.Series) -> pd.Series:
    """Latin-script addresses as lower-case words with street words written out, for keys
    ("12 High St." -> "12 high street"); Chinese addresses are left as they are.

    One pass over the words (split, looked up, joined in Arrow), not a pass per street word.

    >>> spell_out_streets(pd.Series(["12 High St.", "5 Mill Rd, Apt 3", "上海市浦东新区", None])).tolist()
    ['12 high street', '5 mill road apartment 3', '上海市浦东新区', <NA>]
    """
    whole = arrow_text(s)
    latin = pc.fill_null(pc.match_substring_regex(whole, "[A-Za-z]{2}"), False)
    if not pc.any(latin).as_py():
        return s
    part = pc.utf8_lower(whole.filter(latin))
    # words split at a space once the rest is spaces: a regex split is twice as slow
    lists = pc.split_pattern(pc.utf8_trim(pc.replace_substring_regex(part, NON_WORD, " "), " "), " ")
    words = lists.flatten()
    found = pc.index_in(words, value_set=_SHORT)
    spelt = pc.if_else(pc.is_null(found), words, pc.take(_LONG, found))
    joined = pc.binary_join(type(lists).from_arrays(lists.offsets, spelt), pa.scalar(" ", pa.large_string()))
    out = pc.replace_with_mask(whole, latin, joined)
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([out])), index=s.index)
