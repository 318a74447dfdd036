"""analysis.charts.standard (also analysis.report): the standard set, chart_texts, export_chart."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import logging  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import charts  # noqa: E402
from analysis.charts import standard  # noqa: E402
from .chart_helpers import ROLE_WITH_REMARK, bars_of, figure_texts, ytick_labels  # noqa: E402


STANDARD = ["topic_frequency_by_exchange", "topic_share_of_answer_text", "topics_by_exchange",
            "answer_length_by_exchange", "answer_length_by_topic", "entity_mentions_by_role",
            "entity_mentions_through_interview", "word_cloud", "english_share_by_answer"]


@pytest.mark.slow  # draws the whole set for two documents: over 2 s
def test_export_standard_charts_every_document(tables, tmp_path, caplog, no_glyph_warnings):
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        paths = standard.export_standard_charts(tables, out_dir=tmp_path, formats=("png",))
    d1 = {p.name for p in paths if p.parent.name == "d1"}
    assert d1 == {f"{n}{s}" for n in STANDARD for s in (".png", "@print.png", ".csv")}
    # d2 has no questions, topics or mentions: only its word cloud, the rest skipped with a warning
    assert {p.name for p in paths if p.parent.name == "d2"} == {"word_cloud.png", "word_cloud@print.png", "word_cloud.csv"}
    assert "d2: skipping answer_length_by_exchange" in caplog.text
    assert all(p.parent.parent == tmp_path for p in paths)
    assert plt.get_fignums() == []  # every figure closed
    counts = pd.read_csv(tmp_path / "d1" / "topic_frequency_by_exchange.csv", encoding="utf-8-sig")
    assert counts["n_exchanges"].tolist() == [3, 1, 1]


@pytest.mark.slow
def test_export_standard_charts_one_document(tables, tmp_path):
    paths = standard.export_standard_charts(tables, out_dir=tmp_path, formats=("svg",), doc_id="d1")
    assert {p.parent for p in paths} == {tmp_path}
    assert {p.name for p in paths} == {f"{n}{s}" for n in STANDARD for s in (".svg", ".csv")}


def test_export_standard_charts_missing_tables(documents, turns, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        paths = standard.export_standard_charts({"documents": documents, "turns": turns}, out_dir=tmp_path,
                                              formats=("png",), doc_id="d1")
    assert paths == []
    assert "no topics table" in caplog.text


@pytest.mark.slow  # draws the whole set for two documents: over 2 s
def test_export_standard_charts_skips_tables_missing_columns(tables, tmp_path, caplog):
    tables = {**tables, "exchanges": tables["exchanges"].drop(columns="latin_share")}
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        paths = standard.export_standard_charts(tables, out_dir=tmp_path, formats=("png",), doc_id="d1")
    assert "english_share_by_answer.png" not in {p.name for p in paths}
    assert "answer_length_by_exchange.png" in {p.name for p in paths}
    assert "lacks column(s) ['latin_share']" in caplog.text


def test_export_standard_charts_unknown_document(tables, tmp_path):
    with pytest.raises(ValueError, match="no such document"):
        standard.export_standard_charts(tables, out_dir=tmp_path, doc_id="nope")


def test_export_leaves_global_style_alone(tables, tmp_path):
    with plt.rc_context(matplotlib.rcParamsDefault):
        before = dict(matplotlib.rcParams)
        standard.export_standard_charts(tables, out_dir=tmp_path, formats=("png",), doc_id="d2")
        assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("name, doc_id, lang, shown, total, expected", [
    ("answer_length_by_exchange", "d1", "zh", None, None, (
        "每个问题得到多长的回答",
        "黄仁勋：DeepSeek 是一个革命性的突破（2025-07-17）。每轮问答中提问与回答的字数（不含空白），按采访顺序",
        "来源：黄仁勋：DeepSeek 是一个革命性的突破（@dotey）")),
    ("entity_mentions_by_role", "d1", "zh", 10, 12, (
        "被提及最多的名字",
        "黄仁勋：DeepSeek 是一个革命性的突破（2025-07-17）。人物、公司、产品与地点的提及次数；只列出前 10 项",
        "来源：黄仁勋：DeepSeek 是一个革命性的突破（@dotey）")),
    ("entity_mentions_by_role", "d1", "en", 3, 3, (
        "The names that came up most",
        "黄仁勋：DeepSeek 是一个革命性的突破, 2025-07-17. Mentions of each person, company, product or place",
        "来源：黄仁勋：DeepSeek 是一个革命性的突破（@dotey）")),
    ("topic_frequency_by_exchange", "d2", "en", 5, 9, (
        "What the interview covered",
        "d2. Number of exchanges (a question and its answer) touching each topic; top 5 shown",
        "Source: Reuters")),
])
def test_chart_texts(documents, name, doc_id, lang, shown, total, expected):
    assert standard.chart_texts(name, documents, doc_id, lang=lang, shown=shown, total=total) == expected


@pytest.mark.parametrize("name, doc_id, lang, message", [
    ("fig3", "d1", "zh", "not a standard chart"),
    ("word_cloud", "nope", "zh", "'nope': no such document; the documents are: d1, d2"),
    ("word_cloud", "d1", "fr", "lang='fr'"),
])
def test_chart_texts_refuses(documents, name, doc_id, lang, message):
    with pytest.raises(ValueError, match=message):
        standard.chart_texts(name, documents, doc_id, lang=lang)


def test_export_chart(tables, tmp_path, no_glyph_warnings):
    files = standard.export_chart("entity_mentions_by_role", tables, doc_id="d1", out_dir=tmp_path, top=2,
                                formats=("png",))
    assert [p.name for p in files] == ["entity_mentions_by_role.png", "entity_mentions_by_role@print.png",
                                       "entity_mentions_by_role.csv"]
    assert files.reason is None and files.message == f"entity_mentions_by_role for d1: 3 file(s) in {tmp_path}"
    (num,) = plt.get_fignums()  # left open: a notebook shows it
    fig = plt.figure(num)
    title, subtitle, source = standard.chart_texts("entity_mentions_by_role", tables["documents"], "d1", shown=2, total=3)
    assert figure_texts(fig) == {"analysis-title": title, "analysis-subtitle": subtitle, "analysis-source": source}
    assert subtitle.endswith("；只列出前 2 项")
    assert ytick_labels(fig.axes[0]) == ["DeepSeek", "英伟达"]
    data = pd.read_csv(tmp_path / "entity_mentions_by_role.csv", encoding="utf-8-sig")
    assert data[["doc_id", "entity", "total"]].values.tolist() == [["d1", "DeepSeek", 3], ["d1", "英伟达", 3],
                                                                 ["d1", "黃仁勳", 1]]


def test_export_chart_closes_when_asked(tables, tmp_path):
    standard.export_chart("answer_length_by_exchange", tables, doc_id="d1", out_dir=tmp_path, formats=("svg",),
                        close=True)
    assert plt.get_fignums() == []


def test_export_chart_without_data(tables, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        files = standard.export_chart("answer_length_by_exchange", tables, doc_id="d2", out_dir=tmp_path)
    assert files == [] and list(tmp_path.iterdir()) == [] and plt.get_fignums() == []
    assert files.reason == "no exchanges to plot"
    assert files.message == "No chart answer_length_by_exchange for d2: no exchanges to plot"
    assert "d2: skipping answer_length_by_exchange: no exchanges to plot" in caplog.text


@pytest.mark.parametrize("kwargs, message", [
    ({"doc_id": "nope"}, "no such document"),
    ({"doc_id": "d1", "lang": "fr"}, "lang"),
    ({"doc_id": "d1", "top": 0}, "top"),
])
def test_export_chart_refuses(tables, tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        standard.export_chart("word_cloud", tables, out_dir=tmp_path, **kwargs)
    with pytest.raises(ValueError, match="not a standard chart"):
        standard.export_chart("fig3", tables, doc_id="d1", out_dir=tmp_path)


def test_export_chart_topic_labels(tables, lexicon_topics, tmp_path, no_glyph_warnings):
    """Chinese charts show the lexicon's label_zh; the CSV keeps the topic id and adds the label."""
    tables = {**tables, "topics": lexicon_topics}
    standard.export_chart("topic_frequency_by_exchange", tables, doc_id="d1", out_dir=tmp_path, formats=("png",))
    (num,) = plt.get_fignums()
    assert ytick_labels(plt.figure(num).axes[0]) == ["开源", "AI 安全", "Someone's own topic"]
    data = pd.read_csv(tmp_path / "topic_frequency_by_exchange.csv", encoding="utf-8-sig")
    assert data[["doc_id", "topic", "topic_label", "n_exchanges"]].values.tolist() == [
        ["d1", "Open source", "开源", 3], ["d1", "AI safety", "AI 安全", 1],
        ["d1", "Someone's own topic", "Someone's own topic", 1]]
    # A lexicon of one's own, as CSV with a label_zh column, labels its topics.
    own = tmp_path / "mine.csv"
    own.write_text("topic,keyword,label_zh\nSomeone's own topic,芯片,自己的话题\n", encoding="utf-8")
    standard.export_chart("answer_length_by_topic", tables, doc_id="d1", out_dir=tmp_path, formats=("png",),
                        lexicon=own, close=True)
    data = pd.read_csv(tmp_path / "answer_length_by_topic.csv", encoding="utf-8-sig")
    assert dict(zip(data["topic"], data["topic_label"])) == {
        "Open source": "Open source", "AI safety": "AI safety", "Someone's own topic": "自己的话题"}


