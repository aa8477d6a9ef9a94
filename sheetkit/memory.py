"""Give memory the run has let go back to the system between stages, and keep it within one.

glibc keeps freed memory in its heaps for reuse, and a heap that a later allocation pins
cannot shrink: a weekly run at 1,048,575 rows, which reads last week's million records
first and lets them go, ended up to 550 MiB above the first run's peak with no more data
alive (benchmarks/README.md, "The weekly run at 1M"). ``malloc_trim`` returns the free
pages of every heap, Arrow's pool its unused blocks; a few milliseconds a stage.

Within a stage the opposite holds. A page given back and asked for again is a page fault
and a page of zeros from the kernel, and on a virtual machine that returns free memory to
its host, far more: dedupe at 1M rows spent a third of its time in the kernel, most of it
zeroing pages glibc had just given back (a column of a million records is 8 MB; glibc
returns a heap's free top once it passes 64 MiB). ``kept_within`` lets the heaps keep what
is freed until the stage ends.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

# mallopt's parameters (malloc.h) and glibc's largest mmap threshold on 64-bit systems
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MMAP_MAX = 32 << 20
_INT_MAX = 2**31 - 1


@cache
def _glibc(name: str):
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return getattr(libc, name)  # glibc's: musl has no malloc_trim
    except (OSError, AttributeError):
        return None


@contextmanager
def kept_within(limit: int = 1 << 30) -> Iterator[None]:
    """Let glibc keep up to ``limit`` bytes (at most 2 GiB - 1: mallopt takes a C int) of
    freed memory at a heap's top while the block runs, and serve blocks up to 32 MiB from
    its heaps; then give it all back.

    After the block the thresholds stay at mmap 32 MiB and trim 64 MiB: where glibc's own
    adjustment ends once it has freed a block of 32 MiB (set by hand, it adjusts them no
    more). The settings are the process's: one block at a time, not nested. A no-op where
    the C library is not glibc.
    """
    mallopt = _glibc("mallopt")
    if mallopt is None:
        yield
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt(_M_MMAP_THRESHOLD, _MMAP_MAX)
    mallopt(_M_TRIM_THRESHOLD, max(0, min(limit, _INT_MAX)))  # past a C int it would wrap round
    try:
        yield
    finally:
        mallopt(_M_TRIM_THRESHOLD, 2 * _MMAP_MAX)
        release()


def arrow_pool(decay_ms: int = 1000) -> None:
    """Take Arrow's memory from jemalloc, which keeps a freed page ``decay_ms`` before giving
    it back, unless ARROW_DEFAULT_MEMORY_POOL names a pool (a no-op where pyarrow has no jemalloc).

    pyarrow's own default, mimalloc, gives freed pages back within milliseconds, and the
    run's Arrow columns are made and freed step after step: through the CLI at 1,048,575
    rows (blind list, two runs each) dedupe took 54 s against 60-67 s and the whole run
    225-241 s against 236-255 s, with a peak 100 MiB lower. glibc's pool (``system``) was
    as fast but peaked 130-300 MiB higher. ``release`` still hands everything back at
    each stage's end. For the process: the CLI calls it, a library user chooses their own.
    """
    import pyarrow as pa

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # built without it (Windows)
        return
    pa.set_memory_pool(pool)
    pa.jemalloc_set_decay_ms(decay_ms)


def small_pages() -> None:
    """Stop numpy asking the kernel for 2 MiB pages under its large arrays, unless
    NUMPY_MADVISE_HUGEPAGE says what to do (numpy reads it at import).

    numpy advises transparent huge pages for every array of 4 MiB and more
    (https://numpy.org/doc/stable/reference/global_state.html). A run makes and frees such
    arrays stage after stage, and each new one is a fault that zeroes whole huge pages: in
    dedupe at 1,048,575 rows (blind list) the kernel's zeroing of huge pages was 16 % of
    all samples (perf). Without the advice, ``find_duplicates`` took 31.6-34.7 s against
    38.6-44.8 s with 3 s of system time against 11 s, and the CLI's whole run 41 s of
    system time against 50-62 s, at the same peak. For the process: the CLI calls it.
    """
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return
    try:  # numpy's own switch for the variable; absent, numpy's default stands
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:
        return
    _set_madvise_hugepage(False)


def release() -> None:
    """Hand freed memory back (a no-op where the C library cannot)."""
    if "pyarrow" in sys.modules:  # not imported for it
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    trim = _glibc("malloc_trim")
    if trim is not None:
        trim(0)
