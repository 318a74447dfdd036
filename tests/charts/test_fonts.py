"""analysis.charts.fonts: the CJK font, its resolution order, glyph checks; Chinese never renders as boxes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from fontTools.ttLib import TTFont  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from pathlib import Path  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from analysis import charts, config  # noqa: E402
from analysis.charts import fonts  # noqa: E402
from .chart_helpers import SIMPLIFIED, TRADITIONAL, ENGLISH, GLYPH_WARNING, draw_everywhere  # noqa: E402


def test_cjk_font_is_truetype_and_covers_both_scripts():
    font = fonts.cjk_font()
    assert font.truetype, "CFF fonts make PDFs Ghostscript shows without text"
    assert font.path.is_file()
    assert fonts.missing_glyphs(SIMPLIFIED + TRADITIONAL + ENGLISH) == set()
    assert charts.cjk_font_path() == font.path


@pytest.fixture
def fresh_font_choice():
    fonts.cjk_font.cache_clear()
    yield
    fonts.cjk_font.cache_clear()


@pytest.mark.parametrize("system, expected", [
    ([], "bundled"),
    ([("Noto Sans CJK SC", False)], "bundled"),  # CFF: after the bundled TrueType font
    ([("Noto Sans CJK SC", False), ("WenQuanYi Zen Hei", True)], "WenQuanYi Zen Hei"),
])
def test_font_resolution_order(monkeypatch, fresh_font_choice, system, expected):
    fake = [fonts.CJKFont(Path(f"/fonts/{name}.ttc"), 0, name, truetype) for name, truetype in system]
    bundled = fonts.CJKFont(Path("/fonts/bundled.ttc"), 0, "bundled", True)
    monkeypatch.setattr(fonts, "system_fonts", lambda: fake)
    monkeypatch.setattr(fonts, "bundled_font", lambda: bundled)
    assert fonts.cjk_font().family == expected


def test_font_resolution_fails_clearly(monkeypatch, fresh_font_choice):
    monkeypatch.setattr(fonts, "system_fonts", lambda: [])
    monkeypatch.setattr(fonts, "bundled_font", lambda: None)
    with pytest.raises(RuntimeError, match="paperang-p2-fonts-cjk"):
        fonts.cjk_font()


def test_bundled_font_is_the_micro_hei_face():
    font = fonts.bundled_font()
    assert font is not None and font.family == "WenQuanYi Micro Hei" and font.index == 0 and font.truetype


def test_use_style_sets_font_and_export_settings():
    rc = matplotlib.rcParams
    assert rc["font.sans-serif"][0] == fonts.cjk_font().family
    assert rc["pdf.fonttype"] == 42 and rc["svg.fonttype"] == "path" and rc["svg.hashsalt"]
    assert not rc["axes.spines.top"] and not rc["axes.spines.right"]
    assert Path(font_manager.findfont(fonts.cjk_font().family)).resolve() == fonts.cjk_font().path.resolve()


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL, ENGLISH, f"{SIMPLIFIED} {TRADITIONAL} {ENGLISH}"])
def test_text_renders_without_missing_glyphs(text, no_glyph_warnings):
    fig, ax = plt.subplots()
    ax.bar([text, "AI"], [1, 2])
    ax.set_xlabel(text)
    charts.finish(fig, text, subtitle=text, source=text)
    draw_everywhere(fig)


def test_default_font_fails_on_chinese():
    """The guard itself: DejaVu Sans has no Han glyphs, and drawing them warns (an error in this suite)."""
    with plt.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title(SIMPLIFIED)
        with pytest.warns(UserWarning, match=GLYPH_WARNING):
            fig.canvas.draw()


@pytest.mark.parametrize("text, expected", [
    (SIMPLIFIED, set()),
    (TRADITIONAL, set()),
    ("AI 芯片，“英伟达”。\n", set()),
    ("😀 ok", {"😀"}),
    ("𠀀x", {"𠀀"}),  # CJK Extension B
])
def test_missing_glyphs(text, expected):
    assert fonts.missing_glyphs(text) == expected


def test_missing_glyphs_in_latin_font():
    dejavu = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    assert fonts.missing_glyphs("中a", dejavu) == {"中"}


@pytest.fixture
def fresh_font_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    fonts.wordcloud_font_path.cache_clear()
    yield tmp_path
    fonts.wordcloud_font_path.cache_clear()


def test_wordcloud_font_is_a_single_face_file(fresh_font_cache):
    path = fonts.wordcloud_font_path()
    font = TTFont(path)  # no fontNumber: a plain .ttf, which PIL and to_svg(embed_font=True) accept
    assert font["name"].getBestFamilyName() == fonts.cjk_font().family
    assert "glyf" in font
    assert fonts.missing_glyphs(SIMPLIFIED + TRADITIONAL, path) == set()
    if fonts.cjk_font().path.suffix.lower() == ".ttc":
        assert path.parent == fresh_font_cache / "fonts"
        assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind
        mtime = path.stat().st_mtime_ns
        fonts.wordcloud_font_path.cache_clear()
        assert fonts.wordcloud_font_path() == path and path.stat().st_mtime_ns == mtime
