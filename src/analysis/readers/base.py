"""What the readers share: source cues -> merged turns -> the rendered text and its Document.

A converted file's ``documents.text`` is text the parser already reads: one line
per merged turn, ``说话人1：……`` (full-width colon after a Chinese name) or
``Speaker 1: ...``, or a plain paragraph when the source names no speaker;
paragraphs are separated by a blank line. Every offset in the tables points into
that rendered text. The source's own positions stay in ``documents.metadata``:
``timeline`` is a JSON list with one object per rendered turn or paragraph
(``start``/``end``: its characters in the text; ``t_start``/``t_end``: seconds in
the recording, or null; ``cues``: the first and last source cue, segment or row
number it was made of; ``speaker`` as the source wrote it).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from analysis.load import Document, TranscriptError, make_doc_id
from analysis.metadata import header_metadata, merge_metadata

__all__ = ["Cue", "PAUSE", "cues_document", "error", "join_text", "merge_cues", "reader_name",
           "render", "text_document"]

# Silence (seconds) that ends a paragraph in a file without speakers, and the length
# after which a paragraph ends at the next sentence end anyway.
PAUSE = 2.0
PARAGRAPH_CHARS = 400

_WIDE = re.compile(r"[\u2e80-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"[。！？!?.…」』”\"]$")
_NAME_JUNK = re.compile(r"[_\s\u3000]+")


@dataclass
class Cue:
    """One unit of the source: a subtitle cue, a Whisper segment, a spreadsheet row."""

    text: str
    speaker: str | None = None
    start: float | None = None  # seconds
    end: float | None = None
    number: int | None = None  # as the source numbers it (cue index, segment id, row)
    alone: bool = False  # a paragraph of its own (a title line before the first speaker)


@dataclass
class _Block:
    speaker: str | None  # as the source wrote it
    text: str
    start: float | None
    end: float | None
    first: int | None
    last: int | None
    alone: bool = False


def error(path, problem: str) -> TranscriptError:
    """The loader's error for a file that is not what its ending says (no encoding hint)."""
    return TranscriptError(path, problem, hint=False)


def reader_name(module: str, library: str | None = None) -> str:
    """``analysis.readers.subtitles (srt 3.5.3)``: which reader, with which library version."""
    if library is None:
        return f"analysis.readers.{module}"
    try:
        return f"analysis.readers.{module} ({library} {version(library)})"
    except PackageNotFoundError:
        return f"analysis.readers.{module} ({library})"


def join_text(a: str, b: str) -> str:
    """Two pieces of one utterance: no space between Chinese (or Japanese) characters."""
    if not a or not b:
        return a or b
    if _WIDE.match(b[0]) or _WIDE.match(a[-1]):
        return a + b
    return f"{a} {b}"


def clean(text: str) -> str:
    """The lines of a cue as one line."""
    out = ""
    for line in str(text).splitlines():
        out = join_text(out, " ".join(line.split()))
    return out


def speaker_label(name: str) -> str:
    """A source speaker as a label the parser reads: ``SPEAKER_00`` -> ``SPEAKER 00``."""
    return _NAME_JUNK.sub(" ", name).strip().rstrip(":：").strip()


def merge_cues(cues: list[Cue], *, pause: float = PAUSE) -> list[_Block]:
    """Consecutive cues of one speaker -> one turn; without speakers, cues -> paragraphs.

    A cue without a speaker after a named one continues that speaker's turn (Zoom
    and webvtt files name the speaker on the first cue of a turn only). Without any
    speaker, a paragraph ends at a sentence end followed by ``pause`` seconds of
    silence, at any silence of three times that (unpunctuated speech-to-text), at
    the next sentence end once it is longer than ``PARAGRAPH_CHARS``, and at four
    times that length in any case.
    """
    blocks: list[_Block] = []
    for cue in cues:
        text = clean(cue.text)
        if not text:
            continue
        speaker = cue.speaker.strip() if cue.speaker and speaker_label(cue.speaker) else None
        prev = blocks[-1] if blocks else None
        if prev is not None and _continues(prev, speaker, cue, pause):
            prev.text = join_text(prev.text, text)
            prev.end = cue.end if cue.end is not None else prev.end
            prev.last = cue.number
        else:
            blocks.append(_Block(speaker, text, cue.start, cue.end, cue.number, cue.number, cue.alone))
    return blocks


def _continues(prev: _Block, speaker: str | None, cue: Cue, pause: float) -> bool:
    if cue.alone or prev.alone:
        return False
    if speaker is not None or prev.speaker is not None:
        return speaker is None or speaker == prev.speaker
    ended = bool(_SENTENCE_END.search(prev.text))
    gap = cue.start - prev.end if prev.end is not None and cue.start is not None else 0.0
    if gap >= 3 * pause or (gap >= pause and ended):  # a pause inside a sentence is not a paragraph break
        return False
    return not (len(prev.text) >= PARAGRAPH_CHARS and ended) and len(prev.text) < 4 * PARAGRAPH_CHARS


def render(blocks: list[_Block]) -> tuple[str, list[dict]]:
    """Merged turns -> (document text, timeline)."""
    lines, timeline, pos = [], [], 0
    for block in blocks:
        if block.speaker:
            name = speaker_label(block.speaker)
            line = f"{name}：{block.text}" if _HAN.search(name) else f"{name}: {block.text}"
        else:
            line = block.text
        timeline.append({"start": pos, "end": pos + len(line), "speaker": block.speaker,
                         "t_start": block.start, "t_end": block.end, "cues": [block.first, block.last]})
        lines.append(line)
        pos += len(line) + 2
    return "\n\n".join(lines) + "\n", timeline


def _seconds(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def cues_document(path, data: bytes, cues: list[Cue], *, fmt: str, reader: str, encoding: str,
                  doc_id: str | None, metadata: dict[str, str] | None = None, header: bool = False) -> Document:
    """A Document from the cues of a timed source (subtitles, segments, utterance rows)."""
    blocks = merge_cues(cues)
    if not blocks:
        raise error(path, f"{fmt} file without any text")
    text, timeline = render(blocks)
    meta = dict(metadata or {})
    meta["n_cues"] = str(sum(1 for c in cues if not c.alone))
    ends = [c.end for c in cues if c.end is not None] or [c.start for c in cues if c.start is not None]
    if ends:
        meta["duration"] = _seconds(max(ends))
    meta["timeline"] = json.dumps(timeline, ensure_ascii=False)
    return text_document(path, data, text, fmt=fmt, reader=reader, encoding=encoding, doc_id=doc_id,
                         metadata=meta, header=header)


def text_document(path, data: bytes, text: str, *, fmt: str, reader: str, encoding: str,
                  doc_id: str | None, metadata: dict[str, str] | None = None,
                  header: bool = False, warnings: tuple[str, ...] = ()) -> Document:
    """The Document of a converted file: ``text`` is what every offset points into.

    ``header``: also read ``来源：…`` / ``Source: …`` lines and a title line near the top
    (documents written by people: Word files, web pages).
    """
    fields = {"format": fmt, "reader": reader, **(metadata or {})}
    head, title = header_metadata(text, 0) if header else ({}, None)
    return Document(
        doc_id=make_doc_id(path) if doc_id is None else doc_id,
        path=str(path),
        text=text,
        body_start=0,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        metadata=merge_metadata(fields, head, title),
        warnings=tuple(warnings),
    )
