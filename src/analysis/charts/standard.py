"""The standard set of charts for an interview: titled, sourced and exported.

``TITLES`` lists the charts drawn for one document each, ``CORPUS_TITLES`` the
charts of every document at once. ``chart_texts`` gives a chart's title,
subtitle (which document it shows) and source line; ``export_chart`` draws,
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

from analysis import config, topics as _topics
from analysis.charts.data import NoDataError, count_entities, count_roles, count_topics, count_words, role_columns
from analysis.charts.export import FORMATS, save_chart
from analysis.charts.plots_entities import plot_entity_counts, plot_entity_dispersion
from analysis.charts.plots_lengths import plot_answer_length, plot_answer_length_by_topic, plot_characters_by_role
from analysis.charts.plots_topics import plot_topic_frequency, plot_topic_grid
from analysis.charts.plots_words import plot_code_switching, plot_wordcloud
from analysis.charts.style import chart_labels, clean_text, finish, lang_of, source_line, use_style

__all__ = ["TITLES", "CORPUS_TITLES", "chart_texts", "export_chart", "ChartFiles", "export_standard_charts"]

log = logging.getLogger(__name__)


# --- the standard set ---------------------------------------------------------

TITLES = {  # chart: {lang: (title, what it measures)}
    "topic_frequency_by_exchange": {
        "en": ("What the interview covered",
               "Number of exchanges (a question and its answer) touching each topic"),
        "zh": ("这场采访谈了哪些话题",
               "涉及各话题的问答轮数"),
    },
    "topic_share_of_answer_text": {
        "en": ("Where the answers spent their words",
               "Answer text in exchanges touching each topic, as a share of all answer text; an exchange can touch several topics"),
        "zh": ("回答的篇幅花在哪些话题上",
               "涉及各话题的问答中回答字数占全部回答字数的比例；一轮问答可涉及多个话题"),
    },
    "topics_by_exchange": {
        "en": ("Topics through the interview",
               "Exchanges in order; shaded where a topic comes up"),
        "zh": ("话题在采访中的分布",
               "按采访顺序排列的问答；着色处表示谈到该话题"),
    },
    "answer_length_by_exchange": {
        "en": ("How long each answer ran",
               "Length of each question and its answer, in characters excluding spaces"),
        "zh": ("每个问题得到多长的回答",
               "每轮问答中提问与回答的字数（不含空白），按采访顺序"),
    },
    "answer_length_by_topic": {
        "en": ("Answer length by topic",
               "Each dot is an answer touching the topic; the bar marks the median"),
        "zh": ("各话题的回答长度",
               "每个点是一次涉及该话题的回答，竖线为中位数"),
    },
    "entity_mentions_by_role": {
        "en": ("The names that came up most",
               "Mentions of each person, company, product or place"),
        "zh": ("被提及最多的名字",
               "人物、公司、产品与地点的提及次数"),
    },
    "entity_mentions_through_interview": {
        "en": ("When each name comes up",
               "Each tick is one mention, placed where it occurs in the transcript"),
        "zh": ("这些名字在采访中何时出现",
               "每条短线是一次提及，位置即其在文本中出现之处"),
    },
    "word_cloud": {
        "en": ("The most frequent words",
               "Word size by frequency; common function words left out"),
        "zh": ("高频词",
               "字号按出现次数；已去除常用虚词和标点"),
    },
    "english_share_by_answer": {
        "en": ("How much English went into each answer",
               "Share of Latin-script words among each answer's words"),
        "zh": ("回答里夹了多少英文",
               "每个回答中英文（拉丁字母）词占全部词数的比例"),
    },
}

# Charts of every document loaded at once (``doc_id=None``): not part of the
# per-document set above, which ``export_standard_charts`` draws for each document.
# They draw at most ``CORPUS_TOP`` documents (a bar each), the longest; their CSV has them all.
CORPUS_TOP = 40
CORPUS_TITLES = {  # chart: {lang: (title, what it measures)}
    "characters_by_role_per_document": {
        "en": ("What each transcript holds",
               "One bar per document: characters (excluding spaces) of questions, answers and narration"),
        "zh": ("每份文本里，提问、回答和旁白各占多少",
               "每份文本一行：提问、回答与旁白的字数（不含空白）"),
    },
}


def _doc_label(doc: dict, lang: str) -> str:
    title = clean_text(doc.get("title")) or clean_text(doc.get("doc_id"))
    date = clean_text(doc.get("date"))
    if not date:
        return title
    return f"{title}（{date}）" if lang == "zh" else f"{title}, {date}"


def _documents(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The documents table, or one made of the doc_ids found in the other tables."""
    documents = tables.get("documents")
    if documents is None or documents.empty:
        ids = sorted({i for name, df in tables.items() if name != "errors" and df is not None and "doc_id" in df.columns
                      for i in df["doc_id"].dropna()})
        documents = pd.DataFrame({"doc_id": ids})
    return documents


