"""Transcript text -> turns (speakers, roles, exchanges, offsets).

A *turn* is one speaker's uninterrupted contribution, or a stretch of text no
speaker says (editor's lead, ads, notes, headings, quoted blocks), which is
``narration``. A question opens an exchange; the answer turns after it belong
to that exchange.

Parsing is line based. Every line is classified by looking at a bounded
prefix only (``_PREFIX`` characters), so a megabyte-long line without a colon
costs one anchored regex match, never a backtracking scan.

The turns tile the body: every non-whitespace character from ``body_start`` to
the end of the text lies in exactly one turn's ``[start, end)``, and each
turn's ``text`` is ``document_text[text_start:text_end]``.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import schema

log = logging.getLogger(__name__)

_PREFIX = 96  # how much of a line a label may take, at most

# Zero-width characters and BOMs users paste into labels along with the text.
_ZW = "\u200b\u200c\u200d\u2060\ufeff"
_SP = rf"[\s{_ZW}]"  # \s already covers NBSP and U+3000 in Python's re

# Role words. Lower-cased for lookup; the label keeps what was written.
QUESTION_WORDS = {
    "q", "问", "提问", "记者", "主持人", "主持", "主持人问", "采访者", "采访人", "观众", "网友",
    "問", "提問", "記者", "主持人問", "採訪者", "採訪人", "觀眾", "觀衆", "網友",
    "moderator", "interviewer", "host", "reporter", "question", "audience",
}
ANSWER_WORDS = {"a", "答", "回答", "answer", "回答者"}
ROLE_WORDS = QUESTION_WORDS | ANSWER_WORDS
# Notes in brackets after a name that say who asks or who answers.
_QUESTION_NOTES = ("采访", "主持", "记者", "提问", "採訪", "記者", "提問",
                   "interviewer", "host", "moderator", "reporter")
_ANSWER_NOTES = ("受访", "嘉宾", "被采访", "受訪", "嘉賓", "被採訪", "guest", "interviewee")

# A line that starts with one of these keys and a colon is metadata, not speech.
METADATA_KEYS = {
    "来源", "作者", "撰文", "文", "编辑", "责任编辑", "责编", "原标题", "标题", "日期", "时间",
    "发布时间", "整理", "出品", "校对", "审核", "监制", "图", "图片", "图片来源", "摄影", "翻译",
    "编译", "原文", "原文链接", "链接", "注", "备注", "导语", "摘要", "关键词",
    # the same in traditional characters (Taiwan, Hong Kong)
    "來源", "編輯", "責任編輯", "責編", "原標題", "標題", "時間", "發佈時間", "發布時間", "校對", "審核", "審覈",
    "監製", "圖", "圖片", "圖片來源", "攝影", "翻譯", "編譯", "原文鏈接", "原文連結", "鏈接", "連結", "備註",
    "導語", "關鍵詞", "關鍵字",
    "source", "author", "by", "date", "title", "editor", "photo", "translator", "note", "link",
}
# Prose that ends in a colon at the start of a line ("他说：") is not a label.
_SPEECH_VERBS = ("说", "称", "表示", "认为", "指出", "强调", "回应", "介绍", "提到", "问道", "答道",
                 "写道", "如下", "例如", "比如", "包括", "总结", "补充", "坦言", "透露",
                 "說", "説", "稱", "認為", "認爲", "強調", "回應", "介紹", "問道", "寫道", "總結", "補充")

# Editor's notes that close or interrupt a transcript.
_EDITOR_NOTE = re.compile(
    r"(?:完整内容|全文(?:完|见|链接)|原文(?:链接|见|地址)|更多内容|阅读原文|点击(?:阅读|关注|下方|查看)|扫码|"
    r"关注(?:我们|公众号)|本文(?:来源|作者|由|转载|首发|系|为)|"
    r"完整內容|全文(?:見|鏈接|連結)|原文(?:鏈接|連結|見)|更多內容|閱讀原文|閲讀原文|點擊(?:閱讀|閲讀|關注|下方|查看)|"
    r"掃碼|關注(?:我們|公眾號|公衆號)|本文(?:來源|由|轉載|首發|為|爲)|"
    r"[(（\[【]?(?:完|全文完|END)[)）\]】]?$|—+完—+$|-{2,}\s*END)",
    re.IGNORECASE,
)

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Han names, possibly with a title in front ("英伟达CEO黄仁勋"), up to 16 characters.
_NAME_HAN = rf"(?:[A-Za-z0-9]{{1,6}})?[{_HAN}][{_HAN}A-Za-z0-9·•・{_ZW}]{{0,15}}"
_NAME_LATIN = r"[A-Za-z][A-Za-z0-9.'’\-]{0,20}(?:[ \u00a0][A-Za-z0-9][A-Za-z0-9.'’\-]{0,20}){0,3}"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
_TS = rf"(?:[\[\(（【]{_TIME}[\]\)）】]|{_TIME})"

# A speaker label at the start of a line:
#   [00:12:31] **张三（采访人）**：   主持人(10:05)：   Q：   MODERATOR:   **张三：**
_LABEL = re.compile(
    rf"""
    (?P<lead>{_SP}*(?:(?P<ts>{_TS}){_SP}*)?)
    (?P<bo>\*\*|__)?{_SP}*
    (?P<name>{_NAME_HAN}|{_NAME_LATIN})
    (?:{_SP}*[（(\[【](?P<note>[^()（）\[\]【】\n]{{1,24}})[)）\]】])?
    {_SP}*(?:(?P<ts2>{_TS}){_SP}*)?
    (?P<bc1>\*\*|__)?{_SP}*
    (?P<colon>[:：])
    (?P<bc2>{_SP}*(?:\*\*|__))?
    """,
    re.VERBOSE,
)
# Q / A written without a colon: "Q. What ...", "Q What ...", "A）..."
_BARE_QA = re.compile(rf"(?P<lead>{_SP}*)(?P<bo>\*\*)?(?P<name>[QA])(?P<bc1>\*\*)?(?P<colon>[.．、)）]|(?={_SP}+\S)|{_SP}*$)")
# A label alone on its own line: "MODERATOR", "JENSEN HUANG", "问"
_ALONE = re.compile(rf"{_SP}*(?:\*\*)?(?P<name>{_NAME_HAN}|{_NAME_LATIN})(?:\*\*)?{_SP}*$")
_TS_ALONE = re.compile(rf"{_SP}*{_TS}{_SP}*$")
_BOLD_LINE = re.compile(rf"{_SP}*(?:\*\*|__)(?P<inner>[^*_\n].*?)(?:\*\*|__){_SP}*$")
_HEADING = re.compile(rf"{_SP}{{0,3}}#{{1,6}}{_SP}")
_QUOTE = re.compile(rf"{_SP}{{0,3}}>")
_META = re.compile(rf"{_SP}*(?:\*\*)?(?P<key>[{_HAN}]{{1,6}}|[A-Za-z]{{2,12}})(?:\*\*)?{_SP}*[:：]")
_QMARK = re.compile(r"[?？]")
_NONSPACE = re.compile(r"\S")
_ZW_RE = re.compile(f"[{_ZW}]")
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{2,7}|#[xX][0-9A-Fa-f]{2,6});")


@dataclass
class Turn:
    role: str
    start: int
    text_start: int
    end: int = -1
    speaker: str | None = None
    speaker_label: str = ""
    kind: str = "speech"  # speech / narration / quote / heading / boldq / meta
    explicit_role: str | None = None


@dataclass
class _Line:
    start: int  # offset of the line in the text
    end: int  # offset after the line's content (line break excluded)
    content: str
    kind: str  # blank / label / boldq / quote / heading / meta / note / plain
    label_end: int = 0  # for labels: offset after the label (and its colon)
    name: str = ""
    note: str = ""
    label_text: str = ""
    para_start: bool = False
    extra: dict = field(default_factory=dict)


_NUMBERED = re.compile(r"(?i)(q|a|问|答|問)\s?\d{1,3}")


def _clean_name(name: str) -> str:
    name = " ".join(_ZW_RE.sub("", name).split())
    # "Q1" / "A12" / "问3": numbered questions and answers are still Q and A
    return name[0] if _NUMBERED.fullmatch(name) else name


def _role_of_word(name: str) -> str | None:
    low = name.lower()
    if low in QUESTION_WORDS:
        return "question"
    if low in ANSWER_WORDS:
        return "answer"
    return None


def _role_of_note(note: str) -> str | None:
    low = note.lower()
    if any(w in low for w in _QUESTION_NOTES):
        return "question"
    if any(w in low for w in _ANSWER_NOTES):
        return "answer"
    return None


def _split_lines(text: str, body_start: int) -> list[_Line]:
    lines = []
    pos = body_start
    prev_blank = True
    for raw in text[body_start:].splitlines(keepends=True):
        content = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        blank = not content.strip()
        line = _Line(pos, pos + len(content), content, "blank" if blank else "plain", para_start=prev_blank)
        lines.append(line)
        prev_blank = blank
        pos += len(raw)
    return lines


def _candidate(line: _Line) -> None:
    """Classify one line by its bounded prefix; labels are only candidates here."""
    head = line.content[:_PREFIX]
    if _QUOTE.match(head):
        line.kind = "quote"
        return
    if _HEADING.match(head):
        line.kind = "heading"
        return
    m = _LABEL.match(head)
    if m:
        name = _clean_name(m["name"])
        if m["bo"] and not (m["bc1"] or m["bc2"] or line.content.rstrip().endswith(m["bo"])):
            m = None  # "**张三：** ...", "**张三**：", "**Q：问题？**" are labels; "**张三：说"... is not
        elif name.lower() in METADATA_KEYS or (not m["note"] and _clean_name(m["name"]) in METADATA_KEYS):
            line.kind = "meta"
            return
    if m:
        line.kind = "label"
        line.name = name
        line.note = (m["note"] or "").strip()
        line.label_end = line.start + m.end()
        line.extra = {"bold": bool(m["bo"]), "ts": bool(m["ts"] or m["ts2"])}
        return
    m = _BARE_QA.match(head)
    if m:
        line.kind = "bare_qa"
        line.name = m["name"]
        line.label_end = line.start + m.end()
        return
    b = _BOLD_LINE.match(line.content) if len(line.content) < 2000 else None
    if b:
        inner = b["inner"].strip()
        line.kind = "boldq" if _QMARK.search(inner[-3:]) else "heading"
        return
    if len(line.content.strip()) <= 40 and _EDITOR_NOTE.match(line.content.strip()):
        line.kind = "note"
        return
    a = _ALONE.match(head) if len(line.content) <= _PREFIX else None
    if a:
        line.kind = "alone"
        line.name = _clean_name(a["name"])
        line.label_end = line.end
        return
    if _TS_ALONE.match(head) and len(line.content) <= _PREFIX:
        line.kind = "timestamp"
        return
    mm = _META.match(head)
    if mm and _clean_name(mm["key"]).lower() in METADATA_KEYS:
        line.kind = "meta"


def _accept_labels(lines: list[_Line]) -> set[str]:
    """Decide which candidate names are speaker labels in this document.

    Role words (Q, 问, 记者, MODERATOR ...), bold labels, and labels with a note are
    taken at once. A plain ``name：`` must occur as a label at least twice, or be a
    short name in a document that already has other accepted labels; prose such as
    ``他说：`` never is.
    """
    names = [ln.name for ln in lines if ln.kind == "label"]
    short = _short_forms(set(names), None)
    counts = Counter(short.get(n, n) for n in names)
    explicit = {ln.name for ln in lines if ln.kind == "label" and (ln.extra.get("bold") or ln.note)}
    accepted = set()
    for name, n in counts.items():
        if name.endswith(_SPEECH_VERBS) or name.startswith(("他", "她", "我", "你", "它")):
            continue
        if _role_of_word(name) or name in explicit or (n >= 2 and _plausible(name)):
            accepted.add(name)
    namelike = {n for n in counts if _looks_like_name(n)}
    if accepted or len(namelike) >= 2:
        # Once a document has labels, a name used once may be a speaker too
        # (a guest who says one thing), if it looks like a name.
        accepted |= namelike
    accepted |= {s for s, full in short.items() if full in accepted}
    return accepted


_NOT_NAME = re.compile(r"[的了是在第其这那有和与就都也还要会说问题时候首然最另例总]")
_NOT_NAME_LATIN = {"note", "update", "example", "answer", "question", "summary", "step", "part", "edit",
                   "warning", "tip", "source", "read", "see", "via", "ps", "p.s", "translation", "transcript",
                   "interview", "introduction", "background", "disclaimer", "copyright", "editor's"}


def _plausible(name: str) -> bool:
    """Could this be a speaker at all? (Long prose before a colon is not.)"""
    if re.match(f"[{_HAN}]", name):
        return len(name) <= 8 and not (len(name) > 4 and _NOT_NAME.search(name))
    return True


def _looks_like_name(name: str) -> bool:
    if name.endswith(_SPEECH_VERBS) or name.startswith(("他", "她", "我", "你", "它")):
        return False
    if re.match(f"[{_HAN}]", name):
        return 2 <= len(name) <= 4 and not _NOT_NAME.search(name)
    words = name.split()
    return (len(words) <= 3 and words[0].lower() not in _NOT_NAME_LATIN
            and all(w[0].isupper() or w[0].isdigit() for w in words))


def _short_forms(names: set[str], metadata: dict[str, str] | None) -> dict[str, str]:
    """Map short labels (``张`` / ``Huang``) to the one full name they abbreviate."""
    full = set(names)
    for key in ("speaker", "speakers", "guest", "interviewee", "受访者", "嘉宾", "主讲人"):
        for value in re.split(r"[,，、;；]", (metadata or {}).get(key, "")):
            if value.strip():
                full.add(value.strip())
    mapping = {}
    for short in names:
        if _role_of_word(short):
            continue
        if re.match(f"[{_HAN}]", short):
            cands = {f for f in full if len(f) > len(short) and f.startswith(short)}
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


def parse_text(text: str, *, body_start: int = 0, metadata: dict[str, str] | None = None) -> tuple[list[Turn], list[str]]:
    """Split ``text[body_start:]`` into turns. Returns the turns and warnings."""
    lines = _split_lines(text, body_start)
    for ln in lines:
        if ln.kind != "blank":
            _candidate(ln)
    accepted = _accept_labels(lines)
    has_bare_q = any(ln.kind == "bare_qa" and ln.name == "Q" for ln in lines)
    has_colon_q = any(ln.kind == "label" and ln.name.lower() == "q" for ln in lines)
    for ln in lines:
        if ln.kind == "label" and ln.name not in accepted:
            ln.kind = "plain"
        elif ln.kind == "bare_qa" and not (has_bare_q and not has_colon_q and ln.para_start):
            ln.kind = "plain"
        elif ln.kind == "alone" and not (_role_of_word(ln.name) or ln.name in accepted
                                         or (ln.name.isupper() and len(ln.name) > 1)):
            ln.kind = "plain"
        if ln.kind == "bare_qa":
            ln.kind = "label"
        elif ln.kind == "alone":
            ln.kind = "label"

    speakers = {ln.name for ln in lines if ln.kind == "label"}
    short = _short_forms(speakers, metadata)
    named = sorted((n for n in speakers if not _role_of_word(n) and len(n) >= 2), key=len, reverse=True)

    turns: list[Turn] = []
    cur: Turn | None = None
    pending_ts: int | None = None  # a timestamp alone on a line, waiting for the next label
    warnings: list[str] = []

    def open_turn(role: str, start: int, text_start: int, **kw) -> Turn:
        nonlocal cur
        if pending_ts is not None:
            start = pending_ts
        t = Turn(role=role, start=start, text_start=text_start, **kw)
        turns.append(t)
        cur = t
        return t

    answers_labelled = sum(1 for ln in lines if ln.kind == "label" and _role_of_word(ln.name) != "question")
    for ln in lines:
        if ln.kind == "blank":
            continue
        first = ln.start + _first_nonspace(ln.content)
        if ln.kind == "label":
            label_role = _role_of_word(ln.name) or _role_of_note(ln.note)
            name = short.get(ln.name, ln.name)
            open_turn("speech", first, ln.label_end, speaker=name,
                      speaker_label=text[first:ln.label_end].strip(), explicit_role=label_role)
            pending_ts = None
        elif ln.kind == "timestamp":
            if pending_ts is None:
                pending_ts = first
            continue
        elif ln.kind == "boldq":
            open_turn("speech", first, first, kind="boldq", explicit_role="question")
        elif ln.kind in ("heading",):
            open_turn("narration", first, first, kind="heading")
        elif ln.kind == "quote":
            if not (cur and cur.kind == "quote"):
                open_turn("narration", first, first, kind="quote")
        elif ln.kind in ("meta", "note"):
            if not (cur and cur.role == "narration" and cur.kind in ("narration", "meta")):
                open_turn("narration", first, first, kind="meta")
        else:  # plain
            speaker = _colonless_speaker(ln, cur, named)
            if speaker:
                label_end = ln.start + ln.content.index(speaker) + len(speaker)
                open_turn("speech", first, label_end, speaker=speaker, speaker_label=speaker,
                          explicit_role="answer")
                warnings.append(f"line at offset {first}: speaker label without a colon read as {speaker!r}")
            elif cur is None or cur.kind in ("quote", "heading"):
                open_turn("narration", first, first, kind="narration")
            elif cur.kind == "boldq" or (
                cur.role == "speech" and cur.explicit_role == "question" and ln.para_start
                and not answers_labelled and _question_ended(text, cur, ln)
            ):
                # Questions are labelled but answers are not: the paragraph after a
                # question is the answer.
                open_turn("speech", first, first, kind="speech", explicit_role="answer")
            elif cur.kind == "meta":
                open_turn("narration", first, first, kind="narration")
        pending_ts = None if ln.kind != "timestamp" else pending_ts
        cur.end = ln.start + len(ln.content.rstrip())  # type: ignore[union-attr]
        cur.end = max(cur.end, cur.text_start)  # type: ignore[union-attr]

    if pending_ts is not None and turns:
        turns[-1].end = max(turns[-1].end, _line_end_at(text, pending_ts))
    elif pending_ts is not None:
        open_turn("narration", pending_ts, pending_ts, kind="narration").end = _line_end_at(text, pending_ts)

    _assign_roles(turns, text)
    entity = _ENTITY.search(text, body_start)
    if entity:
        warnings.append(f"HTML entities such as {entity.group()!r} (offset {entity.start()}) are kept as written; "
                        "a label written with one (黄仁勋&#65306;) is not recognised: unescape the file first "
                        "(python -c \"import html,sys; print(html.unescape(sys.stdin.read()))\")")
    if not any(t.speaker_label for t in turns) and not any(t.kind == "boldq" for t in turns):
        if turns:
            warnings.append("no speaker labels found: the whole text is narration")
    else:
        roles = Counter(t.role for t in turns)
        if not roles["question"]:
            who = ", ".join(sorted({t.speaker for t in turns if t.speaker}))
            warnings.append(f"no questions found: every labelled turn ({who}) reads as an answer; "
                            "mark the interviewer's label (Q, 记者, 主持人, or a note such as （采访人）)")
        elif not roles["answer"]:
            warnings.append("no answers found: every labelled turn reads as a question")
    for t in turns:
        # The text starts at its first non-space character after the label.
        seg = text[t.text_start:t.end]
        off = _first_nonspace(seg)
        t.text_start = t.text_start + off if off < len(seg) else t.end
    return turns, warnings


def _first_nonspace(s: str) -> int:
    m = _NONSPACE.search(s)
    return m.start() if m else len(s)


def _line_end_at(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text.rstrip()) if nl < 0 else len(text[:nl].rstrip())


def _question_ended(text: str, cur: Turn, ln: _Line) -> bool:
    """In label-less answers: does the question stop before this paragraph?"""
    asked = text[cur.text_start:cur.end]
    if _QMARK.search(asked[-4:]):
        return True
    return not _QMARK.search(ln.content.rstrip()[-4:])


def _colonless_speaker(ln: _Line, cur: Turn | None, named: list[str]) -> str | None:
    """A known answerer's name opening a paragraph right after a question, colon lost."""
    if not (ln.para_start and cur is not None and cur.role == "speech"):
        return None
    if cur.explicit_role != "question" and cur.kind != "boldq":
        return None
    body = ln.content.lstrip(" \t\u00a0\u3000" + _ZW)
    for name in named:
        if body.startswith(name) and name != cur.speaker and len(body) > len(name):
            return name
    return None


