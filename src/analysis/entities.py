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

import functools
import io
import logging
import re

import numpy as np
import pandas as pd

from analysis import doc_names as names, schema, segment, shadow
from analysis.segment import RESOURCES, as_paths, normalize, read_text, stamp

log = logging.getLogger(__name__)

REGISTRY = RESOURCES / "entities.csv"
SURNAMES = RESOURCES / "surnames_zh.txt"
TYPES = ("person", "organisation", "product", "place", "model", "other")

MENTIONS = {
    "doc_id": schema.STR,
    "turn_id": "int32",
    "exchange_id": "Int32",
    "role": schema.ROLE,
    "speaker": schema.STR,
    "entity": schema.STR,             # canonical name (registry), or the name as found
    "entity_type": schema.ENTITY_TYPE,
    "surface": schema.STR,            # document_text[start:end]
    "start": "int32",
    "end": "int32",
    "source": schema.SOURCE,          # registry / detected
}

# Detection rules. Frequencies are jieba dict.txt counts (的 ~ 300,000).
NAME_MAX_FREQ = 100        # a dictionary nr word more common than this is a word, not a name
ORG_NAME_MAX_FREQ = 500    # X in "X科技"/"X集团" more common than this is generic (软件公司)
ORG_SUFFIXES = (
    "公司", "有限公司", "科技公司", "集团公司", "控股公司", "集团", "科技", "资本", "控股", "股份", "银行", "证券", "基金", "基金会", "实验室",
    "研究院", "研究所", "工作室", "事务所", "传媒", "影业", "汽车", "电子", "智能", "大学", "创投", "投资",
)
# A two-character dictionary "name" (毛利, 高明, 文明 are tagged nr too) counts only
# next to one of these: 王菲说, 周星驰先生, 导演李安.
NAME_CUES_AFTER = frozenset("说 表示 认为 指出 称 透露 介绍 先生 女士 教授 博士 院士 老师 总 董事长 总裁 等人".split())
NAME_CUES_BEFORE = frozenset(
    "CEO 创始人 联合创始人 董事长 总裁 总经理 经理 记者 教授 博士 院士 老师 作家 导演 演员 歌手 主持人 主播 部长 主席".split())
_NT_ENDINGS = ("公司", "集团", "大学", "学院", "银行", "政府", "委员会", "协会", "研究院", "研究所",
               "出版社", "医院", "基金会", "组织", "联盟", "电视台", "日报", "部", "局")
_NS_ENDINGS = ("市", "省", "县", "州")  # 州 names have two characters (广州); the others three (北京市, not 上市)
_COMPANY_TAIL = re.compile(r"(?:股份)?(?:有限)?公司$")
_PERSON_TAGS = {"nr", "nrfg", "nrt"}
_USER_TYPES = {"nr": "person", "nrfg": "person", "nrt": "person", "ns": "place", "nt": "organisation", "nz": "product"}
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*")
_GLUED_ACRONYM = re.compile(r"[A-Z]{2,}[a-z]{3,}")  # "AImonitor": punctuation lost, not a name
_HAN_NAME = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,4}")
_LATIN_SPEAKER = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,3}")
_ASCII_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


# --- the registry -------------------------------------------------------------------

def read_registry(path) -> pd.DataFrame:
    """A registry file -> one row per alias: entity, type, alias.

    CSV with the header ``entity,type,alias``; lines starting with ``#`` are
    comments. Each entity's canonical name is an alias too.
    """
    lines = [ln for ln in read_text(path).splitlines() if not ln.lstrip().startswith("#")]
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
    """The shipped registry plus ``registry`` files -> entity, type, alias, key.

    A later file's row for the same alias (compared case-folded) replaces an earlier one."""
    return _registry(stamp((REGISTRY, *as_paths(registry))))[0].copy()


@functools.cache
def _registry(files: tuple[tuple[str, int], ...]) -> tuple[pd.DataFrame, _Aliases]:
    """Read and compile once per set of registry files (and their mtimes)."""
    frames = [read_registry(path) for path, _ in files]
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

