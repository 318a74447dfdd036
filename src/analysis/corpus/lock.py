"""One build at a time per output folder and per cache: an advisory lock file.

``hold(path, what)`` takes an exclusive lock on ``path`` (created when missing) for
the ``with`` block and writes who holds it (process id, host, start time, command)
into it. A second build that wants the same lock says who holds it and waits (up to
``wait`` seconds, then :class:`Busy`). The operating system releases the lock when
its process ends, however it ends (SIGKILL included): a lock is never stale.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)

# How long a build waits for another one to finish with an output folder or a cache.
WAIT_SECONDS = 600.0

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt


class Busy(ValueError):
    """Another build holds the lock (``str()`` says who, and since when)."""


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def holder(path: str | os.PathLike) -> str:
    """Who holds (or last held) the lock at ``path``, in words."""
    try:
        info = json.loads(Path(path).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another build"
    if not info:
        return "another build"
    return (f"process {info.get('pid')} on {info.get('host')} since {info.get('started')} "
            f"({info.get('command')})")


@contextlib.contextmanager
def hold(path: str | os.PathLike, what: str, *, wait: float | None = None):
    """Hold the exclusive lock ``path`` for ``what`` (words for the messages) in the block."""
    wait = WAIT_SECONDS if wait is None else wait
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while not _try_lock(fd):
            who = holder(path)
            if time.monotonic() >= deadline:
                raise Busy(f"{what}: in use by {who}; try again when it has finished (lock file {path})")
            if not told:
                log.warning("%s: in use by %s; waiting up to %.0f s", what, who, wait)
                told = True
            time.sleep(0.2)
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "started": time.strftime("%Y-%m-%d %H:%M:%S"), "command": " ".join(sys.argv)[:200]}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(info).encode())
        yield
    finally:
        os.close(fd)  # releases the lock
