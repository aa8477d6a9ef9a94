"""What a run records about itself (``RunInfo``) and ``sheetkit log``'s lines."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

import pandas as pd

from . import archive
from .archive import RunInfo
from .lock import current_user, now_text
from .outputset import sha256
from .sources import find_sources


def run_info(paths: tuple[Path, ...] | list[Path], config, schema_path: Path) -> RunInfo:
    """The run's time, user, host, version, settings, schema and inputs (size, mtime, sha256)."""
    from .output import _version

    inputs = []
    for src in find_sources(list(paths)):
        if src.skip:
            continue
        try:
            stat = src.path.stat()
            inputs.append({"path": src.display, "size": stat.st_size, "sha256": sha256(src.path),
                           "mtime": dt.datetime.fromtimestamp(stat.st_mtime).astimezone().isoformat(timespec="seconds")})
        except OSError:  # unreadable: the run reports it when it gets there
            inputs.append({"path": src.display, "size": None, "mtime": None, "sha256": None})
    try:
        schema_sha = sha256(schema_path)
    except OSError:
        schema_sha = ""
    return RunInfo(started_at=now_text(), user=current_user(), host=socket.gethostname(),
                   sheetkit_version=_version(), settings=archive.settings_json(config),
                   schema_sha256=schema_sha, inputs=inputs)


def log_lines(out_dir: Path, as_json: bool = False) -> list[str]:
    """One line per run in ``out_dir``'s archive, oldest first (JSON objects with ``as_json``)."""
    runs = archive.list_runs(out_dir)
    if runs.empty:
        return []
    if as_json:
        keep = [c for c in runs.columns if c not in ("settings", "staging")]
        return [json.dumps({k: (None if pd.isna(v) else v) for k, v in row.items()}, ensure_ascii=False, default=str)
                for row in runs[keep].to_dict("records")]
    lines = [f"{'run':>4}  {'started':<19}  {'user':<10} {'as of':<10} {'status':<7} {'rows':>9} {'customers':>9} "
             f"{'merged':>7} {'review':>6} {'errors':>7} {'warnings':>8} {'health':>6}  inputs"]
    for r in runs.itertuples(index=False):
        health = "" if pd.isna(r.health_score) else f"{r.health_score:.1f}"
        lines.append(f"{r.run_id:>4}  {str(r.started_at)[:19]:<19}  {str(r.user)[:10]:<10} {r.as_of:<10} "
                     f"{r.status:<7} {_n(r.rows):>9} {_n(r.customers):>9} {_n(r.merged_rows):>7} "
                     f"{_n(r.review_pairs):>6} {_n(r.errors):>7} {_n(r.warnings):>8} {health:>6}  "
                     f"{r.inputs if isinstance(r.inputs, str) else ''}")
    return lines


def _n(value) -> str:
    return "" if value is None or pd.isna(value) else f"{int(value):,}"
