"""Review pages: one self-contained HTML page per transcript, to check a parse by eye.

A page shows the document's counts and warnings on top, a strip of its
exchanges (question and answer characters, so an answer swallowed into its
question stands out as a tall blue bar), then the whole decoded text: the front
matter greyed, each turn coloured by role with its speaker label in bold, and in
the margin the turn's speaker, role, exchange and characters. Every character of
``documents.text`` is on the page exactly once, in order, HTML-escaped (the
text element's ``textContent`` is the document text); whitespace between turns
stays plain whitespace. Pages need nothing but the file itself: no scripts, no
external CSS or fonts (CJK through the system font stack).

``write_review`` writes the pages and an ``index.html`` listing every document.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from analysis import config
from analysis.files import check_writable, write_atomic

REVIEW_DIR = config.ROOT / "reports" / "review"
INDEX = "index.html"
# Roles with a colour of their own, in the order counts and the legend show them;
# any other role gets a neutral colour.
ROLES = ("question", "answer", "remark", "narration")
# A document is shown as Chinese (for the font stack) from this share of Han characters.
HAN_SHARE_ZH = 0.2

# C0 controls (except tab and newline) and DEL as character references: the HTML
# parser would turn a raw CR into LF, so the page text would no longer be the document's.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r"[^\w.\-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def esc(text: str) -> str:
    """``text`` escaped for HTML text and attribute values, every character kept."""
    return _CONTROL.sub(lambda m: f"&#{ord(m.group())};", html.escape(text, quote=True))


def page_name(doc_id: str, *, hashed: bool = False) -> str:
    """A safe file name for the page of ``doc_id``: ``2024-03-01-ceo.html``.

    Letters of any script (CJK included), digits, ``_``, ``-`` and ``.`` are kept;
    when anything else had to be replaced (``/``, spaces), or the name would be
    ``index`` or a reserved Windows name, a short hash of the doc_id keeps names
    of different documents apart: ``interviews-2024-ceo-1a2b3c4d.html``.
    """
    slug = _UNSAFE_NAME.sub("-", unicodedata.normalize("NFC", doc_id)).strip("-.")[:80]
    plain = slug == doc_id and slug.split(".")[0].casefold() not in {"index", *_RESERVED}
    if hashed or not plain:
        slug = f"{slug or 'document'}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:8]}"
    return f"{slug}.html"


def page_names(doc_ids: Iterable[str]) -> dict[str, str]:
    """``{doc_id: file name}``, distinct even on case-insensitive file systems."""
    names = {d: page_name(d) for d in doc_ids}
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name.casefold()] = seen.get(name.casefold(), 0) + 1
    return {d: page_name(d, hashed=True) if seen[n.casefold()] > 1 else n for d, n in names.items()}


# --- one document -------------------------------------------------------------

def review_page(tables: dict[str, pd.DataFrame], doc_id: str) -> str:
    """The review page of ``doc_id`` as an HTML string.

    Reads ``tables["documents"]`` (doc_id, text, body_start, title, warnings,
    n_exchanges, ...) and ``tables["turns"]`` (doc_id, turn_id, exchange_id,
    role, speaker, start, end, text_start, text_end, n_chars, n_han). Raises
    ValueError when the documents table has no such doc_id.
    """
    docs = tables["documents"]
    rows = docs[docs["doc_id"] == doc_id]
    if rows.empty:
        raise ValueError(f"{doc_id!r}: no such document in the documents table")
    turns = tables["turns"]
    return _page(rows.iloc[0], turns[turns["doc_id"] == doc_id])


def _page(doc: pd.Series, turns: pd.DataFrame) -> str:
    turns = turns.sort_values(["start", "turn_id"], kind="stable")
    roles = turns["role"].astype(object).where(turns["role"].notna(), "unknown").astype(str)
    turns = turns.assign(role=roles.to_numpy())
    exchanges = _exchange_chars(turns)
    doc_id, title = _s(doc["doc_id"]), _s(doc.get("title")) or _s(doc["doc_id"])
    body_start = int(doc.get("body_start", 0) or 0)
    parts = [
        '<header class="top"><p class="crumb"><a href="index.html">All documents</a></p>',
        f"<h1>{esc(title)}</h1>",
        f'<p class="docid"><code>{esc(doc_id)}</code>{_byline(doc)}</p></header>',
        _stats(doc, turns),
        _speakers(turns),
        _warnings(doc),
        _strip(exchanges),
        _legend(roles, front=body_start > 0),
        f'<main id="text" class="text"{_lang(turns)}>',
        _text(_s(doc["text"]), body_start, turns, _flags(turns, exchanges)),
        "</main>",
    ]
    return _html(f"{title} · review", "".join(parts))


def _exchange_chars(turns: pd.DataFrame) -> pd.DataFrame:
    """One row per exchange: exchange_id, question (chars), answer (chars)."""
    ex = turns[turns["exchange_id"].notna() & turns["role"].isin(["question", "answer"])]
    if ex.empty:
        return pd.DataFrame({"exchange_id": [], "question": [], "answer": []})
    chars = ex.pivot_table(index="exchange_id", columns="role", values="n_chars", aggfunc="sum", fill_value=0)
    chars = chars.reindex(columns=["question", "answer"], fill_value=0)
    return chars.reset_index().astype({"exchange_id": "int64", "question": "int64", "answer": "int64"})


def _flags(turns: pd.DataFrame, exchanges: pd.DataFrame) -> dict[int, str]:
    """``{turn_id: flag}`` on the last question of an exchange whose answer is missing or shorter."""
    flags = {}
    questions = turns[(turns["role"] == "question") & turns["exchange_id"].notna()]
    last = questions.groupby("exchange_id")["turn_id"].max()
    for row in exchanges.itertuples(index=False):
        if row.exchange_id not in last.index:
            continue
        if row.answer == 0:
            flags[int(last[row.exchange_id])] = "no answer in this exchange"
        elif row.question > row.answer:
            flags[int(last[row.exchange_id])] = "question longer than its answer"
    return flags


def _text(text: str, body_start: int, turns: pd.DataFrame, flags: dict[int, str]) -> str:
    """Every character of ``text`` once, in order: front matter, turns, and what lies between.

    Turns are clipped to the text and to the end of the turn before them, so even
    overlapping offsets cannot show a character twice.
    """
    body_start = min(max(body_start, 0), len(text))
    out = [f'<div class="front">{esc(text[:body_start])}</div>'] if body_start else []
    pos, seen = body_start, set()
    for t in turns.itertuples(index=False):
        start, end = (min(max(v, pos), len(text)) for v in (int(t.start), int(t.end)))
        text_start = min(max(int(t.text_start), start), end)
        text_end = min(max(int(t.text_end), text_start), end)
        if start > pos:
            out.append(_gap(text[pos:start]))
        opens = pd.notna(t.exchange_id) and int(t.exchange_id) not in seen
        if opens:  # the target of the exchange's bar in the strip
            seen.add(int(t.exchange_id))
            out.append(f'<span class="anchor" id="ex-{int(t.exchange_id)}"></span>')
        out.append(_turn(t, text[start:text_start], text[text_start:text_end], text[text_end:end],
                         flags.get(int(t.turn_id)), opens=opens))
        pos = max(pos, end)
    if pos < len(text):
        out.append(_gap(text[pos:]))
    return "".join(out)


def _gap(chunk: str) -> str:
    """Text between turns: whitespace as it is; anything else (which the parser left
    outside every turn) marked, between its surrounding whitespace."""
    core = chunk.strip()
    if not core:
        return f'<span class="gap">{esc(chunk)}</span>'
    lead, trail = chunk[:len(chunk) - len(chunk.lstrip())], chunk[len(chunk.rstrip()):]
    return "".join([_gap(lead) if lead else "", f'<div class="stray">{esc(core)}</div>', _gap(trail) if trail else ""])


def _turn(t, label: str, body: str, tail: str, flag: str | None, *, opens: bool) -> str:
    role = t.role
    known = role if role in ROLES else "other"
    info = [role]
    if pd.notna(t.exchange_id):
        info.append(f"ex. {int(t.exchange_id)}")
    if role != "narration":
        info.append(f"{int(t.n_chars):,} chars")
    attrs = (f' id="t-{int(t.turn_id)}" data-turn="{int(t.turn_id)}" data-role="{esc(role)}"'
             f' data-speaker="{esc(_s(t.speaker))}" data-info="{esc(" · ".join(info))}"')
    if pd.notna(t.exchange_id):
        attrs += f' data-exchange="{int(t.exchange_id)}"'
    if flag:
        attrs += f' data-flag="{esc(flag)}"'
    spans = [f'<span class="label">{esc(label)}</span>' if label else "", esc(body),
             f'<span class="label">{esc(tail)}</span>' if tail else ""]
    return f'<div class="turn role-{known}{" opens" if opens else ""}"{attrs}><div class="body">{"".join(spans)}</div></div>'


def _stats(doc: pd.Series, turns: pd.DataFrame) -> str:
    counts = turns["role"].value_counts()
    order = [r for r in ROLES if r in counts.index] + sorted(set(counts.index) - set(ROLES))
    n_ex = doc.get("n_exchanges")
    n_ex = int(n_ex) if pd.notna(n_ex) else turns["exchange_id"].dropna().nunique()
    cells = [("turns", len(turns), "")] + [(r, int(counts[r]), r) for r in order] + [("exchanges", n_ex, "")]
    items = "".join(f'<div class="stat{" role-" + (r if r in ROLES else "other") if r else ""}">'
                    f'<b>{n:,}</b><span>{esc(name)}</span></div>' for name, n, r in cells)
    return f'<section class="stats" aria-label="counts">{items}</section>'


def _speakers(turns: pd.DataFrame) -> str:
    """Turns per speaker and role, and the characters of their answers."""
    spoken = turns[turns["speaker"].notna() & (turns["speaker"].astype(str) != "")]
    if spoken.empty:
        return ""
    speakers = list(dict.fromkeys(spoken["speaker"].astype(str)))
    roles = [r for r in ROLES if r != "narration" and (spoken["role"] == r).any()]
    roles += sorted(set(spoken["role"]) - set(ROLES))
    n = spoken.groupby(["speaker", "role"]).size()
    chars = spoken[spoken["role"] == "answer"].groupby("speaker")["n_chars"].sum()
    head = "".join(f"<th>{esc(r)}s</th>" for r in roles) + "<th>answer chars</th>"
    rows = []
    for name in speakers:
        cells = "".join(f"<td>{int(n.get((name, r), 0)) or ''}</td>" for r in roles)
        answered = int(chars.get(name, 0))
        rows.append(f"<tr><th>{esc(name)}</th>{cells}<td>{f'{answered:,}' if answered else ''}</td></tr>")
    rows = "".join(rows)
    return (f'<section class="speakers"><table><thead><tr><th>speaker</th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></section>")


def warning_list(doc: pd.Series) -> list[str]:
    """The document's warnings, one string each (``documents.warnings`` split on ``"; "``)."""
    return [w for w in _s(doc.get("warnings")).split("; ") if w.strip()]


