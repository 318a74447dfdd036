"""Which candidate labels are speakers, what each is called, and which side each is on.

Decided once per document from all its evidence: how often a name recurs and in which
style (bold, heading, plain), whether it reads as prose (a verb or a pronoun before the
colon), as a link or as a key; whether the text after it is a credit; how often the
speaker asks; role words and notes; and the interviewee named in the title, the front
matter or the lead. A user's speaker file (``Cast``) overrides every inference.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from analysis.parse.lines import Kind, Line
from analysis.parse.words import (
    ANSWER_NOTES, ANSWER_WORDS, GENERIC_ANSWER, HAN, HAN_TITLES, HOST_WORDS, LATIN_MEDIA, LATIN_TITLES,
    MEDIA_ENDINGS, OTHER_NOTES, PRONOUNS, QMARK, QUESTION_NOTES, QUESTION_WORDS, REQUEST, SPEECH_VERBS,
)

ASKER, ANSWERER, HOST, OTHER = "asker", "answerer", "host", "other"


@dataclass
class Cast:
    """What the user says about a document's speakers (front matter or a sidecar file)."""
    rename: dict[str, str] = field(default_factory=dict)  # label as written -> name
    interviewers: set[str] = field(default_factory=set)
    interviewees: set[str] = field(default_factory=set)
    moderators: set[str] = field(default_factory=set)
    not_speakers: set[str] = field(default_factory=set)

    def side(self, name: str) -> str | None:
        if name in self.interviewers:
            return ASKER
        if name in self.interviewees:
            return ANSWERER
        if name in self.moderators:
            return HOST
        return None


_NOT_NAME = re.compile(r"[的了是在第其这那有和与就都也还要会说问题时候首然最另例总们們這於对對为為以及把被让讓从從與還會說問題時總個]")
_NOT_NAME_LATIN = {"note", "update", "example", "answer", "question", "summary", "step", "part", "edit",
                   "warning", "tip", "source", "read", "see", "via", "ps", "p.s", "translation", "transcript",
                   "interview", "introduction", "background", "disclaimer", "copyright", "editor's", "break",
                   "intro", "outro", "ad", "sponsor", "chapter", "end", "image", "photo", "video", "caption",
                   "figure", "table", "update", "correction", "related", "also", "watch", "listen", "q&a"}
_PROSE_START = ("原文", "来自", "來自", "转自", "轉自", "摘自", "本文", "以下", "如下", "下面", "正如", "根据", "根據",
                "据", "據", "对此", "對此", "因为", "因為", "所以", "但是", "而且", "如果", "虽然", "雖然")
# lower-case words a Latin name may hold (Ludwig van Beethoven, Carlos de la Cruz)
_PARTICLES = {"van", "von", "de", "da", "del", "della", "di", "du", "la", "le", "bin", "binti", "al", "el", "der", "den",
              "ten", "ter", "y", "dos", "das"}
_DATE = re.compile(r"\d\s*[年月日号號时時点點]|^\d{1,4}[-/.]\d{1,2}")
_SENTENCE = re.compile(r"[。！？!?；;]")
_IS_HAN = re.compile(f"[{HAN}《]")


def role_of_word(name: str) -> str | None:
    low = name.lower()
    if low in QUESTION_WORDS:
        return ASKER
    if low in HOST_WORDS:
        return HOST
    if low in ANSWER_WORDS:
        return ANSWERER
    return None


def role_of_note(note: str) -> str | None:
    low = note.lower()
    if any(w in low for w in OTHER_NOTES):
        return OTHER
    if any(w in low for w in QUESTION_NOTES):
        return ASKER
    if any(w in low for w in ANSWER_NOTES):
        return ANSWERER
    return None


