"""The texts of the standard charts: title, subtitle (what the chart covers, then what it measures), source line.

``TITLES`` holds the charts drawn for one document each, ``CORPUS_TITLES``
those of every document at once, each in English and Chinese.
``chart_texts`` puts them together for one chart; ``documents_table`` and
``document_row`` find the documents the subtitle names.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.charts.style import chart_labels, clean_text, source_line

__all__ = ["TITLES", "CORPUS_TITLES", "chart_texts", "documents_table", "document_row"]

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


def documents_table(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The documents table, or one made of the doc_ids found in the other tables."""
    documents = tables.get("documents")
    if documents is None or documents.empty:
        ids = sorted({i for name, df in tables.items() if name != "errors" and df is not None and "doc_id" in df.columns
                      for i in df["doc_id"].dropna()})
        documents = pd.DataFrame({"doc_id": ids})
    return documents


def document_row(documents: pd.DataFrame, doc_id: str) -> dict:
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
                shared: int | None = None, note: str | None = None) -> tuple[str, str, str | None]:
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
      ``total`` items are drawn (``shown < total``). Then ``note`` as a sentence
      of its own (topic charts: how many exchanges the lexicon tagged, from
      ``analysis.topic_coverage.coverage_note``);
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
        subtitle = f"{_doc_label(document_row(documents, doc_id), lang)}{stop}{measure}"
    if shown is not None and total is not None and shown < total:
        if doc_id is None:
            subtitle += (f"；只列出字数最多的 {shown} 份" if lang == "zh"
                         else f"; the {shown} longest shown")
        else:
            subtitle += f"；只列出前 {shown} 项" if lang == "zh" else f"; top {shown} shown"
    if note:
        subtitle += f"。{note}" if lang == "zh" else f". {note}"
    return title, subtitle, source_line(documents, doc_id)
