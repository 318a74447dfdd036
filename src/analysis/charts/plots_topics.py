"""Topic charts of one interview: how many exchanges touch each topic (or how much answer text), and where they come up.

In: the ``topics`` table (doc_id, exchange_id, topic, hits_question,
hits_answer), and ``exchanges`` for answer shares. Topic names on the axis are
the lexicon's labels in ``lang`` (or ``labels``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from analysis.charts.axes import hbar_frame, legend_above, new_axes, rows_height
from analysis.charts.data import NoDataError, count_topics, one_document, require_columns
from analysis.charts.style import BLUE, INK, ORANGE, VALUE_SIZE, chart_labels, show_topic, topic_names

__all__ = ["plot_topic_frequency", "plot_topic_grid"]


def plot_topic_frequency(topics: pd.DataFrame, exchanges: pd.DataFrame | None = None, *,
                         by: str = "exchanges", top: int | None = None, ax: Axes | None = None,
                         lang: str = "en", labels: Mapping[str, str] | None = None) -> Axes:
    """Horizontal bars, largest first: topics of one interview by number of exchanges or by share of answer text.

    ``by="exchanges"``: exchanges (question plus its answers) touching each topic.
    ``by="answer_share"``: answer characters of those exchanges over all answer
    characters (needs ``exchanges``). Values come from ``count_topics``.
    ``labels``: topic -> text on the axis; default ``topics.topicchart_labels(lang)``
    of the shipped lexicon (Chinese labels with ``lang="zh"``; a topic without
    one shows its name).
    """
    if by not in ("exchanges", "answer_share"):
        raise ValueError(f"by={by!r}: choose 'exchanges' or 'answer_share'")
    if by == "answer_share" and exchanges is None:
        raise ValueError("by='answer_share' needs the exchanges table (answer_chars)")
    counts = count_topics(topics, exchanges)
    if counts.empty:
        raise NoDataError("no topics to plot")
    one_document(counts, "topics")
    names = topic_names(labels, lang)
    column = "n_exchanges" if by == "exchanges" else "answer_share"
    counts = counts.sort_values([column, "topic"], ascending=[False, True], ignore_index=True)
    if top:
        counts = counts.head(top)
    values = counts[column].astype(float).to_numpy()
    if np.isnan(values).all():
        raise NoDataError("no answer text to share out (exchanges has no answer_chars)")
    if by == "answer_share":
        values = values * 100
    ax = new_axes(ax, rows_height(len(counts)))
    bars = ax.barh(np.arange(len(counts)), values, height=0.66, color=BLUE)
    ax.set_yticks(np.arange(len(counts)), labels=[show_topic(t, names) for t in counts["topic"]])
    hbar_frame(ax, len(counts))
    L = chart_labels(lang)
    if by == "exchanges":
        ax.bar_label(bars, fmt="%d", padding=3, fontsize=VALUE_SIZE, color=INK)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(L["exchanges"])
    else:
        ax.bar_label(bars, labels=[f"{v:.0f}%" for v in values], padding=3, fontsize=VALUE_SIZE, color=INK)
        ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
        ax.set_xlabel(L["answer_share"])
    ax.margins(x=0.08)
    return ax


def plot_topic_grid(topics: pd.DataFrame, *, exchanges: pd.DataFrame | None = None, ax: Axes | None = None,
                    lang: str = "en", labels: Mapping[str, str] | None = None) -> Axes:
    """Topics across one interview: a cell per exchange and topic, shaded where the topic comes up.

    Blue: the answer touches the topic; orange: only the question does; grey:
    neither. Topics are ordered by first appearance, so the grid reads as the
    interview's running order. ``exchanges`` (optional) sets the number of
    columns so exchanges without any topic still show. ``labels``: as in
    ``plot_topic_frequency``.
    """
    require_columns(topics, ["doc_id", "exchange_id", "topic", "hits_question", "hits_answer"], "topics")
    t = topics.dropna(subset=["exchange_id", "topic"])
    if t.empty:
        raise NoDataError("no topics to plot")
    one_document(t, "topics")
    names = topic_names(labels, lang)
    t = t.assign(exchange_id=t["exchange_id"].astype("int64"), topic=t["topic"].astype(str))
    order = t.groupby("topic")["exchange_id"].min().sort_values(kind="stable")
    order = order.reset_index().sort_values(["exchange_id", "topic"])["topic"].tolist()
    n_ex = int(t["exchange_id"].max()) + 1
    known = exchanges["exchange_id"].dropna() if exchanges is not None else ()
    if len(known):
        n_ex = max(n_ex, int(known.max()) + 1)
    grid = np.zeros((len(order), n_ex))
    per = t.groupby(["topic", "exchange_id"])[["hits_question", "hits_answer"]].sum()
    row = {topic: i for i, topic in enumerate(order)}
    for (topic, ex), hits in per.iterrows():
        grid[row[topic], ex] = 2 if hits["hits_answer"] > 0 else (1 if hits["hits_question"] > 0 else 0)
    ax = new_axes(ax, rows_height(len(order), 0.36, 2.4))
    cmap = ListedColormap(["#eeeeee", ORANGE, BLUE])
    ax.pcolormesh(np.arange(n_ex + 1) - 0.5, np.arange(len(order) + 1) - 0.5, grid, cmap=cmap, vmin=0, vmax=2,
                  edgecolors="white", linewidth=1.5)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_yticks(np.arange(len(order)), labels=[show_topic(o, names) for o in order])
    step = max(1, int(np.ceil(n_ex / 30)))
    ax.set_xticks(np.arange(0, n_ex, step), labels=[str(i + 1) for i in range(0, n_ex, step)])
    ax.set_xlabel(chart_labels(lang)["exchange"])
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    L = chart_labels(lang)
    legend_above(ax, [Patch(color=BLUE), Patch(color=ORANGE)], [L["topic_in_answer"], L["topic_question_only"]])
    return ax
