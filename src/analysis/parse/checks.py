"""Warnings: say when a parse looks wrong, naming what was not understood."""

from __future__ import annotations

import re
from collections import Counter

from analysis.parse.lines import Line
from analysis.parse.turns import Turn

_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{2,7}|#[xX][0-9A-Fa-f]{2,6});")


def warnings(text: str, body_start: int, turns: list[Turn], rejected: list[Line]) -> list[str]:
    out: list[str] = []
    entity = _ENTITY.search(text, body_start)
    if entity:
        out.append(f"HTML entities such as {entity.group()!r} (offset {entity.start()}) are kept as written, and "
                   "a label written with one (a colon as &#65306;) would not be recognised: unescape the file first "
                   "(python -c \"import html,sys;print(html.unescape(sys.stdin.read()))\")")
    speech = [t for t in turns if t.role in ("question", "answer", "remark")]
    if not speech:
        if turns:
            out.append("no speaker labels found: the whole text is narration")
        return out
    roles = Counter(t.role for t in speech)
    if not roles["question"]:
        who = ", ".join(sorted({t.speaker for t in speech if t.speaker}))
        out.append(f"no questions found: every labelled turn ({who}) reads as an answer: "
                   "mark the interviewer's label (Q, 记者, 主持人, or a note such as （采访人）) "
                   "or name the interviewers in a speaker file")
    elif not roles["answer"]:
        out.append("no answers found: every labelled turn reads as a question: name the interviewees in a speaker file")
    else:
        out += _balance(text, turns)
    by = Counter(t.speaker for t in speech if t.role == "answer" and t.speaker)
    if len(by) >= 2:
        (main, n_main), *rest = by.most_common()
        for who, n in rest:
            if n <= 2 and n_main >= 10 * n:
                out.append(f"{who!r} answered only {n} time(s) ({main!r} {n_main}): if {who!r} is not an "
                           "interviewee, name the interviewees in a speaker file")
    askers = {t.speaker for t in speech if t.role == "question" and t.speaker}
    answerers = {t.speaker for t in speech if t.role == "answer" and t.speaker}
    for both in sorted(askers & answerers):
        out.append(f"speaker {both!r} both asks and answers: check who is who (a speaker file can say)")
    if rejected:
        shown = sorted({ln.content.strip()[:20] for ln in rejected})[:8]
        out.append(f"{len(rejected)} label-like line(s) not read as speakers: " + " | ".join(shown)
                   + " (name real speakers in a speaker file)")
    return out


def _balance(text: str, turns: list[Turn]) -> list[str]:
    out = []
    q_chars = a_chars = 0
    by_exchange: Counter = Counter()
    exchange = -1
    last = None
    empty = 0
    for t in turns:
        n = len("".join(text[t.text_start:t.end].split()))
        if t.role == "question":
            if last != "question":
                exchange += 1
            q_chars += n
        elif t.role == "answer":
            a_chars += n
            by_exchange[exchange] += n
            if n == 0:
                empty += 1
        if t.role in ("question", "answer"):
            last = t.role
        elif t.kind == "no_answer":
            last = None
    n_exchanges = exchange + 1
    if empty:
        out.append(f"{empty} answer turn(s) are empty")
    unanswered = [e for e in range(n_exchanges) if by_exchange[e] == 0]
    if unanswered and len(unanswered) > n_exchanges / 2 and n_exchanges >= 3:
        out.append(f"{len(unanswered)} of {n_exchanges} questions have no answer: answers may be swallowed "
                   "into questions, or the answerer's label was not recognised")
    elif unanswered:
        shown = ", ".join(map(str, unanswered[:5])) + (" …" if len(unanswered) > 5 else "")
        out.append(f"exchange {shown} has no answer" if len(unanswered) == 1 else f"exchanges {shown} have no answer")
    if n_exchanges >= 3 and q_chars > a_chars:
        out.append(f"questions are longer in total ({q_chars} characters) than answers ({a_chars}): "
                   "check that answers are not read as questions")
    if n_exchanges >= 4 and a_chars and max(by_exchange.values()) > 0.6 * a_chars:
        e, n = by_exchange.most_common(1)[0]
        out.append(f"exchange {e} holds {n * 100 // a_chars}% of all answer text: a label may have been missed")
    return out
