"""Texts the segmenter and the mention matcher read: what is said, in Simplified characters.

Two transformations, both of the same length as the text, so that every offset
found in the result points into the original text:

- :func:`blank_unsaid`: the turn's unsaid spans (time marks, markup, stage
  directions, repeated speaker headings; the turns table's ``unsaid`` column)
  become spaces, so no token and no mention comes from them;
- :func:`simplified`: Traditional characters become Simplified ones (OpenCC's
  ``t2s``), since jieba's dictionary, the surname list and the registry are
  Simplified. OpenCC converts phrases (乾隆 stays 乾隆, 頭髮 becomes 头发); when a
  phrase would change the length of the text, the text is converted character by
  character instead, each character kept when its conversion is not one character.

The tables keep the original characters: a token or a mention's ``surface`` is
sliced from the original text at the offsets found in the shadow.
"""

from __future__ import annotations

import functools
import json

import pandas as pd


@functools.cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1 << 16)
def _char(c: str) -> str:
    out = _converter().convert(c)
    return out if len(out) == 1 else c


def simplified(text: str) -> str:
    """``text`` in Simplified characters, of the same length (see the module docstring)."""
    if not text or text.isascii():
        return text
    out = _converter().convert(text)
    if len(out) == len(text):
        return out
    return "".join(_char(c) for c in text)


def blank(text: str, spans, offset: int = 0) -> str:
    """``text`` with the characters of ``spans`` (``[(start, end), ...]`` in a
    coordinate where ``text`` starts at ``offset``) replaced by spaces."""
    if not spans:
        return text
    chars = list(text)
    n = len(chars)
    for s, e in spans:
        a, b = max(0, int(s) - offset), min(n, int(e) - offset)
        if a < b:
            chars[a:b] = " " * (b - a)
    return "".join(chars)


def said_texts(turns: pd.DataFrame) -> list[str]:
    """Each turn's ``text`` with its ``unsaid`` spans (document offsets, JSON)
    blanked; the texts as they are when the table has no ``unsaid`` column."""
    texts = turns["text"].fillna("").astype(str).tolist()
    if "unsaid" not in turns.columns:
        return texts
    unsaid = turns["unsaid"].fillna("").astype(str).tolist()
    starts = turns["text_start"].to_numpy().tolist()
    return [blank(t, json.loads(u), s) if u else t for t, u, s in zip(texts, unsaid, starts)]
