"""Brings every value to one canonical text form, column by column.

A value that cannot be normalised is kept exactly as written (trimmed), so the
validate stage flags it with the original and nothing is "fixed" into a falsehood.
Work is done per column with pandas string methods; phone numbers are parsed once
per distinct spelling.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import phonenumbers

from .. import columns as C
from ..config import PipelineConfig
from ..schema import Schema

# Text columns are Arrow-backed, so string methods run in C++ (pyarrow.compute), not per cell.
TEXT = pd.StringDtype("pyarrow")
# Full-width ASCII (！..～) and the ideographic space, as typed with a Chinese IME. Not NFKC,
# which would also rewrite values people mean (①, ㎡, Ⅱ).
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SPLIT = re.compile(r"\s*[;；,，、/|\r\n]+\s*")
_MOBILE_CN = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_GENDER = {"男": "male", "m": "male", "male": "male", "man": "male", "先生": "male", "男性": "male",
           "女": "female", "f": "female", "female": "female", "woman": "female", "女士": "female",
           "女性": "female", "小姐": "female"}
_COMPANY_SUFFIX = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团公司|分公司|公司|"
    r"[\s,.]+(co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|incorporated|corp\.?|corporation|"
    r"llc|gmbh|co\.?))$", re.IGNORECASE)
_KEY_NOISE = re.compile(r"[\s\W_]+")


def fold_text(s: pd.Series) -> pd.Series:
    """Full-width letters, digits and spaces to ASCII, control characters dropped, spaces
    collapsed and trimmed; everything else kept as written (①, ㎡).

    >>> fold_text(pd.Series(["  张　三 ", "ＡＢＣ\\t１２３", None])).tolist()
    ['张 三', 'ABC 123', None]
    """
    text = s.astype(TEXT)
    wide = text.str.contains("[\uff01-\uff5e\u3000]", regex=True).fillna(False).astype(bool)
    out = text.copy()
    if wide.any():  # only cells with full-width characters pay for the per-cell translate
        out[wide] = text[wide].map(lambda v: v.translate(_WIDTH)).astype(TEXT)
    out = out.str.replace(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", regex=True)
    out = out.str.replace(r"\s+", " ", regex=True).str.strip()
    return _blank_to_na(out)


def _blank_to_na(s: pd.Series) -> pd.Series:
    """Object dtype with None for missing: one representation of "empty" throughout."""
    keep = (s.notna() & s.astype(TEXT).ne("")).fillna(False).astype(bool)
    return s.astype(object).where(keep, None)


def match_key(s: pd.Series) -> pd.Series:
    """A key for matching: NFKC, case-folded, without spaces and punctuation."""
    folded = s.astype(TEXT).map(lambda v: unicodedata.normalize("NFKC", v).casefold(), na_action="ignore")
    return _blank_to_na(folded.astype(TEXT).str.replace(_KEY_NOISE, "", regex=True))


def _split_many(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First value of a cell holding several, and the rest joined with "; "."""
    text = s.astype(TEXT)
    several = text.str.contains(_SPLIT, regex=True).fillna(False).astype(bool)
    first, rest = text.copy(), pd.Series(pd.NA, index=s.index, dtype=TEXT)
    if several.any():  # only cells that hold several values pay for the split
        parts = text[several].str.split(_SPLIT, regex=True)
        first[several] = parts.str[0]
        rest[several] = parts.str[1:].map(lambda xs: "; ".join(x for x in xs if x) or None).astype(TEXT)
    return _blank_to_na(first), _blank_to_na(rest)


