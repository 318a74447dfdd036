"""Files: finding transcripts (and their speaker sidecars), naming documents, writing safely.

``find_transcripts`` lists the transcripts under a folder; ``doc_ids`` names them;
``sidecar`` finds the optional ``<stem>.yaml`` beside a transcript. Writing goes
through ``write_atomic`` (a temporary file renamed over the target: a file killed
mid-write never reads back shorter) and ``check_writable`` refuses the raw folder:
``data/raw/`` is never written.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from analysis import config
from analysis.load import make_doc_id

# The per-document file of speakers etc. beside a transcript: ``interview.txt`` -> ``interview.yaml``.
SIDECAR_SUFFIX = ".yaml"


def find_transcripts(path: str | os.PathLike) -> list[Path]:
    """Transcript files under ``path`` (or ``path`` itself), sorted.

    Files with a transcript ending (``config.TRANSCRIPT_SUFFIXES``) are taken;
    hidden files and folders and README files describing the data are not.
    """
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such file or folder")
    found = []
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if p.is_file() and p.suffix.lower() in config.TRANSCRIPT_SUFFIXES and p.name not in config.IGNORED_NAMES:
            found.append(p)
    return found


def sidecar(path: str | os.PathLike) -> Path | None:
    """The transcript's sidecar ``<stem>.yaml`` beside it, or None when there is none."""
    p = Path(path).with_suffix(SIDECAR_SUFFIX)
    return p if p.is_file() and p != Path(path) else None


def doc_ids(paths: list[Path], root: Path) -> list[str]:
    """Stable ids from paths under ``root``; ``a.txt`` and ``a.md`` side by side keep their endings."""
    ids = [make_doc_id(p, root) for p in paths]
    seen = Counter(ids)
    return [p.relative_to(root).as_posix() if seen[i] > 1 else i for p, i in zip(paths, ids)]


def display_path(p: str | Path) -> str:
    """``p`` relative to the project root when it is inside it (what the tables show)."""
    p = Path(p).resolve()
    try:
        return p.relative_to(config.ROOT).as_posix()
    except ValueError:
        return str(p)


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
