"""Turns -> tokens: one row per word, number or punctuation mark of every turn.

This is the only module that imports jieba or rjieba. Two engines sit behind
one interface and give the same tokens:

- ``"rjieba"`` (default): the Rust port jieba-rs, 15-20x faster on one core;
- ``"jieba"``: the reference Python implementation, accurate mode.

Both run with the HMM off (``HMM = False``). With it off the two engines agree
token for token on the bundled transcripts and on random mixed text; with it on
they differ (jieba-rs keeps ``self-driving`` whole, jieba splits it at the
hyphen), it is slower, and it invents words from runs of single characters,
most of them wrong. Names it would have found are found by
:mod:`analysis.entities` instead, which runs the HMM on just those runs
(:func:`tag_new_words`).

Both engines load jieba's dictionary plus the project's user dictionary
(``resources/userdict.txt``) and any files passed as ``userdict=``; each
combination is loaded once per process. jieba splits on spaces, so terms with
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

import functools
import logging
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import config, doc_names as names, schema, shadow

log = logging.getLogger(__name__)

ENGINES = ("rjieba", "jieba")
# The HMM setting of both engines; see the module docstring for why it is off.
HMM = False

RESOURCES = resources.files("analysis") / "resources"
USERDICT = RESOURCES / "userdict.txt"
STOPWORDS_ZH = RESOURCES / "stopwords_zh.txt"
STOPWORDS_EN = RESOURCES / "stopwords_en.txt"

TOKENS = {
    "doc_id": "category",
    "turn_id": "int32",
    "exchange_id": "Int32",
    "role": schema.ROLE,
    "speaker": "category",
    "position": "int32",      # 0-based order of the token in its document (whitespace not counted)
    "token": "category",      # as written: document_text[start:end]
    "norm": "category",       # NFKC + casefold, whitespace runs as one space
    "start": "int32",
    "end": "int32",
    "is_stopword": "bool",
    "is_punct": "bool",       # every character is punctuation or a symbol
    "script": schema.SCRIPT,  # han / latin / digit / other
}

# Turns are segmented in batches of about this many characters: the engines
# return one Python string per token, so this bounds the memory they take.
_BATCH = 1 << 20

_ZW = "\u200b\u200c\u200d\u2060\ufeff"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE = re.compile(f"[{_HAN}]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_DIGITS_RE = re.compile(r"\d+(?:[.,]\d+)*")
_URL_RE = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&*+,;=%\\]+", re.IGNORECASE)
_SPACE_RUN = re.compile(r"\s+")
# Full-width ASCII letters and digits (ＡＩ, Ｈ２０) are segmented as their
# ASCII twins so Latin words stay whole; a 1:1 mapping, so offsets hold.
_WIDE_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_WIDE_TABLE = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)}
# Whole decimal numbers, and thousands written with commas.
# Numbers with a percent sign or a Chinese unit (2%, 3.5万, 2万多, 10亿元 is 10亿 + 元)
# and ranges (2%~5%, 3至5, 20-30%) are one token too.
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_UNIT = r"(?:[%％‰]|[万亿](?:多|余)?元?|[千百](?=[万亿]))"
_NUMBER = (r"(?<![\d.,])(?:" + _NUM + _UNIT + r"?[~～至到]" + _NUM + _UNIT + r"?|"
           + _NUM + r"[-–]" + _NUM + r"[%％]|" + _NUM + r"[%％][-–]" + _NUM + r"[%％]|"
           + _NUM + _UNIT + r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![.,]?\d)")
_URL = _URL_RE.pattern
# One user-dictionary line: word, then optionally freq, then optionally tag.
_USERDICT_LINE = re.compile(r"^(?P<word>.+?)(?:[ \t]+(?P<freq>\d+)(?:[ \t]+(?P<tag>[A-Za-z]+))?)?[ \t]*$")


# --- resources -----------------------------------------------------------------

def as_paths(arg) -> tuple:
    """``None`` / one path / several paths -> a tuple of paths."""
    if arg is None:
        return ()
    if isinstance(arg, (str, os.PathLike)) or hasattr(arg, "read_text"):
        return (arg,)
    return tuple(arg)


def stamp(paths) -> tuple[tuple[str, int], ...]:
    """A cache key for a set of files that changes when one of them is edited."""
    out = []
    for p in paths:
        try:
            out.append((str(p), os.stat(p).st_mtime_ns))
        except TypeError:  # a resource inside a zip: no mtime, never edited
            out.append((str(p), 0))
        except FileNotFoundError:
            raise FileNotFoundError(f"{p}: no such file") from None
    return tuple(out)


def read_text(path) -> str:
    """A resource file's text (UTF-8, BOM allowed); ``path`` may be a package resource."""
    p = path if hasattr(path, "read_text") else Path(path)
    return p.read_text(encoding="utf-8-sig")