def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character, compound) surnames from ``SURNAMES``, reread when edited."""
    return _read_surnames(stamp((SURNAMES,)))


@functools.cache
def _read_surnames(files: tuple[tuple[str, int], ...]) -> tuple[frozenset[str], frozenset[str]]:
    words = {w for path, _ in files for w in (ln.strip() for ln in read_text(path).splitlines())
             if w and not w.startswith("#")}
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) > 1)


def _has_surname(name: str, single: frozenset[str], double: frozenset[str]) -> bool:
    return name[:1] in single or name[:2] in double


def _speaker_names(turns: pd.DataFrame, single, double) -> list[str]:
    """Speakers whose name looks like a personal name (not Q, 记者, 主持人, ...)."""
    names = turns.loc[turns["role"].isin(["question", "answer", "remark"]), "speaker"].dropna().astype(str).unique()
    out = []
    for n in names:
        n = n.strip()
        if _HAN_NAME.fullmatch(n) and _has_surname(shadow.simplified(n), single, double) or _LATIN_SPEAKER.fullmatch(n):
            out.append(n)
    return out


# --- mentions ------------------------------------------------------------------------------

def to_mentions(turns: pd.DataFrame, tokens: pd.DataFrame | None = None, *, registry=None,
                detect: bool = True, userdict=None) -> pd.DataFrame:
    """Turns -> one row per mention of a named entity in a turn's text.

    In: a turns table (doc_id, turn_id, exchange_id, role, speaker, text,
    text_start) and its tokens (``segment.to_tokens(turns)`` when not given).
    Out: the ``MENTIONS`` columns, ordered by doc_id, start. ``start``/``end`` are
    offsets into the document text and ``surface`` is the text there.
    ``registry``: extra alias files added to the shipped one; ``detect=False``
    reports registry aliases only; ``userdict``: as given to ``to_tokens``.
    """
    if turns.empty:
        return schema.empty(MENTIONS)
    turns = turns.sort_values(["doc_id", "turn_id"], kind="stable").reset_index(drop=True)
    if tokens is None:
        tokens = segment.to_tokens(turns, userdict=userdict)
    texts = turns["text"].fillna("").astype(str).tolist()
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    turn_off = np.concatenate([[0], np.cumsum(lens[:-1] + 1)]) if len(lens) else lens
    # All turn texts in one string, newline-separated: one regex/token pass for
    # the corpus, and no alias can cross from one turn into the next.
    said = "\n".join(shadow.said_texts(turns))  # unsaid spans blanked: no mention comes from them
    joined = shadow.simplified(said)  # matched in Simplified characters; surfaces and names from `said`

    tok = _token_frame(tokens, turns, turn_off)

    single, double = _surnames()
    reg, aliases = _registry(stamp((REGISTRY, *as_paths(registry))))
    found = _match_aliases(joined, tok, aliases)
    if detect:
        known = set(reg["key"])
        speakers = [n for n in _speaker_names(turns, single, double) if _alias_key(n) not in known]
        found.append(_speaker_mentions(joined, tok, speakers))
        found += _detect(joined, said, tok, single, double, userdict, pd.factorize(turns["doc_id"].astype(str))[0])
    return _finish(found, turns, said, turn_off, joined)


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
    frame = _cands(starts[idx], ends[idx], rows[:, 0], rows[:, 1], rows[:, 2],
                   np.where(rows[:, 2] == "registry", 0, 1))
    cand = starts[may[codes] & (codes >= 0)].tolist()
    # Words after a space inside merged tokens ("DeepSeek R1") can start an alias too.
    sp = spaced[codes]
    cand += [s + k for s, t in zip(starts[sp].tolist(), _texts(joined, starts[sp], ends[sp])) for k in _word_starts(t)]
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
    return [frame, _frame(out)]


@functools.lru_cache(maxsize=1 << 14)
def _word_starts(text: str) -> tuple[int, ...]:
    """Where the words after the first start in ``text``; remembered, as the
    tokens with spaces are the few merged terms, over and over."""
    return tuple(m.end() for m in re.finditer(r"\s+", text))


def _speaker_mentions(joined: str, tok: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Where the text names a speaker (at a token start, as a whole Latin word)."""
    starts = tok["start"].to_numpy()
    rows = []
    for name in names:
        for m in re.finditer(re.escape(shadow.simplified(name)), joined):
            s, e = m.span()
            if _boundary(joined, s, joined[s])[0] and _boundary(joined, e, joined[e - 1])[0]:
                rows.append((s, e, name, "person", "detected", 1))
    at_token = np.isin(np.array([r[0] for r in rows], dtype=np.int64), starts)
    return _frame([r for r, ok in zip(rows, at_token.tolist()) if ok])


