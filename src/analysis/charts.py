"""Tables -> article-ready matplotlib charts: house style, titles, export.

Call ``use_style()`` once (a notebook's setup cell) before plotting: it applies
``resources/analysis.mplstyle`` and the CJK font from ``analysis.fonts``.
Each ``plot_*`` function takes tidy tables and ``ax=None``, draws on ``ax`` (or
a new figure sized for the data) and returns the Axes; it never saves.
``finish`` adds the title, subtitle and source line; ``save_chart`` writes the
files. The standard set of charts, titled and exported per document, is in
``analysis.report``.

The ``count_*`` functions return the table behind a chart (one row per
document and bar, keeping ``doc_id``), which is also what ``report.export_chart``
saves as CSV beside the chart.

Axis labels and legends are English by default; ``lang="zh"`` gives Chinese,
topic names included (the lexicon's ``label_zh``, see ``analysis.topics``).
"""

from __future__ import annotations

import importlib.resources
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, TightLayoutEngine
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter, StrMethodFormatter

from analysis import config, topics as _topics
from analysis.files import check_writable, write_atomic
from analysis.fonts import (
    cjk_font,
    cjk_font_path,
    has_bold,
    missing_glyphs,
    use_cjk_font,
    wordcloud_font_path,
)

__all__ = [
    "NoDataError", "MissingGlyphError",
    "cjk_font", "cjk_font_path", "use_cjk_font", "wordcloud_font_path", "missing_glyphs",
    "use_style", "finish", "source_line", "save_chart",
    "count_topics", "count_entities", "count_words", "count_roles",
    "plot_topic_frequency", "plot_topic_grid", "plot_answer_length", "plot_answer_length_by_topic",
    "plot_characters_by_role", "plot_entity_counts", "plot_entity_dispersion", "plot_wordcloud", "plot_code_switching",
]

log = logging.getLogger(__name__)

STYLE = "analysis.mplstyle"

# Okabe-Ito; the same meaning in every chart.
BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7"
INK, GREY, LIGHT = "#1a1a1a", "#6b6b6b", "#bdbdbd"
ROLE_COLORS = {"question": ORANGE, "answer": BLUE, "narration": LIGHT}
WORD_COLORS = (BLUE, VERMILION, GREEN, PURPLE, INK)

TITLE_SIZE, SUBTITLE_SIZE, SOURCE_SIZE, VALUE_SIZE = 17, 12, 9.5, 10

LABELS = {
    "en": {
        "exchanges": "Exchanges", "answer_share": "Share of all answer text",
        "exchange": "Exchange, in interview order", "characters": "Characters (excluding spaces)",
        "question": "Question", "answer": "Answer", "narration": "Narration",
        "in_question": "In a question", "in_answer": "In an answer",
        "topic_in_answer": "In the answer", "topic_question_only": "Only in the question",
        "mentions": "Mentions", "position": "Exchange where each mention falls (lines mark each new question)",
        "english_share": "Share of English (Latin-script) words in the answer", "average": "Average",
        "answer_length": "Answer length (characters, excluding spaces)", "source": "Source: ",
    },
    "zh": {
        "exchanges": "问答轮数", "answer_share": "占全部回答字数的比例",
        "exchange": "问答（按采访顺序）", "characters": "字数（不含空白）",
        "question": "提问", "answer": "回答", "narration": "旁白",
        "in_question": "提问中", "in_answer": "回答中",
        "topic_in_answer": "回答中谈到", "topic_question_only": "仅提问中出现",
        "mentions": "提及次数", "position": "提及所在的问答（竖线为每个问题的开始）",
        "english_share": "回答中英文（拉丁字母）词的比例", "average": "平均",
        "answer_length": "回答字数（不含空白）", "source": "来源：",
    },
}


class NoDataError(ValueError):
    """The table has no rows to draw (a document without questions, mentions, ...)."""


class MissingGlyphError(ValueError):
    """Text the font cannot draw: it would show as boxes."""


# --- style and text ----------------------------------------------------------

def use_style() -> None:
    """Apply the house style (``resources/analysis.mplstyle``) and the CJK font, globally.

    To keep it to a block of code: ``with plt.rc_context(): use_style(); ...``.
    """
    with importlib.resources.as_file(importlib.resources.files("analysis") / "resources" / STYLE) as path:
        plt.style.use(path)
    use_cjk_font()


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def _is_chinese(text: str | None) -> bool:
    return bool(text) and bool(_HAN.search(text))


def _lang_of(text: str | None) -> str:
    """"zh" when Han characters outnumber a third of the letters of ``text``, else "en"."""
    if not text:
        return "en"
    han, latin = len(_HAN.findall(text)), len(_LATIN.findall(text))
    return "zh" if han and han >= 0.3 * (han + latin) else "en"


def _plain(text: object) -> str:
    """Text from the data, safe for matplotlib: a pair of ``$`` would start math mode."""
    return "" if text is None or text is pd.NA else str(text).replace("$", r"\$")


def _short(text: object, n: int) -> str:
    s = " ".join(str(text).split()) if text is not None and text is not pd.NA else ""
    return s if len(s) <= n else s[:n].rstrip() + "…"


_CLOSING = set("，。、；：！？）》」』】〉,.;:!?)%％…")
_OPENING = "（《「『【〈(“‘["
_TOKEN = re.compile(r"[A-Za-z0-9\u00c0-\u024f'’\-_.@/%]+\s*|\s+|.", re.S)


def _renderer(fig: Figure):
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get else fig._get_renderer()


