"""Work grows linearly with rows: a guard the suite can afford (counts work, never seconds).

Generated customer sheets (benchmarks/generate.py, seeded) of 5,000 and 20,000 rows go
through the pipeline; candidate pairs per row must not grow with the size, or the
1,048,576-row case is out of reach long before a timer shows it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sheetkit import PipelineConfig, read_sources, run_pipeline
from sheetkit.stages.dedupe import candidate_pairs

# A frame of thousands of column blocks makes every column added to it slow (pandas warns):
# a wide sheet must not leave one behind for the stages after it.
pytestmark = pytest.mark.filterwarnings("error::pandas.errors.PerformanceWarning")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def work(tmp_path_factory, schema):
    counts = {}
    for rows in (5_000, 20_000):
        path = tmp_path_factory.mktemp("scale") / f"c{rows}.csv"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--rows", str(rows), "--csv",
                        "--out", str(path), "--quiet"], check=True, capture_output=True, timeout=300)
        sources = read_sources([path])
        result = run_pipeline(sources.grids, schema, PipelineConfig(), pd.Timestamp("2024-12-31"), sources.files)
        records = result.records.drop(columns="customer_id")
        counts[rows] = {"lineage": len(result.lineage), "candidates": len(candidate_pairs(records, PipelineConfig())),
                        "review": len(result.review), "customers": len(result.customers)}
    return counts


def test_every_row_is_accounted_for_at_scale(work):
    for rows, c in work.items():
        assert c["lineage"] == rows + 1  # the header's line too


def test_candidate_pairs_per_row_do_not_grow_with_the_sheet(work):
    small, large = work[5_000]["candidates"] / 5_000, work[20_000]["candidates"] / 20_000
    assert large <= small * 1.5, f"candidate pairs per row: {small:.2f} at 5k, {large:.2f} at 20k"


def test_review_pairs_stay_a_small_share_of_rows(work):
    # Same-name pairs grow with a sheet until a name is common enough to stop being a
    # blocking key (config.common_name_records), so this bound is absolute, not a ratio.
    assert work[20_000]["review"] / 20_000 <= 0.1


def test_customers_per_row_are_stable(work):
    small, large = work[5_000]["customers"] / 5_000, work[20_000]["customers"] / 20_000
    assert abs(large - small) < 0.05


def _wide_run(tmp_path, schema, extra_columns, monkeypatch):
    """Run a 5-row sheet with ``extra_columns`` unmapped columns; count the frame column inserts."""
    from sheetkit import write_outputs

    path = tmp_path / f"wide{extra_columns}.csv"
    header = ["姓名", "电话"] + [f"备注{i}" for i in range(extra_columns)]
    rows = [[f"张{r}", f"1381234567{r}"] + [f"v{r}-{i}" if i % 2 else "" for i in range(extra_columns)]
            for r in range(5)]
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    inserts = [0]
    setitem, insert = pd.DataFrame.__setitem__, pd.DataFrame.insert

    def counted(original):
        def wrapper(self, *args, **kwargs):
            inserts[0] += 1
            return original(self, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(pd.DataFrame, "__setitem__", counted(setitem))
    monkeypatch.setattr(pd.DataFrame, "insert", counted(insert))
    sources = read_sources([path])
    result = run_pipeline(sources.grids, schema, PipelineConfig(), pd.Timestamp("2024-12-31"), sources.files)
    write_outputs(result, tmp_path / f"out{extra_columns}")
    monkeypatch.undo()
    return result, inserts[0]


def test_a_sheet_of_thousands_of_columns_costs_no_work_per_column(tmp_path, schema, monkeypatch):
    # 16,384 columns once took over ten minutes: each column was inserted into frames one at a time
    narrow, few = _wide_run(tmp_path, schema, 100, monkeypatch)
    wide, many = _wide_run(tmp_path, schema, 3_000, monkeypatch)
    assert many <= few + 20, f"{many - few} more column inserts for 2,900 more columns"
    assert len(wide.customers) == 5 and wide.customers.shape[1] >= 3_000
    kept = wide.customers.filter(like="备注").notna().sum().sum() + wide.customers["notes"].notna().sum()
    assert kept == 5 * 1_500  # every filled cell kept (备注1 is the notes field)


def test_the_cells_as_written_and_the_previous_records_are_let_go_before_dedupe(tmp_path, schema, monkeypatch):
    # At 1,048,575 rows the sheet's records as written are 290 MiB and the previous run's
    # records 130 MiB: held to the end of a run, a weekly run went over 4 GiB (issue 17).
    import gc
    import weakref

    from sheetkit import pipeline, write_outputs
    from sheetkit.history import read_archived

    sheets, alive = [], {}
    extract = pipeline.extract_sheet

    def watched(grid, *args):
        extracted = extract(grid, *args)
        sheets.append(weakref.ref(extracted.records))
        return extracted

    def progress(stage, rows, seconds):
        if stage == "identify":  # dedupe comes next
            gc.collect()
            alive["sheets"] = sum(ref() is not None for ref in sheets)
            alive["previous"] = len(previous.lineage)

    monkeypatch.setattr(pipeline, "extract_sheet", watched)
    sources = read_sources([ROOT / "examples" / "shop"])
    first = run_pipeline(sources.grids, schema, PipelineConfig(), pd.Timestamp("2024-12-31"), sources.files)
    write_outputs(first, tmp_path / "out")
    previous = read_archived(tmp_path / "out")
    assert len(previous.lineage) > 0
    sources = read_sources([ROOT / "examples" / "shop"])
    second = run_pipeline(sources.grids, schema, PipelineConfig(), pd.Timestamp("2024-12-31"), sources.files,
                          progress=progress, previous=previous)
    assert len(sheets) >= 2 * 4 and alive == {"sheets": 0, "previous": 0}
    assert second.previous["customers before"] == first.customers["customer_id"].nunique()
    assert list(second.customers["customer_id"]) == list(first.customers["customer_id"])
