"""analysis.charts.plots_topics: topic frequency and the topic grid."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from analysis import charts  # noqa: E402
from .chart_helpers import draw_everywhere, bar_widths, ytick_labels  # noqa: E402


def test_plot_topic_frequency_by_exchanges(topics, no_glyph_warnings):
    ax = charts.plot_topic_frequency(topics)
    assert bar_widths(ax) == [3, 1, 1]
    assert ytick_labels(ax) == ["开源", "AI 安全", "芯片"]
    draw_everywhere(ax.figure)


def test_plot_topic_frequency_by_answer_share(topics, exchanges):
    ax = charts.plot_topic_frequency(topics, exchanges, by="answer_share", lang="zh")
    assert bar_widths(ax) == [100.0, round(400 / 6, 6), round(50 / 6, 6)]
    assert [t.get_text() for t in ax.texts] == ["100%", "67%", "8%"]
    assert ax.get_xlabel() == "占全部回答字数的比例"


def test_topic_plots_show_chinese_labels(lexicon_topics, exchanges, no_glyph_warnings):
    zh = charts.plot_topic_frequency(lexicon_topics, lang="zh")
    assert ytick_labels(zh) == ["开源", "AI 安全", "Someone's own topic"]
    grid = charts.plot_topic_grid(lexicon_topics, exchanges=exchanges, lang="zh")
    assert ytick_labels(grid) == ["AI 安全", "开源", "Someone's own topic"]
    by_topic = charts.plot_answer_length_by_topic(exchanges, lexicon_topics, lang="zh")
    assert ytick_labels(by_topic) == ["AI 安全 (1)", "开源 (3)", "Someone's own topic (1)"]
    en = charts.plot_topic_frequency(lexicon_topics, lang="en")
    assert ytick_labels(en) == ["Open source", "AI safety", "Someone's own topic"]
    own = charts.plot_topic_frequency(lexicon_topics, lang="zh", labels={"Someone's own topic": "自定义"})
    assert ytick_labels(own) == ["Open source", "AI safety", "自定义"]  # labels given: only those
    for ax in (zh, grid, by_topic, own):
        draw_everywhere(ax.figure)


def test_plot_topic_frequency_needs_exchanges_for_share(topics):
    with pytest.raises(ValueError, match="exchanges"):
        charts.plot_topic_frequency(topics, by="answer_share")


def test_plot_topic_grid(topics, exchanges, no_glyph_warnings):
    ax = charts.plot_topic_grid(topics, exchanges=exchanges)
    (mesh,) = ax.collections
    grid = np.asarray(mesh.get_array()).reshape(3, 3)
    # rows by first appearance (AI 安全 and 开源 both start in exchange 0), columns = exchanges
    assert ytick_labels(ax) == ["AI 安全", "开源", "芯片"]
    np.testing.assert_array_equal(grid, [[2, 0, 0], [2, 1, 2], [0, 0, 1]])
    assert (grid > 0).sum() == len(topics)
    draw_everywhere(ax.figure)
