import threading

import pytest

from sheetkit.parallel import cores, run_all


def test_results_come_back_in_the_order_of_the_jobs_not_the_order_they_finish_in():
    second_done = threading.Event()

    def first():
        assert second_done.wait(timeout=10)  # both run at once: the first finishes last
        return "first"

    def second():
        second_done.set()
        return "second"

    assert run_all([first, second], workers=2) == ["first", "second"]
    assert cores() >= 1


def test_a_failing_job_raises_where_the_jobs_were_run():
    def broken():
        raise ValueError("bad column")

    for workers in (1, 2):
        with pytest.raises(ValueError, match="bad column"):
            run_all([lambda: 1, broken], workers=workers)
