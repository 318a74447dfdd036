"""What every plot shares: a new figure of the house size, the horizontal-bar frame, the legend above, stacked bars.

Used by the ``plots_*`` modules; each takes an Axes and changes it in place.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.charts.style import INK, VALUE_SIZE, plain_text, shorten

__all__ = ["new_axes", "rows_height", "hbar_frame", "legend_above", "exchange_labels", "stacked_bars"]


def new_axes(ax: Axes | None, height: float | None = None) -> Axes:
    """``ax``, or the axes of a new figure of the house width, at least ``height`` inches tall."""
    if ax is not None:
        return ax
    w, h = mpl.rcParams["figure.figsize"]
    _, ax = plt.subplots(figsize=(w, max(h, height or 0)))
    return ax


def rows_height(n: int, per_row: float = 0.32, extra: float = 2.2) -> float:
    """Figure height (inches) for ``n`` rows of bars plus title, legend and axis."""
    return n * per_row + extra


def hbar_frame(ax: Axes, n: int) -> None:
    """Bars run left to right, first row on top; a light vertical grid, no horizontal one."""
    ax.set_ylim(n - 0.5, -0.5)
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)


def legend_above(ax: Axes, handles=None, labels=None, ncol: int = 3) -> None:
    """The legend in one row above the axes, left-aligned with them (``ncol`` columns, more if there are more entries)."""
    args = (handles, labels) if handles is not None else ()
    n = len(handles) if handles is not None else len(ax.get_legend_handles_labels()[0])
    ax.legend(*args, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=max(ncol, n), borderaxespad=0.3,
              handletextpad=0.5, columnspacing=1.2)


def exchange_labels(ex: pd.DataFrame, label_chars: int) -> list[str]:
    """"1. " and the first ``label_chars`` characters of the question, per row of ``ex``."""
    return [plain_text(f"{int(i) + 1}. {shorten(q, label_chars)}") for i, q in zip(ex["exchange_id"], ex["question"])]


def stacked_bars(ax: Axes, parts: Sequence[tuple[np.ndarray, str, str]], *, height: float,
                 total_format: str = "{}") -> np.ndarray:
    """Horizontal bars stacked left to right, one row per value, the total written at the end of each row.

    ``parts``: (values, colour, legend label) per segment, in stacking order;
    ``total_format`` formats each row's total (an int). Returns the totals.
    """
    y = np.arange(len(parts[0][0]))
    left = np.zeros(len(y))
    for values, color, label in parts:
        ax.barh(y, values, left=left, height=height, color=color, label=label)
        left += values
    for yi, total in zip(y, left):
        ax.text(total, yi, " " + total_format.format(int(total)), va="center", ha="left", fontsize=VALUE_SIZE,
                color=INK)
    return left
