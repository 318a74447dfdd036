"""Every plot function: no data, a given axes, one interview only."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import charts  # noqa: E402


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
