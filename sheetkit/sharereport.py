"""The report that goes with a role's workbook: what it holds and how it was masked, with
counts and the filled share of each column, built only from the role's masked frames
(so it cannot show what the workbook does not), in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from .lang import Messages
from .report import template_environment

_SEGMENTS = ("value_tier", "lifecycle", "rfm_segment", "freshness", "gender", "province", "city")


def share_context(share: Any, messages: Messages, written_at: dt.datetime, encrypted: bool) -> dict[str, Any]:
    """The role report's context: plain texts and numbers (``share`` is a share.Share)."""
    role = share.role.label(messages.lang)
    sheets = [{"name": messages.sheet(name), "rows": len(frame),
               "columns": [{"label": messages.column(c), "how": messages("mask." + share.masks[name].get(c, "keep")),
                            "filled": _filled(frame[c])} for c in frame.columns]}
              for name, frame in share.sheets.items()]
    customers = share.sheets.get("Customers", pd.DataFrame())
    segments = []
    for col in _SEGMENTS:
        if col in customers and share.masks["Customers"].get(col) == "keep":
            counts = customers[col].dropna().astype(str).value_counts().head(12)
            top = int(counts.max()) if len(counts) else 0
            segments.append({"title": messages.column(col), "bars": [
                {"label": str(k), "value": int(v), "pct": round(100 * v / top, 1) if top else 0.0}
                for k, v in counts.items()]})
    return {
        "lang": messages.lang,
        "title": messages("report.title", role=role),
        "lead": messages("report.lead", role=role),
        "about": [
            {"item": messages("about.role"), "value": role},
            {"item": messages("about.owner"), "value": share.owner or messages("about.all")},
            {"item": messages("about.as_of"), "value": share.as_of.strftime("%Y-%m-%d") if share.as_of is not None
             else ""},
            {"item": messages("about.written_at"), "value": written_at.strftime("%Y-%m-%d %H:%M")},
            {"item": messages("about.rows"), "value": f"{share.customers:,}"},
            {"item": messages("about.encrypted"), "value": messages("about.yes" if encrypted else "about.no")},
        ],
        "notice": messages("about.notice"),
        "sheets": sheets,
        "segments": segments,
        "labels": {k: messages(f"report.{k}") for k in ("what", "sheets", "sheet", "column", "how", "rows_col",
                                                        "segments", "filled", "none")},
    }


def render_share_report(share: Any, messages: Messages, written_at: dt.datetime, encrypted: bool) -> str:
    """The role report as one self-contained HTML file."""
    env = template_environment(lang=messages.lang)
    return env.get_template("share.html.j2").render(**share_context(share, messages, written_at, encrypted))


def _filled(values: pd.Series) -> float:
    return round(100 * float(values.notna().mean()), 1) if len(values) else 0.0
