"""Give memory the run has let go back to the system between stages.

glibc keeps freed memory in its heaps for reuse, and a heap that a later allocation pins
cannot shrink: a weekly run at 1,048,575 rows, which reads last week's million records
first and lets them go, ended up to 550 MiB above the first run's peak with no more data
alive (benchmarks/README.md, "The weekly run at 1M"). ``malloc_trim`` returns the free
pages of every heap, Arrow's pool its unused blocks; a few milliseconds a stage.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim  # glibc only: musl has none
    except (OSError, AttributeError):
        return None


def release() -> None:
    """Hand freed memory back (a no-op where the C library cannot)."""
    if "pyarrow" in sys.modules:  # not imported for it
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
