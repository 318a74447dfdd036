"""Classified lines -> turns that tile the body.

A *turn* is one speaker's uninterrupted contribution, or a stretch of text no speaker
says (an editor's lead, notes, headings, quoted blocks, markup, footers), which is
narration. Lines that interrupt a turn without ending it (an image inside an answer, a
bold key sentence) are held: if the speaker goes on after them they stay in the turn
(markup as *unsaid* spans, not counted as words said), otherwise they become narration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.parse.lines import TIME_MARK, Kind, Line
from analysis.parse.words import INLINE_TAG, QMARK, STAGE, ZW

_NONSPACE = re.compile(r"\S")
_LEAD_SPACE = " \t\u00a0\u3000" + ZW


@dataclass
class Turn:
    role: str                      # question / answer / remark / narration (decided in roles)
    start: int
    text_start: int
    end: int = -1
    speaker: str | None = None
    speaker_label: str = ""
    kind: str = "speech"           # speech / boldq / narration / quote / heading / meta
    side: str | None = None        # what the label or note says: asker / answerer / host / other
    label_name: str = ""           # the name as written in the label, before resolving
    unsaid: list[tuple[int, int]] = field(default_factory=list)  # spans inside the turn nobody says
    t_start: float | None = None   # seconds into the recording, where the source says (see times)
    t_end: float | None = None


def first_nonspace(s: str) -> int:
    m = _NONSPACE.search(s)
    return m.start() if m else len(s)


def _line_end_at(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text.rstrip()) if nl < 0 else len(text[:nl].rstrip())


_INTERRUPT = {Kind.NON_SPEECH, Kind.META, Kind.NOTE}


class _Assembler:
    def __init__(self, text: str, resolve, sides: dict[str, str], named: list[str], any_answer_label: bool):
        self.text = text
        self.resolve = resolve          # label name -> speaker
        self.sides = sides              # label name -> side the label says
        self.named = named              # names a colon-less answer may start with
        self.any_answer_label = any_answer_label
        self.asker_labels = 0               # labels that ask: label-less answers need a few of them
        self.turns: list[Turn] = []
        self.cur: Turn | None = None
        self.pending: int | None = None  # start of a timestamp or role marker waiting for its label
        self.pending_side: str | None = None
        self.marker: int | None = None     # start of a role marker ("问") that belongs to the next label
        self.held: list[tuple[Line, bool]] = []  # (line, is speech) after an interruption of a speech turn
        self.warnings: list[str] = []

    # -- turns -----------------------------------------------------------------
    def open(self, role: str, start: int, text_start: int, **kw) -> Turn:
        if self.pending is not None:
            start = self.pending
            self.pending = None
        t = Turn(role=role, start=start, text_start=text_start, **kw)
        self.turns.append(t)
        self.cur = t
        return t

    def extend(self, ln: Line) -> None:
        cur = self.cur
        cur.end = max(ln.start + len(ln.content.rstrip()), cur.text_start)

    def narrate(self, ln: Line, kind: str = "narration") -> None:
        first = ln.start + first_nonspace(ln.content)
        if not (self.cur and self.cur.role == "narration" and self.cur.kind in ("narration", "meta")
                and kind in ("narration", "meta")):
            self.open("narration", first, first, kind=kind)
        self.extend(ln)

    # -- held lines -----------------------------------------------------------------
    def hold(self, ln: Line, speech: bool) -> None:
        self.held.append((ln, speech))

    def release(self, goes_on: bool, whole: bool = False) -> None:
        """The held lines join the turn (up to its last speech, or all of them when the same
        speaker goes on) when the speaker went on; the rest is narration."""
        held, self.held = self.held, []
        last = len(held) - 1 if whole else (
            max((i for i, (_, speech) in enumerate(held) if speech), default=-1) if goes_on else -1)
        for i, (ln, speech) in enumerate(held):
            if i <= last:
                if not speech:
                    s = ln.start + first_nonspace(ln.content)
                    self.cur.unsaid.append((s, ln.start + len(ln.content.rstrip())))
                self.extend(ln)
            else:
                self.narrate(ln, "meta" if ln.kind in _INTERRUPT else "narration")

    # -- lines -------------------------------------------------------------------
    def feed(self, ln: Line, next_kind: Kind | None) -> None:
        text = self.text
        first = ln.start + first_nonspace(ln.content)
        cur = self.cur
        in_speech = cur is not None and cur.role == "speech"
        if ln.extra.get("unsaid") and cur is not None:
            if self.held:
                self.hold(ln, False)
            else:
                cur.unsaid.append((first, ln.start + len(ln.content.rstrip())))
                self.extend(ln)
            return
        if ln.kind is Kind.TIMESTAMP:
            if self.pending is None:
                self.pending = first
            return
        if ln.kind is Kind.ROLE_MARKER:
            if next_kind is Kind.LABEL:
                self.pending = first if self.pending is None else self.pending
                self.pending_side = self.sides.get(ln.name)
                self.marker = first
                return
            ln.kind = Kind.LABEL  # a role word alone on its line, the words on the next
        if ln.kind in (Kind.LABEL, Kind.BOLD_QUESTION):
            same = (ln.kind is Kind.LABEL and in_speech and cur.label_name == ln.name and ln.name not in self.sides)
            self.release(goes_on=True, whole=same)  # "> (laughter)" between two labels of one speaker stays in
            cur = self.cur
        if ln.kind is Kind.LABEL:
            speaker = self.resolve(ln.name)
            side = self.pending_side or self.sides.get(ln.name)
            self.pending_side = None
            if (in_speech and cur is self.turns[-1] and cur.speaker == speaker and cur.label_name == ln.name
                    and ln.name not in self.sides and ln.style != "bracket"):
                # the same speaker's label again, one per paragraph: still one turn
                self.cur.unsaid.append((first, ln.label_end))
                self.extend(ln)
                return
            label_start = first if self.marker is None else self.marker
            self.marker = None
            self.open("speech", first, ln.label_end, speaker=speaker,
                      speaker_label=text[label_start:ln.label_end].strip(), side=side, label_name=ln.name)
        elif ln.kind is Kind.BOLD_QUESTION:
            self.open("speech", first, first, kind="boldq", side="asker")
        elif ln.kind is Kind.HEADING and in_speech and ln.content.lstrip().startswith(("**", "__")):
            self.hold(ln, True)  # a bold key sentence inside an answer, if the answer goes on
            return
        elif ln.kind in _INTERRUPT and in_speech and not ln.extra.get("no_answer") and cur.end <= cur.text_start \
                and not self.held:
            # "（法語）" right under a label: the turn's own note, unsaid
            cur.unsaid.append((first, ln.start + len(ln.content.rstrip())))
            self.extend(ln)
            return
        elif ln.kind in _INTERRUPT and in_speech and not ln.extra.get("no_answer"):
            self.hold(ln, False)
            return
        elif ln.kind is Kind.PLAIN and self.held:
            self.hold(ln, True)
            return
        elif ln.kind is Kind.HEADING:
            self.release(goes_on=False)
            self.open("narration", first, first, kind="heading")
        elif ln.kind is Kind.QUOTE:
            self.release(goes_on=False)
            if not (self.cur and self.cur.kind == "quote"):
                self.open("narration", first, first, kind="quote")
        elif ln.extra.get("no_answer"):
            self.release(goes_on=False)
            self.open("narration", first, first, kind="no_answer")
        elif ln.kind in _INTERRUPT:
            self.narrate(ln, "meta")
            return
        else:  # plain
            if self._plain(ln, first):
                return
        self.extend(ln)

    def _plain(self, ln: Line, first: int) -> bool:
        """Open a turn for a plain line where one starts; True when the line is done."""
        cur = self.cur
        speaker = self._colonless_speaker(ln, cur)
        if speaker:
            label_end = ln.start + ln.content.index(speaker) + len(speaker)
            self.open("speech", first, label_end, speaker=speaker, speaker_label=speaker, side="answerer",
                      label_name=speaker)
            self.warnings.append(f"line at offset {first}: speaker label without a colon read as {speaker!r}")
        elif cur is None or cur.kind in ("quote", "heading"):
            self.open("narration", first, first, kind="narration")
        elif ln.extra.get("after_quote"):
            self.narrate(ln)  # the text after a dialogue quoted whole
            return True
        elif cur.kind == "boldq" or (
            cur.role == "speech" and cur.side == "asker" and ln.para_start and self.asker_labels >= 2
            and not self.any_answer_label and self._question_ended(cur, ln)
        ):
            # Questions are labelled but answers are not: the paragraph after a
            # question is the answer.
            self.open("speech", first, first, kind="speech", side="answerer")
        elif cur.kind == "meta":
            self.narrate(ln)
            return True
        return False

    def _question_ended(self, cur: Turn, ln: Line) -> bool:
        asked = self.text[cur.text_start:cur.end]
        if QMARK.search(asked[-4:]):
            return True
        return not QMARK.search(ln.content.rstrip()[-4:])

    def _colonless_speaker(self, ln: Line, cur: Turn | None) -> str | None:
        """A known answerer's name opening a paragraph right after a question, colon lost."""
        if not (ln.para_start and cur is not None and cur.role == "speech"):
            return None
        if cur.side != "asker" and cur.kind != "boldq":
            return None
        body = ln.content.lstrip(_LEAD_SPACE)
        for name in self.named:
            if body.startswith(name) and name != cur.speaker and len(body) > len(name):
                return name
        return None

    def finish(self) -> list[Turn]:
        self.release(goes_on=False)
        text = self.text
        if self.pending is not None:
            if self.turns:
                self.turns[-1].end = max(self.turns[-1].end, _line_end_at(text, self.pending))
            else:
                self.open("narration", self.pending, self.pending, kind="narration").end = _line_end_at(text, self.pending)
        for t in self.turns:
            seg = text[t.text_start:t.end]
            off = first_nonspace(seg)
            t.text_start = t.text_start + off if off < len(seg) else t.end
            t.unsaid = [(s, e) for s, e in t.unsaid if t.text_start <= s < e <= t.end]
            if t.role != "narration":
                t.unsaid += [(m.start(), m.end()) for m in STAGE.finditer(text, t.text_start, t.end)]
                t.unsaid += [(m.start(), m.end()) for m in TIME_MARK.finditer(text, t.text_start, t.end)]
                if "<" in text[t.text_start:t.end]:
                    t.unsaid += [(m.start(), m.end()) for m in INLINE_TAG.finditer(text, t.text_start, t.end)]
                t.unsaid = _disjoint(t.unsaid)
        return self.turns


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def assemble(text: str, lines: list[Line], resolve, sides: dict[str, str], named: list[str]) -> tuple[list[Turn], list[str]]:
    """Lines whose labels are decided -> turns (roles still 'speech' / 'narration') and warnings."""
    any_answer_label = any(ln.kind is Kind.LABEL and sides.get(ln.name) != "asker" for ln in lines)
    asm = _Assembler(text, resolve, sides, named, any_answer_label)
    asm.asker_labels = sum(1 for ln in lines if ln.kind is Kind.LABEL and sides.get(ln.name) == "asker")
    content = [ln for ln in lines if ln.kind is not Kind.BLANK]
    for i, ln in enumerate(content):
        asm.feed(ln, content[i + 1].kind if i + 1 < len(content) else None)
    return asm.finish(), asm.warnings
