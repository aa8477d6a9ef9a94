"""PipelineResult -> report context (a plain, documented dict) -> one self-contained HTML file.

The context is a contract (tests/test_report.py pins its keys): templates may rely on
every key below and on nothing else. Personal data is masked by what it looks like
(masking.py), twice over: every text of the context on the way out of build_context, and
every expression the template prints (a jinja2 ``finalize``), so a text the template
builds itself, or a key added later, cannot bypass it.
"""

from __future__ import annotations

import datetime as dt
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import pandas as pd

from . import columns as C
from .issues import count_by_severity
from .masking import mask_email, mask_id, mask_phone, mask_text
from .pipeline import PipelineResult
from .resources import templates_dir


# A value of these fields is masked whole, even when it does not look like one (a
# 5-digit "phone"); every other text is masked where it looks like one (masking.py).
_MASK_WHOLE = {C.PHONE: mask_phone, C.PHONE_ALT: mask_phone, C.EMAIL: mask_email, C.EMAIL_ALT: mask_email,
               C.ID_NUMBER: mask_id, C.PERSONAL_ID: mask_id}


def mask_value(column: object, value: object) -> str:
    """A cell's value as shown in the report (cut at 200 characters), masked.

    >>> mask_value("phone", "12345"), mask_value("company", "北京智远咨询13312340050有限公司")
    ('1***5', '北京智远咨询13*******50有限公司')
    """
    text = _text(value)[:200]
    whole = _MASK_WHOLE.get(_text(column))
    if whole and text:
        return "; ".join(whole(part) for part in text.split("; "))
    return mask_text(text)


def _text(value: object) -> str:
    """A cell as text; "" for every kind of missing (None, NaN, NA)."""
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return ""
    return str(value)


