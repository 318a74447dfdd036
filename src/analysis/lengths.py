"""Turns + tokens -> how much was said: word counts per turn, one row per exchange.

A *word* here is a token that is neither a stopword nor punctuation (numbers and
Latin words count). Characters are non-whitespace characters (``turns.n_chars``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema, segment
from analysis.parse import count_chars

EXCHANGES = {
    "doc_id": schema.STR,
    "exchange_id": "Int32",
    "question": schema.STR,        # the question turns' text, joined by newlines
    "question_chars": "int32",     # non-whitespace characters of the question turns
    "answer_chars": "int32",       # non-whitespace characters of the answer turns
    "ratio": "float64",            # answer_chars / question_chars (NaN when no question text)
    "n_answer_turns": "int32",
    "answer_words": "int32",       # tokens of the answers that are not stopwords or punctuation
    "latin_share": "float64",      # share of those words in Latin script (NaN when none)
    "answerer": schema.STR,        # who answered; several people joined by " / "
}

LENGTH_COLUMNS = {
    "n_tokens": "int32",           # tokens of the turn (punctuation included, whitespace not)
    "n_words": "int32",            # tokens that are not stopwords or punctuation
}


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
    t = pd.DataFrame({
        "doc_id": turns["doc_id"].astype(str).to_numpy(),
        "exchange_id": turns["exchange_id"].astype("Int32").array,
        "turn_id": turns["turn_id"].to_numpy(np.int64),
        "role": turns["role"].astype(str).to_numpy(),
        "speaker": turns["speaker"].astype(object).to_numpy(),
        "text": turns["text"].fillna("").astype(str).to_numpy(),
        "n_chars": _n_chars(turns),
        "n_words": counts["n_words"].to_numpy(),
        "n_latin": counts["n_latin"].to_numpy(),
    })
    t = t[t["exchange_id"].notna() & t["role"].isin(["question", "answer"])].sort_values(["doc_id", "turn_id"])
    if t.empty:
        return schema.empty(EXCHANGES)
    keys = ["doc_id", "exchange_id"]
    q = t[t["role"] == "question"].groupby(keys, sort=True).agg(
        question=("text", "\n".join), question_chars=("n_chars", "sum"))
    a = t[t["role"] == "answer"].groupby(keys, sort=True).agg(
        answer_chars=("n_chars", "sum"), n_answer_turns=("turn_id", "size"),
        answer_words=("n_words", "sum"), answer_latin=("n_latin", "sum"),
        answerer=("speaker", lambda s: " / ".join(dict.fromkeys(x for x in s if isinstance(x, str) and x))),
    )
    out = q.join(a, how="outer").reset_index()
    for col in ("question_chars", "answer_chars", "n_answer_turns", "answer_words", "answer_latin"):
        out[col] = out[col].fillna(0).astype(np.int64)
    out["question"] = out["question"].fillna("")
    out["answerer"] = out["answerer"].replace("", np.nan)
    out["ratio"] = _share(out["answer_chars"], out["question_chars"])
    out["latin_share"] = _share(out["answer_latin"], out["answer_words"])
    return schema.conform(out, EXCHANGES)


def _share(part: pd.Series, whole: pd.Series) -> np.ndarray:
    """part / whole, NaN where whole is 0."""
    whole = whole.to_numpy(np.float64)
    return np.divide(part.to_numpy(np.float64), whole, out=np.full(len(whole), np.nan), where=whole > 0)


def _n_chars(turns: pd.DataFrame) -> np.ndarray:
    if "n_chars" in turns:
        return turns["n_chars"].to_numpy(np.int64)
    return np.fromiter((count_chars(t) for t in turns["text"].fillna("").astype(str)),
                       dtype=np.int64, count=len(turns))
