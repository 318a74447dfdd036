"""analysis.lengths: word counts per turn, one row per exchange."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import exchanges as lengths, segment

@pytest.fixture(scope="module")
def seeds(seed_turns, seed_tokens):
    return seed_turns, seed_tokens


@pytest.fixture(scope="module")
def exchanges(seeds):
    return lengths.to_exchanges(*seeds)


@pytest.fixture(scope="module")
def full(seeds):
    return next(d for d in seeds[0]["doc_id"].unique() if d.endswith("-full"))


def make_turns(rows) -> pd.DataFrame:
    out, at = [], 0
    for i, (ex, role, speaker, text) in enumerate(rows):
        out.append({"doc_id": "d", "turn_id": i, "exchange_id": ex, "role": role, "speaker": speaker,
                    "text": text, "text_start": at, "text_end": at + len(text),
                    "n_chars": sum(not c.isspace() for c in text)})
        at += len(text) + 1
    df = pd.DataFrame(out)
    df["exchange_id"] = df["exchange_id"].astype("Int32")
    return df


def test_add_lengths_counts_tokens_and_words():
    turns = make_turns([(0, "answer", "甲", "我只用这几个 AI 工具：OpenAI、Gemini Pro。"), (0, "answer", "甲", "")])
    out = lengths.add_lengths(turns, segment.to_tokens(turns))
    # 我 只用 这 几个 AI 工具 ： OpenAI 、 Gemini Pro 。 -> 11 tokens;
    # minus stopwords 我 这 and punctuation ： 、 。 -> 6 words
    assert out[["n_tokens", "n_words"]].values.tolist() == [[11, 6], [0, 0]]
    assert out["n_tokens"].dtype == "int32"
    assert list(out.columns[:len(turns.columns)]) == list(turns.columns)


def test_add_lengths_on_the_seeds(seeds):
    turns, tokens = seeds
    out = lengths.add_lengths(turns, tokens)
    assert out["n_tokens"].sum() == len(tokens)
    assert out["n_words"].sum() == (~tokens["is_stopword"] & ~tokens["is_punct"]).sum()
    assert (out["n_words"] <= out["n_tokens"]).all()


def test_columns(exchanges):
    assert list(exchanges.columns) == list(lengths.EXCHANGES)
    assert exchanges["question_chars"].dtype == "int32" and exchanges["ratio"].dtype == "float64"


def test_one_row_per_exchange(seeds, exchanges, full):
    turns, _ = seeds
    assert len(exchanges) == turns.dropna(subset=["exchange_id"]).drop_duplicates(["doc_id", "exchange_id"]).shape[0]
    assert exchanges[exchanges["doc_id"] == full]["exchange_id"].tolist() == list(range(14))
    assert set(exchanges["answerer"]) == {"黄仁勋"}
    assert (exchanges["n_answer_turns"] == 1).all()


def test_exchange_counted_by_hand(exchanges, full):
    # Q: 有新闻说,腾讯申请大量采购 H20 ,这是真的吗?  -> 23 characters that are not spaces
    # A: 我这段时间一直都在这里陪你们。所以不管什么请求,我希望他们已经跟我的团队说了,
    #    我的团队会尽可能快地处理。 -> 14+1+8+1+14+1+12+1 = 52
    row = exchanges[(exchanges["doc_id"] == full) & (exchanges["exchange_id"] == 4)].iloc[0]
    assert row["question"] == "有新闻说,腾讯申请大量采购\u00a0H20\u00a0,这是真的吗?"
    assert (row["question_chars"], row["answer_chars"]) == (23, 52)
    assert row["ratio"] == pytest.approx(52 / 23)
    assert row["latin_share"] == 0


def test_code_switching_counted_by_hand(seeds, exchanges, full):
    # Exchange 11 (雷军): 36 words in the answer, 9 of them Latin: AI, AI, language,
    # models, self-driving, cars, robotics, technology, SU7 Ultra.
    row = exchanges[(exchanges["doc_id"] == full) & (exchanges["exchange_id"] == 11)].iloc[0]
    assert row["answer_words"] == 36
    assert row["latin_share"] == pytest.approx(9 / 36)


def test_narration_and_missing_answers():
    turns = make_turns([
        (None, "narration", None, "编者按：开场白。"),
        (0, "question", "Q", "问题一？"),
        (0, "narration", None, "（笑）"),
        (0, "answer", "甲", "回答 AI"),
        (0, "answer", "乙", "补充"),
        (1, "question", "Q", "问题二？"),
    ])
    ex = lengths.to_exchanges(turns, segment.to_tokens(turns))
    first, second = ex.iloc[0], ex.iloc[1]
    assert (first["question_chars"], first["answer_chars"], first["n_answer_turns"]) == (4, 6, 2)
    assert first["answerer"] == "甲 / 乙"
    assert first["latin_share"] == pytest.approx(1 / 3)  # 回答, AI, 补充
    assert (second["answer_chars"], second["n_answer_turns"], second["ratio"]) == (0, 0, 0.0)
    assert pd.isna(second["answerer"]) and math.isnan(second["latin_share"])


def test_answerers_each_once_in_order_and_questions_joined():
    turns = make_turns([
        (0, "question", "Q", "问题一？"),
        (0, "answer", "乙", "回答"),
        (0, "question", "Q", "追问？"),
        (0, "answer", "", "没有名字"),
        (0, "answer", "甲", "补充"),
        (0, "answer", "乙", "再补充"),
        (1, "answer", None, "无名回答"),
    ])
    ex = lengths.to_exchanges(turns, segment.to_tokens(turns))
    assert ex["question"].tolist() == ["问题一？\n追问？", ""]
    assert ex["answerer"].iloc[0] == "乙 / 甲" and pd.isna(ex["answerer"].iloc[1])
    assert ex["n_answer_turns"].tolist() == [4, 1]
    assert ex["question_chars"].tolist() == [7, 0] and math.isnan(ex["ratio"].iloc[1])


def test_row_order_does_not_matter(seeds, exchanges):
    turns, tokens = seeds
    shuffled_turns = turns.sample(frac=1, random_state=0).reset_index(drop=True)
    shuffled_tokens = tokens.sample(frac=1, random_state=0).reset_index(drop=True)
    pd.testing.assert_frame_equal(lengths.to_exchanges(shuffled_turns, shuffled_tokens), exchanges)
    def by_turn(df):
        return df.sort_values(["doc_id", "turn_id"]).reset_index(drop=True)

    pd.testing.assert_frame_equal(by_turn(lengths.add_lengths(shuffled_turns, shuffled_tokens)),
                                  by_turn(lengths.add_lengths(turns, tokens)))


def test_no_exchanges():
    turns = make_turns([(None, "narration", None, "只有旁白。")])
    out = lengths.to_exchanges(turns, segment.to_tokens(turns))
    assert out.empty and list(out.columns) == list(lengths.EXCHANGES)
