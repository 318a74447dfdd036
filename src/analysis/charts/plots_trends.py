"""Over-time chart: how often each name, topic or word came up per period, per 10,000 characters of answers.

In: the table of ``analysis.trends.count_over_time`` (period, series, n,
n_documents, per_10k). Periods without documents are gaps in the lines, and
every period's label says how many documents it holds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from analysis.charts.axes import legend_above, new_axes
from analysis.charts.data import NoDataError, require_columns
from analysis.charts.style import GREY, VALUE_SIZE, WORD_COLORS, chart_labels, plain_text

__all__ = ["plot_over_time"]

_TEXTS = {
    "en": {"chars": "Per 10,000 characters of answers", "words": "Per 10,000 words of answers",
           "docs": "{n} doc.", "period": "Period (documents in it below)"},
    "zh": {"chars": "每万字回答中的次数", "words": "每万词回答中的次数", "docs": "{n} 篇", "period": "时期（下方为该时期的文稿数）"},
}
MAX_LABELS = 24  # period labels drawn; more periods get every k-th label


def plot_over_time(over_time: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en", per: str | None = None,
                   labels: dict[str, str] | None = None) -> Axes:
    """One line per series over the periods, markers where there are documents, gaps where there are none.

    ``per``: the rate's base for the axis label ("chars" or "words"; default
    ``over_time.attrs["per"]``, else "chars"). ``labels``: series -> the text
    shown in the legend (a topic's Chinese label, say).
    """
    chart_labels(lang)
    require_columns(over_time, ["period", "series", "n_documents", "per_10k"], "over_time")
    if over_time.empty or over_time["per_10k"].notna().sum() == 0:
        raise NoDataError("no dated document to chart over time")
    texts = _TEXTS[lang]
    per = per or over_time.attrs.get("per", "chars")
    periods = list(dict.fromkeys(over_time["period"]))
    x = {p: i for i, p in enumerate(periods)}
    ax = new_axes(ax)
    for i, (series, rows) in enumerate(over_time.groupby("series", sort=False)):
        xs = rows["period"].map(x).to_numpy(dtype=float)
        ys = rows["per_10k"].to_numpy(dtype=float)  # NaN where no document: matplotlib breaks the line there
        color = WORD_COLORS[i % len(WORD_COLORS)]
        name = (labels or {}).get(series, series)
        ax.plot(xs, ys, color=color, linewidth=2, marker="o", markersize=4.5, label=plain_text(name))
    docs = over_time.drop_duplicates("period").set_index("period")["n_documents"].reindex(periods)
    step = max(1, int(np.ceil(len(periods) / MAX_LABELS)))
    ticks = list(range(0, len(periods), step))
    ax.set_xticks(ticks, labels=[f"{periods[i]}\n{texts['docs'].format(n=int(docs.iloc[i]))}" for i in ticks],
                  fontsize=VALUE_SIZE)
    for i, n in enumerate(docs):
        if n == 0:  # a period without documents: shaded, so the gap reads as "no data", not as a fall
            ax.axvspan(i - 0.5, i + 0.5, color=GREY, alpha=0.08, linewidth=0)
    ax.set_xlim(-0.5, len(periods) - 0.5)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.set_ylabel(texts[per])
    ax.set_xlabel(texts["period"])
    ax.grid(False, axis="x")
    legend_above(ax)
    return ax
