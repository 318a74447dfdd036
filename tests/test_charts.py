"""Charts: the CJK font, the house style, export, and every plot function on tiny tables.

Glyph warnings are errors here (pyproject's filterwarnings, and explicitly in
the font tests), so a chart that would draw boxes fails its test.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from fontTools.ttLib import TTFont  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from PIL import Image  # noqa: E402

from analysis import charts, config, fonts, report  # noqa: E402

SIMPLIFIED = "黄仁勋谈英伟达"
TRADITIONAL = "黃仁勳談輝達與臺灣"
ENGLISH = "Jensen Huang on Nvidia, AI & 2025"
GLYPH_WARNING = r"Glyph .* missing from"
POPPLER = all(shutil.which(t) for t in ("pdffonts", "pdftotext", "pdftoppm"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdffonts, pdftotext, pdftoppm) not installed")

ROLE = pd.CategoricalDtype(["question", "answer", "narration"])


# --- fixtures ------------------------------------------------------------------

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


def _frame(rows: list[tuple], columns: str, **dtypes) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns.split())
    return df.astype({"exchange_id": "Int32", **dtypes}) if "exchange_id" in df.columns else df.astype(dtypes)


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
    return _frame(rows, "doc_id turn_id exchange_id role start end", role=ROLE)


@pytest.fixture
def exchanges() -> pd.DataFrame:
    rows = [
        ("d1", 0, "有人说，大模型的 scaling law 正在失效，你怎么看？", 25, 400, 16.0, 0.10, 1),
        ("d1", 1, "你使用DeepSeek吗？", 12, 150, 12.5, 0.25, 1),
        ("d1", 2, "台灣市場呢？", 6, 50, 8.3, None, 1),
    ]
    return _frame(rows, "doc_id exchange_id question question_chars answer_chars ratio latin_share n_answer_turns",
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
    return _frame(rows, "doc_id exchange_id topic hits_question hits_answer")


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
    df = _frame(rows, "doc_id turn_id exchange_id role entity entity_type start", role=ROLE)
    return df.assign(end=df["start"] + 3, surface=df["entity"], source="registry")


def _tokens(doc_id: str, words: list[tuple[str, bool, bool, str]]) -> pd.DataFrame:
    rows = [(doc_id, 2, 0, "answer", "黄仁勋", i, w, w.lower(), i * 3, i * 3 + len(w), stop, punct, script)
            for i, (w, stop, punct, script) in enumerate(words)]
    return _frame(rows, "doc_id turn_id exchange_id role speaker position token norm start end "
                        "is_stopword is_punct script", role=ROLE)


@pytest.fixture
def tokens() -> pd.DataFrame:
    han, latin = "han", "latin"
    words = ([("英伟达", False, False, han)] * 3 + [("芯片", False, False, han)] * 2
             + [("AI", False, False, latin), ("ai", False, False, latin)]
             + [("的", True, False, han)] * 5 + [("，", False, True, "other"), ("4", False, False, "digit"),
                                                  ("台", False, False, han), ("輝達", False, False, han)])
    return _tokens("d1", words)


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
    d2_turns = _frame([("d2", 0, None, "narration", 0, 35)], "doc_id turn_id exchange_id role start end", role=ROLE)
    d2_tokens = _tokens("d2", [("Opening", False, False, "latin"), ("remarks", False, False, "latin"),
                               ("remarks", False, False, "latin")]).assign(role=pd.Categorical(["narration"] * 3, dtype=ROLE))
    return {
        "documents": documents,
        "turns": pd.concat([turns, d2_turns], ignore_index=True),
        "exchanges": exchanges,
        "topics": topics,
        "mentions": mentions,
        "tokens": pd.concat([tokens, d2_tokens], ignore_index=True),
    }


def _draw_everywhere(fig) -> None:
    fig.canvas.draw()
    for fmt in ("png", "svg", "pdf"):
        fig.savefig(io.BytesIO(), format=fmt)


# --- fonts -----------------------------------------------------------------------

def test_cjk_font_is_truetype_and_covers_both_scripts():
    font = fonts.cjk_font()
    assert font.truetype, "CFF fonts make PDFs Ghostscript shows without text"
    assert font.path.is_file()
    assert fonts.missing_glyphs(SIMPLIFIED + TRADITIONAL + ENGLISH) == set()
    assert charts.cjk_font_path() == font.path


@pytest.fixture
def fresh_font_choice():
    fonts.cjk_font.cache_clear()
    yield
    fonts.cjk_font.cache_clear()


@pytest.mark.parametrize("system, expected", [
    ([], "bundled"),
    ([("Noto Sans CJK SC", False)], "bundled"),  # CFF: after the bundled TrueType font
    ([("Noto Sans CJK SC", False), ("WenQuanYi Zen Hei", True)], "WenQuanYi Zen Hei"),
])
def test_font_resolution_order(monkeypatch, fresh_font_choice, system, expected):
    fake = [fonts.CJKFont(Path(f"/fonts/{name}.ttc"), 0, name, truetype) for name, truetype in system]
    bundled = fonts.CJKFont(Path("/fonts/bundled.ttc"), 0, "bundled", True)
    monkeypatch.setattr(fonts, "_system_fonts", lambda: fake)
    monkeypatch.setattr(fonts, "_bundled_font", lambda: bundled)
    assert fonts.cjk_font().family == expected


def test_font_resolution_fails_clearly(monkeypatch, fresh_font_choice):
    monkeypatch.setattr(fonts, "_system_fonts", lambda: [])
    monkeypatch.setattr(fonts, "_bundled_font", lambda: None)
    with pytest.raises(RuntimeError, match="paperang-p2-fonts-cjk"):
        fonts.cjk_font()


def test_bundled_font_is_the_micro_hei_face():
    font = fonts._bundled_font()
    assert font is not None and font.family == "WenQuanYi Micro Hei" and font.index == 0 and font.truetype


def test_use_style_sets_font_and_export_settings():
    rc = matplotlib.rcParams
    assert rc["font.sans-serif"][0] == fonts.cjk_font().family
    assert rc["pdf.fonttype"] == 42 and rc["svg.fonttype"] == "path" and rc["svg.hashsalt"]
    assert not rc["axes.spines.top"] and not rc["axes.spines.right"]
    assert Path(font_manager.findfont(fonts.cjk_font().family)).resolve() == fonts.cjk_font().path.resolve()


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL, ENGLISH, f"{SIMPLIFIED} {TRADITIONAL} {ENGLISH}"])
def test_text_renders_without_missing_glyphs(text, no_glyph_warnings):
    fig, ax = plt.subplots()
    ax.bar([text, "AI"], [1, 2])
    ax.set_xlabel(text)
    charts.finish(fig, text, subtitle=text, source=text)
    _draw_everywhere(fig)


def test_default_font_fails_on_chinese():
    """The guard itself: DejaVu Sans has no Han glyphs, and drawing them warns (an error in this suite)."""
    with plt.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title(SIMPLIFIED)
        with pytest.warns(UserWarning, match=GLYPH_WARNING):
            fig.canvas.draw()


@pytest.mark.parametrize("text, expected", [
    (SIMPLIFIED, set()),
    (TRADITIONAL, set()),
    ("AI 芯片，“英伟达”。\n", set()),
    ("😀 ok", {"😀"}),
    ("𠀀x", {"𠀀"}),  # CJK Extension B
])
def test_missing_glyphs(text, expected):
    assert fonts.missing_glyphs(text) == expected


def test_missing_glyphs_in_latin_font():
    dejavu = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    assert fonts.missing_glyphs("中a", dejavu) == {"中"}


@pytest.fixture
def fresh_font_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    fonts.wordcloud_font_path.cache_clear()
    yield tmp_path
    fonts.wordcloud_font_path.cache_clear()


def test_wordcloud_font_is_a_single_face_file(fresh_font_cache):
    path = fonts.wordcloud_font_path()
    font = TTFont(path)  # no fontNumber: a plain .ttf, which PIL and to_svg(embed_font=True) accept
    assert font["name"].getBestFamilyName() == fonts.cjk_font().family
    assert "glyf" in font
    assert fonts.missing_glyphs(SIMPLIFIED + TRADITIONAL, path) == set()
    if fonts.cjk_font().path.suffix.lower() == ".ttc":
        assert path.parent == fresh_font_cache / "fonts"
        assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind
        mtime = path.stat().st_mtime_ns
        fonts.wordcloud_font_path.cache_clear()
        assert fonts.wordcloud_font_path() == path and path.stat().st_mtime_ns == mtime


# --- finish and source line ------------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ("张小珺", "来源：张小珺"),
    ("Reuters", "Source: Reuters"),
    ("来源：张小珺", "来源：张小珺"),
    ("Source: AP", "Source: AP"),
])
def test_finish_source_prefix(source, expected):
    fig, ax = plt.subplots()
    charts.finish(fig, "标题", source=source)
    assert [t.get_text() for t in fig.texts if t.get_gid() == "analysis-source"] == [expected]


@pytest.mark.parametrize("layout", ["constrained", "tight", "none"])
def test_finish_lays_out_without_clipping_or_overlap(layout):
    fig, ax = plt.subplots(layout=layout)
    ax.barh(["一", "二"], [3, 4])
    ax.set_xlabel("字数")
    long_title = "黄仁勋在北京的媒体见面会上谈到了开源、芯片出口管制、人工智能安全以及与华为等中国公司之间的竞争" * 2
    charts.finish(fig, long_title, "副标题：" + TRADITIONAL, "张小珺")
    charts.finish(fig, long_title, "副标题：" + TRADITIONAL, "张小珺")  # again: replaces, does not stack
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    texts = {t.get_gid(): t.get_window_extent(r) for t in fig.texts}
    assert set(texts) == {"analysis-title", "analysis-subtitle", "analysis-source"}
    assert "\n" in next(t for t in fig.texts if t.get_gid() == "analysis-title").get_text()
    for box in texts.values():
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1
    axes_box = ax.get_tightbbox(r)
    assert axes_box.y1 <= texts["analysis-subtitle"].y0
    assert axes_box.y0 >= texts["analysis-source"].y1
    assert texts["analysis-title"].y0 >= texts["analysis-subtitle"].y1


@pytest.mark.parametrize("text", [
    "One bar per document: characters (excluding spaces) of questions, answers and narration",
    "黄仁勋谈到了开源（以及芯片出口管制）、人工智能安全与《华为》等中国公司之间的竞争",
])
def test_wrap_keeps_brackets_with_what_they_enclose(text):
    """At every width: no line ends with an opening bracket or starts with a closing one, no text lost."""
    fig = plt.figure()
    for width in np.arange(0.6, 8, 0.1):
        lines = charts._wrap(text, width, fig, fontsize=charts.SUBTITLE_SIZE).split("\n")
        assert not any(line.endswith(("(", "（", "《")) for line in lines), (width, lines)
        assert not any(line.startswith((")", "）", "》", "、")) for line in lines), (width, lines)
        assert "".join("".join(lines).split()) == "".join(text.split())

def test_finish_keeps_a_figure_without_layout_engine_working():
    fig, ax = plt.subplots(layout="none")
    fig.colorbar(ax.imshow([[1, 2], [3, 4]]))  # switching to constrained layout now would break
    charts.finish(fig, "标题", "副标题", "张小珺")
    fig.canvas.draw()
    assert fig.get_layout_engine() is None


@pytest.mark.parametrize("source, title, author, expected", [
    ("张小珺", None, None, "来源：张小珺"),
    ("https://x.com/dotey/status/1", "黄仁勋：DeepSeek 是一个革命性的突破", "[[@dotey]]",
     "来源：黄仁勋：DeepSeek 是一个革命性的突破（@dotey）"),
    ("https://example.com/a", "Interview with Jensen Huang", "Jane Doe", "Source: Interview with Jensen Huang (Jane Doe)"),
    ("https://www.example.com/a", None, None, "Source: example.com"),
    (None, None, "['[[@dotey]]']", "Source: @dotey"),
    (None, None, None, None),
])
def test_source_line(source, title, author, expected):
    docs = pd.DataFrame({"doc_id": ["d"], "source": [source], "title": [title], "author": [author]})
    assert charts.source_line(docs, "d") == expected


def test_source_line_all_documents(documents):
    assert charts.source_line(documents) == "来源：黄仁勋：DeepSeek 是一个革命性的突破（@dotey）；Reuters"
    assert charts.source_line(documents, "d2") == "Source: Reuters"


@pytest.mark.parametrize("n, expected", [
    (4, "来源：媒体0；媒体1；媒体2；媒体3"),  # one more than SOURCE_CREDITS: named, not counted
    (5, "来源：媒体0；媒体1；媒体2；另有 2 个来源未列出"),
    (1000, "来源：媒体0；媒体1；媒体2；另有 997 个来源未列出"),
])
def test_source_line_of_many_documents_counts_the_rest(n, expected):
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "source": [f"媒体{i}" for i in range(n)],
                         "title": None, "author": None})
    assert charts.source_line(docs) == expected
    english = docs.assign(source=[f"Outlet {i}" for i in range(n)])
    assert charts.source_line(english).endswith(f"; {n - 3} more not listed" if n > 4 else "Outlet 3")


# --- export ----------------------------------------------------------------------------

def _chart(title: str = f"{SIMPLIFIED}：{TRADITIONAL}"):
    fig, ax = plt.subplots()
    ax.barh(["英伟达", "輝達", "Nvidia"], [3, 2, 1])
    charts.finish(fig, title, "副标题", "张小珺")
    return fig


def test_save_chart_writes_every_format(tmp_path):
    data = pd.DataFrame({"entity": ["英伟达", "輝達"], "n": [3, 2]})
    paths = charts.save_chart(_chart(), "entity_mentions", out_dir=tmp_path, data=data)
    assert [p.name for p in paths] == ["entity_mentions.png", "entity_mentions@print.png", "entity_mentions.svg",
                                       "entity_mentions.pdf", "entity_mentions.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)  # no temp files left
    assert all(p.stat().st_size > 0 for p in paths)
    web, print_ = Image.open(paths[0]), Image.open(paths[1])
    assert web.size == (1200, 750) and print_.size == (2400, 1500)  # 8 x 5 in at 150 and 300 dpi
    assert paths[4].read_bytes().startswith(b"\xef\xbb\xbf")
    pd.testing.assert_frame_equal(pd.read_csv(paths[4], encoding="utf-8-sig"), data)
    assert "<text" not in paths[2].read_text(encoding="utf-8")  # text as outlines: no font needed


def test_save_chart_is_byte_for_byte_repeatable(tmp_path):
    first = charts.save_chart(_chart(), "c", out_dir=tmp_path / "a")
    second = charts.save_chart(_chart(), "c", out_dir=tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_save_chart_only_requested_formats(tmp_path):
    paths = charts.save_chart(_chart(), "c", out_dir=tmp_path, formats=("svg",))
    assert [p.name for p in paths] == ["c.svg"]
    paths = charts.save_chart(_chart(), "c", out_dir=tmp_path, formats=("png",), dpi_print=None)
    assert [p.name for p in paths] == ["c.png"]


@pytest.mark.parametrize("name, formats", [("fig/3", ("png",)), ("", ("png",)), ("..", ("png",)), ("c", ("jpg",))])
def test_save_chart_rejects_bad_arguments(tmp_path, name, formats):
    with pytest.raises(ValueError):
        charts.save_chart(_chart(), name, out_dir=tmp_path, formats=formats)


def test_save_chart_refuses_the_raw_folder():
    with pytest.raises(ValueError, match="raw"):
        charts.save_chart(_chart(), "c", out_dir=config.RAW_DIR)


@pytest.fixture
def pdf(tmp_path) -> Path:
    (path,) = charts.save_chart(_chart(), "c", out_dir=tmp_path, formats=("pdf",))
    return path


@needs_poppler
def test_pdf_embeds_the_font(pdf):
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    assert rows, out
    family = fonts.cjk_font().family.replace(" ", "")
    assert all(family in r[0] for r in rows), out
    assert all("yes" == r[-5] for r in rows), out  # the emb column


@needs_poppler
def test_pdf_text_is_real_text(pdf):
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{SIMPLIFIED}：{TRADITIONAL}" in out
    assert "来源：张小珺" in out


@needs_poppler
def test_pdf_renders_with_text(pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    page = np.asarray(Image.open(tmp_path / "page.png").convert("L"))
    assert (page < 128).mean() > 0.005  # dark pixels: bars and text, not a blank page
    # The title band (top 8% of the page, above any bars) has ink: the glyphs were drawn.
    assert (page[: int(page.shape[0] * 0.08)] < 128).any()


# --- plot functions ---------------------------------------------------------------------

def _bar_widths(ax, color=None) -> list[float]:
    return [round(p.get_width(), 6) for p in ax.patches
            if color is None or matplotlib.colors.to_hex(p.get_facecolor()) == color.lower()]


def _ytick_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


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
    two_topics = pd.concat([topics, _frame(d2, "doc_id exchange_id topic hits_question hits_answer")],
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


def test_plot_topic_frequency_by_exchanges(topics, no_glyph_warnings):
    ax = charts.plot_topic_frequency(topics)
    assert _bar_widths(ax) == [3, 1, 1]
    assert _ytick_labels(ax) == ["开源", "AI 安全", "芯片"]
    _draw_everywhere(ax.figure)


def test_plot_topic_frequency_by_answer_share(topics, exchanges):
    ax = charts.plot_topic_frequency(topics, exchanges, by="answer_share", lang="zh")
    assert _bar_widths(ax) == [100.0, round(400 / 6, 6), round(50 / 6, 6)]
    assert [t.get_text() for t in ax.texts] == ["100%", "67%", "8%"]
    assert ax.get_xlabel() == "占全部回答字数的比例"


@pytest.fixture
def lexicon_topics(topics) -> pd.DataFrame:
    """The fixture's topics under names of the shipped lexicon, plus one the lexicon lacks."""
    names = {"开源": "Open source", "AI 安全": "AI safety", "芯片": "Someone's own topic"}
    return topics.assign(topic=topics["topic"].map(names))


