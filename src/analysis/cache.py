"""The incremental build cache: redo only what changed.

A cache folder holds, per raw folder, the tables of the last build as Parquet
(never pickle: nothing in it is executed when read) and a manifest that maps
each file to its size, modification time and SHA-256, plus a fingerprint of
every stage:

- ``parse``: the package version and the source of the package itself;
- ``tokens``: the engine, the user dictionary and the stopword lists;
- ``mentions``: the entity registry;
- ``topics``: the topic lexicon.

A file is reprocessed when its content changed (size/mtime differ and so does
its hash); all files are reprocessed when ``parse`` or ``tokens`` changed;
mentions are recomputed from the cached turns and tokens when only the
registry changed, and topics from the cached tokens when only the lexicon
changed. Each build writes a new generation folder and then switches a small
pointer file to it with ``os.replace``, so a run interrupted at any point
leaves the previous generation intact.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import uuid
from pathlib import Path

import pandas as pd

import analysis
from analysis import config, schema

log = logging.getLogger(__name__)

_FORMAT = 1
_PACKAGE = Path(analysis.__file__).resolve().parent


def _hash_files(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(Path(p) for p in paths):
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
    return h.hexdigest()


def _resource_files(*names: str) -> list[Path]:
    return [p for p in config.RESOURCES_DIR.iterdir() if p.is_file() and p.name.startswith(names)]


def fingerprints(engine: str, encoding: str | None) -> dict[str, str]:
    """What each stage depends on, hashed."""
    code = sorted(_PACKAGE.glob("*.py"))
    return {
        "parse": f"{_FORMAT}:{analysis.__version__}:{encoding}:{_hash_files(code)}",
        "tokens": f"{engine}:{_hash_files(_resource_files('userdict', 'stopwords'))}",
        "mentions": _hash_files(_resource_files("entities", "surnames")),
        "topics": _hash_files(_resource_files("topics")),
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class BuildCache:
    """The cache of one raw folder (see the module docstring)."""

    def __init__(self, cache_dir: str | os.PathLike, root: Path, *, engine: str, encoding: str | None):
        key = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:16]
        self.dir = Path(cache_dir) / f"build-{key}"
        self.pointer = self.dir / "current.json"
        self.fp = fingerprints(engine, encoding)
        self.manifest: dict = {"fingerprints": {}, "files": {}, "generation": None}
        if self.pointer.is_file():
            try:
                self.manifest = json.loads(self.pointer.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("%s: unreadable cache manifest, rebuilding (%s)", self.pointer, exc)
        self._files: dict[str, dict] = {}
        self.changed = True

    # -- which files need work -------------------------------------------------
    def stale(self, paths: list[Path], ids: list[str]) -> list[tuple[Path, str]]:
        """The (path, doc_id) pairs whose tables are not in the cache."""
        old_fp = self.manifest.get("fingerprints", {})
        everything = any(old_fp.get(k) != self.fp[k] for k in ("parse", "tokens")) or not self._generation()
        old = self.manifest.get("files", {})
        todo = []
        for p, doc_id in zip(paths, ids):
            st = p.stat()
            entry = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "path": str(p)}
            prev = old.get(doc_id)
            same = prev is not None and prev.get("path") == str(p) and not everything
            if same and (prev["size"], prev["mtime_ns"]) != (st.st_size, st.st_mtime_ns):
                entry["sha256"] = _sha256(p)
                same = entry["sha256"] == prev.get("sha256")
            elif same:
                entry["sha256"] = prev.get("sha256")
            if not same:
                todo.append((p, doc_id))
            self._files[doc_id] = entry
        self.changed = bool(todo) or set(old) != set(self._files) or old_fp != self.fp
        return todo

    # -- tables ------------------------------------------------------------------
    def _generation(self) -> Path | None:
        gen = self.manifest.get("generation")
        return self.dir / gen if gen and (self.dir / gen).is_dir() else None

    def cached(self, name: str) -> pd.DataFrame | None:
        gen = self._generation()
        if gen is None or not (gen / f"{name}.parquet").is_file():
            return None
        return pd.read_parquet(gen / f"{name}.parquet")

    def merge(self, fresh: dict[str, pd.DataFrame], ids: list[str], *, failed: set[str],
              columns: dict[str, dict]) -> dict[str, pd.DataFrame]:
        """Cached rows of unchanged files + the fresh rows, per table (``columns``: each table's schema)."""
        keep = set(ids) - set(fresh["documents"]["doc_id"]) - failed
        out = {}
        for name, df in fresh.items():
            old = self.cached(name)
            if old is not None:
                old = old[old["doc_id"].isin(keep)]
                df = schema.concat([old, df], columns[name]) if len(df) else old
            out[name] = df
        for doc_id in failed:
            self._files.pop(doc_id, None)
        return out

    def mentions_stale(self) -> bool:
        return self.manifest.get("fingerprints", {}).get("mentions") != self.fp["mentions"]

    def topics_stale(self) -> bool:
        return self.manifest.get("fingerprints", {}).get("topics") != self.fp["topics"]

    def save(self, tables: dict[str, pd.DataFrame]) -> None:
        """Write a new generation and switch the pointer to it (nothing when nothing changed)."""
        if not self.changed and not self.topics_stale() and not self.mentions_stale():
            return
        gen = f"gen-{uuid.uuid4().hex[:12]}"
        tmp = self.dir / gen
        tmp.mkdir(parents=True, exist_ok=True)
        for name, df in tables.items():
            df.to_parquet(tmp / f"{name}.parquet", index=False)
        manifest = {"format": _FORMAT, "fingerprints": self.fp, "files": self._files, "generation": gen}
        part = self.dir / f".current.{uuid.uuid4().hex[:8]}.tmp"
        part.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        os.replace(part, self.pointer)
        for old in self.dir.glob("gen-*"):
            if old.name != gen:
                shutil.rmtree(old, ignore_errors=True)
        self.manifest = manifest
