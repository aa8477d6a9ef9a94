"""Preflight: the rows a CRM's importer would refuse, found before the import, in its own words.

One row per problem: ``row`` (the row in the written file, its header being row 1),
``customer_id``, ``column``, ``value``, ``code`` (the CRM's error code from the
profile, e.g. HubSpot ``INVALID_EMAIL``), ``message`` (in the chosen language), then
``file``. Checks: required values missing, invalid e-mails, domains, phones and dates,
owners not among the CRM's users, enumeration values the CRM would not take, values
over the length limit, several values over the CRM's count, characters the importer
forbids, and duplicates on the CRM's unique keys inside the file (the importer would
merge or refuse them). Every check works on a whole column at a time.
"""

from __future__ import annotations

import pandas as pd

from . import columns as C
from .crmprofile import ObjectSpec, Profile
from .lang import Messages

PREFLIGHT_COLUMNS = ["row", "customer_id", "column", "value", "code", "message", "file"]
VALID_DOMAIN = r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
_FORMAT_CHECKS = {"email": ("invalid_email", C.VALID_EMAIL), "domain": ("invalid_domain", VALID_DOMAIN),
                  "e164": ("invalid_phone", C.VALID_PHONE), "digits": ("invalid_phone", r"^[0-9]{5,20}$")}


def preflight_object(frame: pd.DataFrame, ids: pd.Series, obj: ObjectSpec, profile: Profile, messages: Messages,
                     owners: pd.DataFrame | None, files: list[list[str]]) -> pd.DataFrame:
    """The problems of one object's rows (``frame``: target columns as text, as written).

    ``files`` holds the object's file names; row i of ``frame`` is in file
    ``i // max_rows`` at row ``i % max_rows + 2``.
    """
    found: list[pd.DataFrame] = []

    def add(mask: pd.Series, column: str, check: str, text: str | None = None, **values: object) -> None:
        if not mask.any():
            return
        where = mask[mask].index
        found.append(pd.DataFrame({
            "pos": where, "customer_id": ids.reindex(where).to_numpy(), "column": column,
            "value": frame[column].reindex(where).to_numpy() if column in frame else "",
            "code": profile.codes[check],
            "message": messages(f"preflight.{text or check}", column=column, crm=profile.title, **values)}))

    blank = frame == ""
    for col in obj.required:
        add(blank[col], col, "missing_required")
    for spec in obj.columns:
        if spec.required and spec.name not in obj.required:
            add(blank[spec.name], spec.name, "missing_required")
    for group in obj.required_any:
        add(blank[list(group)].all(axis=1), " / ".join(group), "missing_required", "missing_required_any")
    for spec in obj.columns:
        values, filled = frame[spec.name], ~blank[spec.name]
        if spec.format in _FORMAT_CHECKS:
            check, pattern = _FORMAT_CHECKS[spec.format]
            add(filled & ~values.str.match(pattern), spec.name, check)
        if spec.format == "date":
            parsed = pd.to_datetime(values, format=profile.date_format, errors="coerce")
            add(filled & parsed.isna(), spec.name, "invalid_date", form=profile.date_format)
        if spec.format == "enum" and spec.options:
            add(filled & ~values.isin(spec.options), spec.name, "invalid_option",
                options=", ".join(spec.options))
        if spec.format == "owner" and owners is not None:
            known = set(owners["name"]) | (set(owners[spec.owner_by]) if spec.owner_by in owners else set())
            add(filled & ~values.isin(known), spec.name, "unknown_owner")
        if spec.max_length:
            add(values.str.len() > spec.max_length, spec.name, "too_long", limit=spec.max_length)
        if spec.format == "multi" and profile.max_values:
            add(values.str.split(profile.separator, regex=False).str.len() > profile.max_values,
                spec.name, "too_many_values", limit=profile.max_values)
        if profile.forbidden:
            bad = "[" + "".join("\\" + c for c in profile.forbidden) + "]"
            add(values.str.contains(bad, regex=True), spec.name, "forbidden_character",
                chars=" ".join(profile.forbidden))
    for col in obj.unique:
        key = frame[col].str.casefold()
        later = key.duplicated(keep="first") & (key != "")
        if later.any():
            first_row = pd.Series(frame.index, index=frame.index).groupby(key).transform("first")
            add(later, col, "duplicate_key", first="\x00")
            head, _, tail = found[-1]["message"].iloc[0].partition("\x00")
            found[-1]["message"] = head + _row_in_file(first_row[later], profile.max_rows).astype(str).to_numpy() + tail
    problems = pd.concat(found, ignore_index=True) if found else pd.DataFrame(
        columns=["pos", "customer_id", "column", "value", "code", "message"])
    if len(frame.columns) > profile.max_columns:
        problems = pd.concat([problems, pd.DataFrame({
            "pos": [-1], "customer_id": [""], "column": [""], "value": [str(len(frame.columns))],
            "code": [profile.codes["too_many_columns"]],
            "message": [messages("preflight.too_many_columns", crm=profile.title, limit=profile.max_columns)]})])
    part = problems["pos"].astype(int).clip(lower=0) // profile.max_rows
    problems["row"] = (problems["pos"].astype(int) % profile.max_rows + 2).where(problems["pos"] >= 0, 1)
    problems["file"] = [files[0][p] if p < len(files[0]) else files[0][-1] for p in part]
    return problems.sort_values(["pos", "column"], kind="stable")[PREFLIGHT_COLUMNS].reset_index(drop=True)


def _row_in_file(pos: pd.Series, max_rows: int) -> pd.Series:
    return pos % max_rows + 2


def count_codes(preflight: pd.DataFrame) -> pd.DataFrame:
    """Problems per file, code and column, most frequent first (for the summary on stderr)."""
    if preflight.empty:
        return pd.DataFrame(columns=["file", "code", "column", "count"])
    counts = preflight.groupby(["file", "code", "column"], sort=False).size().rename("count").reset_index()
    return counts.sort_values(["file", "count"], ascending=[True, False], kind="stable").reset_index(drop=True)