def reads_as_prose(name: str) -> bool:
    """``他说``, ``吳某又指``, ``因为通常这些能力是分散的``: a sentence before a colon, not a name."""
    if _DATE.search(name):
        return True  # "2018年04月07日 19": a date and a time before a colon
    if _IS_HAN.match(name):
        core = re.sub(r"[A-Za-z0-9]+", "X", name.strip("《》"))
        return (name.endswith(SPEECH_VERBS) or name.startswith(PRONOUNS + _PROSE_START) or len(core) > 10
                or (len(core) > 4 and bool(_NOT_NAME.search(re.sub(r"《[^》]*》", "", core)))))
    words = name.split()
    lower = [w for w in words if w[:1].islower() and w not in _PARTICLES]
    return len(words) > 4 or words[0].lower().strip(".") in _NOT_NAME_LATIN or bool(lower)


def looks_like_name(name: str) -> bool:
    if reads_as_prose(name):
        return False
    if is_media(name):
        return True  # 自由時報, 《财经》: an outlet's name may hold any character
    if _IS_HAN.match(name):
        core = re.sub(r"《[^》]*》", "XX", re.sub(r"[A-Za-z0-9]+", "X", name))
        return 2 <= len(core) <= 8 and not _NOT_NAME.search(core)
    words = name.split()
    return len(words) <= 4 and all(w[0].isupper() or w[0].isdigit() for w in words)


def is_media(name: str) -> bool:
    if name.startswith("《") or name.endswith(MEDIA_ENDINGS):
        return True
    return any(w.lower().strip(".") in LATIN_MEDIA for w in name.split())


def _credit(line: Line) -> bool:
    """``记者：陆柯言``, ``译：Kris``: a label whose text is only a short name list."""
    rest = line.rest.strip().strip("*_ ")
    if re.match(r"(?:~~)?\[[^\]]*\]\(|<a\s|<https?:|\(?https?:|www\.", rest) or (
            len(rest) <= 80 and re.search(r"\]\(https?:|https?://", rest) and not _SENTENCE.search(rest.split("http")[0])):
        return True  # "原文来自财经E法：[link](…)", "19:59 来源于 [财新网](…)": a source line
    return (0 < len(rest) <= 20 and not _SENTENCE.search(rest) and not QMARK.search(rest)
            and not rest.endswith((".", "…", "”", "」", "\"")))


def accept(lines: list[Line], cast: Cast) -> set[str]:
    """The names among the candidate labels that are speakers in this document."""
    every = [ln for ln in lines if ln.kind is Kind.LABEL]
    labels = [ln for ln in every if not ln.extra.get("runs_on")]
    counts = Counter(ln.name for ln in labels)
    # the style the document's recurring speakers are written in
    styles = Counter(ln.style for ln in labels if counts[ln.name] >= 2 and not reads_as_prose(ln.name))
    main_styles = {s for s, n in styles.items() if n >= max(2, 0.2 * sum(styles.values()))}
    accepted: set[str] = set(cast.rename) | cast.interviewers | cast.interviewees | cast.moderators
    for name, n in counts.items():
        if name in cast.not_speakers or cast.rename.get(name) in cast.not_speakers:
            continue
        own = [ln for ln in labels if ln.name == name]
        if reads_as_prose(name) and not role_of_word(name):
            continue
        in_style = not main_styles or any(ln.style in main_styles for ln in own)
        if n == 1 and own[0].style == "bracket" and not role_of_word(name):
            continue  # "（注：…）" style notes; a bracketed turn needs a known speaker
        if n == 1 and (_credit(own[0]) or not in_style) and not (role_of_word(name) and in_style and not _credit(own[0])):
            continue  # a byline, a credit, a list item inside an answer
        if role_of_word(name) or role_of_note(own[0].note) or n >= 2 or looks_like_name(name):
            if n == 1 and not role_of_word(name) and not own[0].note and not looks_like_name(name):
                continue
            accepted.add(name)
    # short forms of a speaker ("张" for 张三, "英伟达CEO黄仁勋" for 黄仁勋) are that speaker
    credits = {n for n in counts if all(_credit(ln) for ln in labels if ln.name == n)}
    forms = short_forms({n for n in counts if not n.endswith(SPEECH_VERBS) and not n.startswith(_PROSE_START)
                         and not _DATE.search(n) and n not in credits}, set())
    accepted |= {n for n, full in forms.items() if full in accepted and n not in cast.not_speakers}
    if len(accepted) == 1 and counts.get(next(iter(accepted)), 0) == 1:
        only = next(iter(accepted))
        if not role_of_word(only) and not cast.side(only):
            accepted.clear()  # one label used once is more likely prose than a dialogue
    return accepted