_FIELDS = ("start", "end", "entity", "type", "source", "rank")


def _cands(start, end, entity, etype, source, rank) -> dict[str, np.ndarray]:
    """Candidate mentions as parallel arrays (scalars are broadcast)."""
    n = len(start)
    def col(v, dtype):
        return np.full(n, v, dtype=dtype) if np.isscalar(v) or v is None else np.asarray(v, dtype=dtype)
    return {"start": col(start, np.int64), "end": col(end, np.int64), "entity": col(entity, object),
            "type": col(etype, object), "source": col(source, object), "rank": col(rank, np.int64)}


def _frame(rows: list[tuple]) -> dict[str, np.ndarray]:
    if not rows:
        return _cands([], [], [], [], [], [])
    return _cands(*map(list, zip(*rows)))


_FACT_CACHE: dict[tuple, tuple] = {}


def _word_facts(words: list[str], userdict) -> np.ndarray:
    """Per distinct word, what the detection rules need (one row per word, object
    array): kind, is_surname, is_single_surname, given, suffix, name_like, latin,
    common, cue_after, cue_before, name. Remembered between calls, so a corpus
    processed file by file pays for each distinct word once."""
    key = stamp((segment.USERDICT, *as_paths(userdict), SURNAMES))
    single, double = _surnames()
    missing = [w for w in words if (key, w) not in _FACT_CACHE]
    if missing:
        if len(_FACT_CACHE) > 1_000_000:
            _FACT_CACHE.clear()
        tags = segment.word_tags([shadow.simplified(w) for w in missing], userdict=userdict)
        freq = tags["freq"].to_numpy("float64", na_value=np.nan).tolist()
        tag = tags["tag"].fillna("").tolist()
        user = tags["source"].eq("user").fillna(False).tolist()
        known = tags["source"].notna().tolist()
        for w, f, t, u, k in zip(missing, freq, tag, user, known):
            simple = shadow.simplified(w)
            new = not k and 2 <= len(w) <= 3 and bool(_HAN_NAME.fullmatch(w)) and _has_surname(simple, single, double)
            _FACT_CACHE[key, w] = (*_facts_of(simple, t, u, f, single, double)[:10], " ".join(w.split()), new,
                                   simple in names.CUES_AFTER, simple in names.CUES_BEFORE)
    return np.array([_FACT_CACHE[key, w] for w in words], dtype=object).reshape(len(words), 14)


def _facts_of(w: str, t: str, u: bool, f: float, single, double) -> tuple:
    kind = ""
    if u and t in _USER_TYPES:
        kind = _USER_TYPES[t]
    elif t in _PERSON_TAGS and 2 <= len(w) <= 3 and _HAN_NAME.fullmatch(w) and f <= NAME_MAX_FREQ \
            and _has_surname(w, single, double):
        kind = "person" if len(w) == 3 else "person?"
    elif t == "nt" and len(w) >= 3 and w.endswith(_NT_ENDINGS) and _HAN_NAME.match(w):
        kind = "organisation"
    elif t == "ns" and w.endswith(_NS_ENDINGS) and len(w) >= (2 if w.endswith("州") else 3) \
            and _HAN_NAME.fullmatch(w):
        kind = "place"
    name_like = (
        (_HAN_NAME.fullmatch(w) is not None and not (f > ORG_NAME_MAX_FREQ) and t not in ("v", "vn", "a", "d", "r", "m"))
        or _LATIN_NAME.fullmatch(w) is not None
    )
    latin = _LATIN_NAME.fullmatch(w) is not None and not _GLUED_ACRONYM.fullmatch(w) and len(w) >= 2
    return (
        kind, w in single or w in double, w in single, t in _PERSON_TAGS and 1 <= len(w) <= 2,
        w in ORG_SUFFIXES, name_like, latin, bool(t) and u and t not in _USER_TYPES,
        w in NAME_CUES_AFTER, w in NAME_CUES_BEFORE, " ".join(w.split()),
    )


