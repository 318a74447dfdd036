"""Tokens -> topics of each exchange, and the keywords of each exchange or document.

``to_topics`` tags exchanges with the topics of a lexicon (``resources/topics.yaml``:
topic -> keywords), counting keyword hits in the question and in the answer.
``count_keywords`` ranks the words of each exchange or document by TF-IDF
against the other exchanges or documents of the same tokens table.

A lexicon file is YAML or CSV. In YAML, a topic maps either to its list of
keywords, or to a mapping with the keywords and display labels::

    Open source: [开源, open source]          # plain form: keywords only
    Chips and export controls:                # with a label per language
      label_zh: 芯片与出口管制
      keywords: [芯片, 出口管制, chips]

A CSV has the columns ``topic,keyword`` and optionally ``label_zh`` (the same
label on every row of a topic, or on one row and empty on the others).

The topic name is the stable id: it is what the ``topic`` column of every
table holds, whatever the language of a chart. ``label_<lang>`` (``label_zh``;
``label_en`` if the name itself should not be shown) is only what charts in
that language display; ``topic_labels(lang)`` gives the mapping, falling back
to the name for a topic without a label. When several lexicon files are
combined, the last file that labels a topic wins.
"""

from __future__ import annotations

import functools
import logging
import re

import numpy as np
import pandas as pd
import yaml

from analysis import schema
from analysis.segment import RESOURCES, as_paths, normalize, read_text, stamp

log = logging.getLogger(__name__)

LEXICON = RESOURCES / "topics.yaml"

TOPICS = {
    "doc_id": schema.STR,
    "exchange_id": "Int32",
    "topic": "category",        # categories in lexicon order
    "hits_question": "int32",   # keyword hits in the exchange's question turns
    "hits_answer": "int32",     # keyword hits in its answer turns
    "keywords": schema.STR,     # the keywords that hit, most hits first, ", "-joined
}

KEYWORDS = {
    "doc_id": schema.STR,
    "exchange_id": "Int32",     # only when counted by exchange
    "keyword": schema.STR,      # the spelling most used in the corpus
    "n": "int32",               # times it occurs in the unit
    "score": "float64",         # tf-idf
    "rank": "int32",            # 1 = highest score in the unit
}

# A space only separates two keyword parts when both sides are Latin letters or
# digits ("ai safety"); elsewhere it is dropped ("出口 管制" == "出口管制").
_LOOSE_SPACE = re.compile(r" (?![0-9a-z])|(?<![0-9a-z]) ")
_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")


def _key(keyword: str) -> str:
    return _LOOSE_SPACE.sub("", normalize(keyword).strip())


_LABEL = re.compile(r"label_[a-z]+")


def _label_columns(columns) -> list[str]:
    return [c for c in columns if _LABEL.fullmatch(c)]