def test_topic_plots_show_chinese_labels(lexicon_topics, exchanges, no_glyph_warnings):
    zh = charts.plot_topic_frequency(lexicon_topics, lang="zh")
    assert _ytick_labels(zh) == ["开源", "AI 安全", "Someone's own topic"]
    grid = charts.plot_topic_grid(lexicon_topics, exchanges=exchanges, lang="zh")
    assert _ytick_labels(grid) == ["AI 安全", "开源", "Someone's own topic"]
    by_topic = charts.plot_answer_length_by_topic(exchanges, lexicon_topics, lang="zh")
    assert _ytick_labels(by_topic) == ["AI 安全 (1)", "开源 (3)", "Someone's own topic (1)"]
    en = charts.plot_topic_frequency(lexicon_topics, lang="en")
    assert _ytick_labels(en) == ["Open source", "AI safety", "Someone's own topic"]
    own = charts.plot_topic_frequency(lexicon_topics, lang="zh", labels={"Someone's own topic": "自定义"})
    assert _ytick_labels(own) == ["Open source", "AI safety", "自定义"]  # labels given: only those
    for ax in (zh, grid, by_topic, own):
        _draw_everywhere(ax.figure)


def test_plot_topic_frequency_needs_exchanges_for_share(topics):
    with pytest.raises(ValueError, match="exchanges"):
        charts.plot_topic_frequency(topics, by="answer_share")


