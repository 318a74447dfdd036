"""analysis.charts.plots_entities: entity counts and the dispersion plot."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")


from analysis import charts  # noqa: E402
from .chart_helpers import draw_everywhere, bar_widths, ytick_labels  # noqa: E402


def test_plot_entity_counts(mentions, no_glyph_warnings):
    ax = charts.plot_entity_counts(mentions, top=2)
    assert ytick_labels(ax) == ["DeepSeek", "英伟达"]
    assert bar_widths(ax, charts.BLUE) == [2, 2]  # answers
    assert bar_widths(ax, charts.ORANGE) == [1, 1]  # questions, stacked after the answers
    assert [p.get_x() for p in ax.patches if matplotlib.colors.to_hex(p.get_facecolor()) == charts.ORANGE.lower()] == [2, 2]
    assert [t.get_text().strip() for t in ax.texts] == ["3", "3"]
    draw_everywhere(ax.figure)


def test_plot_entity_dispersion(mentions, turns, no_glyph_warnings):
    ax = charts.plot_entity_dispersion(mentions, turns)
    assert ytick_labels(ax) == ["DeepSeek (3)", "英伟达 (3)", "黃仁勳 (1)"]
    marks = {line.get_label(): sorted(zip(line.get_xdata(), line.get_ydata())) for line in ax.lines}
    assert marks == {
        "In a question": [(12.0, 1), (105.0, 0)],
        "In an answer": [(40.0, 1), (130.0, 1), (150.0, 0), (160.0, 0)],
        "Narration": [(2.0, 2)],
    }
    (starts,) = [c for c in ax.collections if c.get_gid() == "exchange-starts"]
    assert [seg[0][0] for seg in starts.get_segments()] == [10, 100, 200]
    assert ax.get_xlim() == (0, 300)
    draw_everywhere(ax.figure)


def test_plot_entity_dispersion_chosen_entities(mentions, turns):
    ax = charts.plot_entity_dispersion(mentions, turns, entities=["黃仁勳", "英伟达"])
    assert ytick_labels(ax) == ["黃仁勳 (1)", "英伟达 (3)"]
    assert sum(len(line.get_xdata()) for line in ax.lines) == 4


def test_plot_entity_counts_with_remarks(remark_mentions, no_glyph_warnings):
    ax = charts.plot_entity_counts(remark_mentions, top=2)
    assert ytick_labels(ax) == ["英伟达", "DeepSeek"]
    assert bar_widths(ax, charts.BLUE) == [2, 2]
    assert bar_widths(ax, charts.ORANGE) == [1, 1]
    assert bar_widths(ax, charts.GREEN) == [1, 0]  # the remark, after answers and questions
    assert [t.get_text().strip() for t in ax.texts] == ["4", "3"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["In an answer", "In a question", "In a remark"]
    draw_everywhere(ax.figure)


def test_plot_entity_dispersion_with_remarks(remark_mentions, turns, no_glyph_warnings):
    ax = charts.plot_entity_dispersion(remark_mentions, turns, lang="zh")
    marks = {line.get_label(): sorted(zip(line.get_xdata(), line.get_ydata())) for line in ax.lines}
    assert marks["其他发言中"] == [(250.0, 0)]
    assert [line.get_color() for line in ax.lines if line.get_label() == "其他发言中"] == [charts.GREEN]
    assert set(marks) == {"提问中", "回答中", "其他发言中", "旁白"}
    draw_everywhere(ax.figure)
