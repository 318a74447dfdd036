"""Whisper and WhisperX JSON: ``{"segments": [{"start", "end", "text"[, "speaker"]}, ...]}``.

Whisper's own ``--output_format json`` has no speakers: its segments become
paragraphs, split at pauses. WhisperX (after diarisation) names each segment's
speaker ``SPEAKER_00``, ``SPEAKER_01``...; consecutive segments of one speaker are
one turn, rendered ``SPEAKER 00: ...`` (the parser reads no underscore in a label;
``timeline`` keeps the name as written). Word timings are not kept.
"""

from __future__ import annotations

import json

from analysis.load import Document, decode
from analysis.readers.base import Cue, cues_document, error, reader_name

__all__ = ["read"]


def _number(value, path, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise error(path, f"not a Whisper/WhisperX file: {where} is {value!r}, not a number of seconds")
    return float(value)


def read(path, data: bytes, *, encoding: str | None = None, doc_id: str | None = None) -> Document:
    text, used = decode(data, name=str(path), encoding=encoding)
    try:
        content = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(path, f"JSON that does not parse: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    segments = content.get("segments") if isinstance(content, dict) else content
    if not isinstance(segments, list) or not segments:
        raise error(path, "not a Whisper/WhisperX file: no non-empty 'segments' list")
    cues = []
    for i, seg in enumerate(segments):
        if not isinstance(seg, dict) or not isinstance(seg.get("text"), str):
            raise error(path, f"not a Whisper/WhisperX file: segment {i} has no 'text'")
        speaker = seg.get("speaker")
        cues.append(Cue(seg["text"], str(speaker) if speaker not in (None, "") else None,
                        _number(seg.get("start"), path, f"segment {i} 'start'"),
                        _number(seg.get("end"), path, f"segment {i} 'end'"),
                        seg["id"] if isinstance(seg.get("id"), int) else i))
    meta = {}
    if isinstance(content, dict) and isinstance(content.get("language"), str):
        meta["language"] = content["language"]
    fmt = "whisperx" if any(c.speaker for c in cues) else "whisper"
    return cues_document(path, data, cues, fmt=fmt, reader=reader_name("whisper"), encoding=used,
                         doc_id=doc_id, metadata=meta)