CORPUS_SOURCE = "来源：黄仁勋：DeepSeek 是一个革命性的突破（@dotey）；Reuters"


@pytest.mark.parametrize("lang, shared, expected", [
    ("zh", None, (
        "每份文本里，提问、回答和旁白各占多少",
        "载入的全部 2 份文本，分别计数、未合并。每份文本一行：提问、回答与旁白的字数（不含空白）",
        CORPUS_SOURCE)),
    ("zh", 3, (
        "每份文本里，提问、回答和旁白各占多少",
        "载入的全部 2 份文本，分别计数、未合并。每份文本一行：提问、回答与旁白的字数（不含空白）"
        "；其中 3 个问题在不止一份文本中出现",
        CORPUS_SOURCE)),
    ("en", 1, (
        "What each transcript holds",
        "All 2 documents loaded, counted separately (not merged). One bar per document: characters "
        "(excluding spaces) of questions, answers and narration; 1 question appears in more than one document",
        CORPUS_SOURCE)),
    ("en", 0, (
        "What each transcript holds",
        "All 2 documents loaded, counted separately (not merged). One bar per document: characters "
        "(excluding spaces) of questions, answers and narration; no question appears in more than one document",
        CORPUS_SOURCE)),
])
def test_chart_texts_every_document(documents, lang, shared, expected):
    assert standard.chart_texts("characters_by_role_per_document", documents, None, lang=lang, shared=shared) == expected


