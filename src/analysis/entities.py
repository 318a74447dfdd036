"""Turns (and their tokens) -> mentions of people, organisations, products, places, models.

Two sources, each mention marked in ``source``:

``registry``
    Aliases from ``resources/entities.csv`` (plus any ``registry=`` files) matched on
    the text of the turns, so an alias the segmenter splits (英伟达 -> 英/伟达 without the
    user dictionary) still matches. Latin letters match in any case and only as
    whole words; "AI" never matches inside "OpenAI". Names glued together by lost
    punctuation ("OpenAIGemini ProClaude") match when the chain of aliases starts
    and ends at word boundaries and the seams are camel-case seams. Chinese aliases
    match where a token starts (高通 is not found in 提高通过), and may end inside
    a token (中国 in 中国政府). The longest alias wins.

``detected``
    Names the registry does not know, found cheaply (no jieba.posseg):

    - speakers' names (from the turns) where the text mentions them;
    - words the user dictionary tags nr / ns / nt / nz;
    - jieba dictionary words tagged nr (2-3 Han characters, a known surname first,
      rare in the dictionary: its nr list is full of idioms and words; two-character
      ones only next to a cue such as 说 / 先生 / 导演), nt ending in an
      organisation word (公司, 大学, 政府, ...), ns ending in 市/省/县/州;
    - new words the HMM finds and tags nr, run only over the stretches the
      dictionary left as single characters (where jieba's HMM would run anyway),
      and a surname followed by a given name the dictionary tags nr (赵 + 卫东);
    - X + 科技 / 集团 / 公司 / 资本 / ... where X is a rare or new word, or a
      capitalised Latin word (星河科技, Acme公司);
    - capitalised or camel-case Latin words and runs of them (WeChat, Elon Musk), as
      type ``other``.

    A detected mention never overlaps a registry mention. Registry rows of type
    ``ignore`` silence a word that keeps being detected wrongly.

Only the turn text is searched: names in speaker labels are not mentions.
"""

from __future__ import annotations

import io
import logging
import re

import numpy as np
import pandas as pd

from analysis import config, language, schema, segment
from analysis import names
from analysis.names import FIELDS, HAN_NAME, candidates, frame, has_surname, texts
from analysis.schema import MENTIONS
from analysis.text import normalize

log = logging.getLogger(__name__)

REGISTRY = config.RESOURCES_DIR / "entities.csv"  # the shipped registry
SURNAMES = config.RESOURCES_DIR / "surnames_zh.txt"
TYPES = ("person", "organisation", "product", "place", "model", "other")

_LATIN_SPEAKER = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,3}")
_ASCII_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


# --- the registry -------------------------------------------------------------------

def read_registry(path) -> pd.DataFrame:
    """A registry file -> one row per alias: entity, type, alias.

    CSV with the header ``entity,type,alias``; lines starting with ``#`` are
    comments. Each entity's canonical name is an alias too.
    """
    lines = [ln for ln in language.read_text(path).splitlines() if not ln.lstrip().startswith("#")]
    df = pd.read_csv(io.StringIO("\n".join(lines)), dtype=str, keep_default_na=False, skipinitialspace=True)
    missing = {"entity", "type", "alias"} - set(df.columns)
    if missing:
        raise ValueError(f"{path}: a registry needs the columns entity,type,alias (missing {sorted(missing)})")
    df = df[["entity", "type", "alias"]].apply(lambda s: s.str.strip())
    df = df[df["entity"] != ""]
    bad = sorted(set(df["type"]) - set(TYPES) - {"ignore"})
    if bad:
        raise ValueError(f"{path}: unknown entity type(s) {bad}; use one of {TYPES} or ignore")
    names = df[["entity", "type"]].drop_duplicates().assign(alias=lambda d: d["entity"])
    df = pd.concat([names, df[df["alias"] != ""]], ignore_index=True)
    return df.astype(schema.STR)


def _alias_key(alias: str) -> str:
    return normalize(alias).strip()