def _warnings(doc: pd.Series) -> str:
    found = warning_list(doc)
    if not found:
        return '<section class="warnings none"><p>No warnings.</p></section>'
    items = "".join(f"<li>{esc(w)}</li>" for w in found)
    return (f'<section class="warnings"><h2>{len(found)} warning{"s" if len(found) > 1 else ""}</h2>'
            f"<ul>{items}</ul></section>")


def _strip(exchanges: pd.DataFrame) -> str:
    """Exchanges at a glance: one bar each, its height the exchange's characters,
    question on top (blue) and answer below (orange); each bar links to its exchange."""
    if exchanges.empty:
        return ""
    top = max(int((exchanges["question"] + exchanges["answer"]).max()), 1)
    bars = []
    for row in exchanges.itertuples(index=False):
        total = row.question + row.answer
        share = 100 * row.question / total if total else 0
        tip = f"exchange {row.exchange_id}: question {row.question:,} chars, answer {row.answer:,} chars"
        bars.append(f'<a class="bar{" noanswer" if row.answer == 0 else ""}" href="#ex-{row.exchange_id}" '
                    f'title="{esc(tip)}" aria-label="{esc(tip)}"><span class="col" style="height:'
                    f'{max(100 * total / top, 2):.1f}%"><span class="q" style="height:{share:.1f}%"></span>'
                    f'<span class="a"></span></span></a>')
    return ('<section class="strip"><h2>Exchanges at a glance</h2><p class="note">One bar per exchange, '
            'height by characters: <i class="k q"></i>question <i class="k a"></i>answer. '
            'A tall blue bar is a question that may have swallowed its answer; '
            '<i class="k x"></i>marks an exchange without an answer.</p>'
            f'<div class="bars">{"".join(bars)}</div></section>')


