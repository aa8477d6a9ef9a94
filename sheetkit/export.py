"""CRM import files from an output folder: one frame per CRM object, as its profile says.

``read_customers`` reads the ``Customers`` sheet of ``cleaned.xlsx`` as text;
``build_export`` derives the values importers need (first and last name, the company's
web domain, one row per company), formats every target column of every object
(dates, E.164 or digit-only phones, ``;``-joined values, enumerations mapped to the
CRM's internal values, owners) and runs the preflight (preflight.py); ``write_export``
writes the files, split into numbered files past the profile's row limit. All of it
works on whole columns: a 100,000-customer archive exports in a few seconds.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import columns as C
from .crmprofile import ColumnSpec, ObjectSpec, Profile
from .csvsafe import neutralise_formulas
from .errors import OutputError, SheetkitError
from .lang import Messages
from .preflight import PREFLIGHT_COLUMNS, preflight_object
from .values.dates import iso_dates
from .values.phones import normalize_phones
from .outread import output_workbook, read_output_sheets
from .writer import write_workbook

# Mailbox providers: an address there says nothing about the customer's company.
PERSONAL_DOMAINS = frozenset("""qq.com vip.qq.com foxmail.com 163.com 126.com yeah.net 188.com vip.163.com sina.com
sina.cn sohu.com aliyun.com 139.com 189.cn wo.cn tom.com 21cn.com gmail.com googlemail.com outlook.com hotmail.com
live.com msn.com yahoo.com yahoo.com.cn icloud.com me.com mac.com aol.com proton.me protonmail.com mail.com gmx.com
yandex.com""".split())
# Two-character family names; any other Chinese name's family name is its first character.
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                      "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "申屠", "呼延", "澹台", "万俟", "闻人")
_CJK = r"^[\u3400-\u9fff\uf900-\ufaff·]+$"
_EMPTY = ("", "nan", "None", "NaT")
_DERIVED_FROM = (C.CUSTOMER_ID, C.NAME, C.FAMILY_NAME, C.GIVEN_NAME, C.COMPANY, C.EMAIL)


@dataclass
class Export:
    """What ``build_export`` made: each object's frame (target columns, as text) and its problems."""

    profile: Profile
    frames: dict[str, pd.DataFrame]      # object name -> rows to write
    ids: dict[str, pd.Series]            # object name -> customer_id per row (for preflight)
    preflight: pd.DataFrame              # PREFLIGHT_COLUMNS + file
    missing_sources: list[str]           # profile sources cleaned.xlsx does not have

    def rejected_rows(self) -> int:
        """Rows an importer would refuse: rows with at least one problem."""
        p = self.preflight[self.preflight["row"] > 1]
        return int(p[["file", "row"]].drop_duplicates().shape[0])


def read_customers(out: Path, columns: set[str] | None = None) -> pd.DataFrame:
    """The ``Customers`` sheet of an output folder (or a cleaned.xlsx) as text, "" for empty;
    only ``columns`` (None: all).

    Raises:
        SheetkitError: no cleaned.xlsx, or it has no Customers sheet.
    """
    tables = read_output_sheets(out, {"Customers": columns})
    if "Customers" not in tables:
        raise SheetkitError(f"{output_workbook(out)} has no Customers sheet; is it a sheetkit output?")
    return tables["Customers"]


def needed_columns(profile: Profile) -> set[str]:
    """The Customers columns a profile reads, with those its derived values come from."""
    return {s for o in profile.objects for c in o.columns for s in c.source} | set(_DERIVED_FROM)


