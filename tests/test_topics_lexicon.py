"""The shipped topic lexicons: IPTC Media Topics by default, technology by name; generated, unambiguous."""

from __future__ import annotations

import importlib.util
import re

import pytest

from analysis import config, topics

IPTC_IDS = ["arts, culture, entertainment and media", "conflict, war and peace", "crime, law and justice",
            "disaster, accident and emergency incident", "economy, business and finance", "education",
            "environment", "health", "human interest", "labour", "lifestyle and leisure", "politics", "religion",
            "science and technology", "society", "sport", "weather"]

# Words that commonly mean something else in another context: never a keyword on their own
# (issue 14: 孩子 tagged a population-policy interview "Wealth and leadership", 安全 a restaurant
# "AI safety", 审查 a misconduct committee, 训练 a historian's scholarly training).
AMBIGUOUS = """孩子 安全 开放 训练 审查 领导 中国 美国 增长 发展 问题 工作 团队 政府 政策 市场 平台 应用 价值 管理 风险 社区
透明 下载 模型 推理 思考 老师 记者 媒体 文化 冲突 调查 数据 公司 车 钱 赢 同学 统一 主席 博士 健康 礼拜 升温 降温 出口 进口
收藏 释放 证据 技术 研究 突破 比赛 冠军 家人 父母 年轻人 生活 世界 国家 社会 发展 老板 对手 领先 安全性 监控
china chinese us u.s. america american government policy safety security training model models growth stock
application platform platforms team work open rich game party state court code cases who race trust community
patient novel campaign president running bar beauty coach collapse crashed trial fired strike cloud digital node
social shares treatment players fans god faith storm testing shots token tokens agent agents inference""".split()


