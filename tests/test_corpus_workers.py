"""run_shared: work shared between this process and worker processes."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from pathlib import Path

import pytest

from analysis.corpus import run_shared


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
    assert (tmp_path / "setup-ran").exists()  # in the worker, before its first item
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
