"""Keeps order rows as transactions of their customer, and sums them up per customer.

Many real sheets have one row per order with the customer repeated. Those rows are
merged into one customer by dedupe; here each keeps its order (date, amount, order
number) so nothing is thrown away. A line repeated exactly in one sheet (pasted twice)
counts once, and ``find_repeated_orders`` says so. A refund (negative amount) is no order:
it lowers the totals but not the order count, and does not make a customer recent.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from .. import columns as C
from ..issues import BUILTIN, make_issues
from ..values.dates import iso_dates
from ..values.text import per_distinct

_ORDER_FIELDS = [C.ORDER_ID, C.ORDER_DATE, C.AMOUNT]
CURRENCY = "currency"


def _order_rows(records: pd.DataFrame, customer_id: pd.Series) -> pd.DataFrame | None:
    """The records that carry an order, with their customer, amounts as numbers and dates as dates."""
    present = [c for c in _ORDER_FIELDS if c in records.columns]
    if not present:
        return None
    has_order = records[present].notna().any(axis=1)
    tx = records.loc[has_order, present + C.PROVENANCE].copy()
    tx.insert(0, C.CUSTOMER_ID, customer_id[has_order].to_numpy())
    tx[CURRENCY] = records.loc[has_order, C.AMOUNT_CURRENCY] if C.AMOUNT_CURRENCY in records.columns else None
    for c in _ORDER_FIELDS:
        if c not in tx.columns:
            tx[c] = None
    # each distinct amount and date parsed once (they repeat across a million order lines)
    tx[C.AMOUNT] = per_distinct(tx[C.AMOUNT], partial(pd.to_numeric, errors="coerce"))
    tx[C.ORDER_DATE] = iso_dates(tx[C.ORDER_DATE])
    return tx


_LINE = [C.CUSTOMER_ID, C.ORDER_ID, C.ORDER_DATE, C.AMOUNT, CURRENCY, C.SOURCE_FILE, C.SOURCE_SHEET]


def _repeated(tx: pd.DataFrame) -> pd.Series:
    """Lines that repeat an earlier line of the same sheet exactly: same customer, order
    number (or none), date, amount and currency. Only lines that say which order they are
    (a number, or a date and an amount) count: a bare date twice is no evidence."""
    said = tx[C.ORDER_ID].notna() | (tx[C.ORDER_DATE].notna() & tx[C.AMOUNT].notna())
    return said & tx.duplicated(_LINE, keep="first")


def extract_transactions(records: pd.DataFrame, customer_id: pd.Series) -> pd.DataFrame:
    """One row per record that carries an order: customer_id, order fields, currency, provenance.

    ``amount`` becomes a number and ``order_date`` a date where they are valid;
    ``currency`` is the one the cell stated (empty: not stated). An order seen in two
    sheets (same customer, order number, date and amount) counts once, and so does a line
    repeated exactly in one sheet.
    """
    columns = [C.CUSTOMER_ID, C.ORDER_DATE, C.AMOUNT, CURRENCY, C.ORDER_ID] + C.PROVENANCE
    tx = _order_rows(records, customer_id)
    if tx is None:
        return pd.DataFrame(columns=columns)
    # The same order in two files (an export and a salesperson's copy) counts once; lines of
    # one order in one sheet are all kept unless one repeats another exactly.
    same = [C.CUSTOMER_ID, C.ORDER_ID, C.ORDER_DATE, C.AMOUNT]
    first = tx.groupby(same, dropna=False)[[C.SOURCE_FILE, C.SOURCE_SHEET]].transform("first")  # one grouping
    elsewhere = (tx[C.SOURCE_FILE] != first[C.SOURCE_FILE]) | (tx[C.SOURCE_SHEET] != first[C.SOURCE_SHEET])
    tx = tx[~(tx[C.ORDER_ID].notna() & elsewhere) & ~_repeated(tx)]
    return tx[columns].sort_values([C.CUSTOMER_ID, C.ORDER_DATE, *C.PROVENANCE], kind="stable",
                                   na_position="last").reset_index(drop=True)


def find_repeated_orders(records: pd.DataFrame, customer_id: pd.Series) -> pd.DataFrame:
    """An issue per order line that repeats an earlier line of its sheet exactly (counted
    once by ``extract_transactions``), naming the row it repeats."""
    tx = _order_rows(records, customer_id)
    if tx is None:
        return make_issues()
    again = _repeated(tx)
    if not again.any():
        return make_issues()
    # the row each repeat repeats, grouped among the lines that repeat or are repeated only
    lines = tx[tx.duplicated(_LINE, keep=False)]
    first_row = lines.groupby(_LINE, dropna=False)[C.SOURCE_ROW].transform("first")
    rows = tx[again]
    severity, message = BUILTIN["repeated-order-line"]
    what = (rows[C.ORDER_ID].fillna("").astype(str) + " " + rows[C.ORDER_DATE].dt.strftime("%Y-%m-%d").fillna("")
            + " " + rows[C.AMOUNT].map("{:g}".format, na_action="ignore").fillna("")).str.strip()
    return make_issues(rows[C.PROVENANCE].assign(
        code="repeated-order-line", severity=severity, column=rows[C.ORDER_ID].notna().map({True: C.ORDER_ID, False: C.AMOUNT}),
        value=what.to_numpy(), message=message,
        suggestion=("same as row " + first_row.loc[rows.index].astype("int64").astype(str) + "; counted once").to_numpy()))


def summarize_orders(transactions: pd.DataFrame, as_of: pd.Timestamp, window_days: int = 365,
                     base_currency: str = "CNY") -> pd.DataFrame:
    """Per customer: order_count, order_count_12m, total_amount, amount_12m, first_order_on,
    last_order_on (``_12m``: in the ``window_days`` up to ``as_of``).

    Amounts in another currency than ``base_currency`` count as orders but are not added
    to the totals: summing dollars as yuan would be false, and sheetkit has no rates. A
    refund (negative amount) is subtracted from the totals but is no order: it is not
    counted, and its date is not an order date (a customer with only a refund has 0 orders).
    """
    tx = transactions
    recent = tx[C.ORDER_DATE].between(as_of - pd.Timedelta(days=window_days), as_of)
    currency = tx[CURRENCY] if CURRENCY in tx.columns else pd.Series(None, index=tx.index, dtype=object)
    amount = tx[C.AMOUNT].where(currency.isna() | (currency == base_currency))
    customer = tx[C.CUSTOMER_ID]
    order = ~(tx[C.AMOUNT] < 0).fillna(False)
    dates = tx[C.ORDER_DATE].where(order)
    summary = pd.DataFrame({
        "order_count": order.groupby(customer).sum().astype("int64"),
        "order_count_12m": (order & recent).groupby(customer).sum().astype("int64"),
        "total_amount": amount.groupby(customer).sum(min_count=1),
        "amount_12m": amount.where(recent).groupby(customer).sum(min_count=0),
        "first_order_on": dates.groupby(customer).min(),
        "last_order_on": dates.groupby(customer).max(),
    })
    return summary
