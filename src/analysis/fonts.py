"""The CJK font: kept importable as ``analysis.fonts``; the code is ``analysis.charts.fonts``."""

from analysis.charts.fonts import (  # noqa: F401
    PROBE,
    SYSTEM_FAMILIES,
    CJKFont,
    MissingGlyphError,
    __all__,
    cjk_font,
    cjk_font_path,
    has_bold,
    missing_glyphs,
    use_cjk_font,
    wordcloud_font_path,
)
