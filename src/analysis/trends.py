"""Tables of many dated documents -> how often names, topics and words came up, period by period.

``count_over_time(tables, entities=["英伟达"], topics=["Open source"], terms=["关税"])``
gives one row per period (month ``"M"`` or quarter ``"Q"``) and series: the
count in the answers (mentions of the entity, the topic's keyword hits, the
word's occurrences), the number of documents and of answer characters and words
in the period, and the count per 10,000 characters (or words) of answers.
Every period from the first to the last is there: a period without documents
has ``n_documents`` 0 and no count or rate (a gap in the chart, not a zero).

Dates are ``analysis.dates.add_dates``' ``date_norm``; documents without one
are left out, with a warning naming them (``result.attrs["undated"]``). Copies
of one interview are counted once (``analysis.copies``; ``attrs["copies"]``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.copies import add_duplicates
from analysis.dates import add_dates
from analysis.quotes import to_quotes

__all__ = ["TREND_COLUMNS", "count_over_time", "document_counts"]

log = logging.getLogger(__name__)

TREND_COLUMNS = ["period", "period_start", "kind", "series", "n", "n_documents", "answer_chars", "answer_words",
                 "per_10k", "doc_ids"]
FREQS = {"M": "M", "Q": "Q", "Y": "Y"}


def document_counts(tables: dict[str, pd.DataFrame], *, entities: Sequence[str] = (), topics: Sequence[str] = (),
                    terms: Sequence[str] = (), roles: Sequence[str] = ("answer",)) -> pd.DataFrame:
    """One row per document and series: doc_id, kind (entity / topic / term), series, n (in turns of ``roles``).

    Entities count rows of ``mentions`` (canonical name, so every spelling);
    topics the ``topics`` table's ``hits_<role>``; terms the hits
    ``analysis.quotes.to_quotes`` finds (in the text, so 公平 counts inside
    公平竞争 whatever the segmentation; on the tokens; and every spelling of a
    name), the very rows notebook 05 quotes. Every document gets every series,
    with 0 where there is none.
    """
    roles = list(roles)
    ids = tables["documents"]["doc_id"].astype(str)
    parts = []
    if entities:
        m = tables["mentions"]
        m = m[m["role"].astype(str).isin(roles) & m["entity"].astype("string").isin(list(entities))]
        parts.append(m.groupby([m["doc_id"].astype(str), m["entity"].astype(str)]).size()
                     .rename("n").rename_axis(["doc_id", "series"]).reset_index().assign(kind="entity"))
    if topics:
        t = tables["topics"]
        cols = [f"hits_{r}" for r in roles if f"hits_{r}" in t.columns]
        t = t[t["topic"].astype(str).isin(list(topics))]
        parts.append(t.assign(n=t[cols].sum(axis=1) if cols else 0)
                     .groupby([t["doc_id"].astype(str), t["topic"].astype(str)])["n"].sum()
                     .rename_axis(["doc_id", "series"]).reset_index().assign(kind="topic"))
    if terms:
        hits = to_quotes(tables, list(terms), roles=roles)
        parts.append(hits.groupby([hits["doc_id"].astype(str), hits["term"].astype(str)]).size()
                     .rename("n").rename_axis(["doc_id", "series"]).reset_index().assign(kind="term"))
    series = [("entity", s) for s in entities] + [("topic", s) for s in topics] + [("term", s) for s in terms]
    grid = pd.DataFrame([(d, kind, s) for d in ids for kind, s in series], columns=["doc_id", "kind", "series"])
    found = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["doc_id", "kind", "series", "n"])
    out = grid.merge(found, on=["doc_id", "kind", "series"], how="left")
    return out.assign(n=out["n"].fillna(0).astype("int64"))


def _bases(tables: dict[str, pd.DataFrame], roles: list[str]) -> pd.DataFrame:
    """Per document: answer_chars (non-whitespace characters of the turns of ``roles``) and answer_words."""
    turns = tables["turns"]
    chars = turns[turns["role"].astype(str).isin(roles)].groupby(turns["doc_id"].astype(str))["n_chars"].sum()
    tok = tables["tokens"]
    sel = tok["role"].astype(str).isin(roles) & ~tok["is_stopword"].astype(bool) & ~tok["is_punct"].astype(bool)
    words = tok[sel].groupby(tok["doc_id"].astype(str)).size()
    ids = tables["documents"]["doc_id"].astype(str)
    return pd.DataFrame({"doc_id": ids, "answer_chars": ids.map(chars).fillna(0).astype("int64").to_numpy(),
                         "answer_words": ids.map(words).fillna(0).astype("int64").to_numpy()})


def count_over_time(tables: dict[str, pd.DataFrame], *, entities: Sequence[str] = (), topics: Sequence[str] = (),
                    terms: Sequence[str] = (), freq: str = "M", roles: Sequence[str] = ("answer",),
                    per: str = "chars", count_copies: bool = False) -> pd.DataFrame:
    """Counts per period and series, normalised per 10,000 characters (``per="chars"``) or words of answers.

    In: tables with ``documents``, ``turns``, ``tokens``, ``exchanges`` and the
    ``mentions`` / ``topics`` the series need. Out: ``TREND_COLUMNS``, by
    series (in the order given) then period: period (``2024-03``, ``2024Q1``),
    period_start (its first day), kind, series, n, n_documents, answer_chars,
    answer_words, per_10k (n per 10,000 of the chosen base), doc_ids (the
    documents counted, "; "-joined). Periods without a
    document have n_documents 0 and n and per_10k missing. ``attrs``: undated
    (doc_ids without a date, left out), copies (left out unless ``count_copies``),
    freq and per.
    """
    if freq not in FREQS:
        raise ValueError(f"freq={freq!r}: choose 'M' (month), 'Q' (quarter) or 'Y' (year)")
    if per not in ("chars", "words"):
        raise ValueError(f"per={per!r}: choose 'chars' or 'words'")
    if not (entities or topics or terms):
        raise ValueError("nothing to count: give entities, topics or terms")
    roles = list(roles)
    docs = tables["documents"]
    if "date_norm" not in docs.columns:
        docs = add_dates(docs)
    if "duplicate_of" not in docs.columns:
        docs = add_duplicates(docs, tables["exchanges"])
    copies = [] if count_copies else docs.loc[docs["duplicate_of"].fillna("") != "", "doc_id"].astype(str).tolist()
    undated = docs.loc[docs["date_norm"].fillna("") == "", "doc_id"].astype(str).tolist()
    if undated:
        log.warning("%d document(s) without a date, left out of the counts over time: %s", len(undated),
                    ", ".join(undated))
    dated = docs[~docs["doc_id"].astype(str).isin(undated + copies)]
    period = {str(d): pd.Period(str(v), freq=FREQS[freq]) for d, v in zip(dated["doc_id"], dated["date_norm"])}
    counts = document_counts(tables, entities=entities, topics=topics, terms=terms, roles=roles)
    counts = counts[counts["doc_id"].isin(period)].merge(_bases(tables, roles), on="doc_id")
    counts["period"] = counts["doc_id"].map(period)
    by = counts.groupby(["kind", "series", "period"], sort=False).agg(
        n=("n", "sum"), n_documents=("doc_id", "nunique"), answer_chars=("answer_chars", "sum"),
        answer_words=("answer_words", "sum"), doc_ids=("doc_id", lambda d: "; ".join(sorted(set(d))))).reset_index()
    if period:
        every = pd.period_range(min(period.values()), max(period.values()), freq=FREQS[freq])
    else:
        every = pd.PeriodIndex([], freq=FREQS[freq])
    series = [("entity", s) for s in entities] + [("topic", s) for s in topics] + [("term", s) for s in terms]
    grid = pd.DataFrame([(k, s, p) for k, s in series for p in every], columns=["kind", "series", "period"])
    out = grid.merge(by, on=["kind", "series", "period"], how="left")
    out["n_documents"] = out["n_documents"].fillna(0).astype("int64")
    out["doc_ids"] = out["doc_ids"].fillna("")
    for col in ("answer_chars", "answer_words"):
        out[col] = out[col].fillna(0).astype("int64")
    out["n"] = out["n"].astype("Int64")
    base = out["answer_chars" if per == "chars" else "answer_words"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = out["n"].to_numpy(dtype=float, na_value=np.nan) / base * 10_000
    out["per_10k"] = np.where(base > 0, rate, np.nan)
    out["period_start"] = [p.start_time.date().isoformat() for p in out["period"]]
    out["period"] = out["period"].astype(str)
    out = out[TREND_COLUMNS]
    out.attrs.update(undated=undated, copies=copies, freq=freq, per=per)
    return out