def test_plot_topic_grid(topics, exchanges, no_glyph_warnings):
    ax = charts.plot_topic_grid(topics, exchanges=exchanges)
    (mesh,) = ax.collections
    grid = np.asarray(mesh.get_array()).reshape(3, 3)
    # rows by first appearance (AI 安全 and 开源 both start in exchange 0), columns = exchanges
    assert _ytick_labels(ax) == ["AI 安全", "开源", "芯片"]
    np.testing.assert_array_equal(grid, [[2, 0, 0], [2, 1, 2], [0, 0, 1]])
    assert (grid > 0).sum() == len(topics)
    _draw_everywhere(ax.figure)


def test_plot_answer_length(exchanges, no_glyph_warnings):
    ax = charts.plot_answer_length(exchanges, label_chars=8)
    assert _bar_widths(ax, charts.BLUE) == [400, 150, 50]
    assert _bar_widths(ax, charts.ORANGE) == [25, 12, 6]
    assert _ytick_labels(ax) == ["1. 有人说，大模型的…", "2. 你使用DeepS…", "3. 台灣市場呢？"]
    _draw_everywhere(ax.figure)


def test_plot_answer_length_keeps_dollar_signs_literal():
    ex = pd.DataFrame({"doc_id": ["d"], "exchange_id": [0], "question": ["营收从 $10B 到 $20B？"],
                       "question_chars": [12], "answer_chars": [30]})
    ax = charts.plot_answer_length(ex, label_chars=30)
    ax.figure.canvas.draw()  # a pair of $ would be parsed as (broken) mathtext
    assert _ytick_labels(ax) == [r"1. 营收从 \$10B 到 \$20B？"]


