"""A workbook (and a report) for one audience: the sheets, columns and rows a role may see,
masked as roles.yaml says, headers and sheet names in the reader's language, optionally
encrypted, and every file written logged.

``build_share`` is pure (frames in, frames out); ``write_share`` writes the workbook
(encrypted with msoffcrypto-tool when a password is given: ECMA-376 Agile, AES-256)
and the report beside it, and ``log_shared`` appends one line per written file to
``shared.log`` in the output folder. Nothing a role may not see reaches its files: the
workbook is written fresh from the masked frames (no notes, no highlights, no source
file names unless a column listed for the role holds them), and the report is built
from the same masked frames.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msoffcrypto
import pandas as pd

from . import columns as C
from .errors import OutputError, SheetkitError
from .lang import Messages
from .roles import Role, apply_mask
from .values.dates import iso_dates
from .writer import current_umask, write_workbook

SHARE_LOG = "shared.log"
KEY_FILE = ".sheetkit-share-key"
_WHOLE_ARCHIVE = ("Issues", "Summary")  # not about one customer: left out when rows are filtered
_NUMBERS = {"order_count", "total_amount", "amount_12m", "rfm_r", "rfm_f", "rfm_m", "rfm_score",
            "days_since_contact", "days_since_order", "health_score", "source_rows", C.AMOUNT, "score"}


@dataclass
class Share:
    """One role's view of an output: masked frames under their sheetkit names."""

    role: Role
    owner: str | None
    sheets: dict[str, pd.DataFrame]
    masks: dict[str, dict[str, str]]   # sheet -> column -> mask
    customers: int
    as_of: pd.Timestamp | None
    left_out: list[str]                # sheets the role has but this share could not carry


def wanted_sheets(role: Role) -> dict[str, set[str] | None]:
    """The sheets (and columns, None: all) to read for ``role``."""
    wanted: dict[str, set[str] | None] = {}
    for sheet, spec in role.sheets.items():
        wanted[sheet] = None if "*" in spec else set(spec) | {C.CUSTOMER_ID, C.OWNER, *role.where}
    wanted.setdefault("Customers", {C.CUSTOMER_ID, C.OWNER, *role.where})
    if "Review" in wanted and wanted["Review"] is not None:
        wanted["Review"] |= {"left_customer_id", "right_customer_id"}
    wanted["Summary"] = None
    return wanted


def build_share(tables: dict[str, pd.DataFrame], role: Role, owner: str | None = None, key: str = "") -> Share:
    """Filter and mask an output's sheets (as text, from outread.read_output_sheets) for ``role``.

    Raises:
        SheetkitError: the role needs --owner and has none.
    """
    customers = tables.get("Customers", pd.DataFrame(columns=[C.CUSTOMER_ID]))
    if role.owner == "required" and not owner:
        known = sorted(set(customers.get(C.OWNER, pd.Series(dtype=str))) - {""})
        raise SheetkitError(f"role {role.name} shows one owner's customers: add --owner NAME"
                            + (f" (owners in this output: {', '.join(known[:20])})" if known else
                               " (this output has no owner column values: set owner_from_sheet or an owner column)"))
    keep = pd.Series(True, index=customers.index)
    if owner:
        keep &= customers.get(C.OWNER, pd.Series("", index=customers.index)).str.strip() == owner.strip()
    for column, values in role.where.items():
        keep &= customers.get(column, pd.Series("", index=customers.index)).isin(values)
    filtered = bool(owner) or bool(role.where)
    visible = set(customers.loc[keep, C.CUSTOMER_ID])
    as_of = _as_of(tables.get("Summary"))
    sheets, masks, left_out = {}, {}, []
    for sheet in role.sheets:
        frame = tables.get(sheet)
        if frame is None:
            continue
        if filtered and sheet in _WHOLE_ARCHIVE:
            left_out.append(sheet)
            continue
        if sheet == "Customers":
            frame = frame[keep]
        elif C.CUSTOMER_ID in frame:
            frame = frame[frame[C.CUSTOMER_ID].isin(visible)]
        elif "left_customer_id" in frame:
            frame = frame[frame["left_customer_id"].isin(visible) & frame["right_customer_id"].isin(visible)]
        chosen = role.columns(sheet, list(frame.columns))
        out = pd.DataFrame({(_renamed(c, m)): apply_mask(frame[c], m, key, as_of) for c, m in chosen.items()},
                           index=frame.index).reset_index(drop=True)
        sheets[sheet], masks[sheet] = _typed(out), {_renamed(c, m): m for c, m in chosen.items()}
    return Share(role, owner, sheets, masks, int(keep.sum()), as_of, left_out)


