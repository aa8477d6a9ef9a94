"""The sex a given name is nearly always given to: Michael and Michelle, Patrick and
Patricia are two people's names, however alike they are written.

``given_names.csv`` holds each first name of the US Census Bureau's 1990 lists of
frequently occurring first names (public domain; as shipped in the ``names`` package,
https://github.com/treyhunner/names, files ``dist.male.first`` and ``dist.female.first``)
that one sex holds at least ``DOMINANT`` times as often as the other, in proportion to
each sex's population, and at least ``COMMON`` percent of that sex hold. Names given to
both (Kelly, Jamie, Leslie) are left out: they say nothing; and so are rare ones (Daniell,
Willia, Donn): in a customer list they are more often Daniel, William or Donna typed wrong.

Remake it with ``python sheetkit/values/given_names.py MALE FEMALE > sheetkit/values/given_names.csv``.
"""

from __future__ import annotations

import functools
import sys
from importlib.resources import files

import numpy as np

DOMINANT = 10.0
COMMON = 0.02  # percent: about the 700 commonest names of each sex


@functools.cache
def _table() -> dict[str, str]:
    text = files("sheetkit.values").joinpath("given_names.csv").read_text(encoding="utf-8")
    rows = (line.split(",") for line in text.splitlines()[1:] if line)
    return {name: sex for name, sex in rows}


def opposite(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether two names (lower-case words, pair by pair) differ in given names of two sexes:
    the words each has and the other lacks all name one sex, and not the same one.

    >>> opposite(np.array(["king robert", "smith steve", "james mary", "kelly smith"], dtype=object),
    ...          np.array(["king roberta", "smith steven", "james marie", "michelle smith"], dtype=object)).tolist()
    [True, False, False, False]
    """
    table = _table()
    out = np.zeros(len(a), dtype=bool)
    for i, (x, y) in enumerate(zip(a.tolist(), b.tolist())):
        if isinstance(x, str) and isinstance(y, str):
            wx, wy = set(x.split()), set(y.split())
            sx, sy = {table.get(w) for w in wx - wy}, {table.get(w) for w in wy - wx}
            out[i] = len(sx) == len(sy) == 1 and None not in sx | sy and sx != sy
    return out


def build(male: str, female: str) -> str:
    """The CSV from the census files (name, percent of that sex, cumulative, rank)."""
    def shares(path: str) -> dict[str, float]:
        with open(path, encoding="ascii") as f:
            return {line.split()[0].lower(): float(line.split()[1]) for line in f if line.strip()}
    m, f = shares(male), shares(female)
    rows = []
    for name in sorted(set(m) | set(f)):
        a, b = m.get(name, 0.0), f.get(name, 0.0)
        if a >= DOMINANT * b and a >= COMMON:
            rows.append(f"{name},m")
        elif b >= DOMINANT * a and b >= COMMON:
            rows.append(f"{name},f")
    return "name,sex\n" + "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(build(sys.argv[1], sys.argv[2]))