def derive_sources(customers: pd.DataFrame) -> pd.DataFrame:
    """Add the values profiles take that cleaned.xlsx does not hold as such: ``first_name``,
    ``last_name``, ``company_domain``, ``account_name``, ``account_id``.

    >>> derive_sources(pd.DataFrame({"name": ["欧阳娜娜", "Amy Zhang", "陈静"], "company": ["", "", "云帆"],
    ...     "email": ["a@qq.com", "amy@zds.cn", "c@yunfan.com"], "customer_id": ["C1", "C2", "C3"]}))[
    ...     ["last_name", "first_name", "company_domain", "account_name", "account_id"]].values.tolist()
    [['欧阳', '娜娜', '', '欧阳娜娜', 'C1'], ['Zhang', 'Amy', '', 'Amy Zhang', 'C2'], ['陈', '静', 'yunfan.com', '云帆', '']]
    """
    out = customers.copy(deep=False)  # copy-on-write: the columns set here leave ``customers`` as it was
    blank = pd.Series("", index=out.index)
    for column in _DERIVED_FROM:  # a user's cleaned.xlsx may lack one: then it is empty
        if column not in out.columns:
            out[column] = blank
    name = out.get(C.NAME, blank).fillna("").str.strip()
    family = out.get(C.FAMILY_NAME, blank).fillna("").str.strip()
    given = out.get(C.GIVEN_NAME, blank).fillna("").str.strip()
    cjk = name.str.match(_CJK)
    compound = name.str[:2].isin(_COMPOUND_SURNAMES) & (name.str.len() > 2)
    cjk_family = name.str[:2].where(compound, name.str[:1])
    cjk_given = name.str[2:].where(compound, name.str[1:])
    words = name.str.extract(r"^(.*) ([^ ]+)$")  # given names, then the last word (RE2: in C++)
    several = words[1].notna()
    derived_family = cjk_family.where(cjk, words[1].where(several, name))
    derived_given = cjk_given.where(cjk, words[0].where(several, ""))
    out["last_name"] = family.where(family != "", derived_family)
    out["first_name"] = given.where(family != "", derived_given)
    company = out.get(C.COMPANY, blank).fillna("").str.strip()
    domain = out.get(C.EMAIL, blank).fillna("").str.lower().str.partition("@")[2]
    out["company_domain"] = domain.where((company != "") & (domain != "") & ~domain.isin(PERSONAL_DOMAINS), "")
    out["account_name"] = company.where(company != "", name)
    out["account_id"] = out.get(C.CUSTOMER_ID, blank).where(company == "", "")
    return out


def build_export(customers: pd.DataFrame, profile: Profile, messages: Messages,
                 owners: pd.DataFrame | None = None, region: str = "CN") -> Export:
    """Every object of ``profile`` as a frame of text, with its preflight problems.

    Args:
        customers: the Customers sheet as text (``read_customers``).
        profile: the CRM's profile.
        messages: the language of the preflight messages.
        owners: the CRM's users (``read_owners``): owners not in it are problems, and an
            owner column with ``owner_by: email`` gets their e-mail. None: not checked.
        region: phone region for numbers that are not yet E.164.
    """
    source = derive_sources(customers.fillna("").astype(str))
    missing = sorted({s for o in profile.objects for c in o.columns for s in c.source if s not in source.columns})
    frames, ids, problems = {}, {}, []
    for obj in profile.objects:
        rows = _rows(source, obj.rows)
        frame = pd.DataFrame({c.name: _format(_take(rows, c.source), c, profile, owners, region)
                              for c in obj.columns}, index=rows.index).reset_index(drop=True)
        frames[obj.name] = frame
        ids[obj.name] = rows[C.CUSTOMER_ID].reset_index(drop=True) if C.CUSTOMER_ID in rows else pd.Series(
            "", index=frame.index)
        problems.append(preflight_object(frame, ids[obj.name], obj, profile, messages, owners,
                                         [file_names(profile, obj, len(frame))]))
    preflight = pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(columns=PREFLIGHT_COLUMNS)
    return Export(profile, frames, ids, preflight, missing)


def file_names(profile: Profile, obj: ObjectSpec, rows: int) -> list[str]:
    """The file(s) an object is written to: one, or numbered past ``max_rows``.

    >>> from sheetkit.crmprofile import load_profile, bundled_profile
    >>> p = load_profile(bundled_profile("zoho"))
    >>> file_names(p, p.objects[1], 12000)
    ['Contacts-1.xlsx', 'Contacts-2.xlsx', 'Contacts-3.xlsx']
    """
    parts = max(1, math.ceil(rows / profile.max_rows))
    if parts == 1:
        return [f"{obj.file}.{profile.format}"]
    return [f"{obj.file}-{i}.{profile.format}" for i in range(1, parts + 1)]


def write_export(export: Export, out_dir: Path) -> list[Path]:
    """Write every object's file(s) and ``preflight.csv`` into ``out_dir``; returns the paths.

    CSV files are in the profile's encoding (UTF-8 with or without BOM), and a cell that a
    spreadsheet would run as a formula gets a ``'`` in front (csvsafe.py); xlsx files are
    written by the workbook writer, which writes every text as text.

    Raises:
        OutputError: the folder or a file cannot be written.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
    profile, written = export.profile, []
    for obj in profile.objects:
        frame = export.frames[obj.name]
        names = file_names(profile, obj, len(frame))
        for i, name in enumerate(names):
            part = frame.iloc[i * profile.max_rows:(i + 1) * profile.max_rows]
            path = out_dir / name
            if profile.format == "xlsx":
                write_workbook({obj.file[:31]: part}, path)
            else:
                _write_csv(neutralise_formulas(part), path, profile.encoding)
            written.append(path)
    path = out_dir / "preflight.csv"
    _write_csv(neutralise_formulas(export.preflight), path, "utf-8-sig")  # for Excel, which needs the BOM
    written.append(path)
    return written


def read_owners(path: Path) -> pd.DataFrame:
    """A list of the CRM's users: a CSV with a ``name`` column (and ``email`` / ``id`` where
    the CRM assigns owners by them), or plain text with one name a line.

    Raises:
        SheetkitError: the file cannot be read or has no names.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SheetkitError(f"cannot read the owners file {path}: {exc}") from exc
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and "name" in [h.strip().lower() for h in lines[0].split(",")]:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.columns = [c.strip().lower() for c in frame.columns]
    else:
        frame = pd.DataFrame({"name": lines})
    frame = frame.apply(lambda s: s.str.strip())
    frame = frame[frame["name"] != ""]
    if frame.empty:
        raise SheetkitError(f"the owners file {path} lists no names (a CSV with a name column, or one name a line)")
    return frame.drop_duplicates("name").reset_index(drop=True)


