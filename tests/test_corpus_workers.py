"""run_shared: work shared between this process and worker processes."""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from analysis.corpus import run_shared
from analysis.corpus.workers import start_method

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
_READY = None  # set by _get_ready: in a forked worker, inherited from this process


def _wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def _square(item: tuple[int, int, str]) -> tuple[int, int]:
    """x * x and the pid that computed it; this process waits until a worker has
    done an item, so that both take part however slowly the worker starts."""
    x, parent, flag = item
    if os.getpid() != parent:
        Path(flag).touch()
        if x == 7:
            os._exit(7)  # a worker dying with an item it claimed
    else:
        _wait_for(Path(flag))
        time.sleep(0.02)  # the worker gets to 7 long before this process does
    return x * x, os.getpid()


def _interrupted(item: tuple[int, int, str]) -> int:
    x, parent, flag = item
    if os.getpid() == parent:
        _wait_for(Path(flag))
        raise KeyboardInterrupt
    Path(flag).touch()
    time.sleep(0.05)
    return x


def test_work_is_shared_ordered_and_finished_when_a_worker_dies(tmp_path, caplog):
    items = [(x, os.getpid(), str(tmp_path / "worker-started")) for x in range(30)]
    done = []
    results = run_shared(_square, items, 1, done=done.append, setup=(tmp_path / "setup-ran").touch)
    assert (tmp_path / "setup-ran").exists()  # before the worker's first item (here, if it was forked)
    assert [r for r, _ in results] == [x * x for x in range(30)]
    pids = [pid for _, pid in results]
    # The worker took items from the front and died at 7 (its results not yet sent are
    # lost with it); this process took the rest from the back and redid the lost ones.
    assert set(pids[7:]) == {os.getpid()}
    assert len(set(pids)) <= 2
    assert sorted(done) == list(range(30))
    assert caplog.text.count("a worker process died (exit code 7); redoing its") == 1
    assert not mp.active_children()


def test_an_interrupt_stops_the_workers(tmp_path):
    items = [(x, os.getpid(), str(tmp_path / "worker-started")) for x in range(200)]
    with pytest.raises(KeyboardInterrupt):
        run_shared(_interrupted, items, 1)
    time.sleep(0.5)
    assert not [p for p in mp.active_children() if p.is_alive()]


@pytest.mark.parametrize("n_items, n_workers", [(0, 2), (1, 2), (5, 0)])
def test_too_little_work_for_workers_runs_here(n_items, n_workers):
    assert run_shared(abs, [-x for x in range(n_items)], n_workers) == list(range(n_items))


def test_a_worker_not_needed_any_more_is_not_waited_for():
    """This process finishes three quick items long before a worker process is up:
    the worker is stopped, not waited for, and nothing is left running."""
    t0 = time.perf_counter()
    assert run_shared(abs, [-1, -2, -3], 1) == [1, 2, 3]
    assert time.perf_counter() - t0 < 5
    assert not [p for p in mp.active_children() if p.is_alive()]


def _get_ready(log: str) -> None:
    global _READY
    with open(log, "a") as f:
        f.write(f"{os.getpid()}\n")
    _READY = os.getpid()


def _who(item: tuple[int, int, str]) -> tuple[int, int | None]:
    """(pid that did the item, pid whose setup this process has); this process waits for a worker."""
    x, parent, flag = item
    if os.getpid() != parent:
        Path(flag).touch()
    else:
        _wait_for(Path(flag))
    return os.getpid(), _READY


def _shared_with_a_worker(tmp_path) -> tuple[list, list[int]]:
    global _READY
    _READY = None
    log = tmp_path / "setup.log"
    items = [(x, os.getpid(), str(tmp_path / "worker-started")) for x in range(6)]
    results = run_shared(_who, items, 1, setup=functools.partial(_get_ready, str(log)))
    return results, [int(line) for line in log.read_text().split()]


def _others() -> list[str]:
    return [t.name for t in threading.enumerate() if t is not threading.current_thread()]


@linux
def test_workers_are_forked_after_setup_ran_here(tmp_path):
    if _others():
        pytest.skip(f"threads left running by other tests: {_others()}")
    assert start_method() == "fork"
    results, setups = _shared_with_a_worker(tmp_path)
    assert setups == [os.getpid()]  # once, in this process: the worker inherited what it loaded
    workers = {pid for pid, _ in results} - {os.getpid()}
    assert len(workers) == 1
    assert {ready for _, ready in results} == {os.getpid()}
    assert not mp.active_children()


@linux
def test_no_fork_while_a_thread_runs(tmp_path):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert start_method() == "forkserver"
        results, setups = _shared_with_a_worker(tmp_path)
    finally:
        stop.set()
        thread.join()
    worker = ({pid for pid, _ in results} - {os.getpid()}).pop()
    assert setups == [worker]  # the worker got ready itself
    assert {ready for pid, ready in results if pid == worker} == {worker}
    assert start_method() == ("forkserver" if _others() else "fork")  # that thread is gone


def _broken_setup() -> None:
    raise OSError("no dictionary here")


def test_a_failing_setup_leaves_the_items_to_say_what_is_wrong(caplog):
    forked = start_method() == "fork"  # not while another test's thread still runs
    assert run_shared(abs, [-x for x in range(40)], 1, setup=_broken_setup) == list(range(40))
    if forked:  # run here before the fork, and reported
        assert "getting the workers ready failed" in caplog.text and "no dictionary here" in caplog.text
