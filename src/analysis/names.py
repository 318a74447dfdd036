"""Names the entity registry does not know: the rules of ``detected`` mentions.

``detect`` finds candidate mentions in the joined turn texts from their tokens:
words the dictionaries tag as names, a surname + given name, new words the HMM
tags nr (only over runs of single characters), X + 科技/集团/公司..., and
capitalised Latin words. ``word_facts`` decides what the rules need once per
distinct word, remembered on the ``language.Resources`` object. See
``analysis.entities`` for the whole picture.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis import engines, language
from analysis.text import HAN

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
HAN_NAME = re.compile(f"[{HAN}]{{2,4}}")


class WordFacts(NamedTuple):
    """What the detection rules need to know about one distinct word."""
    kind: str                # person / person? (needs a cue) / organisation / place / product / ""
    is_surname: bool
    is_single_surname: bool
    given: bool              # tagged nr, 1-2 characters: a given name after a surname
    suffix: bool             # in ORG_SUFFIXES
    name_like: bool          # may be the X of X科技
    latin: bool              # a capitalised or camel-case Latin word
    common: bool             # tagged by the user dictionary as something other than a name
    cue_after: bool          # in NAME_CUES_AFTER
    cue_before: bool         # in NAME_CUES_BEFORE
    name: str                # the word with whitespace runs as one space


FIELDS = ("start", "end", "entity", "type", "source", "rank")


def candidates(start, end, entity, etype, source, rank) -> dict[str, np.ndarray]:
    """Candidate mentions as parallel arrays (scalars are broadcast)."""
    n = len(start)
    def col(v, dtype):
        return np.full(n, v, dtype=dtype) if np.isscalar(v) or v is None else np.asarray(v, dtype=dtype)
    return {"start": col(start, np.int64), "end": col(end, np.int64), "entity": col(entity, object),
            "type": col(etype, object), "source": col(source, object), "rank": col(rank, np.int64)}


def frame(rows: list[tuple]) -> dict[str, np.ndarray]:
    """Candidate tuples (start, end, entity, type, source, rank) as ``candidates`` arrays."""
    if not rows:
        return candidates([], [], [], [], [], [])
    return candidates(*map(list, zip(*rows)))


def word_facts(words: list[str], resources: language.Resources) -> dict[str, np.ndarray]:
    """Per distinct word, what the detection rules need: one array per field of
    ``WordFacts`` (``kind`` and ``name`` of objects, the rest boolean). Remembered
    on ``resources`` (until its user dictionary or surnames change), so a corpus
    processed file by file pays for each distinct word once."""
    known = resources.memo("names.word_facts", ("userdict", "surnames"), lambda r: {})
    single, double = resources.surnames()
    missing = [w for w in dict.fromkeys(words) if w not in known]
    if missing:
        tags = engines.word_tags(missing, resources)
        freq = tags["freq"].to_numpy("float64", na_value=np.nan).tolist()
        tag = tags["tag"].fillna("").tolist()
        user = tags["source"].eq("user").fillna(False).tolist()
        for w, f, t, u in zip(missing, freq, tag, user):
            known[w] = _facts_of(w, t, u, f, single, double)
    rows = [known[w] for w in words]
    return {name: np.array([r[k] for r in rows], dtype=object if name in ("kind", "name") else bool)
            for k, name in enumerate(WordFacts._fields)}


def has_surname(name: str, single: frozenset[str], double: frozenset[str]) -> bool:
    """Whether ``name`` starts with a known single-character or compound surname."""
    return name[:1] in single or name[:2] in double


def _facts_of(w: str, t: str, u: bool, f: float, single, double) -> WordFacts:
    kind = ""
    if u and t in _USER_TYPES:
        kind = _USER_TYPES[t]
    elif t in _PERSON_TAGS and 2 <= len(w) <= 3 and HAN_NAME.fullmatch(w) and f <= NAME_MAX_FREQ \
            and has_surname(w, single, double):
        kind = "person" if len(w) == 3 else "person?"
    elif t == "nt" and len(w) >= 3 and w.endswith(_NT_ENDINGS) and HAN_NAME.match(w):
        kind = "organisation"
    elif t == "ns" and w.endswith(_NS_ENDINGS) and len(w) >= (2 if w.endswith("州") else 3) \
            and HAN_NAME.fullmatch(w):
        kind = "place"
    name_like = (
        (HAN_NAME.fullmatch(w) is not None and not (f > ORG_NAME_MAX_FREQ) and t not in ("v", "vn", "a", "d", "r", "m"))
        or _LATIN_NAME.fullmatch(w) is not None
    )
    latin = _LATIN_NAME.fullmatch(w) is not None and not _GLUED_ACRONYM.fullmatch(w) and len(w) >= 2
    return WordFacts(
        kind=kind, is_surname=w in single or w in double, is_single_surname=w in single,
        given=t in _PERSON_TAGS and 1 <= len(w) <= 2, suffix=w in ORG_SUFFIXES, name_like=name_like,
        latin=latin, common=bool(t) and u and t not in _USER_TYPES, cue_after=w in NAME_CUES_AFTER,
        cue_before=w in NAME_CUES_BEFORE, name=" ".join(w.split()),
    )


def detect(joined: str, tok: pd.DataFrame, resources: language.Resources) -> list[dict[str, np.ndarray]]:
    """Names the registry does not know -> candidates (start, end, entity, type, "detected", rank).

    ``joined``: the turn texts joined by newlines; ``tok``: their tokens with
    offsets into it (tix, start, end, token, norm, han, is_stopword)."""
    n = len(tok)
    if not n:
        return []
    words = tok["token"].cat.categories.astype(object).tolist()
    wcodes = tok["token"].cat.codes.to_numpy()
    single, double = resources.surnames()
    f = word_facts(words, resources)
    kind, name = f["kind"], f["name"]
    is_surname, is_single_surname, given, suffix = f["is_surname"], f["is_single_surname"], f["given"], f["suffix"]
    name_like, latin, common, cue_after, cue_before = f["name_like"], f["latin"], f["common"], f["cue_after"], f["cue_before"]
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
    by_tag = candidates(starts[hit], ends[hit], name[wcodes[hit]], kind[wcodes[hit]], "detected", 2)

    # 2. Surname + given name the dictionary tags nr: 赵 + 卫东, 欧阳 + 娜娜.
    pair = np.flatnonzero(is_surname[wcodes[:-1]] & glued[:-1])
    pair = pair[given[wcodes[pair + 1]]]
    pairs = candidates(starts[pair], ends[pair + 1], texts(joined, starts[pair], ends[pair + 1]), "person", "detected", 2)

    # 3. New words from the HMM, over the runs of single Han characters only.
    one = (wlen == 1)[wcodes] & han
    first, last = runs(one, one[:-1] & glued[:-1] & one[1:])
    # Only runs with a surname before their last character can hold a name.
    sur = np.flatnonzero(is_single_surname[wcodes] & one)
    keep = np.searchsorted(sur, last) > np.searchsorted(sur, first)
    first, last = first[keep], last[keep]
    spans = list(zip(starts[first].tolist(), ends[last].tolist()))
    hmm = []
    if spans:
        text = "\n".join(joined[a:b] for a, b in spans)
        pos = np.concatenate([[0], np.cumsum([b - a + 1 for a, b in spans])[:-1]])
        tagged = engines.tag_new_words(text, resources)
        offset = 0
        for w, t in tagged:
            if t in _PERSON_TAGS and 2 <= len(w) <= 3 and HAN_NAME.fullmatch(w) and has_surname(w, single, double):
                k = int(np.searchsorted(pos, offset, side="right") - 1)
                s = spans[k][0] + offset - int(pos[k])
                hmm.append((s, s + len(w), w, "person", "detected", 3))
            offset += len(w)

    # 4. X + 科技 / 集团 / 公司 ...: X rare, new or a capitalised Latin word; the
    # name runs to the end of the glued suffixes after it (星河 + 科技 + 公司).
    sfx = suffix[wcodes]
    at = np.flatnonzero(sfx[1:] & glued[:-1])
    at = at[(name_like & ~suffix)[wcodes[at]] & ~stop[at]]
    tail = np.flatnonzero(~np.r_[glued[:-1] & sfx[1:], False])
    j = tail[np.searchsorted(tail, at + 1)]
    orgs = [" ".join((_COMPANY_TAIL.sub("", t) or t).split()) for t in texts(joined, starts[at], ends[j])]

    # 5. Capitalised / camel-case Latin words, and runs of them one space apart in a turn (Elon Musk).
    cap = (latin & ~common)[wcodes] & ~stop
    link = cap[:-1] & cap[1:]
    k = np.flatnonzero(link)
    link[k] = (tix[k] == tix[k + 1]) & (starts[k + 1] - ends[k] == 1)
    k = np.flatnonzero(link)
    link[k] = [joined[e] == " " for e in ends[k].tolist()]
    first, last = runs(cap, link)
    latins = [" ".join(t.split()) for t in texts(joined, starts[first], ends[last])]
    return [by_tag, pairs, frame(hmm), candidates(starts[at], ends[j], orgs, "organisation", "detected", 1),
            candidates(starts[first], ends[last], latins, "other", "detected", 4)]


def runs(member: np.ndarray, link: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last index of each run of members, ``link[i]`` joining i to i + 1."""
    return np.flatnonzero(member & ~np.r_[False, link]), np.flatnonzero(member & ~np.r_[link, False])


def texts(joined: str, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """The slices ``joined[start:end]``."""
    return [joined[a:b] for a, b in zip(starts.tolist(), ends.tolist())]


