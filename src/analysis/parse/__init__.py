"""Transcript text -> turns (speakers, roles, exchanges, offsets).

The parser runs in one direction, one module a step:

- ``lines``: every line gets a kind from a closed, ordered set of recognisers, by a
  bounded prefix (no backtracking scan of a long line);
- ``speakers``: which candidate labels are speakers, the fullest name of each, and which
  side each is on, decided once for the whole document;
- ``turns``: the lines become turns that tile the body;
- ``roles``: each speech turn is a question, an answer or a remark;
- ``times``: when each turn was said, where the source says it;
- ``checks``: what looks wrong, as warnings;
- ``rows``: the turns table, with exchanges numbered.

The turns tile the body: every non-whitespace character from ``body_start`` to the end
of the text lies in exactly one turn's ``[start, end)``, and each turn's ``text`` is
``document_text[text_start:text_end]``.
"""

from __future__ import annotations

import json

import pandas as pd

from analysis import schema
from analysis.parse import checks, lines as _lines, roles, speakers as _speakers, times
from analysis.parse.cast import cast_from_metadata
from analysis.parse.lines import Kind
from analysis.parse.rows import count_chars, span_counts, turn_rows
from analysis.parse.speakers import Cast
from analysis.parse.turns import Turn, assemble
from analysis.parse.words import (
    ANSWER_NOTES, ANSWER_WORDS, EDITOR_NOTE, HOST_WORDS, METADATA_KEYS, QUESTION_NOTES, QUESTION_WORDS,
    SPEECH_VERBS,
)

__all__ = ["Cast", "Turn", "parse_text", "to_turns", "turn_rows", "count_chars", "span_counts",
           "QUESTION_WORDS", "HOST_WORDS", "ANSWER_WORDS", "METADATA_KEYS", "QUESTION_NOTES", "ANSWER_NOTES",
           "SPEECH_VERBS", "EDITOR_NOTE"]


def _resolver(text: str, body_start: int, names: set[str], metadata: dict[str, str], cast: Cast,
              label_sides: dict[str, str | None], label_counts: dict[str, int]):
    """label name -> the fullest name the document gives that speaker."""
    interviewees = _speakers.interviewee_names(text, body_start, metadata)
    short = _speakers.short_forms(names, set(interviewees))
    key = _speakers.legend(text, body_start)
    body = text[body_start:]
    resolved: dict[str, str] = {}
    for name in names:
        if name in cast.rename or name in key:
            resolved[name] = cast.rename.get(name) or key[name]
            continue
        full = short.get(name, name)
        if name.lower() in _speakers.GENERIC_ANSWER:
            named = [n for n in names if label_sides.get(n) is None and n != name
                     and not _speakers.is_media(n) and _speakers.looks_like_name(n)]
            said = metadata.get("title", "") + " ".join(metadata.get(k, "") for k in ("interviewee", "interviewees", "guest"))
            cands = [n for n in interviewees if body.count(n) >= 2 or n in names or n in said]
            if cands:
                full = next((n for n in named if n in cands), cands[0])
            elif len(named) == 1 and label_counts.get(named[0], 0) > label_counts.get(name, 0):
                full = named[0]
        elif full == name:
            full = _speakers.titled_full_name(name, text) or name
        resolved[name] = full
    return lambda n: resolved.get(n, n)


def parse_text(text: str, *, body_start: int = 0, metadata: dict[str, str] | None = None,
               cast: Cast | None = None) -> tuple[list[Turn], list[str]]:
    """Split ``text[body_start:]`` into turns. Returns the turns and warnings.

    ``metadata`` (front matter, a sidecar file) may name the speakers: see
    ``analysis.parse.cast``; ``cast`` says the same from Python.
    """
    metadata = metadata or {}
    cast = cast or cast_from_metadata(metadata)
    lines = _lines.read_lines(text, body_start)
    accepted = _speakers.accept(lines, cast)
    rejected = _decide_labels(lines, accepted, cast)
    labels = [ln for ln in lines if ln.kind is Kind.LABEL]
    names = {ln.name for ln in labels}
    label_sides = {}
    for ln in labels:
        said = _speakers.role_of_word(ln.name) or _speakers.role_of_note(ln.note)
        if said or ln.name not in label_sides:
            label_sides[ln.name] = said
    counts = {n: sum(1 for ln in labels if ln.name == n) for n in names}
    resolve = _resolver(text, body_start, names, metadata, cast, label_sides, counts)
    named = sorted((resolve(n) for n in names if not _speakers.role_of_word(n) and len(n) >= 2), key=len, reverse=True)
    turns, warnings = assemble(text, lines, resolve, {n: s for n, s in label_sides.items() if s}, named)
    by_speaker: dict[str, list[str]] = {}
    words: dict[str, str | None] = {}
    for t in turns:
        if t.role == "speech" and t.speaker:
            by_speaker.setdefault(t.speaker, []).append(text[t.text_start:t.end])
            if t.side:
                words[t.speaker] = words.get(t.speaker) or t.side
    side_of = _speakers.sides(by_speaker, words, Cast(
        {}, {resolve(n) for n in cast.interviewers} | cast.interviewers,
        {resolve(n) for n in cast.interviewees} | cast.interviewees,
        {resolve(n) for n in cast.moderators} | cast.moderators, set()),
        _speakers.interviewee_names(text, body_start, metadata))
    roles.assign(turns, text, side_of)
    times.assign(turns, text, metadata)
    warnings += checks.warnings(text, body_start, turns, rejected)
    return turns, warnings


def _decide_labels(lines, accepted: set[str], cast: Cast) -> list:
    """Candidate labels that are not speakers become text again (a bracketed one, a note);
    returns the rejected label-like lines worth naming in a warning (not prose, not the user's
    own ``not_speakers``)."""
    rejected = []
    for ln in lines:
        if ln.kind is not Kind.LABEL:
            continue
        if ln.style == "bare":
            ln.kind = Kind.LABEL if _bare_ok(ln, lines) else Kind.PLAIN
        elif ln.name in cast.not_speakers:
            ln.kind = Kind.PLAIN
        elif ln.name not in accepted:
            ln.kind = Kind.NON_SPEECH if ln.style == "bracket" else Kind.PLAIN
            if ln.style != "bracket" and not _speakers.reads_as_prose(ln.name):
                rejected.append(ln)  # prose before a colon is not worth a warning
    return rejected


def _bare_ok(ln, lines) -> bool:
    """Bare ``Q …`` / ``A …`` labels count only in documents that ask with a bare Q."""
    has_bare_q = any(x.kind is Kind.LABEL and x.style == "bare" and x.name == "Q" for x in lines)
    has_colon_q = any(x.kind is Kind.LABEL and x.style != "bare" and x.name.lower() == "q" for x in lines)
    return has_bare_q and not has_colon_q and ln.para_start


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
