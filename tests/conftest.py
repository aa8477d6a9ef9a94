"""Shared fixtures: the bundled schema, a fixed as-of date, record builders, the shop run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sheetkit import PipelineConfig, load_schema, read_sources, run_pipeline
from sheetkit.resources import default_schema_path
from sheetkit.workbook import SheetGrid

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop"
AS_OF = pd.Timestamp("2024-12-31")


@pytest.fixture(scope="session")
def schema():
    return load_schema(default_schema_path())


@pytest.fixture(scope="session")
def config():
    return PipelineConfig()


@pytest.fixture(scope="session")
def as_of():
    return AS_OF


def make_grid(rows: list[list[object]], file: str = "book.xlsx", sheet: str = "Sheet1",
              first_row: int = 1) -> SheetGrid:
    """A sheet as read: text cells indexed by Excel row number."""
    width = max((len(r) for r in rows), default=0)
    cells = pd.DataFrame([[None if v in (None, "") else str(v) for v in r] + [None] * (width - len(r))
                          for r in rows], dtype=object)
    cells.index = pd.RangeIndex(first_row, first_row + len(cells))
    return SheetGrid(file, sheet, cells)


def make_records(rows: list[dict], file: str = "book.xlsx", sheet: str = "Sheet1") -> pd.DataFrame:
    """Extracted records (raw text per field) with provenance, rows numbered from 2."""
    frame = pd.DataFrame(rows).astype(object)
    frame = frame.where(frame.notna(), None)
    frame.insert(0, "source_row", range(2, 2 + len(frame)))
    frame.insert(0, "source_sheet", sheet)
    frame.insert(0, "source_file", file)
    return frame


def run_rows(rows: list[list[object]], schema, config=None, as_of=AS_OF):
    """The whole pipeline on one sheet given as rows (header included)."""
    return run_pipeline([make_grid(rows)], schema, config or PipelineConfig(), as_of)


@pytest.fixture(scope="session")
def shop_truth():
    return json.loads((ROOT / "examples" / "expected" / "shop" / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shop_result(schema):
    sources = read_sources([SHOP])
    return run_pipeline(sources.grids, schema, PipelineConfig(), AS_OF, sources.files)


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch):
    """The CLI speaks SHEETKIT_LANG or the locale's language when not told (--lang, config);
    tests expect English unless they choose, whatever the machine running them says."""
    for var in ("SHEETKIT_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
