"""The names a document establishes, so that the segmenter keeps them whole there.

jieba's dictionary does not know the people of an interview: with the HMM off, 葛兆光
comes out as 葛/兆/光, and even with it the same name may be cut one way in one
sentence and another way in the next (张建/章说). Per document, this module
collects the document's own cast:

- its speakers whose label is a personal name (turns.speaker of question, answer
  and remark turns), and their surname followed by a title (林校长, 黄教授);
- new words (from the HMM, in no dictionary) of two or three Han characters that
  start with a known surname and either come back in the document or stand next to
  a cue (说, 表示, 先生, 教授, ...; a title before them);

and :func:`spans` says where they are in the document's text, longest first,
without overlaps. The segmenter then cuts at the edges of those spans and nowhere
inside them. Everything here reads the Simplified shadow (``analysis.shadow``).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable

from analysis.text import HAN

HAN_NAME = re.compile(f"[{HAN}]{{2,4}}")
# Titles after a surname that name one person of the document (林校长, 王教授).
TITLES = tuple(
    "校长 院长 教授 老师 博士 院士 先生 女士 小姐 主任 部长 局长 司长 处长 厅长 市长 省长 县长 区长 书记 主席 总理 "
    "委员 议员 局长 署长 司长 特首 经理 总裁 董事长 医生 大夫 律师 记者 法官 警司 警官 导演 队长 会长 社长 总编".split())
# Words right after a name that show it is one (王菲说), or right before it (导演李安).
CUES_AFTER = frozenset("说 讲 表示 认为 指出 称 透露 介绍 告诉 回忆 回应 强调 解释 坦言 所写 写道 先生 女士 教授 博士 院士 老师 "
                       "校长 院长 主任 部长 局长 书记 主席 律师 医生 警司 同学 等人 曾 也 则 还".split())
CUES_BEFORE = frozenset(
    "CEO 创始人 董事长 总裁 总经理 经理 记者 教授 博士 院士 老师 作家 导演 演员 歌手 主持人 部长 主席 校长 院长 "
    "局长 司长 署长 律师 医生 警司 学者 历史学家 经济学家 社会学家 总监 主任 书记 委员 议员 同学 学生 市民 好友 朋友 同事".split())


Surnames = tuple[frozenset[str], frozenset[str]]  # (single-character, compound): Resources.surnames()


def has_surname(name: str, surnames: Surnames) -> bool:
    """Whether ``name`` starts with a known single-character or compound surname."""
    return name[:1] in surnames[0] or name[:2] in surnames[1]


def speaker_forms(speakers: Iterable[str], surnames: Surnames) -> dict[str, str]:
    """Han personal names among ``speakers`` (in Simplified characters) -> {form: full
    name}: the name itself, and its surname + a title (林校长) when no other speaker
    has that surname."""
    double = surnames[1]
    names = sorted({s.strip() for s in speakers if s and HAN_NAME.fullmatch(s.strip())
                    and has_surname(s.strip(), surnames)})
    out = {n: n for n in names}
    by_surname = Counter(_surname(n, double) for n in names)
    for n in names:
        sur = _surname(n, double)
        if by_surname[sur] == 1 and len(n) > len(sur) + 1:
            out.update({sur + t: n for t in TITLES})
    return out


def _surname(name: str, double: frozenset[str]) -> str:
    return name[:2] if name[:2] in double else name[:1]


WEAK_CUES = frozenset("也 则 还 曾".split())
# Characters no given name holds (史上, 谢谢您, 王说了): pronouns, particles, a few function words.
NOT_IN_NAMES = frozenset("上下您你我他她它们的了吗呢吧啊着过是在不没就都也和或被把给让这那哪么吗啦呀")
# Words around a two-character name used again that make it one: 我和李明, 李明和我, 请李明.
COORDINATION = frozenset("和 与 跟 同 及 、 让 叫 请 给 找 问 对".split())
# Last characters of a new word that make it a body, not a person (卫福部, 金管会).
BODY_ENDS = frozenset("部局署会院司处厅所委办组队党团社馆校厂店")


def new_names(words: Iterable[tuple[str, str, str]], pairs: Iterable[tuple[str, str, str]],
              surnames: Surnames) -> set[str]:
    """Person names among the words of one document, given as (word, word before,
    word after). ``words`` are new words (from the HMM, in no dictionary): a name
    when it has 2-3 Han characters, starts with a surname, and comes back in the
    document or stands next to a cue. ``pairs`` are a surname and the word after it
    (周 + 凯旋, where 凯旋 is a dictionary word): a name only next to a strong cue
    (周凯旋说, 教授葛兆光). A two-character new word used again needs a cue or, once,
    a word of coordination around it (我和李明; 白开, 申装 come back as words do), and no
    name holds one of ``NOT_IN_NAMES`` after its surname (史上, 谢谢您)."""
    seen: Counter[str] = Counter()
    cued: set[str] = set()
    coord: set[str] = set()
    for w, prev, nxt in words:
        if not 2 <= len(w) <= 3 or not HAN_NAME.fullmatch(w) or not has_surname(w, surnames) or w[-1] in BODY_ENDS \
                or any(ch in NOT_IN_NAMES for ch in w[1:]):
            continue
        seen[w] += 1
        if nxt in CUES_AFTER or prev in CUES_BEFORE:
            cued.add(w)
        if prev in COORDINATION or nxt in COORDINATION:
            coord.add(w)
    for w, prev, nxt in pairs:
        if 2 <= len(w) <= 3 and HAN_NAME.fullmatch(w) and (nxt in CUES_AFTER - WEAK_CUES or prev in CUES_BEFORE):
            cued.add(w)
    return {w for w, n in seen.items() if n >= 2 and (len(w) >= 3 or w in coord)} | cued


def spans(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``names`` occur in ``text``, longest first, without overlaps, in text order."""
    return list(spans_iter(text, names))