def load_registry(registry=None) -> pd.DataFrame:
    """The registry -> entity, type, alias, key.

    ``registry``: a ``language.Resources`` (its registry files), or files added to
    the shipped registry; default the shipped one. A later file's row for the
    same alias (compared case-folded) replaces an earlier one."""
    return _compiled(_resources(registry))[0].copy()


def _resources(registry, userdict=None) -> language.Resources:
    if isinstance(registry, language.Resources):
        return language.resolve(registry, userdict=userdict)
    return language.resolve(None, registry=registry, userdict=userdict)


def _compiled(res: language.Resources) -> tuple[pd.DataFrame, _Aliases]:
    """The registry of ``res`` read and compiled, once per object."""
    return res.memo("entities.registry", ("registry",), lambda r: _compile(r.files("registry")))


def _compile(paths) -> tuple[pd.DataFrame, _Aliases]:
    frames = [read_registry(path) for path in paths]
    df = pd.concat(frames, ignore_index=True)
    df["key"] = pd.array([_alias_key(a) for a in df["alias"]], dtype=schema.STR)
    df = df.drop_duplicates("key", keep="last").reset_index(drop=True)
    log.info("entity registry: %d aliases of %d entities", len(df), df["entity"].nunique())
    return df, _Aliases(df.assign(source="registry"))


def _trie_pattern(keys) -> re.Pattern | None:
    """One regex for many aliases, as a trie: a few character tests per position,
    not one per alias, and the longest alias wins. Case-insensitive; a space
    matches any run of spaces or NBSPs."""
    trie: dict = {}
    for k in keys:
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = []
        for ch in sorted(c for c in node if c):
            piece = r"[^\S\r\n]+" if ch == " " else re.escape(ch)
            alts.append(piece + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    if not trie:
        return None
    return re.compile(build(trie), re.IGNORECASE)


class _Aliases:
    """Aliases to find in text: key -> (entity, type, source)."""

    def __init__(self, table: pd.DataFrame):
        self.table = {k: (e, t, s) for k, e, t, s in zip(table["key"], table["entity"], table["type"], table["source"])}
        self.pattern = _trie_pattern(self.table)
        self.prefixes = {k[:i] for k in self.table for i in range(1, len(k) + 1)}
        self.proper = {k[:i] for k in self.table for i in range(1, len(k))}
        self.max_len = max((len(k) for k in self.table), default=0)
        self._entry: dict[str, tuple | None] = {}  # matched text -> entry, memoised
        self._facts: dict[str, tuple[bool, bool, bool, bool]] = {}
        self.word_starts: dict[str, tuple[int, ...]] = {}  # for _word_starts

    def facts(self, norm: str) -> tuple[bool, bool, bool, bool]:
        """(exactly an alias and the start of no longer one, may start an alias,
        has a Latin edge, has a space) for a token norm; remembered."""
        got = self._facts.get(norm)
        if got is None:
            exact = norm in self.table and norm not in self.proper
            got = self._facts[norm] = (
                exact, not exact and self.may_start(norm),
                norm[:1] in _ASCII_ALNUM or norm[-1:] in _ASCII_ALNUM, " " in norm,
            )
        return got

    def may_start(self, norm: str) -> bool:
        """Can an alias start where a token with this norm starts?"""
        if norm in self.prefixes:
            return True
        return any(norm[:i] in self.table for i in range(1, min(len(norm), self.max_len) + 1))

    def match(self, text: str, pos: int, chained: bool = False):
        """The longest alias at ``pos`` with acceptable ends -> (end, entry, strict_end) or None."""
        if self.pattern is None:
            return None
        endpos = len(text)
        while True:
            m = self.pattern.match(text, pos, endpos)
            if m is None or m.end() == pos:
                return None
            end = m.end()
            surface = m.group()
            entry = self._entry.get(surface, False)
            if entry is False:
                entry = self._entry[surface] = self.table.get(_alias_key(surface))
            if entry is not None:
                start_ok, _ = _boundary(text, pos, text[pos])
                end_ok, camel = _boundary(text, end, text[end - 1], after=True)
                if (start_ok or chained) and (end_ok or camel):
                    return end, entry, end_ok
            endpos = end - 1  # try the next shorter alias at pos
            if endpos <= pos:
                return None


def _boundary(text: str, i: int, edge: str, after: bool = False) -> tuple[bool, bool]:
    """(is a word boundary, is a camel-case seam) between text[i-1] and text[i]."""
    if edge not in _ASCII_ALNUM:
        return True, False
    left = text[i - 1] if i > 0 else ""
    right = text[i] if i < len(text) else ""
    if left not in _ASCII_ALNUM or right not in _ASCII_ALNUM or not left or not right:
        return True, False
    nxt = text[i + 1] if i + 1 < len(text) else ""
    camel = (left.islower() or left.isdigit()) and right.isupper() or (
        left.isupper() and right.isupper() and nxt.islower())
    return False, camel


# --- helpers --------------------------------------------------------------------------

def read_surnames(paths) -> tuple[frozenset[str], frozenset[str]]:
    """Surname lists, one a line -> (single-character, compound) surnames."""
    words = {w for path in paths for w in (ln.strip() for ln in language.read_text(path).splitlines())
             if w and not w.startswith("#")}
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) > 1)


