"""Turns + mentions + tokens -> quotes: every place a term is said, with who said it, in answer to what.

``to_quotes(tables, "英伟达")`` finds a term, a list of terms or a regular
expression in the turns (answers by default) and returns one row per hit with
the whole sentence(s) holding it, ready to cite. A term is matched

- in the text (Latin letters in any case and as whole words: ``AI`` never
  matches inside ``OpenAI``; a space matches any run of whitespace);
- on the tokens' ``norm`` (NFKC, case-folded: ``ＡＩ`` is ``ai``);
- on the mentions: a term that is an entity's canonical name or one of its
  spellings anywhere in the corpus finds every mention of that entity
  (``英伟达`` finds ``NVIDIA``, and ``NVIDIA`` finds ``英伟达``).

Spans a turn's ``unsaid`` column marks (time marks, markup, stage directions)
are never quoted: a hit inside one is dropped, and they are cut out of the
sentence and the context. ``format_citation`` and ``quotes_markdown`` turn the
rows into text to paste into an article; ``write_quotes`` saves CSV and Markdown.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from analysis.corpus.files import check_writable, write_atomic
from analysis.text import HAN_RE

__all__ = ["QUOTE_COLUMNS", "to_quotes", "sentence_span", "format_citation", "quotes_markdown", "write_quotes"]

QUOTE_COLUMNS = [
    "doc_id", "exchange_id", "turn_id", "speaker", "role", "term", "match", "question", "quote", "left", "right",
    "start", "end", "quote_start", "quote_end", "title", "source", "date",
]

# A Chinese sentence ends at 。！？ or an ellipsis, an English one at . ! ? before a space; closing quotes
# and brackets right after the mark stay with the sentence. A line break always ends one.
_END = re.compile(r"(?:[。！？!?]+|…+|\.{3,}|(?<![.\d])\.(?=\s|$))[”’」』）)\"'》]*|\n")
# "Mr. Huang", "U.S. chips", "e.g. this": a full stop after these is not a sentence end.
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|vs|etc|Inc|Ltd|Co|No)|\b[A-Za-z]\.[A-Za-z]|\b[A-Z])$")
_WORD = re.compile(r"[A-Za-z0-9]")


def _term_pattern(term: str) -> str:
    """A literal term as a regex: Latin ends match as whole words, a space matches any whitespace."""
    body = r"\s+".join(re.escape(part) for part in term.split())
    left = r"(?<![A-Za-z0-9])" if _WORD.match(term[0]) else ""
    right = r"(?![A-Za-z0-9])" if _WORD.match(term[-1]) else ""
    return left + body + right


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).casefold().split())


def _unsaid(value: object) -> list[tuple[int, int]]:
    if not isinstance(value, str) or not value:
        return []
    return [(int(s), int(e)) for s, e in json.loads(value)]


def sentence_span(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The sentence(s) of ``text[lo:hi]`` holding ``text[start:end]``: (first char, one past the last), trimmed.

    Sentences end at 。！？…, ``.``/``!``/``?`` before a space (not after
    ``Mr.`` or ``U.S.``, not in ``3.5``), with any closing quote or bracket
    after the mark, and at a line break.
    """
    hi = len(text) if hi is None else hi
    s = lo
    for m in _END.finditer(text, lo, hi):
        if m.group() != "\n" and m.group().startswith(".") and _ABBREV.search(text, max(lo, m.start() - 6), m.start()):
            continue
        if m.end() <= start:
            s = m.end()
        elif m.start() >= end or (m.end() >= end and m.group() != "\n"):
            e = m.end() if m.group() != "\n" else m.start()
            break
    else:
        e = hi
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _said(text: str, lo: int, hi: int, unsaid: Sequence[tuple[int, int]]) -> str:
    """``text[lo:hi]`` without the unsaid spans, whitespace runs as one space."""
    parts, pos = [], lo
    for s, e in sorted(unsaid):
        if e <= pos or s >= hi:
            continue
        parts.append(text[pos:max(s, pos)])
        pos = min(max(e, pos), hi)
    parts.append(text[pos:hi])
    joined = " ".join("".join(parts).split())
    # no space between Chinese characters where a line break or a cut span was
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", joined)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _shorten(text: object, n: int) -> str:
    s = " ".join(str(text).split()) if isinstance(text, str) else ""
    return s if len(s) <= n else s[: n - 1] + "…"


def _entity_names(mentions: pd.DataFrame | None, terms: list[str] | None) -> dict[str, str]:
    """Entity -> the query term naming it: a term that is the entity's name or any spelling of it in ``mentions``."""
    if terms is None or mentions is None or mentions.empty:
        return {}
    keys = {_norm(t): t for t in terms}
    pairs = mentions[["entity", "surface"]].dropna().astype(str).drop_duplicates()
    names: dict[str, str] = {}
    for e, s in zip(pairs["entity"], pairs["surface"]):
        for k in (_norm(e), _norm(s)):
            if k in keys:
                names.setdefault(e, keys[k])
    return names


