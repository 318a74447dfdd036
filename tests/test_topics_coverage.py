"""analysis.topic_coverage: exchanges tagged, topics on one keyword, in charts and in analysis build."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis import charts, cli
from analysis.charts import standard
from analysis.topic_coverage import coverage, coverage_note, coverage_warnings, rank_topics


def _topics(rows):
    df = pd.DataFrame(rows, columns=["doc_id", "exchange_id", "topic", "hits_question", "hits_answer", "keywords"])
    return df.astype({"exchange_id": "Int32"})


TOPICS = _topics([
    ("d", 0, "health", 1, 2, "疫情, 医院"), ("d", 1, "health", 0, 1, "疫情"),
    ("d", 1, "sport", 0, 3, "足球"), ("d", 2, "sport", 0, 1, "足球"),
    ("d", 2, "politics", 1, 0, "选举"),
])
EXCHANGES = pd.DataFrame({"doc_id": ["d"] * 8, "exchange_id": range(8), "answer_chars": [10] * 8})


def test_rank_topics():
    r = rank_topics(TOPICS)
    # health and sport: 2 exchanges each; health has two keywords, sport one (though more hits)
    assert r[["topic", "n_exchanges", "hits", "rank"]].values.tolist() == [
        ["health", 2, 4, 1], ["sport", 2, 4, 2], ["politics", 1, 1, 3]]
    assert r["keywords"].tolist() == [["疫情", "医院"], ["足球"], ["选举"]]


def test_coverage_and_its_sentences():
    cov = coverage(TOPICS, EXCHANGES).iloc[0]
    assert (cov["n_exchanges"], cov["n_tagged"], cov["low"]) == (8, 3, True)
    assert cov["single"] == [("sport", "足球"), ("politics", "选举")]
    assert coverage_note(TOPICS, EXCHANGES, lang="zh", labels={"sport": "体育"}) == (
        "词表标注了 8 轮问答中的 3 轮（38%），不足一半：其余问答谈了什么，这里看不出"
        "；「体育」只来自一个关键词（足球）；「politics」只来自一个关键词（选举）")
    assert coverage_note(TOPICS, EXCHANGES.head(4), lang="en").startswith(
        "The lexicon tagged 3 of 4 exchanges (75%); “sport” rests on one keyword (足球)")
    assert coverage_note(TOPICS, None) is None
    assert coverage_warnings({"topics": TOPICS, "exchanges": EXCHANGES}) == [
        "d: topics: The lexicon tagged 3 of 8 exchanges (38%): fewer than half, so the rest of the interview "
        "is not shown; “sport” rests on one keyword (足球); “politics” rests on one keyword (选举)"]


def test_a_well_covered_document_gives_no_warning():
    many = _topics([("d", i, "health", 0, 1, "疫情, 医院" if i % 2 else "口罩") for i in range(8)])
    assert coverage_warnings({"topics": many, "exchanges": EXCHANGES}) == []
    assert coverage_note(many, EXCHANGES, lang="zh") == "词表标注了 8 轮问答中的 8 轮（100%）"


def test_topic_chart_subtitle_says_the_coverage(tmp_path):
    tables = {"documents": pd.DataFrame({"doc_id": ["d"], "title": ["采访"], "date": ["2024-01-01"]}),
              "topics": TOPICS, "exchanges": EXCHANGES}
    with plt.rc_context():
        charts.use_style()
        files = standard.export_chart("topic_frequency_by_exchange", tables, doc_id="d", out_dir=tmp_path,
                                      formats=("png",))
    fig = plt.figure(plt.get_fignums()[-1])
    assert "topic_frequency_by_exchange.png" in [p.name for p in files]
    texts = " ".join(t.get_text() for t in fig.texts).replace("\n", "")
    assert "词表标注了 8 轮问答中的 3 轮（38%），不足一半" in texts and "「体育」只来自一个关键词（足球）" in texts
    plt.close("all")


def test_build_warns_about_thin_coverage(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("记者：明天的天气预报怎么说？\n张三：还不错。\n记者：你吃了吗？\n张三：吃了。\n"
                               "记者：你去哪里？\n张三：回家。\n", encoding="utf-8")
    assert cli.main(["build", "--raw", str(raw), "--out", str(tmp_path / "out"), "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "warning: a: topics: The lexicon tagged 1 of 3 exchanges (33%): fewer than half" in err
    assert "“weather” rests on one keyword (天气预报)" in err


def test_a_topics_table_without_keywords_still_gives_the_coverage():
    bare = TOPICS.drop(columns="keywords")
    assert rank_topics(bare)["keywords"].tolist() == [[], [], []]
    assert coverage_note(bare, EXCHANGES, lang="en") == (
        "The lexicon tagged 3 of 8 exchanges (38%): fewer than half, so the rest of the interview is not shown")