def _document(documents: pd.DataFrame, doc_id: str) -> dict:
    """The row of ``doc_id`` as a dict; ValueError naming the documents when there is none."""
    rows = documents[documents["doc_id"] == doc_id].head(1).to_dict("records") if "doc_id" in documents else []
    if not rows:
        ids = [str(i) for i in documents.get("doc_id", pd.Series(dtype=object)).dropna().unique()]
        listed = ", ".join(ids[:10]) + (f", … ({len(ids)} in all)" if len(ids) > 10 else "")
        raise ValueError(f"{doc_id!r}: no such document; the documents are: {listed or 'none'}")
    return rows[0]


def _corpus_label(n: int, lang: str) -> str:
    if lang == "zh":
        return f"载入的全部 {n} 份文本，分别计数、未合并" if n > 1 else "载入的唯一一份文本"
    return f"All {n} documents loaded, counted separately (not merged)" if n > 1 else "The only document loaded"


def _shared_note(shared: int, lang: str) -> str:
    if lang == "zh":
        return f"；其中 {shared} 个问题在不止一份文本中出现" if shared else "；没有问题在不止一份文本中出现"
    if not shared:
        return "; no question appears in more than one document"
    return f"; {shared} question{'s appear' if shared != 1 else ' appears'} in more than one document"


def _check_scope(name: str, doc_id: str | None) -> None:
    """ValueError unless ``name`` is a chart and ``doc_id`` fits it (None exactly for corpus-wide charts)."""
    if name in CORPUS_TITLES:
        if doc_id is not None:
            raise ValueError(f"{name!r} covers every document loaded: pass doc_id=None "
                             f"(to chart fewer documents, pass fewer tables)")
    elif name in TITLES:
        if doc_id is None:
            raise ValueError(f"{name!r} is drawn for one document: pass its doc_id")
    else:
        raise ValueError(f"{name!r}: not a standard chart; choose from {', '.join([*TITLES, *CORPUS_TITLES])}")


def chart_texts(name: str, documents: pd.DataFrame, doc_id: str | None, *, lang: str = "zh",
                shown: int | None = None, total: int | None = None,
                shared: int | None = None) -> tuple[str, str, str | None]:
    """(title, subtitle, source) of the standard chart ``name``, as ``export_chart`` writes them.

    Per-document charts (``TITLES``) take the document's ``doc_id``; corpus-wide
    charts (``CORPUS_TITLES``) take ``doc_id=None`` and cover every row of
    ``documents``.

    - title: from ``TITLES[name][lang]`` or ``CORPUS_TITLES[name][lang]``;
    - subtitle: what the chart covers, then what it measures. Per document: its
      title (or doc_id) and date. Corpus-wide: "载入的全部 N 份文本，分别计数、
      未合并" / "All N documents loaded, counted separately (not merged)", and,
      given ``shared`` (how many questions appear in more than one document,
      e.g. from ``corpus.shared_questions``) and two documents or more,
      "；其中 K 个问题在不止一份文本中出现" / "; K questions appear in more than
      one document". Then "；只列出前 N 项" / "; top N shown" when ``shown`` of
      ``total`` items are drawn (``shown < total``);
    - source: ``source_line(documents, doc_id)``, every document's for a
      corpus-wide chart (None when there is nothing to credit).

    ``documents``: the documents table (doc_id, title, date, source, author).
    ``finish(fig, *chart_texts(...))`` puts them on a figure. ValueError for a
    name in neither set, a ``doc_id`` that does not fit the chart or is not in
    ``documents``, an unknown ``lang``, or ``shared`` on a per-document chart.
    """
    _check_scope(name, doc_id)
    chart_labels(lang)
    stop = "。" if lang == "zh" else ". "
    if doc_id is None:
        title, measure = CORPUS_TITLES[name][lang]
        subtitle = f"{_corpus_label(documents['doc_id'].nunique(), lang)}{stop}{measure}"
        if shared is not None and documents["doc_id"].nunique() > 1:
            subtitle += _shared_note(int(shared), lang)
    else:
        if shared is not None:
            raise ValueError(f"shared={shared!r}: only for charts of every document (doc_id=None)")
        title, measure = TITLES[name][lang]
        subtitle = f"{_doc_label(_document(documents, doc_id), lang)}{stop}{measure}"
    if shown is not None and total is not None and shown < total:
        if doc_id is None:
            subtitle += (f"；只列出字数最多的 {shown} 份" if lang == "zh"
                         else f"; the {shown} longest shown")
        else:
            subtitle += f"；只列出前 {shown} 项" if lang == "zh" else f"; top {shown} shown"
    return title, subtitle, source_line(documents, doc_id)


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
    documents = _documents(tables)
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
    try:
        finish(fig, *chart_texts(name, documents, doc_id, lang=lang, shown=shown, total=total,
                                   shared=shared))
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
    documents = _documents(tables)
    if doc_id is not None:
        _document(documents, doc_id)
        targets = [(doc_id, out)]
    else:
        targets = [(d, out / _safe_dirname(d)) for d in documents["doc_id"].dropna().unique()]
    written: list[Path] = []
    with plt.rc_context():
        use_style()
        for did, folder in targets:
            one = {name: _filter(tables, name, did) for name in tables}
            one["documents"] = documents[documents["doc_id"] == did]
            lang = _lang_of_document(_document(documents, did))
            for name in _CHARTS:
                written += export_chart(name, one, doc_id=did, out_dir=folder, lang=lang, formats=formats,
                                        lexicon=lexicon, close=True)
    return written
