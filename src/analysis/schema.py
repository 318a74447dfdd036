"""Column names and dtypes of every table, in one place.

Each table is a tidy pandas DataFrame; the same column means the same thing in
every table. ``start``/``end`` are always character offsets into the decoded
document text (``documents.text``), half-open: ``text[start:end]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STR = pd.StringDtype()
ROLE = pd.CategoricalDtype(["question", "answer", "narration"])
SCRIPT = pd.CategoricalDtype(["han", "latin", "digit", "other"])
SOURCE = pd.CategoricalDtype(["registry", "detected"])
ENTITY_TYPE = pd.CategoricalDtype(["person", "organisation", "product", "place", "model", "other"])

DOCUMENTS = {
    "doc_id": STR,         # from the file path under the raw folder, stable
    "path": STR,           # path of the file as read
    "sha256": STR,         # of the raw bytes
    "size": "int64",       # bytes
    "encoding": STR,       # how the bytes were decoded (utf-8, utf-8-sig, gb18030, ...)
    "title": STR,
    "source": STR,
    "author": STR,
    "date": STR,           # as written in the source (ISO when it was ISO)
    "metadata": STR,       # every metadata field found, as a JSON object of strings
    "body_start": "int32", # offset where the body starts (after any front matter)
    "n_chars": "int32",    # non-whitespace characters of the body
    "n_turns": "int32",
    "n_exchanges": "int32",
    "warnings": STR,       # "; "-joined warnings, empty when none
    "text": STR,           # the decoded text; every start/end points into it
}

TURNS = {
    "doc_id": STR,
    "turn_id": "int32",        # 0-based order in the document
    "exchange_id": "Int32",    # 0-based; <NA> for narration before the first question
    "role": ROLE,              # question / answer / narration
    "speaker": STR,            # resolved speaker name; <NA> when nobody speaks (narration)
    "speaker_label": STR,      # the label as written, e.g. "**张三（采访人）**：", "" when none
    "text": STR,               # the turn without its label: documents.text[text_start:text_end]
    "start": "int32",          # turn span, label included
    "end": "int32",
    "text_start": "int32",
    "text_end": "int32",
    "n_chars": "int32",        # non-whitespace characters of text
    "n_han": "int32",          # Han characters of text
}


def empty(columns: dict) -> pd.DataFrame:
    """An empty table with the given columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


def conform(df: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """Return ``df`` with exactly ``columns`` in order, cast to their dtypes."""
    out = df.reindex(columns=list(columns))
    return out.astype(columns)


def concat(frames: list[pd.DataFrame], columns: dict) -> pd.DataFrame:
    """Tables with the same columns, one after the other, dtypes kept.

    Categorical columns are unioned rather than decoded to objects and encoded
    again, which matters for token tables of millions of rows.
    """
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty(columns)
    if len(frames) == 1:
        return conform(frames[0].reset_index(drop=True), columns)
    out = {}
    for col, dtype in columns.items():
        parts = [f[col] for f in frames]
        if isinstance(dtype, str) and dtype == "category":
            cats = [_str_categories(p) for p in parts]
            out[col] = pd.Series(pd.api.types.union_categoricals(cats, sort_categories=True))
        else:
            out[col] = pd.concat(parts, ignore_index=True)
    return conform(pd.DataFrame(out), columns)


def _str_categories(s: pd.Series) -> pd.Series:
    s = s.astype("category")
    cats = s.cat.categories
    return s if cats.dtype == STR else s.cat.rename_categories(pd.Index(cats.astype(str), dtype=STR))


def in_order(tables: dict[str, pd.DataFrame], ids: list[str], columns: dict[str, dict]) -> dict[str, pd.DataFrame]:
    """Rows in file order, then in document order, categories sorted: a parallel or
    cached build equals a serial one, row for row and dtype for dtype."""
    rank = pd.Series(np.arange(len(ids), dtype=np.int64), index=pd.Index(ids, dtype=STR))
    out = {}
    for name, df in tables.items():
        if isinstance(df["doc_id"].dtype, pd.CategoricalDtype):
            codes, uniques = df["doc_id"].cat.codes.to_numpy(), df["doc_id"].cat.categories
        else:
            codes, uniques = pd.factorize(df["doc_id"])
        # unused categories (a removed file) have no rank: -1, never referenced by a code
        key = rank.reindex(pd.Index(uniques).astype(STR)).fillna(-1).to_numpy(np.int64)[codes] << 32
        sub = next((k for k in ("turn_id", "position", "exchange_id", "start") if k in df.columns), None)
        if sub is not None:
            key = key + df[sub].fillna(0).to_numpy(np.int64)
        if len(key) > 1 and not (key[1:] >= key[:-1]).all():
            df = df.take(np.argsort(key, kind="stable"))
        df = df.reset_index(drop=True)
        for col, dtype in columns.get(name, {}).items():
            cats = df[col].cat.categories if isinstance(dtype, str) and dtype == "category" else None
            if cats is not None and not (cats.is_monotonic_increasing and cats.dtype == STR):
                df[col] = df[col].cat.set_categories(pd.Index(sorted(cats), dtype=STR))
        out[name] = df
    return out
