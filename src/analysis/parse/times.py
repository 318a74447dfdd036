"""When each turn was said, where the source says it: ``t_start`` / ``t_end`` in seconds.

- Timed formats (subtitles, speech-to-text segments, utterance sheets) leave a
  ``timeline`` in the document's metadata (see ``analysis.readers.base``): a turn takes the
  earliest start and the latest end of the timeline entries it covers.
- A transcript with time marks (``[00:12:31] 主持人：``, ``主持人(10:05)：``, ``**Host:** \\[04:10\\]``)
  gives each turn the time written at its start; its end is not written, so it stays empty.
Everything else has no times (both empty).
"""

from __future__ import annotations

import json
import re

from analysis.parse.turns import Turn

_MARK = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?(?![\d:])")
_HEAD = 24  # a time mark this close to the turn's start (or in its label) is the turn's time


def seconds(mark: str) -> float | None:
    """``00:12:31`` -> 751.0, ``12:31`` (minutes and seconds) -> 751.0, ``1:02:03.5`` -> 3723.5."""
    m = _MARK.search(mark)
    if not m:
        return None
    a, b, c, frac = m.groups()
    h, mi, s = (int(a), int(b), int(c)) if c is not None else (0, int(a), int(b))
    if mi >= 60 or s >= 60:
        return None
    return h * 3600 + mi * 60 + s + (float(f"0.{frac}") if frac else 0.0)


def assign(turns: list[Turn], text: str, metadata: dict[str, str]) -> None:
    """Set ``t_start`` / ``t_end`` on the turns (None where the source has no time)."""
    timeline = _timeline(metadata)
    if timeline:
        for t in turns:
            inside = [e for e in timeline if e["start"] < t.end and e["end"] > t.start]
            starts = [e["t_start"] for e in inside if e.get("t_start") is not None]
            ends = [e["t_end"] for e in inside if e.get("t_end") is not None]
            t.t_start = min(starts) if starts else None
            t.t_end = max(ends) if ends else None
        return
    for t in turns:
        if t.role == "narration":
            continue
        head = text[t.start:min(t.end, t.text_start + _HEAD)]
        t.t_start = seconds(head)


def _timeline(metadata: dict[str, str]) -> list[dict]:
    raw = metadata.get("timeline")
    if not raw:
        return []
    try:
        entries = json.loads(raw)
    except ValueError:
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)]
