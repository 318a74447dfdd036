"""One consistent set of tables: write into a new folder beside the output, then swap it in.

``staged(out, owned)`` gives a fresh folder ``.<out>.new-<id>`` next to ``out``; when
the block ends without an error, the files of ``out`` that are not the build's
(``owned(name)`` is false: a README, your notes) are hard-linked into it, and the two
folders are exchanged in one rename (``renameat2(RENAME_EXCHANGE)`` on Linux; two
renames elsewhere, undone on the next run if interrupted between them). So ``out``
always holds one complete build: the previous one or the new one, never a mix. A
lock (``.<out>.lock`` beside it) keeps two builds from writing one output folder at
once; leftovers of an interrupted build are removed by the next one. An error while
writing (disk full, no permission) removes the new folder and raises
:class:`OutputError` naming the path and the problem; the old tables are untouched.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import shutil
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

from analysis.corpus import lock

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2


class OutputError(ValueError):
    """The tables cannot be written where asked (``str()`` names the path and the problem)."""


def describe(exc: OSError) -> str:
    """An OSError in words, disk full said plainly."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk full (no space left on the device)"
    return exc.strerror or str(exc)


def lock_file(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def _leftovers(out: Path, kind: str) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.{kind}-*"))


def clean_leftovers(out: Path) -> None:
    """Remove what an interrupted build left beside ``out`` (call with the lock held).

    If a build was stopped between its two renames (systems without an atomic
    exchange), ``out`` is missing and its previous tables are in ``.<out>.old-*``:
    they are put back first.
    """
    olds = _leftovers(out, "old")
    if olds and not out.exists():
        os.rename(olds[-1], out)
        log.warning("%s: put back the tables of the last complete build (a build was interrupted)", out)
        olds = olds[:-1]
    for p in [*olds, *_leftovers(out, "new")]:
        shutil.rmtree(p, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux); False when the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _keep_others(out: Path, stage: Path, owned: Callable[[str], bool]) -> None:
    """Hard-link (or copy) the entries of ``out`` that are not the build's into ``stage``."""
    for entry in out.iterdir():
        if owned(entry.name) or (stage / entry.name).exists():
            continue
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            continue  # a half-written file of an older, interrupted write: left behind
        target = stage / entry.name
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, target)


def _link_or_copy(src, dst) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _swap(stage: Path, out: Path) -> None:
    if not out.exists():
        os.rename(stage, out)
        return
    if _exchange(stage, out):
        shutil.rmtree(stage, ignore_errors=True)  # holds the previous tables now
        return
    old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:12]}"
    os.rename(out, old)
    os.rename(stage, out)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def staged(out: str | os.PathLike, owned: Callable[[str], bool], *, wait: float | None = None):
    """Yield a new empty folder to write the build's files into; swap it in for ``out`` at the end."""
    out = Path(os.path.realpath(out))  # a link to the folder: the folder it points to is swapped
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: the output path is a file, not a folder; give --out a folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out.parent}: cannot create the output folder: {describe(exc)}") from None
    with lock.hold(lock_file(out), f"output folder {out}", wait=wait):
        clean_leftovers(out)
        stage = out.parent / f".{out.name}.new-{uuid.uuid4().hex[:12]}"
        try:
            stage.mkdir()
            yield stage
            if out.is_dir():
                _keep_others(out, stage, owned)
            _swap(stage, out)
        except OSError as exc:
            raise OutputError(f"{out}: cannot write the tables: {describe(exc)} ({exc.filename or stage}); "
                              "the previous tables are intact") from None
        finally:
            shutil.rmtree(stage, ignore_errors=True)