def read_userdict(path) -> pd.DataFrame:
    """A user dictionary file -> one row per entry: word, freq (Int64), tag.

    jieba's format (``word [freq [tag]]``) with ``#`` comments and blank lines
    allowed; words may contain spaces when freq follows them, or when the fields
    are separated by tabs.
    """
    rows = []
    for n, line in enumerate(read_text(path).splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "\t" in line:
            fields = [f.strip() for f in line.split("\t")]
            word, freq, tag = (fields + ["", ""])[:3]
        else:
            m = _USERDICT_LINE.match(line)
            word, freq, tag = m["word"], m["freq"] or "", m["tag"] or ""
        if freq and not freq.isdigit():
            raise ValueError(f"{path}:{n}: frequency {freq!r} is not a whole number")
        rows.append((word.strip(), int(freq) if freq else None, tag or None))
    df = pd.DataFrame(rows, columns=["word", "freq", "tag"])
    return df.astype({"word": schema.STR, "freq": "Int64", "tag": schema.STR})


def read_wordlist(path) -> set[str]:
    """A list of words, one a line (``#`` comments) -> the set of their norms."""
    words = (line.strip() for line in read_text(path).splitlines())
    return {normalize(w) for w in words if w and not w.startswith("#")}


@functools.cache
def _userdict_entries(stamp: tuple[tuple[str, int], ...]) -> pd.DataFrame:
    frames = [read_userdict(path) for path, _ in stamp]
    df = pd.concat(frames, ignore_index=True) if frames else read_userdict(USERDICT).iloc[:0]
    # A later file overrides an earlier one for the same word.
    return df.drop_duplicates("word", keep="last").reset_index(drop=True)


@functools.cache
def _stopwords(stamp: tuple[tuple[str, int], ...]) -> frozenset[str]:
    out: set[str] = set()
    for path, _ in stamp:
        out |= read_wordlist(path)
    return frozenset(out)


# --- engines -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Engine:
    cut: Callable[[str], list[str]]
    hmm_cut: Callable[[str], list[str]]  # the same engine with its HMM on: new words from runs of characters
    terms: re.Pattern          # user-dictionary terms, numbers and URLs merged after cutting
    prefixes: frozenset[str]   # norms a token must have to start a term
    entries: pd.DataFrame      # the user dictionary (word, freq, tag)
    tagger: Callable[[str], list[tuple[str, str]]] | None  # rjieba only: POS with the HMM
    starts: dict[str, bool] = field(default_factory=dict)  # word -> may start a term, remembered


def _import_jieba():
    # jieba 0.42.1's sources have invalid escape sequences: compiling them warns,
    # and under -W error that is a SyntaxError.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)  # "Building prefix dict ..." on stderr otherwise
    return jieba


def _term_pattern(words: Sequence[str]) -> re.Pattern:
    """One regex for every merge term, longest first so the longest match wins."""
    alts = []
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        body = r"[^\S\r\n]+".join(re.escape(p) for p in w.split())
        pre = r"(?<![0-9A-Za-z])" if w[0].isascii() and w[0].isalnum() else ""
        post = r"(?![0-9A-Za-z])" if w[-1].isascii() and w[-1].isalnum() else ""
        alts.append(pre + body + post)
    alts += [f"(?P<url>{_URL})", _NUMBER]
    return re.compile("|".join(alts), re.IGNORECASE)


def _prefixes(words: Sequence[str]) -> frozenset[str]:
    out = {"http", "https"}
    for w in words:
        n = normalize(w)
        out.update(n[:k] for k in range(1, len(n) + 1))
    return frozenset(out)


@functools.cache
def _load(engine: str, stamp: tuple[tuple[str, int], ...], registry: tuple = ()) -> _Engine:
    """An engine with jieba's dictionary, the user dictionaries of ``stamp`` and,
    when ``registry`` (a stamp of the shipped registry) is given, its Chinese aliases."""
    entries = _userdict_entries(stamp)
    spaced = entries["word"].str.contains(r"\s", regex=True).to_numpy(bool)
    latin = entries["word"].str.contains(r"[A-Za-z]", regex=True).to_numpy(bool)
    merged = entries["word"][spaced | latin].tolist()
    terms, prefixes = _term_pattern(merged), _prefixes(merged)
    # Words with spaces can never come out of the engines; the rest go in.
    single = [
        (w, None if pd.isna(f) else int(f), None if pd.isna(t) else t)
        for w, f, t in entries.loc[~spaced, ["word", "freq", "tag"]].itertuples(index=False)
    ]
    if registry:
        single = _registry_words(set(entries["word"])) + single
    log.info("loading %s with %d user-dictionary entries (%d merged after cutting)", engine, len(entries), len(merged))
    if engine == "rjieba":
        import rjieba

        seg = rjieba.Jieba()
        for w, f, t in single:
            seg.add_word(w, f, t)
        return _Engine(
            cut=functools.partial(seg.cut, hmm=HMM), hmm_cut=functools.partial(seg.cut, hmm=True), terms=terms,
            prefixes=prefixes, entries=entries, tagger=functools.partial(seg.tag, hmm=True),
        )
    if engine == "jieba":
        jieba = _import_jieba()
        tk = jieba.Tokenizer()
        config.CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tk.tmp_dir = str(config.CACHE_DIR)  # its cache, not the system temp folder
        tk.initialize()
        for w, f, t in single:
            tk.add_word(w, f, t)
        return _Engine(cut=functools.partial(tk.lcut, HMM=HMM), hmm_cut=functools.partial(tk.lcut, HMM=True),
                       terms=terms, prefixes=prefixes, entries=entries, tagger=None)
    raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")


# Registry aliases the dictionaries lack go in with this frequency: enough for 卫健委 or
# 北大 to beat their characters, too little to beat two dictionary words (提高|通过, not 提|高通|过).
REGISTRY_FREQ = 20
_REGISTRY_TAGS = {"person": "nr", "organisation": "nt", "place": "ns", "product": "nz", "model": "nz", "other": "nz"}


def _registry_words(user: set[str]) -> list[tuple[str, int, str]]:
    """The shipped registry's Chinese aliases (without spaces or Latin letters) that
    neither jieba's dictionary nor a user dictionary has, as dictionary entries."""
    from analysis import entities  # entities imports this module

    reg = entities.read_registry(entities.REGISTRY)
    reg = reg[reg["type"].isin(list(_REGISTRY_TAGS)) & reg["alias"].str.fullmatch(f"[{_HAN}]{{2,}}")]
    reg = reg.drop_duplicates("alias")
    table = _main_dictionary()
    have = set(table.filter(pc.is_in(table["word"], value_set=pa.array(reg["alias"].tolist(), pa.string())))
               ["word"].to_pylist()) | user
    return [(a, REGISTRY_FREQ, _REGISTRY_TAGS[t]) for a, t in zip(reg["alias"], reg["type"]) if a not in have]


def _engine(engine: str = "rjieba", userdict=None) -> _Engine:
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    from analysis import entities

    return _load(engine, stamp((USERDICT, *as_paths(userdict))), stamp((entities.REGISTRY,)))


def load(engine: str = "rjieba", *, userdict=None) -> None:
    """Load an engine and its dictionaries now (otherwise on first use)."""
    _engine(engine, userdict)


# --- words ---------------------------------------------------------------------------

def normalize(word: str) -> str:
    """The ``norm`` of a token: NFKC, case folded, whitespace runs as one space."""
    return _SPACE_RUN.sub(" ", unicodedata.normalize("NFKC", word).casefold())


def _is_space(word: str) -> bool:
    return all(c.isspace() or c in _ZW for c in word)


def _is_punct(word: str) -> bool:
    return bool(word) and all(unicodedata.category(c)[0] in "PS" for c in word)


def _script(norm: str) -> str:
    if _HAN_RE.search(norm):
        return "han"
    if _URL_RE.match(norm):
        return "other"
    if _LATIN_RE.search(norm):
        return "latin"
    if _DIGITS_RE.fullmatch(norm):
        return "digit"
    return "other"


@functools.lru_cache(maxsize=1 << 18)
def _word_info(word: str) -> tuple[str, str, bool, bool]:
    """norm, script, is_punct, is_space of one distinct word."""
    norm = normalize(word)
    return norm, _script(norm), _is_punct(word), _is_space(word)


# --- tokens ----------------------------------------------------------------------------

def _hmm_runs(eng: _Engine, folded: str, words: pa.Array, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Runs of two or more single Han characters (what the dictionary could not
    join) cut again with the engine's HMM, which makes new words of them (葛兆光),
    as jieba does with its HMM on. Only Han runs: the engines' HMM modes differ on
    Latin words (jieba-rs keeps ``self-driving`` whole, jieba splits it), not here;
    the range is the one both engines run their HMM on (U+4E00-U+9FD5).
    -> the new token ends, and which tokens are new words (from the HMM, 2+ characters)."""
    one = pc.and_(pc.equal(pc.utf8_length(words), 1),
                  pc.match_substring_regex(words, "^[\u4e00-\u9fd5]$")).to_numpy(zero_copy_only=False)
    link = one[:-1] & one[1:]
    first = np.flatnonzero(one & ~np.r_[False, link])
    last = np.flatnonzero(one & ~np.r_[link, False])
    keep = last > first
    first, last = first[keep], last[keep]
    if not len(first):
        return ends, np.zeros(len(ends), bool)
    starts = np.r_[0, ends[:-1]]
    a, b = starts[first], ends[last]
    pieces = eng.hmm_cut("\n".join(folded[x:y] for x, y in zip(a.tolist(), b.tolist())))
    # A new word made only of function characters (地 + 想, 的 + 是) is the HMM's
    # guess, not a word: its characters stay apart.
    func = _function_chars()
    pieces = [c for p in pieces for c in (p if len(p) > 1 and all(ch in func for ch in p) else (p,))]
    plen = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    pend = np.cumsum(plen)
    real = np.array([p != "\n" for p in pieces], dtype=bool)
    jstart = np.r_[0, np.cumsum(b - a + 1)[:-1]]  # where each run starts in the joined string
    run = np.searchsorted(jstart, pend[real] - 1, side="right") - 1
    inner = a[run] + pend[real] - jstart[run]     # piece ends in batch offsets
    in_run = np.zeros(len(ends), bool)
    for f, l in zip(first.tolist(), last.tolist()):
        in_run[f:l] = True  # token ends inside a run (not its last) are replaced by the HMM's
    out = np.union1d(ends[~in_run], inner)
    new_ends = inner[plen[real] >= 2]
    new_starts = new_ends - plen[real][plen[real] >= 2]
    starts = np.r_[0, out[:-1]]
    return out, np.isin(out, new_ends) & np.isin(starts, new_starts)


@functools.cache
def _function_chars() -> frozenset[str]:
    """Single-character Chinese stopwords (的, 地, 了, 想, ...)."""
    return frozenset(w for w in read_wordlist(STOPWORDS_ZH) if len(w) == 1)


def force_spans(ends: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """Token ends -> the ends after cutting at the edges of ``spans`` (non-overlapping,
    in order) and nowhere inside them: each span becomes one token."""
    s = np.array([x for x, _ in spans], dtype=np.int64)
    e = np.array([y for _, y in spans], dtype=np.int64)
    k = np.searchsorted(s, ends, side="right") - 1
    kk = np.maximum(k, 0)
    inside = (k >= 0) & (ends > s[kk]) & (ends < e[kk])
    return np.union1d(ends[~inside], np.r_[s[s > 0], e])


def _cut_batch(eng: _Engine, text: str, names_for=None) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Segment one batch of text -> codes, distinct words, starts, ends.

    ``uniques[codes[i]]`` is token ``i``, ``text[starts[i]:ends[i]]``; terms are
    merged, whitespace tokens kept (they tile ``text``). ``names_for(shadow, ends,
    new)`` gives the spans to keep whole (the documents' own names, ``analysis.names``).
    """
    folded = text.translate(_WIDE_TABLE) if _WIDE_ALNUM.search(text) else text
    folded = shadow.simplified(folded)  # same length: Traditional text is cut as Simplified
    # Arrow turns the engine's list of strings into lengths and dictionary
    # codes in C, about twice as fast as numpy/pandas from a Python list.
    words = pa.array(eng.cut(folded), pa.string())
    ends = np.cumsum(pc.utf8_length(words).to_numpy(zero_copy_only=False), dtype=np.int64)
    if int(ends[-1] if len(ends) else 0) != len(text):
        raise RuntimeError("the segmenter lost or added characters; offsets would be wrong")
    cut = ends
    ends, new = _hmm_runs(eng, folded, words, ends)
    if names_for is not None:
        spans = names_for(folded, ends, new)
        if spans:
            ends = force_spans(ends, spans)
    starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
    if folded is not text or ends is not cut:  # the table keeps what was written
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


def _may_start(eng: _Engine, word: str) -> bool:
    got = eng.starts.get(word)
    if got is None:
        norm = _word_info(word)[0]
        got = eng.starts[word] = norm in eng.prefixes or norm.isdigit()
    return got


def to_tokens(turns: pd.DataFrame, *, engine: str = "rjieba", userdict=None, stopwords=None) -> pd.DataFrame:
    """Turns -> one row per token of each turn's text (speaker labels are not tokens).

    In: a turns table (doc_id, turn_id, exchange_id, role, speaker, text,
    text_start, ...). Out: the ``TOKENS`` columns, ordered by doc_id, turn_id,
    position. ``start``/``end`` are offsets into the document text
    (``text_start`` + offset in the turn text); ``position`` numbers the tokens
    of each document from 0 in reading order. Whitespace is not a token.

    ``engine`` is ``"rjieba"`` (fast, default) or ``"jieba"`` (reference);
    ``userdict`` one or more extra dictionary files (jieba format) loaded on top
    of the project's; ``stopwords`` one or more extra stopword lists.
    """
    eng = _engine(engine, userdict)
    stop = _stopwords(stamp((STOPWORDS_ZH, STOPWORDS_EN, *as_paths(stopwords))))
    if turns.empty:
        return schema.empty(TOKENS)
    turns = turns.sort_values(["doc_id", "turn_id"], kind="stable").reset_index(drop=True)
    texts = shadow.said_texts(turns)  # unsaid spans blanked: no token comes from them
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    turn_doc = pd.factorize(turns["doc_id"].astype(str))[0]
    forms = _speaker_forms(turns, turn_doc)

    vocab: dict[str, int] = {}
    info: list[tuple[str, str, bool, bool]] = []
    codes_parts, start_parts, end_parts, turn_parts = [], [], [], []
    a = 0
    while a < len(texts):
        # Turns a..b-1 form one batch, joined by newlines: a break for both engines.
        b = a + max(1, int(np.searchsorted(np.cumsum(lens[a:] + 1), _BATCH, side="right")))
        offs = np.concatenate([[0], np.cumsum(lens[a:b - 1] + 1)])
        local, uniques, starts, ends = _cut_batch(
            eng, "\n".join(texts[a:b]), functools.partial(_document_names, turn_doc[a:b], offs, lens[a:b], forms))
        a_turn = a
        a = b
        if not len(local):
            continue
        glob = np.empty(len(uniques), dtype=np.int32)
        for k, u in enumerate(uniques):
            code = vocab.get(u)
            if code is None:
                code = vocab[u] = len(vocab)
                info.append(_word_info(u))
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


def _speaker_forms(turns: pd.DataFrame, turn_doc: np.ndarray) -> dict[int, dict[str, str]]:
    """Per document (code of ``turn_doc``): its speakers' Han names and their
    short forms (``names.speaker_forms``), in Simplified characters."""
    out: dict[int, dict[str, str]] = {}
    spoke = turns["role"].isin(["question", "answer", "remark"]).to_numpy(bool) & turns["speaker"].notna().to_numpy()
    pairs = pd.DataFrame({"d": turn_doc[spoke], "s": turns["speaker"][spoke].astype(str).to_numpy()}).drop_duplicates()
    for d, g in pairs.groupby("d"):
        out[int(d)] = names.speaker_forms(shadow.simplified(x) for x in g["s"])
    return out


def _document_names(turn_doc, offs, lens, forms, folded: str, ends: np.ndarray, new: np.ndarray) -> list[tuple[int, int]]:
    """Spans of each document's own names in a batch of turns (``_cut_batch``'s
    ``names_for``): its speakers' names and short forms, and the new person names
    its words hold (``names.new_names``)."""
    starts = np.r_[0, ends[:-1]]
    single = names.surnames()[0]
    out = []
    heads = np.flatnonzero(np.r_[True, turn_doc[1:] != turn_doc[:-1]])
    for h, t in zip(heads.tolist(), np.r_[heads[1:], len(turn_doc)].tolist()):
        a, b = int(offs[h]), int(offs[t - 1] + lens[t - 1])
        i0, i1 = np.searchsorted(starts, [a, b])
        def word(i):
            return folded[starts[i]:ends[i]] if 0 <= i < len(ends) else ""

        cands = [(word(i), word(i - 1), word(i + 1)) for i in (np.flatnonzero(new[i0:i1]) + i0).tolist()]
        # A surname, then a word of one or two characters: 周 + 凯旋.
        pairs = []
        for i in (np.flatnonzero(ends[i0:i1] - starts[i0:i1] == 1) + i0).tolist():
            if folded[starts[i]] in single and i + 1 < len(ends) and 1 <= ends[i + 1] - starts[i + 1] <= 2:
                pairs.append((folded[starts[i]:ends[i + 1]], word(i - 1), word(i + 2)))
        found = names.new_names(cands, pairs) | set(forms.get(int(turn_doc[h]), ()))
        out += [(a + x, a + y) for x, y in names.spans(folded[a:b], found)]
    return out


def tokenize(text: str, *, engine: str = "rjieba", userdict=None) -> list[tuple[str, int, int]]:
    """One string -> ``(token, start, end)`` for each non-whitespace token (terms merged)."""
    codes, uniques, starts, ends = _cut_batch(_engine(engine, userdict), text)
    words = [uniques[c] for c in codes.tolist()]
    return [(w, s, e) for w, s, e in zip(words, starts.tolist(), ends.tolist()) if not _is_space(w)]


# --- tags for entity detection -------------------------------------------------------------

def tag_new_words(text: str, *, userdict=None) -> list[tuple[str, str]]:
    """``(word, tag)`` pairs for ``text`` cut with the HMM on (rjieba), which joins
    runs of single characters into new words and tags them (``nr`` person,
    ``x`` unknown, ...). Lossless: the words concatenate to ``text``."""
    return _engine("rjieba", userdict).tagger(text)


@functools.cache
def _main_dictionary() -> pa.Table:
    """jieba's dict.txt (the dictionary both engines ship): word, freq, tag.

    Read with Arrow's CSV reader and left as an Arrow table (about 25 ms);
    ``word_tags`` looks up only the words it is asked about, since indexing the
    whole dictionary would cost a fresh process more than a batch of text."""
    import pyarrow.csv as pcsv

    types = {"word": pa.string(), "freq": pa.int64(), "tag": pa.string()}
    return pcsv.read_csv(
        str(Path(find_spec("jieba").origin).parent / "dict.txt"),
        read_options=pcsv.ReadOptions(column_names=list(types)),
        parse_options=pcsv.ParseOptions(delimiter=" ", quote_char=False),
        convert_options=pcsv.ConvertOptions(column_types=types),
    )


def word_tags(words: Sequence[str], *, userdict=None) -> pd.DataFrame:
    """Dictionary entries of ``words`` -> one row per word, in order: freq (Int64),
    tag (jieba's POS tags: nr person, ns place, nt organisation, nz other proper
    noun, ...) and source ("user" when a user dictionary has the word, "jieba"
    when only jieba's dict.txt has it, <NA> when neither). User entries win; of
    a word listed twice in dict.txt, the last line."""
    words = [str(w) for w in words]
    table = _main_dictionary()
    found = table.filter(pc.is_in(table["word"], value_set=pa.array(words, pa.string())))
    main = dict(zip(found["word"].to_pylist(), zip(found["freq"].to_pylist(), found["tag"].to_pylist())))
    entries = _engine("rjieba", userdict).entries
    user = {w: (f, t) for w, f, t in zip(entries["word"].tolist(), entries["freq"].tolist(), entries["tag"].tolist())}
    freq, tag, source = [], [], []
    for w in words:
        f, t = main.get(w, (None, None))
        src = "jieba" if w in main else None
        if w in user:
            uf, ut = user[w]
            f = f if pd.isna(uf) else uf
            t = t if pd.isna(ut) else ut
            src = "user"
        freq.append(None if f is None else int(f))
        tag.append(t)
        source.append(src)
    return pd.DataFrame({
        "freq": pd.array(freq, dtype="Int64"),
        "tag": pd.array(tag, dtype=schema.STR),
        "source": pd.array(source, dtype=schema.STR),
    })


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
