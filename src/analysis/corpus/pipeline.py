"""The pipeline: transcript files -> every table, in one direction.

load (bytes -> text) -> parse (text -> documents, turns) -> segment (tokens)
-> entities (mentions), topics, exchanges. ``process_documents`` runs the stages
on a batch of decoded documents; ``build`` finds the files, asks the cache what
is stale, spreads the batches over processes and puts the tables together in
file order. To add a stage: a module ``analysis/<stage>.py`` with
``to_<stage>(...)`` taking and returning DataFrames, its columns in ``schema``,
one line in ``process_documents`` or in ``DERIVED`` (if it can be redone from
cached tables), and its modules in ``fingerprints.STAGE_CODE``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from analysis import config, language, schema
from analysis.corpus import workers as pool
from analysis.corpus.cache import open_cache
from analysis.corpus.files import display_path, doc_ids, readable, survey
from analysis.corpus.output import describe
from analysis.corpus.splice import concat, in_order, used_categories
from analysis.entities import to_mentions
from analysis.exchanges import to_exchanges
from analysis.copies import add_duplicates
from analysis.dates import add_dates
from analysis.load import Document, TranscriptError, make_doc_id, read_transcript
from analysis.parse import parse_text, turn_rows
from analysis.schema import ERRORS, PER_DOCUMENT
from analysis.segment import to_tokens
from analysis.text import count_chars
from analysis.topics import to_topics

log = logging.getLogger(__name__)

# Below this many bytes of files a build stays in one process: a worker needs about a
# second to start and load the dictionaries, about what this process needs for 4 MB.
PARALLEL_BYTES = 5_000_000

# Stages redone from the cached tables when only their own code or resources changed.
DERIVED = {
    "mentions": lambda t, res: to_mentions(t["turns"], t["tokens"], res),
    "topics": lambda t, res: to_topics(t["tokens"], res),
    "exchanges": lambda t, res: to_exchanges(t["turns"], t["tokens"]),
}


class Job(NamedTuple):
    """One file to process."""
    path: str
    doc_id: str
    encoding: str | None


def document_row(doc: Document, n_turns: int, n_exchanges: int, warnings: Iterable[str]) -> dict:
    """The ``documents`` row of a decoded document and what the parser found in it."""
    meta = doc.metadata
    body = doc.text[doc.body_start:]
    return {
        "doc_id": doc.doc_id,
        "path": readable(doc.path),
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


def process_documents(docs: list[Document], resources: language.Resources | None = None, *,
                      engine: str = "rjieba") -> dict[str, pd.DataFrame]:
    """Decoded documents -> their rows of every per-document table.

    Parsing is per document; segmentation and entity matching run once over
    the whole batch, which is much faster than once per (small) document.
    ``resources``: the ``language.Resources`` of the build (default the shipped files).
    """
    res = language.resolve(resources)
    folder_cast, cast_warnings = res.speakers()
    doc_rows, turn_rows_all = [], []
    for doc in docs:
        # the transcript's own keys (front matter, its sidecar) win over the folder-wide file
        turns, warnings = parse_text(doc.text, body_start=doc.body_start, metadata={**folder_cast, **doc.metadata})
        warnings = [*cast_warnings, *warnings]
        rows = turn_rows(doc.doc_id, doc.text, turns)
        if not rows:
            warnings = [*warnings, "no text after the front matter"]
        n_exchanges = len({r["exchange_id"] for r in rows if r["exchange_id"] is not pd.NA})
        doc_rows.append(document_row(doc, len(rows), n_exchanges, warnings))
        turn_rows_all.extend(rows)
    documents = (schema.conform(add_dates(pd.DataFrame(doc_rows)).assign(duplicate_of=""), schema.DOCUMENTS)
                 if doc_rows else schema.empty(schema.DOCUMENTS))
    turns = schema.conform(pd.DataFrame(turn_rows_all), schema.TURNS) if turn_rows_all else schema.empty(schema.TURNS)
    tables = {"documents": documents, "turns": turns, "tokens": to_tokens(turns, res, engine=engine)}
    for stage, derive in DERIVED.items():
        tables[stage] = derive(tables, res)
    return {name: tables[name] for name in PER_DOCUMENT}


def process_batch(jobs: list[Job], *, engine: str = "rjieba",
                  resources: language.Resources | None = None) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Worker: files -> (their tables, one error row per file that failed). Never raises.

    A file that cannot be decoded is reported and left out; if the language
    layer fails on the batch, each document is retried alone so that only the
    culprit is left out.
    """
    docs, errors = [], []
    for path, doc_id, encoding in jobs:
        try:
            docs.append(read_transcript(path, encoding=encoding, doc_id=doc_id))
        except TranscriptError as exc:
            log.warning("%s", exc)
            errors.append({"doc_id": doc_id, "path": path, "error": str(exc)})
        except OSError as exc:  # unreadable (permissions, an I/O error), gone since it was listed
            errors.append({"doc_id": doc_id, "path": path, "error": f"{path}: cannot be read: {describe(exc)}"})
        except Exception as exc:  # one bad file must not take the corpus down
            log.exception("%s: could not be read", path)
            errors.append({"doc_id": doc_id, "path": path, "error": f"{path}: {type(exc).__name__}: {exc}"})
    try:
        return process_documents(docs, resources, engine=engine), errors
    except Exception:
        if len(docs) == 1:
            raise
    parts: dict[str, list[pd.DataFrame]] = {}
    for doc in docs:
        try:
            tables = process_documents([doc], resources, engine=engine)
        except Exception as exc:
            log.exception("%s: could not be processed", doc.path)
            errors.append({"doc_id": doc.doc_id, "path": doc.path, "error": f"{doc.path}: {type(exc).__name__}: {exc}"})
            continue
        for name, df in tables.items():
            parts.setdefault(name, []).append(df)
    return {name: concat(parts.get(name, []), cols) for name, cols in PER_DOCUMENT.items()}, errors


