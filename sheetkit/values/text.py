"""Regular expressions over whole text columns, run by Arrow (RE2) in C++.

pandas hands some Arrow string regex calls back to Python's ``re``, one cell at a time
(for instance any pattern it cannot prove RE2-safe); on a million cells that is seconds.
These call ``pyarrow.compute`` directly, so patterns must be RE2 syntax (no lookaround,
no backreferences in the pattern; ``\\1`` in a replacement is fine).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

TEXT = pd.StringDtype("pyarrow")


def _arrow(s: pd.Series) -> pa.ChunkedArray | pa.Array:
    return pa.array(s.astype(TEXT).array)


def replace_regex(s: pd.Series, pattern: str, replacement: str, max_replacements: int | None = None) -> pd.Series:
    """``s.str.replace(pattern, replacement, regex=True)``, always in C++; missing stays missing.

    >>> replace_regex(pd.Series(["a  b", None, "上海市 x"]), r"\\s+|市", "").tolist()
    ['ab', <NA>, '上海x']
    """
    out = pc.replace_substring_regex(_arrow(s), pattern=pattern, replacement=replacement,
                                     max_replacements=max_replacements)
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([out]) if isinstance(out, pa.Array) else out),
                     index=s.index)


def extract_regex(s: pd.Series, pattern: str) -> pd.Series:
    """The first group of ``pattern`` (one named or unnamed group) in each value, else missing.

    >>> extract_regex(pd.Series(["zw@qq.com", "none", None]), r"^([^@]*)@").tolist()
    ['zw', <NA>, <NA>]
    """
    named = pattern.replace("(", "(?P<g>", 1) if "(?P<" not in pattern else pattern
    out = pc.struct_field(pc.extract_regex(_arrow(s), pattern=named), [0])  # keeps non-matches missing
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([out]) if isinstance(out, pa.Array) else out),
                     index=s.index)
