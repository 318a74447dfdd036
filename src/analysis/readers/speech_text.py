"""Speech-to-text plain-text exports, recognised by their content whatever the file ending.

Feishu Minutes (飞书妙记), iFlytek (讯飞听见), Tongyi Tingwu (通义听悟) and Otter.ai
export a transcript as a name and a time on one line, the words on the next::

    说话人1 00:00:12
    大家好，欢迎收听。

    Speaker 1  0:03
    Thanks for having me.

Lines before the first such heading (a title, a date) are paragraphs of their
own. A turn's ``t_start`` is its heading's time and its ``t_end`` the next
heading's (the last turn has none).
"""

from __future__ import annotations

import re
from collections import Counter

from analysis.load import Document, decode
from analysis.readers.base import Cue, cues_document, reader_name

__all__ = ["looks_like", "read", "to_cues", "to_document"]

_TIME = r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)"
_HEADING = re.compile(
    rf"[ \t\u3000]*(?P<name>[^\s:：\d][^:：\n]{{0,30}}?)[ \t\u3000]+[(\[（【]?{_TIME}[)\]）】]?[ \t\u3000]*"
)

# cheap first test: some line ends in a time
_ENDS_IN_TIME = re.compile(r"\d:\d{2}(?:[.,]\d{1,3})?[)\]）】]?[ \t\u3000]*$", re.MULTILINE)


def _seconds(stamp: str) -> float:
    parts = [float(p) for p in stamp.replace(",", ".").split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def _headings(lines: list[str]) -> list[tuple[int, str, float]]:
    found = []
    for i, line in enumerate(lines):
        m = _HEADING.fullmatch(line)
        if m:
            found.append((i, m["name"].strip(), _seconds(m["time"])))
    return found


def looks_like(text: str) -> bool:
    """Is this a speech-to-text export? At least two name-and-time headings, making a fifth
    or more of the non-blank lines, a name that comes back, and times that mostly go forward."""
    if not _ENDS_IN_TIME.search(text):
        return False
    lines = text.splitlines()
    heads = _headings(lines)
    if len(heads) < 2:
        return False
    n_lines = sum(1 for line in lines if line.strip())
    if len(heads) * 5 < n_lines or max(Counter(name for _, name, _ in heads).values()) < 2:
        return False
    forward = sum(1 for a, b in zip(heads, heads[1:]) if b[2] >= a[2])
    return forward >= 0.8 * (len(heads) - 1)


def to_cues(text: str) -> list[Cue]:
    """One cue per heading and the lines after it; lines before the first heading alone."""
    lines = text.splitlines()
    heads = _headings(lines)
    cues = [Cue(line.strip(), number=None, alone=True) for line in lines[:heads[0][0]] if line.strip()]
    for k, (i, name, start) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        end = heads[k + 1][2] if k + 1 < len(heads) else None
        words = "\n".join(line for line in lines[i + 1:stop] if line.strip())
        cues.append(Cue(words, speaker=name, start=start, end=end, number=k + 1))
    return cues


def to_document(path, data: bytes, text: str, *, encoding: str, doc_id: str | None,
                fmt: str = "speech-to-text", metadata: dict[str, str] | None = None) -> Document:
    """The Document of an export already decoded (a .txt file, or a Word file's paragraphs)."""
    return cues_document(path, data, to_cues(text), fmt=fmt, reader=reader_name("speech_text"),
                         encoding=encoding, doc_id=doc_id, metadata=metadata, header=True)


def read(path, data: bytes, *, encoding: str | None = None, doc_id: str | None = None) -> Document:
    text, used = decode(data, name=str(path), encoding=encoding)
    return to_document(path, data, text, encoding=used, doc_id=doc_id)