def mask_context(obj: Any) -> Any:
    """The context with every text in it through ``mask_text``; numbers and flags as they are."""
    if isinstance(obj, str):
        return mask_text(obj)
    if isinstance(obj, dict):
        return {k: mask_context(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [mask_context(v) for v in obj]
    return obj


def _version() -> str:
    try:
        return version("sheetkit")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "dev"


def _bars(counts: pd.Series, order: list[str] | None = None) -> list[dict[str, Any]]:
    if order:
        counts = counts.reindex([o for o in order if o in counts.index])
    counts = counts[counts > 0]
    top = float(counts.max()) if len(counts) else 0.0
    return [{"label": str(k), "value": int(v), "pct": round(100 * float(v) / top, 1) if top else 0.0}
            for k, v in counts.items()]


def build_context(result: PipelineResult, generated_at: dt.datetime | None = None) -> dict[str, Any]:
    """The report context: every number and row the template shows."""
    cfg = result.config
    customers, lineage, issues = result.customers, result.lineage, result.issues
    files = result.files
    outcome = lineage["outcome"].value_counts()
    severity = count_by_severity(issues)
    totals = {
        "files": int(files.loc[files["status"] != "skipped", "file"].nunique()),
        "files_failed": int((files["status"] == "failed").sum()),
        "sheets": int(((files["sheet"].fillna("") != "") & (files["status"] == "read")).sum()),
        "rows_read": len(lineage),
        "customers": len(customers),
        "merged_rows": int(outcome.get("merged", 0)),
        "review_pairs": len(result.review),
        "rejected_rows": int(outcome.get("rejected", 0)),
        "skipped_rows": int(outcome.get("skipped", 0)),
        "issues": len(issues), "errors": severity["error"], "warnings": severity["warning"],
        "transactions": len(result.transactions),
        "transactions_amount": float(result.transactions[C.AMOUNT].sum()) if len(result.transactions) else 0.0,
        "health_score": round(float(customers["health_score"].mean()), 1) if len(customers) else 0.0,
    }
    file_rows = [{
        "file": str(r["file"]), "sheet": _text(r["sheet"]), "status": str(r["status"]),
        "message": _text(r["message"]),
        "header_row": None if pd.isna(r["header_row"]) else int(r["header_row"]),
        "rows": 0 if pd.isna(r["rows"]) else int(r["rows"]),
        "customer_rows": 0 if pd.isna(r["customer_rows"]) else int(r["customer_rows"]),
        "mapping": [{"header": str(m["header"]), "field": str(m["field"]), "how": str(m["how"])}
                    for m in (r["mapping"] if isinstance(r["mapping"], list) else [])],
    } for _, r in files.iterrows()]

    by_rule = []
    # "Empty" only where the cells are: a field's missing value, or a rule failing because
    # all its fields are blank. A rule comparing filled fields (id-gender-mismatch) has no
    # single value, and neither has a file's issue.
    blank_rules = {r.code for r in result.schema.rules if r.check == "require_any"}
    for (code, sev), group in issues.groupby(["code", "severity"], sort=False):
        examples = [{"where": _where(e), "column": _text(e["column"]), "value": mask_value(e["column"], e["value"]),
                     "empty": not _text(e["value"]) and bool(_text(e["column"]))
                     and ("/" not in _text(e["column"]) or code in blank_rules),
                     "suggestion": mask_text(_text(e.get("suggestion"))[:200])}
                    for _, e in group.head(cfg.report_examples).iterrows()]
        by_rule.append({"code": str(code), "severity": str(sev), "count": len(group),
                        "message": str(group["message"].iloc[0]), "examples": examples})
    by_rule.sort(key=lambda r: (r["severity"] != "error", -r["count"], r["code"]))

    completeness = []
    for name, spec in result.schema.fields.items():
        if name in customers.columns:
            filled = int(customers[name].notna().sum())
            completeness.append({"field": name, "title": spec.title, "filled": filled, "total": len(customers),
                                 "pct": round(100 * filled / len(customers), 1) if len(customers) else 0.0})

    merged_customers = customers[customers["source_rows"] > 1].sort_values(
        ["source_rows", C.CUSTOMER_ID], ascending=[False, True])
    merge_reason = lineage[lineage["outcome"] == "merged"].groupby(C.CUSTOMER_ID)["reason"].first()
    merges = [{"customer_id": str(c[C.CUSTOMER_ID]), "name": _text(c.get(C.NAME)),
               "rows": int(c["source_rows"]), "sources": str(c["sources"]),
               "reason": mask_value("reason", merge_reason.get(c[C.CUSTOMER_ID], ""))}
              for _, c in merged_customers.head(cfg.report_rows).iterrows()]
    review = [{"left": _side(r, "left"), "right": _side(r, "right"), "score": float(r["score"]),
               "agreed": _text(r["agreed"]), "disagreed": _text(r["disagreed"])}
              for _, r in result.review.head(cfg.report_rows).iterrows()]

    charts = [
        {"id": "value-tier", "title": "价值分层 · Value tier",
         "caption": "近12个月消费，按配置的分层 · Spend in the last 12 months, by the tiers in the config",
         "bars": _bars(customers["value_tier"].value_counts(), [t.name for t in cfg.value_tiers] + ["none"])},
        {"id": "lifecycle", "title": "生命周期 · Lifecycle",
         "caption": "按订单日期与截至日期计算 · From order dates relative to the as-of date",
         "bars": _bars(customers["lifecycle"].value_counts(),
                       ["prospect", "new", "active", "loyal", "at risk", "churned", "undated"])},
        {"id": "rfm", "title": "RFM 分群 · RFM segment", "caption": "购买客户的最近一次、频次和金额评分 · Recency, frequency and spend scores among buyers",
         "bars": _bars(customers["rfm_segment"].value_counts(),
                       ["champions", "loyal", "new", "potential", "at risk", "lost", "undated", "no orders"])},
        {"id": "freshness", "title": "数据新鲜度 · Freshness",
         "caption": f"新鲜：{cfg.fresh_days} 天内有活动；陈旧：{cfg.stale_days} 天无活动 · "
                    f"Fresh: activity within {cfg.fresh_days} days; stale: none for {cfg.stale_days} days",
         "bars": _bars(customers["freshness"].value_counts(), ["fresh", "aging", "stale", "unknown"])},
        {"id": "health", "title": "健康分 · Health score", "caption": "每位客户的完整度、有效性和新鲜度 · Per customer: completeness, validity, freshness",
         "bars": _bars(pd.cut(customers["health_score"], [-1, 39, 59, 79, 100],
                              labels=["0-39", "40-59", "60-79", "80-100"]).value_counts(sort=False).astype(int)
                       if len(customers) else pd.Series(dtype=int))},
    ]
    return mask_context({
        "title": "客户档案质量报告 · Customer archive quality report",
        "as_of": result.as_of.strftime("%Y-%m-%d"),
        "generated_at": (generated_at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M"),
        "version": _version(),
        "totals": totals,
        "files": file_rows,
        "issues_by_rule": by_rule,
        "completeness": completeness,
        "merges_total": len(merged_customers),
        "merges": merges,
        "review": review,
        "charts": charts,
        "sheet_health": [{"file": str(r["file"]), "sheet": str(r["sheet"]), "rows": int(r["rows"]),
                          "completeness_pct": float(r["completeness_pct"]), "issue_rate": float(r["issue_rate"]),
                          "health_score": float(r["health_score"])} for _, r in result.sheet_health.iterrows()],
        **_follow_up(result),
    })


def _follow_up(result: PipelineResult) -> dict[str, Any]:
    """Tags with their counts, health per owner, the pool (公海) and the Verify list."""
    cfg, n = result.config, len(result.customers)
    tags = [{"level": str(level), "tag": str(tag), "rule": str(rule), "customers": int(count),
             "pct": round(100 * int(count) / n, 1) if n else 0.0}
            for level, tag, rule, count in result.tag_counts.itertuples(index=False)]
    owners = [{"owner": str(r["owner"]), "customers": int(r["customers"]),
               **{k: float(r[k]) for k in ("completeness_pct", "validity_pct", "fresh_pct", "health_score")},
               **{k: int(r[k]) for k in ("duplicate_rows", "in_review", "issues", "in_pool", "to_verify")}}
              for _, r in result.owners.iterrows()]
    pool, verify = result.pool, result.verify
    pool_rows = [{"name": _text(r[C.NAME]), "former_owner": _text(r["former_owner"]),
                  "due_on": r["due_on"].strftime("%Y-%m-%d") if not pd.isna(r["due_on"]) else "",
                  "reason": _text(r["reason"]), "value_tier": _text(r["value_tier"])}
                 for _, r in pool.head(cfg.report_rows).iterrows()]
    verify_rows = [{"name": _text(r[C.NAME]), "ask": _text(r["ask"]), "value_tier": _text(r["value_tier"]),
                    "check": _masked_check(r)} for _, r in verify.head(cfg.report_rows).iterrows()]
    return {"tags": tags, "owners": owners,
            "pool": {"total": len(pool), "no_owner": int(pool["former_owner"].isna().sum()),
                     "after_days": cfg.pool_after_days, "rows": pool_rows},
            "verify": {"total": len(verify), "after_days": cfg.verify_after_days, "rows": verify_rows}}


def _masked_check(row: pd.Series) -> str:
    """What to check, with the phone and e-mail it names masked whole (an invalid one does
    not look like a phone or an e-mail, so the text masking would miss it)."""
    text = _text(row["check"])
    for col in (C.PHONE, C.EMAIL):
        value = _text(row.get(col))
        if value:
            text = text.replace(value, mask_value(col, value))
    return text


def _where(issue: pd.Series) -> str:
    parts = [_text(issue[C.SOURCE_FILE])]
    if _text(issue[C.SOURCE_SHEET]):
        parts.append(_text(issue[C.SOURCE_SHEET]))
    if not pd.isna(issue[C.SOURCE_ROW]):
        parts.append(f"row {int(issue[C.SOURCE_ROW])}")
    return " › ".join(parts)


def _side(review_row: pd.Series, side: str) -> str:
    bits = [_text(review_row.get(f"{side}_name")) or "—",
            mask_phone(review_row.get(f"{side}_phone")), mask_email(review_row.get(f"{side}_email")),
            _text(review_row.get(f"{side}_company")), f"({review_row.get(f'{side}_source')})"]
    return " · ".join(b for b in bits if b)


def _finalize(value: Any) -> Any:
    """Every printed expression: texts masked. Markup is left alone: it is what a macro
    made, whose own expressions were masked as they were printed (and whose SVG numbers
    must stay as they are); nothing in the templates marks data safe (a test checks)."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return mask_text(value)
    return value


def template_environment(template_dir: Path | None = None, lang: str | None = None) -> jinja2.Environment:
    """The report templates' environment: autoescape, strict undefined, every printed text
    masked; ``lang`` ("zh" or "en"; None: both side by side) is seen by the macros in
    ``_macros.html.j2``, so every section that writes its texts through them follows it."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(template_dir or templates_dir())),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, finalize=_finalize)
    env.globals["lang"] = lang or "both"
    env.tests["has_chinese"] = lambda text: any("\u4e00" <= c <= "\u9fff" for c in str(text))
    return env


def render_report(context: dict[str, Any], template_dir: Path | None = None, lang: str | None = None) -> str:
    """Render the HTML report; every value is escaped, an unknown key is an error. ``lang``
    chooses one language for the texts written through the macros (None: both)."""
    return template_environment(template_dir, lang).get_template("report.html.j2").render(**context)
