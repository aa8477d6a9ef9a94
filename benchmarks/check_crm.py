"""Checks written HubSpot and Salesforce import files against the importers' rules, without
sheetkit's exporter: its own readers, its own validators (email-validator, phonenumbers,
datetime), and the rules as the CRMs document them (see ../shared CRM notes and README
"CRM export"). Then compares what it found with the exporter's preflight.csv.

    python benchmarks/check_crm.py OUT/export-hubspot --crm hubspot
    python benchmarks/check_crm.py OUT/export-salesforce --crm salesforce

A file-level rule broken (encoding, BOM, rows or columns per file, a missing required
column, a cell a spreadsheet would run as a formula), or a row problem that preflight.csv
does not list, is a failure (exit 1). Row problems that preflight lists are expected: the
exporter keeps such values as they are, for a person to fix.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import phonenumbers
from email_validator import EmailNotValidError, validate_email

# The rules, as the CRMs document them.
RULES = {
    "hubspot": {
        "max_rows": 1_048_576, "max_columns": 999, "bom": None,  # UTF-8; BOM allowed
        "objects": {
            "companies": {"any_of": ["name", "domain"], "unique": ["domain"], "domain": ["domain"], "phone": [],
                          "dates": [], "lengths": {"name": 65536}},
            "contacts": {"any_of": ["email", "firstname", "lastname"], "unique": ["email"], "email": ["email"],
                         "phone": ["phone"], "dates": ["date_of_birth", "sheetkit_last_order_on"],
                         "domain": ["associated_company_domain"], "lengths": {"firstname": 65536, "lastname": 65536},
                         "enums": {"lifecyclestage": {"subscriber", "lead", "marketingqualifiedlead",
                                                      "salesqualifiedlead", "opportunity", "customer",
                                                      "evangelist", "other"}}},
        },
    },
    "salesforce": {
        "max_rows": 50_000, "max_columns": 90, "bom": False,  # Data Import Wizard; UTF-8 without BOM
        "objects": {
            "accounts": {"required": ["Name"], "unique": ["Name"], "phone": [], "dates": [], "domain": [],
                         "lengths": {"Name": 255, "Website": 255, "BillingCity": 40}},
            "contacts": {"required": ["LastName"], "unique": ["Sheetkit_Customer_ID__c", "Email"],
                         "email": ["Email"], "phone": ["Phone"], "dates": ["Birthdate"], "date_range": (1700, 4000),
                         "lengths": {"LastName": 80, "FirstName": 40, "Email": 80, "Phone": 40, "Title": 128,
                                     "AccountName": 255, "MailingCity": 40, "MailingPostalCode": 20},
                         "multi": ["Sheetkit_Tags__c"], "max_values": 100},
        },
    },
}


def read_csv(path: Path, bom_rule: bool | None, problems: list[str]) -> tuple[list[str], list[list[str]]]:
    raw = path.read_bytes()
    has_bom = raw.startswith(b"\xef\xbb\xbf")
    if bom_rule is False and has_bom:
        problems.append(f"{path.name}: starts with a UTF-8 BOM, which this importer does not want")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(f"{path.name}: not UTF-8 ({exc})")
        return [], []
    rows = list(csv.reader(text.splitlines()))
    return rows[0], rows[1:]


def is_email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
        return True
    except EmailNotValidError:
        return False


def is_e164(value: str) -> bool:
    if not value.startswith("+") or not value[1:].isdigit():
        return False
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return False


def is_domain(value: str) -> bool:
    labels = value.split(".")
    return len(labels) >= 2 and all(l and len(l) <= 63 and l.replace("-", "").isalnum() and l.isascii()
                                    and not l.startswith("-") and not l.endswith("-") for l in labels) \
        and labels[-1].isalpha()


def check_object(files: list[Path], rules: dict, crm: dict, problems: list[str]) -> list[tuple[str, int, str, str]]:
    """Row problems (file, row, column, rule) of one object's files; file problems into ``problems``."""
    found = []
    seen: dict[str, dict[str, tuple[str, int]]] = {c: {} for c in rules.get("unique", [])}
    for path in files:
        header, rows = read_csv(path, crm["bom"], problems)
        if len(rows) > crm["max_rows"]:
            problems.append(f"{path.name}: {len(rows):,} rows, more than {crm['max_rows']:,}")
        if len(header) > crm["max_columns"]:
            problems.append(f"{path.name}: {len(header)} columns, more than {crm['max_columns']}")
        for col in rules.get("required", []) + rules.get("any_of", []):
            if col not in header:
                problems.append(f"{path.name}: no {col} column")
        at = {c: i for i, c in enumerate(header)}
        for n, row in enumerate(rows, start=2):
            if len(row) != len(header):
                problems.append(f"{path.name} row {n}: {len(row)} cells, header has {len(header)}")
                continue
            cell = {c: row[i] for c, i in at.items()}
            for c, v in cell.items():  # formula injection: must be text, quoted, or a plain number
                if v[:1] in ("=", "+", "-", "@", "\t", "\r") and not v.replace(" ", "").lstrip("+-").replace(
                        ".", "").replace(",", "").isdigit():
                    problems.append(f"{path.name} row {n} {c}: {v[:30]!r} would run as a formula")
            for c in rules.get("required", []):
                if not cell.get(c):
                    found.append((path.name, n, c, "required"))
            if rules.get("any_of") and not any(cell.get(c) for c in rules["any_of"]):
                found.append((path.name, n, " / ".join(rules["any_of"]), "required"))
            for c in rules.get("email", []):
                if cell.get(c) and not is_email(cell[c]):
                    found.append((path.name, n, c, "email"))
            for c in rules.get("phone", []):
                if cell.get(c) and not is_e164(cell[c]):
                    found.append((path.name, n, c, "phone"))
            for c in rules.get("domain", []):
                if cell.get(c) and not is_domain(cell[c]):
                    found.append((path.name, n, c, "domain"))
            for c in rules.get("dates", []):
                if cell.get(c):
                    try:
                        d = dt.datetime.strptime(cell[c], "%Y-%m-%d")
                        lo, hi = rules.get("date_range", (1, 9999))
                        if not lo <= d.year <= hi:
                            found.append((path.name, n, c, "date range"))
                    except ValueError:
                        found.append((path.name, n, c, "date"))
            for c, options in rules.get("enums", {}).items():
                if cell.get(c) and cell[c] not in options:
                    found.append((path.name, n, c, "enumeration"))
            for c, limit in rules.get("lengths", {}).items():
                if len(cell.get(c, "")) > limit:
                    found.append((path.name, n, c, "length"))
            for c in rules.get("multi", []):
                if cell.get(c) and len(cell[c].split(";")) > rules["max_values"]:
                    found.append((path.name, n, c, "values"))
            for c in rules.get("unique", []):
                key = cell.get(c, "").casefold()
                if key:
                    if key in seen[c]:
                        found.append((path.name, n, c, "duplicate"))
                    else:
                        seen[c][key] = (path.name, n)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--crm", choices=sorted(RULES), required=True)
    args = parser.parse_args(argv)
    crm = RULES[args.crm]
    problems: list[str] = []
    found = []
    for name, rules in crm["objects"].items():
        files = sorted(args.folder.glob(f"{name}.csv")) + sorted(args.folder.glob(f"{name}-*.csv"),
                                                                  key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if not files:
            problems.append(f"no {name}.csv in {args.folder}")
            continue
        found += check_object(files, rules, crm, problems)
    preflight = set()
    with open(args.folder / "preflight.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            preflight.add((row["file"], int(row["row"]), row["column"]))
    unflagged = [f for f in found if f[:3] not in preflight]
    by_rule = Counter(rule for *_, rule in found)
    print(f"{args.crm}: {sum(1 for _ in found):,} row problems found by the rules "
          f"({', '.join(f'{r} {n:,}' for r, n in by_rule.most_common()) or 'none'}); "
          f"preflight.csv lists {len(preflight):,}; not in preflight: {len(unflagged):,}; "
          f"file-level problems: {len(problems):,}")
    for p in problems[:20]:
        print("  file:", p)
    for f in unflagged[:20]:
        print("  not in preflight:", f)
    return 1 if problems or unflagged else 0


if __name__ == "__main__":
    sys.exit(main())
