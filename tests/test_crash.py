"""Crash safety of the output set and the folder lock, on real processes.

A run is killed (SIGKILL, as ``kill -9``) at named moments and at random ones; writes
fail as on a full disk. Whatever happens, once the next sheetkit command has tidied the
folder it holds the previous set (workbook, report, archive) as it was or the new set
whole, no debris, and no second history copy of one output.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.outputset import sha256

pytestmark = pytest.mark.slow
HEADER = ["姓名", "手机", "邮箱"]


def book(path: Path, n: int, week: int) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    for i in range(n):
        wb.active.append([f"客户{i}", f"138{i:08d}", f"c{i}-{week if i == 0 else 0}@qq.com"])
    wb.save(path)


def sheetkit(*args: str, env: dict | None = None, wait: bool = True) -> subprocess.Popen | subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "sheetkit", *args]
    full_env = {**os.environ, **(env or {})}
    if wait:
        return subprocess.run(cmd, env=full_env, capture_output=True, text=True, timeout=300)
    return subprocess.Popen(cmd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def state(out: Path) -> dict:
    """The folder's set: the outputs' sha256 and the archive's finished runs."""
    with sqlite3.connect(out / "archive.sqlite") as con:
        runs = [r for (r,) in con.execute("SELECT run_id FROM runs WHERE status = 'done' ORDER BY run_id")]
        recorded = dict(con.execute("SELECT name, sha256 FROM outputs WHERE run_id = ?", (runs[-1],)).fetchall())
    return {"runs": runs, "recorded": recorded,
            "files": {n: sha256(out / n) for n in ("cleaned.xlsx", "report.html")}}


def debris(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")
                  if p.name.endswith(".part") or ".sheetkit-staging" in p.parts)


@pytest.fixture
def week1(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    book(inputs / "a.xlsx", 300, 1)
    done = sheetkit("run", str(inputs), "-o", str(out), "--as-of", "2024-12-31", "-q")
    assert done.returncode == 0, done.stderr
    book(inputs / "a.xlsx", 300, 2)  # next week: one e-mail changed
    return inputs, out, state(out)


def check_whole(out: Path, before: dict) -> dict:
    """After the next command has tidied: the old set or the new one, whole, and no debris."""
    log = sheetkit("log", str(out))
    assert log.returncode == 0, log.stderr
    now = state(out)
    assert now["files"] == now["recorded"], "the workbook and report are not the set the archive records"
    assert now == before or now["runs"] == before["runs"] + [before["runs"][-1] + 1]
    assert debris(out) == []
    return now


@pytest.mark.parametrize("point", ["workbook-written", "staged", "recorded", "before-moving-cleaned.xlsx",
                                   "before-moving-report.html"])
def test_a_run_killed_at_each_moment_leaves_one_whole_set(week1, point):
    inputs, out, before = week1
    killed = sheetkit("run", str(inputs), "-o", str(out), "--as-of", "2025-01-07", "-q",
                      env={"SHEETKIT_TEST_KILL_AT": point})
    assert killed.returncode == -signal.SIGKILL
    now = check_whole(out, before)
    # killed once the run was recorded, it is finished; before, it never happened
    assert (now["runs"] == [1, 2]) == (point in ("recorded", "before-moving-cleaned.xlsx",
                                                  "before-moving-report.html"))
    again = sheetkit("run", str(inputs), "-o", str(out), "--as-of", "2025-01-07", "-q")
    assert again.returncode == 0, again.stderr
    copies = sorted((out / "history").iterdir())
    kept = {sha256(c / "cleaned.xlsx") for c in copies}
    assert len(kept) == len(copies), "the same output was kept twice in history/"
    assert before["files"]["cleaned.xlsx"] in kept, "last week's workbook was lost"


def test_runs_killed_at_random_moments_leave_one_whole_set(week1):
    inputs, out, before = week1
    rng = random.Random(17)
    for _ in range(4):
        proc = sheetkit("run", str(inputs), "-o", str(out), "--as-of", "2025-01-07", "-q", wait=False)
        time.sleep(rng.uniform(0.5, 4.0))
        proc.kill()
        proc.communicate()
        before = check_whole(out, before)


def test_a_second_run_into_the_folder_stops_at_once_naming_the_holder(week1):
    inputs, out, before = week1
    first = sheetkit("run", str(inputs), "-o", str(out), "--as-of", "2025-01-07", "-q",
                     env={"SHEETKIT_TEST_PAUSE_AT": "recorded"}, wait=False)
    try:
        _wait_for(out / ".sheetkit-staging", lambda _: _recorded(out, 2))
        second = sheetkit("run", str(inputs), "-o", str(out), "--as-of", "2025-01-08", "-q")
        assert second.returncode == 1
        assert f"is in use by sheetkit run (pid {first.pid} on " in second.stderr and "--wait" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
    finally:
        first.kill()
        first.communicate()
    # the holder died: its lock is the kernel's to release, and the next run takes it over
    after = sheetkit("run", str(inputs), "-o", str(out), "--as-of", "2025-01-08", "-q")
    assert after.returncode == 0, after.stderr
    assert state(out)["runs"] == [1, 2, 3]


def test_two_runs_started_together_never_both_write(week1):
    inputs, out, before = week1
    procs = [sheetkit("run", str(inputs), "-o", str(out), "--as-of", day, "-q", *extra, wait=False)
             for day, extra in (("2025-01-07", ["--wait"]), ("2025-01-08", ["--wait"]))]
    results = [p.communicate() + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0, 0], results
    now = state(out)
    assert now["runs"] == [1, 2, 3] and now["files"] == now["recorded"]
    with sqlite3.connect(out / "archive.sqlite") as con:
        as_of = [a for (a,) in con.execute("SELECT as_of FROM runs ORDER BY run_id")]
    assert sorted(as_of[1:]) == ["2025-01-07", "2025-01-08"]  # one after the other, each on the other's output


def _wait_for(path: Path, ok, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists() and ok(path):
            return
        time.sleep(0.1)
    raise AssertionError(f"{path} never came")


def _recorded(out: Path, run_id: int) -> bool:
    try:
        with sqlite3.connect(out / "archive.sqlite") as con:
            return con.execute("SELECT count(*) FROM runs WHERE run_id = ?", (run_id,)).fetchone()[0] == 1
    except sqlite3.Error:
        return False


def test_a_report_that_cannot_be_written_replaces_nothing(week1, monkeypatch):
    inputs, out, before = week1
    import sheetkit.output as output

    def full(path, text, encoding="utf-8"):
        raise output.OutputError(f"cannot write {path}: No space left on device")

    monkeypatch.setattr(output, "write_text_atomic", full)
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "--as-of", "2025-01-07", "-q"])
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert state(out) == before and debris(out) == []


