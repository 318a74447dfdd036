"""Segmenter engines: load jieba or rjieba with the user dictionary, and read dictionaries.

This is the only module that imports jieba or rjieba. Two engines sit behind
one interface (``load_engine``) and give the same tokens:

- ``"rjieba"`` (default): the Rust port jieba-rs, 15-20x faster on one core;
- ``"jieba"``: the reference Python implementation, accurate mode.

Both run with the HMM off (``HMM``; see ``analysis.segment`` for why) and load
jieba's dictionary plus the user dictionaries of a ``language.Resources``
object, once per object. Terms with spaces or Latin letters cannot come out of
jieba whole; ``Engine.terms`` is the regex that merges them after cutting.
"""

from __future__ import annotations

import functools
import logging
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import config, language, schema
from analysis.text import normalize

log = logging.getLogger(__name__)

ENGINES = ("rjieba", "jieba")
# The HMM setting of both engines; see analysis.segment for why it is off.
HMM = False

# Whole decimal numbers, and thousands written with commas.
_NUMBER = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![.,]?\d)"
URL_RE = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&*+,;=%\\]+", re.IGNORECASE)
# One user-dictionary line: word, then optionally freq, then optionally tag.
_USERDICT_LINE = re.compile(r"^(?P<word>.+?)(?:[ \t]+(?P<freq>\d+)(?:[ \t]+(?P<tag>[A-Za-z]+))?)?[ \t]*$")


# --- user dictionaries -----------------------------------------------------------------

def read_userdict(path) -> pd.DataFrame:
    """A user dictionary file -> one row per entry: word, freq (Int64), tag.

    jieba's format (``word [freq [tag]]``) with ``#`` comments and blank lines
    allowed; words may contain spaces when freq follows them, or when the fields
    are separated by tabs.
    """
    rows = []
    for n, line in enumerate(language.read_text(path).splitlines(), 1):
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


def read_userdicts(paths) -> pd.DataFrame:
    """Several user dictionary files -> their entries; a later file overrides an earlier one for a word."""
    frames = [read_userdict(p) for p in paths]
    if not frames:
        return pd.DataFrame({"word": pd.Series(dtype=schema.STR), "freq": pd.Series(dtype="Int64"),
                             "tag": pd.Series(dtype=schema.STR)})
    df = pd.concat(frames, ignore_index=True)
    return df.drop_duplicates("word", keep="last").reset_index(drop=True)


# --- engines -----------------------------------------------------------------------

@dataclass(frozen=True)
class Engine:
    """A loaded segmenter with the user dictionary: what ``segment`` cuts with."""

    cut: Callable[[str], list[str]]
    terms: re.Pattern          # user-dictionary terms, numbers and URLs merged after cutting
    prefixes: frozenset[str]   # norms a token must have to start a term
    entries: pd.DataFrame      # the user dictionary (word, freq, tag)
    tagger: Callable[[str], list[tuple[str, str]]] | None  # rjieba only: POS with the HMM
    starts: dict[str, bool] = field(default_factory=dict)  # word -> may start a term, remembered
    info: dict[str, tuple] = field(default_factory=dict)    # word -> norm, script, is_punct, is_space, remembered


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
    alts += [f"(?P<url>{URL_RE.pattern})", _NUMBER]
    return re.compile("|".join(alts), re.IGNORECASE)


def _prefixes(words: Sequence[str]) -> frozenset[str]:
    out = {"http", "https"}
    for w in words:
        n = normalize(w)
        out.update(n[:k] for k in range(1, len(n) + 1))
    return frozenset(out)