def localise(share: Share, messages: Messages, written_at: dt.datetime, encrypted: bool) -> dict[str, pd.DataFrame]:
    """The workbook's sheets under names and headers in the reader's language, and an About
    sheet saying who it is for, what was filtered and masked."""
    out = {messages.sheet(sheet): frame.rename(columns=messages.column) for sheet, frame in share.sheets.items()}
    masked = [f"{messages.column(c)}: {messages('mask.' + m)}" for s in share.masks.values()
              for c, m in s.items() if m != "keep"]
    about = [
        (messages("about.role"), share.role.label(messages.lang)),
        (messages("about.owner"), share.owner or messages("about.all")),
        (messages("about.where"), "; ".join(f"{messages.column(c)} = {', '.join(v)}" for c, v in share.role.where.items())
         or messages("about.all")),
        (messages("about.as_of"), share.as_of.strftime("%Y-%m-%d") if share.as_of is not None else ""),
        (messages("about.written_at"), written_at.strftime("%Y-%m-%d %H:%M")),
        (messages("about.rows"), f"{share.customers:,}"),
        (messages("about.masked"), "; ".join(masked) or messages("report.none")),
        (messages("about.encrypted"), messages("about.yes" if encrypted else "about.no")),
        ("", messages("about.notice")),
    ]
    out[messages.sheet("About")] = pd.DataFrame(about, columns=[messages.column("item"), messages.column("value")])
    return out


def write_share(share: Share, path: Path, messages: Messages, password: str | None = None,
                written_at: dt.datetime | None = None) -> dict[str, Any]:
    """Write the role's workbook to ``path`` (encrypted when ``password``) and its report
    beside it (same name, .html); returns what was written, for the log.

    The unencrypted workbook only ever exists in a private temporary folder next to
    ``path``; the encrypted one is moved into place whole.

    Raises:
        OutputError: a file cannot be written.
    """
    from .sharereport import render_share_report

    path = Path(path)
    written_at = written_at or dt.datetime.now()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sheets = localise(share, messages, written_at, bool(password))
        if password:
            with tempfile.TemporaryDirectory(prefix=".sheetkit-share-", dir=path.parent) as private:
                plain = Path(private) / "plain.xlsx"
                write_workbook(sheets, plain)
                encrypt_workbook(plain, path, password)
        else:
            write_workbook(sheets, path)
        report = path.with_suffix(".html")
        _write_text(report, render_share_report(share, messages, written_at, bool(password)))
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return {"at": written_at.isoformat(timespec="seconds"), "role": share.role.name, "owner": share.owner or "",
            "where": {c: list(v) for c, v in share.role.where.items()}, "rows": share.customers,
            "sheets": {s: list(f.columns) for s, f in share.sheets.items()}, "encrypted": bool(password),
            "lang": messages.lang, "files": [str(path), str(report)]}


def encrypt_workbook(plain: Path, out: Path, password: str) -> None:
    """Encrypt an .xlsx with msoffcrypto-tool (ECMA-376 Agile: AES-256, SHA-512, 100,000
    spins), written next to ``out`` and moved into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:
        with open(plain, "rb") as src, os.fdopen(fd, "wb") as dst:
            msoffcrypto.OfficeFile(src).encrypt(password, dst)
        os.chmod(tmp, 0o666 & ~current_umask())  # as any file the user writes (mkstemp makes it 0600)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def log_shared(log_path: Path, entry: dict[str, Any]) -> None:
    """Record a shared file: in the output folder's archive (``archive.sqlite``, table
    ``shares``) when it has one, and as one JSON line in ``log_path`` beside it, which
    anyone can read without tools (and which an output of an older version still gets)."""
    from .archive import record_share
    from .lock import current_user

    record_share(log_path.parent, entry, current_user())
    try:
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
    except OSError as exc:
        raise OutputError(f"cannot write the share log {log_path}: {exc.strerror or exc}") from exc


def share_key(out_dir: Path) -> str:
    """The output folder's pseudonym key, made on first use (readable by its owner only)."""
    path = Path(out_dir) / KEY_FILE
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_hex(8)  # 16 characters: SipHash's 128-bit key
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise OutputError(f"cannot keep the pseudonym key in {path}: {exc.strerror or exc}") from exc
    return key


def _renamed(column: str, mask: str) -> str:
    return "age" if mask == "age" and column == C.BIRTH_ON else column


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers and dates back as such, so the workbook sums and sorts them (text elsewhere)."""
    out = frame.copy(deep=False)  # copy-on-write: the columns set here leave ``frame`` as it was
    for col in out.columns:
        values = out[col]
        if col in _NUMBERS or col == "age":
            number = pd.to_numeric(values.replace("", None), errors="coerce")
            if number.notna().sum() == (values != "").sum():
                out[col] = number
        elif col.endswith("_on") or col == C.ORDER_DATE:
            date = iso_dates(values.replace("", None))
            if date.notna().sum() == (values != "").sum():
                out[col] = date
    return out.replace("", None)


def _as_of(summary: pd.DataFrame | None) -> pd.Timestamp | None:
    if summary is None or "item" not in summary:
        return None
    found = summary.loc[summary["item"] == "as of", "value"]
    return pd.Timestamp(found.iloc[0]) if len(found) and found.iloc[0] else None


def _write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o666 & ~current_umask())
    os.replace(tmp, path)