def _labels(lang: str) -> dict[str, str]:
    if lang not in LABELS:
        raise ValueError(f"lang={lang!r}: choose from {sorted(LABELS)}")
    return LABELS[lang]


def _wrap(text: str, width_in: float, fig: Figure, **font) -> str:
    """Break ``text`` into lines that fit ``width_in`` inches, measured with the figure's font.

    Breaks between Han characters or between Latin words (never inside one),
    never before closing punctuation nor after opening punctuation. Existing
    line breaks are kept.
    """
    renderer = _renderer(fig)
    probe = fig.text(0, 0, "", **font)
    try:
        def width(s: str) -> float:
            probe.set_text(s)
            return probe.get_window_extent(renderer).width / fig.dpi

        lines = []
        for para in text.split("\n"):
            line = ""
            for tok in _TOKEN.findall(para):
                head = line.rstrip()
                kept = head.rstrip(_OPENING)  # an opening bracket moves down with what it opens
                if kept and tok[0] not in _CLOSING and width(line + tok.rstrip()) > width_in:
                    lines.append(kept.rstrip())
                    line = head[len(kept):] + tok.lstrip()
                else:
                    line += tok
            lines.append(line.rstrip())
        return "\n".join(lines)
    finally:
        probe.remove()


def finish(fig: Figure, title: str, subtitle: str | None = None, source: str | None = None) -> Figure:
    """Add a left-aligned title, a grey subtitle and a source line at the bottom-left.

    The source gets "来源：" when it is Chinese and "Source: " otherwise, unless
    it already starts with either. Long lines wrap to the figure width. The
    axes are laid out (constrained layout) in the space left between header and
    footer, so nothing is clipped or overlaps. Calling it again replaces the
    texts. Returns the figure.
    """
    for t in [t for t in fig.texts if (t.get_gid() or "").startswith("analysis-")]:
        t.remove()
    w_in, h_in = fig.get_size_inches()
    pad = 0.12  # inches, about the constrained-layout pad, so the title lines up with tick labels
    x = pad / w_in
    renderer = _renderer(fig)

    def height(t) -> float:
        return t.get_window_extent(renderer).height / fig.dpi

    weight = "bold" if has_bold(mpl.rcParams["font.sans-serif"][0]) else "normal"
    title_font = {"fontsize": TITLE_SIZE, "fontweight": weight, "color": INK}
    y = 1 - pad / h_in
    t = fig.text(x, y, _wrap(_plain(title), w_in - 2 * pad, fig, **title_font), ha="left", va="top",
                 gid="analysis-title", linespacing=1.15, **title_font)
    y -= (height(t) + 0.06) / h_in
    if subtitle:
        sub_font = {"fontsize": SUBTITLE_SIZE, "color": GREY}
        s = fig.text(x, y, _wrap(_plain(subtitle), w_in - 2 * pad, fig, **sub_font), ha="left", va="top",
                     gid="analysis-subtitle", linespacing=1.3, **sub_font)
        y -= height(s) / h_in
    top = y - 0.12 / h_in
    bottom = 0.0
    if source:
        src = str(source).strip()
        if not re.match(r"^(来源|來源|source)\s*[:：]", src, re.I):
            src = LABELS["zh" if _is_chinese(src) else "en"]["source"] + src
        src_font = {"fontsize": SOURCE_SIZE, "color": GREY}
        f = fig.text(x, pad / h_in, _wrap(_plain(src), w_in - 2 * pad, fig, **src_font), ha="left", va="bottom",
                     gid="analysis-source", **src_font)
        bottom = (pad + height(f) + 0.06) / h_in
    engine = fig.get_layout_engine()
    if isinstance(engine, (ConstrainedLayoutEngine, TightLayoutEngine)):  # the house style uses constrained
        engine.set(rect=(0, bottom, 1, top - bottom))
    else:  # no layout engine (the figure's choice, kept: switching now can break colorbars)
        # Leave room for what sticks out of the axes (tick labels, axis label, legend above).
        fig_h = fig.bbox.height
        below = max((a.get_position().y0 * fig_h - a.get_tightbbox(renderer).y0 for a in fig.axes), default=0)
        above = max((a.get_tightbbox(renderer).y1 - a.get_position().y1 * fig_h for a in fig.axes), default=0)
        fig.subplots_adjust(bottom=max(bottom + max(below, 0) / fig_h, fig.subplotpars.bottom),
                            top=min(top - max(above, 0) / fig_h, fig.subplotpars.top))
    return fig


