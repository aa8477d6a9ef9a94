"""sheetkit: turn customer spreadsheets into a clean, deduplicated customer archive.

The library core works on DataFrames; the ``sheetkit`` command is a thin layer over it::

    from pathlib import Path
    import pandas as pd
    from sheetkit import PipelineConfig, load_schema, default_schema_path, read_sources, run_pipeline

    sources = read_sources([Path("examples/shop")])
    result = run_pipeline(sources.take_grids(), load_schema(default_schema_path()), PipelineConfig(),
                          pd.Timestamp("2024-12-31"), sources.files)
    result.customers        # one row per customer
"""

from .config import PipelineConfig, Tag, ValueTier, load_config
from .errors import (
    ConfigError,
    OutputError,
    PreviousRunError,
    SchemaError,
    SheetkitError,
    SourceError,
)
from .history import PreviousRun, read_previous
from .output import write_outputs
from .pipeline import PipelineResult, read_sources, run_pipeline
from .resources import default_schema_path, templates_dir
from .rules import RuleError, evaluate, parse_rule
from .schema import Schema, load_schema
from .workbook import SheetGrid, read_workbook

__all__ = [
    "ConfigError", "OutputError", "PipelineConfig", "PipelineResult", "PreviousRun", "PreviousRunError", "RuleError",
    "Schema", "SchemaError", "SheetGrid", "SheetkitError", "SourceError", "Tag", "ValueTier", "default_schema_path",
    "evaluate", "load_config", "load_schema", "parse_rule", "read_previous", "read_sources", "read_workbook",
    "run_pipeline", "templates_dir", "write_outputs",
]
