"""Entity charts of one interview: the most-mentioned names by role, and where in the transcript each falls.

In: the ``mentions`` table (doc_id, entity, role, start), and ``turns`` for
the dispersion plot's axis.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from analysis.charts.axes import hbar_frame, legend_above, new_axes, rows_height, stacked_bars
from analysis.charts.data import ALL_ROLES, NoDataError, count_entities, one_document, require_columns
from analysis.charts.style import GREY, ROLE_COLORS, chart_labels, plain_text

__all__ = ["plot_entity_counts", "plot_entity_dispersion"]


def plot_entity_counts(mentions: pd.DataFrame, *, top: int = 10, ax: Axes | None = None, lang: str = "en") -> Axes:
    """The ``top`` most-mentioned entities of one interview, bars split by where they are mentioned.

    Stacked horizontal bars: answers (blue), questions (orange), remarks
    (green) and narration (grey), each only when there is any; the total at
    the end of each bar.
    """
    counts = count_entities(mentions)
    if counts.empty:
        raise NoDataError("no mentions to plot")
    one_document(counts, "mentions")
    counts = counts.head(top)
    n = len(counts)
    ax = new_axes(ax, rows_height(n))
    L = chart_labels(lang)
    roles = [("answer", L["in_answer"]), ("question", L["in_question"])]
    roles += [(role, L[label]) for role, label in (("remark", "in_remark"), ("narration", "narration"))
              if role in counts.columns and counts[role].sum()]
    stacked_bars(ax, [(counts[role].to_numpy(dtype=float), ROLE_COLORS[role], label) for role, label in roles],
                 height=0.66)
    ax.set_yticks(np.arange(n), labels=[plain_text(e) for e in counts["entity"]])
    hbar_frame(ax, n)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(L["mentions"])
    ax.margins(x=0.08)
    legend_above(ax)
    return ax


def plot_entity_dispersion(mentions: pd.DataFrame, turns: pd.DataFrame, *, entities: Sequence[str] | None = None,
                           top: int = 10, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Lexical dispersion ("x-ray") plot: where in the interview each entity is mentioned.

    One row per entity (``entities`` in that order, else the ``top`` most
    mentioned), one tick per mention at its character offset, coloured by role.
    The x axis runs over the transcript body (first to last turn); grey lines
    mark where each exchange's question starts, labelled with its number.
    Like quanteda's ``textplot_xray`` or Voyant's Bubblelines.
    """
    require_columns(mentions, ["doc_id", "entity", "start", "role"], "mentions")
    require_columns(turns, ["doc_id", "exchange_id", "start", "end"], "turns")
    m = mentions.dropna(subset=["entity", "start"])
    if m.empty:
        raise NoDataError("no mentions to plot")
    one_document(m, "mentions")
    turns = turns[turns["doc_id"].isin(m["doc_id"].unique())]
    if turns.empty:
        raise NoDataError("no turns for the mentioned document")
    names = list(entities) if entities is not None else count_entities(m)["entity"].head(top).tolist()
    m = m[m["entity"].astype(str).isin(names)].assign(entity=lambda d: d["entity"].astype(str))
    timed = _timed(turns)
    if timed is not None:  # every turn has its time: the axis is minutes into the recording
        m = m.assign(start=_minutes(m, timed))
        turns = timed
    body_start, body_end = float(turns["start"].min()), float(turns["end"].max())
    starts = (turns.dropna(subset=["exchange_id"]).groupby("exchange_id")["start"].min().sort_index())
    ax = new_axes(ax, rows_height(len(names), 0.36, 2.4))
    row = {e: i for i, e in enumerate(names)}
    L = chart_labels(lang)
    ax.vlines(starts.to_numpy(dtype=float), -0.5, len(names) - 0.5, colors="#d9d9d9", linewidths=0.9, zorder=1,
              gid="exchange-starts")
    for role in ALL_ROLES:
        sel = m[m["role"].astype("string").fillna("narration") == role]
        if sel.empty:
            continue
        ax.plot(sel["start"].astype(float), sel["entity"].map(row), linestyle="none", marker="|", markersize=15,
                markeredgewidth=2, color=ROLE_COLORS[role] if role != "narration" else GREY,
                label=L[f"in_{role}"] if role != "narration" else L["narration"], zorder=3)
    counts = m.groupby("entity").size()
    ax.set_yticks(np.arange(len(names)), labels=[plain_text(f"{e} ({counts.get(e, 0)})") for e in names])
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlim(body_start, body_end)
    if timed is None:
        step = max(1, int(np.ceil(len(starts) / 25)))
        ax.set_xticks(starts.to_numpy(dtype=float)[::step], labels=[str(int(i) + 1) for i in starts.index[::step]])
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(length=0)
    ax.set_xlabel(L["minutes" if timed is not None else "position"])
    legend_above(ax)
    return ax


def _timed(turns: pd.DataFrame) -> pd.DataFrame | None:
    """The turns with ``start``/``end`` in minutes, when every speech turn has its time (t_start and
    t_end, as subtitles and speech-to-text exports give them); else None."""
    if not {"t_start", "t_end", "role"} <= set(turns.columns):
        return None
    speech = turns[turns["role"].astype("string").fillna("narration") != "narration"]
    if speech.empty or speech["t_start"].isna().any() or speech["t_end"].isna().any():
        return None
    return speech.assign(offset=speech["start"], length=(speech["end"] - speech["start"]).clip(lower=1),
                         start=speech["t_start"].astype(float) / 60, end=speech["t_end"].astype(float) / 60)


def _minutes(mentions: pd.DataFrame, timed: pd.DataFrame) -> pd.Series:
    """Each mention's time: its turn's start, plus its share of the way through the turn's text."""
    by = timed.set_index("turn_id") if "turn_id" in timed else None
    if by is None or "turn_id" not in mentions:
        return pd.Series(np.nan, index=mentions.index)
    t = by.reindex(mentions["turn_id"].to_numpy())
    share = ((mentions["start"].to_numpy(float) - t["offset"].to_numpy(float)) / t["length"].to_numpy(float)).clip(0, 1)
    return pd.Series(t["start"].to_numpy(float) + share * (t["end"].to_numpy(float) - t["start"].to_numpy(float)),
                     index=mentions.index)