def _clean(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return " ".join(str(value).split())


def _author(value: object) -> str:
    """"[[@dotey]]", "['a', 'b']", "a, b" -> "@dotey", "a、b" / "a, b"."""
    names = [n.strip() for n in re.split(r"[,，、;；]", re.sub(r"[\[\]\"'“”]", "", _clean(value)))]
    names = list(dict.fromkeys(n for n in names if n))
    return ("、" if any(_is_chinese(n) for n in names) else ", ").join(names)


# Credits named on a chart of many documents; the others are counted ("另有 N 个来源未列出").
SOURCE_CREDITS = 3


def source_line(documents: pd.DataFrame, doc_id: str | None = None) -> str | None:
    """The credit line for a chart, from ``documents`` columns ``source``, ``title``, ``author``.

    Per document: ``source`` when it names someone (not a URL), e.g.
    "来源：张小珺"; otherwise the ``title`` with the ``author`` in brackets, e.g.
    "来源：黄仁勋：DeepSeek 是一个革命性的突破（@dotey）"; otherwise the author,
    otherwise the URL's host. "来源：" when the credit is Chinese, "Source: "
    otherwise. ``doc_id=None`` credits every row, joined with "；", the first
    ``SOURCE_CREDITS`` different ones by name and the rest by number (a corpus
    of a thousand transcripts has no room for a thousand credits). None when
    there is nothing to credit.
    """
    rows = documents if doc_id is None else documents[documents["doc_id"] == doc_id]
    parts = []
    for row in rows.to_dict("records"):
        source, title, author = _clean(row.get("source")), _clean(row.get("title")), _author(row.get("author"))
        if source and not _URL.match(source):
            part = source
        elif title:
            zh = _is_chinese(title)
            part = title + (f"（{author}）" if zh else f" ({author})") if author else title
        elif author:
            part = author
        elif source:
            part = re.sub(r"^[a-z][a-z0-9+.-]*://(www\.)?([^/]+).*$", r"\2", source, flags=re.I)
        else:
            continue
        if part not in parts:
            parts.append(part)
    if not parts:
        return None
    zh = any(_is_chinese(p) for p in parts)
    rest = len(parts) - SOURCE_CREDITS if len(parts) > SOURCE_CREDITS + 1 else 0
    line = LABELS["zh" if zh else "en"]["source"] + ("；" if zh else "; ").join(parts[:len(parts) - rest])
    if rest:
        line += f"；另有 {rest} 个来源未列出" if zh else f"; {rest} more not listed"
    return line


# --- export ------------------------------------------------------------------

_FORMATS = ("png", "svg", "pdf")


def _figure_title(fig: Figure) -> str | None:
    for t in fig.texts:
        if t.get_gid() == "analysis-title":
            return " ".join(t.get_text().replace(r"\$", "$").split())
    return None


def save_chart(fig: Figure, name: str, *, out_dir: str | os.PathLike | None = None,
               formats: Sequence[str] = _FORMATS, data: pd.DataFrame | None = None,
               dpi_web: int = 150, dpi_print: int | None = 300) -> list[Path]:
    """Write ``fig`` as ``NAME.png``, ``NAME@print.png``, ``NAME.svg``, ``NAME.pdf`` and ``NAME.csv``.

    - ``png``: ``NAME.png`` at ``dpi_web`` (for the web) and ``NAME@print.png`` at
      ``dpi_print`` (skipped when ``dpi_print`` is None);
    - ``svg``: text as outlines, needs no font; ``pdf``: TrueType font embedded
      (subset), text selectable and searchable;
    - ``data`` (the table behind the chart) as ``NAME.csv`` in UTF-8 with a BOM
      so Excel opens it.

    ``name`` says what the chart shows (``answer_length_by_exchange``), not its
    number. ``out_dir`` defaults to ``config.FIGURES_DIR``. Every file is
    written atomically, and the same figure gives the same bytes every time
    (no dates, no software versions, fixed SVG ids). Returns the paths written.
    """
    if not name or name in (".", "..") or any(c in name for c in "/\\\0"):
        raise ValueError(f"{name!r}: a chart name is a file name without a folder, e.g. 'answer_length_by_exchange'")
    unknown = set(formats) - set(_FORMATS)
    if unknown:
        raise ValueError(f"unknown format(s) {sorted(unknown)}; choose from {_FORMATS}")
    out = Path(config.FIGURES_DIR if out_dir is None else out_dir)
    check_writable(out)
    out.mkdir(parents=True, exist_ok=True)

    title = _figure_title(fig)
    jobs: list[tuple[str, str, int, dict]] = []
    for fmt in (f for f in _FORMATS if f in formats):
        if fmt == "png":
            jobs.append((f"{name}.png", "png", dpi_web, {"Software": None}))
            if dpi_print:
                jobs.append((f"{name}@print.png", "png", dpi_print, {"Software": None}))
        elif fmt == "svg":
            jobs.append((f"{name}.svg", "svg", dpi_print or dpi_web, {"Date": None, "Creator": None, "Title": title}))
        else:
            jobs.append((f"{name}.pdf", "pdf", dpi_print or dpi_web,
                         {"CreationDate": None, "Creator": None, "Producer": None, "Title": title}))
    written = []
    for filename, fmt, dpi, metadata in jobs:
        if metadata.get("Title", "") is None:  # None would only mean "no title"; leave the key out
            del metadata["Title"]
        written.append(write_atomic(
            out / filename,
            lambda tmp, fmt=fmt, dpi=dpi, metadata=metadata: fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata),
        ))
    if data is not None:
        written.append(write_atomic(
            out / f"{name}.csv", lambda tmp: data.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")))
    log.info("saved %s to %s (%s)", name, out, ", ".join(p.suffix for p in written))
    return written


# --- tables behind the charts ------------------------------------------------

def _require(df: pd.DataFrame | None, columns: Iterable[str], what: str) -> pd.DataFrame:
    """``df`` if it has ``columns``; NoDataError otherwise (a chart without its data is skipped, not a crash)."""
    if df is None:
        raise NoDataError(f"no {what} table")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise NoDataError(f"{what} table lacks column(s) {missing}")
    return df


def _one_doc(df: pd.DataFrame, what: str) -> None:
    n = df["doc_id"].nunique(dropna=True) if "doc_id" in df.columns else 1
    if n > 1:
        raise ValueError(f"{what}: {n} documents; this chart shows one interview (filter on doc_id)")


def count_topics(topics: pd.DataFrame, exchanges: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per document and topic: how many exchanges touch it and how much answer text they hold.

    In: ``topics`` (doc_id, exchange_id, topic, hits_question, hits_answer), and
    optionally ``exchanges`` (doc_id, exchange_id, answer_chars).
    Out: doc_id, topic, n_exchanges, n_in_question, n_in_answer, and with
    ``exchanges`` answer_chars (of the exchanges touching the topic) and
    answer_share (that over all answer characters of the document in
    ``exchanges``; an exchange with two topics counts for both, so shares need
    not add up to 1). Per document, most frequent first.
    """
    _require(topics, ["doc_id", "exchange_id", "topic", "hits_question", "hits_answer"], "topics")
    t = topics.dropna(subset=["doc_id", "exchange_id", "topic"])
    t = t.assign(doc_id=t["doc_id"].astype(str), topic=t["topic"].astype(str))
    keys = ["doc_id", "exchange_id"]
    per = (t.groupby(["doc_id", "topic", "exchange_id"], sort=False)[["hits_question", "hits_answer"]]
           .sum().reset_index())
    out = per.groupby(["doc_id", "topic"]).agg(
        n_exchanges=("exchange_id", "size"),
        n_in_question=("hits_question", lambda s: int((s > 0).sum())),
        n_in_answer=("hits_answer", lambda s: int((s > 0).sum())),
    ).reset_index()
    if exchanges is not None:
        _require(exchanges, [*keys, "answer_chars"], "exchanges")
        ex = exchanges[[*keys, "answer_chars"]].dropna(subset=keys)
        ex = ex.assign(doc_id=ex["doc_id"].astype(str), answer_chars=ex["answer_chars"].fillna(0).astype("int64"))
        total = ex.groupby("doc_id")["answer_chars"].sum()
        chars = per.merge(ex, on=keys, how="left").groupby(["doc_id", "topic"])["answer_chars"].sum(min_count=0)
        out = out.merge(chars.rename("answer_chars").reset_index(), on=["doc_id", "topic"], how="left")
        out["answer_chars"] = out["answer_chars"].fillna(0).astype("int64")
        out["answer_share"] = out["answer_chars"] / out["doc_id"].map(total).replace(0, np.nan).astype(float)
    return out.sort_values(["doc_id", "n_exchanges", "topic"], ascending=[True, False, True], ignore_index=True)


def count_entities(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per document and entity: mentions in questions, in answers, in narration, and in all.

    In: ``mentions`` (doc_id, entity, entity_type, role). Out: doc_id, entity,
    entity_type (its most frequent type in the document), question, answer,
    narration, total. Per document, most mentioned first.
    """
    _require(mentions, ["doc_id", "entity", "role"], "mentions")
    m = mentions.dropna(subset=["doc_id", "entity"])
    m = m.assign(doc_id=m["doc_id"].astype(str), entity=m["entity"].astype(str),
                 role=m["role"].astype("string").fillna("narration"))
    keys = ["doc_id", "entity"]
    out = (m.groupby([*keys, "role"]).size().unstack("role", fill_value=0)
           .reindex(columns=["question", "answer", "narration"], fill_value=0).astype("int64"))
    out["total"] = out.sum(axis=1)
    out = out.reset_index()
    out.columns.name = None
    if "entity_type" in m.columns:
        types = (m.dropna(subset=["entity_type"]).assign(entity_type=lambda d: d["entity_type"].astype(str))
                 .groupby(keys)["entity_type"].agg(lambda s: s.value_counts().index[0]).rename("entity_type"))
        out = out.merge(types.reset_index(), on=keys, how="left")
        out = out[[*keys, "entity_type", "question", "answer", "narration", "total"]]
    return out.sort_values(["doc_id", "total", "entity"], ascending=[True, False, True], ignore_index=True)


def count_words(tokens: pd.DataFrame, *, min_len: int = 2) -> pd.DataFrame:
    """Word frequencies for a word cloud: one row per document and normalised word.

    In: ``tokens`` (doc_id, token, norm, is_stopword, is_punct, script).
    Stopwords, punctuation, digits and other symbols, and words shorter than
    ``min_len`` characters (single Han characters are mostly particles) are
    left out. Out: doc_id, word (the most frequent spelling in the document),
    norm, n. Per document, most frequent first.
    """
    _require(tokens, ["doc_id", "token", "norm", "is_stopword", "is_punct"], "tokens")
    keep = ~tokens["is_stopword"].fillna(False).astype(bool) & ~tokens["is_punct"].fillna(False).astype(bool)
    if "script" in tokens.columns:
        keep &= tokens["script"].astype("string").isin(["han", "latin"]).fillna(False)
    t = tokens.loc[keep, ["doc_id", "token", "norm"]].dropna()
    t = t.assign(doc_id=t["doc_id"].astype(str), norm=t["norm"].astype(str).str.strip(),
                 token=t["token"].astype(str).str.strip())
    t = t[t["norm"].str.len() >= min_len]
    if t.empty:
        return pd.DataFrame({"doc_id": pd.Series(dtype="string"), "word": pd.Series(dtype="string"),
                             "norm": pd.Series(dtype="string"), "n": pd.Series(dtype="int64")})
    keys = ["doc_id", "norm"]
    spelled = t.groupby([*keys, "token"]).size().rename("k").reset_index()
    spelled = spelled.sort_values([*keys, "k", "token"], ascending=[True, True, False, True]).drop_duplicates(keys)
    counts = t.groupby(keys).size().rename("n").reset_index()
    out = counts.merge(spelled[[*keys, "token"]], on=keys).rename(columns={"token": "word"})
    return out[["doc_id", "word", "norm", "n"]].sort_values(["doc_id", "n", "word"], ascending=[True, False, True],
                                                            ignore_index=True)


ROLES = ("question", "answer", "narration")


def count_roles(turns: pd.DataFrame, *, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per document: characters (excluding whitespace) of its questions, answers and narration.

    In: ``turns`` (doc_id, role, n_chars); optionally ``documents`` (doc_id),
    so a document without any turn still gets its row of zeros. Out: doc_id,
    question, answer, narration (int64, zero where a role is absent), one row
    per document (``documents``' order, else sorted by doc_id). A turn without
    a role counts as narration. Documents are counted separately, never added up.
    """
    _require(turns, ["doc_id", "role", "n_chars"], "turns")
    t = turns.dropna(subset=["doc_id"])
    t = t.assign(doc_id=t["doc_id"].astype(str), role=t["role"].astype("string").fillna("narration"),
                 n_chars=t["n_chars"].fillna(0).astype("int64"))
    sums = t.groupby(["doc_id", "role"])["n_chars"].sum().unstack("role", fill_value=0)
    ids = sorted(sums.index) if documents is None else list(dict.fromkeys(
        [*documents["doc_id"].dropna().astype(str), *sorted(sums.index)]))
    out = sums.reindex(index=ids, columns=list(ROLES), fill_value=0).fillna(0).astype("int64")
    out.index.name, out.columns.name = "doc_id", None
    return out.reset_index()


# --- plots -------------------------------------------------------------------

def _axes(ax: Axes | None, height: float | None = None) -> Axes:
    """``ax``, or the axes of a new figure of the house width, at least ``height`` inches tall."""
    if ax is not None:
        return ax
    w, h = mpl.rcParams["figure.figsize"]
    _, ax = plt.subplots(figsize=(w, max(h, height or 0)))
    return ax


def _rows_height(n: int, per_row: float = 0.32, extra: float = 2.2) -> float:
    """Figure height (inches) for ``n`` rows of bars plus title, legend and axis."""
    return n * per_row + extra


def _hbar_frame(ax: Axes, n: int) -> None:
    """Bars run left to right, first row on top; a light vertical grid, no horizontal one."""
    ax.set_ylim(n - 0.5, -0.5)
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _legend_above(ax: Axes, handles=None, labels=None, ncol: int = 3) -> None:
    args = (handles, labels) if handles is not None else ()
    ax.legend(*args, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, borderaxespad=0.3,
              handletextpad=0.5, columnspacing=1.2)


def _exchange_labels(ex: pd.DataFrame, label_chars: int) -> list[str]:
    return [_plain(f"{int(i) + 1}. {_short(q, label_chars)}") for i, q in zip(ex["exchange_id"], ex["question"])]


def _topic_names(labels: Mapping[str, str] | None, lang: str) -> Mapping[str, str]:
    """Topic -> text shown: ``labels``, or the shipped lexicon's labels for ``lang``."""
    _labels(lang)
    return _topics.topic_labels(lang) if labels is None else labels


def _show_topic(topic: str, names: Mapping[str, str]) -> str:
    return _plain(names.get(topic) or topic)


def plot_characters_by_role(by_role: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """One stacked horizontal bar per document: characters of questions, answers and narration.

    In: ``count_roles``' table (doc_id, question, answer, narration), drawn
    in its row order, first on top; each document is its own bar, nothing is
    added up across documents. Questions orange, answers blue, narration grey,
    the total at the end of each bar, the legend above.
    """
    _require(by_role, ["doc_id", *ROLES], "by_role")
    if by_role.empty:
        raise NoDataError("no documents to plot")
    n = len(by_role)
    ax = _axes(ax, _rows_height(n, 0.5))
    y = np.arange(n)
    L = _labels(lang)
    left = np.zeros(n)
    for role in ROLES:
        values = by_role[role].fillna(0).to_numpy(dtype=float)
        ax.barh(y, values, left=left, height=0.55, color=ROLE_COLORS[role], label=L[role])
        left += values
    for yi, total in zip(y, left):
        ax.text(total, yi, f" {int(total):,}", va="center", ha="left", fontsize=VALUE_SIZE, color=INK)
    ax.set_yticks(y, labels=[_plain(d) for d in by_role["doc_id"]])
    _hbar_frame(ax, n)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel(L["characters"])
    ax.margins(x=0.1)
    _legend_above(ax)
    return ax


def plot_topic_frequency(topics: pd.DataFrame, exchanges: pd.DataFrame | None = None, *,
                         by: str = "exchanges", top: int | None = None, ax: Axes | None = None,
                         lang: str = "en", labels: Mapping[str, str] | None = None) -> Axes:
    """Horizontal bars, largest first: topics of one interview by number of exchanges or by share of answer text.

    ``by="exchanges"``: exchanges (question plus its answers) touching each topic.
    ``by="answer_share"``: answer characters of those exchanges over all answer
    characters (needs ``exchanges``). Values come from ``count_topics``.
    ``labels``: topic -> text on the axis; default ``topics.topic_labels(lang)``
    of the shipped lexicon (Chinese labels with ``lang="zh"``; a topic without
    one shows its name).
    """
    if by not in ("exchanges", "answer_share"):
        raise ValueError(f"by={by!r}: choose 'exchanges' or 'answer_share'")
    if by == "answer_share" and exchanges is None:
        raise ValueError("by='answer_share' needs the exchanges table (answer_chars)")
    counts = count_topics(topics, exchanges)
    if counts.empty:
        raise NoDataError("no topics to plot")
    _one_doc(counts, "topics")
    names = _topic_names(labels, lang)
    column = "n_exchanges" if by == "exchanges" else "answer_share"
    counts = counts.sort_values([column, "topic"], ascending=[False, True], ignore_index=True)
    if top:
        counts = counts.head(top)
    values = counts[column].astype(float).to_numpy()
    if np.isnan(values).all():
        raise NoDataError("no answer text to share out (exchanges has no answer_chars)")
    if by == "answer_share":
        values = values * 100
    ax = _axes(ax, _rows_height(len(counts)))
    bars = ax.barh(np.arange(len(counts)), values, height=0.66, color=BLUE)
    ax.set_yticks(np.arange(len(counts)), labels=[_show_topic(t, names) for t in counts["topic"]])
    _hbar_frame(ax, len(counts))
    L = _labels(lang)
    if by == "exchanges":
        ax.bar_label(bars, fmt="%d", padding=3, fontsize=VALUE_SIZE, color=INK)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(L["exchanges"])
    else:
        ax.bar_label(bars, labels=[f"{v:.0f}%" for v in values], padding=3, fontsize=VALUE_SIZE, color=INK)
        ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
        ax.set_xlabel(L["answer_share"])
    ax.margins(x=0.08)
    return ax


def plot_topic_grid(topics: pd.DataFrame, *, exchanges: pd.DataFrame | None = None, ax: Axes | None = None,
                    lang: str = "en", labels: Mapping[str, str] | None = None) -> Axes:
    """Topics across one interview: a cell per exchange and topic, shaded where the topic comes up.

    Blue: the answer touches the topic; orange: only the question does; grey:
    neither. Topics are ordered by first appearance, so the grid reads as the
    interview's running order. ``exchanges`` (optional) sets the number of
    columns so exchanges without any topic still show. ``labels``: as in
    ``plot_topic_frequency``.
    """
    _require(topics, ["doc_id", "exchange_id", "topic", "hits_question", "hits_answer"], "topics")
    t = topics.dropna(subset=["exchange_id", "topic"])
    if t.empty:
        raise NoDataError("no topics to plot")
    _one_doc(t, "topics")
    names = _topic_names(labels, lang)
    t = t.assign(exchange_id=t["exchange_id"].astype("int64"), topic=t["topic"].astype(str))
    order = t.groupby("topic")["exchange_id"].min().sort_values(kind="stable")
    order = order.reset_index().sort_values(["exchange_id", "topic"])["topic"].tolist()
    n_ex = int(t["exchange_id"].max()) + 1
    known = exchanges["exchange_id"].dropna() if exchanges is not None else ()
    if len(known):
        n_ex = max(n_ex, int(known.max()) + 1)
    grid = np.zeros((len(order), n_ex))
    per = t.groupby(["topic", "exchange_id"])[["hits_question", "hits_answer"]].sum()
    row = {topic: i for i, topic in enumerate(order)}
    for (topic, ex), hits in per.iterrows():
        grid[row[topic], ex] = 2 if hits["hits_answer"] > 0 else (1 if hits["hits_question"] > 0 else 0)
    ax = _axes(ax, _rows_height(len(order), 0.36, 2.4))
    cmap = ListedColormap(["#eeeeee", ORANGE, BLUE])
    ax.pcolormesh(np.arange(n_ex + 1) - 0.5, np.arange(len(order) + 1) - 0.5, grid, cmap=cmap, vmin=0, vmax=2,
                  edgecolors="white", linewidth=1.5)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_yticks(np.arange(len(order)), labels=[_show_topic(o, names) for o in order])
    step = max(1, int(np.ceil(n_ex / 30)))
    ax.set_xticks(np.arange(0, n_ex, step), labels=[str(i + 1) for i in range(0, n_ex, step)])
    ax.set_xlabel(_labels(lang)["exchange"])
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    L = _labels(lang)
    _legend_above(ax, [Patch(color=BLUE), Patch(color=ORANGE)], [L["topic_in_answer"], L["topic_question_only"]])
    return ax


def _exchanges_in_order(exchanges: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    _require(exchanges, ["exchange_id", *columns], "exchanges")
    ex = exchanges.dropna(subset=["exchange_id"])
    if ex.empty:
        raise NoDataError("no exchanges to plot")
    _one_doc(ex, "exchanges")
    return ex.sort_values("exchange_id", ignore_index=True)


def plot_answer_length(exchanges: pd.DataFrame, *, label_chars: int = 12, ax: Axes | None = None,
                       lang: str = "en") -> Axes:
    """Question and answer length per exchange, in interview order (first on top).

    Two bars per exchange: the question (orange) above its answer (blue), both
    in characters excluding whitespace (``question_chars``, ``answer_chars``).
    Each row is labelled with the exchange number and the question's first
    ``label_chars`` characters.
    """
    ex = _exchanges_in_order(exchanges, ["question", "question_chars", "answer_chars"])
    n = len(ex)
    ax = _axes(ax, _rows_height(n, 0.42))
    y = np.arange(n)
    L = _labels(lang)
    ax.barh(y - 0.2, ex["question_chars"].fillna(0).astype(float), height=0.38, color=ORANGE, label=L["question"])
    answers = ax.barh(y + 0.2, ex["answer_chars"].fillna(0).astype(float), height=0.38, color=BLUE, label=L["answer"])
    ax.bar_label(answers, fmt="%d", padding=3, fontsize=VALUE_SIZE, color=INK)
    ax.set_yticks(y, labels=_exchange_labels(ex, label_chars))
    _hbar_frame(ax, n)
    ax.set_xlabel(L["characters"])
    ax.margins(x=0.08)
    _legend_above(ax, ncol=2)
    return ax


def plot_answer_length_by_topic(exchanges: pd.DataFrame, topics: pd.DataFrame, *, ax: Axes | None = None,
                                lang: str = "en", labels: Mapping[str, str] | None = None) -> Axes:
    """Answer length by topic: one dot per exchange touching the topic, a bar at the median.

    An exchange touching several topics appears once under each. Topics are
    ordered by median answer length, longest first; labels carry the count.
    ``labels``: as in ``plot_topic_frequency``.
    """
    _require(exchanges, ["doc_id", "exchange_id", "answer_chars"], "exchanges")
    _require(topics, ["doc_id", "exchange_id", "topic"], "topics")
    keys = ["doc_id", "exchange_id"]
    pairs = topics.dropna(subset=["exchange_id", "topic"])[[*keys, "topic"]].drop_duplicates()
    data = pairs.merge(exchanges[[*keys, "answer_chars"]].dropna(subset=["exchange_id"]), on=keys)
    data = data.dropna(subset=["answer_chars"])
    if data.empty:
        raise NoDataError("no exchanges with topics to plot")
    _one_doc(data, "topics")
    names = _topic_names(labels, lang)
    data = data.assign(topic=data["topic"].astype(str), answer_chars=data["answer_chars"].astype(float))
    stats = data.groupby("topic")["answer_chars"].agg(["median", "size"]).reset_index()
    stats = stats.sort_values(["median", "topic"], ascending=[False, True], ignore_index=True)
    row = {t: i for i, t in enumerate(stats["topic"])}
    ax = _axes(ax, _rows_height(len(stats), 0.4))
    rng = np.random.default_rng(0)  # fixed jitter: the same chart every run
    y = data["topic"].map(row).to_numpy() + rng.uniform(-0.18, 0.18, len(data))
    ax.scatter(data["answer_chars"], y, s=36, color=BLUE, alpha=0.7, linewidths=0, zorder=3)
    ax.scatter(stats["median"], np.arange(len(stats)), marker="|", s=420, linewidths=2.2, color=INK, zorder=4)
    ax.set_yticks(np.arange(len(stats)),
                  labels=[f"{_show_topic(t, names)} ({n})" for t, n in zip(stats["topic"], stats["size"])])
    _hbar_frame(ax, len(stats))
    ax.set_xlim(left=0)
    ax.set_xlabel(_labels(lang)["answer_length"])
    return ax


def plot_entity_counts(mentions: pd.DataFrame, *, top: int = 10, ax: Axes | None = None, lang: str = "en") -> Axes:
    """The ``top`` most-mentioned entities of one interview, bars split by where they are mentioned.

    Stacked horizontal bars: answers (blue), questions (orange), narration
    (grey, only when there is any); the total at the end of each bar.
    """
    counts = count_entities(mentions)
    if counts.empty:
        raise NoDataError("no mentions to plot")
    _one_doc(counts, "mentions")
    counts = counts.head(top)
    n = len(counts)
    ax = _axes(ax, _rows_height(n))
    y = np.arange(n)
    L = _labels(lang)
    left = np.zeros(n)
    parts = [("answer", L["in_answer"]), ("question", L["in_question"])]
    if counts["narration"].sum():
        parts.append(("narration", L["narration"]))
    for role, label in parts:
        values = counts[role].to_numpy(dtype=float)
        ax.barh(y, values, left=left, height=0.66, color=ROLE_COLORS[role], label=label)
        left += values
    for yi, total in zip(y, left):
        ax.text(total, yi, f" {int(total)}", va="center", ha="left", fontsize=VALUE_SIZE, color=INK)
    ax.set_yticks(y, labels=[_plain(e) for e in counts["entity"]])
    _hbar_frame(ax, n)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(L["mentions"])
    ax.margins(x=0.08)
    _legend_above(ax)
    return ax


def plot_entity_dispersion(mentions: pd.DataFrame, turns: pd.DataFrame, *, entities: Sequence[str] | None = None,
                           top: int = 10, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Lexical dispersion ("x-ray") plot: where in the interview each entity is mentioned.

    One row per entity (``entities`` in that order, else the ``top`` most
    mentioned), one tick per mention at its character offset, coloured by role.
    The x axis runs over the transcript body (first to last turn); grey lines
    mark where each exchange's question starts, labelled with its number.
    Like quanteda's ``textplot_xray`` or Voyant's Bubblelines.
    """
    _require(mentions, ["doc_id", "entity", "start", "role"], "mentions")
    _require(turns, ["doc_id", "exchange_id", "start", "end"], "turns")
    m = mentions.dropna(subset=["entity", "start"])
    if m.empty:
        raise NoDataError("no mentions to plot")
    _one_doc(m, "mentions")
    turns = turns[turns["doc_id"].isin(m["doc_id"].unique())]
    if turns.empty:
        raise NoDataError("no turns for the mentioned document")
    names = list(entities) if entities is not None else count_entities(m)["entity"].head(top).tolist()
    m = m[m["entity"].astype(str).isin(names)].assign(entity=lambda d: d["entity"].astype(str))
    body_start, body_end = float(turns["start"].min()), float(turns["end"].max())
    starts = (turns.dropna(subset=["exchange_id"]).groupby("exchange_id")["start"].min().sort_index())
    ax = _axes(ax, _rows_height(len(names), 0.36, 2.4))
    row = {e: i for i, e in enumerate(names)}
    L = _labels(lang)
    ax.vlines(starts.to_numpy(dtype=float), -0.5, len(names) - 0.5, colors="#d9d9d9", linewidths=0.9, zorder=1,
              gid="exchange-starts")
    for role in ("question", "answer", "narration"):
        sel = m[m["role"].astype("string").fillna("narration") == role]
        if sel.empty:
            continue
        ax.plot(sel["start"].astype(float), sel["entity"].map(row), linestyle="none", marker="|", markersize=15,
                markeredgewidth=2, color=ROLE_COLORS[role] if role != "narration" else GREY,
                label=L[f"in_{role}"] if role != "narration" else L["narration"], zorder=3)
    counts = m.groupby("entity").size()
    ax.set_yticks(np.arange(len(names)), labels=[_plain(f"{e} ({counts.get(e, 0)})") for e in names])
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlim(body_start, body_end)
    step = max(1, int(np.ceil(len(starts) / 25)))
    ax.set_xticks(starts.to_numpy(dtype=float)[::step], labels=[str(int(i) + 1) for i in starts.index[::step]])
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(length=0)
    ax.set_xlabel(L["position"])
    _legend_above(ax)
    return ax


def _word_colors(word, font_size, position, orientation, random_state=None, **kwargs) -> str:
    # wordcloud passes its seeded random.Random, so colours repeat run to run.
    return WORD_COLORS[random_state.randint(0, len(WORD_COLORS) - 1)]


def plot_wordcloud(tokens: pd.DataFrame, *, max_words: int = 100, min_len: int = 2, random_state: int = 42,
                   on_missing: str = "raise", ax: Axes | None = None) -> Axes:
    """A word cloud of the most frequent words of one interview (``count_words``), drawn with the CJK font.

    Deterministic for the same tokens (fixed ``random_state``), horizontal
    words only. Every word is checked against the font's character map first:
    ``on_missing="raise"`` raises ``MissingGlyphError`` naming the words that
    would show as boxes; ``"drop"`` leaves them out with a logged warning.
    """
    from wordcloud import WordCloud

    if on_missing not in ("raise", "drop"):
        raise ValueError(f"on_missing={on_missing!r}: choose 'raise' or 'drop'")
    words = count_words(tokens, min_len=min_len)
    if words.empty:
        raise NoDataError("no words left after removing stopwords and punctuation")
    _one_doc(words, "tokens")
    words = words.head(max_words)
    font = wordcloud_font_path()
    bad = {w: missing_glyphs(w, font) for w in words["word"]}
    bad = {w: chars for w, chars in bad.items() if chars}
    if bad:
        detail = "; ".join(f"{w!r} ({' '.join(f'U+{ord(c):04X}' for c in sorted(cs))})" for w, cs in bad.items())
        if on_missing == "raise":
            raise MissingGlyphError(f"{font.name} has no glyph for characters in: {detail}")
        log.warning("word cloud: leaving out words %s cannot draw: %s", font.name, detail)
        words = words[~words["word"].isin(bad)]
        if words.empty:
            raise NoDataError("no drawable words left")
    ax = _axes(ax)
    cloud = WordCloud(
        font_path=str(font), width=1600, height=1000, background_color="white", mode="RGB",
        prefer_horizontal=1.0, collocations=False, random_state=random_state, max_words=max_words,
        color_func=_word_colors, margin=6, relative_scaling=0.5,
    ).generate_from_frequencies(dict(zip(words["word"], words["n"].astype(int))))
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    return ax


def plot_code_switching(exchanges: pd.DataFrame, *, label_chars: int = 12, ax: Axes | None = None,
                        lang: str = "en") -> Axes:
    """Share of English (Latin-script) words in each answer, in interview order.

    One bar per exchange with an answer (``latin_share`` not missing), labelled
    like ``plot_answer_length``; a dashed line at the mean over answers, named
    with its value in a legend above the axes (text inside the axes would
    collide with the value of a bar that ends near the mean).
    """
    ex = _exchanges_in_order(exchanges, ["question", "latin_share"])
    ex = ex.dropna(subset=["latin_share"]).reset_index(drop=True)
    if ex.empty:
        raise NoDataError("no answers to plot")
    n = len(ex)
    values = ex["latin_share"].astype(float).to_numpy() * 100
    ax = _axes(ax, _rows_height(n))
    bars = ax.barh(np.arange(n), values, height=0.66, color=BLUE)
    # Over the average line, on white: a value next to the line stays legible.
    ax.bar_label(bars, labels=[f"{v:.0f}%" for v in values], padding=3, fontsize=VALUE_SIZE, color=INK, zorder=5,
                 bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    mean = float(values.mean())
    ax.axvline(mean, color=INK, linewidth=1, linestyle=(0, (3, 3)), zorder=4,
               label=f"{_labels(lang)['average']} {mean:.0f}%")
    ax.set_yticks(np.arange(n), labels=_exchange_labels(ex, label_chars))
    _hbar_frame(ax, n)
    ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.set_xlim(0, max(10.0, float(values.max()) * 1.15))
    ax.set_xlabel(_labels(lang)["english_share"])
    _legend_above(ax)
    return ax
