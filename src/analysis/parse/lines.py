"""Lines -> line kinds, by a closed, ordered set of recognisers.

Every line is classified by looking at a bounded prefix only (``PREFIX``
characters), so a megabyte-long line without a colon costs a few anchored regex
matches, never a backtracking scan. The first recogniser that claims a line
decides its kind; adding a layout means adding or adjusting one recogniser in
``RECOGNISERS``. Labels found here are only candidates: which of them are
speakers is decided for the whole document in ``speakers``.

Most lines are plain speech that no recogniser claims, so a line is offered only
to the recognisers that could claim it: ``NEEDS`` says, for each, what a line
must have for it to match at all (its first visible character, a colon in its
head, a short enough length), a few string tests per line. A recogniser not in
``NEEDS`` is offered every line. Each condition must be implied by a match, or
the recogniser would miss lines (``tests/test_parse_lines.py`` checks them on
random lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from analysis.parse.words import (
    BRACKETED, EDITOR_NOTE, FOOTER, HAN, HTML_BREAK, METADATA_KEYS, NO_ANSWER, NON_SPEECH, ROLE_WORDS, SP, STAGE, URL_NAME, ZW,
)

PREFIX = 96  # how much of a line a label may take, at most


class Kind(Enum):
    BLANK = "blank"
    LABEL = "label"              # a candidate speaker label: "张三：", "**Q：**", "### 唐鳳：", "MODERATOR:"
    BOLD_QUESTION = "boldq"      # a whole bold line that asks: "**你怎么看开源？**"
    ROLE_MARKER = "marker"       # a role word alone on its line ("问", "答") before the named label
    TIMESTAMP = "timestamp"      # a time alone on its line, waiting for the next label
    META = "meta"                # "来源：…", "编辑：…"
    NOTE = "note"                # editor's notes and end marks: "（完）", "阅读原文"
    NON_SPEECH = "non_speech"    # markup, media, URLs, footers, credits, stage directions alone
    QUOTE = "quote"              # a Markdown blockquote
    HEADING = "heading"          # a Markdown heading or a whole bold line that does not ask
    PLAIN = "plain"              # anything else: speech when it follows a turn, narration when not


@dataclass(slots=True)
class Line:
    start: int                   # offset of the line in the text
    end: int                     # offset after the line's content (line break excluded)
    content: str
    kind: Kind = Kind.PLAIN
    para_start: bool = False     # first line after a blank line (or of the body)
    label_end: int = 0           # for labels: offset after the label (and its colon)
    name: str = ""               # for labels and markers: the name as cleaned
    note: str = ""               # a note in brackets after the name: （采访人）, (translator)
    style: str = ""              # how the label is written: "bold", "heading", "plain", "bracket"
    rest: str = ""               # what follows the label on its line (bounded)
    extra: dict = field(default_factory=dict)


# A short name padded to the width of three, as typeset: "王　伟", "王 伟"
_PADDED = rf"[{HAN}](?:[ \u3000\u00a0]{{1,2}}[{HAN}]){{1,2}}(?![{HAN}])"
_NAME_HAN = (rf"(?:{_PADDED}|(?:《[^《》\n]{{1,20}}》|[A-Za-z0-9]{{1,16}}{SP}?)?[{HAN}《][{HAN}A-Za-z0-9·•・《》{ZW}]{{0,15}}"
             rf"(?:{SP}?[A-Za-z0-9]{{1,16}})?)")
_LAT = "A-Za-z\u00c0-\u024f"  # Latin letters, accented ones too (José, Zürich)
_NAME_LATIN = rf"[{_LAT}][{_LAT}0-9_.'’\-]{{0,20}}(?:[ \u00a0][{_LAT}0-9][{_LAT}0-9_.'’\-]{{0,20}}){{0,3}}"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
_TS = rf"(?:\\?[\[\(（【]{_TIME}\\?[\]\)）】]|{_TIME})"
# A time mark inside a turn ("[00:12:31]", "\\[04:10\\]"): kept in the text, not said.
TIME_MARK = re.compile(rf"\\?[\[【]{_TIME}\\?[\]】]")

# A speaker label at the start of a line:
#   [00:12:31] **张三（采访人）**：   主持人(10:05)：   Q：   MODERATOR:   **张三：**   ### 唐鳳：
LABEL = re.compile(
    rf"""
    (?P<lead>{SP}*(?P<hd>\#{{1,6}}{SP}+)?(?:(?P<ts>{_TS}){SP}*)?)
    (?P<bo>\*\*|__)?{SP}*
    (?P<name>{_NAME_HAN}|{_NAME_LATIN})
    (?:{SP}*[（(\[【](?P<note>[^()（）\[\]【】\n]{{1,24}})[)）\]】])?
    {SP}*(?:(?P<ts2>{_TS}){SP}*)?
    (?P<bc1>\*\*|__)?{SP}*
    (?P<colon>[:：]|(?<=[\s*_])\\?[|｜](?=[\s*_]))
    (?P<bc2>{SP}*(?:\*\*|__)+)?
    """,
    re.VERBOSE,
)
# A turn wrapped in brackets inside a verbatim excerpt: "（記者：……）"
BRACKET_LABEL = re.compile(rf"(?P<lead>{SP}*[（(]{SP}*)(?P<name>{_NAME_HAN}|{_NAME_LATIN}){SP}*(?P<colon>[:：])")
# Q / A written without a colon: "Q. What ...", "Q What ...", "A）..."; NBSPs after Q count.
BARE_QA = re.compile(rf"(?P<lead>{SP}*)(?P<bo>\*\*)?(?P<name>[QA])(?P<bc1>\*\*)?(?P<colon>[.．、)）]|(?={SP}+\S)|{SP}*$)")
# A label alone on its own line: "MODERATOR", "JENSEN HUANG", "问"
ALONE = re.compile(rf"{SP}*(?:\#{{1,6}}{SP}+)?(?:\*\*)?(?P<name>{_NAME_HAN}|{_NAME_LATIN})(?:\*\*)?{SP}*$")
TS_ALONE = re.compile(rf"{SP}*{_TS}{SP}*$")
BOLD_LINE = re.compile(rf"{SP}*(?:\*\*|__)(?P<inner>[^*_\n].*?)(?:\*\*|__){SP}*$")
HEADING = re.compile(rf"{SP}{{0,3}}#{{1,6}}{SP}")
QUOTE = re.compile(rf"{SP}{{0,3}}>")
META = re.compile(rf"{SP}*(?:\*\*)?(?P<key>[{HAN}]{{1,6}}|[A-Za-z]{{2,12}})(?:\*\*)?{SP}*[:：｜|]")
_ZW_RE = re.compile(f"[{ZW}]")
_PADDED_RE = re.compile(_PADDED)
_NUMBERED = re.compile(r"(?i)(q|a|问|答|問)\s?\d{1,3}")
_MARKER = re.compile(rf"{SP}*(?:\*\*)?(?P<name>[问答問QA])(?:\*\*)?{SP}*[:：]?{SP}*$")


def clean_name(name: str) -> str:
    name = " ".join(_ZW_RE.sub("", name).split())
    if _PADDED_RE.fullmatch(name):
        name = "".join(name.split())  # "王 伟" as typeset is 王伟
    # "Q1" / "A12" / "问3": numbered questions and answers are still Q and A
    return name[0] if _NUMBERED.fullmatch(name) else name


def split_lines(text: str, body_start: int) -> list[Line]:
    body = text[body_start:]
    # The same split twice: with its line breaks (for the offsets) and without (the contents).
    raws, contents = body.splitlines(keepends=True), body.splitlines()
    lines = []
    pos = body_start
    prev_blank = True
    blank_kind, plain_kind = Kind.BLANK, Kind.PLAIN
    for raw, content in zip(raws, contents):
        blank = not content.strip()
        lines.append(Line(pos, pos + len(content), content, blank_kind if blank else plain_kind, prev_blank))
        prev_blank = blank
        pos += len(raw)
    return lines


# --- recognisers: each takes the line and its bounded head, and claims it or not -------

def _quote(line: Line, head: str) -> bool:
    q = QUOTE.match(head)
    if not q:
        return False
    inner = line.content[q.end():q.end() + 430]
    if len(line.content) - q.end() <= 420 and (BRACKETED.match(inner) or STAGE.fullmatch(inner.strip())):
        line.kind = Kind.NON_SPEECH  # "> （播放影片）", "> (laughter)": a stage direction, not a quote
        return True
    line.kind = Kind.QUOTE
    # a label inside the quote ("> 记者：…"): a dialogue quoted whole, decided per document
    prefix = q.end() + len(inner) - len(inner.lstrip(" \t"))
    m = LABEL.match(line.content[prefix:prefix + PREFIX])
    if m and not m["hd"] and not (m["bo"] and not (m["bc1"] or m["bc2"] or line.content.rstrip().endswith(m["bo"]))):
        line.extra["quoted"] = (prefix, m)
    return True


def _non_speech(line: Line, head: str) -> bool:
    if NON_SPEECH.match(head):
        line.kind = Kind.NON_SPEECH
        return True
    return False


def _set_label(line: Line, m: re.Match, style: str, name: str | None = None) -> None:
    """``line`` is a label matched by ``m`` (``name``: its cleaned name, if known already)."""
    groups = m.groupdict()
    end = m.end()
    line.kind = Kind.LABEL
    line.name = clean_name(groups["name"]) if name is None else name
    line.note = (groups.get("note") or "").strip()
    line.label_end = line.start + end
    line.style = style
    line.rest = line.content[end:end + PREFIX]
    line.extra["ts"] = bool(groups.get("ts") or groups.get("ts2"))


def _label(line: Line, head: str) -> bool:
    m = LABEL.match(head)
    if not m:
        return False
    bo, note, end = m["bo"], m["note"], m.end()
    name = clean_name(m["name"])
    # "**张三：** ...", "**张三**：", "**Q：问题？**" are labels; "**张三：这两年……**比如" only
    # when 张三 is a speaker elsewhere in the document (decided in speakers)
    runs_on = bool(bo and not (m["bc1"] or m["bc2"] or line.content.rstrip().endswith(bo)))
    key = name.lower().strip("《》")
    if (key in METADATA_KEYS or (note and key + note in METADATA_KEYS)) and key not in ROLE_WORDS:
        line.kind = Kind.META
        return True
    if URL_NAME.fullmatch(name) or line.content[end:end + 2] == "//":
        return False  # "https://…" is a link, not a speaker called https
    if m["hd"] and line.content[end:].strip(" \t*_#"):
        return False  # "# 对话王兴：美团的下一个十年" is a title; "### 唐鳳：" alone is a label
    style = "heading" if m["hd"] else "bold" if bo else "plain"
    _set_label(line, m, style, name)
    line.extra["runs_on"] = runs_on
    return True


def _bracket_label(line: Line, head: str) -> bool:
    content = line.content.rstrip()
    if not content.endswith(("）", ")")):
        return False
    m = BRACKET_LABEL.match(head)
    if not m or clean_name(m["name"]).lower() in METADATA_KEYS:
        return False
    _set_label(line, m, "bracket")
    return True


def _bare_qa(line: Line, head: str) -> bool:
    m = BARE_QA.match(head)
    if not m or (m["colon"] == "" and not m.group().strip()):
        return False
    if m["colon"] == "" and line.content.strip() in ("Q", "A", "**Q**", "**A**"):
        return False  # alone on its line: a marker
    line.kind = Kind.LABEL
    line.name = m["name"]
    line.label_end = line.start + m.end()
    line.style = "bare"
    line.rest = line.content[m.end():m.end() + PREFIX]
    return True


def _marker(line: Line, head: str) -> bool:
    if len(line.content) > 12:
        return False
    m = _MARKER.match(line.content[:12])
    if not m:
        return False
    line.kind = Kind.ROLE_MARKER
    line.name = m["name"]
    line.label_end = line.end
    return True


def _bold_line(line: Line, head: str) -> bool:
    b = BOLD_LINE.match(line.content) if len(line.content) < 2000 else None
    if not b:
        return False
    inner = b["inner"].strip().strip("*_ ")
    line.kind = Kind.BOLD_QUESTION if re.search(r"[?？]", inner[-3:]) else Kind.HEADING
    return True


def _no_answer(line: Line, head: str) -> bool:
    s = line.content.strip()
    if len(s) <= 30 and NO_ANSWER.match(s.strip("*_ ")):
        line.kind = Kind.NOTE
        line.extra["no_answer"] = True
        return True
    return False


def _note(line: Line, head: str) -> bool:
    s = line.content.strip().strip("*_ ")
    if len(s) <= 40 and EDITOR_NOTE.match(s):
        line.kind = Kind.NOTE
        return True
    return False


def _footer(line: Line, head: str) -> bool:
    s = line.content.strip()
    if len(s) <= 60 and FOOTER.search(s):
        line.kind = Kind.NON_SPEECH
        return True
    return False


def _alone(line: Line, head: str) -> bool:
    if len(line.content) > PREFIX:
        return False
    a = ALONE.match(head)
    if not a or a["name"].endswith((".", "!", "?", "’", "'")):
        return False  # "Yes." / "Okay." alone on a line are words said, not a label
    line.kind = Kind.LABEL
    line.name = clean_name(a["name"])
    line.label_end = line.end
    line.style = "alone"
    line.rest = ""
    return True


def _timestamp(line: Line, head: str) -> bool:
    if len(line.content) <= PREFIX and TS_ALONE.match(head):
        line.kind = Kind.TIMESTAMP
        return True
    return False


def _meta(line: Line, head: str) -> bool:
    mm = META.match(head)
    if mm and clean_name(mm["key"]).lower() in METADATA_KEYS:
        line.kind = Kind.META
        return True
    return False


def _bracketed(line: Line, head: str) -> bool:
    if len(line.content) <= 420 and BRACKETED.match(line.content):
        line.kind = Kind.NON_SPEECH
        line.extra["bracketed"] = True
        return True
    return False


def _heading(line: Line, head: str) -> bool:
    if HEADING.match(head):
        line.kind = Kind.HEADING
        return True
    return False


RECOGNISERS: tuple[Callable[[Line, str], bool], ...] = (
    _quote, _non_speech, _no_answer, _label, _bracket_label, _marker, _bare_qa, _footer, _note, _bold_line, _heading,
    _alone, _timestamp, _meta, _bracketed,
)


# --- which recognisers can claim a line -----------------------------------------------

class Has:
    """What ``classify`` notes about a line, one bit each (``NEEDS`` combines them)."""
    QUOTE_MARK = 1 << 0      # first visible character ``>``
    MARKUP_START = 1 << 1    # first visible character one that markup, media or a rule starts with
    COLON = 1 << 2           # ``:`` or ``：`` in the head
    BAR = 1 << 3             # ``|`` or ``｜`` in the head
    QA_START = 1 << 4        # first visible character Q, A or ``*``
    BOLD_START = 1 << 5      # first visible character ``*`` or ``_``, and under 2,000 characters
    HASH_START = 1 << 6      # first visible character ``#``
    BRACKET_START = 1 << 7   # first visible character an opening bracket, and at most 420 characters
    STRIPPED_30 = 1 << 8     # at most 30 characters without the whitespace around it
    STRIPPED_60 = 1 << 9     # at most 60 characters without the whitespace around it
    NOTE_40 = 1 << 10        # at most 40 characters without the whitespace, ``*``, ``_`` around it
    SHORT_12 = 1 << 11       # at most 12 characters
    SHORT = 1 << 12          # at most ``PREFIX`` characters


# Recogniser -> the bits a line must have (all of them) for it to match.
NEEDS: dict[Callable[[Line, str], bool], int] = {
    _quote: Has.QUOTE_MARK,                  # QUOTE: up to three spaces, then ">"
    _non_speech: Has.MARKUP_START,           # NON_SPEECH: each alternative starts with one of _MARKUP_FIRST
    _no_answer: Has.STRIPPED_30,
    _label: Has.COLON | Has.BAR,             # LABEL ends with its colon (or a bar), inside the head
    _bracket_label: Has.COLON,
    _marker: Has.SHORT_12,
    _bare_qa: Has.QA_START,                  # BARE_QA: spaces, "**"?, then Q or A
    _footer: Has.STRIPPED_60,
    _note: Has.NOTE_40,
    _bold_line: Has.BOLD_START,              # BOLD_LINE: spaces, then "**" or "__"
    _heading: Has.HASH_START,
    _alone: Has.SHORT,
    _timestamp: Has.SHORT | Has.COLON,       # a time has a colon
    _meta: Has.COLON | Has.BAR,              # either is enough: see _ANY_OF
    _bracketed: Has.BRACKET_START,           # BRACKETED: spaces, then "[", "\\[" or an opening bracket
}
# Recognisers that need one of their bits, not all of them.
_ANY_OF = {_label, _meta}
_MARKUP_FIRST = "<![hfw{-*_=—△"
_BRACKET_FIRST = "\\[（(【〔"
_LEAD = re.compile(rf"{SP}*")
_offered: dict[int, tuple] = {}  # bits -> the recognisers offered such a line
_offered_from: list = [RECOGNISERS]  # the RECOGNISERS those were taken from


def _bits(content: str, head: str) -> int:
    n = len(content)
    first = content[:1]
    unseen = False
    if first.isspace() or first in ZW:  # also when empty: then no first character is seen
        at = _LEAD.match(head).end()  # the head only, as every pattern here is given
        first = head[at:at + 1]
        unseen = not first and n > len(head)  # only spaces in the head: the first character lies beyond it
    bits = 0
    if unseen:  # it could be any
        bits |= Has.QUOTE_MARK | Has.MARKUP_START | Has.QA_START | Has.HASH_START
        bits |= (Has.BOLD_START if n < 2000 else 0) | (Has.BRACKET_START if n <= 420 else 0)
    elif first:
        if first == ">":
            bits |= Has.QUOTE_MARK
        if first in _MARKUP_FIRST:
            bits |= Has.MARKUP_START
        if first in "QA*":
            bits |= Has.QA_START
        if first in "*_" and n < 2000:
            bits |= Has.BOLD_START
        if first == "#":
            bits |= Has.HASH_START
        if first in _BRACKET_FIRST and n <= 420:
            bits |= Has.BRACKET_START
    if ":" in head or "：" in head:
        bits |= Has.COLON
    if "|" in head or "｜" in head:
        bits |= Has.BAR
    if n <= PREFIX:
        bits |= Has.SHORT | (Has.SHORT_12 if n <= 12 else 0)
    stripped = n if n <= 30 else len(content.strip())  # n itself only when every bound below holds anyway
    if stripped <= 60:
        bits |= Has.STRIPPED_60
        if stripped <= 30:
            bits |= Has.STRIPPED_30
    if stripped <= 40 or len(content.strip().strip("*_ ")) <= 40:
        bits |= Has.NOTE_40
    return bits


def _offer(bits: int) -> tuple:
    """The recognisers, in order, that a line with ``bits`` could match."""
    if _offered_from[0] is not RECOGNISERS:  # replaced (a test, a new layout): start again
        _offered.clear()
        _offered_from[0] = RECOGNISERS
    got = _offered.get(bits)
    if got is None:
        got = _offered[bits] = tuple(
            r for r in RECOGNISERS
            if r not in NEEDS or (bits & NEEDS[r] if r in _ANY_OF else bits & NEEDS[r] == NEEDS[r]))
    return got


def classify(line: Line) -> Line:
    """Give ``line`` the kind of the first recogniser that claims it (``PLAIN`` if none)."""
    if line.kind is Kind.BLANK:
        return line
    if "<" in line.content[:8] and len(line.content) <= 40 and HTML_BREAK.fullmatch(line.content):
        line.extra["unsaid"] = True  # "<br>" alone: a line break in HTML, part of whatever it is in
        return line
    head = line.content[:PREFIX]
    for recognise in _offer(_bits(line.content, head)):
        if recognise(line, head):
            return line
    return line


def read_lines(text: str, body_start: int = 0) -> list[Line]:
    lines = [classify(ln) for ln in split_lines(text, body_start)]
    _unquote_dialogue(lines)
    return lines


def _unquote_dialogue(lines: list[Line]) -> None:
    """A dialogue quoted whole (every label inside ``>`` lines, none outside): read its lines
    as if unquoted, the ``>`` kept in the text."""
    if any(ln.kind is Kind.LABEL for ln in lines):
        return
    quoted = [ln for ln in lines if ln.kind is Kind.QUOTE and "quoted" in ln.extra]
    if len({clean_name(ln.extra["quoted"][1]["name"]) for ln in quoted}) < 2 or len(quoted) < 3:
        return
    in_quote = False
    for ln in lines:
        if ln.kind is Kind.PLAIN and in_quote:
            ln.extra["after_quote"] = True  # the first words after the quoted dialogue are not in it
        if ln.kind is not Kind.BLANK:
            in_quote = ln.kind is Kind.QUOTE
        if ln.kind is not Kind.QUOTE:
            continue
        if "quoted" in ln.extra:
            prefix, m = ln.extra["quoted"]
            _set_label(ln, m, "bold" if m["bo"] else "plain")
            ln.label_end += prefix
            ln.rest = ln.content[prefix + m.end():prefix + m.end() + PREFIX]
        elif ln.content.strip(" >\t"):
            ln.kind = Kind.PLAIN
        else:
            ln.kind = Kind.PLAIN
            ln.extra["unsaid"] = True  # ">" alone: the quote's blank line
