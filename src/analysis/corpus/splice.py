"""Putting tables together in file order: the rows of many batches, or of a cache and a changed file.

``concat`` joins tables with the same columns (categories unioned, never
decoded); ``in_order`` puts rows in file order, then document order; ``splice``
puts the rows of changed files into a cached table without re-sorting the rest;
``without_docs`` drops documents; ``used_categories`` cuts category lists to what the rows use. A parallel or cached build equals a serial one,
row for row and dtype for dtype, because of these.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.schema import STR, conform, empty


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
            cats = [str_categories(p) for p in parts]
            out[col] = pd.Series(pd.api.types.union_categoricals(cats, sort_categories=True))
        else:
            out[col] = pd.concat(parts, ignore_index=True)
    return conform(pd.DataFrame(out, copy=False), columns)


def str_categories(s: pd.Series) -> pd.Series:
    """``s`` as a categorical whose categories have our string dtype."""
    s = s.astype("category")
    cats = s.cat.categories
    return s if cats.dtype == STR else s.cat.rename_categories(pd.Index(cats.astype(str), dtype=STR))


def _doc_mask(df: pd.DataFrame, doc_ids: set[str]) -> np.ndarray:
    """True for the rows of ``df`` whose doc_id is in ``doc_ids`` (on category codes when it can)."""
    col = df["doc_id"]
    if not doc_ids or df.empty:
        return np.zeros(len(df), dtype=bool)
    if isinstance(col.dtype, pd.CategoricalDtype):
        return np.isin(col.cat.codes.to_numpy(), np.flatnonzero(col.cat.categories.isin(list(doc_ids))))
    return col.isin(list(doc_ids)).to_numpy(bool)


def without_docs(df: pd.DataFrame, doc_ids: set[str]) -> pd.DataFrame:
    """The rows of ``df`` whose doc_id is not in ``doc_ids``; categories no row uses any more are dropped."""
    mask = _doc_mask(df, doc_ids)
    if not mask.any():
        return df
    out = df[~mask].reset_index(drop=True)
    for name in out.columns:
        if isinstance(out[name].dtype, pd.CategoricalDtype):
            out[name] = _compact(out[name].cat.codes.to_numpy(), out[name].cat.categories)
    return out


def used_categories(df: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """``df`` with each ``"category"`` column's categories cut to those its rows use, in
    their (sorted) order: the same lists for a clean, cached or parallel build of the
    same files, whatever the history (a changed file's old words, words the segmenter
    saw but no token kept). Columns that use all their categories are not touched, nor
    those of a fixed list in the schema (``role``)."""
    out = df
    for name, dtype in columns.items():
        col = df[name]
        if not (isinstance(dtype, str) and dtype == "category" and isinstance(col.dtype, pd.CategoricalDtype)):
            continue
        codes = col.cat.codes.to_numpy()
        if len(col.cat.categories) and (np.bincount(codes[codes >= 0], minlength=len(col.cat.categories)) == 0).any():
            out = out.assign(**{name: _compact(codes, col.cat.categories)})
    return out


def _compact(codes: np.ndarray, cats: pd.Index) -> pd.Categorical:
    """A categorical of ``codes`` into ``cats`` without the categories no code uses
    (``remove_unused_categories`` sorts every code; this counts them)."""
    used = np.bincount(codes[codes >= 0], minlength=len(cats)) > 0
    if used.all():
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(cats))
    remap = np.append(np.cumsum(used) - 1, -1)
    return pd.Categorical.from_codes(remap[codes], dtype=pd.CategoricalDtype(cats[used]))


def ranks(ids: list[str]) -> pd.Series:
    """Each doc_id's place in the list of files."""
    return pd.Series(np.arange(len(ids), dtype=np.int64), index=pd.Index(ids, dtype=STR))


