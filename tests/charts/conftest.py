"""Fixtures of the chart tests: the house style around every test, and tiny tables of two documents.

Glyph warnings are errors here (pyproject's filterwarnings, and explicitly in
the font tests), so a chart that would draw boxes fails its test."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import warnings  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import charts  # noqa: E402
from .chart_helpers import ROLE_WITH_REMARK, GLYPH_WARNING, ROLE, frame, token_rows  # noqa: E402


@pytest.fixture(autouse=True)
def house_style():
    """Every test draws in the house style, and leaves global matplotlib state as it found it."""
    with plt.rc_context():
        charts.use_style()
        yield
    plt.close("all")


@pytest.fixture
def no_glyph_warnings():
    with warnings.catch_warnings():
        warnings.filterwarnings("error", GLYPH_WARNING, UserWarning)
        yield


@pytest.fixture
def turns() -> pd.DataFrame:
    """One interview: narration, then three exchanges (question + answer)."""
    rows = [
        ("d1", 0, None, "narration", 0, 10),
        ("d1", 1, 0, "question", 10, 30),
        ("d1", 2, 0, "answer", 30, 100),
        ("d1", 3, 1, "question", 100, 120),
        ("d1", 4, 1, "answer", 120, 200),
        ("d1", 5, 2, "question", 200, 210),
        ("d1", 6, 2, "answer", 210, 300),
    ]
    return frame(rows, "doc_id turn_id exchange_id role start end", role=ROLE)


@pytest.fixture
def exchanges() -> pd.DataFrame:
    rows = [
        ("d1", 0, "有人说，大模型的 scaling law 正在失效，你怎么看？", 25, 400, 16.0, 0.10, 1),
        ("d1", 1, "你使用DeepSeek吗？", 12, 150, 12.5, 0.25, 1),
        ("d1", 2, "台灣市場呢？", 6, 50, 8.3, None, 1),
    ]
    return frame(rows, "doc_id exchange_id question question_chars answer_chars ratio latin_share n_answer_turns",
                  latin_share="Float64")


@pytest.fixture
def topics() -> pd.DataFrame:
    rows = [
        ("d1", 0, "开源", 1, 2),
        ("d1", 0, "AI 安全", 0, 1),
        ("d1", 1, "开源", 1, 0),
        ("d1", 2, "开源", 0, 3),
        ("d1", 2, "芯片", 2, 0),
    ]
    return frame(rows, "doc_id exchange_id topic hits_question hits_answer")


@pytest.fixture
def mentions() -> pd.DataFrame:
    rows = [
        ("d1", 0, None, "narration", "黃仁勳", "person", 2),
        ("d1", 1, 0, "question", "英伟达", "organisation", 12),
        ("d1", 2, 0, "answer", "英伟达", "organisation", 40),
        ("d1", 3, 1, "question", "DeepSeek", "product", 105),
        ("d1", 4, 1, "answer", "英伟达", "organisation", 130),
        ("d1", 4, 1, "answer", "DeepSeek", "product", 150),
        ("d1", 4, 1, "answer", "DeepSeek", "product", 160),
    ]
    df = frame(rows, "doc_id turn_id exchange_id role entity entity_type start", role=ROLE)
    return df.assign(end=df["start"] + 3, surface=df["entity"], source="registry")


@pytest.fixture
def tokens() -> pd.DataFrame:
    han, latin = "han", "latin"
    words = ([("英伟达", False, False, han)] * 3 + [("芯片", False, False, han)] * 2
             + [("AI", False, False, latin), ("ai", False, False, latin)]
             + [("的", True, False, han)] * 5 + [("，", False, True, "other"), ("4", False, False, "digit"),
                                                  ("台", False, False, han), ("輝達", False, False, han)])
    return token_rows("d1", words)


@pytest.fixture
def documents() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["d1", "d2"],
        "title": ["黄仁勋：DeepSeek 是一个革命性的突破", None],
        "source": ["https://x.com/dotey/status/1945538360681922869", "Reuters"],
        "author": ["[[@dotey]]", None],
        "date": ["2025-07-17", None],
        "text": ["Q：你怎么看？黄仁勋：DeepSeek R1 是一个非常创新的新架构。", "Opening remarks only, no questions."],
    })


@pytest.fixture
def tables(documents, turns, exchanges, topics, mentions, tokens) -> dict[str, pd.DataFrame]:
    """d1 has everything; d2 is narration only: no exchanges, topics or mentions."""
    d2_turns = frame([("d2", 0, None, "narration", 0, 35)], "doc_id turn_id exchange_id role start end", role=ROLE)
    d2_tokens = token_rows("d2", [("Opening", False, False, "latin"), ("remarks", False, False, "latin"),
                               ("remarks", False, False, "latin")]).assign(role=pd.Categorical(["narration"] * 3, dtype=ROLE))
    return {
        "documents": documents,
        "turns": pd.concat([turns, d2_turns], ignore_index=True),
        "exchanges": exchanges,
        "topics": topics,
        "mentions": mentions,
        "tokens": pd.concat([tokens, d2_tokens], ignore_index=True),
    }


@pytest.fixture
def lexicon_topics(topics) -> pd.DataFrame:
    """The fixture's topics under names of the shipped lexicon, plus one the lexicon lacks."""
    names = {"开源": "Open source", "AI 安全": "AI safety", "芯片": "Someone's own topic"}
    return topics.assign(topic=topics["topic"].map(names))


@pytest.fixture
def role_turns() -> pd.DataFrame:
    """Two documents: d1 asks and answers twice after an intro; d2 is narration only."""
    rows = [
        ("d1", 0, None, "narration", 12),
        ("d1", 1, 0, "question", 20),
        ("d1", 2, 0, "answer", 300),
        ("d1", 3, 1, "question", 15),
        ("d1", 4, 1, "answer", 45),
        ("d2", 0, None, "narration", 40),
    ]
    return frame(rows, "doc_id turn_id exchange_id role n_chars", role=ROLE)


@pytest.fixture
def remark_turns(role_turns) -> pd.DataFrame:
    """role_turns, and a moderator's 8-character hand-off in d1 (role remark)."""
    remark = pd.DataFrame([("d1", 5, 1, "remark", 8)], columns=["doc_id", "turn_id", "exchange_id", "role", "n_chars"])
    both = pd.concat([role_turns.astype({"role": str}), remark.astype({"exchange_id": "Int32"})], ignore_index=True)
    return both.astype({"role": ROLE_WITH_REMARK})


@pytest.fixture
def remark_mentions(mentions) -> pd.DataFrame:
    """mentions, and 英伟达 once more in a remark at offset 250."""
    extra = mentions.iloc[[1]].assign(turn_id=7, role="remark", start=250, end=253)
    both = pd.concat([mentions.astype({"role": str}), extra.astype({"role": str})], ignore_index=True)
    return both.astype({"role": ROLE_WITH_REMARK})
