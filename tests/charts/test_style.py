"""analysis.charts.style: finish (title, subtitle, source, layout), wrapping, the source line."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import charts  # noqa: E402
from analysis.charts import style  # noqa: E402
from .chart_helpers import TRADITIONAL  # noqa: E402


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
        lines = style.wrap_text(text, width, fig, fontsize=charts.SUBTITLE_SIZE).split("\n")
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


@pytest.mark.parametrize("role", ["question", "answer", "remark", "narration"])
def test_every_role_has_a_colour_and_labels(role):
    assert role in charts.ROLE_COLORS
    assert charts.LABELS["en"][role] and charts.LABELS["zh"][role]
    assert set(charts.LABELS["en"]) == set(charts.LABELS["zh"])


def test_remark_labels():
    assert charts.LABELS["zh"]["remark"] == "其他发言" and charts.LABELS["en"]["remark"] == "Remark"
    assert charts.LABELS["zh"]["in_remark"] == "其他发言中" and charts.LABELS["en"]["in_remark"] == "In a remark"
    assert charts.missing_glyphs("".join(charts.LABELS["zh"].values())) == set()