def _doc_codes(df: pd.DataFrame, rank: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """doc_id codes of the rows, and each code's file rank (from ``ranks``; -1 for a
    document not among the files, such as an unused category of a removed file)."""
    if isinstance(df["doc_id"].dtype, pd.CategoricalDtype):
        codes, uniques = df["doc_id"].cat.codes.to_numpy(), df["doc_id"].cat.categories
    else:
        codes, uniques = pd.factorize(df["doc_id"])
    return codes, rank.reindex(pd.Index(uniques).astype(STR)).fillna(-1).to_numpy(np.int64)


def _sub_key(df: pd.DataFrame) -> np.ndarray | None:
    """The row's place in its document (turn_id, position, exchange_id or start; <NA> as 0)."""
    sub = next((k for k in ("turn_id", "position", "exchange_id", "start") if k in df.columns), None)
    if sub is None:
        return None
    col = df[sub]
    if isinstance(col.dtype, np.dtype) and col.dtype.kind == "i":  # no <NA> possible: no copy
        return col.to_numpy()
    return col.fillna(0).to_numpy(np.int64)


def order_key(df: pd.DataFrame, rank: pd.Series) -> np.ndarray:
    """Per row: the file's rank (from ``ranks``) << 32 + the row's place in its document."""
    codes, rank_of = _doc_codes(df, rank)
    key = rank_of[codes] << 32
    sub = _sub_key(df)
    return key if sub is None else key + sub


def is_ordered(df: pd.DataFrame, rank: pd.Series) -> bool:
    """Whether ``order_key`` would be sorted, checked document run by document run
    (no per-row key of 64 bits to make: on a token table that costs more than the check)."""
    if len(df) < 2:
        return True
    codes, rank_of = _doc_codes(df, rank)
    heads = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    runs = rank_of[codes[np.r_[0, heads]]]
    if len(runs) > 1 and not (runs[1:] > runs[:-1]).all():
        return False
    sub = _sub_key(df)
    if sub is None:
        return True
    falls = np.flatnonzero(sub[1:] < sub[:-1]) + 1  # allowed only where a document starts
    return bool(np.isin(falls, heads).all())


def in_order(tables: dict[str, pd.DataFrame], ids: list[str], columns: dict[str, dict]) -> dict[str, pd.DataFrame]:
    """Rows in file order, then in document order, categories sorted: a parallel or
    cached build equals a serial one, row for row and dtype for dtype."""
    rank = ranks(ids)
    out = {}
    for name, df in tables.items():
        if not is_ordered(df, rank):
            df = df.take(np.argsort(order_key(df, rank), kind="stable"))
        df = df.reset_index(drop=True)
        for col, dtype in columns.get(name, {}).items():
            cats = df[col].cat.categories if isinstance(dtype, str) and dtype == "category" else None
            if cats is not None and not (cats.is_monotonic_increasing and cats.dtype == STR):
                df[col] = df[col].cat.set_categories(pd.Index(sorted(cats), dtype=STR))
        out[name] = df
    return out


def splice(kept: pd.DataFrame, fresh: pd.DataFrame, ids: list[str], columns: dict, *,
           drop: set[str] = frozenset()) -> pd.DataFrame:
    """``in_order`` of ``concat([kept without the documents in drop, fresh])`` for one
    table whose ``kept`` rows are in order already (a cached table) and whose
    ``fresh`` rows belong to other documents.

    Categories that only removed files (not among ``ids``) used are dropped;
    those only the old version of a changed file used stay, unused (counting
    them would cost more than the rest of the splice).

    The result is put together from a few slices of each: kept documents are
    never re-sorted and category codes are remapped, never strings compared, so
    putting one changed file into a table of millions of rows costs about one
    copy of it. Falls back to ``in_order`` when ``kept`` is not in file order.
    """
    fresh = in_order({"t": conform(fresh, columns)}, ids, {"t": columns})["t"].copy(deep=False)
    kept = conform(kept, columns).copy(deep=False)  # columns are replaced below, the caller's frame is not
    gone = _doc_mask(kept, drop)
    blocks = _doc_blocks(kept, ranks(ids), gone)
    f_blocks = _doc_blocks(fresh, ranks(ids), np.zeros(len(fresh), bool))
    if blocks is None or f_blocks is None:
        return in_order({"t": concat([without_docs(kept, drop), fresh], columns)}, ids, {"t": columns})["t"]
    # Both tables on the same sorted categories, so that slices concatenate as codes.
    for col, dtype in columns.items():
        if isinstance(dtype, str) and dtype == "category":
            a, b = str_categories(kept[col]), str_categories(fresh[col])
            cats = a.cat.categories
            if not (cats.is_monotonic_increasing and b.cat.categories.isin(cats).all()):
                cats = pd.Index(sorted(set(cats) | set(b.cat.categories)), dtype=STR)
            common = pd.CategoricalDtype(cats)
            kept[col] = pd.Categorical.from_codes(_codes_in(a, cats), dtype=common)
            fresh[col] = pd.Categorical.from_codes(_codes_in(b, cats), dtype=common)
    runs: list[list] = []  # [table, first row, row after the last], adjacent rows merged

    def take(table: pd.DataFrame, start: int, stop: int) -> None:
        if runs and runs[-1][0] is table and runs[-1][2] == start:
            runs[-1][2] = stop
        else:
            runs.append([table, start, stop])

    f_ranks, f_starts, f_stops = f_blocks
    f_at = 0
    for rank, start, stop in zip(*blocks):
        while f_at < len(f_ranks) and f_ranks[f_at] < rank:
            take(fresh, f_starts[f_at], f_stops[f_at])
            f_at += 1
        if not gone[start]:
            take(kept, start, stop)
    for k in range(f_at, len(f_ranks)):
        take(fresh, f_starts[k], f_stops[k])
    out = pd.concat([t.iloc[a:b] for t, a, b in runs], ignore_index=True) if runs else kept.iloc[:0]
    if drop - set(ids):  # a file was removed: forget the words only it used (a changed file's linger, unused)
        for col, dtype in columns.items():
            if isinstance(dtype, str) and dtype == "category":
                out[col] = _compact(out[col].cat.codes.to_numpy(), out[col].cat.categories)
    return conform(out.reset_index(drop=True), columns)


def _doc_blocks(df: pd.DataFrame, rank: pd.Series, gone: np.ndarray) -> tuple[list, list, list] | None:
    """(file rank, first row, row after the last) of each document's run of rows,
    or None when a document's rows are not together or the runs of the documents
    not ``gone`` (a mask of rows) are not in file order."""
    codes, rank_of = _doc_codes(df, rank)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, np.int64)
    ranks = rank_of[codes[starts]]
    live = ranks[~gone[starts]]
    if (live < 0).any() or (len(live) > 1 and not (live[1:] > live[:-1]).all()):
        return None
    return ranks.tolist(), starts.tolist(), np.r_[starts[1:], len(codes)].astype(np.int64).tolist()


def _codes_in(s: pd.Series, cats: pd.Index) -> np.ndarray:
    """The codes of categorical ``s`` re-expressed in ``cats`` (a superset of its categories)."""
    codes = s.cat.codes.to_numpy()
    if s.cat.categories.equals(cats):
        return codes
    return np.append(cats.get_indexer(s.cat.categories), -1).astype(np.int32)[codes]
