import threading

import pytest

from sheetkit.parallel import cores, run_all


def test_results_come_back_in_the_order_of_the_jobs_whatever_finishes_first():
    started = threading.Barrier(2, timeout=10)

    def slow():
        started.wait()  # both jobs run at once, or this times out
        return "slow"

    def fast():
        started.wait()
        return "fast"

    assert run_all([slow, fast], workers=2) == ["slow", "fast"]
    assert cores() >= 1


def test_a_failing_job_raises_where_the_jobs_were_run():
    def broken():
        raise ValueError("bad column")

    with pytest.raises(ValueError, match="bad column"):
        run_all([lambda: 1, broken], workers=2)
    assert run_all([lambda: 1, lambda: 2], workers=1) == [1, 2]
