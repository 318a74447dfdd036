"""Tables -> article-ready matplotlib charts: house style, titles, export.

Call ``use_style()`` once (a notebook's setup cell) before plotting: it applies
``resources/analysis.mplstyle`` and the CJK font from ``fonts``. Each
``plot_*`` function takes tidy tables and ``ax=None``, draws on ``ax`` (or a
new figure sized for the data) and returns the Axes; it never saves.
``finish`` adds the title, subtitle and source line; ``save_chart`` writes the
files. The standard set of charts, titled and exported per document, is in
``standard`` (also importable as ``analysis.report``).

The ``count_*`` functions return the table behind a chart (one row per
document and bar, keeping ``doc_id``), which is also what
``export_chart`` saves as CSV beside the chart.

Axis labels and legends are English by default; ``lang="zh"`` gives Chinese,
topic names included (the lexicon's ``label_zh``, see ``analysis.topics``).

One job per module:

- ``style``: colours, type sizes, labels in English and Chinese, wrapping, ``finish``, ``source_line``;
- ``fonts``: the CJK font (found once), glyph checks;
- ``data``: the ``count_*`` tables behind the charts;
- ``axes``: what the plots share (figure size, bar frame, legend, stacked bars);
- ``plots_topics``, ``plots_lengths``, ``plots_entities``, ``plots_words``: the charts, by family;
- ``export``: PNG, SVG, PDF and CSV files, written atomically;
- ``titles``: the standard charts' titles and subtitles in English and Chinese, ``chart_texts``;
- ``standard``: the standard set, drawn and exported per document.
"""

from analysis.charts.data import (
    ALL_ROLES,
    ROLES,
    NoDataError,
    count_entities,
    count_roles,
    count_topics,
    count_words,
    role_columns,
)
from analysis.charts.export import FORMATS, save_chart
from analysis.charts.fonts import (
    MissingGlyphError,
    cjk_font,
    cjk_font_path,
    missing_glyphs,
    use_cjk_font,
    wordcloud_font_path,
)
from analysis.charts.plots_entities import plot_entity_counts, plot_entity_dispersion
from analysis.charts.plots_lengths import plot_answer_length, plot_answer_length_by_topic, plot_characters_by_role
from analysis.charts.plots_topics import plot_topic_frequency, plot_topic_grid
from analysis.charts.plots_words import plot_code_switching, plot_wordcloud
from analysis.charts.style import (
    BLUE,
    GREEN,
    GREY,
    INK,
    LABELS,
    LIGHT,
    ORANGE,
    PURPLE,
    ROLE_COLORS,
    SKY,
    SOURCE_CREDITS,
    SOURCE_SIZE,
    STYLE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    VALUE_SIZE,
    VERMILION,
    WORD_COLORS,
    chart_labels,
    finish,
    source_line,
    use_style,
)

__all__ = [
    "NoDataError", "MissingGlyphError",
    "cjk_font", "cjk_font_path", "use_cjk_font", "wordcloud_font_path", "missing_glyphs",
    "use_style", "finish", "source_line", "save_chart",
    "count_topics", "count_entities", "count_words", "count_roles",
    "plot_topic_frequency", "plot_topic_grid", "plot_answer_length", "plot_answer_length_by_topic",
    "plot_characters_by_role", "plot_entity_counts", "plot_entity_dispersion", "plot_wordcloud", "plot_code_switching",
]
