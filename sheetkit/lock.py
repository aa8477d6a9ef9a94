"""One sheetkit at a time in an output folder.

The lock is an OS lock (``flock``) on ``OUT/.sheetkit.lock``: the kernel releases it when
its process ends, however it ends, so a lock left by a killed run is simply taken over.
The holder writes its pid, host, user and start time into the file for the message a
second run shows. Locks taken again inside the same process (the CLI holds it, then
``write_outputs`` asks) are counted, not taken twice.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import json
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

LOCK_FILE = ".sheetkit.lock"
_held: dict[str, int] = {}  # lock path -> times taken in this process


class FolderBusyError(OutputError):
    """Another sheetkit holds the output folder."""


def holder_info(out_dir: Path) -> dict | None:
    """What the holder (or last holder) of ``out_dir``'s lock wrote: command, pid, host, user
    and start time; None when the file cannot be read."""
    try:
        return json.loads((Path(out_dir) / LOCK_FILE).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return None


def holder(out_dir: Path) -> str:
    """Who holds (or last held) the lock of ``out_dir``, as words."""
    info = holder_info(out_dir)
    if info is None:
        return "another sheetkit"
    return (f"sheetkit {info.get('command', '')} (pid {info.get('pid', '?')} on {info.get('host', '?')}, "
            f"user {info.get('user', '?')}, since {info.get('started', '?')})").replace("sheetkit  (", "sheetkit (")


@contextmanager
def folder_lock(out_dir: Path, wait: bool = False, command: str = "run",
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of ``out_dir`` for the ``with`` body.

    Args:
        out_dir: an existing output folder.
        wait: wait for the holder to finish rather than stop.
        command: what this process is doing, for another run's message.
        on_wait: called once with the holder's description when waiting.

    Raises:
        FolderBusyError: another process holds it and ``wait`` is False.
        OutputError: the lock file cannot be made.
    """
    path = Path(out_dir) / LOCK_FILE
    key = str(path.resolve())
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot lock the output folder {out_dir}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = holder(out_dir)
            if not wait:
                raise FolderBusyError(f"{out_dir} is in use by {who}; try again when it is done, "
                                      "or add --wait to wait for it") from None
            if on_wait:
                on_wait(who)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "user": current_user(),
                                 "command": command, "started": now_text()}).encode("utf-8"))
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
    finally:
        os.close(fd)  # releases the lock


def current_user() -> str:
    """The OS user running sheetkit."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return str(os.getuid())


def now_text() -> str:
    """The local time now, to the second, with its UTC offset."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
