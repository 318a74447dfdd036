"""The standard set of charts for an interview: titled, sourced and exported.

``TITLES`` lists the charts drawn for one document each, ``CORPUS_TITLES`` the
charts of every document at once (both in ``titles``, with ``chart_texts``,
which gives a chart's title, subtitle and source line); ``export_chart`` draws,
finishes and saves one chart with the CSV behind it, for one document (or,
``doc_id=None``, for all); ``export_standard_charts`` does every per-document
chart for every document, through ``export_chart``. The drawing itself is in
the ``plots_*`` modules.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis import config, topic_coverage, topics as _topics
from analysis.charts.data import NoDataError, count_entities, count_roles, count_topics, count_words, role_columns
from analysis.charts.export import FORMATS, save_chart
from analysis.charts.plots_entities import plot_entity_counts, plot_entity_dispersion
from analysis.charts.plots_lengths import plot_answer_length, plot_answer_length_by_topic, plot_characters_by_role
from analysis.charts.plots_topics import plot_topic_frequency, plot_topic_grid
from analysis.charts.plots_words import plot_code_switching, plot_wordcloud
from analysis.charts.style import clean_text, finish, lang_of, use_style
from analysis.charts.titles import CORPUS_TITLES, TITLES, chart_texts, document_row, documents_table

__all__ = ["TITLES", "CORPUS_TITLES", "chart_texts", "export_chart", "ChartFiles", "export_standard_charts"]

log = logging.getLogger(__name__)

# Corpus-wide charts draw at most ``CORPUS_TOP`` documents (a bar each), the
# longest; their CSV has them all.
CORPUS_TOP = 40


def _safe_dirname(doc_id: str) -> str:
    name = re.sub(r"[^\w.\-]+", "_", str(doc_id)).strip("._")
    return name or "document"


def _filter(tables: Mapping[str, pd.DataFrame], name: str, doc_id: str) -> pd.DataFrame | None:
    df = tables.get(name)
    if df is None or "doc_id" not in df.columns:
        return df
    return df[df["doc_id"] == doc_id].reset_index(drop=True)


def _need(df: pd.DataFrame | None, name: str) -> pd.DataFrame:
    """``df``, or NoDataError where a plot function would take None for "not given"."""
    if df is None:
        raise NoDataError(f"no {name} table")
    return df


def _with_topic_labels(df: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """``df`` with a topic_label column (the text on the chart) after its topic column."""
    topic = df["topic"].astype(str)
    out = df.assign(topic=topic)
    out.insert(out.columns.get_loc("topic") + 1, "topic_label", topic.map(lambda t: names.get(t) or t))
    return out


def _shown(top: int, total: int) -> tuple[int, int]:
    return min(top, total), total


# Each standard chart: (tables of one document, lang, top, topic labels) ->
# (Axes, the table saved as CSV beside it, items shown, items in all). Raises
# NoDataError when the document has nothing to draw.
_Drawn = tuple[Axes, pd.DataFrame, int | None, int | None]


def _topic_frequency(by: str) -> Callable[..., _Drawn]:
    def draw(t, lang, top, names):
        topics, exchanges = t.get("topics"), t.get("exchanges")
        if by == "answer_share":
            exchanges = _need(exchanges, "exchanges")
        elif exchanges is not None and not {"doc_id", "exchange_id", "answer_chars"} <= set(exchanges.columns):
            exchanges = None  # the counts chart does not need them; the CSV just lacks answer_chars
        ax = plot_topic_frequency(topics, exchanges, by=by, top=top, lang=lang, labels=names)
        counts = count_topics(topics, exchanges)
        return (ax, _with_topic_labels(counts, names), *_shown(top or len(counts), len(counts)))
    return draw


def _topics_by_exchange(t, lang, top, names) -> _Drawn:
    ax = plot_topic_grid(t.get("topics"), exchanges=t.get("exchanges"), lang=lang, labels=names)
    return ax, _with_topic_labels(t["topics"], names), None, None


def _answer_length_by_exchange(t, lang, top, names) -> _Drawn:
    ax = plot_answer_length(t.get("exchanges"), lang=lang)
    return ax, t["exchanges"], None, None


def _answer_length_by_topic(t, lang, top, names) -> _Drawn:
    exchanges, topics = t.get("exchanges"), t.get("topics")
    ax = plot_answer_length_by_topic(exchanges, topics, lang=lang, labels=names)
    keys = ["doc_id", "exchange_id"]
    data = topics[[*keys, "topic"]].merge(exchanges[[*keys, "answer_chars"]], on=keys)
    return ax, _with_topic_labels(data, names), None, None


def _entity_mentions_by_role(t, lang, top, names) -> _Drawn:
    top = top or 10
    ax = plot_entity_counts(t.get("mentions"), top=top, lang=lang)
    counts = count_entities(t["mentions"])
    return (ax, counts, *_shown(top, len(counts)))


def _entity_mentions_through_interview(t, lang, top, names) -> _Drawn:
    top = top or 10
    ax = plot_entity_dispersion(t.get("mentions"), t.get("turns"), top=top, lang=lang)
    n = t["mentions"]["entity"].dropna().nunique()
    return (ax, t["mentions"], *_shown(top, n))


def _word_cloud(t, lang, top, names) -> _Drawn:
    top = top or 100
    ax = plot_wordcloud(t.get("tokens"), max_words=top, on_missing="drop")
    words = count_words(t["tokens"])
    return (ax, words.head(top), *_shown(top, len(words)))


def _english_share_by_answer(t, lang, top, names) -> _Drawn:
    exchanges = t.get("exchanges")
    ax = plot_code_switching(exchanges, lang=lang)
    columns = ["doc_id", "exchange_id", "question", "answer_words", "latin_share"]
    return ax, exchanges[[c for c in columns if c in exchanges.columns]], None, None


def _characters_by_role_per_document(t, lang, top, names) -> _Drawn:
    """The ``top`` longest documents (``CORPUS_TOP`` by default) drawn in their table order; all in the CSV.

    A bar per document stops being readable (and a PNG of 1,000 bars is
    150,000 pixels tall and takes a minute to write) long before a corpus ends."""
    by_role = count_roles(_need(t.get("turns"), "turns"), documents=t["documents"])
    top = top or CORPUS_TOP
    longest = by_role[role_columns(by_role.columns)].sum(axis=1).nlargest(top, keep="first").index.sort_values()
    return (plot_characters_by_role(by_role.loc[longest], lang=lang), by_role, *_shown(top, len(by_role)))


_CHARTS: dict[str, Callable[..., _Drawn]] = {
    "topic_frequency_by_exchange": _topic_frequency("exchanges"),
    "topic_share_of_answer_text": _topic_frequency("answer_share"),
    "topics_by_exchange": _topics_by_exchange,
    "answer_length_by_exchange": _answer_length_by_exchange,
    "answer_length_by_topic": _answer_length_by_topic,
    "entity_mentions_by_role": _entity_mentions_by_role,
    "entity_mentions_through_interview": _entity_mentions_through_interview,
    "word_cloud": _word_cloud,
    "english_share_by_answer": _english_share_by_answer,
}
TOPIC_CHARTS = ("topic_frequency_by_exchange", "topic_share_of_answer_text", "topics_by_exchange",
                 "answer_length_by_topic")
# Corpus-wide: these get every document's tables (and "documents").
_CORPUS_CHARTS: dict[str, Callable[..., _Drawn]] = {
    "characters_by_role_per_document": _characters_by_role_per_document,
}


class ChartFiles(list):
    """The paths ``export_chart`` wrote (a plain list of Paths to use), and why there are none.

    ``reason`` is None when the chart was written, else why it was skipped (the
    ``NoDataError`` message); ``message`` says either in a sentence to print.
    ``doc_id`` is None for a chart of every document.
    """

    def __init__(self, paths: Iterable[Path] = (), *, name: str, doc_id: str | None, reason: str | None = None):
        super().__init__(paths)
        self.name, self.doc_id, self.reason = name, doc_id, reason

    @property
    def message(self) -> str:
        what = "all documents" if self.doc_id is None else self.doc_id
        if self.reason is not None:
            return f"No chart {self.name} for {what}: {self.reason}"
        folder = self[0].parent if self else "nowhere"
        return f"{self.name} for {what}: {len(self)} file(s) in {folder}"


def export_chart(name: str, tables: Mapping[str, pd.DataFrame], *, doc_id: str | None,
                 out_dir: str | os.PathLike | None = None, lang: str = "zh", top: int | None = None,
                 formats: Sequence[str] = FORMATS, lexicon=None, shared: int | None = None,
                 close: bool = False) -> ChartFiles:
    """Draw, finish and save one standard chart, with the CSV behind it.

    ``name``: a key of ``TITLES`` (one document: ``"answer_length_by_exchange"``,
    ...) or of ``CORPUS_TITLES`` (every document: ``"characters_by_role_per_document"``),
    also the file name. ``tables``: as built by ``analysis.corpus`` (all
    documents, or ``corpus.select(tables, doc_id)``). ``doc_id``: the document
    charted, whose rows alone are used; None for a corpus-wide chart, which
    uses every document in ``tables``, each counted on its own.
    The texts are ``chart_texts(name, documents, doc_id, lang=lang, ...)``;
    ``shared`` (corpus-wide charts only): how many questions appear in more
    than one document, noted in the subtitle.
    ``top``: items drawn by the charts that rank them (topic bars: all by
    default; entities: 10; word cloud: 100 words), noted in the subtitle when
    some are left out; the other charts show every exchange and ignore it.
    ``lexicon``: the topic lexicon file(s) the topics were found with, for the
    topic labels in ``lang`` (default: the shipped one). Topic charts' CSVs
    carry a ``topic_label`` column: the text on the chart.

    Draws in the current style (call ``use_style()`` first, as a notebook's
    setup cell does). The figure stays open, so a notebook shows it, unless
    ``close``. Returns the paths written (``save_chart``); when the document
    has nothing to draw (``NoDataError``: no questions, no mentions...), an
    empty list whose ``reason`` and ``message`` say why, and a logged warning.
    ValueError for an unknown chart or language, a doc_id not in the tables or
    that does not fit the chart (None exactly for a corpus-wide one), or
    ``shared`` on a per-document chart.
    """
    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1):
        raise ValueError(f"top={top!r}: a number of items, at least 1")
    documents = documents_table(tables)
    chart_texts(name, documents, doc_id, lang=lang, shared=shared)  # refuses a bad name, doc_id, lang before drawing
    keys = ("topics", "exchanges", "mentions", "turns", "tokens")
    if doc_id is None:
        draw, t = _CORPUS_CHARTS[name], {key: tables.get(key) for key in keys} | {"documents": documents}
    else:
        draw, t = _CHARTS[name], {key: _filter(tables, key, doc_id) for key in keys}
    names = _topics.topic_labels(lang, lexicon)
    try:
        ax, data, shown, total = draw(t, lang, None if top is None else int(top), names)
    except NoDataError as exc:
        log.warning("%s: skipping %s: %s", "all documents" if doc_id is None else doc_id, name, exc)
        return ChartFiles(name=name, doc_id=doc_id, reason=str(exc))
    fig = ax.figure
    # Topic charts say how much of the interview the lexicon tagged.
    note = (topic_coverage.coverage_note(t.get("topics"), t.get("exchanges"), lang=lang, labels=names)
            if name in TOPIC_CHARTS else None)
    try:
        finish(fig, *chart_texts(name, documents, doc_id, lang=lang, shown=shown, total=total,
                                   shared=shared, note=note))
        paths = save_chart(fig, name, out_dir=config.FIGURES_DIR if out_dir is None else out_dir,
                           formats=formats, data=data)
    finally:
        if close:
            plt.close(fig)
    return ChartFiles(paths, name=name, doc_id=doc_id)


def _lang_of_document(doc: dict) -> str:
    text = doc.get("text")
    return lang_of((text[:20000] if isinstance(text, str) else "") or clean_text(doc.get("title")))


def export_standard_charts(tables: dict[str, pd.DataFrame], *, out_dir: str | os.PathLike | None = None,
                           formats: Sequence[str] = FORMATS, doc_id: str | None = None,
                           lexicon=None) -> list[Path]:
    """Draw and save the standard set of charts (``TITLES``) for one document, or for each.

    ``tables``: ``{"documents", "turns", "tokens", "topics", "mentions",
    "exchanges"}`` as built by ``analysis.corpus`` (missing ones are skipped).
    With ``doc_id`` the charts go straight into ``out_dir`` (default
    ``config.FIGURES_DIR``); without it, into ``out_dir/<doc_id>/`` for every
    document. Each chart is ``export_chart(name, ...)`` in the document's
    language (Chinese when its text is mostly Han): a title, a subtitle naming
    the document, the source line and the CSV behind it. A chart with no data
    (no questions, no mentions, ...) is skipped with a logged warning.
    ``lexicon``: as in ``export_chart``. Draws in the house style without
    changing the global one. Returns the paths written.
    """
    out = Path(config.FIGURES_DIR if out_dir is None else out_dir)
    documents = documents_table(tables)
    if doc_id is not None:
        document_row(documents, doc_id)
        targets = [(doc_id, out)]
    else:
        targets = [(d, out / _safe_dirname(d)) for d in documents["doc_id"].dropna().unique()]
    written: list[Path] = []
    with plt.rc_context():
        use_style()
        for did, folder in targets:
            one = {name: _filter(tables, name, did) for name in tables}
            one["documents"] = documents[documents["doc_id"] == did]
            lang = _lang_of_document(document_row(documents, did))
            for name in _CHARTS:
                written += export_chart(name, one, doc_id=did, out_dir=folder, lang=lang, formats=formats,
                                        lexicon=lexicon, close=True)
    return written
