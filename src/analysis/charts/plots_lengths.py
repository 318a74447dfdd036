"""Length charts: each question and its answer, answer length by topic, characters per role and document.

In: the ``exchanges`` table (question_chars, answer_chars), ``topics`` for
lengths by topic, and ``count_roles``' table for characters per role.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from analysis.charts.axes import exchange_labels, hbar_frame, legend_above, new_axes, rows_height, stacked_bars
from analysis.charts.data import (
    ROLES,
    NoDataError,
    exchanges_in_order,
    one_document,
    require_columns,
    role_columns,
)
from analysis.charts.style import BLUE, INK, ORANGE, ROLE_COLORS, VALUE_SIZE, chart_labels, plain_text, show_topic, topic_names

__all__ = ["plot_answer_length", "plot_answer_length_by_topic", "plot_characters_by_role"]


def plot_answer_length(exchanges: pd.DataFrame, *, label_chars: int = 12, ax: Axes | None = None,
                       lang: str = "en") -> Axes:
    """Question and answer length per exchange, in interview order (first on top).

    Two bars per exchange: the question (orange) above its answer (blue), both
    in characters excluding whitespace (``question_chars``, ``answer_chars``).
    Each row is labelled with the exchange number and the question's first
    ``label_chars`` characters.
    """
    ex = exchanges_in_order(exchanges, ["question", "question_chars", "answer_chars"])
    n = len(ex)
    ax = new_axes(ax, rows_height(n, 0.42))
    y = np.arange(n)
    L = chart_labels(lang)
    ax.barh(y - 0.2, ex["question_chars"].fillna(0).astype(float), height=0.38, color=ORANGE, label=L["question"])
    answers = ax.barh(y + 0.2, ex["answer_chars"].fillna(0).astype(float), height=0.38, color=BLUE, label=L["answer"])
    ax.bar_label(answers, fmt="%d", padding=3, fontsize=VALUE_SIZE, color=INK)
    ax.set_yticks(y, labels=exchange_labels(ex, label_chars))
    hbar_frame(ax, n)
    ax.set_xlabel(L["characters"])
    ax.margins(x=0.08)
    legend_above(ax, ncol=2)
    return ax


def plot_answer_length_by_topic(exchanges: pd.DataFrame, topics: pd.DataFrame, *, ax: Axes | None = None,
                                lang: str = "en", labels: Mapping[str, str] | None = None) -> Axes:
    """Answer length by topic: one dot per exchange touching the topic, a bar at the median.

    An exchange touching several topics appears once under each. Topics are
    ordered by median answer length, longest first; labels carry the count.
    ``labels``: as in ``plot_topic_frequency``.
    """
    require_columns(exchanges, ["doc_id", "exchange_id", "answer_chars"], "exchanges")
    require_columns(topics, ["doc_id", "exchange_id", "topic"], "topics")
    keys = ["doc_id", "exchange_id"]
    pairs = topics.dropna(subset=["exchange_id", "topic"])[[*keys, "topic"]].drop_duplicates()
    data = pairs.merge(exchanges[[*keys, "answer_chars"]].dropna(subset=["exchange_id"]), on=keys)
    data = data.dropna(subset=["answer_chars"])
    if data.empty:
        raise NoDataError("no exchanges with topics to plot")
    one_document(data, "topics")
    names = topic_names(labels, lang)
    data = data.assign(topic=data["topic"].astype(str), answer_chars=data["answer_chars"].astype(float))
    stats = data.groupby("topic")["answer_chars"].agg(["median", "size"]).reset_index()
    stats = stats.sort_values(["median", "topic"], ascending=[False, True], ignore_index=True)
    row = {t: i for i, t in enumerate(stats["topic"])}
    ax = new_axes(ax, rows_height(len(stats), 0.4))
    rng = np.random.default_rng(0)  # fixed jitter: the same chart every run
    y = data["topic"].map(row).to_numpy() + rng.uniform(-0.18, 0.18, len(data))
    ax.scatter(data["answer_chars"], y, s=36, color=BLUE, alpha=0.7, linewidths=0, zorder=3)
    ax.scatter(stats["median"], np.arange(len(stats)), marker="|", s=420, linewidths=2.2, color=INK, zorder=4)
    ax.set_yticks(np.arange(len(stats)),
                  labels=[f"{show_topic(t, names)} ({n})" for t, n in zip(stats["topic"], stats["size"])])
    hbar_frame(ax, len(stats))
    ax.set_xlim(left=0)
    ax.set_xlabel(chart_labels(lang)["answer_length"])
    return ax


def plot_characters_by_role(by_role: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """One stacked horizontal bar per document: characters of questions, answers and narration.

    In: ``count_roles``' table (doc_id, question, answer, [remark,] narration),
    drawn in its row order, first on top; each document is its own bar,
    nothing is added up across documents. Questions orange, answers blue,
    remarks (when the table has them) green, narration grey, the total at the
    end of each bar, the legend above.
    """
    require_columns(by_role, ["doc_id", *ROLES], "by_role")
    if by_role.empty:
        raise NoDataError("no documents to plot")
    n = len(by_role)
    ax = new_axes(ax, rows_height(n, 0.5))
    L = chart_labels(lang)
    parts = [(by_role[role].fillna(0).to_numpy(dtype=float), ROLE_COLORS[role], L[role])
             for role in role_columns(by_role.columns)]
    stacked_bars(ax, parts, height=0.55, total_format="{:,}")
    ax.set_yticks(np.arange(n), labels=[plain_text(d) for d in by_role["doc_id"]])
    hbar_frame(ax, n)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel(L["characters"])
    ax.margins(x=0.1)
    legend_above(ax)
    return ax
