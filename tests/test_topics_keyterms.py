"""analysis.keyterms.key_terms: TF-IDF against the corpus and general Chinese, without fillers, junk or names."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from analysis import keyterms, segment
from test_topics import make_turns


def _tables(rows):
    turns = make_turns(rows)
    text = "\n".join(turns["text"])
    return turns, segment.to_tokens(turns), pd.DataFrame({"doc_id": ["d"], "text": [text]})


def test_score_is_tf_times_both_idfs():
    turns, tokens, _ = _tables([(0, "question", "疫苗 疫苗 口罩"), (0, "answer", "疫苗"), (1, "question", "疫苗 户籍")])
    terms = keyterms.key_terms(tokens, turns=turns).set_index(["exchange_id", "term"])["score"]
    idf, median = keyterms.general_idf()
    # exchange 0: tf(疫苗) = 3/4, in both exchanges: idf_corpus = ln(3/3) + 1 = 1
    assert terms[(0, "疫苗")] == pytest.approx(0.75 * 1 * (idf["疫苗"] / median) ** 2)
    # 户籍: tf = 1/2 in exchange 1, in one exchange of two: ln(3/2) + 1
    assert terms[(1, "户籍")] == pytest.approx(0.5 * (math.log(1.5) + 1) * (idf["户籍"] / median) ** 2)


def test_fillers_boilerplate_and_names_are_left_out():
    rows = [(0, "question", "李迅雷先生，现在其实消费确实怎么样？"),
            (0, "answer", "迅雷觉得消费降级，见 https://mp.weixin.qq.com/s/abc 和 <figcaption>二维码</figcaption> 转载"),
            (1, "question", "I think the kind of stuff we're gonna see is vaccine equity"),
            (1, "answer", "Vaccine equity, yes. Marjorie agrees.")]
    turns, tokens, documents = _tables(rows)
    turns.loc[0, "speaker"] = "记者"
    turns.loc[1, "speaker"] = "李迅雷"
    terms = keyterms.key_terms(tokens, turns=turns, documents=documents)
    words = set(terms["term"].str.casefold())
    assert {"消费", "降级", "vaccine", "equity"} <= words
    assert not words & {"现在", "其实", "确实", "觉得", "先生", "think", "kind", "gonna", "stuff"}
    assert not words & {"mp", "weixin", "qq", "com", "figcaption", "二维码", "转载", "https", "abc"}
    assert not words & {"李迅雷", "迅雷"}  # the answerer's name and its given name
    # English names inside mostly Chinese text are left out where the name detection misses them
    turns, tokens, _ = _tables([(0, "question", "她穿旗袍吗？"), (0, "answer", "Marjorie 穿了旗袍二十年，Marjorie 很爱国")])
    words = set(keyterms.key_terms(tokens, turns=turns)["term"])
    assert "旗袍" in words and "Marjorie" not in words


def test_unsaid_spans_are_not_said():
    turns, tokens, _ = _tables([(0, "question", "[00:31] 疫苗怎么样？"), (0, "answer", "疫苗很好，户籍 [笑声]")])
    answer = turns.iloc[1]
    start = answer["text_start"] + answer["text"].index("户籍")
    turns.loc[1, "unsaid"] = json.dumps([[int(start), int(start) + 2]])
    terms = keyterms.key_terms(tokens, turns=turns)
    assert "户籍" not in set(terms["term"]) and "疫苗" in set(terms["term"])


def test_traditional_words_use_the_simplified_lists():
    turns, tokens, _ = _tables([(0, "question", "現在確實覺得醫院疫苗")])
    words = set(keyterms.key_terms(tokens, turns=turns)["term"])
    assert not words & {"現在", "確實", "覺得"}
    assert keyterms.to_simplified("醫院與學校") == "医院与学校"


def test_by_document_needs_two_occurrences_and_refuses_other_units():
    turns, tokens, _ = _tables([(0, "question", "疫苗 疫苗 口罩"), (1, "answer", "户籍")])
    doc = keyterms.key_terms(tokens, by="document", turns=turns)
    assert list(doc.columns) == ["doc_id", "term", "n", "score", "rank"]
    assert doc["term"].tolist() == ["疫苗"] and doc["n"].tolist() == [2]
    with pytest.raises(ValueError, match="by must be"):
        keyterms.key_terms(tokens, by="turn")
