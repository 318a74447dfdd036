"""analysis.topics: topic hits per exchange, TF-IDF keywords."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import segment, topics

TECH = topics.lexicon("technology")


@pytest.fixture(scope="module")
def seeds(seed_turns, seed_tokens):
    return seed_turns, seed_tokens


@pytest.fixture(scope="module")
def full(seeds):
    return next(d for d in seeds[0]["doc_id"].unique() if d.endswith("-full"))


def make_turns(rows) -> pd.DataFrame:
    """rows: (exchange_id or None, role, text) -> a turns table with offsets."""
    out, at = [], 0
    for i, (ex, role, text) in enumerate(rows):
        out.append({"doc_id": "d", "turn_id": i, "exchange_id": ex, "role": role,
                    "speaker": None if role == "narration" else ("Q" if role == "question" else "甲"),
                    "text": text, "text_start": at, "text_end": at + len(text)})
        at += len(text) + 1
    df = pd.DataFrame(out)
    df["exchange_id"] = df["exchange_id"].astype("Int32")
    return df


def lexicon(tmp_path, text: str, name: str = "lex.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the seeds, checked by hand -----------------------------------------------------------

def test_columns(seeds):
    out = topics.to_topics(seeds[1], lexicon="technology")
    assert list(out.columns) == list(topics.TOPICS)
    assert out["hits_question"].dtype == "int32" and out["exchange_id"].dtype == "Int32"
    assert (out["hits_question"] + out["hits_answer"] > 0).all()
    assert not out.duplicated(["doc_id", "exchange_id", "topic"]).any()


@pytest.mark.parametrize("exchange, topic, question, answer", [
    # Q: 有新闻说,腾讯申请大量采购 H20 ,这是真的吗?  A: ...跟我的团队说了,我的团队会...
    # (团队, "team", is no keyword: it is in every kind of interview)
    (4, "Chips and export controls", 1, 0),
    # Q: 你是怎么在中国政府和美国政府之间... A: 和美国政府..., 也需要和中国政府...
    (3, "China and the US", 2, 2),
    # A (雷军): 语言模型(language models), 自动驾驶汽车(self-driving cars),
    # 机器人技术(robotics technology), 小米SU7 Ultra (他的车 x2 no longer: 车 alone is any car)
    (11, "AI models and reasoning", 0, 2),
    (11, "Autonomous driving and robotics", 0, 5),
])
def test_hits_counted_by_hand(seeds, full, exchange, topic, question, answer):
    out = topics.to_topics(seeds[1], lexicon="technology")
    row = out[(out["doc_id"] == full) & (out["exchange_id"] == exchange) & (out["topic"] == topic)]
    assert row[["hits_question", "hits_answer"]].values.tolist() == [[question, answer]]


def test_team_is_no_keyword(seeds, full):
    out = topics.to_topics(seeds[1], lexicon="technology")
    assert out[(out["doc_id"] == full) & (out["exchange_id"] == 4) & (out["topic"] == "Talent and jobs")].empty


def test_exchange_with_no_topic_word_has_no_row(seeds, full):
    out = topics.to_topics(seeds[1], lexicon="technology")
    # Exchange 11's question (你这次见了雷军,和雷军聊了什么?) has no keyword.
    assert out[(out["doc_id"] == full) & (out["exchange_id"] == 11)]["hits_question"].sum() == 0


def test_hits_agree_with_a_naive_search(seeds):
    """find_keywords == a brute-force scan of token norms (spaces only between Latin words)."""
    _, tok = seeds
    lex = topics.load_lexicon("technology")
    found = topics.find_keywords(tok, lexicon="technology")
    got = found.groupby(["topic", "keyword"], observed=True).size()
    norms = tok["norm"].astype(str).tolist()
    starts, ends, turn = tok["start"].tolist(), tok["end"].tolist(), list(zip(tok["doc_id"], tok["turn_id"]))
    expected = {}
    for topic, g in lex.groupby("topic", sort=False):
        keys = dict(zip(g["key"], g["keyword"]))
        i = 0
        while i < len(norms):
            best = None
            text, j = "", i
            while j < len(norms) and turn[j] == turn[i] and len(text) < 40:
                sep = " " if j > i and ends[j - 1] < starts[j] and text[-1].isascii() and text[-1].isalnum() \
                    and norms[j][0].isascii() and norms[j][0].isalnum() else ""
                text += sep + norms[j]
                if text in keys:
                    best = (j, keys[text])
                j += 1
            if best:
                expected[(topic, best[1])] = expected.get((topic, best[1]), 0) + 1
                i = best[0] + 1
            else:
                i += 1
    assert {k: int(v) for k, v in got.items()} == expected


# --- rules, on small tables -----------------------------------------------------------------

def test_multi_token_keywords_and_longest_wins(tmp_path):
    path = lexicon(tmp_path, "T:\n  - ai\n  - AI safety\nU:\n  - 安全\n")
    turns = make_turns([(0, "question", "AI safety 和 AI 和 AI\u00a0safety"), (0, "answer", "AIsafety 安全")])
    out = topics.to_topics(segment.to_tokens(turns), lexicon=path)
    t = out[out["topic"] == "T"].iloc[0]
    assert (t["hits_question"], t["hits_answer"]) == (3, 0)  # "AI safety" twice, "AI" once
    assert t["keywords"] == "AI safety, ai"
    u = out[out["topic"] == "U"].iloc[0]
    assert (u["hits_question"], u["hits_answer"]) == (0, 1)


def test_overlapping_keywords_of_a_topic_scanned_by_position(tmp_path):
    # T matches alpha beta (tokens 0-1), beta gamma delta (1-3), beta gamma (1-2),
    # gamma delta (2-3) and beta gamma (5-6): scanning by position, alpha beta is
    # kept, the two starting inside it are not, gamma delta is (it starts after
    # alpha beta, though inside beta gamma delta, which was not kept); T's gamma
    # inside gamma delta and beta gamma does not count, U's does.
    path = lexicon(tmp_path, "T:\n  - alpha beta\n  - beta gamma delta\n  - gamma delta\n  - beta gamma\n  - gamma\n"
                             "U:\n  - gamma\n")
    tokens = segment.to_tokens(make_turns([(0, "question", "alpha beta gamma delta，beta gamma")]))
    found = topics.find_keywords(tokens, lexicon=path)
    assert found[["start", "end", "topic", "keyword"]].astype(object).values.tolist() == [
        [0, 10, "T", "alpha beta"], [11, 22, "T", "gamma delta"], [11, 16, "U", "gamma"],
        [23, 33, "T", "beta gamma"], [28, 33, "U", "gamma"]]
    out = topics.to_topics(tokens, lexicon=path)
    assert out[["topic", "hits_question", "keywords"]].astype(object).values.tolist() == [
        ["T", 3, "alpha beta, beta gamma, gamma delta"], ["U", 2, "gamma"]]


def test_rows_in_doc_id_then_exchange_order_keywords_by_hits(tmp_path):
    path = lexicon(tmp_path, "T:\n  - 芯片\n  - 华为\n  - 安全\nU:\n  - 华为\n")
    b = make_turns([(1, "question", "华为"), (0, "answer", "安全 华为 芯片 芯片")]).assign(doc_id="b")
    a = make_turns([(3, "answer", "芯片 安全 华为 安全")]).assign(doc_id="a")
    out = topics.to_topics(segment.to_tokens(pd.concat([b, a], ignore_index=True)), lexicon=path)
    assert out.astype(object).values.tolist() == [
        ["a", 3, "T", 0, 4, "安全, 华为, 芯片"], ["a", 3, "U", 0, 1, "华为"],
        ["b", 0, "T", 0, 4, "芯片, 华为, 安全"], ["b", 0, "U", 0, 1, "华为"],
        ["b", 1, "T", 1, 0, "华为"], ["b", 1, "U", 1, 0, "华为"]]


def test_chinese_keyword_spelled_by_several_tokens(tmp_path):
    path = lexicon(tmp_path, "T:\n  - 交叉验证\n  - 出口 管制\n")
    turns = make_turns([(0, "question", "交叉验证和出口管制")])
    out = topics.to_topics(segment.to_tokens(turns), lexicon=path)
    assert out["hits_question"].tolist() == [2]


def test_narration_and_text_before_the_first_question_are_ignored(tmp_path):
    path = lexicon(tmp_path, "T:\n  - 芯片\n")
    turns = make_turns([(None, "narration", "芯片芯片"), (0, "question", "芯片?"), (0, "narration", "芯片"),
                        (0, "answer", "芯片和芯片")])
    out = topics.to_topics(segment.to_tokens(turns), lexicon=path)
    assert out[["exchange_id", "hits_question", "hits_answer"]].values.tolist() == [[0, 1, 2]]


def test_yaml_values_stay_text(tmp_path):
    path = lexicon(tmp_path, "Numbers:\n  - 5G\n  - 2025\n  - no\n  - 1.0\nSingle: 芯片\n")
    lex = topics.read_lexicon(path)
    assert lex["keyword"].tolist() == ["5G", "2025", "no", "1.0", "芯片"]


def test_csv_lexicon_and_extending_the_shipped_one(tmp_path):
    path = lexicon(tmp_path, "topic,keyword\nFood,小米粥\nFood,noodles\n", name="lex.csv")
    lex = topics.load_lexicon([topics.LEXICON, path])
    assert "Food" in set(lex["topic"]) and "health" in set(lex["topic"])
    lex = topics.load_lexicon(["technology", path])
    assert "Food" in set(lex["topic"]) and "Open source" in set(lex["topic"])
    assert set(topics.load_lexicon(path)["topic"]) == {"Food"}


def test_bad_lexicon_is_refused(tmp_path):
    with pytest.raises(ValueError, match="list of keywords"):
        topics.read_lexicon(lexicon(tmp_path, "T:\n  a: b\n"))
    with pytest.raises(ValueError, match="topic,keyword"):
        topics.read_lexicon(lexicon(tmp_path, "name,word\nx,y\n", name="bad.csv"))


def test_shipped_lexicon_topics():
    lex = topics.load_lexicon("technology")
    assert {"AI models and reasoning", "Open source", "AI safety", "Chips and export controls", "China and the US",
            "Competition", "Autonomous driving and robotics", "Company growth and market value",
            "Apps and platforms", "Wealth and leadership", "Government and policy"} <= set(lex["topic"])
    assert not lex.duplicated(["topic", "key"]).any()


# --- display labels ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(topics.LEXICONS))
def test_shipped_lexicon_labels_every_topic_in_chinese(name):
    names = topics.load_lexicon(name)["topic"].unique().tolist()
    zh = topics.topic_labels("zh", name)
    assert list(zh) == names  # lexicon order
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in zh.values()), zh
    assert len(set(zh.values())) == len(zh)  # two topics never look the same on a chart
    assert topics.topic_labels("en", name) == {n: n for n in names}


def test_labels_of_every_shipped_lexicon_without_one():
    zh = topics.topic_labels("zh")
    assert zh["Chips and export controls"] == "芯片与出口管制" and zh["AI safety"] == "AI 安全"
    assert zh["health"] == "健康" and zh["crime, law and justice"] == "犯罪、法律与司法"
    assert list(zh)[:17] == topics.load_lexicon()["topic"].unique().tolist()


def test_yaml_labels_next_to_the_plain_form(tmp_path):
    path = lexicon(tmp_path, "Chips:\n  label_zh: 芯片\n  keywords: [chip, 芯片]\n"
                             "Plain:\n  - 开源\n"
                             "Both:\n  label_zh: 两者\n  label_en: Both languages\n  keywords: 单个\n")
    lex = topics.read_lexicon(path)
    assert lex[["topic", "keyword", "label_zh"]].astype(object).where(lex.notna(), None).values.tolist() == [
        ["Chips", "chip", "芯片"], ["Chips", "芯片", "芯片"], ["Plain", "开源", None], ["Both", "单个", "两者"]]
    assert topics.topic_labels("zh", path) == {"Chips": "芯片", "Plain": "Plain", "Both": "两者"}
    assert topics.topic_labels("en", path) == {"Chips": "Chips", "Plain": "Plain", "Both": "Both languages"}
    # labels are for charts only: the topics table keeps the names
    out = topics.to_topics(segment.to_tokens(make_turns([(0, "question", "芯片和开源")])), lexicon=path)
    assert out["topic"].astype(str).tolist() == ["Chips", "Plain"]


def test_csv_lexicon_labels(tmp_path):
    path = lexicon(tmp_path, "topic,keyword,label_zh\nFood,noodles,食物\nFood,小米粥,\nDrink,tea,\n", name="lex.csv")
    assert topics.topic_labels("zh", path) == {"Food": "食物", "Drink": "Drink"}
    plain = lexicon(tmp_path, "topic,keyword\nFood,noodles\n", name="plain.csv")
    assert topics.topic_labels("zh", plain) == {"Food": "Food"}


def test_last_lexicon_file_that_labels_a_topic_wins(tmp_path):
    mine = lexicon(tmp_path, "topic,keyword,label_zh\nOpen source,开放权重,开放源代码\nFood,noodles,食物\n", name="mine.csv")
    zh = topics.topic_labels("zh", ["technology", mine])
    assert zh["Open source"] == "开放源代码" and zh["Food"] == "食物" and zh["AI safety"] == "AI 安全"
    unlabelled = lexicon(tmp_path, "Open source:\n  - 开放权重\n")
    assert topics.topic_labels("zh", ["technology", unlabelled])["Open source"] == "开源"


@pytest.mark.parametrize("text, name, message", [
    ("T:\n  label_zh: 甲\n  keyword: [a]\n", "lex.yaml", r"unknown key\(s\) \['keyword'\]"),
    ("T:\n  label_zh: [甲, 乙]\n  keywords: [a]\n", "lex.yaml", "label_zh is one line of text"),
    ("T:\n  keywords:\n    a: b\n", "lex.yaml", "list of keywords"),
    ("topic,keyword,label_zh\nT,a,甲\nT,b,乙\n", "lex.csv", "two label_zh values: '甲' and '乙'"),
])
def test_bad_labels_are_refused(tmp_path, text, name, message):
    with pytest.raises(ValueError, match=message):
        topics.read_lexicon(lexicon(tmp_path, text, name=name))


def test_topic_labels_refuses_a_bad_language():
    with pytest.raises(ValueError, match="lang"):
        topics.topic_labels("zh-Hans!")


def test_no_hits_gives_an_empty_table(tmp_path):
    out = topics.to_topics(segment.to_tokens(make_turns([(0, "question", "你好")])))
    assert out.empty and list(out.columns) == list(topics.TOPICS)


# --- keywords ---------------------------------------------------------------------------------

def test_keywords_by_document(seeds, full):
    kw = topics.count_keywords(seeds[1], by="document", top=15)
    assert list(kw.columns) == ["doc_id", "keyword", "n", "score", "rank"]
    f = kw[kw["doc_id"] == full]
    assert f["rank"].tolist() == list(range(1, 16))
    assert f["score"].is_monotonic_decreasing
    # 38 "AI" tokens in the full seed's questions and answers (see test_segment).
    assert f.iloc[0][["keyword", "n"]].tolist() == ["AI", 38]
    assert "英伟达" in set(f["keyword"])
    words = set(kw["keyword"])
    assert not words & {"的", "，", "。", ",", "我们", "是"}
    assert all(len(w) > 1 for w in words)


def test_keywords_by_exchange(seeds, full):
    kw = topics.count_keywords(seeds[1], by="exchange", top=5)
    assert list(kw.columns) == ["doc_id", "exchange_id", "keyword", "n", "score", "rank"]
    assert kw.groupby(["doc_id", "exchange_id"])["rank"].max().max() == 5
    assert kw["exchange_id"].notna().all()
    leijun = kw[(kw["doc_id"] == full) & (kw["exchange_id"] == 11)]
    assert "雷军" in set(leijun["keyword"]) and "SU7 Ultra" in set(leijun["keyword"])


def test_keyword_spelling_is_the_most_common(tmp_path):
    turns = make_turns([(0, "question", "NVIDIA nvidia NVIDIA 芯片")])
    kw = topics.count_keywords(segment.to_tokens(turns), by="document")
    assert kw["keyword"].tolist() == ["NVIDIA", "芯片"] and kw["n"].tolist() == [3, 1]


def test_idf_downweights_words_in_every_unit():
    turns = make_turns([(0, "question", "芯片 芯片 华为"), (0, "answer", "芯片"), (1, "question", "芯片 美国"),
                        (1, "answer", "芯片")])
    kw = topics.count_keywords(segment.to_tokens(turns), by="exchange")
    first = kw[kw["exchange_id"] == 0].set_index("keyword")["score"]
    # tf(芯片)=3/4, idf=ln(3/3)+1=1; tf(华为)=1/4, idf=ln(3/2)+1
    assert first["芯片"] == pytest.approx(0.75)
    assert first["华为"] == pytest.approx(0.25 * (1 + __import__("math").log(1.5)))


def test_unknown_unit_is_refused(seeds):
    with pytest.raises(ValueError, match="by must be"):
        topics.count_keywords(seeds[1], by="turn")


def test_the_seed_shows_technology_and_business_topics(seeds, full):
    """The bundled Jensen Huang press meeting: technology and business topics with the technology
    lexicon, science and technology then economy with the default (IPTC) one."""
    from analysis.topic_coverage import rank_topics

    tech = rank_topics(topics.to_topics(seeds[1], lexicon="technology")).query("doc_id == @full")
    assert tech["topic"].iloc[0] == "AI models and reasoning"
    assert {"Chips and export controls", "Company growth and market value", "Competition"} <= set(tech["topic"])
    iptc = rank_topics(topics.to_topics(seeds[1])).query("doc_id == @full")
    assert iptc["topic"].tolist()[:2] == ["science and technology", "economy, business and finance"]
    assert iptc["n_exchanges"].tolist()[:2] == [10, 4]
