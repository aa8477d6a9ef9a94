"""Independent column jobs on the machine's cores.

Threads, not processes: the heavy part of most column jobs runs in Arrow and pandas
code that lets go of the GIL, and threads share the columns instead of
copying them to another process. Jobs must not change anything they share.
Pure-Python work on many values (libphonenumber) goes to processes, where
``processes_allowed`` says starting them is harmless.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import (
    FIRST_EXCEPTION,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from . import interrupt

T = TypeVar("T")


def cores() -> int:
    """The cores this process may run on: its CPU affinity (a container's cpuset), not the
    host's count. A CPU quota (``docker --cpus``) does not show here."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def run_all(jobs: Sequence[Callable[[], T]], workers: int | None = None) -> list[T]:
    """Call every job; on up to ``workers`` threads (default: one per core).

    Args:
        jobs: functions without arguments, independent of each other.
        workers: at most this many at once; with one, the jobs run here, one after another.

    Returns:
        Each job's result, in the order of ``jobs`` (not the order they finish in).

    Raises:
        Whatever the first failing job (in the order of ``jobs``) raised.

    >>> run_all([lambda: "a", lambda: "b"], workers=2)
    ['a', 'b']
    """
    workers = min(workers or cores(), len(jobs))
    if workers <= 1:
        return [job() for job in jobs]
    pool = ThreadPoolExecutor(workers, thread_name_prefix="sheetkit")
    interrupted = False
    try:
        futures = [pool.submit(job) for job in jobs]
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        if any(isinstance(f.exception(), KeyboardInterrupt) for f in done):
            raise KeyboardInterrupt
        return [f.result() for f in futures]
    except KeyboardInterrupt:  # Ctrl-C ends the run now, not when the columns still running are done
        interrupted = True
        raise
    finally:
        pool.shutdown(wait=not interrupted, cancel_futures=interrupted)


def beside(job: Callable[[], T], name: str) -> Future:
    """Start ``job`` on a thread of its own now; ``.result()`` waits for it and raises what
    it raised. For reads that let go of the GIL (SQLite, Arrow) while the run goes on."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    future = pool.submit(job)
    pool.shutdown(wait=False)  # the thread ends with the job; nothing waits for it here
    return future


_GUARD = re.compile(r"""if\s+__name__\s*==\s*['"]__main__['"]""")


def processes_allowed() -> bool:
    """Whether this program may start worker processes ("spawn").

    A spawned process imports the program's main script again. That is harmless for the
    ``sheetkit`` command, ``python -m``, ``python -c`` and notebooks, and for a script
    whose work starts under ``if __name__ == "__main__":``; a script without that guard
    would run its whole work again in every worker, so then no process is started.
    """
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name.endswith("__main__"):  # python -m package: not imported again
        return True
    path = getattr(main, "__file__", None)
    if not path:  # python -c, an interactive session, a notebook: nothing to import again
        return True
    try:
        return bool(_GUARD.search(open(path, encoding="utf-8", errors="replace").read()))
    except OSError:
        return False


def process_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes (``spawn``: forking a process whose other threads may hold a lock is
    not safe) that end with the run and leave Ctrl-C to it; see ``processes_allowed``.

    Raises:
        OSError: where no process can be started (a sandbox, a frozen app).
    """
    # A run ended by Ctrl-C leaves the pool's queue semaphores to multiprocessing's resource
    # tracker, which removes them and then prints a Python warning on the terminal; it takes
    # its warning options from this list when it starts.
    if _QUIET_TRACKER not in sys.warnoptions:
        sys.warnoptions.append(_QUIET_TRACKER)
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=end_with_parent)


_QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"


def in_processes(fn: Callable[..., T], chunks: Sequence, *args, workers: int) -> list[T] | None:
    """``fn(chunk, *args)`` of each chunk on ``workers`` processes, in the chunks' order; None
    where no process may start (``processes_allowed``) or can (a sandbox, a worker killed for
    memory): the caller then does the work itself. Ctrl-C stops handing out chunks at once.
    ``fn`` must be a module-level function (the workers import it)."""
    if workers < 2 or not processes_allowed():
        return None
    try:
        pool = process_pool(workers)
    except OSError:
        return None
    try:
        with _ctrl_c_blocked():  # the workers start during submit, before they can ignore Ctrl-C
            parts = [pool.submit(fn, chunk, *args) for chunk in chunks]
        while wait(parts, timeout=0.2).not_done:
            interrupt.check()  # the workers ignore Ctrl-C: the run stops now, not when they are done
        return [part.result() for part in parts]
    except (BrokenProcessPool, OSError):
        return None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # after Ctrl-C the run ends, and they with it


@contextlib.contextmanager
def _ctrl_c_blocked():
    """SIGINT blocked in this thread: a process started now inherits the block through exec,
    so Ctrl-C cannot end it (with a traceback) while it imports sheetkit; the run's other
    threads still take Ctrl-C, and a pending one arrives here when the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def end_with_parent() -> None:
    """In a worker process: end it when the process that started it ends.

    A pool's workers hold both ends of its task queue, so a run killed with ``kill -9``
    would leave them waiting for work for ever (two processes of 175 MB, seen at 1M rows).
    They ignore Ctrl-C: the run stops giving them work and ends, and they end with it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle: it stops asking for work
    parent = multiprocessing.parent_process()
    if parent is not None:
        def watch() -> None:
            parent.join()  # returns when the parent's end of its sentinel pipe closes
            os._exit(1)

        threading.Thread(target=watch, daemon=True, name="sheetkit-parent-watch").start()
