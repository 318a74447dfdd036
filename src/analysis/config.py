"""Paths and defaults, nothing else.

Every path the package, the command line and the notebooks use comes from here.
The project root is the folder holding ``pyproject.toml`` above this file (an
editable install, the normal case); otherwise the ``ANALYSIS_ROOT`` environment
variable, otherwise the current working directory.
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("ANALYSIS_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parents[2]
    if (here / "pyproject.toml").is_file():
        return here
    return Path.cwd().resolve()


ROOT = _find_root()
RAW_DIR = ROOT / "data" / "raw"
PROCESSED_DIR = ROOT / "data" / "processed"
FIGURES_DIR = ROOT / "reports" / "figures"
CACHE_DIR = Path(os.environ.get("ANALYSIS_CACHE_DIR", ROOT / ".cache"))
RESOURCES_DIR = Path(__file__).resolve().parent / "resources"
# Your own language resources for your interviews, extending the shipped ones
# (see README, "Language resources", and analysis.language.Resources): userdict.txt,
# stopwords.txt, entities.csv, topics.yaml, surnames.txt.
USER_RESOURCES_DIR = Path(os.environ.get("ANALYSIS_RESOURCES", ROOT / "data" / "resources"))

# File endings read as transcripts; anything else in the raw folder is ignored
# (README.md files describing the data, for example). Plain text, then the
# endings of ``analysis.readers`` (Word, subtitles, Whisper JSON, spreadsheets, web pages).
TRANSCRIPT_SUFFIXES = (".txt", ".md", ".markdown", ".text",
                       ".docx", ".srt", ".vtt", ".json", ".csv", ".tsv", ".xlsx", ".html", ".htm")
# Files in the raw folder that describe the data rather than hold a transcript.
IGNORED_NAMES = ("README.md", "readme.md", "README.txt")

# Processes for building many files (``analysis build`` and the notebooks); below
# ``corpus.pipeline.PARALLEL_BYTES`` of files a build stays in one process anyway.
WORKERS = min(2, os.cpu_count() or 1)