def load_engine(engine: str = "rjieba", resources=None, *, userdict=None) -> Engine:
    """The segmenter ``engine`` with jieba's dictionary and the user dictionary of
    ``resources`` (an ``analysis.language.Resources``; default the shipped files,
    plus ``userdict=`` files), loaded once per ``Resources`` object."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    res = language.resolve(resources, userdict=userdict)
    return res.memo(f"engine.{engine}", ("userdict",), lambda r: _make_engine(engine, r.userdict()))


def _make_engine(engine: str, entries: pd.DataFrame) -> Engine:
    spaced = entries["word"].str.contains(r"\s", regex=True).to_numpy(bool)
    latin = entries["word"].str.contains(r"[A-Za-z]", regex=True).to_numpy(bool)
    merged = entries["word"][spaced | latin].tolist()
    terms, prefixes = _term_pattern(merged), _prefixes(merged)
    # Words with spaces can never come out of the engines; the rest go in.
    single = [
        (w, None if pd.isna(f) else int(f), None if pd.isna(t) else t)
        for w, f, t in entries.loc[~spaced, ["word", "freq", "tag"]].itertuples(index=False)
    ]
    log.info("loading %s with %d user-dictionary entries (%d merged after cutting)", engine, len(entries), len(merged))
    if engine == "rjieba":
        import rjieba

        seg = rjieba.Jieba()
        for w, f, t in single:
            seg.add_word(w, f, t)
        return Engine(
            cut=functools.partial(seg.cut, hmm=HMM), terms=terms, prefixes=prefixes, entries=entries,
            tagger=functools.partial(seg.tag, hmm=True),
        )
    if engine == "jieba":
        jieba = _import_jieba()
        tk = jieba.Tokenizer()
        config.CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tk.tmp_dir = str(config.CACHE_DIR)  # its cache, not the system temp folder
        tk.initialize()
        for w, f, t in single:
            tk.add_word(w, f, t)
        return Engine(cut=functools.partial(tk.lcut, HMM=HMM), terms=terms, prefixes=prefixes,
                       entries=entries, tagger=None)
    raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")


# --- dictionary tags, for entity detection -------------------------------------------------------------

def tag_new_words(text: str, resources=None, *, userdict=None) -> list[tuple[str, str]]:
    """``(word, tag)`` pairs for ``text`` cut with the HMM on (rjieba), which joins
    runs of single characters into new words and tags them (``nr`` person,
    ``x`` unknown, ...). Lossless: the words concatenate to ``text``."""
    return load_engine("rjieba", resources, userdict=userdict).tagger(text)


def jieba_dictionary(resources=None) -> pa.Table:
    """jieba's dict.txt (the dictionary both engines ship): word, freq, tag.

    Read with Arrow's CSV reader and left as an Arrow table (about 25 ms);
    ``word_tags`` looks up only the words it is asked about, since indexing the
    whole dictionary would cost a fresh process more than a batch of text."""
    return language.resolve(resources).memo("jieba.dict", (), lambda r: _read_jieba_dictionary())


def _read_jieba_dictionary() -> pa.Table:
    import pyarrow.csv as pcsv

    types = {"word": pa.string(), "freq": pa.int64(), "tag": pa.string()}
    return pcsv.read_csv(
        str(Path(find_spec("jieba").origin).parent / "dict.txt"),
        read_options=pcsv.ReadOptions(column_names=list(types)),
        parse_options=pcsv.ParseOptions(delimiter=" ", quote_char=False),
        convert_options=pcsv.ConvertOptions(column_types=types),
    )


def word_tags(words: Sequence[str], resources=None, *, userdict=None) -> pd.DataFrame:
    """Dictionary entries of ``words`` -> one row per word, in order: freq (Int64),
    tag (jieba's POS tags: nr person, ns place, nt organisation, nz other proper
    noun, ...) and source ("user" when a user dictionary has the word, "jieba"
    when only jieba's dict.txt has it, <NA> when neither). User entries win; of
    a word listed twice in dict.txt, the last line."""
    words = [str(w) for w in words]
    res = language.resolve(resources, userdict=userdict)
    table = jieba_dictionary(res)
    found = table.filter(pc.is_in(table["word"], value_set=pa.array(words, pa.string())))
    main = dict(zip(found["word"].to_pylist(), zip(found["freq"].to_pylist(), found["tag"].to_pylist())))
    entries = res.userdict()
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