def _speaker_names(turns: pd.DataFrame, single, double) -> list[str]:
    """Speakers whose name looks like a personal name (not Q, 记者, 主持人, ...)."""
    names = turns.loc[turns["role"].isin(["question", "answer"]), "speaker"].dropna().astype(str).unique()
    out = []
    for n in names:
        n = n.strip()
        if HAN_NAME.fullmatch(n) and has_surname(n, single, double) or _LATIN_SPEAKER.fullmatch(n):
            out.append(n)
    return out


# --- mentions ------------------------------------------------------------------------------

def to_mentions(turns: pd.DataFrame, tokens: pd.DataFrame | None = None, resources=None, *, registry=None,
                detect: bool = True, userdict=None) -> pd.DataFrame:
    """Turns -> one row per mention of a named entity in a turn's text.

    In: a turns table (doc_id, turn_id, exchange_id, role, speaker, text,
    text_start) and its tokens (``segment.to_tokens(turns)`` when not given).
    Out: the ``MENTIONS`` columns, ordered by doc_id, start. ``start``/``end`` are
    offsets into the document text and ``surface`` is the text there.
    ``resources``: the ``language.Resources`` whose registry, surnames and user
    dictionary are used (default the shipped ones); without it, ``registry``
    (extra alias files) and ``userdict`` (as given to ``to_tokens``) are added
    to the shipped ones. ``detect=False`` reports registry aliases only.
    """
    res = language.resolve(resources, registry=registry, userdict=userdict)
    if turns.empty:
        return schema.empty(MENTIONS)
    turns = turns.sort_values(["doc_id", "turn_id"], kind="stable").reset_index(drop=True)
    if tokens is None:
        tokens = segment.to_tokens(turns, res)
    texts = turns["text"].fillna("").astype(str).tolist()
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    turn_off = np.concatenate([[0], np.cumsum(lens[:-1] + 1)]) if len(lens) else lens
    # All turn texts in one string, newline-separated: one regex/token pass for
    # the corpus, and no alias can cross from one turn into the next.
    joined = "\n".join(texts)

    tok = _token_frame(tokens, turns, turn_off)

    single, double = res.surnames()
    reg, aliases = _compiled(res)
    found = _match_aliases(joined, tok, aliases)
    if detect:
        known = set(reg["key"])
        speakers = [n for n in _speaker_names(turns, single, double) if _alias_key(n) not in known]
        found.append(_speaker_mentions(joined, tok, speakers))
        found += names.detect(joined, tok, res)
    return _finish(found, turns, joined, turn_off)


