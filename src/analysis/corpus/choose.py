"""Choosing what to chart: one document, its rows, and the questions copies of an interview share."""

from __future__ import annotations

import pandas as pd


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
