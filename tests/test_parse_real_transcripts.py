"""Real published transcripts, parsed within their hand-counted targets.

Five files whose licence allows it are copied into tests/data/corpus/ and always run;
the rest of the development corpus is read from ../shared/corpus/ when it is there.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from analysis.load import read_transcript
from analysis.parse import parse_text, turn_rows
from conftest import ROOT
from test_parse import check_tiling

OWN = ROOT / "tests" / "data" / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"


def _targets(folder: Path) -> dict:
    path = folder / "targets.json"
    if not path.exists():
        return {}
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if not k.startswith("_")}


OWN_TARGETS = _targets(OWN)
SHARED_TARGETS = _targets(SHARED)
ONLY_SHARED = sorted(set(SHARED_TARGETS) - set(OWN_TARGETS)) or ["(../shared/corpus missing)"]


def same_person(speaker: str, target: str) -> bool:
    """As ../shared/corpus/score.py counts: the full name, a short form, or the surname."""
    if speaker == target:
        return True
    if re.search(r"[A-Za-z]", target):
        return target.split()[-1].lower() in re.findall(r"[a-z][a-z'\-]*", speaker.lower())
    return len(speaker) >= 2 and target.startswith(speaker)


def check(path: Path, target: dict) -> None:
    doc = read_transcript(path)
    turns, warnings = parse_text(doc.text, body_start=doc.body_start, metadata=doc.metadata)
    rows = turn_rows(doc.doc_id, doc.text, turns)
    check_tiling(doc.text, rows, doc.body_start)
    lo, hi = target["questions"]
    n_questions = sum(r["role"] == "question" for r in rows)
    assert lo <= n_questions <= hi, (path.name, n_questions, warnings)
    answers = Counter(r["speaker"] for r in rows if r["role"] == "answer")
    for who, n in target["answers_by"].items():
        assert answers.get(who, 0) == n, (path.name, who, dict(answers))  # named by the fullest name
        assert sum(c for s, c in answers.items() if same_person(s, who)) == n


@pytest.mark.parametrize("name", sorted(OWN_TARGETS))
def test_bundled_real_transcript(name):
    check(OWN / name, OWN_TARGETS[name])


@pytest.mark.parametrize("name", ONLY_SHARED)
def test_shared_corpus_transcript(name):
    if not SHARED_TARGETS:
        pytest.skip("../shared/corpus/ is not beside the project (a fresh clone); the bundled five still run")
    check(SHARED / name, SHARED_TARGETS[name])


def test_the_bundled_copies_are_byte_identical_to_the_corpus():
    if not SHARED_TARGETS:
        pytest.skip("../shared/corpus/ is not beside the project")
    for name in OWN_TARGETS:
        assert (OWN / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_remarks_in_the_briefing_are_the_procedural_turns():
    doc = read_transcript(OWN / "en_wh_covid_briefing_20210209.md")
    turns, _ = parse_text(doc.text, body_start=doc.body_start, metadata=doc.metadata)
    remarks = [(t.speaker, " ".join(doc.text[t.text_start:t.end].split())[:30]) for t in turns if t.role == "remark"]
    assert [s for s, _ in remarks].count("MODERATOR") == 5
    assert ("Jeff Zients", "Next question.") in remarks
    assert ("Marcella Nunez-Smith", "Absolutely, I can start.") in remarks
    assert remarks[0][0] == "Jeff Zients" and remarks[0][1].startswith("Thank you for joining us.")  # opening statement


def test_one_heading_per_paragraph_is_one_turn():
    doc = read_transcript(OWN / "en_tw_seoul_press_conference_20170412.md")
    turns, _ = parse_text(doc.text, body_start=doc.body_start, metadata=doc.metadata)
    rows = turn_rows(doc.doc_id, doc.text, turns)
    answers = [r for r in rows if r["role"] == "answer"]
    assert len(answers) == 11
    # the repeated "### Audrey Tang:" headings inside a turn are unsaid, not words of the answer
    assert sum(r["text"].count("### Audrey Tang:") for r in answers) == 59 - 11
    assert all(r["n_chars"] == len("".join(_said(r).split())) for r in answers)


def _said(row) -> str:
    text, pos, out = row["text"], 0, []
    for s, e in json.loads(row["unsaid"] or "[]"):
        out.append(text[pos:s - row["text_start"]])
        pos = e - row["text_start"]
    return "".join(out) + text[pos:]
