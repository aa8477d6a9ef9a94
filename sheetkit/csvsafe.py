"""CSV cells that a spreadsheet app would run as a formula, made inert (CSV injection).

A CSV has no types: Excel, LibreOffice and Google Sheets read a cell starting with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a formula,
so a customer named ``=HYPERLINK(...)`` in an issues file runs when opened. Following
OWASP, such a cell is written with a single quote in front: ``'=HYPERLINK(...)``.

A plain number is left as it is (``-250.00``, ``+8613812345678``, ``+86 138 1234 5678``):
it matches ``^[+-]?[0-9][0-9 .,]*$``, which spreadsheet apps read as a number or as text,
never as a formula, and a quote would change the value a script reads back.
"""

from __future__ import annotations

import pandas as pd

_FORMULA_START = r"[=+\-@\t\r]"
_PLAIN_NUMBER = r"[+-]?[0-9][0-9 .,]*"


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose formula-like texts start with ``'``; found per column by
    pandas' vectorised string match, other cells and non-text values untouched.

    >>> neutralise_formulas(pd.DataFrame({"v": ["=1+1", "-250.00", "@x", "a", None, 3]}))["v"].tolist()
    ["'=1+1", '-250.00', "'@x", 'a', None, 3]
    """
    out = frame.copy(deep=False)  # copy-on-write: replacing a column leaves ``frame`` as it was
    for col in out.columns:
        s = out[col]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            continue
        text = s.astype("string")  # other values by their text: a float -250.0 is a plain number
        risky = (text.str.match(_FORMULA_START) & ~text.str.fullmatch(_PLAIN_NUMBER)).fillna(False).to_numpy(bool)
        if risky.any():
            out[col] = s.astype(object).where(~risky, "'" + text.astype(object))
    return out
