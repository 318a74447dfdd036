"""The house style: colours, type sizes, axis labels in English and Chinese, text wrapping, titles, credits.

``use_style()`` applies ``resources/analysis.mplstyle`` and the CJK font;
``finish`` adds the title, subtitle and source line to a figure;
``source_line`` writes the credit from the documents table. The text helpers
(``plain_text``, ``shorten``, ``clean_text``, ``lang_of``, ``wrap_text``) are
what every chart puts its data through before matplotlib sees it.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Mapping

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, TightLayoutEngine

from analysis import topics as _topics
from analysis.charts.fonts import has_bold, use_cjk_font

__all__ = [
    "STYLE", "BLUE", "ORANGE", "GREEN", "VERMILION", "SKY", "PURPLE", "INK", "GREY", "LIGHT",
    "ROLE_COLORS", "WORD_COLORS", "TITLE_SIZE", "SUBTITLE_SIZE", "SOURCE_SIZE", "VALUE_SIZE",
    "LABELS", "SOURCE_CREDITS", "use_style", "chart_labels", "topic_names", "show_topic",
    "is_chinese", "lang_of", "plain_text", "shorten", "clean_text", "wrap_text", "finish", "source_line",
]

STYLE = "analysis.mplstyle"

# Okabe-Ito; the same meaning in every chart.
BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7"
INK, GREY, LIGHT = "#1a1a1a", "#6b6b6b", "#bdbdbd"
# remark: a known speaker's turn that neither asks nor answers (a moderator's hand-off, thanks).
ROLE_COLORS = {"question": ORANGE, "answer": BLUE, "remark": GREEN, "narration": LIGHT}
WORD_COLORS = (BLUE, VERMILION, GREEN, PURPLE, INK)

TITLE_SIZE, SUBTITLE_SIZE, SOURCE_SIZE, VALUE_SIZE = 17, 12, 9.5, 10

_TEXTS = {  # key: (English, Chinese)
    "exchanges": ("Exchanges", "问答轮数"),
    "answer_share": ("Share of all answer text", "占全部回答字数的比例"),
    "exchange": ("Exchange, in interview order", "问答（按采访顺序）"),
    "characters": ("Characters (excluding spaces)", "字数（不含空白）"),
    "question": ("Question", "提问"),
    "answer": ("Answer", "回答"),
    "remark": ("Remark", "其他发言"),
    "narration": ("Narration", "旁白"),
    "in_question": ("In a question", "提问中"),
    "in_answer": ("In an answer", "回答中"),
    "in_remark": ("In a remark", "其他发言中"),
    "topic_in_answer": ("In the answer", "回答中谈到"),
    "topic_question_only": ("Only in the question", "仅提问中出现"),
    "mentions": ("Mentions", "提及次数"),
    "position": ("Exchange where each mention falls (lines mark each new question)", "提及所在的问答（竖线为每个问题的开始）"),
    "minutes": ("Minutes into the recording (lines mark each new question)", "录音中的分钟（竖线为每个问题的开始）"),
    "english_share": ("Share of English (Latin-script) words in the answer", "回答中英文（拉丁字母）词的比例"),
    "average": ("Average", "平均"),
    "answer_length": ("Answer length (characters, excluding spaces)", "回答字数（不含空白）"),
    "source": ("Source: ", "来源："),
}
LABELS = {lang: {key: texts[i] for key, texts in _TEXTS.items()} for i, lang in enumerate(("en", "zh"))}


def use_style() -> None:
    """Apply the house style (``resources/analysis.mplstyle``) and the CJK font, globally.

    To keep it to a block of code: ``with plt.rc_context(): use_style(); ...``.
    """
    with importlib.resources.as_file(importlib.resources.files("analysis") / "resources" / STYLE) as path:
        plt.style.use(path)
    use_cjk_font()


def chart_labels(lang: str) -> dict[str, str]:
    """The axis and legend texts in ``lang`` ("en" or "zh"); ValueError for another language."""
    if lang not in LABELS:
        raise ValueError(f"lang={lang!r}: choose from {sorted(LABELS)}")
    return LABELS[lang]


def topic_names(labels: Mapping[str, str] | None, lang: str) -> Mapping[str, str]:
    """Topic -> text shown: ``labels``, or the shipped lexicon's labels for ``lang``."""
    chart_labels(lang)
    return _topics.topic_labels(lang) if labels is None else labels


