"""The report's "Changes since last run" and "Over time" section: its context, ``history``.

Kept apart from report.build_context (whose keys are a pinned contract): output.py adds
``history`` to the context, and the section's template (``_changes.html.j2``) shows
nothing when it is None (a first run, or a report rendered from Python alone).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from . import archive
from . import columns as C
from .masking import mask_email, mask_phone
from .report import mask_context
from .stages.changes import CHANGE_KINDS

LISTED = 200          # changes listed in the report; the Changes sheet has every one
TREND_RUNS = 12       # runs shown in the trend charts, this one included
TREND_SHEETS = 6      # lines per chart: the largest source sheets
_METRICS = [("customers", "客户", "Customers"), ("merged", "重复（合并行）", "Duplicates merged"),
            ("issues", "问题", "Issues"), ("health_score", "健康分", "Health score")]
_MASKED = {C.PHONE: mask_phone, C.EMAIL: mask_email}


_OWNER_METRICS = [("customers", "客户", "Customers"), ("duplicate_rows", "重复（合并行）", "Duplicates merged"),
                  ("issues", "问题", "Issues"), ("health_score", "健康分", "Health score")]


def trend_frame(out_dir: Path, result, per: str = "sheet") -> pd.DataFrame:
    """Per source sheet (or ``per="owner"``), the archive's last runs and this one
    (labelled by as-of date)."""
    table = "owner_stats" if per == "owner" else "sheet_stats"
    earlier = archive.trend(out_dir, TREND_RUNS - 1, table)
    now = result.owners.reindex(columns=archive.OWNER_STATS) if per == "owner" else archive.sheet_stats(result)
    now = now.assign(run_id=0, as_of=result.as_of.strftime("%Y-%m-%d"))
    if not earlier.empty:
        now["run_id"] = int(earlier["run_id"].max()) + 1
    return pd.concat([earlier, now], ignore_index=True) if not earlier.empty else now


def changes_context(result, trend: pd.DataFrame, owner_trend: pd.DataFrame | None = None) -> dict[str, Any]:
    """``{"history": ...}``: counts, the first changes, the tier matrix and the trend charts
    (per source sheet, and per owner); None when there is no previous run to compare with."""
    charts = _trend_charts(trend)
    owner_charts = _trend_charts(owner_trend, by="owner", metrics=_OWNER_METRICS, size="customers") \
        if owner_trend is not None else []
    if result.previous is None and not charts:
        return {"history": None}
    changes = result.changes
    counts = changes["change"].value_counts()
    listed = changes.head(LISTED)
    rows = []
    for r in listed.itertuples(index=False):
        mask = _MASKED.get(r.field)
        show = (lambda v: "" if v is None or pd.isna(v) else (mask(str(v)) if mask else str(v)))
        rows.append({"customer_id": str(r.customer_id), "change": str(r.change),
                     "field": show(r.field) if r.field else "", "before": show(r.before), "after": show(r.after),
                     "source": show(r.source)})
    return {"history": mask_context({
        "compared": result.previous is not None,
        "previous": (result.previous or {}).get("path", ""),
        "total": len(changes),
        "counts": [{"change": k, "count": int(counts.get(k, 0))} for k in CHANGE_KINDS],
        "changes": rows,
        "tiers": _tier_matrix((result.previous or {}).get("tiers")),
        "trend": charts,
        "owner_trend": owner_charts,
    })}


def _tier_matrix(moves: pd.DataFrame | None) -> dict[str, Any]:
    if moves is None or moves.empty:
        return {"from": [], "to": [], "rows": []}
    top = max(int(moves.to_numpy().max()), 1)
    return {"from": [str(x) for x in moves.index], "to": [str(x) for x in moves.columns],
            "rows": [{"tier": str(t), "cells": [{"n": int(n), "heat": round(int(n) / top, 3),
                                                  "same": str(t) == str(c)} for c, n in row.items()]}
                     for t, row in moves.iterrows()]}


def _trend_charts(trend: pd.DataFrame, by: str = "sheet", metrics=_METRICS, size: str = "rows") -> list[dict[str, Any]]:
    """One small line chart per metric: a polyline per source sheet (or owner) over the runs."""
    if trend.empty or trend["run_id"].nunique() < 2:
        return []
    label = trend["owner"].astype(str) if by == "owner" else \
        trend["source_file"].astype(str) + " › " + trend["source_sheet"].astype(str)
    trend = trend.assign(label=label)
    largest = trend.groupby("label")[size].max().sort_values(ascending=False).head(TREND_SHEETS).index
    runs = trend.drop_duplicates("run_id").sort_values("run_id")
    x = {r: i for i, r in enumerate(runs["run_id"])}
    width, height, pad = 360, 120, 24
    charts = []
    for metric, zh, en in metrics:
        table = trend[trend["label"].isin(largest)].pivot_table(index="label", columns="run_id", values=metric,
                                                                 aggfunc="sum")
        top = float(table.max().max()) if table.size and pd.notna(table.max().max()) else 0.0
        top = top or 1.0
        lines = []
        for label, values in table.iterrows():
            points = [(pad + x[r] * (width - 2 * pad) / max(len(x) - 1, 1),
                       height - pad - float(v) / top * (height - 2 * pad)) for r, v in values.items() if pd.notna(v)]
            lines.append({"label": str(label), "points": " ".join(f"{a:.1f},{b:.1f}" for a, b in points),
                          "last": float(values.dropna().iloc[-1]) if values.notna().any() else 0.0})
        charts.append({"id": metric, "title": f"{zh} · {en}", "width": width, "height": height, "top": top,
                       "runs": [str(a) for a in runs["as_of"]], "lines": lines})
    return charts
