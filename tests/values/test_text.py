"""Text helpers that every normaliser goes through: how much memory their output holds."""

import pandas as pd

from sheetkit.values.text import TEXT, blank_to_na, isin


def test_repeated_texts_share_one_string_object():
    # A million-row city or date column must not hold a million strings (issue 6: 4 GiB at 1M rows).
    cities = pd.Series(["上海", "北京", "", None, "杭州"] * 2_000, dtype=TEXT)
    out = blank_to_na(cities)
    assert out.dtype == object
    assert out.tolist()[:5] == ["上海", "北京", None, None, "杭州"]
    assert len({id(v) for v in out if v is not None}) == 3


def test_distinct_texts_are_kept_as_written():
    names = pd.Series([f"客户{i}" for i in range(1_000)] + [" "], dtype=TEXT)
    assert blank_to_na(names).tolist() == [f"客户{i}" for i in range(1_000)] + [" "]


def test_isin_on_arrow_text_matches_pandas():
    ids = pd.Series(["C1", None, "C3", "C2"], dtype="str")
    assert isin(ids, pd.Series(["C2", "C3"])).tolist() == [False, False, True, True]
    assert isin(ids, set()).tolist() == [False] * 4

