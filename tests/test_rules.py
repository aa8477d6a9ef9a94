"""The tag rule language: parsing, every operator, clear errors, and no code execution."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetkit.config import Tag, load_config
from sheetkit.errors import ConfigError
from sheetkit.rules import RuleError, columns_of, evaluate, parse_rule
from tests.conftest import ROOT

FRAME = pd.DataFrame({
    "name": ["陈静", "刘洋", "王芳", None],
    "company": ["上海医疗器械有限公司", "杭州明远贸易", "Sino-Euro Medical", None],
    "industry": [None, "贸易", "医疗器械", ""],
    "order_count_12m": [7, 2, 6, None],
    "days_since_order": pd.array([10, 400, 120, None], dtype="Int64"),
    "amount_12m": [600000.0, 8700.0, 500000.0, None],
    "last_order_on": pd.to_datetime(["2024-12-20", "2023-11-02", "2024-09-02", None]),
    "last_contact_on": ["2024-12-20", "2024/3/5", "2024-01-01", None],  # text, as in the Customers frame
    "来源": ["展会", "官网咨询", None, "展会"],
})


def rows(rule: str) -> list[int]:
    """Positions of the rows of FRAME that meet ``rule``."""
    return np.flatnonzero(evaluate(parse_rule(rule), FRAME)).tolist()


@pytest.mark.parametrize("rule, expected", [
    ("order_count_12m >= 6 and days_since_order <= 90", [0]),
    ("company contains '医疗' or industry == '医疗器械'", [0, 2]),
    ("amount_12m >= 500000", [0, 2]),
    ("amount_12m > 500000", [0]),
    ("amount_12m < 10000", [1]),
    ("amount_12m <= 8700", [1]),
    ("amount_12m == 8700", [1]),
    ("amount_12m != 8700", [0, 2, 3]),        # != is the opposite of ==: an empty cell is != 8700
    ("industry == \"贸易\"", [1]),
    ("company contains 'MEDICAL'", [2]),       # contains ignores case
    ("industry in ['贸易', '医疗器械']", [1, 2]),
    ("industry not in ['贸易']", [0, 2, 3]),
    ("order_count_12m in [6, 7]", [0, 2]),
    ("industry is empty", [0, 3]),             # "" and no value are both empty
    ("industry is not empty", [1, 2]),
    ("not industry is empty", [1, 2]),
    ("not (amount_12m >= 500000 or industry == '贸易')", [3]),
    ("(amount_12m >= 500000 or industry == '贸易') and days_since_order > 100", [1, 2]),
    ("amount_12m >= 500000 or industry == '贸易' and days_since_order > 100", [0, 1, 2]),  # and before or
    ("来源 == '展会'", [0, 3]),                 # a column with a Chinese name
    ("`来源` == '展会'", [0, 3]),               # a name in backquotes
    ("AMOUNT_12M >= 1 AND Industry IS EMPTY", []),  # keywords in any case; names as written
    ("amount_12m >= 500_000", [0, 2]),
])
def test_every_operator(rule, expected):
    assert rows(rule) == expected


@pytest.mark.parametrize("rule, expected", [
    ("last_order_on >= 2024-01-01", [0, 2]),
    ("last_order_on >= date('2024-01-01')", [0, 2]),
    ("last_order_on < \"2024-01-01\"", [1]),            # a date column makes a quoted date a date
    ("last_contact_on >= 2024-06-01", [0]),             # text cells compared as dates, not as text
    ("last_contact_on < 2024-06-01", [2]),              # "2024/3/5" is not a date: no comparison holds
    ("last_order_on in [2024-12-20, 2024-09-02]", [0, 2]),
])
def test_dates_compare_as_dates(rule, expected):
    assert rows(rule) == expected


def test_dates_are_not_compared_as_text():
    frame = pd.DataFrame({"d": ["2024-10-01", "2024-9-01"]})  # as text, both are > "2024-09-15"
    assert evaluate(parse_rule("d > 2024-09-15"), frame).tolist() == [True, False]


@pytest.mark.parametrize("rule, position, says", [
    ("order_count_12m >= ", 20, "expected a value"),
    ("order_count_12m >= and x == 1", 20, "expected a value"),
    ("amount_12m 500000", 12, "expected a comparison"),
    ("(amount_12m > 1", 16, "expected ')'"),
    ("amount_12m > 1 industry == 'x'", 16, "expected 'and', 'or'"),
    ("industry in '贸易'", 13, "expected '['"),
    ("industry in ['a' 'b']", 18, "expected ',' or ']'"),
    ("industry in [name]", 14, "not the column"),
    ("industry is missing", 13, "expected 'empty'"),
    ("industry = 'x'", 10, "cannot read"),
    ("name == 'unclosed", 9, "cannot read"),
    ("last_order_on > 2024-02-30", 17, "not a date"),
    ("last_order_on > date(2024)", 22, "a date in quotes"),
    ("", 1, "empty"),
])
def test_a_bad_rule_names_the_position_and_what_was_expected(rule, position, says):
    with pytest.raises(RuleError) as err:
        parse_rule(rule)
    assert err.value.position == position
    assert says in str(err.value)
    assert str(err.value).startswith(f"position {position}: ")


@pytest.mark.parametrize("rule", [
    "__import__('os')",
    "__import__('os').system('touch /tmp/pwned') == 0",
    "eval('1') == 1",
    "exec('x = 1') == 1",
    "open('/etc/passwd') contains 'root'",
    "name.__class__ == 'x'",
    "[c for c in name] == 1",
    "lambda: 1",
    "name == 'a'; import os",
    "name == {'a': 1}",
])
def test_python_is_never_run(rule):
    with pytest.raises(RuleError):
        parse_rule(rule)


def test_import_is_a_parse_error_at_its_parenthesis():
    with pytest.raises(RuleError, match=r"position 11: '__import__' is not a function"):
        parse_rule("__import__('os')")


def test_text_that_looks_like_code_is_only_ever_text(tmp_path):
    marker = tmp_path / "pwned"
    frame = pd.DataFrame({"name": [f"__import__('os').system('touch {marker}')"]})
    rule = f"name == \"__import__('os').system('touch {marker}')\""
    assert evaluate(parse_rule(rule), frame).tolist() == [True]
    assert not marker.exists()


def test_columns_of_lists_every_name_with_its_position():
    found = columns_of(parse_rule("a > 1 and (b contains 'x' or not c is empty) and d in [1]"))
    assert [(c.name, c.pos) for c in found] == [("a", 1), ("b", 12), ("c", 34), ("d", 50)]


def test_the_issue_tags_load_from_a_config_as_written():
    path = ROOT / "examples" / "tags.toml"  # the issue's three tags, as a user writes them
    config = load_config(path)
    assert [t.name for t in config.tags] == ["高活跃度", "医疗器械", "战略客户"]
    assert config.all_tags[:3] == config.tags and len(config.all_tags) > 3  # the bundled ones follow


def test_every_bad_tag_is_reported_at_load_at_once(tmp_path):
    path = tmp_path / "sheetkit.toml"
    path.write_text('''
pool_after_days = 0
[[tags]]
name = "ok"
level = "行为"
when = "amount_12m > 1"

[[tags]]
name = "高活跃度"
level = "行为"
when = "order_count_12m >= 6 and days_since_order >= "

[[tags]]
name = "坏"
level = "价值"
when = "__import__('os')"

[[tags]]
name = "no level"
when = "amount_12m > 1"
''', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert 'tags[2] "高活跃度": position 46: expected a value (a column name, \'text\', a number or a date) ' \
           "after '>='" in message
    assert 'tags[3] "坏": position 11: \'__import__\' is not a function' in message
    assert 'tags[4] "no level": needs level' in message
    assert "pool_after_days: expected a number of days" in message
    assert "tags[1]" not in message


def test_a_tag_of_yours_replaces_the_bundled_one_of_that_name_and_defaults_can_go():
    from sheetkit.config import DEFAULT_TAGS, PipelineConfig

    mine = Tag("high value", "价值", "amount_12m >= 100000")
    config = PipelineConfig(tags=(mine,))
    assert [t for t in config.all_tags if t.name == "high value"] == [mine]
    assert len(config.all_tags) == len(DEFAULT_TAGS)
    assert PipelineConfig(tags=(mine,), default_tags=False).all_tags == (mine,)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)), min_size=1, max_size=20),
       st.integers(-10**6, 10**6), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
def test_a_rule_and_its_negation_split_every_customer(values, limit, op):
    frame = pd.DataFrame({"x": pd.Series(values, dtype=float)})
    yes = evaluate(parse_rule(f"x {op} {limit}"), frame)
    no = evaluate(parse_rule(f"not (x {op} {limit})"), frame)
    assert (yes ^ no).all()
    expected = [v is not None and {"<": v < limit, "<=": v <= limit, ">": v > limit, ">=": v >= limit,
                                   "==": v == limit, "!=": v != limit}[op] for v in values]
    if op == "!=":  # an empty cell differs from every number
        expected = [v is None or v != limit for v in values]
    assert yes.tolist() == expected
