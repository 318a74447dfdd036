"""Subtitle files: .srt (with ``srt``) and .vtt (with ``webvtt-py``).

Cue numbers, timing lines and styling tags are not text. The speaker is a VTT
voice tag (``<v Jane Doe>``) or a name before a colon at the start of a cue
(``Jane Doe: ...``, ``主持人：……``, as Zoom writes them); a cue without one
continues the turn before it. A line repeated from the cue before (rolling
captions) is kept once. Consecutive cues of one speaker are one turn; a file
without speakers becomes paragraphs, split at pauses (``base.merge_cues``).
"""

from __future__ import annotations

import io
import re

from analysis.load import Document, decode
from analysis.readers.base import Cue, cues_document, error, reader_name

__all__ = ["read", "split_speaker"]

# A name before a colon opening a cue: up to four Latin words or 1-12 Han characters
# (digits allowed: 说话人1, Speaker 2, SPEAKER_00).
_SPEAKER = re.compile(
    r"\s*(?P<name>[A-Za-z][\w.'’\-]{0,20}(?: [\w.'’\-]{1,20}){0,3}|"
    r"[\u3400-\u4dbf\u4e00-\u9fff][\u3400-\u4dbf\u4e00-\u9fff\w·]{0,11})"
    r"\s*(?:[（(][^()（）]{1,16}[)）])?\s*[:：]\s*(?P<rest>\S.*)?",
    re.DOTALL,
)
_TAGS = re.compile(r"<[^>\n]{1,80}>|\{\\[^}\n]{0,80}\}")
_URL = re.compile(r"^[a-z]+://", re.IGNORECASE)


def split_speaker(text: str) -> tuple[str | None, str]:
    """``'Jane: Hello'`` -> ``('Jane', 'Hello')``; text without a name -> ``(None, text)``."""
    m = _SPEAKER.match(text)
    if m is None or _URL.match(text.strip()) or re.fullmatch(r"\d+", m["name"]):
        return None, text
    return m["name"].strip(), m["rest"] or ""


def _named(cues: list[Cue], raw: list[str]) -> list[Cue]:
    """Names before a colon count as speakers only when they name two cues or more
    (``例如：…`` once is text; voice tags count); the others go back into the cue's text."""
    seen: dict[str, int] = {}
    for cue in cues:
        if cue.speaker:
            seen[cue.speaker] = seen.get(cue.speaker, 0) + 1
    for cue, original in zip(cues, raw):
        if cue.speaker and original is not None and seen[cue.speaker] < 2:
            cue.speaker, cue.text = None, original
    return cues


def _drop_repeats(cues: list[Cue]) -> list[Cue]:
    """Rolling captions (YouTube's automatic ones) repeat the last line of the cue
    before at the top of the next: each line is kept once."""
    previous: list[str] = []
    for cue in cues:
        lines = [line.strip() for line in cue.text.splitlines() if line.strip()]
        repeated = next((k for k in range(min(len(previous), len(lines)), 0, -1)
                         if lines[:k] == previous[-k:]), 0)
        cue.text = "\n".join(lines[repeated:])
        previous = lines
    return cues


def _srt_cues(path, text: str) -> tuple[list[Cue], str]:
    import srt

    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        raise error(path, f"not a valid .srt subtitle file: {exc}") from None
    cues, raw = [], []
    for sub in subtitles:
        content = _TAGS.sub("", sub.content)
        speaker, words = split_speaker(content)
        cues.append(Cue(words, speaker, sub.start.total_seconds(), sub.end.total_seconds(), sub.index))
        raw.append(content)
    return _named(_drop_repeats(cues), raw), reader_name("subtitles", "srt")


def _vtt_cues(path, text: str) -> tuple[list[Cue], str]:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        captions = webvtt.from_buffer(io.StringIO(text)).captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise error(path, f"not a valid .vtt subtitle file (it must start with 'WEBVTT'): {exc}") from None
    cues, raw = [], []
    for number, caption in enumerate(captions, start=1):
        words, speaker, original = caption.text, caption.voice, None
        if not speaker:  # no voice tag: a name before a colon, if any
            original = words
            speaker, words = split_speaker(words)
        number = int(caption.identifier) if (caption.identifier or "").isdigit() else number
        cues.append(Cue(words, speaker, caption.start_time.in_milliseconds() / 1000,
                        caption.end_time.in_milliseconds() / 1000, number))
        raw.append(original)
    return _named(_drop_repeats(cues), raw), reader_name("subtitles", "webvtt-py")


def read(path, data: bytes, *, encoding: str | None = None, doc_id: str | None = None) -> Document:
    text, used = decode(data, name=str(path), encoding=encoding)
    vtt = str(path).lower().endswith(".vtt")
    cues, reader = (_vtt_cues if vtt else _srt_cues)(path, text)
    if not cues:
        raise error(path, f"no subtitle cues in this .{'vtt' if vtt else 'srt'} file")
    return cues_document(path, data, cues, fmt="vtt" if vtt else "srt", reader=reader, encoding=used,
                         doc_id=doc_id)
