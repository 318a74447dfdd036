"""analysis.charts.plots_words: the word cloud and code switching."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import logging  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import charts  # noqa: E402
from analysis.charts import fonts  # noqa: E402
from .chart_helpers import token_rows, draw_everywhere, bar_widths, ytick_labels  # noqa: E402


def test_plot_code_switching(exchanges, no_glyph_warnings):
    ax = charts.plot_code_switching(exchanges)
    assert bar_widths(ax) == [10.0, 25.0]  # the third answer has no words: no bar
    assert ytick_labels(ax) == ["1. 有人说，大模型的 sca…", "2. 你使用DeepSeek吗…"]
    assert ax.lines[0].get_xdata()[0] == pytest.approx(17.5)  # mean over answers
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Average 18%"]
    draw_everywhere(ax.figure)


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


@pytest.mark.slow
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
    draw_everywhere(ax.figure)


def test_plot_wordcloud_refuses_words_the_font_lacks(tokens):
    odd = pd.concat([tokens, token_rows("d1", [("𠀀字", False, False, "han")])], ignore_index=True)
    with pytest.raises(charts.MissingGlyphError, match="𠀀字.*U\\+20000"):
        charts.plot_wordcloud(odd)


def test_plot_wordcloud_can_drop_words_the_font_lacks(tokens, caplog):
    odd = pd.concat([tokens, token_rows("d1", [("𠀀字", False, False, "han")])], ignore_index=True)
    with caplog.at_level(logging.WARNING, logger="analysis.charts"):
        ax = charts.plot_wordcloud(odd, on_missing="drop")
    assert len(ax.images) == 1
    assert "𠀀字" in caplog.text