def spans_iter(text: str, names: Iterable[str], start: int = 0, end: int | None = None):
    """``spans`` of ``text[start:end]``, as offsets into ``text``."""
    names = sorted({n for n in names if n}, key=lambda n: (-len(n), n))
    if names:
        pattern = re.compile("|".join(map(re.escape, names)))
        yield from (m.span() for m in pattern.finditer(text, start, len(text) if end is None else end))


def merge_spans(first: list[tuple[int, int]], then: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``first`` and the spans of ``then`` that overlap none of them, in text order."""
    out = sorted(first)
    starts = [a for a, _ in out]

    for a, b in then:
        i = bisect.bisect_left(starts, b)
        if i == 0 or out[i - 1][1] <= a:
            out.insert(i, (a, b))
            starts.insert(i, a)
    return out


# What follows a surname to name one person of the document: 林校长, 李生 (Cantonese 李先生), 林太.
SHORT_TAILS = tuple(sorted({*TITLES, "生", "太", "太太", "总", "老"}, key=lambda t: (-len(t), t)))


def cast_by_surname(people: Iterable[str], surnames: Surnames, simplify) -> dict[str, str]:
    """Full personal names of one document (3-4 Han characters) -> {surname: name}
    for the surnames only one of them has. ``simplify``: ``shadow.simplified``."""
    by: dict[str, set[str]] = {}
    for name in set(people):
        sw = simplify(name)
        sur = sw[:2] if sw[:2] in surnames[1] else sw[:1]
        if HAN_NAME.fullmatch(sw) and len(sw) >= 3 and has_surname(sw, surnames) and sw[len(sur):] not in SHORT_TAILS:
            by.setdefault(sur, set()).add(name)
    return {sur: next(iter(names)) for sur, names in by.items() if len(names) == 1}


def short_forms(cast: dict[str, str]) -> dict[str, str]:
    """{surname: name} -> {short form: name}: 林校长, 李生, 林太 for 林X / 李X."""
    return {sur + tail: name for sur, name in cast.items() for tail in SHORT_TAILS}


# A place is not mentioned inside the name of an organisation, a publication or a
# work: 北京大学, 南京大学, 中国教育报, 中国社会科学院, 《中国思想史》. The name runs from the
# place through at most four more characters (no 的, 和, 、) to one of these endings;
# generic pairs (中国政府, 美国公司: "the Chinese government", "American companies") stay places.
TITLE_ENDINGS = ("大学", "学院", "中学", "小学", "研究院", "研究所", "研究中心", "科学院", "委员会", "出版社", "电视台",
                 "广播电台", "通讯社", "日报", "晚报", "时报", "周刊", "周报", "青年报", "教育报", "新闻网", "杂志", "报社",
                 "银行", "航空", "集团", "有限公司", "股份公司", "医院", "博物馆", "图书馆", "基金会", "协会", "商会", "联合会",
                 "公安局", "公安厅", "检察院", "法院")
_TITLE_AFTER = re.compile("[\u4e00-\u9fff]{0,4}?(?:" + "|".join(TITLE_ENDINGS) + ")")
_NOT_IN_TITLE = re.compile("[的和与及、是在对]")


def inside_a_title(joined: str, start: int, end: int) -> bool:
    """Whether the mention at start:end is part of a longer name or a 《title》."""
    m = _TITLE_AFTER.match(joined, end)
    if m is not None and not _NOT_IN_TITLE.search(m.group()):
        return True
    return in_book_title(joined, start, end)


def in_book_title(joined: str, start: int, end: int) -> bool:
    """Whether start:end lies inside 《...》 on its line (《毛泽东外交文选》)."""
    line_start = joined.rfind("\n", 0, start) + 1
    opened = joined.rfind("《", line_start, start)
    line_end = joined.find("\n", end)
    return opened >= 0 and joined.rfind("》", opened, start) < 0 and joined.find("》", end, None if line_end < 0 else line_end) >= 0


def used_as_a_person(text: str, spans: Iterable[tuple[int, int]], surnames: Surnames) -> bool:
    """Whether a name that starts with a surname (沈阳 the city, 沈阳 the professor) is
    used as a person's name at one of ``spans`` of ``text``: a title or role right
    before it (学者沈阳, 教授沈阳) or a speech verb right after it (沈阳说, 沈阳回应)."""
    before = tuple(CUES_BEFORE)
    after = tuple(CUES_AFTER - WEAK_CUES - {"先生", "女士"} | {"回应", "表示", "承认", "否认", "道歉"})
    for a, b in spans:
        name = text[a:b]
        if not (2 <= len(name) <= 3 and has_surname(name, surnames)):
            return False
        if text[max(0, a - 5):a].endswith(before) or text[b:b + 3].startswith(after):
            return True
    return False