def short_forms(names: set[str], full: set[str]) -> dict[str, str]:
    """Map short labels (``张`` / ``林鄭`` / ``Huang``) to the one full name they abbreviate."""
    full = set(full) | set(names)
    mapping = {}
    for short in names:
        if role_of_word(short):
            continue
        if _IS_HAN.match(short):
            cands = {f for f in full if len(f) > len(short) and f.startswith(short) and not reads_as_prose(f)}
            # "英伟达CEO黄仁勋" introduces the 黄仁勋 of the later labels: a title in front
            titled = {f for f in names if len(f) >= 2 and len(short) > len(f) and short.endswith(f)}
            if len(titled) == 1 and not cands:
                mapping[short] = titled.pop()
                continue
        else:
            low = short.lower()
            cands = {f for f in full if f != short and low in f.lower().split()}
        if len(cands) == 1:
            mapping[short] = cands.pop()
    return mapping


def titled_full_name(label: str, text: str) -> str | None:
    """``林校长`` / ``崔大使`` / ``MR. ZIENTS`` -> the full name the document introduces."""
    if _IS_HAN.match(label):
        for title in sorted(HAN_TITLES, key=len, reverse=True):
            if label.endswith(title) and 1 <= len(label) - len(title) <= 2:
                surname = label[: -len(title)]
                break
        else:
            return None
        found: Counter = Counter()
        for k in (2, 1):
            for m in re.finditer(rf"{re.escape(surname)}[{HAN}]{{{k}}}", text):
                given = m.group()[len(surname):]
                if _NOT_NAME.search(given) or any(t.startswith(given) or given.startswith(t) for t in HAN_TITLES):
                    continue
                found[m.group()] += 1
            good = [(n, c) for c, n in found.items() if n >= 2]
            if good:
                return max(good)[1]
        return None
    words = [w for w in re.split(r"[\s\u00a0]+", label.strip()) if w]
    if len(words) < 2 or words[0].lower().strip(".") not in LATIN_TITLES:
        return None
    surname = words[-1]
    last = surname.title() if surname.isupper() else surname
    pat = re.compile(rf"\b((?:[A-Z][a-z]+\.?\s+(?:[A-Z]\.\s+)?)+){re.escape(last)}\b")
    found = Counter()
    for m in pat.finditer(text):
        first = m.group(1).split()
        first = [w for w in first if w.lower().strip(".") not in LATIN_TITLES]
        if first:
            found[" ".join(first[-2:]) + " " + last] += 1
    if not found:
        return None
    return found.most_common(1)[0][0]


_TITLE_NAME = re.compile(rf"(?:专访|專訪|对话|對話|访谈|訪談|采访|採訪|问答|問答)?[｜|丨\s:：]*(?P<name>[{HAN}·]{{2,8}})[｜|丨\s]*[：:]")
_LEAD_NAME = re.compile(rf"(?:专访|專訪|对话|對話|采访了|採訪了|访问了|訪問了|接受)(?:了)?(?P<name>[{HAN}·]{{2,4}})")


_LEGEND = re.compile(rf"^[ \t]*(?:\*\*)?(?P<key>[A-Z]{{1,3}}|[{HAN}])(?:\*\*)?[ \t]*[=＝][ \t]*(?:\*\*)?"
                     rf"(?P<name>[^\s=＝*]{{2,20}}(?: [A-Z][a-z]+)?)(?:\*\*)?[ \t]*$", re.M)


def legend(text: str, body_start: int) -> dict[str, str]:
    """``C = 陈一菲`` / ``M = 木田`` lines near the top: what the letters of the labels stand for."""
    return {m["key"]: m["name"] for m in _LEGEND.finditer(text, body_start, body_start + 3000)}