def _hits(text: str, turns: pd.DataFrame, tokens: pd.DataFrame | None, mentions: pd.DataFrame | None,
          pattern: re.Pattern, terms: list[str] | None, names: dict[str, str]) -> list[tuple[int, int, int, str]]:
    """(turn row, start, end, term) for every hit in the document's turns, by text, tokens and mentions.

    ``names``: entity -> query term (``_entity_names``, over the whole corpus, so NVIDIA finds 英伟达
    in a document that never spells it NVIDIA).
    """
    found: list[tuple[int, int, str]] = []
    for t in turns.itertuples():
        for m in pattern.finditer(text, int(t.text_start), int(t.text_end)):
            if m.end() > m.start():
                found.append((m.start(), m.end(), m.group() if terms is None else _which(m.group(), terms)))
    if terms is not None and tokens is not None and len(tokens):
        wanted = {_norm(t): t for t in terms}
        sel = tokens[tokens["norm"].astype(str).isin(wanted)]
        found += [(int(s), int(e), wanted[n]) for s, e, n in zip(sel["start"], sel["end"], sel["norm"].astype(str))]
    if terms is not None and mentions is not None and len(mentions) and names:
        sel = mentions[mentions["entity"].astype(str).isin(names)]
        found += [(int(s), int(e), names[str(n)]) for s, e, n in zip(sel["start"], sel["end"], sel["entity"])]
    # one hit per place: overlapping spans (text, token and mention of one word) merge into the widest
    found.sort(key=lambda h: (h[0], -h[1]))
    merged: list[list] = []
    for s, e, term in found:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e, term])
    starts, ends = turns["text_start"].to_numpy(), turns["text_end"].to_numpy()
    out = []
    for s, e, term in merged:
        inside = ((starts <= s) & (e <= ends)).nonzero()[0]
        if len(inside):
            out.append((int(inside[0]), s, e, term))
    return out


def _which(surface: str, terms: list[str]) -> str:
    n = _norm(surface)
    return next((t for t in terms if _norm(t) == n), terms[0])


def to_quotes(tables: dict[str, pd.DataFrame], query: str | Iterable[str] | re.Pattern, *, regex: bool = False,
              roles: Sequence[str] | None = ("answer",), speaker: str | None = None, doc_id: str | None = None,
              context: int = 30, question_chars: int = 60) -> pd.DataFrame:
    """Every hit of ``query`` in the turns, one row per hit, in document order.

    In: ``tables`` with ``documents`` and ``turns`` (``mentions``, ``tokens`` and
    ``exchanges`` used when present). ``query``: a term, a list of terms, or a
    regular expression (a compiled pattern, or a string with ``regex=True``;
    matched on the text only). ``roles``: the turn roles searched (answers by
    default; None for all); ``speaker``, ``doc_id``: only that speaker or document.

    Out: ``QUOTE_COLUMNS``: doc_id, exchange_id, turn_id, speaker, role, term
    (the query term that hit), match (the text at start:end), question (the
    question answered, cut to ``question_chars``), quote (the whole sentence(s)
    holding the hit), left / right (``context`` characters of the turn either
    side), start / end (the hit) and quote_start / quote_end (the sentence),
    offsets into ``documents.text``; the document's title, source and date.
    Hits inside a turn's unsaid spans are dropped; those spans are cut out of
    quote, left and right.
    """
    if isinstance(query, re.Pattern):
        pattern, terms = query, None
    elif isinstance(query, str):
        if not query.strip():
            raise ValueError("empty search term")
        pattern, terms = (re.compile(query, re.I), None) if regex else (None, [query.strip()])
    else:
        terms = [q.strip() for q in query if isinstance(q, str) and q.strip()]
        if not terms:
            raise ValueError("no search terms given")
    if terms is not None:
        pattern = re.compile("|".join(_term_pattern(t) for t in sorted(terms, key=len, reverse=True)), re.I)

    docs = tables["documents"].set_index("doc_id")
    turns = tables["turns"]
    if doc_id is not None:
        if doc_id not in docs.index:
            raise ValueError(f"unknown doc_id {doc_id!r}; the documents are: {', '.join(docs.index)}")
        turns = turns[turns["doc_id"] == doc_id]
    if roles is not None:
        turns = turns[turns["role"].astype(str).isin(list(roles))]
    if speaker is not None:
        turns = turns[turns["speaker"].astype("string").fillna("") == speaker]
    questions = {}
    if "exchanges" in tables:
        ex = tables["exchanges"]
        questions = dict(zip(zip(ex["doc_id"], ex["exchange_id"]), ex["question"]))

    def of_doc(name: str, d: str) -> pd.DataFrame | None:
        df = tables.get(name)
        return None if df is None else df[df["doc_id"] == d]

    names = _entity_names(tables.get("mentions"), terms)
    rows = []
    for d, doc_turns in turns.groupby("doc_id", sort=False, observed=True):
        text = docs.at[d, "text"]
        doc_turns = doc_turns.reset_index(drop=True)
        for i, s, e, term in _hits(text, doc_turns, of_doc("tokens", d), of_doc("mentions", d), pattern, terms,
                                   names):
            t = doc_turns.iloc[i]
            unsaid = _unsaid(t["unsaid"]) if "unsaid" in t.index else []
            if any(us < e and s < ue for us, ue in unsaid):
                continue
            lo, hi = int(t["text_start"]), int(t["text_end"])
            qs, qe = sentence_span(text, s, e, lo, hi)
            ex_id = t["exchange_id"]
            rows.append({
                "doc_id": d, "exchange_id": ex_id, "turn_id": int(t["turn_id"]), "speaker": t["speaker"],
                "role": str(t["role"]), "term": term, "match": text[s:e],
                "question": _shorten(questions.get((d, ex_id), ""), question_chars) if pd.notna(ex_id) else "",
                "quote": _said(text, qs, qe, unsaid),
                "left": _said(text, max(lo, s - context), s, unsaid), "right": _said(text, e, min(hi, e + context), unsaid),
                "start": s, "end": e, "quote_start": qs, "quote_end": qe,
                **{k: _text(docs.at[d, k]) for k in ("title", "source", "date")},
            })
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    out = out.astype({"exchange_id": "Int32", "turn_id": "int32", "start": "int32", "end": "int32",
                      "quote_start": "int32", "quote_end": "int32"})
    return out.sort_values(["doc_id", "start"], kind="stable", key=lambda c: c.map(
        {d: k for k, d in enumerate(docs.index)}) if c.name == "doc_id" else c).reset_index(drop=True)


