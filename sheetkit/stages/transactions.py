"""Keeps order rows as transactions of their customer, and sums them up per customer.

Many real sheets have one row per order with the customer repeated. Those rows are
merged into one customer by dedupe; here each keeps its order (date, amount, order
number) so nothing is thrown away.
"""

from __future__ import annotations

import pandas as pd

from .. import columns as C

_ORDER_FIELDS = [C.ORDER_ID, C.ORDER_DATE, C.AMOUNT]
CURRENCY = "currency"


def extract_transactions(records: pd.DataFrame, customer_id: pd.Series) -> pd.DataFrame:
    """One row per record that carries an order: customer_id, order fields, currency, provenance.

    ``amount`` becomes a number and ``order_date`` a date where they are valid;
    ``currency`` is the one the cell stated (empty: not stated). An order seen in two
    sheets (same customer, order number, date and amount) counts once.
    """
    present = [c for c in _ORDER_FIELDS if c in records.columns]
    columns = [C.CUSTOMER_ID, C.ORDER_DATE, C.AMOUNT, CURRENCY, C.ORDER_ID] + C.PROVENANCE
    if not present:
        return pd.DataFrame(columns=columns)
    has_order = records[present].notna().any(axis=1)
    tx = records.loc[has_order, present + C.PROVENANCE].copy()
    tx.insert(0, C.CUSTOMER_ID, customer_id[has_order].to_numpy())
    tx[CURRENCY] = records.loc[has_order, C.AMOUNT_CURRENCY] if C.AMOUNT_CURRENCY in records.columns else None
    for c in _ORDER_FIELDS:
        if c not in tx.columns:
            tx[c] = None
    tx[C.AMOUNT] = pd.to_numeric(tx[C.AMOUNT], errors="coerce")
    tx[C.ORDER_DATE] = pd.to_datetime(tx[C.ORDER_DATE], format="%Y-%m-%d", errors="coerce")
    # The same order in two files (an export and a salesperson's copy) counts once; lines of
    # one order in one sheet are all kept, whatever they share.
    same = [C.CUSTOMER_ID, C.ORDER_ID, C.ORDER_DATE, C.AMOUNT]
    first_sheet = tx.groupby(same, dropna=False)[C.SOURCE_SHEET].transform("first")
    first_file = tx.groupby(same, dropna=False)[C.SOURCE_FILE].transform("first")
    elsewhere = (tx[C.SOURCE_FILE] != first_file) | (tx[C.SOURCE_SHEET] != first_sheet)
    tx = tx[~(tx[C.ORDER_ID].notna() & elsewhere)]
    return tx[columns].sort_values([C.CUSTOMER_ID, C.ORDER_DATE, *C.PROVENANCE], kind="stable",
                                   na_position="last").reset_index(drop=True)


def summarize_orders(transactions: pd.DataFrame, as_of: pd.Timestamp, window_days: int = 365,
                     base_currency: str = "CNY") -> pd.DataFrame:
    """Per customer: order_count, total_amount, amount_12m, first_order_on, last_order_on.

    Amounts in another currency than ``base_currency`` count as orders but are not added
    to the totals: summing dollars as yuan would be false, and sheetkit has no rates.
    """
    tx = transactions
    recent = tx[C.ORDER_DATE].between(as_of - pd.Timedelta(days=window_days), as_of)
    currency = tx[CURRENCY] if CURRENCY in tx.columns else pd.Series(None, index=tx.index, dtype=object)
    amount = tx[C.AMOUNT].where(currency.isna() | (currency == base_currency))
    grouped = tx.groupby(C.CUSTOMER_ID)
    summary = pd.DataFrame({
        "order_count": grouped.size(),
        "total_amount": amount.groupby(tx[C.CUSTOMER_ID]).sum(min_count=1),
        "amount_12m": amount.where(recent).groupby(tx[C.CUSTOMER_ID]).sum(min_count=0),
        "first_order_on": grouped[C.ORDER_DATE].min(),
        "last_order_on": grouped[C.ORDER_DATE].max(),
    })
    return summary
