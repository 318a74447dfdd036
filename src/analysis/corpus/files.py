"""Files: finding transcripts (and their speaker sidecars), naming documents, writing safely.

``survey`` lists the transcripts under a folder and every other path with its problem
(``find_transcripts``: the transcripts alone); ``doc_ids`` names them (``readable``:
file names that are not UTF-8 escaped);
``sidecar`` finds the optional ``<stem>.yaml`` beside a transcript. Writing goes
through ``write_atomic`` (a temporary file renamed over the target: a file killed
mid-write never reads back shorter) and ``check_writable`` refuses the raw folder:
``data/raw/`` is never written.
"""

from __future__ import annotations

import errno
import os
import stat
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from analysis import config
from analysis.load import make_doc_id

# The per-document file of speakers etc. beside a transcript: ``interview.txt`` -> ``interview.yaml``.
SIDECAR_SUFFIX = ".yaml"


# A file bigger than this is not a transcript (the longest real ones are a few MB): it is
# listed in ``errors`` rather than read, so one file cannot take the build past its memory.
MAX_BYTES = 256 * 2**20
_SIDECARS = (".yaml", ".yml")


class Survey(NamedTuple):
    """What is under a raw folder: the transcripts, and every other path with why it is left out."""
    paths: list[Path]
    problems: list[tuple[Path, str]]  # (path, the problem in words)


def find_transcripts(path: str | os.PathLike) -> list[Path]:
    """Transcript files under ``path`` (or ``path`` itself), sorted; see ``survey``."""
    return survey(path).paths


def survey(path: str | os.PathLike) -> Survey:
    """Every path under ``path``: a transcript, or a problem (``build`` lists these in ``errors``).

    Files with a transcript ending (``config.TRANSCRIPT_SUFFIXES``) are transcripts.
    Hidden files and folders (``.name``), README files describing the data
    (``config.IGNORED_NAMES``) and a transcript's speaker file (``NAME.yaml``) are
    neither. Everything else is a problem: a file with another ending, a dangling
    symbolic link, a link loop, a named pipe or other special file, a folder that
    cannot be listed, a file over ``MAX_BYTES``. Links to files and folders are followed.
    """
    path = Path(path)
    if path.is_file():
        return Survey([path], [])
    if not path.is_dir():
        raise FileNotFoundError(f"{readable(str(path))}: no such file or folder")
    found: list[Path] = []
    problems: list[tuple[Path, str]] = []
    _walk(path, found, problems, {_key(os.stat(path))})
    return Survey(found, sorted(problems))


def _key(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


def _walk(folder: Path, found: list, problems: list, seen: set) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append((folder, f"folder cannot be read: {exc.strerror}"))
        return
    names = {e.name for e in entries}
    for entry in entries:
        p = Path(entry.path)
        if entry.name.startswith("."):
            continue
        try:
            st = os.stat(p)  # follows links
        except OSError as exc:
            if entry.is_symlink():
                what = ("symbolic link loop" if exc.errno == errno.ELOOP
                        else f"dangling symbolic link (to {readable(os.readlink(p))}, which does not exist)")
                problems.append((p, what))
            else:
                problems.append((p, f"cannot be read: {exc.strerror}"))
            continue
        if stat.S_ISDIR(st.st_mode):
            if _key(st) in seen:
                problems.append((p, f"symbolic link loop (back to {readable(os.path.realpath(p))}, already read)"))
                continue
            _walk(p, found, problems, seen | {_key(st)})
        elif not stat.S_ISREG(st.st_mode):
            problems.append((p, "not a regular file (a named pipe, socket or device)"))
        elif entry.name in config.IGNORED_NAMES:
            continue
        elif p.suffix.lower() in config.TRANSCRIPT_SUFFIXES:
            if st.st_size > MAX_BYTES:
                problems.append((p, f"too big for a transcript ({st.st_size / 2**20:,.0f} MB; "
                                    f"the limit is {MAX_BYTES // 2**20} MB)"))
            else:
                found.append(p)
        elif p.suffix.lower() in _SIDECARS and any(p.stem + s in names for s in config.TRANSCRIPT_SUFFIXES):
            continue  # a transcript's speaker file
        else:
            problems.append((p, f"not a transcript by its ending ({p.suffix or 'no ending'}); transcripts end in "
                                f"{', '.join(config.TRANSCRIPT_SUFFIXES)}"))


def readable(text: str) -> str:
    """``text`` (a path) with bytes that are not UTF-8 written as ``\\xNN`` escapes.

    Python keeps such bytes of a file name as lone surrogates, which no table, CSV
    or JSON file can hold: ``\udcd6\udcd0.txt`` (GBK bytes D6 D0) becomes ``\\xd6\\xd0.txt``.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def sidecar(path: str | os.PathLike) -> Path | None:
    """The transcript's sidecar ``<stem>.yaml`` beside it, or None when there is none."""
    p = Path(path).with_suffix(SIDECAR_SUFFIX)
    return p if p.is_file() and p != Path(path) else None


def doc_ids(paths: list[Path], root: Path) -> list[str]:
    """Stable ids from paths under ``root``; ``a.txt`` and ``a.md`` side by side keep their endings."""
    ids = [make_doc_id(p, root) for p in paths]
    seen = Counter(ids)
    return [readable(p.relative_to(root).as_posix() if seen[i] > 1 else i) for p, i in zip(paths, ids)]


def display_path(p: str | Path) -> str:
    """``p`` relative to the project root when it is inside it (what the tables show)."""
    p = Path(os.path.abspath(p))
    try:  # the folder resolved, the name as it is (a link is shown as the link)
        p = p.parent.resolve() / p.name
    except (OSError, RuntimeError):
        pass
    try:
        return readable(p.relative_to(config.ROOT).as_posix())
    except ValueError:
        return readable(str(p))


def check_writable(out_dir: str | os.PathLike, *, raw: str | os.PathLike | None = None) -> None:
    """Refuse to write into (or below) the raw data folder, or into a folder that holds it:
    ``data/raw/`` (and the ``raw`` folder of a build) is never written."""
    from analysis.corpus.output import OutputError

    out = Path(os.path.abspath(out_dir)).resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out_dir}: the output path is a file, not a folder; give --out a folder")
    for folder in {config.RAW_DIR, *([Path(raw)] if raw is not None else [])}:
        folder = Path(folder).resolve()
        if folder.is_file():
            folder = folder.parent
        if out == folder or folder in out.parents:
            raise OutputError(f"{out_dir}: refusing to write into the raw data folder {folder}; "
                              "choose another --out")
        if out in folder.parents:
            raise OutputError(f"{out_dir}: refusing to write the tables into a folder that holds the raw "
                              f"data folder {folder}; choose another --out")


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
