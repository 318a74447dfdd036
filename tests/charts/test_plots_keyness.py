"""analysis.charts.plots_keyness: diverging bars, the top words of each side, Chinese drawn without boxes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import charts  # noqa: E402
from analysis.charts.plots_keyness import PALE_ALPHA, keyness_rows, plot_keyness  # noqa: E402
from analysis.keyness import score_keyness  # noqa: E402
from .chart_helpers import SIMPLIFIED, TRADITIONAL, bars_of, draw_everywhere  # noqa: E402


@pytest.fixture
def keyness() -> pd.DataFrame:
    counts = pd.DataFrame({"term": ["芯片", "輝達", "市场", "ai", "中国", "的话"],
                           "n_target": [40, 12, 5, 30, 2, 20], "n_reference": [2, 1, 30, 28, 25, 21]})
    return score_keyness(counts)


def test_rows_are_the_top_of_each_side(keyness) -> None:
    rows = keyness_rows(keyness, 2)
    assert rows["term"].tolist() == ["芯片", "輝達", "市场", "中国"]  # highest G2 first, most negative last
    assert rows["G2"].iloc[0] > rows["G2"].iloc[1] > 0 > rows["G2"].iloc[2] > rows["G2"].iloc[3]
    assert keyness_rows(keyness, 10, p_max=0.05)["term"].tolist() == ["芯片", "輝達", "市场", "中国"]


def test_plot_keyness(keyness, no_glyph_warnings) -> None:
    ax = plot_keyness(keyness, top=2, target="回答", reference="提问", lang="zh")
    bars = bars_of(ax)
    assert [c for c, *_ in bars] == ["#0072b2", "#0072b2", "#e69f00", "#e69f00"]
    assert [round(w, 6) for *_, w in bars] == [round(g, 6) for g in keyness_rows(keyness, 2)["G2"]]
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["芯片 (40:2)", "輝達 (12:1)", "市场 (5:30)", "中国 (2:25)"]
    assert [t.get_ha() for t in ax.texts] == ["left", "left", "right", "right"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["回答", "提问"]
    assert "回答用得多" in ax.get_xlabel()
    charts.finish(ax.figure, f"{SIMPLIFIED}：{TRADITIONAL}", "副标题", "张小珺")
    draw_everywhere(ax.figure)


def test_insignificant_words_are_pale(keyness, no_glyph_warnings) -> None:
    ax = plot_keyness(keyness, top=3, lang="en")
    rows = keyness_rows(keyness, 3)
    alphas = [b.get_alpha() for b in ax.patches]
    assert alphas == [PALE_ALPHA if p >= 0.05 else 1.0 for p in rows["p"]]
    assert PALE_ALPHA in alphas
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["target", "reference", "paler: p ≥ 0.05"]


def test_nothing_to_draw(keyness) -> None:
    with pytest.raises(charts.NoDataError, match="no word sets either group apart"):
        plot_keyness(keyness.iloc[0:0])
