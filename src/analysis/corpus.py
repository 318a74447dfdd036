"""A folder of transcripts -> all tables.

``build(path)`` reads one transcript file or every transcript under a folder
and returns the tables as DataFrames: ``documents``, ``turns`` (and, from the
language layer, ``tokens``, ``topics``, ``mentions``, ``exchanges``), plus
``errors``: one row per file that could not be read (the other files are
still processed). ``write_tables`` writes them as Parquet and as CSV
(UTF-8 with BOM, so Excel opens it), each file atomically.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pandas as pd

from analysis import config, schema
from analysis.cache import BuildCache
from analysis.entities import MENTIONS, to_mentions
from analysis.files import check_writable, write_atomic
from analysis.lengths import EXCHANGES, to_exchanges
from analysis.load import Document, TranscriptError, make_doc_id, read_transcript
from analysis.parse import count_chars, parse_text, turn_rows
from analysis.segment import TOKENS, to_tokens
from analysis.topics import LEXICON, TOPICS, to_topics

log = logging.getLogger(__name__)

ERRORS = {"doc_id": schema.STR, "path": schema.STR, "error": schema.STR}
# Every table is made file by file (and cached per file).
# Files are processed in batches of about this many bytes (segmentation and
# entity matching have a fixed cost per call that small files would pay again and again).
BATCH_BYTES = 2_000_000
# Below this many bytes of files a build stays in one process: a worker needs about a
# second to start and load the dictionaries, about what this process needs for 4 MB.
PARALLEL_BYTES = 5_000_000
PER_DOCUMENT = {"documents": schema.DOCUMENTS, "turns": schema.TURNS, "tokens": TOKENS, "topics": TOPICS,
                "mentions": MENTIONS, "exchanges": EXCHANGES}


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
        "n_chars": count_chars(body),
        "n_turns": n_turns,
        "n_exchanges": n_exchanges,
        "warnings": "; ".join([*doc.warnings, *warnings]),
        "text": doc.text,
    }


def find_resources(folder: str | os.PathLike | None = config.USER_RESOURCES_DIR) -> dict[str, tuple[str, ...]]:
    """Your own language resources in ``folder``, by the keyword they are passed as.

    ``userdict.txt`` (segmenter dictionary, also read for entity detection),
    ``stopwords.txt``, ``entities.csv`` (alias registry) and ``topics.yaml`` or
    ``topics.csv`` (topic lexicon); each one is optional and extends the shipped file.
    """
    folder = Path(folder) if folder is not None else None

    def have(*names: str) -> tuple[str, ...]:
        return tuple(str(folder / n) for n in names if folder is not None and (folder / n).is_file())

    return {"userdict": have("userdict.txt"), "stopwords": have("stopwords.txt"),
            "registry": have("entities.csv"), "lexicon": have("topics.yaml", "topics.csv")}


def _stage_options(resources: dict | None) -> dict[str, dict]:
    """Keyword arguments for each language stage, from ``find_resources``."""
    r = resources or {}
    userdict = list(r.get("userdict", ())) or None
    return {
        "tokens": {"userdict": userdict, "stopwords": list(r.get("stopwords", ())) or None},
        "mentions": {"registry": list(r.get("registry", ())) or None, "userdict": userdict},
        "topics": {"lexicon": [LEXICON, *r["lexicon"]] if r.get("lexicon") else None},
    }


def process_documents(docs: list[Document], *, engine: str = "rjieba",
                      resources: dict | None = None) -> dict[str, pd.DataFrame]:
    """Decoded documents -> their rows of every per-document table.

    Parsing is per document; segmentation and entity matching run once over
    the whole batch, which is much faster than once per (small) document.
    ``resources``: the user's own resource files (``find_resources``).
    """
    doc_rows, turn_rows_all = [], []
    for doc in docs:
        turns, warnings = parse_text(doc.text, body_start=doc.body_start, metadata=doc.metadata)
        rows = turn_rows(doc.doc_id, doc.text, turns)
        if not rows:
            warnings = [*warnings, "no text after the front matter"]
        n_exchanges = len({r["exchange_id"] for r in rows if r["exchange_id"] is not pd.NA})
        doc_rows.append(document_row(doc, len(rows), n_exchanges, warnings))
        turn_rows_all.extend(rows)
    documents = schema.conform(pd.DataFrame(doc_rows), schema.DOCUMENTS) if doc_rows else schema.empty(schema.DOCUMENTS)
    turns = schema.conform(pd.DataFrame(turn_rows_all), schema.TURNS) if turn_rows_all else schema.empty(schema.TURNS)
    opts = _stage_options(resources)
    tokens = to_tokens(turns, engine=engine, **opts["tokens"])
    return {"documents": documents, "turns": turns, "tokens": tokens,
            "mentions": to_mentions(turns, tokens, **opts["mentions"]),
            "topics": to_topics(tokens, **opts["topics"]), "exchanges": to_exchanges(turns, tokens)}


def _process_batch(jobs: list[tuple[str, str, str | None, str, dict]]) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Worker: files -> (their tables, one error row per file that failed). Never raises.

    A file that cannot be decoded is reported and left out; if the language
    layer fails on the batch, each document is retried alone so that only the
    culprit is left out.
    """
    docs, errors = [], []
    for path, doc_id, encoding, *_ in jobs:
        try:
            docs.append(read_transcript(path, encoding=encoding, doc_id=doc_id))
        except TranscriptError as exc:
            log.warning("%s", exc)
            errors.append({"doc_id": doc_id, "path": path, "error": str(exc)})
        except Exception as exc:  # one bad file must not take the corpus down
            log.exception("%s: could not be read", path)
            errors.append({"doc_id": doc_id, "path": path, "error": f"{path}: {type(exc).__name__}: {exc}"})
    engine, resources = jobs[0][3:] if jobs else ("rjieba", None)
    try:
        return process_documents(docs, engine=engine, resources=resources), errors
    except Exception:
        if len(docs) == 1:
            raise
    parts: dict[str, list[pd.DataFrame]] = {}
    for doc in docs:
        try:
            tables = process_documents([doc], engine=engine, resources=resources)
        except Exception as exc:
            log.exception("%s: could not be processed", doc.path)
            errors.append({"doc_id": doc.doc_id, "path": doc.path, "error": f"{doc.path}: {type(exc).__name__}: {exc}"})
            continue
        for name, df in tables.items():
            parts.setdefault(name, []).append(df)
    return {name: schema.concat(parts.get(name, []), cols) for name, cols in PER_DOCUMENT.items()}, errors