def read_lexicon(path) -> pd.DataFrame:
    """A lexicon file -> one row per (topic, keyword), with the topic's labels.

    YAML: a mapping topic -> list of keywords, or topic -> mapping with
    ``keywords`` and ``label_<lang>`` keys; every value read as text.
    CSV (``.csv``): columns ``topic,keyword`` and optionally ``label_<lang>``.
    Out: topic, keyword, and one ``label_<lang>`` column per language labelled
    in the file (missing where a topic has none).
    """
    name = str(path)
    if name.lower().endswith(".csv"):
        import io

        df = pd.read_csv(io.StringIO(read_text(path)), dtype=str, keep_default_na=False)
        missing = {"topic", "keyword"} - set(df.columns)
        if missing:
            raise ValueError(f"{path}: a topic lexicon CSV needs the columns topic,keyword[,label_zh] "
                             f"(missing {sorted(missing)})")
        label_cols = _label_columns(df.columns)
        rows = [(t.strip(), k.strip()) for t, k in zip(df["topic"], df["keyword"])]
        labels: dict[str, dict[str, str]] = {}
        for col in label_cols:
            for topic, label in zip(df["topic"].str.strip(), df[col].str.strip()):
                if not label:
                    continue
                seen = labels.setdefault(col, {}).setdefault(topic, label)
                if seen != label:
                    raise ValueError(f"{path}: topic {topic!r} has two {col} values: {seen!r} and {label!r}")
    else:
        # BaseLoader reads every scalar as text: 5G, 2025, "no" stay what was written.
        data = yaml.load(read_text(path), Loader=yaml.BaseLoader) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: a topic lexicon is a mapping of topic -> list of keywords")
        rows, labels = [], {}
        for topic, entry in data.items():
            topic = topic.strip()
            if isinstance(entry, dict):
                unknown = [k for k in entry if k != "keywords" and not _LABEL.fullmatch(k)]
                if unknown:
                    raise ValueError(f"{path}: topic {topic!r}: unknown key(s) {unknown}; a topic maps to a "
                                     "list of keywords, or to keywords: [...] and label_zh (or label_<lang>)")
                for col in _label_columns(entry):
                    if not isinstance(entry[col], str):
                        raise ValueError(f"{path}: topic {topic!r}: {col} is one line of text")
                    if entry[col].strip():
                        labels.setdefault(col, {})[topic] = entry[col].strip()
                words = entry.get("keywords")
            else:
                words = entry
            words = [words] if isinstance(words, str) else words or []
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise ValueError(f"{path}: topic {topic!r} needs a list of keywords")
            rows.extend((topic, w.strip()) for w in words)
    df = pd.DataFrame([r for r in rows if r[0] and r[1]], columns=["topic", "keyword"])
    for col, by_topic in sorted(labels.items()):
        df[col] = df["topic"].map(by_topic)
    return df.astype(dict.fromkeys(df.columns, schema.STR))


def load_lexicon(lexicon=None) -> pd.DataFrame:
    """The lexicon files (default: the shipped one) -> topic, keyword, key (what is matched), label_<lang>..."""
    return _lexicon(stamp(as_paths(lexicon) or (LEXICON,))).copy()


@functools.cache
def _lexicon(files: tuple[tuple[str, int], ...]) -> pd.DataFrame:
    """Read once per set of lexicon files (and their mtimes)."""
    df = pd.concat([read_lexicon(path) for path, _ in files], ignore_index=True)
    df["key"] = pd.array([_key(k) for k in df["keyword"]], dtype=schema.STR)
    # Every row of a topic gets the label of the last file that gives one.
    for col in _label_columns(df.columns):
        last = df.dropna(subset=[col]).drop_duplicates("topic", keep="last").set_index("topic")[col]
        df[col] = df["topic"].map(last).astype(schema.STR)
    df = df.drop_duplicates(["topic", "key"]).reset_index(drop=True)
    log.info("topic lexicon: %d topics, %d keywords", df["topic"].nunique(), len(df))
    return df


def topic_labels(lang: str = "zh", lexicon=None) -> dict[str, str]:
    """Topic name -> what a chart in ``lang`` shows: the lexicon's ``label_<lang>``, else the name.

    One entry per topic of the lexicon (default: the shipped one), in lexicon
    order. ``topic_labels("en")`` maps every name to itself unless the lexicon
    has ``label_en``.
    """
    if not isinstance(lang, str) or not _LABEL.fullmatch(f"label_{lang}"):
        raise ValueError(f"lang={lang!r}: a language code such as 'zh' or 'en'")
    lex = load_lexicon(lexicon).drop_duplicates("topic")
    col = f"label_{lang}"
    labels = lex[col] if col in lex.columns else pd.Series(pd.NA, index=lex.index)
    return {t: t if pd.isna(label) else label for t, label in zip(lex["topic"], labels)}


