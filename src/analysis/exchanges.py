"""Turns + tokens -> the exchanges table (one row per question and its answers), and word counts per turn.

A *word* here is a token that is neither a stopword nor punctuation (numbers and
Latin words count). Characters are non-whitespace characters (``turns.n_chars``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema, segment
from analysis.schema import EXCHANGES, LENGTHS
from analysis.text import count_chars

LENGTH_COLUMNS = LENGTHS  # the columns add_lengths adds


def _per_turn(turns: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """Token counts of each turn, aligned with ``turns`` rows: n_tokens, n_words, n_latin."""
    word = ~tokens["is_stopword"].to_numpy(bool) & ~tokens["is_punct"].to_numpy(bool)
    latin = word & (tokens["script"].astype(schema.SCRIPT).cat.codes.to_numpy() == schema.SCRIPT.categories.get_loc("latin"))
    tix = segment.turn_index(tokens, turns)
    n = len(turns)
    return pd.DataFrame({
        "n_tokens": np.bincount(tix, minlength=n),
        "n_words": np.bincount(tix, weights=word, minlength=n),
        "n_latin": np.bincount(tix, weights=latin, minlength=n),
    }).astype(np.int32)


def add_lengths(turns: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """Turns -> the same turns with n_tokens and n_words added (0 for a turn with no tokens)."""
    counts = _per_turn(turns, tokens)
    out = turns.copy()
    out["n_tokens"] = counts["n_tokens"].to_numpy(np.int32)
    out["n_words"] = counts["n_words"].to_numpy(np.int32)
    return out


def to_exchanges(turns: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """Turns + tokens -> one row per exchange (doc_id, exchange_id), the ``EXCHANGES`` columns.

    Question and answer turns only; narration inside an exchange and text before
    the first question are left out.
    """
    counts = _per_turn(turns, tokens)
    exchange = turns["exchange_id"].astype("Int32").to_numpy(np.int64, na_value=-1)
    is_q = (turns["role"] == "question").to_numpy(bool)
    is_a = (turns["role"] == "answer").to_numpy(bool)
    keep = np.flatnonzero((exchange >= 0) & (is_q | is_a))
    if not len(keep):
        return schema.empty(EXCHANGES)
    # Sorted codes stand for doc_id so that exchanges come out in doc_id order.
    doc, doc_ids = pd.factorize(turns["doc_id"].astype(str), sort=True)
    turn_id = turns["turn_id"].to_numpy(np.int64)
    # Rows of one exchange next to each other, in turn order: each exchange is
    # then a slice, summed by bincount and joined by slicing.
    rows = keep[np.lexsort((turn_id[keep], exchange[keep], doc[keep]))]
    doc, exchange = doc[rows], exchange[rows]
    starts = np.r_[True, (doc[1:] != doc[:-1]) | (exchange[1:] != exchange[:-1])]
    group = np.cumsum(starts) - 1
    n = int(group[-1]) + 1
    question, answer = is_q[rows], is_a[rows]

    def total(values: np.ndarray, where: np.ndarray) -> np.ndarray:
        return np.bincount(group[where], weights=values[rows[where]], minlength=n).astype(np.int64)

    n_chars, n_words, n_latin = _n_chars(turns), counts["n_words"].to_numpy(), counts["n_latin"].to_numpy()
    question_chars, answer_chars = total(n_chars, question), total(n_chars, answer)
    answer_words, answer_latin = total(n_words, answer), total(n_latin, answer)
    text = turns["text"].take(rows[question]).fillna("").astype(str).to_numpy(object)
    speaker = turns["speaker"].take(rows[answer]).astype(schema.STR).fillna("").to_numpy(object)
    # Each answerer once, first appearance first; nobody named -> missing.
    named = speaker != ""
    out = pd.DataFrame({
        "doc_id": doc_ids.to_numpy()[doc[starts]],
        "exchange_id": exchange[starts],
        "question": _join_groups(text, group[question], n, "\n", missing=""),
        "question_chars": question_chars,
        "answer_chars": answer_chars,
        "ratio": _share(answer_chars, question_chars),
        "n_answer_turns": np.bincount(group[answer], minlength=n),
        "answer_words": answer_words,
        "latin_share": _share(answer_latin, answer_words),
        "answerer": _join_groups(speaker[named], group[answer][named], n, " / ", distinct=True),
    })
    return schema.conform(out, EXCHANGES)


def _join_groups(values: np.ndarray, group: np.ndarray, n: int, sep: str, *,
                 missing: str | None = None, distinct: bool = False) -> list:
    """``sep``-join of ``values`` per group (``group``: 0..n-1, sorted, one per value), in order;
    ``missing`` for a group with no value; ``distinct``: each value once.

    One Python pass over slices of the values: far cheaper than a groupby
    calling a Python function once per group.
    """
    out = [missing] * n
    values = values.tolist()
    if not values:
        return out
    bounds = np.flatnonzero(np.r_[True, group[1:] != group[:-1], True]).tolist()
    for g, a, b in zip(group[bounds[:-1]].tolist(), bounds[:-1], bounds[1:]):
        out[g] = sep.join(dict.fromkeys(values[a:b]) if distinct else values[a:b])
    return out


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """part / whole, NaN where whole is 0."""
    whole = np.asarray(whole, np.float64)
    return np.divide(np.asarray(part, np.float64), whole, out=np.full(len(whole), np.nan), where=whole > 0)


def _n_chars(turns: pd.DataFrame) -> np.ndarray:
    if "n_chars" in turns:
        return turns["n_chars"].to_numpy(np.int64)
    return np.fromiter((count_chars(t) for t in turns["text"].fillna("").astype(str)),
                       dtype=np.int64, count=len(turns))
