import os
import signal
import subprocess
import sys
import threading
import time
import types

import pytest

from sheetkit.parallel import cores, processes_allowed, run_all


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


def test_ctrl_c_in_a_job_ends_the_jobs_without_waiting_for_the_others():
    release, finished = threading.Event(), threading.Event()

    def slow():  # a column still being worked on
        release.wait(timeout=30)
        finished.set()

    def pressed():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_all([slow, pressed], workers=2)
    assert not finished.is_set()  # the run did not wait for it
    release.set()


@pytest.mark.parametrize("script, allowed", [
    ("from sheetkit import run_pipeline\nrun_pipeline(...)\n", False),  # its work would run again in every worker
    ("from sheetkit import run_pipeline\n\nif __name__ == '__main__':\n    run_pipeline(...)\n", True),
    ('import sys\nfrom sheetkit.cli import main\nif __name__ == "__main__":\n    sys.exit(main())\n', True),  # pip's script
])
def test_worker_processes_start_only_where_the_main_script_is_not_run_again(tmp_path, monkeypatch, script, allowed):
    path = tmp_path / "job.py"
    path.write_text(script, encoding="utf-8")
    main = types.ModuleType("__main__")
    main.__file__ = str(path)
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert processes_allowed() is allowed
    del main.__file__  # python -c, a notebook: nothing to import again
    assert processes_allowed()


def test_worker_processes_end_when_a_killed_run_leaves_them(tmp_path):
    script = tmp_path / "run.py"
    script.write_text(
        "import os, time\n"
        "from sheetkit.parallel import process_pool\n"
        "if __name__ == '__main__':\n"
        "    pool = process_pool(2)  # as the phone parser makes its workers\n"
        "    pids = {pool.submit(os.getpid).result() for _ in range(20)}\n"
        "    print(' '.join(map(str, pids)), flush=True)\n"
        "    time.sleep(60)\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert workers and all(_alive(p) for p in workers)
    proc.send_signal(signal.SIGKILL)  # as kill -9 ends a run
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers)


def _alive(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)  # not our child: raises; a zombie of ours would be reaped
    except ChildProcessError:
        pass
    try:
        with open(f"/proc/{pid}/status") as f:
            return "\nState:\tZ" not in f.read()
    except FileNotFoundError:
        return False