def _norm_codes(tokens: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    norm = tokens["norm"]
    if not isinstance(norm.dtype, pd.CategoricalDtype):
        norm = norm.astype("category")
    return norm.cat.codes.to_numpy(np.int64), norm.cat.categories.astype(object).tolist()


def _find_hits(tokens: pd.DataFrame, lex: pd.DataFrame) -> pd.DataFrame:
    """Every keyword occurrence -> row (first token, positional), last, topic, keyword."""
    codes, cats = _norm_codes(tokens)
    topic_ids = pd.Index(lex["topic"].unique())
    lex = lex.assign(tid=topic_ids.get_indexer(lex["topic"]))

    # Keywords that are one token: a lookup on the norm codes.
    cat_of_key = pd.Index(cats).get_indexer(lex["key"])
    one = lex[cat_of_key >= 0].assign(code=cat_of_key[cat_of_key >= 0])
    is_kw = np.zeros(len(cats) + 1, dtype=bool)
    is_kw[one["code"].to_numpy()] = True
    rows = np.flatnonzero(is_kw[codes])
    single = pd.DataFrame({"row": rows, "code": codes[rows]}).merge(one[["code", "tid", "keyword"]], on="code")
    single["last"] = single["row"]

    # Keywords spelled by several tokens: tried only from tokens whose norm
    # starts some keyword, extending token by token within the turn.
    by_key: dict[str, list[tuple[int, str]]] = {}
    for key, tid, kw in zip(lex["key"], lex["tid"], lex["keyword"]):
        by_key.setdefault(key, []).append((tid, kw))
    prefixes = {k[:i] for k in by_key for i in range(1, len(k))}
    starts_key = np.fromiter((c in prefixes for c in cats), dtype=bool, count=len(cats))
    multi = []
    candidates = np.flatnonzero(starts_key[codes] & (codes >= 0)) if len(cats) else np.zeros(0, np.int64)
    if len(candidates):
        start = tokens["start"].to_numpy(np.int64)
        end = tokens["end"].to_numpy(np.int64)
        turn = tokens["turn_id"].to_numpy(np.int64)
        doc = tokens["doc_id"].astype("category").cat.codes.to_numpy(np.int64)
        n = len(codes)
        # Keep only candidates whose first two tokens still spell a keyword's
        # beginning, judged once per distinct (token, gap, next token).
        candidates = candidates[candidates + 1 < n]
        nxt_i = candidates + 1
        same = (turn[nxt_i] == turn[candidates]) & (doc[nxt_i] == doc[candidates])
        candidates, nxt_i = candidates[same], nxt_i[same]
        gap = end[candidates] < start[nxt_i]
        pair = (codes[candidates] * (len(cats) + 1) + codes[nxt_i]) * 2 + gap
        uniq, inverse = np.unique(pair, return_inverse=True)
        good = np.zeros(len(uniq), dtype=bool)
        for k, p in enumerate(uniq.tolist()):
            first, second = cats[(p >> 1) // (len(cats) + 1)], cats[(p >> 1) % (len(cats) + 1)]
            sep = " " if p & 1 and first[-1] in _ALNUM and second[0] in _ALNUM else ""
            good[k] = first + sep + second in prefixes or first + sep + second in by_key
        candidates = candidates[good[inverse.ravel()]]
        for i in candidates.tolist():
            text = cats[codes[i]]
            j = i
            while j + 1 < n and turn[j + 1] == turn[i] and doc[j + 1] == doc[i]:
                nxt = cats[codes[j + 1]]
                gap = end[j] < start[j + 1] and text[-1] in _ALNUM and nxt[0] in _ALNUM
                text = text + (" " if gap else "") + nxt
                j += 1
                if text in by_key:
                    multi.extend((i, j, tid, kw) for tid, kw in by_key[text])
                if text not in prefixes:
                    break
    multi = pd.DataFrame(multi, columns=["row", "last", "tid", "keyword"]).astype(
        {"row": np.int64, "last": np.int64, "tid": np.int64, "keyword": object})

    # Within a topic the longest keyword wins where two overlap.
    if len(multi):
        multi = multi.assign(size=multi["last"] - multi["row"]).sort_values(
            ["tid", "row", "size"], ascending=[True, True, False])
        kept, last_tid, reach = [], -1, -1
        for k, (tid, row, last) in enumerate(zip(multi["tid"], multi["row"], multi["last"])):
            if tid != last_tid:
                last_tid, reach = tid, -1
            if row > reach:
                kept.append(k)
                reach = last
        multi = multi.iloc[kept].drop(columns="size")
        covered = pd.DataFrame(
            [(r, tid) for row, last, tid in zip(multi["row"], multi["last"], multi["tid"]) for r in range(row, last + 1)],
            columns=["row", "tid"],
        ).drop_duplicates()
        single = single.merge(covered.assign(_c=True), on=["row", "tid"], how="left")
        single = single[single["_c"].isna()].drop(columns="_c")
    hits = pd.concat([single[["row", "last", "tid", "keyword"]], multi], ignore_index=True)
    hits["topic"] = pd.Categorical.from_codes(hits["tid"].to_numpy(np.int64), categories=topic_ids)
    return hits.drop(columns="tid")


def find_keywords(tokens: pd.DataFrame, *, lexicon=None) -> pd.DataFrame:
    """Tokens -> one row per keyword occurrence: the id columns of its first token,
    topic, keyword, start, end (offsets of the whole match in the document text)."""
    lex = load_lexicon(lexicon)
    if tokens.empty or lex.empty:
        return pd.DataFrame(columns=["doc_id", "turn_id", "exchange_id", "role", "topic", "keyword", "start", "end"])
    hits = _find_hits(tokens.reset_index(drop=True), lex)
    first = tokens.iloc[hits["row"].to_numpy(np.int64)]
    out = pd.DataFrame({
        "doc_id": first["doc_id"].astype(str).to_numpy(),
        "turn_id": first["turn_id"].to_numpy(),
        "exchange_id": first["exchange_id"].astype("Int32").array,
        "role": first["role"].astype(schema.ROLE).array,
        "topic": hits["topic"].array,
        "keyword": hits["keyword"].astype(schema.STR).array,
        "start": first["start"].to_numpy(np.int32),
        "end": tokens["end"].to_numpy(np.int32)[hits["last"].to_numpy(np.int64)],
    })
    return out.sort_values(["doc_id", "start", "topic"], kind="stable").reset_index(drop=True)


def to_topics(tokens: pd.DataFrame, *, lexicon=None) -> pd.DataFrame:
    """Tokens -> one row per (doc_id, exchange_id, topic) with at least one keyword hit.

    In: a tokens table (doc_id, turn_id, exchange_id, role, norm, start, end).
    Out: the ``TOPICS`` columns. Hits in narration, and in text before the
    first question (no exchange), are not counted.
    ``lexicon``: one or more lexicon files used instead of the shipped one.
    """
    found = find_keywords(tokens, lexicon=lexicon)
    found = found[found["exchange_id"].notna() & found["role"].isin(["question", "answer"])]
    if found.empty:
        out = schema.empty(TOPICS)
        out["topic"] = pd.Categorical([], categories=load_lexicon(lexicon)["topic"].unique())
        return out
    found = found.assign(
        q=(found["role"] == "question").astype(np.int32),
        a=(found["role"] == "answer").astype(np.int32),
    )
    keys = ["doc_id", "exchange_id", "topic"]
    counts = found.groupby(keys, observed=True, sort=True).agg(hits_question=("q", "sum"), hits_answer=("a", "sum"))
    # The keywords of each row, most hits first: one pass over the (few) distinct
    # (row, keyword) pairs; a groupby with a Python join per group is 10x slower.
    kw = (
        found.groupby(keys + ["keyword"], observed=True).size().rename("n").reset_index()
        .sort_values(keys + ["n", "keyword"], ascending=[True, True, True, False, True])
    )
    joined: dict[tuple, list[str]] = {}
    for key, word in zip(zip(kw["doc_id"].tolist(), kw["exchange_id"].tolist(), kw["topic"].tolist()),
                         kw["keyword"].tolist()):
        joined.setdefault(key, []).append(word)
    counts["keywords"] = [", ".join(joined[k]) for k in counts.index.tolist()]
    out = counts.reset_index()
    return out.astype({k: v for k, v in TOPICS.items() if k != "topic"})[list(TOPICS)]


def count_keywords(tokens: pd.DataFrame, *, by: str = "exchange", top: int = 10,
                   roles=("question", "answer")) -> pd.DataFrame:
    """Tokens -> the ``top`` keywords of each exchange (``by="exchange"``) or
    document (``by="document"``) by TF-IDF against the other units of the table.

    Counted: tokens of the given ``roles`` (default: what was said, not
    narration) that are not stopwords or punctuation, are Han or Latin script
    (numbers and URLs are left out) and are longer than one character (single
    Han characters are mostly particles or fragments of names). Words are
    grouped by ``norm``; ``keyword`` shows the spelling used most.
    tf = n / words in the unit; idf = ln((1 + units) / (1 + units with the word)) + 1.
    Out: doc_id, [exchange_id], keyword, n, score, rank (1 = best; ties by n, then keyword).
    """
    if by not in ("exchange", "document"):
        raise ValueError(f"by must be 'exchange' or 'document', not {by!r}")
    unit_cols = ["doc_id", "exchange_id"] if by == "exchange" else ["doc_id"]
    columns = {k: v for k, v in KEYWORDS.items() if k in unit_cols or k not in ("doc_id", "exchange_id")}
    codes, cats = _norm_codes(tokens)
    long_enough = np.fromiter((len(c) > 1 for c in cats), dtype=bool, count=len(cats))
    keep = (
        ~tokens["is_stopword"].to_numpy(bool) & ~tokens["is_punct"].to_numpy(bool)
        & tokens["script"].isin(["han", "latin"]).to_numpy(bool)
        & tokens["role"].isin(list(roles)).to_numpy(bool)
        & (codes >= 0)
    )
    keep[keep] = long_enough[codes[keep]]
    exchange = tokens["exchange_id"].astype("Int32").to_numpy(dtype="int64", na_value=-1)
    if by == "exchange":
        keep &= exchange >= 0
    if not keep.any():
        return schema.empty(columns)
    # Everything below works on integer codes: units, words, spellings.
    doc = tokens["doc_id"].astype("category")
    doc_codes = doc.cat.codes.to_numpy(np.int64)[keep]
    code = codes[keep]
    width = int(exchange.max()) + 2
    unit_key = doc_codes * width + (exchange[keep] + 1 if by == "exchange" else 0)
    unit, unit_keys = pd.factorize(unit_key)
    n_cats = len(cats)
    pair, n = np.unique(unit.astype(np.int64) * n_cats + code, return_counts=True)
    p_unit, p_code = pair // n_cats, pair % n_cats
    total = np.bincount(p_unit, weights=n)
    df = np.bincount(p_code, minlength=n_cats)
    n_units = len(unit_keys)
    score = n / total[p_unit] * (np.log((1 + n_units) / (1 + df[p_code])) + 1)

    # The spelling shown is the most frequent token with that norm.
    tok = tokens["token"].astype("category")
    tok_codes = tok.cat.codes.to_numpy(np.int64)[keep]
    spell, spell_n = np.unique(code * (len(tok.cat.categories) + 1) + tok_codes, return_counts=True)
    s_code, s_tok = spell // (len(tok.cat.categories) + 1), spell % (len(tok.cat.categories) + 1)
    order = np.lexsort((-spell_n, s_code))
    first = order[np.r_[True, s_code[order][1:] != s_code[order][:-1]]]
    spelled = np.empty(n_cats, dtype=object)
    spelled[s_code[first]] = np.asarray(tok.cat.categories, dtype=object)[s_tok[first]]
    keyword = spelled[p_code]
    alpha = pd.Series(keyword).rank(method="dense").to_numpy()

    order = np.lexsort((alpha, -n, -score, p_unit))
    p_unit_sorted = p_unit[order]
    group_start = np.r_[0, np.flatnonzero(p_unit_sorted[1:] != p_unit_sorted[:-1]) + 1]
    rank = np.arange(len(order)) - np.repeat(group_start, np.diff(np.r_[group_start, len(order)])) + 1
    top_rows = order[rank <= top]
    rank = rank[rank <= top]
    key = unit_keys[p_unit[top_rows]]
    out = pd.DataFrame({
        "doc_id": np.asarray(doc.cat.categories, dtype=object)[key // width],
        **({"exchange_id": key % width - 1} if by == "exchange" else {}),
        "keyword": keyword[top_rows],
        "n": n[top_rows],
        "score": score[top_rows],
        "rank": rank,
    })
    out = out.sort_values(unit_cols + ["rank"], kind="stable").reset_index(drop=True)
    return out.astype(columns)[list(columns)]