def _token_frame(tokens: pd.DataFrame, turns: pd.DataFrame, turn_off: np.ndarray) -> pd.DataFrame:
    """Tokens with offsets into the joined turn texts, in text order, and the
    index of their turn (``tix``); all numeric or categorical, no string copies."""
    tix = segment.turn_index(tokens, turns)
    shift = (turn_off - turns["text_start"].to_numpy(np.int64))[tix]
    start = tokens["start"].to_numpy(np.int64) + shift
    # copy=False: pandas would otherwise stack the new columns into blocks, a copy of each.
    tok = pd.DataFrame({
        "tix": tix,
        "start": start,
        "end": tokens["end"].to_numpy(np.int64) + shift,
        "token": tokens["token"].astype("category").array,
        "norm": tokens["norm"].astype("category").array,
        "han": tokens["script"].astype(schema.SCRIPT).cat.codes.to_numpy() == schema.SCRIPT.categories.get_loc("han"),
        "is_stopword": tokens["is_stopword"].to_numpy(bool),
    }, copy=False)
    if (start[1:] < start[:-1]).any():
        tok = tok.iloc[np.argsort(start, kind="stable")].reset_index(drop=True)
    return tok


def _match_aliases(joined: str, tok: pd.DataFrame, aliases: _Aliases) -> list[tuple]:
    """Alias matches starting where tokens start -> (start, end, entity, type, source, rank)."""
    cats = tok["norm"].cat.categories.astype(object).tolist()
    codes = tok["norm"].cat.codes.to_numpy()
    starts, ends = tok["start"].to_numpy(), tok["end"].to_numpy()
    out = []
    # Most mentions are tokens that are exactly an alias and start no longer one:
    # taken from the token table directly, vectorised.
    facts = np.array([aliases.facts(c) for c in cats], dtype=bool).reshape(len(cats), 4)
    exact, may, latin_edge, spaced = facts.T
    idx = np.flatnonzero(exact[codes] & (codes >= 0))
    entry = np.empty((len(cats), 3), dtype=object)
    for k in np.flatnonzero(exact).tolist():
        entry[k] = aliases.table[cats[k]]
    ok = np.ones(len(idx), dtype=bool)
    for k in np.flatnonzero(latin_edge[codes[idx]]).tolist():
        s, e = int(starts[idx[k]]), int(ends[idx[k]])
        ok[k] = _boundary(joined, s, joined[s])[0] and _boundary(joined, e, joined[e - 1])[0]
    idx = idx[ok]
    rows = entry[codes[idx]]
    exact = candidates(starts[idx], ends[idx], rows[:, 0], rows[:, 1], rows[:, 2],
                       np.where(rows[:, 2] == "registry", 0, 1))
    cand = starts[may[codes] & (codes >= 0)].tolist()
    # Words after a space inside merged tokens ("DeepSeek R1") can start an alias too.
    sp = spaced[codes]
    cand += [s + k for s, t in zip(starts[sp].tolist(), texts(joined, starts[sp], ends[sp])) for k in _word_starts(t, aliases.word_starts)]
    cand.sort()
    reach = -1
    for pos in cand:
        if pos < reach:
            continue
        chain, p, chained = [], pos, False
        while True:  # follow aliases glued at camel-case seams: OpenAIGemini ProClaude
            hit = aliases.match(joined, p, chained)
            if hit is None:
                chain = []
                break
            end, entry, strict = hit
            chain.append((p, end, entry))
            if strict:
                break
            p, chained = end, True
        for s, e, (entity, etype, source) in chain:
            out.append((s, e, entity, etype, source, 0 if source == "registry" else 1))
            reach = e
    return [exact, frame(out)]


def _word_starts(text: str, seen: dict[str, tuple[int, ...]]) -> tuple[int, ...]:
    """Where the words after the first start in ``text``; remembered in ``seen``,
    as the tokens with spaces are the few merged terms, over and over."""
    got = seen.get(text)
    if got is None:
        got = seen[text] = tuple(m.end() for m in re.finditer(r"\s+", text))
    return got