def _detect(joined: str, said: str, tok: pd.DataFrame, single, double, userdict, doc_of: np.ndarray) -> list[dict[str, np.ndarray]]:
    """Names the registry does not know -> candidates (start, end, entity, type, "detected", rank).
    ``joined``: the turns' text in Simplified characters, where the rules look;
    ``said``: the same as written, where names are taken from; ``doc_of``: the
    document code of each turn."""
    n = len(tok)
    if not n:
        return []
    words = tok["token"].cat.categories.astype(object).tolist()
    wcodes = tok["token"].cat.codes.to_numpy()
    facts = _word_facts(words, userdict)
    kind, name = facts[:, 0], facts[:, 10]
    (is_surname, is_single_surname, given, suffix, name_like, latin, common, cue_after, cue_before) = (
        facts[:, k].astype(bool) for k in range(1, 10))
    starts, ends = tok["start"].to_numpy(), tok["end"].to_numpy()
    tix = tok["tix"].to_numpy()
    stop = tok["is_stopword"].to_numpy()
    han = tok["han"].to_numpy()
    wlen = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    glued = np.r_[ends[:-1] == starts[1:], False] & np.r_[tix[:-1] == tix[1:], False]  # token i touches i+1

    # 1. Words the dictionaries tag as names. Decided per distinct word, then
    # spread to the tokens: comparing a million object strings is what costs.
    maybe_word = kind == "person?"
    hit = ((kind != "") & ~maybe_word)[wcodes]
    maybe = np.flatnonzero(maybe_word[wcodes])
    if len(maybe):
        nxt = np.minimum(maybe + 1, n - 1)
        prv = np.maximum(maybe - 1, 0)
        cued = ((nxt != maybe) & (tix[nxt] == tix[maybe]) & cue_after[wcodes[nxt]]) | \
               ((prv != maybe) & (tix[prv] == tix[maybe]) & cue_before[wcodes[prv]])
        hit[maybe[cued]] = True
    hit = np.flatnonzero(hit)
    kind = np.where(maybe_word, "person", kind)
    by_tag = _cands(starts[hit], ends[hit], name[wcodes[hit]], kind[wcodes[hit]], "detected", 2)

    # 2. Surname + given name the dictionary tags nr: 赵 + 卫东, 欧阳 + 娜娜.
    pair = np.flatnonzero(is_surname[wcodes[:-1]] & glued[:-1])
    pair = pair[given[wcodes[pair + 1]]]
    pairs = _cands(starts[pair], ends[pair + 1], _texts(said, starts[pair], ends[pair + 1]), "person", "detected", 2)

    # 3. New words (the segmenter's HMM, no dictionary has them) of 2-3 Han characters
    # starting with a surname: a person when the document uses the word again, or next
    # to a cue (李明说, 教授葛兆光).
    new_word, n_cue_after, n_cue_before = (facts[:, k].astype(bool) for k in (11, 12, 13))
    at = np.flatnonzero(new_word[wcodes])
    if len(at):
        nxt, prv = np.minimum(at + 1, n - 1), np.maximum(at - 1, 0)
        cued = ((nxt != at) & (tix[nxt] == tix[at]) & n_cue_after[wcodes[nxt]]) | \
               ((prv != at) & (tix[prv] == tix[at]) & n_cue_before[wcodes[prv]])
        key = pd.DataFrame({"d": doc_of[tix[at]], "w": wcodes[at], "c": cued})
        g = key.groupby(["d", "w"])["c"]
        ok = ((g.transform("size") >= 2) | g.transform("any")).to_numpy(bool)
        at = at[ok]
    news = _cands(starts[at], ends[at], name[wcodes[at]], "person", "detected", 2)

    # 3b. New words from the HMM, over the runs of single Han characters left.
    one = (wlen == 1)[wcodes] & han
    first, last = _runs(one, one[:-1] & glued[:-1] & one[1:])
    # Only runs with a surname before their last character can hold a name.
    sur = np.flatnonzero(is_single_surname[wcodes] & one)
    keep = np.searchsorted(sur, last) > np.searchsorted(sur, first)
    first, last = first[keep], last[keep]
    spans = list(zip(starts[first].tolist(), ends[last].tolist()))
    hmm = []
    if spans:
        text = "\n".join(joined[a:b] for a, b in spans)
        pos = np.concatenate([[0], np.cumsum([b - a + 1 for a, b in spans])[:-1]])
        tagged = segment.tag_new_words(text, userdict=userdict)
        offset = 0
        for w, t in tagged:
            if t in _PERSON_TAGS and 2 <= len(w) <= 3 and _HAN_NAME.fullmatch(w) and _has_surname(w, single, double):
                k = int(np.searchsorted(pos, offset, side="right") - 1)
                s = spans[k][0] + offset - int(pos[k])
                hmm.append((s, s + len(w), said[s:s + len(w)], "person", "detected", 3))
            offset += len(w)

    # 4. X + 科技 / 集团 / 公司 ...: X rare, new or a capitalised Latin word; the
    # name runs to the end of the glued suffixes after it (星河 + 科技 + 公司).
    sfx = suffix[wcodes]
    at = np.flatnonzero(sfx[1:] & glued[:-1])
    at = at[(name_like & ~suffix)[wcodes[at]] & ~stop[at]]
    tail = np.flatnonzero(~np.r_[glued[:-1] & sfx[1:], False])
    j = tail[np.searchsorted(tail, at + 1)]
    orgs = [" ".join((_COMPANY_TAIL.sub("", t) or t).split()) for t in _texts(said, starts[at], ends[j])]

    # 5. Capitalised / camel-case Latin words, and runs of them one space apart in a turn (Elon Musk).
    cap = (latin & ~common)[wcodes] & ~stop
    link = cap[:-1] & cap[1:]
    k = np.flatnonzero(link)
    link[k] = (tix[k] == tix[k + 1]) & (starts[k + 1] - ends[k] == 1)
    k = np.flatnonzero(link)
    link[k] = [joined[e] == " " for e in ends[k].tolist()]
    first, last = _runs(cap, link)
    latins = [" ".join(t.split()) for t in _texts(said, starts[first], ends[last])]
    return [by_tag, pairs, news, _frame(hmm), _cands(starts[at], ends[j], orgs, "organisation", "detected", 1),
            _cands(starts[first], ends[last], latins, "other", "detected", 4)]


