"""Keyness chart: the words that set the target apart (right) and the reference (left), as diverging bars.

In: the table of ``analysis.keyness.count_keyness`` / ``score_keyness`` (term,
G2, n_target, n_reference). Like quanteda's ``textplot_keyness``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from analysis.charts.axes import legend_above, new_axes, rows_height
from analysis.charts.data import NoDataError, require_columns
from analysis.charts.style import BLUE, GREY, INK, ORANGE, VALUE_SIZE, chart_labels, plain_text

__all__ = ["keyness_rows", "plot_keyness"]

_TEXTS = {"en": "Keyness (log-likelihood G²; right: used more by {t}, left: by {r})",
          "zh": "关键性（对数似然 G²；右：{t}用得多，左：{r}用得多）"}
_PALE = {"en": "paler: p ≥ {p}", "zh": "浅色：p ≥ {p}"}
PALE_ALPHA = 0.4  # bars of words not significant at ``significance``


def keyness_rows(keyness: pd.DataFrame, top: int = 10, *, p_max: float | None = None) -> pd.DataFrame:
    """The rows the chart draws: the ``top`` highest positive G², then the ``top`` most negative (most negative last).

    With ``p_max``, only words with p below it.
    """
    require_columns(keyness, ["term", "G2"], "keyness")
    k = keyness if p_max is None or "p" not in keyness.columns else keyness[keyness["p"] < p_max]
    k = k.sort_values(["G2", "term"], ascending=[False, True], kind="stable")
    pos, neg = k[k["G2"] > 0].head(top), k[k["G2"] < 0].tail(top)
    return pd.concat([pos, neg]).reset_index(drop=True)


def plot_keyness(keyness: pd.DataFrame, *, top: int = 10, target: str = "target", reference: str = "reference",
                 p_max: float | None = None, significance: float = 0.05, ax: Axes | None = None,
                 lang: str = "en") -> Axes:
    """Diverging horizontal bars: G² of the ``top`` words most typical of ``target`` (blue, to the right)
    and of ``reference`` (orange, to the left), each word written beside its bar with its counts
    (target:reference).

    ``target`` and ``reference`` name the groups in the legend and axis label.
    As quanteda's ``textplot_keyness``, every top word is drawn; bars of words
    with p ≥ ``significance`` are paler (``p_max`` leaves them out instead).
    """
    chart_labels(lang)
    rows = keyness_rows(keyness, top, p_max=p_max)
    if rows.empty:
        raise NoDataError("no word sets either group apart" + (f" at p < {p_max}" if p_max else ""))
    n = len(rows)
    ax = new_axes(ax, rows_height(n, 0.3, 2.4))
    y = np.arange(n)
    g2 = rows["G2"].to_numpy(dtype=float)
    pale = rows["p"].to_numpy(dtype=float) >= significance if "p" in rows.columns else np.zeros(n, dtype=bool)
    for yi, g, light in zip(y, g2, pale):
        ax.barh(yi, g, height=0.7, color=BLUE if g > 0 else ORANGE, alpha=PALE_ALPHA if light else 1.0)
    span = float(np.abs(g2).max())
    counts = "n_target" in rows.columns and "n_reference" in rows.columns
    shown = rows["written"] if "written" in rows.columns else rows["term"]
    for yi, (term, g) in enumerate(zip(shown, g2)):
        label = plain_text(term)
        if counts:
            label += f" ({rows['n_target'].iloc[yi]}:{rows['n_reference'].iloc[yi]})"
        pad = span * 0.015
        ax.text(g + pad if g > 0 else g - pad, yi, label, va="center", ha="left" if g > 0 else "right",
                fontsize=VALUE_SIZE, color=INK)
    ax.axvline(0, color=GREY, linewidth=0.8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks([])
    ax.set_xlim(-span * 1.45 if (g2 < 0).any() else -span * 0.05, span * 1.45 if (g2 > 0).any() else span * 0.05)
    for side in ("left", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(False, axis="y")
    ax.set_xlabel(_TEXTS[lang].format(t=plain_text(target), r=plain_text(reference)))
    handles, labels = [Patch(color=BLUE), Patch(color=ORANGE)], [plain_text(target), plain_text(reference)]
    if pale.any():
        handles.append(Patch(color=GREY, alpha=PALE_ALPHA))
        labels.append(_PALE[lang].format(p=significance))
    legend_above(ax, handles, labels)
    return ax
