"""Exceptions that stop a run, each saying what failed, where, and what to try.

    SheetkitError                 anything the CLI reports as a one-line message (exit 1)
    ├── SchemaError               the schema file is missing or malformed
    ├── ConfigError               the config file is missing or malformed
    ├── SourceError               a file cannot be read (the pipeline records it and goes on)
    ├── OutputError               the output folder or a file in it cannot be written
    └── PreviousRunError          the previous run's output (--previous) cannot be used

Problems in the data are never exceptions: they are rows of the issues frame.
"""

from __future__ import annotations


class SheetkitError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""


class SchemaError(SheetkitError):
    """The customer schema file is missing or not valid."""


class ConfigError(SheetkitError):
    """The config file (sheetkit.toml) is missing or not valid."""


class SourceError(SheetkitError):
    """An input file cannot be read; ``path`` names it and the message says why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class OutputError(SheetkitError):
    """The output folder or a file in it cannot be written."""


class PreviousRunError(SheetkitError):
    """The previous run's output, read for decisions and customer IDs, cannot be used."""