def doc_ids(paths: list[Path], root: Path) -> list[str]:
    """Stable ids from paths under ``root``; ``a.txt`` and ``a.md`` side by side keep their endings."""
    ids = [make_doc_id(p, root) for p in paths]
    seen = Counter(ids)
    return [p.relative_to(root).as_posix() if seen[i] > 1 else i for p, i in zip(paths, ids)]


def build(path: str | os.PathLike = config.RAW_DIR, *, encoding: str | None = None, workers: int = 1,
          cache_dir: str | os.PathLike | None = None, engine: str = "rjieba",
          resources: str | os.PathLike | None = config.USER_RESOURCES_DIR,
          progress: bool | None = None) -> dict[str, pd.DataFrame]:
    """Read one transcript file or a folder of them -> ``{table name: DataFrame}``.

    Tables: documents, turns, tokens, topics, mentions, exchanges, errors.
    ``encoding`` forces one encoding for every file (otherwise each file's is
    detected). A file that cannot be read becomes a row of ``errors`` (doc_id,
    path, error) and is left out of the other tables. ``workers`` > 1 spreads
    files over that many processes (same rows as a serial run). With
    ``cache_dir`` set, a rerun reprocesses only files whose content changed and
    stages whose resources (dictionary, lexicon, registry, package version)
    changed; see ``analysis.cache``. ``resources``: a folder of your own
    language resources extending the shipped ones (``find_resources``); None for
    the shipped ones alone.
    """
    path = Path(path)
    paths = find_transcripts(path)
    root = path if path.is_dir() else path.parent
    ids = doc_ids(paths, root)
    extra = find_resources(resources)
    store = (BuildCache(cache_dir, root, engine=engine, encoding=encoding, tables=tuple(PER_DOCUMENT),
                        resources=extra)
             if cache_dir is not None else None)
    todo = store.stale(paths, ids) if store else list(zip(paths, ids))
    jobs = [(str(p), i, encoding, engine, extra) for p, i in todo]
    parts: dict[str, list[pd.DataFrame]] = {}
    errors = []
    for tables, errs in _run(jobs, workers=workers, progress=progress):
        errors.extend({**e, "path": _display_path(e["path"])} for e in errs)
        for name, df in tables.items():
            parts.setdefault(name, []).append(df)
    fresh = {name: schema.concat(parts.get(name, []), columns) for name, columns in PER_DOCUMENT.items()}
    fresh["documents"]["path"] = fresh["documents"]["path"].map(_display_path).astype(schema.STR)
    failed = {e["doc_id"] for e in errors}
    if store is None:
        tables = schema.in_order(fresh, ids, PER_DOCUMENT)
    else:
        # Resources that only some stages read: those stages are redone from the cached tables.
        opts = _stage_options(extra)
        derive = {"mentions": lambda t: to_mentions(t["turns"], t["tokens"], **opts["mentions"]),
                  "topics": lambda t: to_topics(t["tokens"], **opts["topics"])}
        tables = store.update(fresh, ids, failed=failed, columns=PER_DOCUMENT, derive=derive)
    tables["errors"] = schema.conform(pd.DataFrame(errors), ERRORS) if errors else schema.empty(ERRORS)
    order = ["documents", "turns", "tokens", "topics", "mentions", "exchanges", "errors"]
    return {name: tables[name] for name in order}


