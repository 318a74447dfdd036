"""analysis.charts.plots_lengths: answer length, answer length by topic, characters per role."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import charts  # noqa: E402
from .chart_helpers import draw_everywhere, bar_widths, ytick_labels, bars_of  # noqa: E402


def test_plot_answer_length(exchanges, no_glyph_warnings):
    ax = charts.plot_answer_length(exchanges, label_chars=8)
    assert bar_widths(ax, charts.BLUE) == [400, 150, 50]
    assert bar_widths(ax, charts.ORANGE) == [25, 12, 6]
    assert ytick_labels(ax) == ["1. 有人说，大模型的…", "2. 你使用DeepS…", "3. 台灣市場呢？"]
    draw_everywhere(ax.figure)


def test_plot_answer_length_keeps_dollar_signs_literal():
    ex = pd.DataFrame({"doc_id": ["d"], "exchange_id": [0], "question": ["营收从 $10B 到 $20B？"],
                       "question_chars": [12], "answer_chars": [30]})
    ax = charts.plot_answer_length(ex, label_chars=30)
    ax.figure.canvas.draw()  # a pair of $ would be parsed as (broken) mathtext
    assert ytick_labels(ax) == [r"1. 营收从 \$10B 到 \$20B？"]


def test_plot_answer_length_by_topic(exchanges, topics, no_glyph_warnings):
    ax = charts.plot_answer_length_by_topic(exchanges, topics)
    dots, medians = ax.collections
    assert sorted(dots.get_offsets()[:, 0].tolist()) == [50, 50, 150, 400, 400]  # one dot per (exchange, topic)
    assert medians.get_offsets()[:, 0].tolist() == [400, 150, 50]  # AI 安全, 开源, 芯片
    assert ytick_labels(ax) == ["AI 安全 (1)", "开源 (3)", "芯片 (1)"]
    draw_everywhere(ax.figure)


def test_plot_characters_by_role(role_turns, no_glyph_warnings):
    by_role = charts.count_roles(role_turns)
    ax = charts.plot_characters_by_role(by_role)
    q, a, n = (matplotlib.colors.to_hex(charts.ROLE_COLORS[r]) for r in ("question", "answer", "narration"))
    # stacked per document, question then answer then narration; d1 on top (y=0)
    assert bars_of(ax) == [(q, 0, 0, 35), (q, 1, 0, 0), (a, 0, 35, 345), (a, 1, 0, 0),
                         (n, 0, 380, 12), (n, 1, 0, 40)]
    assert ytick_labels(ax) == ["d1", "d2"]
    assert ax.get_ylim() == (1.5, -0.5)
    assert [t.get_text() for t in ax.texts] == [" 392", " 40"]  # each document's total, never their sum
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["提问", "回答", "旁白"]
    assert ax.get_xlabel() == "字数（不含空白）"
    draw_everywhere(ax.figure)
    legend = ax.get_legend().get_window_extent()
    assert legend.y0 >= ax.get_window_extent().y1 - 1  # above the bars


def test_plot_characters_by_role_in_english_on_a_given_axes(role_turns):
    fig, ax = plt.subplots()
    by_role = charts.count_roles(role_turns, documents=pd.DataFrame({"doc_id": ["d2", "d1", "d3"]}))
    assert charts.plot_characters_by_role(by_role, ax=ax, lang="en") is ax
    assert ytick_labels(ax) == ["d2", "d1", "d3"]
    totals = [sum(w for _, y, _, w in bars_of(ax) if y == i) for i in range(3)]
    assert totals == [40, 392, 0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Question", "Answer", "Narration"]


def test_plot_characters_by_role_without_documents(role_turns):
    with pytest.raises(charts.NoDataError):
        charts.plot_characters_by_role(charts.count_roles(role_turns.iloc[0:0]))


def test_plot_characters_by_role_with_remarks(remark_turns, no_glyph_warnings):
    ax = charts.plot_characters_by_role(charts.count_roles(remark_turns))
    q, a, r, n = (matplotlib.colors.to_hex(charts.ROLE_COLORS[role])
                  for role in ("question", "answer", "remark", "narration"))
    assert r == charts.GREEN.lower()
    assert bars_of(ax) == [(q, 0, 0, 35), (q, 1, 0, 0), (a, 0, 35, 345), (a, 1, 0, 0),
                           (r, 0, 380, 8), (r, 1, 0, 0), (n, 0, 388, 12), (n, 1, 0, 40)]
    assert [t.get_text() for t in ax.texts] == [" 400", " 40"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["提问", "回答", "其他发言", "旁白"]
    draw_everywhere(ax.figure)
    rows = {round(t.get_window_extent().y0) for t in ax.get_legend().get_texts()}
    assert len(rows) == 1  # four entries, still one row above the bars