def build(path: str | os.PathLike = config.RAW_DIR, *, encoding: str | None = None, workers: int = 1,
          cache_dir: str | os.PathLike | None = None, engine: str = "rjieba",
          resources: language.Resources | str | os.PathLike | None = config.USER_RESOURCES_DIR,
          progress: bool | None = None) -> dict[str, pd.DataFrame]:
    """Read one transcript file or a folder of them -> ``{table name: DataFrame}``.

    Tables: documents, turns, tokens, topics, mentions, exchanges, errors.
    ``encoding`` forces one encoding for every file (otherwise each file's is
    detected). A file that cannot be read becomes a row of ``errors`` (doc_id,
    path, error) and is left out of the other tables. ``workers`` > 1 spreads
    files over that many processes (same rows as a serial run). With
    ``cache_dir`` set, a rerun reprocesses only files whose content changed and
    stages whose code or resources changed; see ``analysis.corpus.cache``.
    ``resources``: a ``language.Resources`` (the same object then labels the
    charts), or a folder or file of your own resources extending the shipped
    ones (default ``data/resources/``); None for the shipped ones alone.
    """
    res = resources if isinstance(resources, language.Resources) else language.shared(resources)
    if encoding is not None:
        encoding = known_encoding(encoding)
    path = Path(path)
    paths, problems = survey(path)
    root = path if path.is_dir() else path.parent
    ids = doc_ids(paths, root)
    errors = [{"doc_id": readable(make_doc_id(p, root)), "path": str(p), "error": f"{p}: {why}"}
              for p, why in problems]
    if cache_dir is not None and _inside(Path(cache_dir), root):
        log.warning("%s: the cache folder is inside the raw folder %s, which is never written; cache not used",
                    cache_dir, root)
        cache_dir = None
    with contextlib.ExitStack() as held:
        store = (open_cache(held, cache_dir, root, engine=engine, encoding=encoding, tables=tuple(PER_DOCUMENT),
                            resources=res) if cache_dir is not None else None)
        todo = store.stale(paths, ids) if store else list(zip(paths, ids))
        jobs = [Job(str(p), i, encoding) for p, i in todo]
        parts: dict[str, list[pd.DataFrame]] = {}
        for tables, errs in _run(jobs, workers=workers, progress=progress, engine=engine, resources=res):
            errors.extend(errs)
            for name, df in tables.items():
                parts.setdefault(name, []).append(df)
        fresh = {name: concat(parts.get(name, []), columns) for name, columns in PER_DOCUMENT.items()}
        fresh["documents"]["path"] = fresh["documents"]["path"].map(display_path).astype(schema.STR)
        failed = {e["doc_id"] for e in errors}
        if store is None:  # the same category lists however built (the cache stores them so too)
            tables = in_order(fresh, ids, PER_DOCUMENT)
            tables = {name: used_categories(tables[name], cols) for name, cols in PER_DOCUMENT.items()}
        else:
            derive = {stage: functools.partial(f, res=res) for stage, f in DERIVED.items()}
            tables = store.update(fresh, ids, failed=failed, columns=PER_DOCUMENT, derive=derive)
    errors = sorted(({"doc_id": e["doc_id"], "path": display_path(e["path"]), "error": readable(e["error"])}
                     for e in errors), key=lambda e: e["path"])
    tables["errors"] = schema.conform(pd.DataFrame(errors), ERRORS) if errors else schema.empty(ERRORS)
    # copies of one interview (the excerpt of a full transcript) are linked across the corpus
    docs = tables["documents"]
    tables["documents"] = docs.assign(duplicate_of=add_duplicates(docs, tables["exchanges"])["duplicate_of"].astype(schema.STR))
    return {name: tables[name] for name in [*PER_DOCUMENT, "errors"]}