def _batches(jobs: list[tuple], n_min: int) -> tuple[list[list[tuple]], int]:
    """Jobs in file order, cut into batches of about ``BATCH_BYTES`` (at least ``n_min``
    batches), and the bytes of all the files."""
    sizes = [Path(j[0]).stat().st_size if Path(j[0]).is_file() else 0 for j in jobs]
    limit = max(1, min(BATCH_BYTES, sum(sizes) // max(1, n_min) + 1))
    batches, cur, acc = [], [], 0
    for job, size in zip(jobs, sizes):
        if cur and acc + size > limit:
            batches.append(cur)
            cur, acc = [], 0
        cur.append(job)
        acc += size
    if cur:
        batches.append(cur)
    return batches, sum(sizes)


def _run(jobs: list[tuple], *, workers: int, progress: bool | None) -> Iterator[tuple[dict, list]]:
    """Yield (tables, errors) per batch, in file order, from this process alone or
    with ``workers - 1`` worker processes (``run_shared``)."""
    batches, n_bytes = _batches(jobs, n_min=4 * workers if workers > 1 else 1)
    if n_bytes < PARALLEL_BYTES:  # done here before a worker process would be ready
        workers = 1
    show = progress if progress is not None else (len(jobs) >= 20 and None)
    bar = None
    if show is not False:
        from tqdm.auto import tqdm  # imported only when shown: it warns in kernels without ipywidgets

        bar = tqdm(total=len(jobs), desc="transcripts", unit="file", disable=None if show is None else False)

    def done(k: int) -> None:
        if bar is not None:
            bar.update(len(batches[k]))

    try:
        if workers <= 1 or len(batches) < 2:
            for k, batch in enumerate(batches):
                result = _process_batch(batch)
                done(k)
                yield result
        else:
            engine, resources = jobs[0][3:]
            yield from run_shared(_process_batch, batches, workers - 1, done=done,
                                  setup=functools.partial(_warm_up, engine, resources))
    finally:
        if bar is not None:
            bar.close()


def _warm_up(engine: str, resources: dict | None) -> None:
    """Load every dictionary, lexicon and registry the stages use (a worker does this
    before it takes its first batch), by processing a two-line transcript."""
    text = "记者：你好吗？\n张三：我很好，谢谢。"
    doc = Document(doc_id="warm-up", path="", text=text, body_start=0, encoding="utf-8", sha256="", size=len(text))
    process_documents([doc], engine=engine, resources=resources)


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
    of this process for the workers' items. ``setup()`` (picklable too) runs in
    each worker before it takes its first item, so that a worker which is slow
    to get ready does not hold up an item this process could have done.
    """
    import multiprocessing as mp
    import queue
    import threading

    lock = threading.Lock()  # done() is called from two threads

    def finish(k: int) -> None:
        if done is not None:
            with lock:
                done(k)

    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
    results: list = [None] * len(items)
    finished = [False] * len(items)
    ends = ctx.Array("q", [0, len(items)])  # next item from the front, one past the next from the back
    out = ctx.Queue()
    procs = [ctx.Process(target=_pull, args=(work, items, ends, out, setup), daemon=True)
             for _ in range(max(0, min(n_workers, len(items) - 1)))]

    started: list = []
    starting = threading.Lock()
    stop = threading.Event()

    def collect() -> None:
        # Started here, not in this process's main thread: starting the first one can wait
        # for the fork server to import the main module, while this process could be working.
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
                    ", ".join(str(p.exitcode) for p in procs if p.exitcode), len(lost))
    for k in lost:
        results[k] = work(items[k])
        finish(k)
    return results


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


def _display_path(p: str | Path) -> str:
    p = Path(p).resolve()
    try:
        return p.relative_to(config.ROOT).as_posix()
    except ValueError:
        return str(p)


def pick_document(documents: pd.DataFrame, doc_id: str | None = None) -> str:
    """The document to chart: ``doc_id`` if given (checked), else the one with the most exchanges.

    Ties go to the earlier file. Raises ValueError naming the valid ids when
    ``doc_id`` is not in the table, or when the table is empty.
    """
    ids = list(documents["doc_id"])
    if not ids:
        raise ValueError("no documents: nothing was read (see the errors table)")
    if doc_id is not None:
        if doc_id not in ids:
            raise ValueError(f"unknown doc_id {doc_id!r}; the documents are: {', '.join(ids)}")
        return doc_id
    n = documents["n_exchanges"].to_numpy()
    return ids[int(n.argmax())]


def select(tables: dict[str, pd.DataFrame], doc_id: str) -> dict[str, pd.DataFrame]:
    """The rows of one document in every table that has a ``doc_id`` column."""
    return {name: df[df["doc_id"] == doc_id].reset_index(drop=True) if "doc_id" in df.columns else df
            for name, df in tables.items()}


def shared_questions(exchanges: pd.DataFrame, *, chars: int = 30, min_chars: int = 8) -> pd.DataFrame:
    """Exchanges whose question appears in more than one document (copies of one interview).

    In: the exchanges table. Out: its rows (doc_id, exchange_id, question) whose
    question, reduced to letters, digits and Han characters and cut to ``chars``,
    occurs in two or more documents, plus that ``key``; sorted by key, doc_id.
    Keys shorter than ``min_chars`` are ignored ("为什么？" is not evidence).
    """
    key = exchanges["question"].fillna("").str.replace(r"\W+", "", regex=True).str[:chars]
    keyed = exchanges.assign(key=key)[["doc_id", "exchange_id", "question", "key"]]
    in_docs = keyed.groupby("key")["doc_id"].transform("nunique")
    shared = keyed[(in_docs > 1) & (keyed["key"].str.len() >= min_chars)]
    return shared.sort_values(["key", "doc_id"], kind="stable").reset_index(drop=True)


# --- writing and reading -----------------------------------------------------

def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | os.PathLike = config.PROCESSED_DIR,
                 *, formats: tuple[str, ...] = ("parquet", "csv")) -> list[Path]:
    """Write each table as ``NAME.parquet`` and ``NAME.csv`` (UTF-8 with BOM), atomically.

    Files are written side by side in threads (Arrow releases the GIL), the
    biggest tables first so that the tokens table's two files overlap.
    """
    from concurrent.futures import ThreadPoolExecutor

    out_dir = Path(out_dir)
    check_writable(out_dir)
    writers = {"parquet": _write_parquet, "csv": _write_csv}
    jobs = [(out_dir / f"{name}.{fmt}", df, writers[fmt]) for name, df in tables.items()
            for fmt in ("parquet", "csv") if fmt in formats]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        list(pool.map(lambda job: write_atomic(job[0], lambda tmp: job[2](job[1], tmp)),
                      sorted(jobs, key=lambda job: -len(job[1]))))
    return [target for target, _, _ in jobs]


def _write_parquet(df: pd.DataFrame, path: str) -> None:
    """Parquet with min/max statistics (they let readers skip row groups when
    filtering) for numbers, booleans and doc_id only: on the text columns of the
    tokens table they cost as much as writing the rest of the file and help no filter."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    stats = [c for c in df.columns if c == "doc_id" or pd.api.types.is_numeric_dtype(df[c].dtype)
             or pd.api.types.is_bool_dtype(df[c].dtype)]
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, write_statistics=stats)