def _assign_roles(turns: list[Turn], text: str) -> None:
    """Who asks and who answers, inferred per document.

    Labels and notes that say it (Q, 记者, 主持人, （采访人）, A, 答) decide. Other
    named speakers answer, unless nobody is marked as asking: then the speakers
    who ask most (a question mark in at least half their turns, and more often
    than the others) ask, and failing that the first speaker asks.
    """
    speech = [t for t in turns if t.role == "speech"]
    named = list(dict.fromkeys(t.speaker for t in speech if t.explicit_role is None))
    role_by_speaker = dict.fromkeys(named, "answer")
    if len(named) >= 2 and not any(t.explicit_role == "question" for t in speech):
        share = {}
        for s in named:
            own = [t for t in speech if t.speaker == s]
            share[s] = sum(1 for t in own if _QMARK.search(text[t.text_start:t.end])) / len(own)
        best = max(share.values())
        askers = [s for s, v in share.items() if v >= 0.5 and v == best]
        for s in askers if len(askers) < len(named) else named[:1]:
            role_by_speaker[s] = "question"
    for t in speech:
        t.role = t.explicit_role or role_by_speaker.get(t.speaker, "answer")


def to_turns(documents: pd.DataFrame) -> pd.DataFrame:
    """documents (doc_id, text, body_start[, metadata as JSON]) -> turns, one row per turn.

    Columns are ``schema.TURNS``; see the README for what each one means.
    """
    rows = []
    for doc in documents.itertuples(index=False):
        meta = json.loads(doc.metadata) if isinstance(getattr(doc, "metadata", None), str) else None
        turns, _ = parse_text(doc.text, body_start=int(doc.body_start), metadata=meta)
        rows.extend(turn_rows(doc.doc_id, doc.text, turns))
    if not rows:
        return schema.empty(schema.TURNS)
    return schema.conform(pd.DataFrame(rows), schema.TURNS)


