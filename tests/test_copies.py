"""analysis.copies: copies of one interview are linked and counted once."""

from __future__ import annotations

import pandas as pd

from analysis.copies import add_duplicates, without_copies
from analysis.corpus import build

Q = ["你怎么看今年的芯片市场？", "开源模型会不会取代闭源模型？", "你对中国市场有什么计划？"]


def _tables() -> dict[str, pd.DataFrame]:
    questions = {"full": Q, "excerpt": [Q[2], Q[0].replace("？", "?")], "other": ["你们的团队现在有多大规模？", "为什么？"],
                 "again": Q, "short": ["为什么？"]}
    ex = pd.DataFrame([(d, i, q) for d, qs in questions.items() for i, q in enumerate(qs)],
                      columns=["doc_id", "exchange_id", "question"])
    docs = pd.DataFrame({"doc_id": list(questions), "n_exchanges": [len(q) for q in questions.values()]})
    return {"documents": docs, "exchanges": ex, "turns": ex.assign(turn_id=0)}


def test_copies_point_at_the_original() -> None:
    t = _tables()
    docs = add_duplicates(t["documents"], t["exchanges"])
    # the excerpt's questions (punctuation aside) are all in "full"; "again" repeats "full" later in the list;
    # "为什么？" is too short to be evidence, so "short" stays an original
    assert docs["duplicate_of"].tolist() == ["", "full", "", "full", ""]


def test_without_copies_keeps_one_document_per_interview() -> None:
    kept = without_copies(_tables())
    assert kept["documents"]["doc_id"].tolist() == ["full", "other", "short"]
    assert kept["documents"].attrs["copies"] == ["excerpt", "again"]
    assert set(kept["exchanges"]["doc_id"]) == {"full", "other", "short"}
    assert set(kept["turns"]["doc_id"]) == {"full", "other", "short"}


def test_bundled_excerpt_is_a_copy_of_the_full_text(raw_dir) -> None:
    t = build(raw_dir)
    docs = add_duplicates(t["documents"], t["exchanges"]).set_index("doc_id")["duplicate_of"]
    assert docs.to_dict() == {"2025-07-16-jensen-huang-press-meeting-excerpt": "2025-07-16-jensen-huang-press-meeting-full",
                              "2025-07-16-jensen-huang-press-meeting-full": ""}