def _generator():
    spec = importlib.util.spec_from_file_location("make_topics", config.ROOT / "scripts" / "make_topics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_files_are_the_generators_output():
    """Traditional forms are generated (OpenCC), never typed: the shipped files equal a fresh run."""
    make = _generator()
    for name, text in make.rendered().items():
        assert (make.RESOURCES / name).read_text(encoding="utf-8") == text, \
            f"{name} differs from its source: run python scripts/make_topics.py"


def test_default_is_the_iptc_top_level():
    lex = topics.load_lexicon()
    assert lex["topic"].unique().tolist() == IPTC_IDS
    assert topics.lexicon("iptc") == topics.LEXICON
    labels = topics.topic_labels("zh", topics.LEXICON)
    assert labels["crime, law and justice"] == "犯罪、法律与司法" and labels["labour"] == "劳工"


@pytest.mark.parametrize("topic", IPTC_IDS)
def test_every_topic_has_simplified_traditional_and_english_keywords(topic):
    words = set(topics.load_lexicon().query("topic == @topic")["keyword"])
    assert len(words) >= 100, len(words)  # on the order of a hundred
    latin = {w for w in words if re.fullmatch(r"[\x00-\x7f]+", w)}
    assert len(latin) >= 20
    # a Traditional form beside the Simplified one: 医院/醫院, 选举/選舉, 天气/天氣 ...
    from analysis.keyterms import to_simplified
    han = words - latin
    traditional = {w for w in han if to_simplified(w) != w}
    assert len(traditional) >= 20
    # each is a form of a Simplified keyword, character for character (but for Taiwan vocabulary: 資訊 for 信息)
    back = [to_simplified(w) in han for w in traditional]
    assert sum(back) >= 0.7 * len(back)


def test_traditional_forms_of_a_few_keywords():
    lex = topics.load_lexicon()
    by_topic = {t: set(g) for t, g in lex.groupby("topic")["keyword"]}
    assert {"疫情", "醫院", "医院", "口罩"} <= by_topic["health"]
    assert {"选举", "選舉", "立法會", "立法会"} <= by_topic["politics"]
    assert {"戶籍制度", "户籍制度", "户籍"} <= by_topic["society"]
    assert {"軟體", "軟件", "软件"} <= by_topic["science and technology"]  # Taiwan and Hong Kong vocabulary


@pytest.mark.parametrize("name", list(topics.LEXICONS))
def test_no_ambiguous_keyword_in_a_shipped_lexicon(name):
    from analysis.keyterms import to_simplified

    lex = topics.load_lexicon(name)
    found = lex[lex["keyword"].map(lambda k: to_simplified(k.lower()) in AMBIGUOUS)]
    assert found.empty, found[["topic", "keyword"]].values.tolist()


def test_lexicon_by_name_and_refusal():
    assert topics.lexicon("Technology") == topics.LEXICONS["technology"]
    assert "Open source" in set(topics.load_lexicon("technology")["topic"])
    with pytest.raises(ValueError, match="iptc, technology"):
        topics.lexicon("cooking")


def test_a_users_file_chooses_the_shipped_lexicons(tmp_path):
    mine = tmp_path / "topics.yaml"
    mine.write_text("lexicons: [technology]\nQuantum computing:\n  label_zh: 量子计算\n  keywords: [量子纠错]\n",
                    encoding="utf-8")
    assert topics.lexicon_files([topics.LEXICON, mine]) == (topics.LEXICONS["technology"], mine)
    got = set(topics.load_lexicon([topics.LEXICON, mine])["topic"])
    assert "Quantum computing" in got and "Open source" in got and "health" not in got and "lexicons" not in got
    mine.write_text("lexicons: []\nQuantum computing: [量子纠错]\n", encoding="utf-8")
    assert set(topics.load_lexicon([topics.LEXICON, mine])["topic"]) == {"Quantum computing"}  # replaces them
    mine.write_text("lexicons: [iptc, technology]\nQuantum computing: [量子纠错]\n", encoding="utf-8")
    assert topics.load_lexicon([topics.LEXICON, mine])["topic"].nunique() == 17 + 13 + 1
    mine.write_text("lexicons: [cooking]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="topics.yaml: 'cooking'"):
        topics.load_lexicon([topics.LEXICON, mine])
    # without the key, a user's file extends the default
    mine.write_text("Quantum computing: [量子纠错]\n", encoding="utf-8")
    assert topics.load_lexicon([topics.LEXICON, mine])["topic"].nunique() == 18


def _one_interview(tmp_path):
    """A raw folder with one interview (开源模型: technology, 疫苗: health) and an empty resources folder."""
    raw, mine = tmp_path / "raw", tmp_path / "resources"
    raw.mkdir()
    mine.mkdir()
    (raw / "a.txt").write_text("记者：开源模型和疫苗？\n张三：开源模型很好，疫苗也是。\n", encoding="utf-8")
    return raw, mine


def test_a_build_reads_the_lexicons_a_users_file_names(tmp_path):
    from analysis.corpus import build
    from analysis.language import Resources

    raw, mine = _one_interview(tmp_path)
    assert set(build(raw, resources=mine)["topics"]["topic"].astype(str)) == {"health", "science and technology"}
    (mine / "topics.yaml").write_text("lexicons: [technology]\n", encoding="utf-8")
    assert set(build(raw, resources=mine)["topics"]["topic"].astype(str)) == {"Open source"}
    assert Resources(mine).topic_labels("zh")["Open source"] == "开源"


def test_the_default_file_carries_a_digest_of_the_technology_lexicon():
    """The build cache hashes the default lexicon and yours; a change to the technology lexicon
    (chosen with lexicons: [technology]) must change what it hashes too."""
    import hashlib

    digest = hashlib.sha256(topics.LEXICONS["technology"].read_bytes()).hexdigest()
    assert f"# topics_technology.yaml: sha256 {digest}" in topics.LEXICON.read_text(encoding="utf-8")


def test_cli_lexicon_option(tmp_path):
    import pandas as pd

    from analysis import cli
    from analysis.corpus import read_tables

    raw, mine = _one_interview(tmp_path)
    (mine / "topics.yaml").write_text("Vaccines:\n  label_zh: 疫苗话题\n  keywords: [疫苗]\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", "--raw", str(raw), "--out", str(out), "--no-cache", "--resources", str(mine)]
    assert cli.main([*args, "--lexicon", "technology"]) == 0
    assert set(read_tables(out)["topics"]["topic"].astype(str)) == {"Open source", "Vaccines"}
    assert cli.main(args) == 0  # without it: the default, extended by yours
    assert set(read_tables(out)["topics"]["topic"].astype(str)) == {"health", "science and technology", "Vaccines"}
    # the charts label the topics of any shipped lexicon, and yours
    assert cli.main(["charts", "--processed", str(out), "--out", str(tmp_path / "fig"), "--format", "png",
                     "--resources", str(mine), "--lexicon", "technology"]) == 0
    data = pd.read_csv(next((tmp_path / "fig").rglob("topic_frequency_by_exchange.csv")), encoding="utf-8-sig")
    assert dict(zip(data["topic"], data["topic_label"])) == {"health": "健康", "science and technology": "科学与技术",
                                                            "Vaccines": "疫苗话题"}