def count_chars(s: str) -> int:
    """Characters that are neither whitespace nor zero-width."""
    return len("".join(s.split())) - sum(s.count(z) for z in _ZW)


# What count_chars leaves out: whitespace as str.split() sees it (none lies above
# U+3000) and the zero-width characters.
_UNCOUNTED = np.array([c for c in range(0x3001) if chr(c).isspace()] + [ord(z) for z in _ZW], dtype=np.uint32)
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


def span_counts(text: str, starts, ends) -> tuple[np.ndarray, np.ndarray]:
    """For each span ``text[start:end]``: ``count_chars`` of it and its number of Han
    characters (CJK ideographs, extensions A to G). One vectorised pass over ``text``
    instead of a regex per span."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    han = np.zeros(len(codes), dtype=bool)
    for lo, hi in _HAN_RANGES:
        han |= (codes >= lo) & (codes <= hi)
    counted = np.concatenate([[0], np.cumsum(~np.isin(codes, _UNCOUNTED))])
    hans = np.concatenate([[0], np.cumsum(han)])
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    return counted[ends] - counted[starts], hans[ends] - hans[starts]


def turn_rows(doc_id: str, text: str, turns: list[Turn]) -> list[dict]:
    """Rows of the turns table for one parsed document, with exchanges numbered."""
    n_chars, n_han = span_counts(text, [t.text_start for t in turns], [t.end for t in turns])
    rows = []
    exchange = -1
    last_role = None
    for i, t in enumerate(turns):
        if t.role == "question" and last_role != "question":
            exchange += 1
        if t.role != "narration":
            last_role = t.role
        body = text[t.text_start:t.end]
        rows.append({
            "doc_id": doc_id,
            "turn_id": i,
            "exchange_id": exchange if exchange >= 0 else pd.NA,
            "role": t.role,
            "speaker": t.speaker if t.role != "narration" else None,
            "speaker_label": t.speaker_label,
            "text": body,
            "start": t.start,
            "end": t.end,
            "text_start": t.text_start,
            "text_end": t.end,
            "n_chars": int(n_chars[i]),
            "n_han": int(n_han[i]),
        })
    return rows