def interviewee_names(text: str, body_start: int, metadata: dict[str, str]) -> list[str]:
    """Names the document gives its interviewee, most explicit first: front matter keys,
    the title (``周雪光：…``, ``专访X``), the lead (``对话X``), then tags."""
    names: list[str] = []
    for key in ("interviewee", "interviewees", "guest", "guests", "受访者", "受訪者", "嘉宾", "嘉賓", "主讲人"):
        names += [v.strip() for v in re.split(r"[,，、;；]", metadata.get(key, "")) if v.strip()]
    title = metadata.get("title", "")
    names += [m["name"] for m in _TITLE_NAME.finditer(title)]
    names += [m["name"] for m in _LEAD_NAME.finditer(title + "\n" + text[body_start: body_start + 3000])]
    names += [v.strip() for v in re.split(r"[,，、;；]", metadata.get("tags", "")) if v.strip()]
    return [n for n in dict.fromkeys(names)
            if looks_like_name(n) and not role_of_word(n) and n not in HAN_TITLES and not is_media(n)]


def question_share(turn_texts: list[str]) -> float:
    if not turn_texts:
        return 0.0
    return sum(1 for t in turn_texts if QMARK.search(t) or REQUEST.search(t)) / len(turn_texts)


def sides(speakers: dict[str, list[str]], words: dict[str, str | None], cast: Cast,
          interviewees: list[str]) -> dict[str, str]:
    """Which side each speaker is on: asker, answerer, host or other.

    ``speakers`` maps each resolved speaker to its turns' texts, in order of first
    appearance; ``words`` gives the role its label or note says, if any.
    """
    side: dict[str, str] = {}
    for s in speakers:
        side_said = cast.side(s) or words.get(s)
        if side_said:
            side[s] = side_said
    share = {s: question_share(speakers[s]) for s in speakers}
    share_of = share.__getitem__
    free = [s for s in speakers if s not in side]
    if cast.interviewees and not cast.interviewers and not any(v == ASKER for v in side.values()):
        # the user named who answers: the others ask
        for s in free:
            side[s] = ASKER
        free = []
    askers_said = [s for s, v in side.items() if v == ASKER]
    # rank every speaker not said to ask or lead by how often it asks; the askers are
    # the free speakers above the largest drop in that share
    ranked = sorted((s for s in speakers if side.get(s) in (None, ANSWERER)), key=lambda s: -share_of(s))
    # among the drops, prefer one that leaves askers and answerers with turns on both sides
    # (a bystander who asks once does not make everyone else an answerer)
    n_turns = {s: len(speakers[s]) for s in ranked}
    best_gap, best_score, cut = 0.0, 0.0, 0
    for i in range(len(ranked) - 1):
        gap = share_of(ranked[i]) - share_of(ranked[i + 1])
        above, below = sum(n_turns[s] for s in ranked[:i + 1]), sum(n_turns[s] for s in ranked[i + 1:])
        score = gap * max(0.25, min(above, below) / max(above, below))
        if gap >= 0.2 and score > best_score:
            best_gap, best_score, cut = gap, score, i + 1
    top = [s for s in ranked[:cut] if s in free]
    # with reporters already marked (记者, Q), another speaker asks only if nearly every turn asks
    floor = 0.8 if askers_said else 0.3
    if top and len(top) == cut and share_of(top[-1]) >= floor and best_gap >= 0.2:
        for s in top:
            side[s] = ASKER
    elif free and not askers_said and not any(v == HOST for v in side.values()) and len(speakers) >= 2:
        media = [s for s in free if is_media(s)]
        named = [s for s in free if any(n in s or s in n for n in interviewees)]
        if media and len(media) < len(speakers):
            for s in media:
                side[s] = ASKER
        elif named and len(named) < len(free):
            for s in free:
                if s not in named:
                    side[s] = ASKER
        elif len(free) >= 2:
            side[free[0]] = ASKER  # failing all else, the first speaker asks
    for s in free:
        side.setdefault(s, ANSWERER)
    # a host asks when nobody else does; it hands over when reporters ask
    if not any(v == ASKER for v in side.values()):
        for s, v in side.items():
            if v == HOST:
                side[s] = ASKER
    return side
