"""A folder of transcripts -> all tables.

``build(path)`` reads one transcript file or every transcript under a folder
and returns the tables as DataFrames: ``documents``, ``turns`` (and, from the
language layer, ``tokens``, ``topics``, ``mentions``, ``exchanges``), plus
``errors``: one row per file that could not be read (the other files are
still processed). ``write_tables`` writes them as Parquet and as CSV
(UTF-8 with BOM, so Excel opens it), each file atomically.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis import config, schema
from analysis.cache import BuildCache
from analysis.entities import MENTIONS, to_mentions
from analysis.lengths import to_exchanges
from analysis.load import Document, TranscriptError, make_doc_id, read_transcript
from analysis.parse import parse_text, turn_rows
from analysis.segment import TOKENS, to_tokens
from analysis.topics import to_topics

log = logging.getLogger(__name__)

ERRORS = {"doc_id": schema.STR, "path": schema.STR, "error": schema.STR}
# Tables made file by file (cached per file); topics and exchanges are derived from them.
PER_DOCUMENT = {"documents": schema.DOCUMENTS, "turns": schema.TURNS, "tokens": TOKENS, "mentions": MENTIONS}


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


def document_row(doc: Document, n_turns: int, n_exchanges: int, warnings: Iterable[str]) -> dict:
    meta = doc.metadata
    body = doc.text[doc.body_start:]
    return {
        "doc_id": doc.doc_id,
        "path": doc.path,
        "sha256": doc.sha256,
        "size": doc.size,
        "encoding": doc.encoding,
        "title": meta.get("title"),
        "source": meta.get("source"),
        "author": meta.get("author"),
        "date": meta.get("date"),
        "metadata": json.dumps(meta, ensure_ascii=False, sort_keys=True),
        "body_start": doc.body_start,
        "n_chars": sum(1 for c in body if not c.isspace()),
        "n_turns": n_turns,
        "n_exchanges": n_exchanges,
        "warnings": "; ".join([*doc.warnings, *warnings]),
        "text": doc.text,
    }


def process_document(doc: Document, *, engine: str = "rjieba") -> dict[str, pd.DataFrame]:
    """One decoded document -> its rows of every per-document table."""
    turns, warnings = parse_text(doc.text, body_start=doc.body_start, metadata=doc.metadata)
    rows = turn_rows(doc.doc_id, doc.text, turns)
    turns_df = schema.conform(pd.DataFrame(rows), schema.TURNS) if rows else schema.empty(schema.TURNS)
    n_exchanges = int(turns_df["exchange_id"].nunique(dropna=True))
    if not rows:
        warnings = [*warnings, "no text after the front matter"]
    docs = schema.conform(pd.DataFrame([document_row(doc, len(rows), n_exchanges, warnings)]), schema.DOCUMENTS)
    tokens = to_tokens(turns_df, engine=engine)
    return {"documents": docs, "turns": turns_df, "tokens": tokens, "mentions": to_mentions(turns_df, tokens)}


def _process_path(job: tuple[str, str, str | None, str]) -> dict[str, pd.DataFrame] | dict[str, str]:
    """Worker: one file -> its tables, or ``{"error": message}``. Never raises."""
    path, doc_id, encoding, engine = job
    try:
        return process_document(read_transcript(path, encoding=encoding, doc_id=doc_id), engine=engine)
    except TranscriptError as exc:
        log.warning("%s", exc)
        return {"error": str(exc)}
    except Exception as exc:  # one bad file must not take the corpus down
        log.exception("%s: could not be processed", path)
        return {"error": f"{path}: {type(exc).__name__}: {exc}"}


def doc_ids(paths: list[Path], root: Path) -> list[str]:
    """Stable ids from paths under ``root``; ``a.txt`` and ``a.md`` side by side keep their endings."""
    ids = [make_doc_id(p, root) for p in paths]
    seen = Counter(ids)
    return [p.relative_to(root).as_posix() if seen[i] > 1 else i for p, i in zip(paths, ids)]


def build(path: str | os.PathLike = config.RAW_DIR, *, encoding: str | None = None, workers: int = 1,
          cache_dir: str | os.PathLike | None = None, engine: str = "rjieba",
          progress: bool | None = None) -> dict[str, pd.DataFrame]:
    """Read one transcript file or a folder of them -> ``{table name: DataFrame}``.

    Tables: documents, turns, tokens, topics, mentions, exchanges, errors.
    ``encoding`` forces one encoding for every file (otherwise each file's is
    detected). A file that cannot be read becomes a row of ``errors`` (doc_id,
    path, error) and is left out of the other tables. ``workers`` > 1 spreads
    files over that many processes (same rows as a serial run). With
    ``cache_dir`` set, a rerun reprocesses only files whose content changed and
    stages whose resources (dictionary, lexicon, registry, package version)
    changed; see ``analysis.cache``.
    """
    path = Path(path)
    paths = find_transcripts(path)
    root = path if path.is_dir() else path.parent
    ids = doc_ids(paths, root)
    store = BuildCache(cache_dir, root, engine=engine, encoding=encoding) if cache_dir is not None else None
    todo = store.stale(paths, ids) if store else list(zip(paths, ids))
    results = _run([(str(p), i, encoding, engine) for p, i in todo], workers=workers, progress=progress)

    parts: dict[str, list[pd.DataFrame]] = {}
    errors = []
    for (p, doc_id), res in zip(todo, results):
        if "error" in res:
            errors.append({"doc_id": doc_id, "path": _display_path(p), "error": res["error"]})
            continue
        res["documents"]["path"] = _display_path(p)
        for name, df in res.items():
            parts.setdefault(name, []).append(df)
    fresh = {name: _concat(parts.get(name), columns) for name, columns in PER_DOCUMENT.items()}
    failed = {e["doc_id"] for e in errors}
    if store is None:
        tables = _in_order(fresh, ids)
        tables["topics"] = to_topics(tables["tokens"])
        tables["exchanges"] = to_exchanges(tables["turns"], tables["tokens"])
    else:
        tables = store.merge(fresh, ids, failed=failed)
        if store.changed:
            tables = _in_order({n: schema.conform(df, PER_DOCUMENT[n]) for n, df in tables.items()}, ids)
        if store.mentions_stale() and not len(todo) == len(ids):
            tables["mentions"] = to_mentions(tables["turns"], tables["tokens"])
        derived = {"topics": store.topics_stale(), "exchanges": store.changed}
        for name, stale in derived.items():
            cached = None if stale else store.cached(name)
            if cached is None:
                cached = to_topics(tables["tokens"]) if name == "topics" else to_exchanges(tables["turns"], tables["tokens"])
            tables[name] = cached
        store.save(tables)
    tables["errors"] = schema.conform(pd.DataFrame(errors), ERRORS) if errors else schema.empty(ERRORS)
    order = ["documents", "turns", "tokens", "topics", "mentions", "exchanges", "errors"]
    return {name: tables[name] for name in order}


def _run(jobs: list[tuple], *, workers: int, progress: bool | None) -> list[dict]:
    from tqdm.auto import tqdm

    disable = (not progress) if progress is not None else (len(jobs) < 2 or None)
    if workers <= 1 or len(jobs) < 2:
        return [_process_path(j) for j in tqdm(jobs, desc="transcripts", unit="file", disable=disable)]
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp

    chunksize = max(1, min(64, len(jobs) // (workers * 8)))
    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        it = pool.map(_process_path, jobs, chunksize=chunksize)
        return list(tqdm(it, total=len(jobs), desc="transcripts", unit="file", disable=disable))


def _display_path(p: str | Path) -> str:
    p = Path(p).resolve()
    try:
        return p.relative_to(config.ROOT).as_posix()
    except ValueError:
        return str(p)


def _in_order(tables: dict[str, pd.DataFrame], ids: list[str]) -> dict[str, pd.DataFrame]:
    """Rows in file order, then in document order: a parallel or cached build equals a serial one."""
    rank = {d: i for i, d in enumerate(ids)}
    out = {}
    for name, df in tables.items():
        keys = [k for k in ("turn_id", "position", "start") if k in df.columns]
        key = df["doc_id"].map(rank).astype("int64")
        order = pd.DataFrame({"_doc": key.to_numpy(), **{k: df[k].to_numpy() for k in keys}})
        idx = order.sort_values(["_doc", *keys], kind="stable").index
        out[name] = df.iloc[idx].reset_index(drop=True)
    return out


def _concat(frames: list[pd.DataFrame] | None, columns: dict) -> pd.DataFrame:
    frames = [f for f in frames or [] if len(f)]
    if not frames:
        return schema.empty(columns)
    return schema.conform(pd.concat(frames, ignore_index=True), columns)


# --- writing and reading -----------------------------------------------------

def _atomic_write(target: Path, write) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_out_dir(out_dir: Path) -> None:
    raw = config.RAW_DIR.resolve()
    out = out_dir.resolve()
    if out == raw or raw in out.parents:
        raise ValueError(f"{out_dir}: refusing to write into the raw data folder {config.RAW_DIR}")


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | os.PathLike = config.PROCESSED_DIR,
                 *, formats: tuple[str, ...] = ("parquet", "csv")) -> list[Path]:
    """Write each table as ``NAME.parquet`` and ``NAME.csv`` (UTF-8 with BOM), atomically."""
    out_dir = Path(out_dir)
    _check_out_dir(out_dir)
    written = []
    for name, df in tables.items():
        if "parquet" in formats:
            target = out_dir / f"{name}.parquet"
            _atomic_write(target, lambda tmp, df=df: df.to_parquet(tmp, index=False))
            written.append(target)
        if "csv" in formats:
            target = out_dir / f"{name}.csv"
            _atomic_write(target, lambda tmp, df=df: df.to_csv(tmp, index=False, encoding="utf-8-sig"))
            written.append(target)
    return written


def read_tables(processed_dir: str | os.PathLike = config.PROCESSED_DIR) -> dict[str, pd.DataFrame]:
    """Read every ``NAME.parquet`` in ``processed_dir`` back into ``{NAME: DataFrame}``."""
    processed_dir = Path(processed_dir)
    tables = {p.stem: pd.read_parquet(p) for p in sorted(processed_dir.glob("*.parquet"))}
    if not tables:
        raise FileNotFoundError(f"{processed_dir}: no tables here; run `analysis build` first")
    return tables
