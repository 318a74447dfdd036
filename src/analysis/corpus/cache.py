"""The incremental build cache: redo only what changed.

A cache folder holds, per raw folder, the tables of the last build as Arrow IPC
files (never pickle: nothing in it is executed when read) and a manifest that maps
each file to its SHA-256, size, modification time, inode and change time (and the SHA-256 of its
sidecar ``<stem>.yaml``, when there is one), plus a fingerprint of every stage
(``analysis.corpus.fingerprints``: each stage's own modules and resources).

A file is reused only when its content hash matches: its known hash is trusted
without reading the file again only when its size, modification time, inode and
change time are all as when it was hashed (``_stamp``), otherwise it is hashed
again; it is reprocessed when the hash, or its sidecar's, changed; all files are reprocessed when ``parse`` or ``tokens``
changed; mentions, topics and exchanges are recomputed from the cached turns
and tokens when only their own code or resources changed. The tables are stored uncompressed, so that reading them back costs
little more than copying them (a 20 MB corpus gives about 180 MB of cache). A
changed run writes a new generation folder, then switches the manifest to it
with ``os.replace``, then removes the old one: a run interrupted at any point
leaves a complete cache behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import uuid
from pathlib import Path

import pandas as pd

from analysis import language, schema
from analysis.corpus import fingerprints as fp
from analysis.corpus import lock
from analysis.corpus.files import readable, sidecar, write_atomic
from analysis.corpus.output import describe
from analysis.corpus.splice import splice, str_categories, used_categories, without_docs

log = logging.getLogger(__name__)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stamp(st: os.stat_result) -> dict:
    """What must all be unchanged to trust a file's known hash without reading it again.

    Size and modification time alone are not enough: an editor that restores the
    mtime, ``cp -p`` or ``touch -r`` change the content under the same pair. The inode
    and the change time (which no program can set back) are checked too; when any
    of them differs, the file is hashed again.
    """
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ino": st.st_ino, "ctime_ns": st.st_ctime_ns}


def cache_folder(cache_dir: str | os.PathLike, root: Path) -> Path:
    """The folder in ``cache_dir`` of the raw folder ``root``."""
    key = hashlib.sha256(os.fsencode(Path(root).resolve())).hexdigest()[:16]
    return Path(cache_dir) / f"build-{key}"


def open_cache(held: contextlib.ExitStack, cache_dir: str | os.PathLike, root: Path, **kwargs) -> BuildCache | None:
    """The cache of ``root``, locked for this build until ``held`` closes (another build using
    it is waited for); None, with a warning, when the cache folder cannot be used: the cache is
    optional, so a full or read-only cache disk costs only the cache."""
    folder = cache_folder(cache_dir, root)
    try:
        held.enter_context(lock.hold(folder.with_name(folder.name + ".lock"), f"build cache {folder}"))
        return BuildCache(cache_dir, root, **kwargs)
    except OSError as exc:
        log.warning("%s: cache not used: %s", folder, describe(exc))
        return None


class BuildCache:
    """The cache of one raw folder (see the module docstring); use it through ``open_cache``."""

    def __init__(self, cache_dir: str | os.PathLike, root: Path, *, engine: str, encoding: str | None,
                 tables: tuple[str, ...], resources: language.Resources | None = None):
        self.tables = tables  # the names of the tables kept
        self.dir = cache_folder(cache_dir, root)
        self.pointer = self.dir / "current.json"
        self.fp = fp.fingerprints(language.resolve(resources), engine, encoding)
        self.manifest: dict = {"fingerprints": {}, "files": {}}
        if self.pointer.is_file():
            try:
                self.manifest = json.loads(self.pointer.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("%s: unreadable cache manifest, rebuilding (%s)", self.pointer, exc)
        self._files: dict[str, dict] = {}
        self.changed = True
        self._clean()
        self._cached = self._open()  # the tables of the last build as Arrow tables, None if unusable

    # -- which files need work -------------------------------------------------
    def stale(self, paths: list[Path], ids: list[str]) -> list[tuple[Path, str]]:
        """The (path, doc_id) pairs whose tables are not in the cache."""
        old_fp = self.manifest.get("fingerprints", {})
        everything = any(old_fp.get(k) != self.fp[k] for k in ("parse", "tokens")) or self._cached is None
        old = self.manifest.get("files", {})
        todo = []
        for p, doc_id in zip(paths, ids):
            st = p.stat()
            side = sidecar(p)
            entry = {**_stamp(st), "path": readable(str(p)), "sidecar": _sha256(side) if side is not None else None}
            prev = old.get(doc_id)
            same = (prev is not None and prev.get("path") == entry["path"] and not everything
                    and prev.get("sidecar") == entry["sidecar"])
            if same and all(prev.get(k) == v for k, v in _stamp(st).items()) and prev.get("sha256"):
                entry["sha256"] = prev["sha256"]  # the very same file, untouched since it was hashed
            elif same:
                entry["sha256"] = _sha256(p)
                same = entry["sha256"] == prev.get("sha256")
            if not same:
                todo.append((p, doc_id))
            self._files[doc_id] = entry
        self.changed = bool(todo) or set(old) != set(self._files) or old_fp != self.fp
        return todo

    # -- tables ------------------------------------------------------------------
    def _table_file(self, generation: str, name: str) -> Path:
        return self.dir / generation / f"{name}.arrow"

    def _open(self) -> dict | None:
        """Every table of the current generation, memory-mapped (columns are read
        from the page cache without a copy; the files are opened read-only), or
        None when there is none or one is missing or cannot be read: then everything is rebuilt."""
        import pyarrow as pa
        import pyarrow.feather as feather

        generation = self.manifest.get("generation")
        if self.manifest.get("format") != fp.FORMAT or not generation or not (self.dir / generation).is_dir():
            return None
        try:
            return {name: feather.read_table(self._table_file(generation, name), memory_map=True)
                    for name in self.tables}
        except (OSError, pa.ArrowException) as exc:
            log.warning("%s: unreadable cache, rebuilding (%s)", self.dir / generation, exc)
            return None

    def _read(self, columns: dict[str, dict]) -> dict[str, pd.DataFrame] | None:
        """The cached tables as DataFrames (pandas copies on write, so they can be
        modified; on Windows an old generation still mapped is removed by a later run)."""
        if self._cached is None:
            return None
        tables = {}
        for name, cols in columns.items():
            df = self._cached[name].to_pandas()
            # Arrow gives categories of strings back as its own string dtype: make them ours again.
            for col, dtype in cols.items():
                if isinstance(dtype, str) and dtype == "category":
                    df[col] = str_categories(df[col])
            tables[name] = schema.conform(df, cols)
        return tables

    def stages_stale(self, stages) -> set[str]:
        """Stages among ``stages`` whose resources changed since the cache was written."""
        old = self.manifest.get("fingerprints", {})
        return {s for s in stages if old.get(s) != self.fp[s]}

    def update(self, fresh: dict[str, pd.DataFrame], ids: list[str], *, failed: set[str],
               columns: dict[str, dict], derive: dict) -> dict[str, pd.DataFrame]:
        """Cached rows of unchanged files + the fresh rows, per table, in file order; the cache updated.

        Stages whose resources changed are rerun with ``derive[stage](tables)``
        on the cached rows. Nothing is written when nothing changed.
        """
        old = self._read(columns)
        stale_stages = self.stages_stale(derive)
        if old is not None and not self.changed and not stale_stages:
            return old
        drop = set(fresh["documents"]["doc_id"]) | failed | (
            set(old["documents"]["doc_id"]) - set(ids) if old is not None else set())
        kept = {name: schema.empty(cols) if old is None else old[name] for name, cols in columns.items()}
        if stale_stages:
            kept = {name: without_docs(df, drop) for name, df in kept.items()}
            drop = set()
            for stage in stale_stages:
                kept[stage] = derive[stage](kept)
        # categories cut to those used: the same lists as a clean build (and a no-op rerun reads them so)
        new = {name: used_categories(splice(kept[name], fresh[name], ids, cols, drop=drop), cols)
               for name, cols in columns.items()}
        for doc_id, sha in zip(fresh["documents"]["doc_id"], fresh["documents"]["sha256"]):
            self._files[doc_id]["sha256"] = sha  # so that a touched but unchanged file is not redone
        for doc_id in failed:
            self._files.pop(doc_id, None)
        generation = f"gen-{uuid.uuid4().hex[:12]}"
        try:
            self._write(new, generation)
            self._commit(generation)
        except OSError as exc:  # the cache is optional: the build goes on without it
            log.warning("%s: cache not updated: %s", self.dir, describe(exc))
            if self.manifest.get("generation") != generation:
                shutil.rmtree(self.dir / generation, ignore_errors=True)
        return new

    def _write(self, tables: dict[str, pd.DataFrame], generation: str) -> None:
        """Every table into a new generation folder (Arrow IPC, uncompressed: read back in a blink)."""
        (self.dir / generation).mkdir(parents=True, exist_ok=True)
        for name, df in tables.items():
            write_table(df, self._table_file(generation, name))

    def _clean(self) -> None:
        """Remove generations an interrupted run left behind (the lock is held: no other run uses them)."""
        if not self.dir.is_dir():
            return
        for p in self.dir.iterdir():
            if p.is_dir() and p.name != self.manifest.get("generation"):
                shutil.rmtree(p, ignore_errors=True)
            elif p.name.endswith(".tmp"):
                p.unlink(missing_ok=True)

    def _commit(self, generation: str) -> None:
        """Switch the manifest to the new generation, then remove what nothing refers to."""
        manifest = {"format": fp.FORMAT, "fingerprints": self.fp, "files": self._files, "generation": generation}
        write_atomic(self.pointer, lambda tmp: tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8"))
        for old in self.dir.iterdir():
            if old.is_dir() and old.name != generation:
                shutil.rmtree(old, ignore_errors=True)
        self.manifest = manifest


def write_table(df: pd.DataFrame, path: Path) -> None:
    """One table as an uncompressed Arrow IPC file."""
    import pyarrow.feather as feather

    feather.write_feather(df, path, compression="uncompressed")
