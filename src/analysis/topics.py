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

import logging
import re

import numpy as np
import pandas as pd
import yaml

from analysis import config, language, schema
from analysis.schema import KEYWORDS, TOPICS
from analysis.text import normalize

log = logging.getLogger(__name__)

LEXICON = config.RESOURCES_DIR / "topics.yaml"  # the shipped lexicon

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

        df = pd.read_csv(io.StringIO(language.read_text(path)), dtype=str, keep_default_na=False)
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
        data = yaml.load(language.read_text(path), Loader=yaml.BaseLoader) or {}
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
    """The topic lexicon -> topic, keyword, key (what is matched), label_<lang>...

    ``lexicon``: a ``language.Resources`` (its lexicon files, yours extending the
    shipped one), or one or more lexicon files used instead of the shipped one
    (``[LEXICON, "mine.yaml"]`` extends it); default the shipped lexicon."""
    return language.resolve(lexicon if isinstance(lexicon, language.Resources) else None,
                            lexicon=None if isinstance(lexicon, language.Resources) else lexicon,
                            replace={"lexicon"}).lexicon()


def _pick(resources, lexicon):
    if resources is not None and lexicon is not None:
        raise TypeError("give either resources= or lexicon=, not both")
    return lexicon if resources is None else resources


def read_lexicons(paths) -> pd.DataFrame:
    """Several lexicon files -> one lexicon (``Resources.lexicon`` reads with this)."""
    df = pd.concat([read_lexicon(path) for path in paths], ignore_index=True)
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

    One entry per topic of the lexicon (``lexicon`` as in ``load_lexicon``: pass
    the build's ``language.Resources`` so that your own topics get their labels),
    in lexicon order. ``topic_labels("en")`` maps every name to itself unless the lexicon
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


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """starts[0], starts[0] + 1, ... (lengths[0] numbers), then the same from starts[1], ..."""
    offsets = np.cumsum(lengths) - lengths
    return np.arange(lengths.sum()) + np.repeat(starts - offsets, lengths)


def _find_hits(tokens: pd.DataFrame, lex: pd.DataFrame) -> pd.DataFrame:
    """Every keyword occurrence -> row (first token, positional), last, entry (its row
    of ``lex``), tid (its topic: a code into the lexicon's topics).

    One-token keywords first (by row, then lexicon order), then the others (by
    topic, then row).
    """
    codes, cats = _norm_codes(tokens)
    key_of_entry, keys = pd.factorize(lex["key"])
    keys = keys.tolist()

    # Keywords that are one token: a lookup on the norm codes (code -1, no norm,
    # lands on the extra last slot).
    key_of_cat = np.append(pd.Index(keys, dtype=object).get_indexer(cats), -1)
    single_row = np.flatnonzero(key_of_cat[codes] >= 0)
    single_key = key_of_cat[codes[single_row]]
    row, last, key = _multi_token_matches(tokens, codes, cats, keys)

    # A key stands for one entry per topic that has it: each match repeated
    # for each of its key's entries, in lexicon order.
    by_key = np.argsort(key_of_entry, kind="stable")
    n_entries = np.bincount(key_of_entry, minlength=len(keys))
    first_entry = np.cumsum(n_entries) - n_entries
    single_entry = by_key[_ranges(first_entry[single_key], n_entries[single_key])]
    single_row = np.repeat(single_row, n_entries[single_key])
    entry = by_key[_ranges(first_entry[key], n_entries[key])]
    row, last = np.repeat(row, n_entries[key]), np.repeat(last, n_entries[key])

    # Within a topic the longest keyword wins where two overlap, and a one-token
    # keyword inside a longer one of its topic does not count.
    topic_of_entry, topic_ids = pd.factorize(lex["topic"])
    kept = _longest_wins(row, last, topic_of_entry[entry])
    row, last, entry = row[kept], last[kept], entry[kept]
    n_topics = len(topic_ids)
    size = last - row + 1
    covered = _ranges(row, size) * n_topics + np.repeat(topic_of_entry[entry], size)
    single = ~np.isin(single_row * n_topics + topic_of_entry[single_entry], covered)
    entry = np.concatenate([single_entry[single], entry])
    return pd.DataFrame({
        "row": np.concatenate([single_row[single], row]),
        "last": np.concatenate([single_row[single], last]),
        "entry": entry,
        "tid": topic_of_entry[entry],
    })


def _multi_token_matches(tokens: pd.DataFrame, codes: np.ndarray, cats: list[str],
                         keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where keys spelled by several tokens occur -> (first token row, last token row, key), by length.

    All matches advance in step, one token of their turn at a time. A match in
    progress is the text read so far, one of the keys' beginnings (``prefixes``).
    """
    key_id = {k: n for n, k in enumerate(keys)}
    prefixes = list(dict.fromkeys(k[:i] for k in keys for i in range(1, len(k))))
    prefix_id = {p: n for n, p in enumerate(prefixes)}
    start, end, turn = (tokens[c].to_numpy() for c in ("start", "end", "turn_id"))
    doc = tokens["doc_id"].astype("category").cat.codes.to_numpy()
    state_of_cat = np.array([prefix_id.get(c, -1) for c in cats] + [-1], dtype=np.int64)
    first = np.flatnonzero(state_of_cat[codes] >= 0)
    state, last = state_of_cat[codes[first]], first
    found = [(first[:0], first[:0], first[:0])]
    while len(first):
        more = last + 1 < len(codes)
        first, last, state = first[more], last[more], state[more]
        nxt = last + 1
        more = (turn[nxt] == turn[first]) & (doc[nxt] == doc[first])
        first, state, nxt = first[more], state[more], nxt[more]
        # What the text becomes is worked out once per distinct (text so far,
        # next token, space between): far fewer than the matches in progress.
        step = (state * (len(cats) + 1) + codes[nxt] + 1) * 2 + (end[nxt - 1] < start[nxt])
        distinct, inverse = np.unique(step, return_inverse=True)
        grown = np.empty(len(distinct), np.int64)
        matched = np.empty(len(distinct), np.int64)
        for k, s in enumerate(distinct.tolist()):
            at, code = divmod(s >> 1, len(cats) + 1)
            text, word = prefixes[at], cats[code - 1]
            text += (" " if s & 1 and text[-1] in _ALNUM and word[0] in _ALNUM else "") + word
            grown[k], matched[k] = prefix_id.get(text, -1), key_id.get(text, -1)
        key, state = matched[inverse], grown[inverse]
        found.append((first[key >= 0], nxt[key >= 0], key[key >= 0]))
        first, last, state = first[state >= 0], nxt[state >= 0], state[state >= 0]
    return tuple(np.concatenate(parts) for parts in zip(*found))


def _longest_wins(row: np.ndarray, last: np.ndarray, topic: np.ndarray) -> np.ndarray:
    """Matches (first and last token rows, topic) -> positions of those kept, by topic and row.

    Scanning a topic's matches by row, the longest first where several start
    together, a match is kept unless it starts inside one kept before it.
    """
    order = np.lexsort((row - last, row, topic))
    row, last, topic = row[order], last[order], topic[order]
    # A match that no earlier match of its topic reaches is kept; only runs of
    # overlapping matches (few) need the scan. The offset keeps topics apart.
    offset = topic * (int(last.max(initial=0)) + 2)
    keep = row + offset > np.maximum.accumulate(np.r_[-1, (last + offset)[:-1]])
    reach = -1
    for k in np.flatnonzero(~keep | np.r_[~keep[1:], False]).tolist():
        if keep[k] or row[k] > reach:
            keep[k], reach = True, last[k]
    return order[keep]


def _keyword_hits(tokens: pd.DataFrame, lex: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """``_find_hits`` and, for each hit, the exchange_id and role of its first token
    and doc (a code into the returned doc_ids, which are sorted) -> (hits, doc_ids)."""
    hits = _find_hits(tokens, lex)
    row = hits["row"].to_numpy()
    # Codes rather than doc_id strings: sorting and grouping hits stay numeric.
    doc = tokens["doc_id"].astype("category")
    rank, doc_ids = pd.factorize(doc.cat.categories.astype(str), sort=True)
    return hits.assign(
        doc=rank[doc.cat.codes.to_numpy()[row]],
        exchange_id=tokens["exchange_id"].take(row).astype("Int32").array,
        role=tokens["role"].take(row).astype(schema.ROLE).array,
    ), np.asarray(doc_ids, dtype=object)


def find_keywords(tokens: pd.DataFrame, resources=None, *, lexicon=None) -> pd.DataFrame:
    """Tokens -> one row per keyword occurrence: the id columns of its first token,
    topic, keyword, start, end (offsets of the whole match in the document text).
    ``resources`` / ``lexicon``: as in ``to_topics``."""
    lex = load_lexicon(_pick(resources, lexicon))
    if tokens.empty or lex.empty:
        return pd.DataFrame(columns=["doc_id", "turn_id", "exchange_id", "role", "topic", "keyword", "start", "end"])
    hits, doc_ids = _keyword_hits(tokens, lex)
    start = tokens["start"].to_numpy(np.int32)
    hits = hits.take(np.lexsort((hits["tid"], start[hits["row"]], hits["doc"])))
    row = hits["row"].to_numpy()
    return pd.DataFrame({
        "doc_id": doc_ids[hits["doc"].to_numpy()],
        "turn_id": tokens["turn_id"].to_numpy()[row],
        "exchange_id": hits["exchange_id"].array,
        "role": hits["role"].array,
        "topic": pd.Categorical.from_codes(hits["tid"].to_numpy(), categories=pd.Index(lex["topic"].unique())),
        "keyword": lex["keyword"].array.take(hits["entry"].to_numpy()),
        "start": start[row],
        "end": tokens["end"].to_numpy(np.int32)[hits["last"].to_numpy()],
    })


def to_topics(tokens: pd.DataFrame, resources=None, *, lexicon=None) -> pd.DataFrame:
    """Tokens -> one row per (doc_id, exchange_id, topic) with at least one keyword hit.

    In: a tokens table (doc_id, turn_id, exchange_id, role, norm, start, end).
    Out: the ``TOPICS`` columns. Hits in narration, and in text before the
    first question (no exchange), are not counted.
    ``resources``: the ``language.Resources`` whose lexicon is used; or
    ``lexicon``: files used instead of the shipped lexicon (as in ``load_lexicon``).
    """
    lex = load_lexicon(_pick(resources, lexicon))
    topic_ids = pd.Index(lex["topic"].unique())
    hits, doc_ids = _keyword_hits(tokens, lex)
    hits = hits[hits["exchange_id"].notna() & hits["role"].isin(["question", "answer"])]
    if hits.empty:
        out = schema.empty(TOPICS)
        out["topic"] = pd.Categorical([], categories=topic_ids)
        return out
    # One integer per (doc_id, exchange_id, topic), increasing in that order.
    exchange = hits["exchange_id"].to_numpy(np.int64)
    width, n_topics = int(exchange.max()) + 1, len(topic_ids)
    keys, row_of_hit = np.unique((hits["doc"].to_numpy() * width + exchange) * n_topics + hits["tid"].to_numpy(),
                                 return_inverse=True)
    question = (hits["role"] == "question").to_numpy()
    # The keywords of each row, most hits first, then alphabetical: the distinct
    # (row, keyword) pairs put in that order, then joined in one pass.
    n_lex = len(lex)
    pairs, n = np.unique(row_of_hit * n_lex + hits["entry"].to_numpy(), return_counts=True)
    alphabetical = pd.factorize(lex["keyword"], sort=True)[0]
    pairs = pairs[np.lexsort((alphabetical[pairs % n_lex], -n, pairs // n_lex))]
    words = lex["keyword"].to_numpy(object)[pairs % n_lex].tolist()
    bounds = np.r_[0, np.cumsum(np.bincount(pairs // n_lex, minlength=len(keys)))].tolist()
    out = pd.DataFrame({
        "doc_id": doc_ids[keys // n_topics // width],
        "exchange_id": keys // n_topics % width,
        "topic": pd.Categorical.from_codes(keys % n_topics, categories=topic_ids),
        "hits_question": np.bincount(row_of_hit, weights=question, minlength=len(keys)),
        "hits_answer": np.bincount(row_of_hit, weights=~question, minlength=len(keys)),
        "keywords": [", ".join(words[a:b]) for a, b in zip(bounds[:-1], bounds[1:])],
    })
    return out.astype({k: v for k, v in TOPICS.items() if k != "topic"})


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
