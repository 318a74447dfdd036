"""Each speech turn's role: question, answer, or remark (neither asks nor answers).

- An asker's turn is a question when it asks: a question mark anywhere in it, a request
  (请谈谈, can you …), a prompt left open (``…``), or a statement the answerer then
  answers at length. Otherwise (thanks, a welcome, "Okay.") it is a remark.
- A host's turn (MODERATOR, 司仪) is a remark when reporters ask: hand-offs and thanks.
- An answerer's turn is an answer, except an opening statement or a teaser clip before
  the first question, a hand-off to another answerer ("Dr. Nunez-Smith?", "Next
  question.") and a short aside before the same speaker's real answer.
- A speaker on neither side (an archival clip, an interpreter) makes remarks.
"""

from __future__ import annotations

import re

from analysis.parse.speakers import ANSWERER, ASKER, HOST, OTHER
from analysis.parse.turns import Turn
from analysis.parse.words import CLOSING, ELLIPSIS_END, HANDOFF, HAN, QMARK, REQUEST, THANKS, WELCOME

_HAN_RUN_RE = re.compile(f"[{HAN}]+")
_WORD_RE = re.compile(r"[A-Za-z0-9’'\-]+")


def size(s: str) -> int:
    """Words said: Han characters count one each, Latin words one each."""
    return sum(map(len, _HAN_RUN_RE.findall(s))) + len(_WORD_RE.findall(s))  # runs: far fewer strings than characters


def _asks(s: str) -> bool:
    return bool(QMARK.search(s) or REQUEST.search(s) or ELLIPSIS_END.search(s))


def _short(s: str) -> bool:
    return size(s) <= 12


def _handoff(s: str, others: list[str]) -> bool:
    """A short turn that passes the floor: names another speaker, or says "next question"."""
    if size(s) > 25:
        return False
    if HANDOFF.search(s):
        return True
    low = s.lower()
    return any(o and (o.lower() in low or o.split()[-1].lower() in low) for o in others if len(o) >= 2)


def _said(text: str, t: Turn) -> str:
    """The turn's text without its unsaid spans (time marks, stage directions, markup)."""
    out, pos = [], t.text_start
    for s, e in t.unsaid:
        out.append(text[pos:s])
        pos = e
    out.append(text[pos:t.end])
    return " ".join(out)


def assign(turns: list[Turn], text: str, side_of: dict[str, str]) -> None:
    """Set ``role`` on every speech turn (narration stays narration)."""
    speech = [t for t in turns if t.role == "speech"]
    said = {id(t): _said(text, t) for t in speech}
    side = {id(t): ("asker" if t.kind == "boldq" else t.side if t.side and t.speaker is None
                    else side_of.get(t.speaker, t.side or ANSWERER)) for t in speech}
    reporters = any(v == ASKER for v in side.values())
    answerers = sorted({t.speaker for t in speech if side[id(t)] == ANSWERER and t.speaker}, key=len)
    # a cold open before the host's welcome: the clips are not answers
    welcome = next((i for i, t in enumerate(speech[:max(12, len(speech) // 3 + 1)])
                    if side[id(t)] in (ASKER, HOST) and WELCOME.search(said[id(t)])), None)
    # an interviewer whose turns nearly all ask makes prompts of its statements too;
    # a conversational host's statements are remarks
    asking = {}
    for t in speech:
        if side[id(t)] in (ASKER, HOST) and t.speaker:
            if size(said[id(t)]) > 4:  # backchannels ("好的", "Okay.") say nothing about it
                asking.setdefault(t.speaker, []).append(_asks(said[id(t)]))
    prompts = {s for s, v in asking.items() if sum(v) >= 0.75 * len(v)}
    first_q = None
    for i, t in enumerate(speech):
        s, v = said[id(t)], side[id(t)]
        nxt = speech[i + 1] if i + 1 < len(speech) else None
        if v == OTHER:
            t.role = "remark"
        elif v == HOST and reporters:
            t.role = "question" if QMARK.search(s) and not (_handoff(s, answerers) or THANKS.match(s)) else "remark"
        elif v in (ASKER, HOST):
            answered = nxt is not None and side[id(nxt)] == ANSWERER
            if welcome is not None and i <= welcome and not QMARK.search(s):
                t.role = "remark"
            elif _asks(s) or t.kind == "boldq":
                t.role = "question"
            elif CLOSING.search(s) or THANKS.match(s):
                t.role = "remark"
            elif answered and t.speaker in prompts and not _short(s) and not HANDOFF.search(s) \
                    and not WELCOME.search(s):
                t.role = "question"  # a statement the interviewee takes up: a prompt
            else:
                t.role = "remark"
        else:
            t.role = "answer"
        if t.role == "question" and first_q is None:
            first_q = i
    if first_q is None:
        return
    for i, t in enumerate(speech):
        if t.role != "answer":
            continue
        s = said[id(t)]
        if (i < welcome) if welcome is not None else (i < first_q):
            t.role = "remark"  # an opening statement, a teaser clip
            continue
        others = [a for a in answerers if a != t.speaker]
        nxt = speech[i + 1] if i + 1 < len(speech) else None
        if others and _handoff(s, others) and (nxt is None or nxt.speaker != t.speaker):
            t.role = "remark"
            continue
        prev = speech[i - 1] if i else None
        if size(s) <= 6 and prev is not None and prev.role == "remark" and side[id(prev)] == ANSWERER \
                and any(u.speaker == t.speaker and u.role == "answer" for u in speech[i + 1:i + 3]):
            t.role = "remark"  # "Absolutely, I can start." when handed the floor, before the answer itself