def _quoted(text: str) -> str:
    """In quotation marks; quotation marks inside become single ones (“他说‘是’”)."""
    if HAN_RE.search(text):
        return "“" + text.replace("“", "‘").replace("”", "’") + "”"
    return '"' + text.replace('"', "'") + '"'


def format_citation(row: pd.Series | dict, *, markdown: bool = False, bold: Iterable[str] = ()) -> str:
    """One quote ready to paste: the sentence in quotation marks, then who said it, in answer to what, where, when.

    ``“……”`` for Chinese, ``"..."`` otherwise; the second line is
    ``— speaker, answering “question” · title, source, date (doc_id, characters start–end)``,
    leaving out what is unknown. With ``markdown``: a block quote, the hit (and ``bold``) in bold.
    """
    r = dict(row)
    quote = r["quote"]
    if markdown:
        words = sorted({r["match"], *bold} - {""}, key=len, reverse=True)
        if words:
            quote = re.sub("|".join(map(re.escape, words)), lambda m: f"**{m.group()}**", quote).replace("****", "")
    who = [str(r["speaker"])] if isinstance(r.get("speaker"), str) and r["speaker"] else []
    if r.get("question") and r.get("role") != "question":
        who.append(f"{'answering' if r.get('role') == 'answer' else 'after'} {_quoted(r['question'])}")
    where = ", ".join(str(r[k]) for k in ("title", "source", "date") if isinstance(r.get(k), str) and r[k])
    ref = f"({r['doc_id']}, characters {r['quote_start']}–{r['quote_end']})"
    line = "— " + " · ".join(p for p in (", ".join(who), where) if p) + " " + ref
    return f"> {_quoted(quote)}\n>\n> {line}" if markdown else f"{_quoted(quote)}\n{line}"


def quotes_markdown(quotes: pd.DataFrame, *, heading: str | None = None) -> str:
    """The quotes as Markdown for an article draft: a section per document, a block quote per sentence.

    A sentence holding several hits is quoted once, every hit in bold.
    """
    lines = [f"# {heading}", ""] if heading else []
    for d, rows in quotes.groupby("doc_id", sort=False):
        title = rows["title"].iloc[0]
        lines += [f"## {title if isinstance(title, str) and title else d}", ""]
        for _, same in rows.groupby(["quote_start", "quote_end"], sort=False):
            lines += [format_citation(same.iloc[0], markdown=True, bold=same["match"]), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_quotes(quotes: pd.DataFrame, name: str, out_dir: str | os.PathLike, *, heading: str | None = None) -> list[Path]:
    """``NAME.csv`` (UTF-8 with BOM, for Excel) and ``NAME.md`` (``quotes_markdown``) in ``out_dir``, atomically."""
    if not name or any(c in name for c in "/\\\0") or name in (".", ".."):
        raise ValueError(f"{name!r}: give a file name without a folder, e.g. 'quotes_nvidia'")
    out = Path(out_dir)
    check_writable(out)
    md = quotes_markdown(quotes, heading=heading)
    return [
        # no cell a spreadsheet would run as a formula (a quote may begin with "=" or "-")
        write_atomic(out / f"{name}.csv", lambda tmp: _safe_cells(quotes).to_csv(
            tmp, index=False, encoding="utf-8-sig", lineterminator="\n")),
        write_atomic(out / f"{name}.md", lambda tmp: tmp.write_text(md, encoding="utf-8")),
    ]


def _safe_cells(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns with a leading ``'`` where a cell begins like a formula (``corpus.cells``)."""
    from analysis.corpus.cells import neutralise

    text = [c for c in df.columns if df[c].dtype == object or str(df[c].dtype) in ("string", "str")]
    return df.assign(**{c: df[c].map(lambda v: neutralise(v) if isinstance(v, str) else v) for c in text})
