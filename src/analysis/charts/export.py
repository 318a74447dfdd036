"""Figures -> files: PNG for the web and for print, SVG, PDF, and the CSV behind the chart, each written atomically.

The same figure gives the same bytes every time (no dates, no software
versions, fixed SVG ids), so a chart that did not change leaves git quiet.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from analysis import config
from analysis.files import check_writable, write_atomic

__all__ = ["FORMATS", "save_chart"]

log = logging.getLogger(__name__)

FORMATS = ("png", "svg", "pdf")


def _figure_title(fig: Figure) -> str | None:
    for t in fig.texts:
        if t.get_gid() == "analysis-title":
            return " ".join(t.get_text().replace(r"\$", "$").split())
    return None


def save_chart(fig: Figure, name: str, *, out_dir: str | os.PathLike | None = None,
               formats: Sequence[str] = FORMATS, data: pd.DataFrame | None = None,
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
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown format(s) {sorted(unknown)}; choose from {FORMATS}")
    out = Path(config.FIGURES_DIR if out_dir is None else out_dir)
    check_writable(out)
    out.mkdir(parents=True, exist_ok=True)

    title = _figure_title(fig)
    jobs: list[tuple[str, str, int, dict]] = []
    for fmt in (f for f in FORMATS if f in formats):
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