def test_plot_answer_length_by_topic(exchanges, topics, no_glyph_warnings):
    ax = charts.plot_answer_length_by_topic(exchanges, topics)
    dots, medians = ax.collections
    assert sorted(dots.get_offsets()[:, 0].tolist()) == [50, 50, 150, 400, 400]  # one dot per (exchange, topic)
    assert medians.get_offsets()[:, 0].tolist() == [400, 150, 50]  # AI 安全, 开源, 芯片
    assert _ytick_labels(ax) == ["AI 安全 (1)", "开源 (3)", "芯片 (1)"]
    _draw_everywhere(ax.figure)


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


def test_plot_entity_counts(mentions, no_glyph_warnings):
    ax = charts.plot_entity_counts(mentions, top=2)
    assert _ytick_labels(ax) == ["DeepSeek", "英伟达"]
    assert _bar_widths(ax, charts.BLUE) == [2, 2]  # answers
    assert _bar_widths(ax, charts.ORANGE) == [1, 1]  # questions, stacked after the answers
    assert [p.get_x() for p in ax.patches if matplotlib.colors.to_hex(p.get_facecolor()) == charts.ORANGE.lower()] == [2, 2]
    assert [t.get_text().strip() for t in ax.texts] == ["3", "3"]
    _draw_everywhere(ax.figure)


