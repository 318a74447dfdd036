"""Turns -> tokens: one row per word, number or punctuation mark of every turn.

The engines (``"rjieba"``, default, and the ``"jieba"`` reference) are loaded
by :mod:`analysis.engines`; they give the same tokens. Both run with the HMM off (``HMM = False``). With it off the two engines agree
token for token on the bundled transcripts and on random mixed text; with it on
they differ (jieba-rs keeps ``self-driving`` whole, jieba splits it at the
hyphen), it is slower, and it invents words from runs of single characters,
most of them wrong. Names it would have found are found by
:mod:`analysis.entities` instead, which runs the HMM on just those runs
(:func:`tag_new_words`).

Both engines load jieba's dictionary plus the user dictionaries of a
``language.Resources`` object (the shipped ``resources/userdict.txt`` and
yours), once per object. jieba splits on spaces, so terms with
spaces (``DeepSeek R1``, ``Agentic AI``) cannot come out of it whole: after
segmentation a single regex pass over the text finds the user-dictionary terms
that contain spaces or Latin letters (whole words, any case, any run of spaces
or NBSPs between the words) and merges the tokens they cover, when the term's
ends fall on token boundaries. The same pass keeps decimal numbers (``3.5``,
``1,000``) and URLs whole.

Offsets are never shifted: tokens of a turn, with the whitespace between them,
tile the turn's text, and ``document_text[start:end] == token`` for every row.
Whitespace tokens (spaces, NBSP, U+3000, line breaks, zero-width characters)
are dropped from the table.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import language, schema
from analysis.engines import ENGINES, HMM, URL_RE, Engine, load_engine, read_userdict, tag_new_words, word_tags
from analysis.schema import TOKENS
from analysis.text import HAN_RE, ZERO_WIDTH, normalize

__all__ = ["ENGINES", "HMM", "TOKENS", "load_engine", "normalize", "read_userdict", "read_wordlist",
           "read_wordlists", "tag_new_words", "to_tokens", "tokenize", "turn_index", "word_info", "word_tags",
           "is_space", "is_punct"]

# Turns are segmented in batches of about this many characters: the engines
# return one Python string per token, so this bounds the memory they take.
_BATCH = 1 << 20

_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_DIGITS_RE = re.compile(r"\d+(?:[.,]\d+)*")
# Full-width ASCII letters and digits (ＡＩ, Ｈ２０) are segmented as their
# ASCII twins so Latin words stay whole; a 1:1 mapping, so offsets hold.
_WIDE_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_WIDE_TABLE = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)}


# --- stopwords -------------------------------------------------------------------

def read_wordlist(path) -> set[str]:
    """A list of words, one a line (``#`` comments) -> the set of their norms."""
    words = (line.strip() for line in language.read_text(path).splitlines())
    return {normalize(w) for w in words if w and not w.startswith("#")}


def read_wordlists(paths) -> frozenset[str]:
    """The norms of the words of every list."""
    out: set[str] = set()
    for p in paths:
        out |= read_wordlist(p)
    return frozenset(out)


# --- words ---------------------------------------------------------------------------

def is_space(word: str) -> bool:
    """Only whitespace and zero-width characters."""
    return all(c.isspace() or c in ZERO_WIDTH for c in word)


def is_punct(word: str) -> bool:
    """Every character is punctuation or a symbol."""
    return bool(word) and all(unicodedata.category(c)[0] in "PS" for c in word)


def _script(norm: str) -> str:
    if HAN_RE.search(norm):
        return "han"
    if URL_RE.match(norm):
        return "other"
    if _LATIN_RE.search(norm):
        return "latin"
    if _DIGITS_RE.fullmatch(norm):
        return "digit"
    return "other"


def word_info(word: str) -> tuple[str, str, bool, bool]:
    """norm, script, is_punct, is_space of one distinct word."""
    norm = normalize(word)
    return norm, _script(norm), is_punct(word), is_space(word)


def _word_info(eng: Engine, word: str) -> tuple[str, str, bool, bool]:
    """``word_info``, remembered on the engine (the same words come back in every batch)."""
    got = eng.info.get(word)
    if got is None:
        got = eng.info[word] = word_info(word)
    return got


# --- tokens ----------------------------------------------------------------------------

def _cut_batch(eng: Engine, text: str) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Segment one batch of text -> codes, distinct words, starts, ends.

    ``uniques[codes[i]]`` is token ``i``, ``text[starts[i]:ends[i]]``; terms are
    merged, whitespace tokens kept (they tile ``text``).
    """
    folded = text.translate(_WIDE_TABLE) if _WIDE_ALNUM.search(text) else text
    # Arrow turns the engine's list of strings into lengths and dictionary
    # codes in C, about twice as fast as numpy/pandas from a Python list.
    words = pa.array(eng.cut(folded), pa.string())
    ends = np.cumsum(pc.utf8_length(words).to_numpy(zero_copy_only=False), dtype=np.int64)
    starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
    if int(ends[-1] if len(ends) else 0) != len(text):
        raise RuntimeError("the segmenter lost or added characters; offsets would be wrong")
    if folded is not text:  # the engine saw ASCII twins; the table keeps what was written
        words = pa.array([text[s:e] for s, e in zip(starts.tolist(), ends.tolist())], pa.string())
    if not len(words):
        return np.zeros(0, np.int32), [], starts, ends
    encoded = words.dictionary_encode()
    del words
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    uniques = encoded.dictionary.to_pylist()

    # Merge terms: only tokens that can start one are tried, with an anchored
    # match of the term regex at their offset (a scan of the whole text with
    # that regex would cost more than the segmentation).
    may_start = np.fromiter(
        (_may_start(eng, u) for u in uniques), dtype=bool, count=len(uniques)
    )
    candidates = np.flatnonzero(may_start[codes])
    found = []
    for i, s in zip(candidates.tolist(), starts[candidates].tolist()):
        m = eng.terms.match(folded, s)
        if m is not None:
            e = m.end()
            if m.lastgroup == "url":  # a URL does not end with sentence punctuation
                e = s + len(folded[s:e].rstrip(".,;:!?"))
            found.append((i, e))
    if not found:
        return codes, uniques, starts, ends
    first, end = np.array(found, dtype=np.int64).T
    last = np.minimum(np.searchsorted(ends, end), len(ends) - 1)
    aligned = (ends[last] == end) & (last > first)
    spans = []
    merged_to = -1
    for i, j in zip(first[aligned].tolist(), last[aligned].tolist()):
        if i > merged_to:  # a term inside a term already merged
            spans.append((i, j))
            merged_to = j
    if not spans:
        return codes, uniques, starts, ends
    keep = np.ones(len(codes), dtype=bool)
    index = {u: k for k, u in enumerate(uniques)}
    for i, j in spans:
        keep[i + 1:j + 1] = False
        ends[i] = ends[j]
        word = text[starts[i]:ends[j]]
        code = index.get(word)
        if code is None:
            code = index[word] = len(uniques)
            uniques.append(word)
        codes[i] = code
    return codes[keep], uniques, starts[keep], ends[keep]


def _may_start(eng: Engine, word: str) -> bool:
    got = eng.starts.get(word)
    if got is None:
        norm = _word_info(eng, word)[0]
        got = eng.starts[word] = norm in eng.prefixes or norm.isdigit()
    return got


def to_tokens(turns: pd.DataFrame, resources=None, *, engine: str = "rjieba", userdict=None,
              stopwords=None) -> pd.DataFrame:
    """Turns -> one row per token of each turn's text (speaker labels are not tokens).

    In: a turns table (doc_id, turn_id, exchange_id, role, speaker, text,
    text_start, ...). Out: the ``TOKENS`` columns, ordered by doc_id, turn_id,
    position. ``start``/``end`` are offsets into the document text
    (``text_start`` + offset in the turn text); ``position`` numbers the tokens
    of each document from 0 in reading order. Whitespace is not a token.

    ``resources``: the ``language.Resources`` whose user dictionary and stopwords
    are used (default: the shipped ones). ``engine`` is ``"rjieba"`` (fast,
    default) or ``"jieba"`` (reference). Without ``resources``, ``userdict`` (one
    or more extra dictionary files, jieba format) and ``stopwords`` (extra
    stopword lists) are added to the shipped ones.
    """
    res = language.resolve(resources, userdict=userdict, stopwords=stopwords)
    eng = load_engine(engine, res)
    stop = res.stopwords()
    if turns.empty:
        return schema.empty(TOKENS)
    turns = turns.sort_values(["doc_id", "turn_id"], kind="stable").reset_index(drop=True)
    texts = turns["text"].fillna("").astype(str).tolist()
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))

    vocab: dict[str, int] = {}
    info: list[tuple[str, str, bool, bool]] = []
    codes_parts, start_parts, end_parts, turn_parts = [], [], [], []
    a = 0
    while a < len(texts):
        # Turns a..b-1 form one batch, joined by newlines: a break for both engines.
        b = a + max(1, int(np.searchsorted(np.cumsum(lens[a:] + 1), _BATCH, side="right")))
        offs = np.concatenate([[0], np.cumsum(lens[a:b - 1] + 1)])
        local, uniques, starts, ends = _cut_batch(eng, "\n".join(texts[a:b]))
        a_turn = a
        a = b
        if not len(local):
            continue
        glob = np.empty(len(uniques), dtype=np.int32)
        for k, u in enumerate(uniques):
            code = vocab.get(u)
            if code is None:
                code = vocab[u] = len(vocab)
                info.append(_word_info(eng, u))
            glob[k] = code
        codes = glob[local]
        space = np.fromiter((info[c][3] for c in glob.tolist()), dtype=bool, count=len(glob))[local]
        keep = ~space
        codes, starts, ends = codes[keep], starts[keep], ends[keep]
        tix = np.searchsorted(offs, starts, side="right") - 1
        codes_parts.append(codes)
        start_parts.append((starts - offs[tix]).astype(np.int32))
        end_parts.append((ends - offs[tix]).astype(np.int32))
        turn_parts.append((tix + a_turn).astype(np.int32))

    if not codes_parts or not sum(map(len, codes_parts)):
        return schema.empty(TOKENS)
    codes = np.concatenate(codes_parts)
    tix = np.concatenate(turn_parts)
    text_start = turns["text_start"].to_numpy(np.int32)[tix]
    starts = np.concatenate(start_parts) + text_start
    ends = np.concatenate(end_parts) + text_start
    del start_parts, end_parts, codes_parts, turn_parts

    words = list(vocab)
    norms, scripts, punct, _ = zip(*info)
    norm_codes, norm_uniques = pd.factorize(pd.Series(norms, dtype=object))
    is_stop = np.fromiter((n in stop for n in norms), dtype=bool, count=len(norms))
    script_codes = pd.Categorical(scripts, dtype=schema.SCRIPT).codes

    doc = pd.Categorical(turns["doc_id"].astype(str))
    doc_codes = doc.codes[tix]
    first = np.flatnonzero(np.r_[True, doc_codes[1:] != doc_codes[:-1]])
    position = np.arange(len(codes)) - np.repeat(first, np.diff(np.r_[first, len(codes)]))

    role = pd.Categorical(turns["role"].astype(object), dtype=schema.ROLE)
    speaker = pd.Categorical(turns["speaker"].astype(object))
    out = pd.DataFrame({
        "doc_id": pd.Categorical.from_codes(doc_codes, dtype=doc.dtype),
        "turn_id": turns["turn_id"].to_numpy(np.int32)[tix],
        "exchange_id": pd.array(turns["exchange_id"].astype("Int32").array[tix], dtype="Int32"),
        "role": pd.Categorical.from_codes(role.codes[tix], dtype=role.dtype),
        "speaker": pd.Categorical.from_codes(speaker.codes[tix], dtype=speaker.dtype),
        "position": position.astype(np.int32),
        "token": pd.Categorical.from_codes(codes, categories=pd.Index(words, dtype=schema.STR)),
        "norm": pd.Categorical.from_codes(norm_codes[codes], categories=pd.Index(norm_uniques, dtype=schema.STR)),
        "start": starts.astype(np.int32),
        "end": ends.astype(np.int32),
        "is_stopword": is_stop[codes],
        "is_punct": np.asarray(punct, dtype=bool)[codes],
        "script": pd.Categorical.from_codes(script_codes[codes], dtype=schema.SCRIPT),
    }, copy=False)  # the arrays are new: copying them into blocks would cost a tenth of the stage
    return out


def tokenize(text: str, resources=None, *, engine: str = "rjieba", userdict=None) -> list[tuple[str, int, int]]:
    """One string -> ``(token, start, end)`` for each non-whitespace token (terms merged)."""
    codes, uniques, starts, ends = _cut_batch(load_engine(engine, resources, userdict=userdict), text)
    words = [uniques[c] for c in codes.tolist()]
    return [(w, s, e) for w, s, e in zip(words, starts.tolist(), ends.tolist()) if not is_space(w)]


def turn_index(tokens: pd.DataFrame, turns: pd.DataFrame) -> np.ndarray:
    """For each token row, the position (0-based row number) of its turn in ``turns``.

    Numeric all the way (category codes, no per-token strings), and looked up
    once per run of rows of one turn (tokens come grouped by turn), so it stays
    fast on millions of tokens. Raises ValueError for tokens of turns not in ``turns``.
    """
    doc = tokens["doc_id"].astype("category")
    doc_codes = doc.cat.codes.to_numpy(np.int64)
    tok_turn = tokens["turn_id"].to_numpy(np.int64)
    heads = np.flatnonzero(np.r_[True, (doc_codes[1:] != doc_codes[:-1]) | (tok_turn[1:] != tok_turn[:-1])]) \
        if len(doc_codes) else np.zeros(0, np.int64)
    turn_doc = pd.Index(doc.cat.categories.astype(object)).get_indexer(turns["doc_id"].astype(object)).astype(np.int64)
    turn_id = turns["turn_id"].to_numpy(np.int64)
    width = int(max(turn_id.max(initial=0), tok_turn.max(initial=0))) + 1
    turn_key = turn_doc * width + turn_id
    tok_key = doc_codes[heads] * width + tok_turn[heads]
    if not len(turn_key):
        if len(tok_key):
            raise ValueError("tokens of turns that are not in the turns table")
        return np.zeros(0, np.int64)
    order = np.argsort(turn_key, kind="stable")
    at = np.minimum(np.searchsorted(turn_key[order], tok_key), len(order) - 1)
    tix = order[at]
    if (turn_key[tix] != tok_key).any():
        raise ValueError("tokens of turns that are not in the turns table")
    return np.repeat(tix, np.diff(np.r_[heads, len(doc_codes)]))