def _rows(source: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The rows an object has: every customer, each company once (its first customer's
    values where they are blank in the others), or both (``account``)."""
    if kind == "customer":
        return source
    company = source.get(C.COMPANY, pd.Series("", index=source.index)).str.strip()
    has = company != ""
    if kind == "contact":
        return source[has]
    key = company.str.casefold()
    firsts = source[has].replace("", np.nan).groupby(key[has], sort=False).first().fillna("")
    firsts.index = source[has].index[~key[has].duplicated()]
    firsts["account_id"] = ""
    firsts["account_name"] = firsts[C.COMPANY].str.strip()
    if kind == "company":
        return firsts
    return pd.concat([firsts, source[~has]]).sort_index(kind="stable")  # account: companies, then persons


def _take(rows: pd.DataFrame, names: tuple[str, ...]) -> pd.Series:
    """The first non-empty of the named columns, per row ("" where none has a value)."""
    out = pd.Series("", index=rows.index, dtype=object)
    for name in reversed(names):
        if name in rows.columns:
            value = rows[name].astype(str).str.strip()
            value = value.where(~value.isin(_EMPTY), "")
            out = value.where(value != "", out)
    return out


def _format(values: pd.Series, spec: ColumnSpec, profile: Profile, owners: pd.DataFrame | None,
            region: str) -> pd.Series:
    """A column's values in the form the CRM takes; a value that cannot be put in that
    form is kept as it is, for the preflight to report."""
    fmt, filled = spec.format, values != ""
    if fmt == "date":
        parsed = iso_dates(values)
        return parsed.dt.strftime(profile.date_format).where(parsed.notna(), values)
    if fmt in ("e164", "digits"):
        phone = _e164(values, region)
        if fmt == "e164":
            return phone
        cn = phone.str.match(r"^\+86[0-9]{7,12}$")
        local = phone.str[3:].where(~phone.str.match(r"^\+86[2-9]"), "0" + phone.str[3:])  # landlines dial a 0
        abroad = phone.str.match(r"^\+[0-9]+$") & ~cn
        return local.where(cn, ("00" + phone.str[1:]).where(abroad, phone))
    if fmt in ("email", "domain"):
        return values.str.lower()
    if fmt == "enum":
        return values.map(spec.map).fillna(values) if spec.map else values
    if fmt == "multi":
        return values.str.replace(r" *[,;，；、] *", profile.separator, regex=True)
    if fmt == "number":
        number = pd.to_numeric(values.str.replace(",", ""), errors="coerce")
        whole = number.notna() & (number == number.round())
        text = number.round(2).astype(str).astype(object)  # shortest form: 1234.5, not 1234.50
        text = text.where(~whole, number.round().astype("Int64").astype(str))
        return text.where(number.notna(), values)
    if fmt == "owner" and owners is not None and spec.owner_by != "name" and spec.owner_by in owners:
        lookup = owners.set_index("name")[spec.owner_by]
        return values.map(lookup).fillna(values).where(filled, "")
    return values


def _e164(values: pd.Series, region: str) -> pd.Series:
    """E.164 phones: sheetkit's cleaned phones are already; the few that are not go through the
    normaliser (``values.phones``) and are kept as written when not a valid number."""
    ok = values.str.match(C.VALID_PHONE)
    todo = values[(values != "") & ~ok]
    if todo.empty:
        return values
    parsed = normalize_phones(todo, region)
    out = values.copy()
    out[todo.index] = parsed[C.PHONE].where(parsed[C.PHONE_TYPE].notna(), todo)
    return out


def _write_csv(frame: pd.DataFrame, path: Path, encoding: str) -> None:
    """Write a CSV next to ``path`` and move it into place, so no half-written file is left."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            frame.to_csv(handle, index=False, lineterminator="\r\n")
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