def test_plot_entity_dispersion(mentions, turns, no_glyph_warnings):
    ax = charts.plot_entity_dispersion(mentions, turns)
    assert _ytick_labels(ax) == ["DeepSeek (3)", "英伟达 (3)", "黃仁勳 (1)"]
    marks = {line.get_label(): sorted(zip(line.get_xdata(), line.get_ydata())) for line in ax.lines}
    assert marks == {
        "In a question": [(12.0, 1), (105.0, 0)],
        "In an answer": [(40.0, 1), (130.0, 1), (150.0, 0), (160.0, 0)],
        "Narration": [(2.0, 2)],
    }
    (starts,) = [c for c in ax.collections if c.get_gid() == "exchange-starts"]
    assert [seg[0][0] for seg in starts.get_segments()] == [10, 100, 200]
    assert ax.get_xlim() == (0, 300)
    _draw_everywhere(ax.figure)


def test_plot_entity_dispersion_chosen_entities(mentions, turns):
    ax = charts.plot_entity_dispersion(mentions, turns, entities=["黃仁勳", "英伟达"])
    assert _ytick_labels(ax) == ["黃仁勳 (1)", "英伟达 (3)"]
    assert sum(len(line.get_xdata()) for line in ax.lines) == 4


def test_plot_code_switching(exchanges, no_glyph_warnings):
    ax = charts.plot_code_switching(exchanges)
    assert _bar_widths(ax) == [10.0, 25.0]  # the third answer has no words: no bar
    assert _ytick_labels(ax) == ["1. 有人说，大模型的 sca…", "2. 你使用DeepSeek吗…"]
    assert ax.lines[0].get_xdata()[0] == pytest.approx(17.5)  # mean over answers
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Average 18%"]
    _draw_everywhere(ax.figure)


@pytest.mark.parametrize("shares", [[0.10, 0.25, 0.17], [0.17, 0.17, 0.17], [0.0, 0.02, 0.01], [0.9, 0.95, 0.92]])
def test_code_switching_average_never_covers_a_value(exchanges, shares):
    """A bar ending at the average: its value label and the average's note stay apart."""
    ax = charts.plot_code_switching(exchanges.assign(latin_share=pd.array(shares, dtype="Float64")), lang="zh")
    charts.finish(ax.figure, "回答里夹了多少英文", "副标题", "张小珺")
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    values = [t.get_window_extent(r) for t in ax.texts]  # the bar labels: the only texts in the axes
    assert [t.get_text() for t in ax.texts] == [f"{v * 100:.0f}%" for v in shares]
    (note,) = [t for t in ax.get_legend().get_texts()]
    assert note.get_text() == f"平均 {np.mean(shares) * 100:.0f}%"
    legend = ax.get_legend().get_window_extent(r)
    assert not any(legend.overlaps(v) for v in values)
    assert all(t.get_zorder() > ax.lines[0].get_zorder() for t in ax.texts)  # values drawn over the line
    assert legend.y0 >= ax.get_window_extent(r).y1 - 1  # above the bars, below the subtitle
    subtitle = next(t for t in fig.texts if t.get_gid() == "analysis-subtitle").get_window_extent(r)
    assert legend.y1 <= subtitle.y0


# --- characters per role, every document ------------------------------------------------------

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
    return _frame(rows, "doc_id turn_id exchange_id role n_chars", role=ROLE)


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


def _bars(ax) -> list[tuple[str, float, float, float]]:
    """(colour, y, left, width) of every bar."""
    return [(matplotlib.colors.to_hex(b.get_facecolor()), b.get_y() + b.get_height() / 2, b.get_x(), b.get_width())
            for b in ax.patches]


def test_plot_characters_by_role(role_turns, no_glyph_warnings):
    by_role = charts.count_roles(role_turns)
    ax = charts.plot_characters_by_role(by_role)
    q, a, n = (matplotlib.colors.to_hex(charts.ROLE_COLORS[r]) for r in ("question", "answer", "narration"))
    # stacked per document, question then answer then narration; d1 on top (y=0)
    assert _bars(ax) == [(q, 0, 0, 35), (q, 1, 0, 0), (a, 0, 35, 345), (a, 1, 0, 0),
                         (n, 0, 380, 12), (n, 1, 0, 40)]
    assert _ytick_labels(ax) == ["d1", "d2"]
    assert ax.get_ylim() == (1.5, -0.5)
    assert [t.get_text() for t in ax.texts] == [" 392", " 40"]  # each document's total, never their sum
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["提问", "回答", "旁白"]
    assert ax.get_xlabel() == "字数（不含空白）"
    _draw_everywhere(ax.figure)
    legend = ax.get_legend().get_window_extent()
    assert legend.y0 >= ax.get_window_extent().y1 - 1  # above the bars