def _parse_phone(raw: str, region: str) -> tuple[str, str, str] | None:
    try:
        num = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    fmt = (phonenumbers.PhoneNumberFormat.NATIONAL if phonenumbers.region_code_for_number(num) == region
           else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    kind = phonenumbers.number_type(num)
    label = {phonenumbers.PhoneNumberType.MOBILE: "mobile",
             phonenumbers.PhoneNumberType.FIXED_LINE: "landline"}.get(kind, "other")
    return e164, phonenumbers.format_number(num, fmt), label


def normalize_phones(s: pd.Series, region: str = "CN") -> pd.DataFrame:
    """Phone cells to E.164 (``phone``), a display form, a type and alternates (``phone_2``).

    A cell with several numbers gives the first as the phone and the others as
    alternates. A number that does not parse is kept as written, for validation to flag.

    >>> normalize_phones(pd.Series(["138-1234-5678", "+86 021 6123 4567 / 13912345678", "12345"]))
                 phone  phone_display phone_type          phone_2
    0   +8613812345678  138 1234 5678     mobile             None
    1    +862161234567  021 6123 4567   landline  +8613912345678
    2            12345           None       None             None
    """
    first, rest = _split_many(s)  # before folding, which would turn a line break into a space
    first = fold_text(first)
    # Reattach a split like "021-61234567, ext. 8" would need care; extensions stay in the first part.
    parsed = _parse_unique(first, region)
    phone = parsed["e164"].where(parsed["e164"].notna(), first)
    alternates = rest.map(lambda r: "; ".join(_alt_e164(r, region)) or None, na_action="ignore")
    return pd.DataFrame({C.PHONE: _blank_to_na(phone), C.PHONE_DISPLAY: _blank_to_na(parsed["display"]),
                         C.PHONE_TYPE: _blank_to_na(parsed["kind"]),
                         C.PHONE_ALT: _blank_to_na(alternates.astype(TEXT))}, index=s.index)


def _alt_e164(rest: str, region: str) -> list[str]:
    out = []
    for part in rest.split("; "):
        got = _parse_one(part, region)
        out.append(got[0] if got else part)
    return out


def _parse_one(raw: str, region: str) -> tuple[str, str, str] | None:
    digits = re.sub(r"[\s\-()（）.]", "", raw)
    m = _MOBILE_CN.match(digits) if region == "CN" else None
    if m:  # the common case, 3 of 4 cells in Chinese sheets; still checked by phonenumbers below
        return _parse_phone("+86" + m.group(1), region)
    return _parse_phone(raw, region)


def _mobile_pattern(region: str) -> str | None:
    """libphonenumber's own rule for the region's mobile numbers, to apply column-wise."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return meta.mobile.national_number_pattern if meta and meta.mobile else None


def _parse_unique(values: pd.Series, region: str) -> pd.DataFrame:
    """Parse each distinct spelling once. Chinese mobiles, most cells in Chinese sheets, are
    checked against libphonenumber's mobile pattern for CN column-wise; the rest one by one."""
    out = pd.DataFrame({"e164": None, "display": None, "kind": None}, index=values.index, dtype=object)
    rest = values.dropna()
    pattern = _mobile_pattern("CN")
    if pattern:
        digits = rest.astype(TEXT).str.replace(r"[\s\-()（）.]", "", regex=True)
        national = digits.str.extract(_MOBILE_CN, expand=False)
        if region != "CN":  # without +86 an 11-digit number belongs to the default region
            national = national.where(digits.str.startswith(("+86", "86")))
        ok = national.str.fullmatch(pattern).fillna(False).astype(bool)
        n = national[ok]
        out.loc[n.index, "e164"] = ("+86" + n).to_numpy()
        display = n.str[:3] + " " + n.str[3:7] + " " + n.str[7:] if region == "CN" else "+86 " + n.str[:3] + " " + n.str[3:7] + " " + n.str[7:]
        out.loc[n.index, "display"] = display.to_numpy()
        out.loc[n.index, "kind"] = "mobile"
        rest = rest[~ok]
    uniques = pd.unique(rest)
    table = {u: (_parse_one(u, region) or (None, None, None)) for u in uniques}
    parsed = rest.map(table)
    for i, col in enumerate(("e164", "display", "kind")):
        out.loc[rest.index, col] = parsed.map(lambda t, i=i: t[i]).to_numpy()
    return out


def normalize_emails(s: pd.Series) -> pd.DataFrame:
    """E-mails trimmed and lower-cased; several in one cell give ``email`` and ``email_2``.

    >>> normalize_emails(pd.Series([" Zhang.Wei@QQ.com ", "a@b.cn; c@d.cn", "mailto:x@y.com"])).values.tolist()
    [['zhang.wei@qq.com', None], ['a@b.cn', 'c@d.cn'], ['x@y.com', None]]
    """
    first, rest = _split_many(s)

    def clean(part: pd.Series) -> pd.Series:
        text = fold_text(part).astype(TEXT).str.lower().str.replace(r"^mailto:", "", regex=True)
        return _blank_to_na(text.str.replace(r"\s*@\s*", "@", regex=True))

    parts = clean(rest.dropna().astype(TEXT).str.split("; ").explode()).dropna()
    joined = parts.groupby(level=0, sort=False).agg("; ".join) if len(parts) else parts
    return pd.DataFrame({C.EMAIL: clean(first), C.EMAIL_ALT: joined.reindex(s.index)}, index=s.index) \
        .astype(object).where(lambda f: f.notna(), None)


_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[ T][\d:.]+)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_XYY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")  # 1985 is a year, not 1905-06-07


