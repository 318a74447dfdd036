"""Documents + exchanges -> which documents are copies of one interview, so corpus-wide counts take each once.

Two files of one press conference (a full web copy and an excerpt of it) share
the excerpt's questions. ``add_duplicates`` links them: a document all of whose
questions appear in another document with at least as many exchanges is a copy
of it (``duplicate_of``); ``without_copies`` keeps one document per interview in
every table. Questions are compared as ``corpus.shared_questions`` compares them
(letters, digits and Han characters only, cut to 30), ignoring very short ones.
"""

from __future__ import annotations

import logging

import pandas as pd

__all__ = ["add_duplicates", "without_copies"]

log = logging.getLogger(__name__)


def _keys(exchanges: pd.DataFrame, chars: int, min_chars: int) -> dict[str, set[str]]:
    key = exchanges["question"].fillna("").astype(str).str.replace(r"\W+", "", regex=True).str[:chars]
    keyed = exchanges.assign(key=key)
    keyed = keyed[keyed["key"].str.len() >= min_chars]
    return {str(d): set(k) for d, k in keyed.groupby("doc_id", observed=True)["key"]}


def add_duplicates(documents: pd.DataFrame, exchanges: pd.DataFrame, *, chars: int = 30,
                   min_chars: int = 8) -> pd.DataFrame:
    """``documents`` with ``duplicate_of``: the doc_id of the document this one is a copy of, "" for an original.

    A document is a copy of another when every one of its questions (of at
    least ``min_chars`` letters) is among the other's and the other has at
    least as many exchanges; of two complete copies the later file is the copy.
    Each copy points at an original (the one with most exchanges, then the
    earliest), never at another copy.
    """
    keys = _keys(exchanges, chars, min_chars)
    ids = [str(d) for d in documents["doc_id"]]
    order = {d: i for i, d in enumerate(ids)}
    n_ex = dict(zip(ids, documents["n_exchanges"].astype(int)))
    # originals first: most exchanges, then file order
    ranked = sorted(ids, key=lambda d: (-n_ex[d], order[d]))
    duplicate_of: dict[str, str] = {}
    for i, d in enumerate(ranked):
        mine = keys.get(d)
        if not mine:
            continue
        for other in ranked[:i]:
            if other not in duplicate_of and mine <= keys.get(other, set()):
                duplicate_of[d] = other
                log.info("%s is a copy of %s (%d shared questions)", d, other, len(mine))
                break
    return documents.assign(duplicate_of=pd.array([duplicate_of.get(d, "") for d in ids], dtype="string"))


def without_copies(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every table without the rows of documents that are copies of another (``add_duplicates``).

    ``tables["documents"]`` gets ``duplicate_of`` if it lacks it; the copies'
    ids are in ``result["documents"].attrs["copies"]``.
    """
    docs = tables["documents"]
    if "duplicate_of" not in docs.columns:
        docs = add_duplicates(docs, tables["exchanges"])
    copies = set(docs.loc[docs["duplicate_of"].fillna("") != "", "doc_id"].astype(str))
    out = {name: df[~df["doc_id"].astype(str).isin(copies)].reset_index(drop=True) if "doc_id" in df.columns else df
           for name, df in tables.items() if name != "documents"}
    kept = docs[~docs["doc_id"].astype(str).isin(copies)].reset_index(drop=True)
    kept.attrs["copies"] = sorted(copies, key=list(docs["doc_id"].astype(str)).index)
    return {"documents": kept, **out}
