"""analysis.charts.data: the count_* tables behind the charts."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import charts  # noqa: E402
from .chart_helpers import frame, token_rows  # noqa: E402


def test_count_topics(topics, exchanges):
    got = charts.count_topics(topics, exchanges)
    assert list(got.columns) == ["doc_id", "topic", "n_exchanges", "n_in_question", "n_in_answer", "answer_chars",
                                 "answer_share"]
    assert got["doc_id"].tolist() == ["d1"] * 3
    assert got["topic"].tolist() == ["开源", "AI 安全", "芯片"]
    assert got["n_exchanges"].tolist() == [3, 1, 1]
    assert got["n_in_question"].tolist() == [2, 0, 1]
    assert got["n_in_answer"].tolist() == [2, 1, 0]
    assert got["answer_chars"].tolist() == [600, 400, 50]
    assert got["answer_share"].round(4).tolist() == [1.0, 0.6667, 0.0833]


def test_count_topics_per_document(topics, exchanges):
    """Two documents are counted apart; each share is of its own document's answer text."""
    d2 = [("d2", 0, "芯片", 0, 1), ("d2", 1, "芯片", 1, 1), ("d2", 1, "开源", 1, 0)]
    two_topics = pd.concat([topics, frame(d2, "doc_id exchange_id topic hits_question hits_answer")],
                           ignore_index=True)
    two_exchanges = pd.concat([exchanges, exchanges.iloc[:2].assign(doc_id="d2", answer_chars=[30, 10])],
                              ignore_index=True)
    got = charts.count_topics(two_topics, two_exchanges)
    assert got[["doc_id", "topic", "n_exchanges", "answer_chars"]].values.tolist() == [
        ["d1", "开源", 3, 600], ["d1", "AI 安全", 1, 400], ["d1", "芯片", 1, 50],
        ["d2", "芯片", 2, 40], ["d2", "开源", 1, 10],
    ]
    assert got["answer_share"].round(4).tolist() == [1.0, 0.6667, 0.0833, 1.0, 0.25]
    assert charts.count_topics(two_topics)[["doc_id", "n_exchanges"]].values.tolist() == [
        ["d1", 3], ["d1", 1], ["d1", 1], ["d2", 2], ["d2", 1]]


def test_count_entities(mentions):
    got = charts.count_entities(mentions)
    assert list(got.columns) == ["doc_id", "entity", "entity_type", "question", "answer", "narration", "total"]
    assert got["doc_id"].tolist() == ["d1"] * 3
    assert got["entity"].tolist() == ["DeepSeek", "英伟达", "黃仁勳"]
    assert got[["question", "answer", "narration", "total"]].values.tolist() == [[1, 2, 0, 3], [1, 2, 0, 3], [0, 0, 1, 1]]
    assert got["entity_type"].tolist() == ["product", "organisation", "person"]


def test_count_entities_per_document(mentions):
    d2 = mentions.iloc[[1, 3]].assign(doc_id="d2", entity_type=["organisation", "model"])
    got = charts.count_entities(pd.concat([mentions, d2], ignore_index=True))
    assert got[["doc_id", "entity", "entity_type", "question", "total"]].values.tolist() == [
        ["d1", "DeepSeek", "product", 1, 3], ["d1", "英伟达", "organisation", 1, 3], ["d1", "黃仁勳", "person", 0, 1],
        ["d2", "DeepSeek", "model", 1, 1], ["d2", "英伟达", "organisation", 1, 1],
    ]


def test_count_roles(role_turns):
    got = charts.count_roles(role_turns)
    assert list(got.columns) == ["doc_id", "question", "answer", "narration"]
    assert got.values.tolist() == [["d1", 35, 345, 12], ["d2", 0, 0, 40]]
    assert (got[["question", "answer", "narration"]].dtypes == "int64").all()


def test_count_roles_keeps_every_document(role_turns):
    """A document without turns gets zeros; rows follow the documents table."""
    documents = pd.DataFrame({"doc_id": ["d3", "d2", "d1"]})
    got = charts.count_roles(role_turns, documents=documents)
    assert got.values.tolist() == [["d3", 0, 0, 0], ["d2", 0, 0, 40], ["d1", 35, 345, 12]]


def test_count_roles_needs_n_chars(turns):
    with pytest.raises(charts.NoDataError, match="n_chars"):
        charts.count_roles(turns)


def test_count_words(tokens):
    got = charts.count_words(tokens)
    assert list(got.columns) == ["doc_id", "word", "norm", "n"]
    assert got[["doc_id", "word", "n"]].values.tolist() == [["d1", "英伟达", 3], ["d1", "AI", 2], ["d1", "芯片", 2],
                                                            ["d1", "輝達", 1]]


def test_count_words_per_document(tokens):
    d2 = token_rows("d2", [("ai", False, False, "latin"), ("ai", False, False, "latin"), ("Ai", False, False, "latin")])
    got = charts.count_words(pd.concat([tokens, d2], ignore_index=True))
    # each document spells a word its own way: "AI" (once each way, alphabetical) in d1, "ai" in d2
    assert got[got["norm"] == "ai"][["doc_id", "word", "n"]].values.tolist() == [["d1", "AI", 2], ["d2", "ai", 3]]


def test_count_roles_with_remarks(remark_turns):
    """A remark turn gets its own column, between answers and narration; nothing is lost or moved."""
    got = charts.count_roles(remark_turns)
    assert list(got.columns) == ["doc_id", "question", "answer", "remark", "narration"]
    assert got.values.tolist() == [["d1", 35, 345, 8, 12], ["d2", 0, 0, 0, 40]]


def test_count_roles_without_remarks_has_no_remark_column(remark_turns):
    """The remark category alone (no remark turn) changes nothing."""
    got = charts.count_roles(remark_turns[remark_turns["role"] != "remark"])
    assert list(got.columns) == ["doc_id", "question", "answer", "narration"]


def test_count_entities_with_remarks(remark_mentions):
    got = charts.count_entities(remark_mentions)
    assert list(got.columns) == ["doc_id", "entity", "entity_type", "question", "answer", "remark", "narration",
                                 "total"]
    assert got["entity"].tolist() == ["英伟达", "DeepSeek", "黃仁勳"]
    assert got[["question", "answer", "remark", "narration", "total"]].values.tolist() == [
        [1, 2, 1, 0, 4], [1, 2, 0, 0, 3], [0, 0, 0, 1, 1]]