def normalize_dates(s: pd.Series) -> pd.Series:
    """Dates in any common spelling to ISO text (YYYY-MM-DD); others kept as written.

    Day/month order of d/m/y-style values is decided by the whole column: a first
    part above 12 means day first, a second part above 12 means month first; a
    column with no such evidence keeps those values as written (flagged later).

    >>> normalize_dates(pd.Series(["2023/1/5", "2023年1月5日", "44927", "2023-02-30", "25.12.2023", "5.1.2023"])).tolist()
    ['2023-01-05', '2023-01-05', '2023-01-01', '2023-02-30', '2023-12-25', '2023-01-05']
    """
    text = fold_text(s).astype(TEXT)
    # Real Excel dates arrive as ISO text already: check those in one pass, parse the rest.
    iso = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
    checked = pd.to_datetime(text[iso], format="%Y-%m-%d", errors="coerce")
    done = text[iso].where(checked.notna())
    out = pd.Series(pd.NA, index=s.index, dtype=TEXT)
    out[done.index] = done
    if done.notna().sum() == text.notna().sum():
        return _blank_to_na(out)
    written = text
    text = text[out.isna() & text.notna()]  # the rest: the slower spellings below
    parts = text.str.extract(_YMD)
    compact = text.str.extract(_COMPACT)
    parts = parts.fillna(compact)
    ymd = _assemble(parts[0], parts[1], parts[2])
    out = out.fillna(ymd.astype(TEXT))

    xyy = text.str.extract(_XYY)
    a = pd.to_numeric(xyy[0], errors="coerce").astype("float64")
    b = pd.to_numeric(xyy[1], errors="coerce").astype("float64")
    short = pd.to_numeric(xyy[2].where(xyy[2].str.len() == 2), errors="coerce").astype("float64")
    full = pd.Series(short + np.where(short < 69, 2000, 1900), index=xyy.index).astype("Int64").astype(TEXT)
    year = xyy[2].where(xyy[2].str.len() == 4, full)
    day_first, month_first = bool((a > 12).any()), bool((b > 12).any())
    if day_first != month_first:
        d, m = (xyy[0], xyy[1]) if day_first else (xyy[1], xyy[0])
        out = out.fillna(_assemble(year, m, d))
    else:  # no evidence either way: only values that read the same both ways are safe
        out = out.fillna(_assemble(year, xyy[1], xyy[0]).where(a == b))

    serial = pd.to_numeric(text.where(text.str.match(_SERIAL)), errors="coerce")
    serial = serial.where((serial >= 1) & (serial < 2958466))  # Excel's valid range
    from_serial = (pd.Timestamp("1899-12-30") + pd.to_timedelta(np.floor(serial), unit="D"))
    out = out.fillna(from_serial.dt.strftime("%Y-%m-%d").astype(TEXT))
    return _blank_to_na(out.fillna(written))


def _assemble(y: pd.Series, m: pd.Series, d: pd.Series) -> pd.Series:
    frame = pd.DataFrame({"year": pd.to_numeric(y, errors="coerce"), "month": pd.to_numeric(m, errors="coerce"),
                          "day": pd.to_numeric(d, errors="coerce")})
    ok = frame.notna().all(axis=1)
    dates = pd.to_datetime(frame[ok], errors="coerce") if ok.any() else pd.Series(dtype="datetime64[ns]")
    return dates.dt.strftime("%Y-%m-%d").astype(TEXT).reindex(y.index)


def normalize_amounts(s: pd.Series) -> pd.Series:
    """Amounts to plain decimal text: currency marks, thousands separators, 万, (negatives).

    A decimal comma (99,00 or 1.234,50, as European-locale Excel writes) is recognised
    from the whole column; where a column mixes both conventions the values written
    with a decimal comma are kept as written, to be flagged rather than misread.

    >>> normalize_amounts(pd.Series(["¥1,280.00", "3500元", "1.5万", "(1,000)", "RMB 99.9", "n/a"])).tolist()
    ['1280', '3500', '15000', '-1000', '99.9', 'n/a']
    >>> normalize_amounts(pd.Series(["99,00", "12,5", "1.234,50"])).tolist()
    ['99', '12.5', '1234.5']
    """
    text = fold_text(s).astype(TEXT)
    t = text.str.replace(r"(?i)\s*(¥|￥|rmb|cny|元|人民币)\s*", "", regex=True)
    comma_decimal = (t.str.fullmatch(r"\(?-?\d+,\d{1,2}\)?") | t.str.fullmatch(r"\(?-?\d{1,3}(\.\d{3})+(,\d+)?\)?")) \
        .fillna(False).astype(bool)
    dot_decimal = (t.str.contains(r"\d,\d{3}\.\d") | t.str.fullmatch(r"\(?-?\d+\.\d{1,2}\)?万?")).fillna(False).astype(bool)
    if comma_decimal.any() and not dot_decimal.any():
        t = t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    elif comma_decimal.any():
        t = t.where(~comma_decimal)
    negative = t.str.match(r"^\(.*\)$") | t.str.startswith("-")
    t = t.str.replace(r"[(),\s]|^-", "", regex=True)
    wan = t.str.endswith("万")
    value = pd.to_numeric(t.str.replace("万", "", regex=False), errors="coerce")
    value = value.where(~wan.fillna(False).astype(bool), value * 10_000)
    value = value.where(~negative.fillna(False).astype(bool), -value).round(2)
    canonical = value.map(lambda v: f"{v:.2f}".rstrip("0").rstrip("."), na_action="ignore").astype(TEXT)
    return _blank_to_na(canonical.fillna(text))


