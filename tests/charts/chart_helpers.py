"""Shared by the chart tests: sample texts, table builders, and readers of what a plot drew."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import io  # noqa: E402
import shutil  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import charts  # noqa: E402


SIMPLIFIED = "黄仁勋谈英伟达"


TRADITIONAL = "黃仁勳談輝達與臺灣"


ENGLISH = "Jensen Huang on Nvidia, AI & 2025"


GLYPH_WARNING = r"Glyph .* missing from"


POPPLER = all(shutil.which(t) for t in ("pdffonts", "pdftotext", "pdftoppm"))


needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdffonts, pdftotext, pdftoppm) not installed")


ROLE = pd.CategoricalDtype(["question", "answer", "narration"])
# With the remark role: a known speaker's turn that neither asks nor answers (a hand-off, thanks).
ROLE_WITH_REMARK = pd.CategoricalDtype(["question", "answer", "remark", "narration"])


def frame(rows: list[tuple], columns: str, **dtypes) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns.split())
    return df.astype({"exchange_id": "Int32", **dtypes}) if "exchange_id" in df.columns else df.astype(dtypes)


def token_rows(doc_id: str, words: list[tuple[str, bool, bool, str]]) -> pd.DataFrame:
    rows = [(doc_id, 2, 0, "answer", "黄仁勋", i, w, w.lower(), i * 3, i * 3 + len(w), stop, punct, script)
            for i, (w, stop, punct, script) in enumerate(words)]
    return frame(rows, "doc_id turn_id exchange_id role speaker position token norm start end "
                        "is_stopword is_punct script", role=ROLE)


def draw_everywhere(fig) -> None:
    fig.canvas.draw()
    for fmt in ("png", "svg", "pdf"):
        fig.savefig(io.BytesIO(), format=fmt)


def small_chart(title: str = f"{SIMPLIFIED}：{TRADITIONAL}"):
    fig, ax = plt.subplots()
    ax.barh(["英伟达", "輝達", "Nvidia"], [3, 2, 1])
    charts.finish(fig, title, "副标题", "张小珺")
    return fig


def bar_widths(ax, color=None) -> list[float]:
    return [round(p.get_width(), 6) for p in ax.patches
            if color is None or matplotlib.colors.to_hex(p.get_facecolor()) == color.lower()]


def ytick_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def bars_of(ax) -> list[tuple[str, float, float, float]]:
    """(colour, y, left, width) of every bar."""
    return [(matplotlib.colors.to_hex(b.get_facecolor()), b.get_y() + b.get_height() / 2, b.get_x(), b.get_width())
            for b in ax.patches]


def figure_texts(fig) -> dict[str, str]:
    return {t.get_gid(): t.get_text().replace("\n", "") for t in fig.texts}
