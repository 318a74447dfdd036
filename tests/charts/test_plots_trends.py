"""analysis.charts.plots_trends: one line per series, gaps where no document, documents per period in the labels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import charts  # noqa: E402
from analysis.charts.plots_trends import plot_over_time  # noqa: E402
from .chart_helpers import SIMPLIFIED, TRADITIONAL, draw_everywhere  # noqa: E402


@pytest.fixture
def over_time() -> pd.DataFrame:
    periods = ["2024-01", "2024-02", "2024-03", "2024-04"]
    rows = [(p, s, n, d, r) for s, ns in (("英伟达", [4, 0, None, 1]), ("輝達", [1, 3, None, 1]))
            for p, n, d, r in zip(periods, ns, [2, 1, 0, 1], [547.9, 0.0, None, 434.8])]
    df = pd.DataFrame(rows, columns=["period", "series", "n", "n_documents", "per_10k"])
    df.attrs["per"] = "chars"
    return df


def test_plot_over_time(over_time, no_glyph_warnings) -> None:
    ax = plot_over_time(over_time, lang="zh")
    assert [line.get_label() for line in ax.lines] == ["英伟达", "輝達"]
    y = ax.lines[0].get_ydata()
    assert y[:2].tolist() == [547.9, 0.0] and np.isnan(y[2])  # March: a gap, not a zero
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024-01\n2 篇", "2024-02\n1 篇", "2024-03\n0 篇", "2024-04\n1 篇"]
    assert ax.get_ylabel() == "每万字回答中的次数"
    assert len(ax.patches) == 1  # the period without documents is shaded
    charts.finish(ax.figure, f"{SIMPLIFIED}：{TRADITIONAL}", "副标题", "张小珺")
    draw_everywhere(ax.figure)


def test_labels_and_words(over_time) -> None:
    ax = plot_over_time(over_time, lang="en", per="words", labels={"輝達": "Nvidia (traditional)"})
    assert [line.get_label() for line in ax.lines] == ["英伟达", "Nvidia (traditional)"]
    assert ax.get_ylabel() == "Per 10,000 words of answers"
    assert ax.get_xticklabels()[0].get_text() == "2024-01\n2 doc."


def test_many_periods_thin_the_labels() -> None:
    periods = [str(p) for p in pd.period_range("2020-01", periods=60, freq="M")]
    df = pd.DataFrame({"period": periods, "series": "x", "n_documents": 1, "per_10k": 1.0})
    ax = plot_over_time(df)
    assert len(ax.get_xticks()) == 20  # every third of 60 periods


def test_nothing_dated(over_time) -> None:
    with pytest.raises(charts.NoDataError, match="no dated document"):
        plot_over_time(over_time.assign(per_10k=np.nan))
