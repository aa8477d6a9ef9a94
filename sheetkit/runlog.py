"""What a run records about itself (``RunInfo``) and ``sheetkit log``'s lines (their
headings in the reader's language, the JSON keys always English: scripts read them)."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

import pandas as pd

from . import archive
from .archive import RunInfo
from .lang import Messages, load_messages
from .lock import current_user, now_text
from .outputset import sha256
from .sources import find_sources
from .terminal import display_width, pad


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


# sheetkit log's columns: catalogue key (log.<key>), width, right-aligned, spaces after
_LOG_COLUMNS = [("run", 4, True, 2), ("started", 19, False, 2), ("user", 10, False, 1), ("as_of", 10, False, 1),
                ("status", 7, False, 1), ("rows", 9, True, 1), ("customers", 9, True, 1), ("merged", 7, True, 1),
                ("review", 6, True, 1), ("errors", 7, True, 1), ("warnings", 8, True, 1), ("health", 6, True, 2),
                ("inputs", 0, False, 0)]


def log_lines(out_dir: Path, as_json: bool = False, messages: Messages | None = None) -> list[str]:
    """One line per run in ``out_dir``'s archive, oldest first, under a heading in the
    language of ``messages`` (default English); JSON objects with English keys with ``as_json``."""
    runs = archive.list_runs(out_dir)
    if runs.empty:
        return []
    if as_json:
        keep = [c for c in runs.columns if c not in ("settings", "staging")]
        return [json.dumps({k: (None if pd.isna(v) else v) for k, v in row.items()}, ensure_ascii=False, default=str)
                for row in runs[keep].to_dict("records")]
    say = messages or load_messages("en")
    status = {s: say(f"log.status.{s}") if f"log.status.{s}" in say.texts else s for s in runs["status"].unique()}
    langs = ("zh", "en") if say.lang == "both" else (say.lang,)  # "both": a heading line in each
    rows = [[say.only(lang)(f"log.{key}") for key, *_ in _LOG_COLUMNS] for lang in langs]
    for r in runs.itertuples(index=False):
        rows.append([str(r.run_id), str(r.started_at)[:19], str(r.user)[:10], str(r.as_of), status[r.status],
                     _n(r.rows), _n(r.customers), _n(r.merged_rows), _n(r.review_pairs), _n(r.errors),
                     _n(r.warnings), "" if pd.isna(r.health_score) else f"{r.health_score:.1f}",
                     r.inputs if isinstance(r.inputs, str) else ""])
    widths = [max(width, *(display_width(row[i]) for row in rows)) if width else 0
              for i, (_, width, _, _) in enumerate(_LOG_COLUMNS)]
    return ["".join(pad(cell, width, right) + " " * gap
                    for cell, width, (_, _, right, gap) in zip(row, widths, _LOG_COLUMNS)).rstrip()
            for row in rows]


def _n(value) -> str:
    return "" if value is None or pd.isna(value) else f"{int(value):,}"
