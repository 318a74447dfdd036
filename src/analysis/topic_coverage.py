"""How far to trust a topic chart: how many exchanges the lexicon tagged, and which topics rest on one keyword.

``rank_topics`` orders the topics of each document (exchanges tagged, then
keyword hits); ``coverage`` gives per document the exchanges, those tagged, and
the top topics whose hits all come from a single keyword; ``coverage_note`` says
it in a sentence for a chart's subtitle (Chinese or English) and
``coverage_warnings`` in the words ``analysis build`` prints. A lexicon that tags
fewer than half of the exchanges (``LOW``) says little about the interview.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

LOW = 0.5    # below this share of exchanges tagged, the coverage is called low
TOP = 3      # the topics checked for resting on one keyword


def rank_topics(topics: pd.DataFrame) -> pd.DataFrame:
    """Topics table -> one row per document and topic, best first.

    Out: doc_id, topic, n_exchanges (tagged with it), hits (keyword hits in
    questions and answers), keywords (the distinct keywords that hit, most hits
    first, a list), rank (1 = most exchanges; ties by more distinct keywords,
    then hits, then topic: a topic resting on one repeated word is the weaker).
    """
    columns = ["doc_id", "topic", "n_exchanges", "hits", "keywords", "rank"]
    t = topics.dropna(subset=["exchange_id", "topic"])
    if t.empty:
        return pd.DataFrame(columns=columns)
    t = t.assign(topic=t["topic"].astype(str), hits=t["hits_question"] + t["hits_answer"],
                 keywords=t["keywords"] if "keywords" in t else "")  # a table without them: none known
    # Keyword hits per topic: each exchange lists its keywords most hits first, without counts,
    # so a keyword counts once per exchange it is in.
    words = (t.assign(keyword=t["keywords"].fillna("").str.split(", ")).explode("keyword")
             .query("keyword != ''").groupby(["doc_id", "topic", "keyword"]).size().rename("n").reset_index()
             .sort_values(["doc_id", "topic", "n", "keyword"], ascending=[True, True, False, True])
             .groupby(["doc_id", "topic"])["keyword"].agg(list))
    out = t.groupby(["doc_id", "topic"]).agg(n_exchanges=("exchange_id", "nunique"), hits=("hits", "sum")).reset_index()
    out["keywords"] = [words.get((d, topic), []) for d, topic in zip(out["doc_id"], out["topic"])]
    out["n_keywords"] = out["keywords"].map(len)
    out = out.sort_values(["doc_id", "n_exchanges", "n_keywords", "hits", "topic"],
                          ascending=[True, False, False, False, True], ignore_index=True)
    out["rank"] = out.groupby("doc_id").cumcount() + 1
    return out[columns]


def coverage(topics: pd.DataFrame, exchanges: pd.DataFrame) -> pd.DataFrame:
    """One row per document of ``exchanges``: n_exchanges, n_tagged (exchanges with a topic), share,
    low (share < ``LOW``), single (the top ``TOP`` topics whose hits all come from one keyword:
    a list of (topic, keyword))."""
    n = exchanges.groupby("doc_id")["exchange_id"].nunique()
    tagged = topics.dropna(subset=["exchange_id", "topic"]).groupby("doc_id")["exchange_id"].nunique()
    ranked = rank_topics(topics)
    top = ranked[(ranked["rank"] <= TOP) & (ranked["keywords"].map(len) == 1)]
    single = {d: list(zip(g["topic"], g["keywords"].str[0])) for d, g in top.groupby("doc_id")}
    out = pd.DataFrame({"doc_id": n.index.astype(str), "n_exchanges": n.to_numpy()})
    out["n_tagged"] = out["doc_id"].map(tagged).fillna(0).astype(int)
    out["share"] = (out["n_tagged"] / out["n_exchanges"].where(out["n_exchanges"] > 0)).astype(float)
    out["low"] = out["share"].fillna(0) < LOW
    out["single"] = [single.get(d, []) for d in out["doc_id"]]
    return out


_SENTENCES = {  # lang: (exchanges tagged, fewer than half, a topic on one keyword)
    "zh": ("词表标注了 {n} 轮问答中的 {k} 轮（{share}）", "，不足一半：其余问答谈了什么，这里看不出",
           "；「{topic}」只来自一个关键词（{keyword}）"),
    "en": ("The lexicon tagged {k} of {n} exchanges ({share})", ": fewer than half, so the rest of the interview is not shown",
           "; “{topic}” rests on one keyword ({keyword})"),
}


def _sentence(row, lang: str, labels: Mapping[str, str]) -> str:
    tagged, low, single = _SENTENCES[lang]
    share = f"{row.share:.0%}" if pd.notna(row.share) else "–"
    text = tagged.format(n=row.n_exchanges, k=row.n_tagged, share=share) + (low if row.low else "")
    return text + "".join(single.format(topic=labels.get(t) or t, keyword=k) for t, k in row.single)


def coverage_note(topics: pd.DataFrame | None, exchanges: pd.DataFrame | None, *, lang: str = "zh",
                  labels: Mapping[str, str] | None = None) -> str | None:
    """The coverage of one document in a sentence, for a topic chart's subtitle; None without exchanges.

    "词表标注了 14 轮问答中的 6 轮（43%），不足一半：……；「健康」只来自一个关键词（疫情）" /
    "The lexicon tagged 6 of 14 exchanges (43%): fewer than half, ...; “health” rests on one keyword (疫情)".
    ``labels``: topic -> the name shown (``topics.topic_labels(lang)``).
    """
    if topics is None or exchanges is None or exchanges.empty:
        return None
    rows = coverage(topics, exchanges)
    if len(rows) != 1:
        raise ValueError(f"coverage_note is for one document; got {len(rows)}")
    return _sentence(rows.iloc[0], lang, labels or {})


def coverage_warnings(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """One line per document whose topics need care: few exchanges tagged, or a top topic on one keyword."""
    exchanges, topics = tables.get("exchanges"), tables.get("topics")
    if exchanges is None or topics is None or exchanges.empty:
        return []
    rows = coverage(topics, exchanges)
    return [f"{row.doc_id}: topics: {_sentence(row, 'en', {})}" for row in rows.itertuples(index=False)
            if row.low or row.single]