def test_chart_texts_one_document_loaded(documents):
    one = documents.iloc[:1]
    _, subtitle, source = standard.chart_texts("characters_by_role_per_document", one, None, lang="en", shared=0)
    assert subtitle.startswith("The only document loaded. One bar per document")
    assert "more than one document" not in subtitle  # nothing to share with
    assert source == "来源：黄仁勋：DeepSeek 是一个革命性的突破（@dotey）"


@pytest.mark.parametrize("name, doc_id, kwargs, message", [
    ("characters_by_role_per_document", "d1", {}, "covers every document loaded: pass doc_id=None"),
    ("answer_length_by_exchange", None, {}, "drawn for one document: pass its doc_id"),
    ("answer_length_by_exchange", "d1", {"shared": 3}, "only for charts of every document"),
    ("characters_by_role", None, {}, "not a standard chart"),
])
def test_chart_texts_refuses_the_wrong_scope(documents, name, doc_id, kwargs, message):
    with pytest.raises(ValueError, match=message):
        standard.chart_texts(name, documents, doc_id, **kwargs)


def test_export_chart_every_document(tables, tmp_path, no_glyph_warnings):
    turns = tables["turns"]
    tables = {**tables, "turns": turns.assign(n_chars=turns["end"] - turns["start"])}
    files = standard.export_chart("characters_by_role_per_document", tables, doc_id=None, out_dir=tmp_path,
                                formats=("png",), shared=2)
    assert [p.name for p in files] == ["characters_by_role_per_document.png",
                                       "characters_by_role_per_document@print.png",
                                       "characters_by_role_per_document.csv"]
    assert files.doc_id is None
    assert files.message == f"characters_by_role_per_document for all documents: 3 file(s) in {tmp_path}"
    data = pd.read_csv(tmp_path / "characters_by_role_per_document.csv", encoding="utf-8-sig")
    # d1: questions 20 + 20 + 10, answers 70 + 80 + 90, an intro of 10; d2 all narration
    assert data.values.tolist() == [["d1", 50, 240, 10], ["d2", 0, 0, 35]]
    (num,) = plt.get_fignums()
    fig = plt.figure(num)
    title, subtitle, source = standard.chart_texts("characters_by_role_per_document", tables["documents"], None,
                                                 shared=2)
    assert figure_texts(fig) == {"analysis-title": title, "analysis-subtitle": subtitle, "analysis-source": source}
    assert "全部 2 份文本" in subtitle and "其中 2 个问题" in subtitle
    assert ytick_labels(fig.axes[0]) == ["d1", "d2"]
    assert [w for *_, w in bars_of(fig.axes[0])] == [50, 0, 240, 0, 10, 35]


