"""Writing files safely: through a temporary file renamed over the target, never into the raw data.

A file killed mid-write would otherwise read back without error, only shorter;
with ``write_atomic`` the target holds either the old bytes or the new ones.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

from analysis import config


def check_writable(out_dir: str | os.PathLike) -> None:
    """Refuse to write into (or below) the raw data folder: ``data/raw/`` is never written."""
    raw = config.RAW_DIR.resolve()
    out = Path(out_dir).resolve()
    if out == raw or raw in out.parents:
        raise ValueError(f"{out_dir}: refusing to write into the raw data folder {config.RAW_DIR}")


def write_atomic(target: Path, write: Callable[[Path], object]) -> Path:
    """``write(tmp)`` to a temporary file beside ``target``, then rename it over ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
