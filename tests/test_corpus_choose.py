"""corpus.choose: one document at a time."""

from __future__ import annotations

import pytest

from analysis.corpus import build


def test_pick_document_and_select(raw_dir):
    from analysis.corpus import pick_document, select

    tables = build(raw_dir)
    assert pick_document(tables["documents"]) == "2025-07-16-jensen-huang-press-meeting-full"
    excerpt = "2025-07-16-jensen-huang-press-meeting-excerpt"
    assert pick_document(tables["documents"], excerpt) == excerpt
    with pytest.raises(ValueError, match="unknown doc_id 'nope'.*excerpt"):
        pick_document(tables["documents"], "nope")
    one = select(tables, excerpt)
    assert len(one["exchanges"]) == 3 and set(one["tokens"]["doc_id"]) == {excerpt}
    assert len(one["errors"]) == 0


def test_shared_questions_find_the_copies(raw_dir):
    from analysis.corpus import shared_questions

    shared = shared_questions(build(raw_dir)["exchanges"])
    excerpt, full = "2025-07-16-jensen-huang-press-meeting-excerpt", "2025-07-16-jensen-huang-press-meeting-full"
    assert shared["key"].nunique() == 3
    assert sorted(shared.loc[shared["doc_id"] == excerpt, "exchange_id"]) == [0, 1, 2]
    assert sorted(shared.loc[shared["doc_id"] == full, "exchange_id"]) == [0, 1, 2]
