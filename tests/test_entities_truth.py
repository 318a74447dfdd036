"""Mentions against the annotated truth set (tests/data/entities_truth.json) on real
interviews from ../shared/corpus/: recall of the annotated entities, their counts,
and no ordinary word taken for a name. The figures are printed (``pytest -s``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import entities, segment, shadow
from analysis.load import read_transcript
from analysis.parse import to_turns

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
TRUTH = json.loads((Path(__file__).parent / "data" / "entities_truth.json").read_text(encoding="utf-8"))
FILES = [k for k in TRUTH if not k.startswith("_")]

# Annotated entities the toolkit does not count right yet, with why (the target
# allows 10% of the entities to be missed; each is listed so that a new miss fails).
KNOWN_MISSES = {
    ("zht_hkcnews_chow_kai_shuen.md", "唐英年"),   # only as 唐生 (Mr Tang); 唐英年 is never written out
    ("zht_hkcnews_chow_kai_shuen.md", "楊敏德"),   # Marjorie / Marjorie Yang: no Latin alias for a detected name
    ("zh_atomthinktank_lixunlei.md", "原子智库"),   # the outlet, in the credits only, next to no cue
}


@pytest.fixture(scope="module")
def mentions():
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is missing (the shared development corpus)")
    docs = [read_transcript(CORPUS / name) for name in FILES]
    turns = to_turns(pd.DataFrame({"doc_id": [d.doc_id for d in docs], "text": [d.text for d in docs],
                                   "body_start": [d.body_start for d in docs]}))
    m = entities.to_mentions(turns, segment.to_tokens(turns))
    by_file = {name: m[m["doc_id"] == d.doc_id] for name, d in zip(FILES, docs)}
    return by_file


def _found(m: pd.DataFrame, name: str, etype: str) -> int:
    key = shadow.simplified(name)
    return int(((m["entity"].map(shadow.simplified) == key) & (m["entity_type"].astype(str) == etype)).sum())


def _score(mentions):
    rows = []
    for name in FILES:
        for entity, (etype, true) in TRUTH[name]["entities"].items():
            got = _found(mentions[name], entity, etype)
            rows.append({"file": name, "entity": entity, "true": true, "found": got,
                         "ok": abs(got - true) <= max(1, 0.1 * true)})
    return pd.DataFrame(rows)


def test_the_truth_set_is_as_described():
    assert len(FILES) >= 8
    assert sum(f.startswith("zht_") for f in FILES) >= 2
    for name in FILES:
        assert 10 <= len(TRUTH[name]["entities"]) <= 15, name
        assert len(TRUTH[name]["not_names"]) == 5, name


def test_recall_and_counts(mentions):
    s = _score(mentions)
    found = (s["found"] > 0).mean()
    ok = s["ok"].mean()
    hits = s[["true", "found"]].min(axis=1).sum()
    print(f"\nannotated entities: {len(s)} in {len(FILES)} documents; found {found:.0%}; "
          f"count within 10% (or 1) {ok:.0%}; mention recall {hits / s['true'].sum():.0%}, "
          f"precision {hits / max(1, s['found'].sum()):.0%}")
    print(s[~s["ok"]].to_string(index=False))
    assert found >= 0.90  # the target: at least 90% of the annotated entities found
    wrong = {(r.file, r.entity) for r in s.itertuples() if not r.ok}
    assert wrong == KNOWN_MISSES, (f"counted wrong, newly: {sorted(wrong - KNOWN_MISSES)}; "
                                   f"now right (take them off KNOWN_MISSES): {sorted(KNOWN_MISSES - wrong)}")


def test_no_ordinary_word_is_a_name(mentions):
    for name in FILES:
        m = mentions[name]
        said = set(m["surface"].map(shadow.simplified)) | set(m["entity"].map(shadow.simplified))
        bad = {w for w in TRUTH[name]["not_names"] if shadow.simplified(w) in said}
        assert not bad, f"{name}: {sorted(bad)}"