def test_an_archive_that_cannot_be_written_replaces_nothing(week1, monkeypatch):
    inputs, out, before = week1
    import sheetkit.archive as archive

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(archive, "record_run", full)
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "--as-of", "2025-01-07", "-q"])
    assert result.exit_code == 1 and "database or disk is full" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert state(out) == before and debris(out) == []


def test_a_temporary_folder_that_cannot_be_written_is_one_line_not_a_traceback(week1):
    inputs, out, before = week1
    # The Rust workbook writer keeps each sheet in TMPDIR while writing it; a missing folder
    # fails there as a full one does (it panics on either).
    result = sheetkit("run", str(inputs), "-o", str(out), "--as-of", "2025-01-07", "-q",
                      env={"TMPDIR": str(out.parent / "no-such-folder")})
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Error: cannot write ") and "temporary folder" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert state(out) == before and debris(out) == []


def _file_size_limit(limit: int):
    """In the child: no file may grow past ``limit`` bytes, and a write past it fails
    (EFBIG) rather than killing the process: a disk that fills while sheetkit writes."""
    def apply() -> None:
        import resource
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="POSIX file-size limits")
def test_a_disk_that_fills_at_any_point_of_the_writing_leaves_one_whole_set(week1):
    # Real writes failing where they happen, not a patched function: a limit on file size
    # makes the first file to pass it fail as on a full disk (here the report, or the Rust
    # writer's temporary sheet; the archive's failure is the patched test above).
    inputs, out, before = week1
    sizes = sorted(p.stat().st_size for p in (out / "cleaned.xlsx", out / "report.html", out / "archive.sqlite"))
    failed = 0
    for limit in (1_024, sizes[0] // 2, sizes[1] + 1, sizes[2] // 2, 10**8):
        cmd = [sys.executable, "-m", "sheetkit", "run", str(inputs), "-o", str(out), "--as-of", "2025-01-07", "-q"]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False,
                             preexec_fn=_file_size_limit(limit))
        assert run.returncode in ((0,) if limit == 10**8 else (0, 1)), run.stderr
        if run.returncode == 1:
            failed += 1
            lines = run.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: cannot write ") and "Traceback" not in run.stderr
            assert ".sheetkit-staging" not in lines[0] and "no output was replaced" in lines[0], lines[0]
        before = check_whole(out, before)
    assert failed >= 3, "the limits were meant to stop most of these runs"
    assert len(before["runs"]) == 2, "the run with room to write was not recorded"
