"""Dates kept as yyyy-mm-dd text, read back as dates once per distinct text: the same
answer, dtype and index as reading every cell, whatever the column holds."""

from functools import partial

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetkit.values.dates import iso_dates
from sheetkit.values.text import TEXT, per_distinct

# what a date cell may hold once normalised, and what it may still hold when it was not a date
CELLS = st.one_of(st.none(), st.dates().map(str),
                  st.sampled_from(["2024-02-29", "2023-02-29", "2020-02-30", "0001-01-01", "9999-12-31",
                                   "3/4/2020", "2020-5-2", "", "明天", "2024-13-01"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(CELLS, max_size=40), st.sampled_from([object, TEXT]), st.randoms())
def test_dates_read_once_per_text_equal_dates_read_cell_by_cell(cells, dtype, rnd):
    labels = list(range(len(cells)))
    rnd.shuffle(labels)  # a frame's index after filtering: not 0..n-1
    column = pd.Series(cells, dtype=dtype, index=labels, name="last_contact_on")
    expected = pd.to_datetime(column, format="%Y-%m-%d", errors="coerce")
    pd.testing.assert_series_equal(iso_dates(column), expected)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["1764", "12", "-5.5", "1e3", "abc", "0"])), max_size=30))
def test_amounts_read_once_per_text_keep_the_dtype_the_column_would_get(cells):
    # with no empty cell, whole numbers stay int64; one empty cell makes the column float
    column = pd.Series(cells, dtype=object)
    parse = partial(pd.to_numeric, errors="coerce")
    pd.testing.assert_series_equal(per_distinct(column, parse), parse(column))


@settings(max_examples=200, deadline=None)
@given(st.lists(CELLS, max_size=40), st.sampled_from([object, TEXT]))
def test_strict_dates_are_only_text_of_exactly_the_yyyy_mm_dd_shape(cells, dtype):
    # what a check reads as a date: "2020-5-2" is no date, however strptime would read it
    column = pd.Series(cells, dtype=dtype, name="birth_on")
    text = column.astype(TEXT)
    expected = pd.to_datetime(text.where(text.str.fullmatch("[0-9]{4}-[0-9]{2}-[0-9]{2}")), format="%Y-%m-%d",
                              errors="coerce")
    pd.testing.assert_series_equal(iso_dates(column, strict=True), expected)
