"""The tables behind the charts: one row per document and bar, keeping ``doc_id``.

Each ``count_*`` function takes a tidy table (topics, mentions, tokens, turns)
and returns the aggregate a chart draws, which is also the CSV saved beside
it. ``require_columns`` and ``one_document`` are the checks every chart makes
on its input; ``NoDataError`` means "nothing to draw", and a chart that raises
it is skipped, not a crash.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["NoDataError", "ROLES", "ALL_ROLES", "role_columns", "require_columns", "one_document", "exchanges_in_order",
           "count_topics", "count_entities", "count_words", "count_roles"]

# Turn roles in the order charts stack them. Every count table has a column
# for each of ROLES; "remark" (a known speaker's turn that neither asks nor
# answers: a moderator's hand-off, thanks) gets one only where there are remarks.
ROLES = ("question", "answer", "narration")
ALL_ROLES = ("question", "answer", "remark", "narration")


class NoDataError(ValueError):
    """The table has no rows to draw (a document without questions, mentions, ...)."""


def role_columns(roles: Iterable[object]) -> list[str]:
    """The role columns of a count table: ``ROLES``, with "remark" before narration when ``roles`` has one.

    ``roles``: the role values found (a ``turns.role`` column) or a table's column names.
    """
    found = set(roles)
    return [r for r in ALL_ROLES if r in ROLES or r in found]


def require_columns(df: pd.DataFrame | None, columns: Iterable[str], what: str) -> pd.DataFrame:
    """``df`` if it has ``columns``; NoDataError otherwise (a chart without its data is skipped, not a crash)."""
    if df is None:
        raise NoDataError(f"no {what} table")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise NoDataError(f"{what} table lacks column(s) {missing}")
    return df


def one_document(df: pd.DataFrame, what: str) -> None:
    n = df["doc_id"].nunique(dropna=True) if "doc_id" in df.columns else 1
    if n > 1:
        raise ValueError(f"{what}: {n} documents; this chart shows one interview (filter on doc_id)")


def exchanges_in_order(exchanges: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The exchanges of one document with ``columns``, in interview order; NoDataError when there are none."""
    require_columns(exchanges, ["exchange_id", *columns], "exchanges")
    ex = exchanges.dropna(subset=["exchange_id"])
    if ex.empty:
        raise NoDataError("no exchanges to plot")
    one_document(ex, "exchanges")
    return ex.sort_values("exchange_id", ignore_index=True)


