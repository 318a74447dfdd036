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
changed. The tables are kept in shards of about 2 MB of transcripts, so one
changed file rewrites one shard. New shards are written first, then the
manifest is switched to them with ``os.replace``, then old shards are
removed: a run interrupted at any point leaves a complete cache behind.
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
from analysis.files import write_atomic

log = logging.getLogger(__name__)

_FORMAT = 2
# A shard holds the tables of about this many bytes of transcripts: changing one
# file rewrites its shard only.
SHARD_BYTES = 2_000_000
_PACKAGE = Path(analysis.__file__).resolve().parent


def _hash_files(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(Path(p) for p in paths):
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
    return h.hexdigest()


def _resource_files(*names: str) -> list[Path]:
    return [p for p in config.RESOURCES_DIR.iterdir() if p.is_file() and p.name.startswith(names)]


def fingerprints(engine: str, encoding: str | None, resources: dict | None = None) -> dict[str, str]:
    """What each stage depends on, hashed (``resources``: the user's own files, by kind)."""
    code = sorted(_PACKAGE.glob("*.py"))
    mine = {k: [Path(p) for p in v] for k, v in (resources or {}).items()}

    def own(*kinds: str) -> list[Path]:
        return [p for k in kinds for p in mine.get(k, [])]

    return {
        "parse": f"{_FORMAT}:{analysis.__version__}:{encoding}:{_hash_files(code)}",
        "tokens": f"{engine}:{_hash_files(_resource_files('userdict', 'stopwords') + own('userdict', 'stopwords'))}",
        "mentions": _hash_files(_resource_files("entities", "surnames") + own("registry", "userdict")),
        "topics": _hash_files(_resource_files("topics") + own("lexicon")),
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class BuildCache:
    """The cache of one raw folder (see the module docstring)."""

    def __init__(self, cache_dir: str | os.PathLike, root: Path, *, engine: str, encoding: str | None,
                 resources: dict | None = None):
        key = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:16]
        self.dir = Path(cache_dir) / f"build-{key}"
        self.pointer = self.dir / "current.json"
        self.fp = fingerprints(engine, encoding, resources)
        self.manifest: dict = {"fingerprints": {}, "files": {}, "shards": []}
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
        everything = any(old_fp.get(k) != self.fp[k] for k in ("parse", "tokens")) or not self._valid()
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
    def _shard_files(self, shard: dict, name: str) -> Path:
        return self.dir / shard["id"] / f"{name}.parquet"

    def _read(self, shards: list[dict], name: str) -> pd.DataFrame | None:
        """One table from several shards, concatenated in Arrow (dictionaries unified)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        files = [self._shard_files(sh, name) for sh in shards]
        if not files:
            return None
        parts = [pq.read_table(f) for f in files]
        return pa.concat_tables(parts, promote_options="default").to_pandas()

    def stages_stale(self, stages) -> set[str]:
        """Stages among ``stages`` whose resources changed since the cache was written."""
        old = self.manifest.get("fingerprints", {})
        return {s for s in stages if old.get(s) != self.fp[s]}

    def update(self, fresh: dict[str, pd.DataFrame], ids: list[str], *, failed: set[str],
               columns: dict[str, dict], derive: dict) -> dict[str, pd.DataFrame]:
        """Cached rows of unchanged files + the fresh rows, per table; the cache updated.

        Only the shards holding a changed, removed or failed file are rewritten
        (with ``derive[stage](tables)`` rerun on their kept rows for stages whose
        resources changed, when there are such stages every shard is).
        """
        shards = self.manifest.get("shards", []) if self._valid() else []
        redo = set(fresh["documents"]["doc_id"]) | failed
        gone = {d for sh in shards for d in sh["docs"]} - set(ids)
        stale_stages = self.stages_stale(derive)
        touched = [sh for sh in shards if stale_stages or redo.intersection(sh["docs"]) or gone.intersection(sh["docs"])]
        untouched = [sh for sh in shards if sh not in touched]
        if not self.changed and not touched:
            return {name: _or_empty(self._read(shards, name), cols) for name, cols in columns.items()}

        drop = redo | gone
        kept = {}
        for name, cols in columns.items():
            old = self._read(touched, name)
            kept[name] = schema.empty(cols) if old is None else old[~old["doc_id"].isin(drop)]
        for stage in stale_stages:
            kept[stage] = derive[stage](kept)
        new = {name: schema.concat([kept[name], fresh[name]], cols) for name, cols in columns.items()}
        new = schema.in_order(new, ids, columns)
        new_shards = self._write_shards(new, ids)
        for doc_id, sha in zip(fresh["documents"]["doc_id"], fresh["documents"]["sha256"]):
            self._files[doc_id]["sha256"] = sha  # so that a touched but unchanged file is not redone
        for doc_id in failed:
            self._files.pop(doc_id, None)
        # Shards in file order, so that reading them back gives the rows in order.
        rank = {d: i for i, d in enumerate(ids)}
        live = sorted(untouched + new_shards, key=lambda sh: min((rank.get(d, len(rank)) for d in sh["docs"]), default=0))
        self._commit(live)
        return {name: _or_empty(self._read(live, name), cols) for name, cols in columns.items()}

    def _valid(self) -> bool:
        return self.manifest.get("format") == _FORMAT and all(
            (self.dir / sh["id"]).is_dir() for sh in self.manifest.get("shards", []))

    def _write_shards(self, tables: dict[str, pd.DataFrame], ids: list[str]) -> list[dict]:
        """Cut the tables into shards of about SHARD_BYTES of transcript, by document, in file order."""
        docs = tables["documents"]
        rank = {d: i for i, d in enumerate(ids)}
        order = sorted(zip(docs["doc_id"], docs["size"]), key=lambda x: rank.get(x[0], len(rank)))
        groups, cur, acc = [], [], 0
        for doc_id, size in order:
            if cur and acc + int(size) > SHARD_BYTES:
                groups.append(cur)
                cur, acc = [], 0
            cur.append(doc_id)
            acc += int(size)
        if cur:
            groups.append(cur)
        shards = []
        for group in groups:
            shard = {"id": f"shard-{uuid.uuid4().hex[:12]}", "docs": group}
            (self.dir / shard["id"]).mkdir(parents=True, exist_ok=True)
            members = set(group)
            for name, df in tables.items():
                df[df["doc_id"].isin(members)].to_parquet(self._shard_files(shard, name), index=False)
            shards.append(shard)
        return shards

    def _commit(self, shards: list[dict]) -> None:
        """Switch the manifest to the new shards, then remove what nothing refers to."""
        manifest = {"format": _FORMAT, "fingerprints": self.fp, "files": self._files, "shards": shards}
        write_atomic(self.pointer, lambda tmp: tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8"))
        live = {sh["id"] for sh in shards}
        for old in self.dir.glob("shard-*"):
            if old.name not in live:
                shutil.rmtree(old, ignore_errors=True)
        self.manifest = manifest


def _or_empty(df: pd.DataFrame | None, columns: dict) -> pd.DataFrame:
    return schema.empty(columns) if df is None else df
