"""Memory a stage frees is reused within it and given back when it ends (sheetkit/memory.py)."""

import os
import platform
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux" or platform.libc_ver()[0] != "glibc",
                                reason="glibc's malloc settings only")

CHURN = textwrap.dedent("""
    import ctypes
    import resource
    import numpy as np
    from sheetkit.memory import kept_within

    # pages of 4 KiB, counted one fault each: with transparent huge pages always on, a
    # fault would bring in 512 of them and the counts below would say little
    ctypes.CDLL(None).prctl(41, 1, 0, 0, 0)  # PR_SET_THP_DISABLE

    def rss():
        return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS"))

    def churn():
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(6):  # a stage's columns of a million records: made, used, let go, made again
            columns = [np.ones(1 << 20) for _ in range(12)]
            del columns
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

    churn()
    base = rss()
    outside = churn()
    with kept_within():
        churn()
        inside = churn()
        held = rss()
    print(outside, inside, base, held, rss())
""")


def test_a_stage_reuses_the_memory_it_frees_and_gives_it_back_when_it_ends():
    # Each page glibc gives back and takes again is a fault and a page of zeros from the kernel.
    env = {k: v for k, v in os.environ.items()  # glibc as it comes: no tunables, no other malloc
           if not k.startswith("MALLOC_") and k not in ("GLIBC_TUNABLES", "LD_PRELOAD")}
    done = subprocess.run([sys.executable, "-c", CHURN], capture_output=True, text=True, check=True, env=env)
    outside, inside, base, held, after = map(int, done.stdout.split())
    assert outside > 10_000  # 96 MB freed at once leaves glibc's heap: faulted in again each round
    assert inside < outside / 100  # kept: reused without asking the kernel
    assert held - base > 50_000  # KiB: within the block the freed columns stay with the process
    assert after - base < 20_000  # and when it ends they go back


# What the process is left with once the command has started: Arrow's pool, numpy's advice.
AFTER_MAIN = textwrap.dedent("""
    import sys
    import numpy as np
    import pyarrow as pa
    from sheetkit.cli import main
    sys.argv = ["sheetkit", "--version"]
    try:
        main()
    except SystemExit:
        pass
    print(pa.default_memory_pool().backend_name, np._core.multiarray._get_madvise_hugepage())
""")


def after_main(unset: str, chosen: str | None) -> tuple[str, str]:
    """(Arrow's pool, numpy's huge-page advice) after ``main`` ran with ``unset`` absent from
    the environment, or set to ``chosen``."""
    env = {k: v for k, v in os.environ.items() if k != unset}
    if chosen:
        env[unset] = chosen
    done = subprocess.run([sys.executable, "-c", AFTER_MAIN], capture_output=True, text=True, check=True, env=env)
    pool, pages = done.stdout.split()[-2:]
    return pool, pages


@pytest.mark.parametrize("chosen", [None, "system"])
def test_the_cli_takes_arrows_memory_from_jemalloc_unless_the_user_chose_a_pool(chosen):
    # mimalloc gives freed pages back within milliseconds; a run makes and frees its Arrow columns step after step
    pa = pytest.importorskip("pyarrow")
    if "jemalloc" not in pa.supported_memory_backends():
        pytest.skip("this pyarrow was built without jemalloc")
    assert after_main("ARROW_DEFAULT_MEMORY_POOL", chosen)[0] == (chosen or "jemalloc")


@pytest.mark.parametrize("chosen", [None, "1"])
def test_the_cli_stops_numpy_asking_for_huge_pages_unless_the_user_chose(chosen):
    # each array of 4 MiB and more made and freed would be zeroed a huge page at a time
    assert after_main("NUMPY_MADVISE_HUGEPAGE", chosen)[1] == ("True" if chosen else "False")