def normalize_gender(s: pd.Series) -> pd.Series:
    """男/女/M/F/male/female/先生/女士 to male or female; others kept as written."""
    text = fold_text(s).astype(TEXT)
    mapped = text.str.lower().map(_GENDER, na_action="ignore")
    return _blank_to_na(mapped.astype(TEXT).fillna(text))


def company_key(s: pd.Series) -> pd.Series:
    """A company name for matching: legal suffixes (有限公司, Co., Ltd.) and punctuation removed.

    >>> company_key(pd.Series(["上海星辰科技有限公司", "Acme Co., Ltd.", "ACME"])).tolist()
    ['上海星辰科技', 'acme', 'acme']
    """
    text = s.astype(TEXT).map(lambda v: unicodedata.normalize("NFKC", v), na_action="ignore").astype(TEXT).str.strip()
    for _ in range(2):  # "Acme Co., Ltd." has two suffixes
        text = text.str.replace(_COMPANY_SUFFIX, "", regex=True).str.strip(" ,.")
    return match_key(text)


def _per_sheet(col: pd.Series, records: pd.DataFrame, normalise) -> pd.Series:
    """Apply a normaliser sheet by sheet: a day/month order is a habit of one sheet's author."""
    if not set(C.PROVENANCE[:2]) <= set(records.columns) or records[C.SOURCE_SHEET].nunique() <= 1:
        return normalise(col)
    parts = [normalise(col.iloc[idx]) for idx in records.groupby(C.PROVENANCE[:2], sort=False).indices.values()]
    return pd.concat(parts).reindex(col.index)


def normalize_records(records: pd.DataFrame, schema: Schema, config: PipelineConfig) -> pd.DataFrame:
    """Every schema field of ``records`` in canonical form, plus matching keys.

    Args:
        records: raw text per field, as extracted (provenance columns are kept).
        schema: says each field's kind.
        config: ``default_region`` for phone numbers.

    Returns:
        A new frame: the same rows and columns, normalised, with ``phone_display``,
        ``phone_type``, ``phone_2``, ``email_2``, ``name_key`` and ``company_key``
        added where the fields exist.
    """
    out = records.copy()
    for name, spec in schema.fields.items():
        if name not in out.columns:
            continue
        col = out[name]
        if spec.kind == "phone":
            phones = normalize_phones(col, config.default_region)
            out[name] = phones[C.PHONE]
            if name == C.PHONE:
                for extra in (C.PHONE_DISPLAY, C.PHONE_TYPE, C.PHONE_ALT):
                    out[extra] = phones[extra]
        elif spec.kind == "email":
            emails = normalize_emails(col)
            out[name] = emails[C.EMAIL]
            if name == C.EMAIL:
                out[C.EMAIL_ALT] = emails[C.EMAIL_ALT]
        elif spec.kind == "date":
            out[name] = _per_sheet(col, out, normalize_dates)
        elif spec.kind == "amount":
            out[name] = normalize_amounts(col)
        elif spec.kind == "gender":
            out[name] = normalize_gender(col)
        else:
            out[name] = fold_text(col)
    for extra in out.columns.difference(list(schema.fields) + C.PROVENANCE):
        if out[extra].dtype == object:
            out[extra] = fold_text(out[extra])
    if C.NAME in out.columns:
        out[C.NAME_KEY] = match_key(out[C.NAME])
    if C.COMPANY in out.columns:
        out[C.COMPANY_KEY] = company_key(out[C.COMPANY])
    if C.ADDRESS in out.columns:
        out[C.ADDRESS_KEY] = match_key(out[C.ADDRESS])
    return out
