"""The process pool: a list of batches shared between this process and worker processes.

``batches`` cuts jobs into batches of about ``BATCH_BYTES``; ``run_shared`` runs
them, workers taking batches from the front and this process from the back until
they meet. Nothing here knows what a batch holds.

How workers start (``start_method``): on Linux, by ``fork`` once this process has
run ``setup`` (loaded the dictionaries and resources), so a worker is ready in
milliseconds with everything loaded, shared copy-on-write; but only when no other
Python thread is running, as forking a process with running threads can copy a
lock some thread holds. Elsewhere, or when a thread runs, a fork server (or
``spawn``): each worker imports the package and runs ``setup`` itself, about a
second. (Native thread pools that sit idle, OpenBLAS's, jemalloc's, Arrow's, are
fork-safe: they reset in the child.)
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

# Files are processed in batches of about this many bytes (segmentation and
# entity matching have a fixed cost per call that small files would pay again and again).
BATCH_BYTES = 2_000_000


def batches(items: list, sizes: list[int], n_min: int) -> list[list]:
    """``items`` in order, cut into batches of about ``BATCH_BYTES`` of ``sizes``
    (at least ``n_min`` batches when there are enough items)."""
    limit = max(1, min(BATCH_BYTES, sum(sizes) // max(1, n_min) + 1))
    out, cur, acc = [], [], 0
    for item, size in zip(items, sizes):
        if cur and acc + size > limit:
            out.append(cur)
            cur, acc = [], 0
        cur.append(item)
        acc += size
    if cur:
        out.append(cur)
    return out


def run_shared(work: Callable, items: list, n_workers: int, *, done: Callable[[int], None] | None = None,
               setup: Callable[[], None] | None = None) -> list:
    """``[work(item) for item in items]``, shared between this process and up to
    ``n_workers`` worker processes.

    Workers take items from the front, this process from the back, until they
    meet: this process is one of the workers (one process fewer to start, no
    results to copy back for its items). Workers claim their next item
    themselves (two shared counters) and send results back while going on,
    so neither side waits for the other. An item whose worker died without
    returning it is done here. ``work`` must be picklable (a module-level
    function); ``done(k)`` is called as item ``k`` is finished, from a thread
    of this process for the workers' items. ``setup()`` (picklable too) gets
    the workers ready: when they are forked (``start_method``) it runs here,
    once, before the fork; otherwise in each worker before it takes its first
    item, so that a worker which is slow to get ready does not hold up an item
    this process could have done.
    """
    import multiprocessing as mp
    import queue

    lock = threading.Lock()  # done() is called from two threads

    def finish(k: int) -> None:
        if done is not None:
            with lock:
                done(k)

    n_procs = max(0, min(n_workers, len(items) - 1))
    method = start_method() if n_procs else "none"
    if method == "fork" and setup is not None:
        try:
            setup()  # here, once: the workers are forked with everything it loaded
        except Exception:  # as in a worker: the items themselves then say what is wrong
            log.exception("getting the workers ready failed; they start without")
        setup = None
    ctx = mp.get_context(method if n_procs else None)
    results: list = [None] * len(items)
    finished = [False] * len(items)
    ends = ctx.Array("q", [0, len(items)])  # next item from the front, one past the next from the back
    out = ctx.Queue()
    procs = [ctx.Process(target=_pull, args=(work, items, ends, out, setup), daemon=True) for _ in range(n_procs)]

    started: list = []
    starting = threading.Lock()
    stop = threading.Event()
    if method == "fork":  # before any thread of ours runs; a fork takes milliseconds
        for p in procs:
            p.start()
            started.append(p)
        procs = []

    def collect() -> None:
        # A fork server's workers are started here, not in this process's main thread: starting
        # the first one can wait for the server to import the main module, while this process works.
        for p in procs:
            with starting:
                if stop.is_set():
                    break
                p.start()
                started.append(p)
        live = len(started)
        while live:
            try:
                item = out.get(timeout=0.2)
            except queue.Empty:
                if all(p.exitcode is not None for p in started):  # they died without saying so
                    return
                continue
            if item is None:
                live -= 1
                continue
            k, result = item
            results[k], finished[k] = result, True
            finish(k)

    reader = threading.Thread(target=collect, daemon=True)
    reader.start()
    try:
        while (k := _claim(ends, front=False)) is not None:
            results[k], finished[k] = work(items[k]), True
            finish(k)
        while reader.is_alive() and not all(finished):
            reader.join(timeout=0.05)
        # Every item is back: a worker still starting up (or saying goodbye) has nothing left to do.
        _stop(started, starting, stop)
        reader.join()
    except BaseException:
        with ends.get_lock():
            ends[1] = ends[0]  # no more items for anyone
        _stop(started, starting, stop)
        raise
    lost = [k for k in range(len(items)) if not finished[k]]
    if lost:
        log.warning("a worker process died (exit code %s); redoing its %d unreturned part(s) here",
                    ", ".join(str(p.exitcode) for p in started if p.exitcode), len(lost))
    for k in lost:
        results[k] = work(items[k])
        finish(k)
    return results


def start_method() -> str:
    """How ``run_shared`` starts workers here and now: ``"fork"`` on Linux when this
    process runs no other Python thread, else ``"forkserver"`` (or ``"spawn"`` where
    there is no fork server)."""
    import multiprocessing as mp

    methods = mp.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _stop(started: list, starting, stop) -> None:
    """No more workers are started; those that were are stopped."""
    with starting:
        stop.set()
    for p in started:
        if p.exitcode is None:
            p.terminate()
        p.join()


def _claim(ends, *, front: bool) -> int | None:
    """The next item from the front or the back of ``ends`` (shared [front, back)), or None when they met."""
    with ends.get_lock():
        if ends[0] >= ends[1]:
            return None
        if front:
            ends[0] += 1
            return ends[0] - 1
        ends[1] -= 1
        return ends[1]


def _pull(work: Callable, items: list, ends, out, setup: Callable[[], None] | None) -> None:
    """Worker process of ``run_shared``: ``setup()``, then claim items from the front until
    none is left, sending back (k, result), then None."""
    if setup is not None:
        setup()
    while (k := _claim(ends, front=True)) is not None:
        out.put((k, work(items[k])))
    out.put(None)