def _legend(roles: pd.Series, *, front: bool) -> str:
    present = [r for r in ROLES if (roles == r).any()]
    other = sorted(set(roles) - set(ROLES))
    keys = [(r, r) for r in present] + [(r, "other") for r in other]
    chips = "".join(f'<span class="chip role-{c}">{esc(r)}</span>' for r, c in keys)
    if front:
        chips += '<span class="chip front-key">front matter</span>'
    return f'<p class="legend">{chips}</p>'


# --- the index -----------------------------------------------------------------

def index_page(tables: dict[str, pd.DataFrame], names: dict[str, str]) -> str:
    """The index as an HTML string: one row per document (``names``: doc_id -> page
    file name) with its counts and warnings, and the files that could not be read."""
    docs, turns = tables["documents"], tables["turns"]
    counts = turns.assign(role=turns["role"].astype(object).fillna("unknown").astype(str)) \
        .groupby(["doc_id", "role"]).size()
    rows = []
    for doc in docs.itertuples(index=False):
        doc_id = _s(doc.doc_id)
        n = {r: int(counts.get((doc_id, r), 0)) for r in ("question", "answer", "remark", "narration")}
        found = warning_list(pd.Series(doc._asdict()))
        warns = "".join(f"<li>{esc(w)}</li>" for w in found)
        title = _s(getattr(doc, "title", "")) or doc_id
        rows.append(
            f'<tr><td><a href="{esc(quote(names[doc_id]))}">{esc(title)}</a>'
            f'{"" if title == doc_id else f"<br><code>{esc(doc_id)}</code>"}</td>'
            f'<td>{int(doc.n_turns):,}</td>{_count(n["question"])}{_count(n["answer"])}'
            f'<td>{n["remark"]:,}</td><td>{int(doc.n_exchanges):,}</td>'
            f'<td class="w">{f"<ul>{warns}</ul>" if warns else ""}</td></tr>')
    errors = tables.get("errors")
    failed = ""
    if errors is not None and len(errors):
        items = "".join(f"<li>{esc(_s(e))}</li>" for e in errors["error"])
        failed = f'<section class="warnings"><h2>{len(errors)} file(s) could not be read</h2><ul>{items}</ul></section>'
    warned = sum(bool(_s(w)) for w in docs.get("warnings", []))
    body = (f'<header class="top"><h1>Parse review</h1><p class="docid">{len(docs):,} documents, '
            f"{warned:,} with warnings. Open a document to check its turns by eye.</p></header>{failed}"
            '<table class="index"><thead><tr><th>document</th><th>turns</th><th>questions</th>'
            '<th>answers</th><th>remarks</th><th>exchanges</th><th>warnings</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")
    return _html("Parse review", body)


def _count(n: int) -> str:
    """A question or answer count; none at all is shown in red (the parse needs a look)."""
    return f'<td class="zero">{n}</td>' if n == 0 else f"<td>{n:,}</td>"


def write_review(tables: dict[str, pd.DataFrame], out_dir: str | os.PathLike = REVIEW_DIR) -> list[Path]:
    """Write one page per document and ``index.html`` into ``out_dir``, atomically.

    Returns the paths written, the pages in document order and the index last.
    Refuses to write into the raw data folder.
    """
    out_dir = Path(out_dir)
    check_writable(out_dir)
    docs, turns = tables["documents"], tables["turns"]
    names = page_names(docs["doc_id"].astype(str))
    by_doc = dict(tuple(turns.groupby(turns["doc_id"].astype(str), sort=False)))
    empty = turns.iloc[:0]
    written = []
    for _, doc in docs.iterrows():
        page = _page(doc, by_doc.get(str(doc["doc_id"]), empty))
        written.append(_write(out_dir / names[str(doc["doc_id"])], page))
    written.append(_write(out_dir / INDEX, index_page(tables, names)))
    return written


def _write(target: Path, page: str) -> Path:
    data = page.encode("utf-8")  # bytes: no newline translation on any platform
    return write_atomic(target, lambda tmp: tmp.write_bytes(data))


# --- shared pieces -------------------------------------------------------------

def _s(value) -> str:
    """A table value as text; missing values are empty."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _byline(doc: pd.Series) -> str:
    bits = [_s(doc.get(k)) for k in ("source", "author", "date")]
    bits = [b for b in bits if b]
    return f' · {esc(" · ".join(bits))}' if bits else ""


def _lang(turns: pd.DataFrame) -> str:
    if "n_han" not in turns or not turns["n_chars"].sum():
        return ""
    return ' lang="zh"' if turns["n_han"].sum() / turns["n_chars"].sum() >= HAN_SHARE_ZH else ' lang="en"'


def _html(title: str, body: str) -> str:
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n")


CSS = """
:root{--ink:#1a1a1a;--muted:#666;--rule:#e3e3e3;--paper:#fff;--margin:11rem;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","PingFang TC",
"Hiragino Sans GB","Microsoft YaHei","Microsoft JhengHei","Noto Sans CJK SC","Noto Sans CJK TC",
"Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
*{box-sizing:border-box}
body{margin:0 auto;max-width:64rem;padding:1.5rem 1.25rem 4rem;font:16px/1.7 var(--sans);color:var(--ink);background:var(--paper)}
a{color:#1d5fa8}
h1{font-size:1.6rem;line-height:1.3;margin:.2rem 0 .3rem;font-weight:700}
h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0 0 .4rem;font-weight:600}
.crumb{margin:0;font-size:.85rem}.docid{margin:0 0 1rem;color:var(--muted);font-size:.9rem}
code{font-family:var(--mono);font-size:.85em}
.role-question{--c:#1d5fa8;--bg:#edf3fb}
.role-answer{--c:#c0580c;--bg:#fdf5ec}
.role-remark{--c:#7a4fa0;--bg:#f5effa}
.role-narration{--c:#b5b5b5;--bg:transparent}
.role-other{--c:#6e7681;--bg:#f1f2f4}
.stats{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem}
.stat{border-top:3px solid var(--c,var(--ink));padding:.35rem .8rem .3rem 0;min-width:6.5rem}
.stat b{display:block;font-size:1.5rem;line-height:1.2;font-variant-numeric:tabular-nums}
.stat span{font-size:.8rem;color:var(--muted)}
.speakers table,table.index{border-collapse:collapse;font-size:.9rem;margin:0 0 1.2rem}
.speakers th,.speakers td,table.index th,table.index td{padding:.3rem .9rem .3rem 0;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
.speakers td,table.index td{font-variant-numeric:tabular-nums}
thead th{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
table.index{width:100%}table.index td{line-height:1.45}table.index td:nth-child(n+2):not(.w),table.index th:nth-child(n+2):not(:last-child){text-align:right;padding-right:1.2rem}table.index td.zero{color:#c62828;font-weight:700}table.index td.w{font-size:.8rem;color:#8a4b00}table.index ul{margin:0;padding-left:1rem}
.warnings{border-left:4px solid #d08700;background:#fff8e6;padding:.6rem 1rem;margin:0 0 1.2rem}
.warnings ul{margin:0;padding-left:1.1rem;font-size:.9rem}.warnings.none{border-color:#3b8a55;background:#eff7f1}
.warnings.none p{margin:0;font-size:.9rem;color:#2f6e44}
.strip{margin:0 0 1.2rem}.note{font-size:.8rem;color:var(--muted);margin:0 0 .4rem}
.k{display:inline-block;width:.7rem;height:.7rem;margin:0 .25rem 0 .4rem;vertical-align:-1px}
.k.q,.bar .q{background:#1d5fa8}.k.a,.bar .a{background:#e08a3c}.k.x{background:#c62828;height:.25rem;vertical-align:2px}
.bars{display:flex;align-items:flex-end;gap:2px;height:5rem;border-bottom:1px solid #999;overflow-x:auto}
.bar{flex:1 1 0;min-width:3px;max-width:1.6rem;height:100%;display:flex;align-items:flex-end;position:relative}
.bar .col{display:flex;flex-direction:column;width:100%}.bar .q{display:block}.bar .a{display:block;flex:1}
.bar.noanswer::after{content:"";position:absolute;left:0;right:0;bottom:-5px;height:3px;background:#c62828}
.bar:hover .col{outline:2px solid var(--ink)}
.legend{margin:1.4rem 0 .6rem;font-size:.8rem;display:flex;flex-wrap:wrap;gap:.4rem}
.chip{border-left:4px solid var(--c);background:var(--bg);padding:.05rem .5rem;color:var(--c)}
.chip.role-narration{color:#777}.chip.front-key{--c:#d0d0d0;background:#f6f6f6;color:#888}
.text{border-top:1px solid var(--ink);padding-top:.8rem}
.front,.stray,.turn .body{white-space:pre-wrap;overflow-wrap:anywhere}
.front{font:.8rem/1.5 var(--mono);color:#8a8a8a;background:#f6f6f6;border-left:4px solid #d0d0d0;padding:.4rem .8rem;margin:0 0 .6rem calc(var(--margin) + 1rem)}
.gap{white-space:normal}
.stray{border:2px dashed #c62828;padding:.3rem .6rem;margin:.3rem 0 .3rem calc(var(--margin) + 1rem)}
.stray::before{content:"not in any turn";display:block;font-size:.7rem;color:#c62828;text-transform:uppercase;letter-spacing:.05em}
.turn{display:grid;grid-template-columns:var(--margin) minmax(0,1fr);grid-template-rows:auto auto 1fr;column-gap:1rem;margin:0 0 .35rem}
.turn::before{content:attr(data-speaker);grid-column:1;grid-row:1;text-align:right;font-weight:700;font-size:.85rem;line-height:1.4;color:var(--c);padding-top:.45rem;overflow-wrap:anywhere}
.turn::after{content:attr(data-info);grid-column:1;grid-row:2;text-align:right;font-size:.72rem;line-height:1.35;color:var(--muted)}
.turn .body{grid-column:2;grid-row:1/span 3;border-left:4px solid var(--c);background:var(--bg);padding:.35rem .9rem .45rem}
.turn.opens{margin-top:1.1rem}.anchor:target+.turn .body{outline:2px solid var(--ink)}.anchor{scroll-margin-top:1rem}
.turn .label{font-weight:700;color:var(--c)}
.role-narration .body{color:#767676}.role-narration::before{content:none}
.turn[data-flag] .body::after{content:"\\26A0\\FE0E  " attr(data-flag);display:block;margin-top:.3rem;font-size:.75rem;font-weight:600;color:#c62828;white-space:normal}
.turn[data-flag] .body{border-right:3px solid #c62828}
@media (max-width:720px){
body{padding:1rem .8rem 3rem}:root{--margin:0}h1{font-size:1.3rem}.stat{min-width:5.5rem}
.turn{grid-template-columns:auto minmax(0,1fr);grid-template-rows:auto auto;column-gap:.5rem;margin-bottom:.6rem}
.turn::before{grid-column:1;grid-row:1;text-align:left;padding-top:0;font-size:.8rem}
.turn::after{grid-column:2;grid-row:1;text-align:left;align-self:end}
.turn .body{grid-column:1/-1;grid-row:2}
.front,.stray{margin-left:0}
table.index th:nth-child(5),table.index td:nth-child(5){display:none}}
"""