def test_export_chart_every_document_without_turns(tables, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        files = standard.export_chart("characters_by_role_per_document", tables, doc_id=None, out_dir=tmp_path)
    assert files == [] and list(tmp_path.iterdir()) == [] and plt.get_fignums() == []
    assert files.message == ("No chart characters_by_role_per_document for all documents: "
                             "turns table lacks column(s) ['n_chars']")
    assert "all documents: skipping characters_by_role_per_document" in caplog.text


@pytest.mark.parametrize("name, kwargs, message", [
    ("characters_by_role_per_document", {"doc_id": "d1"}, "pass doc_id=None"),
    ("answer_length_by_exchange", {"doc_id": None}, "pass its doc_id"),
    ("answer_length_by_exchange", {"doc_id": "d1", "shared": 1}, "only for charts of every document"),
])
def test_export_chart_refuses_the_wrong_scope(tables, tmp_path, name, kwargs, message):
    with pytest.raises(ValueError, match=message):
        standard.export_chart(name, tables, out_dir=tmp_path, **kwargs)
    assert list(tmp_path.iterdir()) == [] and plt.get_fignums() == []


def test_export_standard_charts_goes_through_export_chart(tables, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(standard, "export_chart", lambda name, t, **kw: calls.append((name, kw["doc_id"], kw["lang"])) or [])
    assert standard.export_standard_charts(tables, out_dir=tmp_path) == []
    # d1's text is Chinese, d2's English
    assert calls == [(n, d, lang) for d, lang in (("d1", "zh"), ("d2", "en")) for n in STANDARD]
    assert list(standard.TITLES) == STANDARD


def test_export_standard_charts_texts_match_chart_texts(tables, tmp_path, monkeypatch):
    """Every chart of the set gets chart_texts' title, subtitle and source, and a CSV naming its document."""
    finished = []
    finish = charts.finish
    monkeypatch.setattr(standard, "finish", lambda fig, *texts: finished.append(texts) or finish(fig, *texts))
    standard.export_standard_charts(tables, out_dir=tmp_path, formats=("svg",), doc_id="d1")
    # d1 has fewer topics, names and words than any default top: nothing left out, no note
    assert finished == [standard.chart_texts(name, tables["documents"], "d1", lang="zh") for name in STANDARD]
    for name in STANDARD:
        csv = pd.read_csv(tmp_path / f"{name}.csv", encoding="utf-8-sig")
        assert set(csv["doc_id"]) == {"d1"}, f"{name}.csv does not name its document"


def test_export_chart_every_document_draws_the_longest(tables, tmp_path, no_glyph_warnings):
    """A corpus too big for a bar each: the ``top`` longest are drawn, in table order, the CSV keeps all."""
    turns = tables["turns"]
    tables = {**tables, "turns": turns.assign(n_chars=turns["end"] - turns["start"])}
    files = standard.export_chart("characters_by_role_per_document", tables, doc_id=None, out_dir=tmp_path,
                                formats=("png",), top=1, close=False)
    data = pd.read_csv(files[-1], encoding="utf-8-sig")
    assert data["doc_id"].tolist() == ["d1", "d2"]
    fig = plt.figure(plt.get_fignums()[-1])
    assert ytick_labels(fig.axes[0]) == ["d1"]  # 300 characters against d2's 35
    assert figure_texts(fig)["analysis-subtitle"].endswith("；只列出字数最多的 1 份")
    assert standard.chart_texts("characters_by_role_per_document", tables["documents"], None, lang="en",
                              shown=1, total=2)[1].endswith("; the 1 longest shown")


def test_export_chart_every_document_counts_remarks(tables, tmp_path, no_glyph_warnings):
    """A remark turn (a known speaker who neither asks nor answers) is drawn and counted towards a document's length."""
    remark = pd.DataFrame([("d2", 1, None, "remark", 35, 435)], columns=["doc_id", "turn_id", "exchange_id", "role",
                                                                          "start", "end"])
    turns = pd.concat([tables["turns"].astype({"role": str}), remark.astype({"exchange_id": "Int32"})],
                      ignore_index=True).astype({"role": ROLE_WITH_REMARK})
    tables = {**tables, "turns": turns.assign(n_chars=turns["end"] - turns["start"])}
    standard.export_chart("characters_by_role_per_document", tables, doc_id=None, out_dir=tmp_path,
                          formats=("png",), top=1)
    data = pd.read_csv(tmp_path / "characters_by_role_per_document.csv", encoding="utf-8-sig")
    assert list(data.columns) == ["doc_id", "question", "answer", "remark", "narration"]
    assert data.values.tolist() == [["d1", 50, 240, 0, 10], ["d2", 0, 0, 400, 35]]
    (num,) = plt.get_fignums()
    ax = plt.figure(num).axes[0]
    assert ytick_labels(ax) == ["d2"]  # 435 characters with its remark, d1 300: d2 is the longest
    assert [w for *_, w in bars_of(ax)] == [0, 0, 400, 35]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["提问", "回答", "其他发言", "旁白"]


def test_old_import_paths_still_work():
    """Notebooks, the README, the CLI and other branches import these."""
    from analysis import fonts, report
    from analysis.charts import fonts as chart_fonts

    assert report.export_standard_charts is standard.export_standard_charts
    assert report.export_chart is standard.export_chart and report.chart_texts is standard.chart_texts
    assert report.TITLES is standard.TITLES and report.CORPUS_TITLES is standard.CORPUS_TITLES
    assert fonts.cjk_font is chart_fonts.cjk_font and fonts.missing_glyphs is charts.missing_glyphs
    assert fonts.wordcloud_font_path is chart_fonts.wordcloud_font_path and fonts.CJKFont is chart_fonts.CJKFont
    assert all(callable(getattr(charts, name)) or isinstance(getattr(charts, name), type) for name in charts.__all__)