def _runs(member: np.ndarray, link: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last index of each run of members, ``link[i]`` joining i to i + 1."""
    return np.flatnonzero(member & ~np.r_[False, link]), np.flatnonzero(member & ~np.r_[link, False])


def _texts(joined: str, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    return [joined[a:b] for a, b in zip(starts.tolist(), ends.tolist())]


# A place is not mentioned inside the name of an organisation, a publication or a
# work: 北京大学, 南京大学, 中国教育报, 中国社会科学院, 《中国思想史》. The name runs from the
# place through at most four more characters (no 的, 和, 、) to one of these endings;
# generic pairs (中国政府, 美国公司: "the Chinese government", "American companies") stay places.
TITLE_ENDINGS = ("大学", "学院", "中学", "小学", "研究院", "研究所", "研究中心", "科学院", "委员会", "出版社", "电视台",
                 "广播电台", "通讯社", "日报", "晚报", "时报", "周刊", "周报", "青年报", "教育报", "新闻网", "杂志", "报社",
                 "银行", "航空", "集团", "有限公司", "股份公司", "医院", "博物馆", "图书馆", "基金会", "协会", "商会", "联合会")
_TITLE_AFTER = re.compile("[\u4e00-\u9fff]{0,4}?(?:" + "|".join(TITLE_ENDINGS) + ")")
_NOT_IN_TITLE = re.compile("[的和与及、是在对]")


def _inside_a_title(joined: str, start: int, end: int) -> bool:
    """Whether the mention at start:end is part of a longer name or a 《title》."""
    m = _TITLE_AFTER.match(joined, end)
    if m is not None and not _NOT_IN_TITLE.search(m.group()):
        return True
    line_start = joined.rfind("\n", 0, start) + 1
    opened = joined.rfind("《", line_start, start)
    line_end = joined.find("\n", end)
    return opened >= 0 and joined.rfind("》", opened, start) < 0 and joined.find("》", end, None if line_end < 0 else line_end) >= 0


def _finish(found: list[dict[str, np.ndarray]], turns: pd.DataFrame, joined: str, turn_off: np.ndarray,
            simple: str) -> pd.DataFrame:
    """Resolve overlaps (registry first, then longer, then by rule) and build the table."""
    c = {k: np.concatenate([f[k] for f in found]) for k in _FIELDS}
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
    inner = np.array([_inside_a_title(simple, a, b) for a, b in zip(c["start"].tolist(), c["end"].tolist())],
                     dtype=bool) & (c["type"] == "place")
    c = {k: v[~inner] for k, v in c.items()}
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
        "surface": pd.array(_texts(joined, c["start"], c["end"]), dtype=schema.STR),
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