def _inside(folder: Path, root: Path) -> bool:
    folder, root = folder.resolve(), root.resolve()
    return folder == root or root in folder.parents


def known_encoding(name: str) -> str:
    """Python's name for the codec ``name``; ValueError (a usage error) when there is none."""
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}: give a codec name such as gb18030, big5hkscs, "
                         "utf-8, shift_jis, euc_kr or cp1252") from None


def _run(jobs: list[Job], *, workers: int, progress: bool | None, engine: str,
         resources: language.Resources) -> Iterator[tuple[dict, list]]:
    """Yield (tables, errors) per batch, in file order, from this process alone or
    with ``workers - 1`` worker processes (``workers.run_shared``)."""
    sizes = [Path(j.path).stat().st_size if Path(j.path).is_file() else 0 for j in jobs]
    batches = pool.batches(jobs, sizes, n_min=4 * workers if workers > 1 else 1)
    if sum(sizes) < PARALLEL_BYTES:  # done here before a worker process would be ready
        workers = 1
    show = progress if progress is not None else (len(jobs) >= 20 and None)
    bar = None
    if show is not False:
        from tqdm.auto import tqdm  # imported only when shown: it warns in kernels without ipywidgets

        class Bar(tqdm):
            monitor_interval = 0  # no monitor thread: workers are forked only while no thread runs

        bar = Bar(total=len(jobs), desc="transcripts", unit="file", disable=None if show is None else False)

    def done(k: int) -> None:
        if bar is not None:
            bar.update(len(batches[k]))

    work = functools.partial(process_batch, engine=engine, resources=resources)
    try:
        if workers <= 1 or len(batches) < 2:
            for k, batch in enumerate(batches):
                result = work(batch)
                done(k)
                yield result
        else:
            yield from pool.run_shared(work, batches, workers - 1, done=done,
                                       setup=functools.partial(warm_up, engine, resources))
    finally:
        if bar is not None:
            bar.close()


def warm_up(engine: str, resources: language.Resources) -> None:
    """Load every dictionary, lexicon and registry the stages use (a worker does this
    before it takes its first batch), by processing a two-line transcript."""
    text = "记者：你好吗？\n张三：我很好，谢谢。"
    doc = Document(doc_id="warm-up", path="", text=text, body_start=0, encoding="utf-8", sha256="", size=len(text))
    process_documents([doc], resources, engine=engine)