# CSV is written in slices of this many rows, each decoded from categories first:
# Arrow writes plain strings faster than dictionary-encoded ones, and a slice at a
# time keeps the decoded strings small.
CSV_ROWS = 100000


def _write_csv(df: pd.DataFrame, path: str) -> None:
    """CSV in UTF-8 with a byte-order mark (so Excel opens it), via Arrow: several times faster than pandas."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    table = pa.Table.from_pandas(df, preserve_index=False)
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf")
        for start in range(0, max(len(table), 1), CSV_ROWS):
            part = table.slice(start, CSV_ROWS)
            part = pa.table({name: col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col
                             for name, col in zip(part.column_names, part.columns)})
            pcsv.write_csv(part, f, write_options=pcsv.WriteOptions(include_header=start == 0))


def read_tables(processed_dir: str | os.PathLike = config.PROCESSED_DIR) -> dict[str, pd.DataFrame]:
    """Read every ``NAME.parquet`` in ``processed_dir`` back into ``{NAME: DataFrame}``."""
    processed_dir = Path(processed_dir)
    tables = {p.stem: pd.read_parquet(p) for p in sorted(processed_dir.glob("*.parquet"))}
    if not tables:
        raise FileNotFoundError(f"{processed_dir}: no tables here; run `analysis build` first")
    return tables