def _speaker_mentions(joined: str, tok: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Where the text names a speaker (at a token start, as a whole Latin word)."""
    starts = tok["start"].to_numpy()
    rows = []
    for name in names:
        for m in re.finditer(re.escape(name), joined):
            s, e = m.span()
            if _boundary(joined, s, joined[s])[0] and _boundary(joined, e, joined[e - 1])[0]:
                rows.append((s, e, name, "person", "detected", 1))
    at_token = np.isin(np.array([r[0] for r in rows], dtype=np.int64), starts)
    return frame([r for r, ok in zip(rows, at_token.tolist()) if ok])


def _finish(found: list[dict[str, np.ndarray]], turns: pd.DataFrame, joined: str, turn_off: np.ndarray) -> pd.DataFrame:
    """Resolve overlaps (registry first, then longer, then by rule) and build the table."""
    c = {k: np.concatenate([f[k] for f in found]) for k in FIELDS}
    if not len(c["start"]):
        return schema.empty(MENTIONS)
    length = c["end"] - c["start"]
    order = np.lexsort((-length, c["rank"], c["start"]))
    c = {k: v[order] for k, v in c.items()}
    length = length[order]
    # Clusters of overlapping candidates; most mentions overlap nothing and are
    # kept as they are.
    start, end = c["start"], c["end"]
    reach = np.maximum.accumulate(end)
    cluster = np.cumsum(np.r_[True, start[1:] >= reach[:-1]])
    keep = np.bincount(cluster)[cluster] == 1
    # The rest are taken greedily by priority within their cluster, one round per
    # mention kept: the best candidate left in each cluster is kept, and those
    # overlapping it drop out.
    left = np.flatnonzero(~keep)
    left = left[np.lexsort((start[left], -length[left], c["rank"][left], cluster[left]))]
    while len(left):
        best = left[np.r_[True, cluster[left][1:] != cluster[left][:-1]]]
        keep[best] = True
        b = best[np.searchsorted(cluster[best], cluster[left])]
        left = left[(left != b) & ((end[left] <= start[b]) | (start[left] >= end[b]))]
    keep &= c["type"] != "ignore"
    c = {k: v[keep] for k, v in c.items()}
    tix = np.searchsorted(turn_off, c["start"], side="right") - 1
    shift = turns["text_start"].to_numpy(np.int64)[tix] - turn_off[tix]
    return pd.DataFrame({
        "doc_id": turns["doc_id"].astype(schema.STR).array.take(tix),
        "turn_id": turns["turn_id"].to_numpy(np.int32)[tix],
        "exchange_id": turns["exchange_id"].astype("Int32").array.take(tix),
        "role": turns["role"].astype(schema.ROLE).array.take(tix),
        "speaker": turns["speaker"].astype(schema.STR).array.take(tix),
        "entity": pd.array(c["entity"], dtype=schema.STR),
        "entity_type": pd.Categorical(c["type"], dtype=schema.ENTITY_TYPE),
        "surface": pd.array(texts(joined, c["start"], c["end"]), dtype=schema.STR),
        "start": (c["start"] + shift).astype(np.int32),
        "end": (c["end"] + shift).astype(np.int32),
        "source": pd.Categorical(c["source"], dtype=schema.SOURCE),
    })


def count_mentions(mentions: pd.DataFrame, *, by=("entity", "entity_type")) -> pd.DataFrame:
    """Mentions -> counts: one row per ``by`` group, with n (all turns),
    n_question and n_answer, most mentioned first."""
    role = mentions["role"].astype(str)
    df = mentions.assign(n_question=(role == "question").astype("int32"), n_answer=(role == "answer").astype("int32"))
    out = df.groupby(list(by), observed=True).agg(
        n=("start", "size"), n_question=("n_question", "sum"), n_answer=("n_answer", "sum")).reset_index()
    return out.sort_values(["n", *by], ascending=[False] + [True] * len(by), kind="stable").reset_index(drop=True)
