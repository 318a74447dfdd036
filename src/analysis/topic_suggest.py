"""A draft topic lexicon for your own interview, from its key terms: ``analysis topics suggest``.

``suggest_topics`` groups the key terms of an interview (``analysis.keyterms``)
into topics: the best document-level term not yet used opens a topic; the key
terms of the exchanges it is a key term of join it, those found in most of
those exchanges first. ``render_lexicon`` writes them as a commented YAML
lexicon (``data/resources/topics.yaml``) that extends the shipped ones: rename,
merge and prune the topics, then rerun ``analysis build``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import yaml

from analysis import topics as _topics
from analysis.keyterms import key_terms


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    try:
        plain = yaml.load(f"- {text}", Loader=yaml.BaseLoader) == [text]
    except yaml.YAMLError:
        plain = False
    return text if plain and ": " not in text and " #" not in text else json.dumps(text, ensure_ascii=False)


def suggest_topics(tables: Mapping[str, pd.DataFrame], doc_id: str, *, n_topics: int = 8,
                   n_terms: int = 8) -> list[dict]:
    """One document's key terms grouped into up to ``n_topics`` topics of up to ``n_terms`` terms.

    Out: one dict per topic, best first: name (its first two terms), terms,
    exchanges (1-based numbers, as the notebooks show them), and filed (the
    default lexicon's topics of those exchanges with their counts, most first).
    """
    one = {k: v[v["doc_id"] == doc_id] for k, v in tables.items() if isinstance(v, pd.DataFrame) and "doc_id" in v}
    if one.get("tokens") is None or one["tokens"].empty:
        raise ValueError(f"{doc_id!r}: no tokens for this document")
    opts = {"documents": one.get("documents"), "turns": one.get("turns"), "mentions": one.get("mentions")}
    per_exchange = key_terms(one["tokens"], top=8, **opts)
    document = key_terms(one["tokens"], by="document", top=10 * n_topics, **opts)
    where = per_exchange.groupby("term")["exchange_id"].agg(lambda s: sorted(set(s.astype(int))))
    filed = one.get("topics", pd.DataFrame(columns=["exchange_id", "topic"]))
    used: set[str] = set()
    out = []
    for seed in document["term"]:
        if len(out) == n_topics:
            break
        if seed in used or seed not in where:
            continue
        exchanges = set(where[seed])
        near = per_exchange[per_exchange["exchange_id"].isin(exchanges) & ~per_exchange["term"].isin(used)]
        ranked = near.groupby("term").agg(k=("exchange_id", "nunique"), score=("score", "sum"))
        ranked = ranked.drop(index=seed, errors="ignore").sort_values(["k", "score"], ascending=False)
        terms = [seed, *ranked.index[: n_terms - 1]]
        used.update(terms)
        tagged = filed[filed["exchange_id"].isin(exchanges)]["topic"].astype(str).value_counts()
        out.append({"name": " / ".join(terms[:2]), "terms": terms,
                    "exchanges": [e + 1 for e in sorted(exchanges)], "filed": list(tagged.items())})
    return out


def render_lexicon(suggestions: list[dict], *, doc_id: str, lexicons=("iptc",)) -> str:
    """The draft lexicon file: a commented header, ``lexicons:``, then one topic per suggestion."""
    names = ", ".join(lexicons)
    lines = [
        f"# Draft topic lexicon for {doc_id}, written by `analysis topics suggest` from the interview's",
        "# key terms (TF-IDF against the other exchanges and against general Chinese). It is a start:",
        "#   - rename each topic (the name is the id in every table; label_zh is what Chinese charts show),",
        "#   - merge topics that are one subject, delete those that are not a subject, and delete",
        "#     keywords that would also match elsewhere (a name, an ordinary word like 问题 or 安全),",
        "#   - add the words you know belong (other spellings, Traditional characters, English),",
        "# then run `analysis build` again: the topics table, the charts and the notebooks use it.",
        f"# `lexicons: [{names}]` keeps the shipped lexicon(s) beside these topics; [] uses these alone;",
        "# [iptc, technology] adds the technology lexicon (see analysis.topics.LEXICONS).",
        "",
        f"lexicons: [{names}]",
        "",
    ]
    for s in suggestions:
        shown = ", ".join(str(e) for e in s["exchanges"][:12]) + (" ..." if len(s["exchanges"]) > 12 else "")
        lines.append(f"# key term of exchange{'s' if len(s['exchanges']) > 1 else ''} {shown}")
        if s["filed"]:
            lines.append("# the default lexicon tags them: " + ", ".join(f"{t} ({n})" for t, n in s["filed"][:3]))
        else:
            lines.append("# the default lexicon tags none of them")
        lines += [f"{yaml_scalar(s['name'])}:", f"  label_zh: {yaml_scalar(s['name'])}", "  keywords:"]
        lines += [f"    - {yaml_scalar(t)}" for t in s["terms"]]
        lines.append("")
    return "\n".join(lines)


def write_lexicon(text: str, path: str | os.PathLike, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically; FileExistsError if it exists, unless ``force``.

    The text is read back as a lexicon first, so what is written always loads."""
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path}: exists; pass --force to replace it, or --out another file")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    try:
        _topics.read_lexicon(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _suggest(args) -> int:
    from analysis import config
    from analysis.corpus import build, pick_document, read_tables

    if args.processed is not None:
        tables = read_tables(args.processed)
    else:
        tables = build(args.raw, workers=config.WORKERS, cache_dir=config.CACHE_DIR,
                       resources=_topics.with_lexicons(args.resources, replace=args.replace_resources,
                                                       lexicons=args.lexicon))
    doc_id = pick_document(tables["documents"], args.doc)
    suggestions = suggest_topics(tables, doc_id, n_topics=args.topics)
    if not suggestions:
        raise ValueError(f"{doc_id}: no key terms to suggest topics from")
    out = args.out or config.USER_RESOURCES_DIR / "topics.yaml"
    keep = [] if args.alone else (args.lexicon or ["iptc"])
    path = write_lexicon(render_lexicon(suggestions, doc_id=doc_id, lexicons=keep), out, force=args.force)
    print(f"wrote {len(suggestions)} suggested topics for {doc_id} to {path}: edit them, then run `analysis build`")
    return 0


def _list(args) -> int:
    for name, path in _topics.LEXICONS.items():
        lex = _topics.load_lexicon(name)
        default = " (default)" if path == _topics.LEXICON else ""
        print(f"{name}{default}: {lex['topic'].nunique()} topics, {len(lex)} keywords, {path}")
    return 0


def add_parser(sub, add_resource_options) -> None:
    """The ``analysis topics`` command (``suggest``, ``list``) on the CLI's subparsers
    (``add_resource_options``: the CLI's --resources, --replace-resources, --lexicon)."""
    from analysis import config

    t = sub.add_parser("topics", help="topic lexicons: list the shipped ones, suggest one for your interview")
    cmd = t.add_subparsers(dest="topics_command", required=True)
    s = cmd.add_parser("suggest", help="write a draft lexicon of your interview's own topics to edit and rerun")
    s.add_argument("--raw", type=Path, default=config.RAW_DIR, help="transcripts (default: %(default)s)")
    s.add_argument("--processed", type=Path, help="read the tables `analysis build` wrote here instead of building")
    s.add_argument("--doc", help="the document (default: the one with the most exchanges)")
    s.add_argument("--out", type=Path, help="the file to write (default: data/resources/topics.yaml)")
    s.add_argument("--topics", type=int, default=8, help="how many topics to suggest (default: %(default)s)")
    s.add_argument("--alone", action="store_true",
                   help="the draft replaces the shipped lexicons (lexicons: []) instead of extending them")
    s.add_argument("--force", action="store_true", help="replace the file if it exists")
    add_resource_options(s)  # --resources, --replace-resources, --lexicon (also the draft's lexicons: line)
    s.set_defaults(func=_suggest)
    lst = cmd.add_parser("list", help="the shipped topic lexicons")
    lst.set_defaults(func=_list)
