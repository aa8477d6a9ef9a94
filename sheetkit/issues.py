"""Issue codes, their titles, and the issues frame every stage reports problems in.

Codes are stable once released: users filter on them. Schema checks declare their
own codes in customer.yaml; the codes below are raised by sheetkit itself.
"""

from __future__ import annotations

import pandas as pd

from . import columns as C

# code: (severity, message). Messages are bilingual: users read both.
BUILTIN = {
    "unreadable-file": ("error", "File cannot be read / 文件无法读取"),
    "not-customer-sheet": ("warning", "Sheet is not a customer list / 工作表不是客户名单"),
    "cell-too-long": ("warning", "Cell longer than Excel's 32,767 characters; truncated in the output / 单元格超长，已截断"),
    "other-currency": ("warning", ("Amount in another currency; kept with its currency, not added to totals / "
                                   "外币金额：保留币种，不计入合计")),
    "encoding-guessed": ("warning", "Text encoding guessed from little evidence; check that names read right / "
                                    "文本编码为推测，请核对姓名等文字"),
    "undecodable-text": ("warning", "Bytes that are not text in the file's encoding; replaced with \ufffd / "
                                    "无法解码的字节，已替换为\ufffd"),
    "error-cell": ("warning", "Excel error value in the cell (#N/A, #REF!, ...); read as empty / 单元格为错误值，按空值处理"),
    "repeated-order-line": ("warning", ("The same order line twice in one sheet; counted once (see the row it repeats) / "
                                        "同一工作表中订单行重复，只计一次")),
    "phone-region-uncertain": ("warning", ("Number without a country code, read as the default region's, is also valid "
                                           "in another country (see the suggestion) / 电话号码未写国家代码，亦可能是外国号码")),
    "id-number-conflict": ("warning", ("The same ID card number with another person's name (see the other row) / "
                                       "同一身份证号对应不同姓名")),
}


def make_issues(rows: list[dict] | pd.DataFrame | None = None) -> pd.DataFrame:
    """An issues frame with the standard columns (missing columns filled with None)."""
    frame = pd.DataFrame(rows if rows is not None else [])
    for col in C.ISSUE_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    frame = frame[C.ISSUE_COLUMNS]
    frame[C.SOURCE_ROW] = pd.to_numeric(frame[C.SOURCE_ROW], errors="coerce").astype("Int64")
    return frame


def builtin_issue(code: str, **fields: object) -> dict:
    """One issue row for a sheetkit-raised code."""
    severity, message = BUILTIN[code]
    return {"code": code, "severity": severity, "message": message, **fields}


def count_by_severity(issues: pd.DataFrame) -> dict[str, int]:
    """{"error": n, "warning": m} for an issues frame."""
    counts = issues["severity"].value_counts()
    return {s: int(counts.get(s, 0)) for s in ("error", "warning")}
