"""What each exchange was about, from its own words: one row per exchange, its key terms written on it.

``plot_key_terms`` draws the answer length of each exchange as a light bar with
the exchange's top key terms (``analysis.keyterms.key_terms``) beside it;
``export_key_terms_chart`` titles, credits and saves it (``key_terms_by_exchange``
with the CSV behind it), like the standard charts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.charts.axes import hbar_frame, new_axes, rows_height
from analysis.charts.data import NoDataError
from analysis.charts.export import FORMATS, save_chart
from analysis.charts.style import INK, SKY, VALUE_SIZE, finish, plain_text, source_line
from analysis.charts.titles import _doc_label, document_row, documents_table
from analysis.keyterms import key_terms

NAME = "key_terms_by_exchange"
TEXTS = {  # lang: (title, what it measures, x axis)
    "en": ("What each exchange was about",
           "Each exchange's most distinctive words, against the rest of the interview and general Chinese; "
           "bar: answer length", "Answer length (characters)"),
    "zh": ("每轮问答谈了什么",
           "每轮问答最有特色的词（与本次采访的其他问答及一般中文相比）；条长为回答字数", "回答字数"),
}


def plot_key_terms(terms: pd.DataFrame, exchanges: pd.DataFrame, *, top: int = 3, lang: str = "zh",
                   ax: Axes | None = None) -> Axes:
    """One row per exchange of one document (first on top): answer length as a bar, top terms beside it.

    ``terms``: ``key_terms(..., by="exchange")`` (exchange_id, term, rank);
    ``exchanges``: exchange_id, answer_chars. Exchanges without key terms show
    an empty row. NoDataError when there are no exchanges.
    """
    if lang not in TEXTS:
        raise ValueError(f"lang={lang!r}: choose from {sorted(TEXTS)}")
    if exchanges is None or exchanges.empty:
        raise NoDataError("no exchanges to show")
    if exchanges["doc_id"].nunique() > 1 or (len(terms) and terms["doc_id"].nunique() > 1):
        raise ValueError("plot_key_terms draws one document: select it first")
    ex = exchanges.sort_values("exchange_id", ignore_index=True)
    sep = "、" if lang == "zh" else ", "
    words = terms[terms["rank"] <= top].groupby("exchange_id")["term"].agg(lambda s: sep.join(s))
    chars = ex["answer_chars"].fillna(0).astype(float).to_numpy()
    ax = new_axes(ax, rows_height(len(ex), per_row=0.36))
    ax.barh(np.arange(len(ex)), chars, height=0.6, color=SKY, alpha=0.45)
    ax.set_yticks(np.arange(len(ex)), labels=[str(int(i) + 1) for i in ex["exchange_id"]])
    hbar_frame(ax, len(ex))
    pad = max(chars.max(initial=0), 1) * 0.01
    for y, (i, n) in enumerate(zip(ex["exchange_id"], chars)):
        ax.text(n + pad, y, plain_text(words.get(int(i), "")), va="center", ha="left", fontsize=VALUE_SIZE, color=INK)
    ax.set_xlim(0, max(chars.max(initial=0), 1) * 1.9)  # room for the words right of the longest bar
    ax.set_xlabel(TEXTS[lang][2])
    return ax


def export_key_terms_chart(tables: Mapping[str, pd.DataFrame], doc_id: str, *,
                           out_dir: str | os.PathLike, lang: str = "zh", top: int = 3,
                           formats: Sequence[str] = FORMATS) -> list[Path]:
    """Draw, title and save ``key_terms_by_exchange`` for one document (its CSV: every exchange's terms)."""
    documents = documents_table(tables)
    doc = document_row(documents, doc_id)
    one = {k: v[v["doc_id"] == doc_id] for k, v in tables.items() if isinstance(v, pd.DataFrame) and "doc_id" in v}
    terms = key_terms(one["tokens"], top=max(top, 5), documents=one.get("documents"), turns=one.get("turns"),
                      mentions=one.get("mentions"))
    ax = plot_key_terms(terms, one["exchanges"], top=top, lang=lang)
    title, measure, _ = TEXTS[lang]
    finish(ax.figure, title, f"{_doc_label(doc, lang)}{'。' if lang == 'zh' else '. '}{measure}",
           source_line(documents, doc_id))
    data = terms.assign(exchange=terms["exchange_id"] + 1)
    return save_chart(ax.figure, NAME, out_dir=out_dir, formats=formats, data=data)
