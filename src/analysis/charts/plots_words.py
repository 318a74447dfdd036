"""Word charts of one interview: the word cloud, and the share of English words in each answer.

In: the ``tokens`` table for the word cloud (drawn with the CJK font, checked
glyph by glyph), the ``exchanges`` table (latin_share) for code switching.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from analysis.charts.axes import exchange_labels, hbar_frame, legend_above, new_axes, rows_height
from analysis.charts.data import NoDataError, count_words, exchanges_in_order, one_document
from analysis.charts.fonts import MissingGlyphError, missing_glyphs, wordcloud_font_path
from analysis.charts.style import BLUE, INK, VALUE_SIZE, WORD_COLORS, chart_labels

log = logging.getLogger(__name__)

__all__ = ["plot_wordcloud", "plot_code_switching"]


def _word_colors(word, font_size, position, orientation, random_state=None, **kwargs) -> str:
    # wordcloud passes its seeded random.Random, so colours repeat run to run.
    return WORD_COLORS[random_state.randint(0, len(WORD_COLORS) - 1)]


def plot_wordcloud(tokens: pd.DataFrame, *, max_words: int = 100, min_len: int = 2, random_state: int = 42,
                   on_missing: str = "raise", ax: Axes | None = None) -> Axes:
    """A word cloud of the most frequent words of one interview (``count_words``), drawn with the CJK font.

    Deterministic for the same tokens (fixed ``random_state``), horizontal
    words only. Every word is checked against the font's character map first:
    ``on_missing="raise"`` raises ``MissingGlyphError`` naming the words that
    would show as boxes; ``"drop"`` leaves them out with a logged warning.
    """
    from wordcloud import WordCloud

    if on_missing not in ("raise", "drop"):
        raise ValueError(f"on_missing={on_missing!r}: choose 'raise' or 'drop'")
    words = count_words(tokens, min_len=min_len)
    if words.empty:
        raise NoDataError("no words left after removing stopwords and punctuation")
    one_document(words, "tokens")
    words = words.head(max_words)
    font = wordcloud_font_path()
    bad = {w: missing_glyphs(w, font) for w in words["word"]}
    bad = {w: chars for w, chars in bad.items() if chars}
    if bad:
        detail = "; ".join(f"{w!r} ({' '.join(f'U+{ord(c):04X}' for c in sorted(cs))})" for w, cs in bad.items())
        if on_missing == "raise":
            raise MissingGlyphError(f"{font.name} has no glyph for characters in: {detail}")
        log.warning("word cloud: leaving out words %s cannot draw: %s", font.name, detail)
        words = words[~words["word"].isin(bad)]
        if words.empty:
            raise NoDataError("no drawable words left")
    ax = new_axes(ax)
    cloud = WordCloud(
        font_path=str(font), width=1600, height=1000, background_color="white", mode="RGB",
        prefer_horizontal=1.0, collocations=False, random_state=random_state, max_words=max_words,
        color_func=_word_colors, margin=6, relative_scaling=0.5,
    ).generate_from_frequencies(dict(zip(words["word"], words["n"].astype(int))))
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    return ax


def plot_code_switching(exchanges: pd.DataFrame, *, label_chars: int = 12, ax: Axes | None = None,
                        lang: str = "en") -> Axes:
    """Share of English (Latin-script) words in each answer, in interview order.

    One bar per exchange with an answer (``latin_share`` not missing), labelled
    like ``plot_answer_length``; a dashed line at the mean over answers, named
    with its value in a legend above the axes (text inside the axes would
    collide with the value of a bar that ends near the mean).
    """
    ex = exchanges_in_order(exchanges, ["question", "latin_share"])
    ex = ex.dropna(subset=["latin_share"]).reset_index(drop=True)
    if ex.empty:
        raise NoDataError("no answers to plot")
    n = len(ex)
    values = ex["latin_share"].astype(float).to_numpy() * 100
    ax = new_axes(ax, rows_height(n))
    bars = ax.barh(np.arange(n), values, height=0.66, color=BLUE)
    # Over the average line, on white: a value next to the line stays legible.
    ax.bar_label(bars, labels=[f"{v:.0f}%" for v in values], padding=3, fontsize=VALUE_SIZE, color=INK, zorder=5,
                 bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    mean = float(values.mean())
    ax.axvline(mean, color=INK, linewidth=1, linestyle=(0, (3, 3)), zorder=4,
               label=f"{chart_labels(lang)['average']} {mean:.0f}%")
    ax.set_yticks(np.arange(n), labels=exchange_labels(ex, label_chars))
    hbar_frame(ax, n)
    ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.set_xlim(0, max(10.0, float(values.max()) * 1.15))
    ax.set_xlabel(chart_labels(lang)["english_share"])
    legend_above(ax)
    return ax
