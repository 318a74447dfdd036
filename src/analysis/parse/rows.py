"""Parsed turns -> rows of the turns table, exchanges numbered, characters counted."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from analysis.parse.turns import Turn
from analysis.text import HAN_RANGES, ZERO_WIDTH, count_chars  # noqa: F401 (count_chars re-exported)

# What count_chars leaves out: whitespace as str.split() sees it (none lies above
# U+3000) and the zero-width characters.
_UNCOUNTED = np.array([c for c in range(0x3001) if chr(c).isspace()] + [ord(z) for z in ZERO_WIDTH], dtype=np.uint32)
# The same as a lookup table over the Basic Multilingual Plane (all of them lie in it; the
# last entry, U+FFFF, is counted and stands for every code point above it).
_IS_UNCOUNTED = np.zeros(0x10000, dtype=bool)
_IS_UNCOUNTED[_UNCOUNTED] = True


def span_counts(text: str, starts, ends) -> tuple[np.ndarray, np.ndarray]:
    """For each span ``text[start:end]``: ``count_chars`` of it and its number of Han
    characters (CJK ideographs, extensions A to G). One vectorised pass over ``text``
    instead of a regex per span."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    han = np.zeros(len(codes), dtype=bool)
    for lo, hi in HAN_RANGES:
        han |= (codes >= lo) & (codes <= hi)
    counted = np.concatenate([[0], np.cumsum(~_IS_UNCOUNTED[np.minimum(codes, 0xFFFF)])])
    hans = np.concatenate([[0], np.cumsum(han)])
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    return counted[ends] - counted[starts], hans[ends] - hans[starts]


def turn_rows(doc_id: str, text: str, turns: list[Turn]) -> list[dict]:
    """Rows of the turns table for one parsed document, with exchanges numbered.

    A question opens an exchange (consecutive questions share one); answers, remarks
    and narration belong to the exchange they follow. ``n_chars`` and ``n_han`` leave
    out the turn's unsaid spans (markup, stage directions, repeated labels).
    """
    flat = [(i, s, e) for i, t in enumerate(turns) for s, e in t.unsaid]
    # one pass over the text for the turns and their unsaid spans
    chars, hans = span_counts(text, [t.text_start for t in turns] + [s for _, s, _ in flat],
                              [t.end for t in turns] + [e for _, _, e in flat])
    n_chars, n_han = chars[:len(turns)], hans[:len(turns)]
    if flat:
        np.subtract.at(n_chars, [i for i, _, _ in flat], chars[len(turns):])
        np.subtract.at(n_han, [i for i, _, _ in flat], hans[len(turns):])
    rows = []
    exchange = -1
    last_role = None
    for i, t in enumerate(turns):
        if t.role == "question" and last_role != "question":
            exchange += 1
        if t.role in ("question", "answer"):
            last_role = t.role
        elif t.kind == "no_answer":
            last_role = None  # "冇答": the question stays unanswered; the next opens its own exchange
        rows.append({
            "doc_id": doc_id,
            "turn_id": i,
            "exchange_id": exchange if exchange >= 0 else pd.NA,
            "role": t.role,
            "speaker": t.speaker if t.role != "narration" else None,
            "speaker_label": t.speaker_label,
            "text": text[t.text_start:t.end],
            "start": t.start,
            "end": t.end,
            "text_start": t.text_start,
            "text_end": t.end,
            "n_chars": int(n_chars[i]),
            "n_han": int(n_han[i]),
            "unsaid": json.dumps(t.unsaid) if t.unsaid else "",
            "t_start": pd.NA if t.t_start is None else float(t.t_start),
            "t_end": pd.NA if t.t_end is None else float(t.t_end),
        })
    return rows
