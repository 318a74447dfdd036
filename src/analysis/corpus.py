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
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis import config, schema
from analysis.load import Document, TranscriptError, make_doc_id, read_transcript
from analysis.parse import parse_text, turn_rows

log = logging.getLogger(__name__)

ERRORS = {"doc_id": schema.STR, "path": schema.STR, "error": schema.STR}


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


def process_document(doc: Document) -> dict[str, pd.DataFrame]:
    """One decoded document -> its rows of every table."""
    turns, warnings = parse_text(doc.text, body_start=doc.body_start, metadata=doc.metadata)
    rows = turn_rows(doc.doc_id, doc.text, turns)
    turns_df = schema.conform(pd.DataFrame(rows), schema.TURNS) if rows else schema.empty(schema.TURNS)
    n_exchanges = int(turns_df["exchange_id"].nunique(dropna=True))
    if not rows:
        warnings = [*warnings, "no text after the front matter"]
    docs = pd.DataFrame([document_row(doc, len(rows), n_exchanges, warnings)])
    return {"documents": schema.conform(docs, schema.DOCUMENTS), "turns": turns_df}


def build(path: str | os.PathLike = config.RAW_DIR, *, encoding: str | None = None,
          progress: bool | None = None) -> dict[str, pd.DataFrame]:
    """Read one transcript file or a folder of them -> ``{table name: DataFrame}``.

    ``encoding`` forces one encoding for every file (otherwise each file's is
    detected). A file that cannot be read becomes a row of ``errors`` (doc_id,
    path, error) and is left out of the other tables.
    """
    from tqdm.auto import tqdm

    path = Path(path)
    paths = find_transcripts(path)
    root = path if path.is_dir() else path.parent
    parts: dict[str, list[pd.DataFrame]] = {}
    errors = []
    bar = tqdm(paths, desc="transcripts", unit="file", disable=(not progress) if progress is not None else (len(paths) < 2 or None))
    for p in bar:
        doc_id = make_doc_id(p, root)
        try:
            doc = read_transcript(p, encoding=encoding, doc_id=doc_id)
            tables = process_document(doc)
        except TranscriptError as exc:
            log.warning("%s", exc)
            errors.append({"doc_id": doc_id, "path": str(p), "error": str(exc)})
            continue
        except Exception as exc:  # one bad file must not take the corpus down
            log.exception("%s: could not be processed", p)
            errors.append({"doc_id": doc_id, "path": str(p), "error": f"{p}: {type(exc).__name__}: {exc}"})
            continue
        for name, df in tables.items():
            parts.setdefault(name, []).append(df)
    out = {
        "documents": _concat(parts.get("documents"), schema.DOCUMENTS),
        "turns": _concat(parts.get("turns"), schema.TURNS),
    }
    out["errors"] = schema.conform(pd.DataFrame(errors), ERRORS) if errors else schema.empty(ERRORS)
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