def show_topic(topic: str, names: Mapping[str, str]) -> str:
    """The text drawn for ``topic``: its name in ``names``, else the topic itself."""
    return plain_text(names.get(topic) or topic)


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def is_chinese(text: str | None) -> bool:
    """Whether ``text`` holds any Han character."""
    return bool(text) and bool(_HAN.search(text))


def lang_of(text: str | None) -> str:
    """"zh" when Han characters outnumber a third of the letters of ``text``, else "en"."""
    if not text:
        return "en"
    han, latin = len(_HAN.findall(text)), len(_LATIN.findall(text))
    return "zh" if han and han >= 0.3 * (han + latin) else "en"


def plain_text(text: object) -> str:
    """Text from the data, safe for matplotlib: a pair of ``$`` would start math mode."""
    return "" if text is None or text is pd.NA else str(text).replace("$", r"\$")


def shorten(text: object, n: int) -> str:
    """``text`` on one line, cut to ``n`` characters with "…" when longer."""
    s = " ".join(str(text).split()) if text is not None and text is not pd.NA else ""
    return s if len(s) <= n else s[:n].rstrip() + "…"


def clean_text(value: object) -> str:
    """A cell as one line of text; "" for a missing value."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return " ".join(str(value).split())


_CLOSING = set("，。、；：！？）》」』】〉,.;:!?)%％…")
_OPENING = "（《「『【〈(“‘["
_TOKEN = re.compile(r"[A-Za-z0-9\u00c0-\u024f'’\-_.@/%]+\s*|\s+|.", re.S)


def _renderer(fig: Figure):
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get else fig._get_renderer()


def wrap_text(text: str, width_in: float, fig: Figure, **font) -> str:
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
    t = fig.text(x, y, wrap_text(plain_text(title), w_in - 2 * pad, fig, **title_font), ha="left", va="top",
                 gid="analysis-title", linespacing=1.15, **title_font)
    y -= (height(t) + 0.06) / h_in
    if subtitle:
        sub_font = {"fontsize": SUBTITLE_SIZE, "color": GREY}
        s = fig.text(x, y, wrap_text(plain_text(subtitle), w_in - 2 * pad, fig, **sub_font), ha="left", va="top",
                     gid="analysis-subtitle", linespacing=1.3, **sub_font)
        y -= height(s) / h_in
    top = y - 0.12 / h_in
    bottom = 0.0
    if source:
        src = str(source).strip()
        if not re.match(r"^(来源|來源|source)\s*[:：]", src, re.I):
            src = LABELS["zh" if is_chinese(src) else "en"]["source"] + src
        src_font = {"fontsize": SOURCE_SIZE, "color": GREY}
        f = fig.text(x, pad / h_in, wrap_text(plain_text(src), w_in - 2 * pad, fig, **src_font), ha="left", va="bottom",
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


def _author(value: object) -> str:
    """"[[@dotey]]", "['a', 'b']", "a, b" -> "@dotey", "a、b" / "a, b"."""
    names = [n.strip() for n in re.split(r"[,，、;；]", re.sub(r"[\[\]\"'“”]", "", clean_text(value)))]
    names = list(dict.fromkeys(n for n in names if n))
    return ("、" if any(is_chinese(n) for n in names) else ", ").join(names)


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
        source, title, author = clean_text(row.get("source")), clean_text(row.get("title")), _author(row.get("author"))
        if source and not _URL.match(source):
            part = source
        elif title:
            zh = is_chinese(title)
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
    zh = any(is_chinese(p) for p in parts)
    rest = len(parts) - SOURCE_CREDITS if len(parts) > SOURCE_CREDITS + 1 else 0
    line = LABELS["zh" if zh else "en"]["source"] + ("；" if zh else "; ").join(parts[:len(parts) - rest])
    if rest:
        line += f"；另有 {rest} 个来源未列出" if zh else f"; {rest} more not listed"
    return line