def count_topics(topics: pd.DataFrame, exchanges: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per document and topic: how many exchanges touch it and how much answer text they hold.

    In: ``topics`` (doc_id, exchange_id, topic, hits_question, hits_answer), and
    optionally ``exchanges`` (doc_id, exchange_id, answer_chars).
    Out: doc_id, topic, n_exchanges, n_in_question, n_in_answer, and with
    ``exchanges`` answer_chars (of the exchanges touching the topic) and
    answer_share (that over all answer characters of the document in
    ``exchanges``; an exchange with two topics counts for both, so shares need
    not add up to 1). Per document, most frequent first.
    """
    require_columns(topics, ["doc_id", "exchange_id", "topic", "hits_question", "hits_answer"], "topics")
    t = topics.dropna(subset=["doc_id", "exchange_id", "topic"])
    t = t.assign(doc_id=t["doc_id"].astype(str), topic=t["topic"].astype(str))
    keys = ["doc_id", "exchange_id"]
    per = (t.groupby(["doc_id", "topic", "exchange_id"], sort=False)[["hits_question", "hits_answer"]]
           .sum().reset_index())
    out = per.groupby(["doc_id", "topic"]).agg(
        n_exchanges=("exchange_id", "size"),
        n_in_question=("hits_question", lambda s: int((s > 0).sum())),
        n_in_answer=("hits_answer", lambda s: int((s > 0).sum())),
    ).reset_index()
    if exchanges is not None:
        require_columns(exchanges, [*keys, "answer_chars"], "exchanges")
        ex = exchanges[[*keys, "answer_chars"]].dropna(subset=keys)
        ex = ex.assign(doc_id=ex["doc_id"].astype(str), answer_chars=ex["answer_chars"].fillna(0).astype("int64"))
        total = ex.groupby("doc_id")["answer_chars"].sum()
        chars = per.merge(ex, on=keys, how="left").groupby(["doc_id", "topic"])["answer_chars"].sum(min_count=0)
        out = out.merge(chars.rename("answer_chars").reset_index(), on=["doc_id", "topic"], how="left")
        out["answer_chars"] = out["answer_chars"].fillna(0).astype("int64")
        out["answer_share"] = out["answer_chars"] / out["doc_id"].map(total).replace(0, np.nan).astype(float)
    return out.sort_values(["doc_id", "n_exchanges", "topic"], ascending=[True, False, True], ignore_index=True)


def count_entities(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per document and entity: mentions in questions, in answers, in narration, and in all.

    In: ``mentions`` (doc_id, entity, entity_type, role). Out: doc_id, entity,
    entity_type (its most frequent type in the document), question, answer,
    [remark, when any mention is in a remark,] narration, total. Per document,
    most mentioned first.
    """
    require_columns(mentions, ["doc_id", "entity", "role"], "mentions")
    m = mentions.dropna(subset=["doc_id", "entity"])
    m = m.assign(doc_id=m["doc_id"].astype(str), entity=m["entity"].astype(str),
                 role=m["role"].astype("string").fillna("narration"))
    keys = ["doc_id", "entity"]
    roles = role_columns(m["role"].unique())
    out = (m.groupby([*keys, "role"]).size().unstack("role", fill_value=0)
           .reindex(columns=roles, fill_value=0).astype("int64"))
    out["total"] = out.sum(axis=1)
    out = out.reset_index()
    out.columns.name = None
    if "entity_type" in m.columns:
        types = (m.dropna(subset=["entity_type"]).assign(entity_type=lambda d: d["entity_type"].astype(str))
                 .groupby(keys)["entity_type"].agg(lambda s: s.value_counts().index[0]).rename("entity_type"))
        out = out.merge(types.reset_index(), on=keys, how="left")
        out = out[[*keys, "entity_type", *roles, "total"]]
    return out.sort_values(["doc_id", "total", "entity"], ascending=[True, False, True], ignore_index=True)


def count_words(tokens: pd.DataFrame, *, min_len: int = 2) -> pd.DataFrame:
    """Word frequencies for a word cloud: one row per document and normalised word.

    In: ``tokens`` (doc_id, token, norm, is_stopword, is_punct, script).
    Stopwords, punctuation, digits and other symbols, and words shorter than
    ``min_len`` characters (single Han characters are mostly particles) are
    left out. Out: doc_id, word (the most frequent spelling in the document),
    norm, n. Per document, most frequent first.
    """
    require_columns(tokens, ["doc_id", "token", "norm", "is_stopword", "is_punct"], "tokens")
    keep = ~tokens["is_stopword"].fillna(False).astype(bool) & ~tokens["is_punct"].fillna(False).astype(bool)
    if "script" in tokens.columns:
        keep &= tokens["script"].astype("string").isin(["han", "latin"]).fillna(False)
    t = tokens.loc[keep, ["doc_id", "token", "norm"]].dropna()
    t = t.assign(doc_id=t["doc_id"].astype(str), norm=t["norm"].astype(str).str.strip(),
                 token=t["token"].astype(str).str.strip())
    t = t[t["norm"].str.len() >= min_len]
    if t.empty:
        return pd.DataFrame({"doc_id": pd.Series(dtype="string"), "word": pd.Series(dtype="string"),
                             "norm": pd.Series(dtype="string"), "n": pd.Series(dtype="int64")})
    keys = ["doc_id", "norm"]
    spelled = t.groupby([*keys, "token"]).size().rename("k").reset_index()
    spelled = spelled.sort_values([*keys, "k", "token"], ascending=[True, True, False, True]).drop_duplicates(keys)
    counts = t.groupby(keys).size().rename("n").reset_index()
    out = counts.merge(spelled[[*keys, "token"]], on=keys).rename(columns={"token": "word"})
    return out[["doc_id", "word", "norm", "n"]].sort_values(["doc_id", "n", "word"], ascending=[True, False, True],
                                                            ignore_index=True)


def count_roles(turns: pd.DataFrame, *, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per document: characters (excluding whitespace) of its questions, answers and narration.

    In: ``turns`` (doc_id, role, n_chars); optionally ``documents`` (doc_id),
    so a document without any turn still gets its row of zeros. Out: doc_id,
    question, answer, [remark, when there are remark turns,] narration (int64,
    zero where a role is absent), one row per document (``documents``' order,
    else sorted by doc_id). A turn without a role counts as narration.
    Documents are counted separately, never added up.
    """
    require_columns(turns, ["doc_id", "role", "n_chars"], "turns")
    t = turns.dropna(subset=["doc_id"])
    t = t.assign(doc_id=t["doc_id"].astype(str), role=t["role"].astype("string").fillna("narration"),
                 n_chars=t["n_chars"].fillna(0).astype("int64"))
    sums = t.groupby(["doc_id", "role"])["n_chars"].sum().unstack("role", fill_value=0)
    ids = sorted(sums.index) if documents is None else list(dict.fromkeys(
        [*documents["doc_id"].dropna().astype(str), *sorted(sums.index)]))
    out = sums.reindex(index=ids, columns=role_columns(t["role"].unique()), fill_value=0).fillna(0).astype("int64")
    out.index.name, out.columns.name = "doc_id", None
    return out.reset_index()