def test_plot_characters_by_role_in_english_on_a_given_axes(role_turns):
    fig, ax = plt.subplots()
    by_role = charts.count_roles(role_turns, documents=pd.DataFrame({"doc_id": ["d2", "d1", "d3"]}))
    assert charts.plot_characters_by_role(by_role, ax=ax, lang="en") is ax
    assert _ytick_labels(ax) == ["d2", "d1", "d3"]
    totals = [sum(w for _, y, _, w in _bars(ax) if y == i) for i in range(3)]
    assert totals == [40, 392, 0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Question", "Answer", "Narration"]


def test_plot_characters_by_role_without_documents(role_turns):
    with pytest.raises(charts.NoDataError):
        charts.plot_characters_by_role(charts.count_roles(role_turns.iloc[0:0]))


def test_count_words(tokens):
    got = charts.count_words(tokens)
    assert list(got.columns) == ["doc_id", "word", "norm", "n"]
    assert got[["doc_id", "word", "n"]].values.tolist() == [["d1", "英伟达", 3], ["d1", "AI", 2], ["d1", "芯片", 2],
                                                            ["d1", "輝達", 1]]


def test_count_words_per_document(tokens):
    d2 = _tokens("d2", [("ai", False, False, "latin"), ("ai", False, False, "latin"), ("Ai", False, False, "latin")])
    got = charts.count_words(pd.concat([tokens, d2], ignore_index=True))
    # each document spells a word its own way: "AI" (once each way, alphabetical) in d1, "ai" in d2
    assert got[got["norm"] == "ai"][["doc_id", "word", "n"]].values.tolist() == [["d1", "AI", 2], ["d2", "ai", 3]]


def test_plot_wordcloud(tokens, no_glyph_warnings):
    path = fonts.wordcloud_font_path()
    for word in charts.count_words(tokens)["word"]:
        assert fonts.missing_glyphs(word, path) == set(), word
    ax = charts.plot_wordcloud(tokens)
    (image,) = ax.images
    pixels = np.asarray(image.get_array())
    assert pixels.shape == (1000, 1600, 3)
    assert (pixels.min(axis=2) < 200).mean() > 0.01  # words were drawn
    again = np.asarray(charts.plot_wordcloud(tokens).images[0].get_array())
    np.testing.assert_array_equal(pixels, again)  # fixed random_state: the same cloud
    _draw_everywhere(ax.figure)


def test_plot_wordcloud_refuses_words_the_font_lacks(tokens):
    odd = pd.concat([tokens, _tokens("d1", [("𠀀字", False, False, "han")])], ignore_index=True)
    with pytest.raises(charts.MissingGlyphError, match="𠀀字.*U\\+20000"):
        charts.plot_wordcloud(odd)


def test_plot_wordcloud_can_drop_words_the_font_lacks(tokens, caplog):
    odd = pd.concat([tokens, _tokens("d1", [("𠀀字", False, False, "han")])], ignore_index=True)
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        ax = charts.plot_wordcloud(odd, on_missing="drop")
    assert len(ax.images) == 1
    assert "𠀀字" in caplog.text


# Every plot function, called on a dict of tables.
ALL_PLOTS = [
    lambda t: charts.plot_topic_frequency(t["topics"]),
    lambda t: charts.plot_topic_grid(t["topics"]),
    lambda t: charts.plot_answer_length(t["exchanges"]),
    lambda t: charts.plot_answer_length_by_topic(t["exchanges"], t["topics"]),
    lambda t: charts.plot_entity_counts(t["mentions"]),
    lambda t: charts.plot_entity_dispersion(t["mentions"], t["turns"]),
    lambda t: charts.plot_wordcloud(t["tokens"]),
    lambda t: charts.plot_code_switching(t["exchanges"]),
]


@pytest.mark.parametrize("plot", ALL_PLOTS)
def test_plots_raise_no_data_on_empty_tables(tables, plot):
    empty = {name: df.iloc[0:0] for name, df in tables.items()}
    with pytest.raises(charts.NoDataError):
        plot(empty)


def test_plots_draw_on_a_given_axes(exchanges):
    fig, (left, right) = plt.subplots(1, 2)
    assert charts.plot_answer_length(exchanges, ax=left) is left
    assert charts.plot_code_switching(exchanges, ax=right) is right
    assert len(fig.axes) == 2


@pytest.mark.parametrize("plot", ALL_PLOTS)
def test_per_interview_plots_refuse_two_documents(tables, plot):
    two = {name: pd.concat([df, df.assign(doc_id="d9")], ignore_index=True) for name, df in tables.items()}
    with pytest.raises(ValueError, match="one interview"):
        plot(two)


# --- the standard set ------------------------------------------------------------------------

STANDARD = ["topic_frequency_by_exchange", "topic_share_of_answer_text", "topics_by_exchange",
            "answer_length_by_exchange", "answer_length_by_topic", "entity_mentions_by_role",
            "entity_mentions_through_interview", "word_cloud", "english_share_by_answer"]


def test_export_standard_charts_every_document(tables, tmp_path, caplog, no_glyph_warnings):
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        paths = report.export_standard_charts(tables, out_dir=tmp_path, formats=("png",))
    d1 = {p.name for p in paths if p.parent.name == "d1"}
    assert d1 == {f"{n}{s}" for n in STANDARD for s in (".png", "@print.png", ".csv")}
    # d2 has no questions, topics or mentions: only its word cloud, the rest skipped with a warning
    assert {p.name for p in paths if p.parent.name == "d2"} == {"word_cloud.png", "word_cloud@print.png", "word_cloud.csv"}
    assert "d2: skipping answer_length_by_exchange" in caplog.text
    assert all(p.parent.parent == tmp_path for p in paths)
    assert plt.get_fignums() == []  # every figure closed
    counts = pd.read_csv(tmp_path / "d1" / "topic_frequency_by_exchange.csv", encoding="utf-8-sig")
    assert counts["n_exchanges"].tolist() == [3, 1, 1]


def test_export_standard_charts_one_document(tables, tmp_path):
    paths = report.export_standard_charts(tables, out_dir=tmp_path, formats=("svg",), doc_id="d1")
    assert {p.parent for p in paths} == {tmp_path}
    assert {p.name for p in paths} == {f"{n}{s}" for n in STANDARD for s in (".svg", ".csv")}


def test_export_standard_charts_missing_tables(documents, turns, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        paths = report.export_standard_charts({"documents": documents, "turns": turns}, out_dir=tmp_path,
                                              formats=("png",), doc_id="d1")
    assert paths == []
    assert "no topics table" in caplog.text


def test_export_standard_charts_skips_tables_missing_columns(tables, tmp_path, caplog):
    tables = {**tables, "exchanges": tables["exchanges"].drop(columns="latin_share")}
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        paths = report.export_standard_charts(tables, out_dir=tmp_path, formats=("png",), doc_id="d1")
    assert "english_share_by_answer.png" not in {p.name for p in paths}
    assert "answer_length_by_exchange.png" in {p.name for p in paths}
    assert "lacks column(s) ['latin_share']" in caplog.text


def test_export_standard_charts_unknown_document(tables, tmp_path):
    with pytest.raises(ValueError, match="no such document"):
        report.export_standard_charts(tables, out_dir=tmp_path, doc_id="nope")


def test_export_leaves_global_style_alone(tables, tmp_path):
    with plt.rc_context(matplotlib.rcParamsDefault):
        before = dict(matplotlib.rcParams)
        report.export_standard_charts(tables, out_dir=tmp_path, formats=("png",), doc_id="d2")
        assert dict(matplotlib.rcParams) == before


# --- one chart: chart_texts and export_chart ------------------------------------------------

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
    assert report.chart_texts(name, documents, doc_id, lang=lang, shown=shown, total=total) == expected


@pytest.mark.parametrize("name, doc_id, lang, message", [
    ("fig3", "d1", "zh", "not a standard chart"),
    ("word_cloud", "nope", "zh", "'nope': no such document; the documents are: d1, d2"),
    ("word_cloud", "d1", "fr", "lang='fr'"),
])
def test_chart_texts_refuses(documents, name, doc_id, lang, message):
    with pytest.raises(ValueError, match=message):
        report.chart_texts(name, documents, doc_id, lang=lang)


def _texts(fig) -> dict[str, str]:
    return {t.get_gid(): t.get_text().replace("\n", "") for t in fig.texts}


def test_export_chart(tables, tmp_path, no_glyph_warnings):
    files = report.export_chart("entity_mentions_by_role", tables, doc_id="d1", out_dir=tmp_path, top=2,
                                formats=("png",))
    assert [p.name for p in files] == ["entity_mentions_by_role.png", "entity_mentions_by_role@print.png",
                                       "entity_mentions_by_role.csv"]
    assert files.reason is None and files.message == f"entity_mentions_by_role for d1: 3 file(s) in {tmp_path}"
    (num,) = plt.get_fignums()  # left open: a notebook shows it
    fig = plt.figure(num)
    title, subtitle, source = report.chart_texts("entity_mentions_by_role", tables["documents"], "d1", shown=2, total=3)
    assert _texts(fig) == {"analysis-title": title, "analysis-subtitle": subtitle, "analysis-source": source}
    assert subtitle.endswith("；只列出前 2 项")
    assert _ytick_labels(fig.axes[0]) == ["DeepSeek", "英伟达"]
    data = pd.read_csv(tmp_path / "entity_mentions_by_role.csv", encoding="utf-8-sig")
    assert data[["doc_id", "entity", "total"]].values.tolist() == [["d1", "DeepSeek", 3], ["d1", "英伟达", 3],
                                                                 ["d1", "黃仁勳", 1]]


def test_export_chart_closes_when_asked(tables, tmp_path):
    report.export_chart("answer_length_by_exchange", tables, doc_id="d1", out_dir=tmp_path, formats=("svg",),
                        close=True)
    assert plt.get_fignums() == []


def test_export_chart_without_data(tables, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        files = report.export_chart("answer_length_by_exchange", tables, doc_id="d2", out_dir=tmp_path)
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
        report.export_chart("word_cloud", tables, out_dir=tmp_path, **kwargs)
    with pytest.raises(ValueError, match="not a standard chart"):
        report.export_chart("fig3", tables, doc_id="d1", out_dir=tmp_path)


def test_export_chart_topic_labels(tables, lexicon_topics, tmp_path, no_glyph_warnings):
    """Chinese charts show the lexicon's label_zh; the CSV keeps the topic id and adds the label."""
    tables = {**tables, "topics": lexicon_topics}
    report.export_chart("topic_frequency_by_exchange", tables, doc_id="d1", out_dir=tmp_path, formats=("png",))
    (num,) = plt.get_fignums()
    assert _ytick_labels(plt.figure(num).axes[0]) == ["开源", "AI 安全", "Someone's own topic"]
    data = pd.read_csv(tmp_path / "topic_frequency_by_exchange.csv", encoding="utf-8-sig")
    assert data[["doc_id", "topic", "topic_label", "n_exchanges"]].values.tolist() == [
        ["d1", "Open source", "开源", 3], ["d1", "AI safety", "AI 安全", 1],
        ["d1", "Someone's own topic", "Someone's own topic", 1]]
    # A lexicon of one's own, as CSV with a label_zh column, labels its topics.
    own = tmp_path / "mine.csv"
    own.write_text("topic,keyword,label_zh\nSomeone's own topic,芯片,自己的话题\n", encoding="utf-8")
    report.export_chart("answer_length_by_topic", tables, doc_id="d1", out_dir=tmp_path, formats=("png",),
                        lexicon=own, close=True)
    data = pd.read_csv(tmp_path / "answer_length_by_topic.csv", encoding="utf-8-sig")
    assert dict(zip(data["topic"], data["topic_label"])) == {
        "Open source": "Open source", "AI safety": "AI safety", "Someone's own topic": "自己的话题"}


# --- one chart of every document: doc_id=None -----------------------------------------------

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
    assert report.chart_texts("characters_by_role_per_document", documents, None, lang=lang, shared=shared) == expected


def test_chart_texts_one_document_loaded(documents):
    one = documents.iloc[:1]
    _, subtitle, source = report.chart_texts("characters_by_role_per_document", one, None, lang="en", shared=0)
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
        report.chart_texts(name, documents, doc_id, **kwargs)


def test_export_chart_every_document(tables, tmp_path, no_glyph_warnings):
    turns = tables["turns"]
    tables = {**tables, "turns": turns.assign(n_chars=turns["end"] - turns["start"])}
    files = report.export_chart("characters_by_role_per_document", tables, doc_id=None, out_dir=tmp_path,
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
    title, subtitle, source = report.chart_texts("characters_by_role_per_document", tables["documents"], None,
                                                 shared=2)
    assert _texts(fig) == {"analysis-title": title, "analysis-subtitle": subtitle, "analysis-source": source}
    assert "全部 2 份文本" in subtitle and "其中 2 个问题" in subtitle
    assert _ytick_labels(fig.axes[0]) == ["d1", "d2"]
    assert [w for *_, w in _bars(fig.axes[0])] == [50, 0, 240, 0, 10, 35]


def test_export_chart_every_document_without_turns(tables, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        files = report.export_chart("characters_by_role_per_document", tables, doc_id=None, out_dir=tmp_path)
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
        report.export_chart(name, tables, out_dir=tmp_path, **kwargs)
    assert list(tmp_path.iterdir()) == [] and plt.get_fignums() == []

def test_export_standard_charts_goes_through_export_chart(tables, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(report, "export_chart", lambda name, t, **kw: calls.append((name, kw["doc_id"], kw["lang"])) or [])
    assert report.export_standard_charts(tables, out_dir=tmp_path) == []
    # d1's text is Chinese, d2's English
    assert calls == [(n, d, lang) for d, lang in (("d1", "zh"), ("d2", "en")) for n in STANDARD]
    assert list(report.TITLES) == STANDARD


def test_export_standard_charts_texts_match_chart_texts(tables, tmp_path, monkeypatch):
    """Every chart of the set gets chart_texts' title, subtitle and source, and a CSV naming its document."""
    finished = []
    finish = charts.finish
    monkeypatch.setattr(report, "finish", lambda fig, *texts: finished.append(texts) or finish(fig, *texts))
    report.export_standard_charts(tables, out_dir=tmp_path, formats=("svg",), doc_id="d1")
    # d1 has fewer topics, names and words than any default top: nothing left out, no note
    assert finished == [report.chart_texts(name, tables["documents"], "d1", lang="zh") for name in STANDARD]
    for name in STANDARD:
        csv = pd.read_csv(tmp_path / f"{name}.csv", encoding="utf-8-sig")
        assert set(csv["doc_id"]) == {"d1"}, f"{name}.csv does not name its document"


def test_export_chart_every_document_draws_the_longest(tables, tmp_path, no_glyph_warnings):
    """A corpus too big for a bar each: the ``top`` longest are drawn, in table order, the CSV keeps all."""
    turns = tables["turns"]
    tables = {**tables, "turns": turns.assign(n_chars=turns["end"] - turns["start"])}
    files = report.export_chart("characters_by_role_per_document", tables, doc_id=None, out_dir=tmp_path,
                                formats=("png",), top=1, close=False)
    data = pd.read_csv(files[-1], encoding="utf-8-sig")
    assert data["doc_id"].tolist() == ["d1", "d2"]
    fig = plt.figure(plt.get_fignums()[-1])
    assert _ytick_labels(fig.axes[0]) == ["d1"]  # 300 characters against d2's 35
    assert _texts(fig)["analysis-subtitle"].endswith("；只列出字数最多的 1 份")
    assert report.chart_texts("characters_by_role_per_document", tables["documents"], None, lang="en",
                              shown=1, total=2)[1].endswith("; the 1 longest shown")
