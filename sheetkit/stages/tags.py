"""Tags from the rules in the config: one column per level (``tags_<level>``) and ``tags``.

Each rule is parsed once (rules.py) and evaluated over whole columns; a customer's tags
are then spelled out once per distinct combination, not once per row, so a million
customers cost a pass per rule and a few hundred joins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..config import Tag
from ..rules import columns_of, evaluate, parse_rule

TAG_COUNT_COLUMNS = ["level", "tag", "rule", "customers"]


def level_column(level: str) -> str:
    """The Customers column of a tag level: ``tags_行业``, ``tags_value``.

    >>> level_column("行为")
    'tags_行为'
    """
    return "tags_" + "_".join(level.split())


def tag_customers(customers: pd.DataFrame, tags: Iterable[Tag],
                  aliases: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Adds ``tags_<level>`` per level (in the order levels first appear) and ``tags``.

    Args:
        customers: the Customers frame, with every column the rules name.
        tags: the rules (``PipelineConfig.all_tags``).
        aliases: other names for columns (a schema field's header aliases), so a rule may
            say 行业 for ``industry``.

    Returns:
        The customers with the tag columns, and one row per tag: level, tag, rule and how
        many customers it matched (the Summary and the report list them).

    >>> frame = pd.DataFrame({"amount_12m": [600000.0, 10.0]})
    >>> out, counts = tag_customers(frame, [Tag("战略客户", "价值", "amount_12m >= 500000")])
    >>> out["tags_价值"].tolist(), counts["customers"].tolist()
    (['战略客户', None], [1])
    """
    tags = list(tags)
    out = customers.copy(deep=False)
    masks = [evaluate(parse_rule(t.when), customers, aliases) for t in tags]
    for level in dict.fromkeys(t.level for t in tags):
        chosen = [i for i, t in enumerate(tags) if t.level == level]
        spelled = _spell([masks[i] for i in chosen], [tags[i].name for i in chosen], len(out))
        out[level_column(level)] = pd.Series(spelled, index=out.index, dtype=object)
    out["tags"] = pd.Series(_spell(masks, [t.name for t in tags], len(out)), index=out.index, dtype=object)
    counts = pd.DataFrame([(t.level, t.name, t.when, int(m.sum())) for t, m in zip(tags, masks)],
                          columns=TAG_COUNT_COLUMNS)
    return out, counts


def _spell(masks: list[np.ndarray], names: list[str], n: int, chunk: int = 62) -> np.ndarray:
    """Each row's matching names, comma-joined in rule order (None when none match)."""
    if not masks:
        return np.full(n, None, dtype=object)
    if len(masks) > chunk:  # more rules than bits in an int64: spell in parts, then join them
        parts = [_spell(masks[i:i + chunk], names[i:i + chunk], n) for i in range(0, len(masks), chunk)]
        joined = pd.Series(parts[0], dtype=object)
        for part in parts[1:]:
            part = pd.Series(part, dtype=object)
            joined = joined.where(part.isna(), np.where(joined.isna(), part, joined + ", " + part))
        return joined.to_numpy(dtype=object)
    code = np.zeros(n, dtype=np.int64)
    for bit, mask in enumerate(masks):
        code |= mask.astype(np.int64) << bit
    inverse, distinct = pd.factorize(code)  # hashing, not a sort of a million codes
    labels = np.array([", ".join(name for bit, name in enumerate(names) if c >> bit & 1) or None
                       for c in distinct], dtype=object)
    return labels[inverse]


def unknown_tag_columns(tags: Iterable[Tag], columns: Iterable[str],
                        aliases: Mapping[str, str] | None = None) -> list[str]:
    """Problems: each rule's names that are no column (nor an alias of one), every one at once.

    >>> unknown_tag_columns([Tag("x", "行为", "orders >= 6")], ["order_count"])
    ['tags[1] "x": position 1: no column \\'orders\\' in the Customers sheet']
    """
    known, aliases = set(columns), aliases or {}
    problems = []
    for i, tag in enumerate(tags, start=1):
        for col in columns_of(parse_rule(tag.when)):
            if col.name not in known and aliases.get(col.name) not in known:
                problems.append(f'tags[{i}] "{tag.name}": position {col.pos}: no column {col.name!r} '
                                f"in the Customers sheet")
    return problems
