"""The CJK font every chart uses: found once, registered once, checked with fontTools.

matplotlib's default font (DejaVu Sans) and wordcloud's bundled font have no Han
glyphs: matplotlib warns ``Glyph ... missing from font(s)`` and draws boxes,
wordcloud draws boxes without a word. So the font is resolved here, once, in
this order:

1. a system font with TrueType outlines that covers simplified and traditional
   Chinese (WenQuanYi Micro Hei, WenQuanYi Zen Hei, Microsoft YaHei, ...), as
   matplotlib's font list knows it;
2. WenQuanYi Micro Hei shipped by the ``paperang-p2-fonts-cjk`` package (a
   dependency, so this is the usual case on a bare machine);
3. a system font with CFF outlines (Noto Sans CJK SC, Source Han Sans SC, ...).
   These come last because PDFs embedding them rendered without any text in
   Ghostscript (matplotlib issues 2869, 20870).

A ``.ttc`` collection holds several faces; the face whose name matches is used
(``CJKFont.index``). PIL, and so wordcloud, always opens face 0 and
``WordCloud.to_svg(embed_font=True)`` refuses collections, so
``wordcloud_font_path()`` extracts the face into a single-face file under
``config.CACHE_DIR / "fonts"``.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import logging
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
from fontTools.ttLib import TTCollection, TTFont
from matplotlib import font_manager

from analysis import config
from analysis.files import write_atomic

__all__ = ["CJKFont", "MissingGlyphError", "cjk_font", "cjk_font_path", "use_cjk_font", "has_bold",
           "missing_glyphs", "wordcloud_font_path", "system_fonts", "bundled_font", "PROBE", "SYSTEM_FAMILIES"]

log = logging.getLogger(__name__)
# matplotlib subsets the font for every PDF through fontTools, which logs each
# table it prunes at INFO: a dozen lines per chart under `analysis -v`.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

# Simplified and traditional characters a usable font must have.
PROBE = "黄仁勋谈英伟达与台湾黃仁勳談輝達與臺灣"
# System families tried, best first. Outlines decide the order (TrueType before
# the bundled font, CFF after it), this list only orders fonts of one kind.
SYSTEM_FAMILIES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Source Han Sans CN",
    "Sarasa Gothic SC",
    "Hiragino Sans GB",
)
BUNDLED_PACKAGE = "paperang_p2_fonts_cjk"
BUNDLED_FILE = "fonts/wqy-microhei.ttc"
BUNDLED_FAMILY = "WenQuanYi Micro Hei"
# Latin fallback after the CJK font: only for glyphs the CJK font lacks.
LATIN_FALLBACK = ("DejaVu Sans",)


class MissingGlyphError(ValueError):
    """Text the font cannot draw: it would show as boxes."""


@dataclass(frozen=True)
class CJKFont:
    """One face of a font file: ``index`` is the face inside a .ttc/.otc collection."""

    path: Path
    index: int
    family: str
    truetype: bool  # TrueType (glyf) outlines; False for CFF


def _describe(path: Path, index: int) -> CJKFont | None:
    """The face at ``path``/``index`` if it covers ``PROBE``, else None."""
    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            cmap = font.getBestCmap() or {}
            family = font["name"].getBestFamilyName()
            truetype = "glyf" in font
    except Exception as exc:  # a broken font file must not stop the search
        log.debug("%s[%d]: unreadable font: %s", path, index, exc)
        return None
    if any(ord(c) not in cmap for c in PROBE):
        return None
    return CJKFont(path=path, index=index, family=family, truetype=truetype)


def system_fonts() -> list[CJKFont]:
    """The regular faces of ``SYSTEM_FAMILIES`` matplotlib knows that cover ``PROBE``, best first."""
    found = []
    for family in SYSTEM_FAMILIES:
        for entry in font_manager.fontManager.ttflist:
            if entry.name != family or entry.style != "normal" or entry.weight not in (400, "normal", "regular"):
                continue
            font = _describe(Path(entry.fname), getattr(entry, "index", 0))
            if font and font not in found:
                found.append(font)
    return found


def bundled_font() -> CJKFont | None:
    """WenQuanYi Micro Hei from ``paperang-p2-fonts-cjk``; None when the package is missing or zipped."""
    try:
        resource = importlib.resources.files(BUNDLED_PACKAGE).joinpath(BUNDLED_FILE)
    except ModuleNotFoundError:
        return None
    path = Path(str(resource))
    if not path.is_file():  # installed as a zip: not a case worth extracting for
        return None
    n_faces = 1
    if path.suffix.lower() in (".ttc", ".otc"):
        with TTCollection(path, lazy=True) as collection:
            n_faces = len(collection.fonts)
    faces = [f for i in range(n_faces) if (f := _describe(path, i))]
    named = [f for f in faces if f.family == BUNDLED_FAMILY]
    return (named or faces or [None])[0]


@functools.cache
def cjk_font() -> CJKFont:
    """The CJK font charts use (resolved once; see the module docstring for the order)."""
    system = system_fonts()
    bundled = bundled_font()
    candidates = [f for f in system if f.truetype] + ([bundled] if bundled else []) + [f for f in system if not f.truetype]
    if not candidates:
        raise RuntimeError(
            "no font with Chinese glyphs found: `pip install paperang-p2-fonts-cjk` "
            "(WenQuanYi Micro Hei) or install fonts-wqy-microhei"
        )
    font = candidates[0]
    if not font.truetype:
        log.warning("%s has CFF outlines: some PDF viewers (Ghostscript) may show its PDFs without text", font.family)
    log.info("CJK font: %s (%s, face %d)", font.family, font.path, font.index)
    return font


def cjk_font_path() -> Path:
    """Path of the CJK font file (a .ttc collection is possible: see ``cjk_font().index``)."""
    return cjk_font().path


@functools.cache
def _register(font: CJKFont) -> None:
    known = {(Path(e.fname).resolve(), getattr(e, "index", 0)) for e in font_manager.fontManager.ttflist}
    if (font.path.resolve(), font.index) not in known:
        font_manager.fontManager.addfont(font.path)


def use_cjk_font() -> CJKFont:
    """Register the CJK font with matplotlib and put it first in ``font.sans-serif``.

    Sets ``font.family`` to sans-serif. The CJK font draws Latin text too (its
    Latin glyphs match the Han ones in weight and height); DejaVu Sans stays
    behind it for the odd symbol it lacks. Safe to call repeatedly.
    """
    font = cjk_font()
    _register(font)
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f != font.family and f not in LATIN_FALLBACK]
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["font.sans-serif"] = [font.family, *LATIN_FALLBACK, *rest]
    return font


def has_bold(family: str) -> bool:
    """Whether matplotlib knows a bold face of ``family`` (WenQuanYi has none)."""
    return any(
        e.name == family and isinstance(e.weight, int) and e.weight >= 600
        for e in font_manager.fontManager.ttflist
    )


@functools.cache
def _cmap(path: Path, index: int) -> frozenset[int]:
    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset((font.getBestCmap() or {}).keys())


def missing_glyphs(text: str, font_path: str | os.PathLike | None = None, *, index: int | None = None) -> set[str]:
    """Characters of ``text`` the font has no glyph for (whitespace and controls ignored).

    ``font_path`` defaults to the CJK font (and its face); ``index`` picks the
    face of a collection (default 0, which is what PIL and wordcloud open).
    """
    if font_path is None:
        font = cjk_font()
        path, face = font.path, font.index if index is None else index
    else:
        path, face = Path(font_path), index or 0
    cmap = _cmap(path.resolve(), face)
    return {
        c for c in set(text)
        if ord(c) not in cmap and not c.isspace() and unicodedata.category(c) != "Cc"
    }


@functools.cache
def wordcloud_font_path() -> Path:
    """A single-face font file for wordcloud / PIL: the CJK font's face.

    A plain .ttf/.otf is returned as is. From a collection the face is written
    to ``config.CACHE_DIR / "fonts"`` once (named by the collection's hash and
    the face index, written atomically) and that file is returned.
    """
    font = cjk_font()
    if font.path.suffix.lower() not in (".ttc", ".otc"):
        return font.path
    digest = hashlib.sha256(font.path.read_bytes()).hexdigest()[:12]
    suffix = ".ttf" if font.truetype else ".otf"
    target = config.CACHE_DIR / "fonts" / f"{font.path.stem}-{font.index}-{digest}{suffix}"
    if target.is_file():
        return target
    with TTFont(font.path, fontNumber=font.index) as face:
        name = face["name"].getBestFamilyName()
        if name != font.family:
            raise RuntimeError(f"{font.path} face {font.index} is {name!r}, expected {font.family!r}")
        write_atomic(target, face.save)
    log.info("extracted %s face %d to %s", font.path.name, font.index, target)
    return target
