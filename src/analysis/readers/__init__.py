"""One reader per input format, behind ``analysis.load.read_transcript``.

Each reader turns a file's bytes into a :class:`analysis.load.Document` whose
``text`` the parser reads (see ``readers.base``): Word files (``docx``),
subtitles (``subtitles``: .srt, .vtt), Whisper/WhisperX JSON (``whisper``),
utterance spreadsheets (``sheets``: .csv, .tsv, .xlsx), saved web pages
(``html``) and speech-to-text plain-text exports, recognised by their content
whatever the ending (``speech_text``). A reader's library is imported only when
a file of its format is read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

__all__ = ["READERS", "SUFFIXES", "reader_for"]

# file ending -> reader module
READERS = {
    ".docx": "docx",
    ".srt": "subtitles",
    ".vtt": "subtitles",
    ".json": "whisper",
    ".csv": "sheets",
    ".tsv": "sheets",
    ".xlsx": "sheets",
    ".html": "html",
    ".htm": "html",
}
SUFFIXES = tuple(READERS)


def reader_for(path) -> Callable | None:
    """The ``read(path, data, *, encoding, doc_id)`` of the reader for this file ending, or None."""
    module = READERS.get(Path(path).suffix.lower())
    if module is None:
        return None
    return importlib.import_module(f"analysis.readers.{module}").read
