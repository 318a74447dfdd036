"""Metadata from the text of a transcript: YAML front matter and header lines.

``split_front_matter`` reads a leading ``---`` block (bounded YAML, every value a string
as written); ``header_metadata`` the ``KEY: value`` lines and a title line near the top of
the body (``来源：…``, ``Source: …``, ``# 标题``); ``merge_metadata`` puts the two together
with the canonical keys ``title``, ``source``, ``author``, ``date``.
"""

from __future__ import annotations

import re

import yaml

from analysis.text import BLANK_RE
from analysis.yaml_limits import YamlTooBig, load_yaml

__all__ = ["HEADER_KEYS", "header_metadata", "lines", "merge_metadata", "split_front_matter"]

_BLANK = BLANK_RE  # whitespace and zero-width characters
_EOL = re.compile(r"\r\n|\n|\r")

# Front matter: '---' alone on the first line, closed by '---' or '...' alone.
_FENCE_OPEN = re.compile(r"---[ \t]*(?:\r\n|\n|\r)")
_FENCE_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_FRONT_MATTER_KEYS = {
    "title": ("title",),
    "source": ("source",),
    "author": ("author",),
    "date": ("date", "published", "created"),
}

# Header lines 'KEY: value' / 'KEY：value' near the top of the body. Only keys
# that cannot be a speaker label: not 记者/主持人/文 (a surname), not 时间.
# Key (lower case) -> canonical key it fills, or None to keep it under its own name.
HEADER_KEYS = {
    "标题": "title", "title": "title",
    "来源": "source", "出处": "source", "source": "source",
    "作者": "author", "撰文": "author", "author": "author", "by": "author",
    "日期": "date", "发布时间": "date", "发布日期": "date", "date": "date",
    "原标题": None, "编辑": None, "责任编辑": None, "责编": None,
    "整理": None, "编译": None, "出品": None,
    # the same in traditional characters (Taiwan, Hong Kong)
    "標題": "title", "來源": "source", "出處": "source",
    "發佈時間": "date", "發布時間": "date", "發佈日期": "date", "發布日期": "date",
    "原標題": None, "編輯": None, "責任編輯": None, "責編": None, "編譯": None,
}
_HEADER_LINES = 15
_WS = r"[ \t\u00a0\u3000]"
_HEADER_LINE = re.compile(
    rf"{_WS}{{0,8}}({'|'.join(sorted(HEADER_KEYS, key=len, reverse=True))})"
    rf"{_WS}{{0,4}}[:：]{_WS}{{0,4}}(\S.{{0,79}})",
    re.IGNORECASE,
)
_TITLE_LINE = re.compile(rf" {{0,3}}#[ \t]{{1,4}}(\S.{{0,119}})|{_WS}{{0,8}}《([^《》]{{1,80}})》{_WS}{{0,8}}")


def lines(text: str, pos: int):
    """Yield ``(start, end, next_start)`` of each line from ``pos``; CRLF, LF and CR end lines."""
    n = len(text)
    while pos < n:
        eol = _EOL.search(text, pos)
        if eol is None:
            yield pos, n, n
            return
        yield pos, eol.start(), eol.end()
        pos = eol.end()


def split_front_matter(text: str) -> tuple[dict[str, str], int, list[str]]:
    """Split a leading YAML front-matter block off ``text``.

    Returns ``(fields, body_start, warnings)``. Fields are read with PyYAML's
    BaseLoader, so every value is the string as written (``012``, ``10:30``,
    ``no``); lists become their items joined with ", "; nested mappings are
    flattened to dotted keys (``a.b``). A closed block is always skipped, even
    when its YAML is broken (then no fields and a warning with the line number);
    an opening fence that is never closed is a warning and ``body_start`` is 0.
    """
    opening = _FENCE_OPEN.match(text)
    if opening is None:
        return {}, 0, []
    for lineno, (start, end, next_start) in enumerate(lines(text, opening.end()), start=2):
        if _FENCE_CLOSE.fullmatch(text, start, end):
            block, body_start = text[opening.end():start], next_start
            break
    else:
        return {}, 0, [
            "front matter: the '---' on line 1 is never closed by a '---' or '...' line; "
            "the whole file is read as body"
        ]
    try:
        data = load_yaml(block)
    except YamlTooBig as exc:
        return {}, body_start, [f"front matter: {exc.problem}; its fields are ignored"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        return {}, body_start, [f"front matter: YAML error{where}: {reason}; its fields are ignored"]
    if data is None:
        return {}, body_start, []
    if not isinstance(data, dict):
        return {}, body_start, [
            f"front matter: lines 2-{lineno - 1} are not 'key: value' fields; they are ignored"
        ]
    return _flatten(data), body_start, []


def _flatten(mapping: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in mapping.items():
        key = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(_flatten(value, f"{key}."))
        else:
            out[key] = _as_text(value)
    return out


def _as_text(value) -> str:
    if isinstance(value, list):
        return ", ".join(_as_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_as_text(v)}" for k, v in value.items())
    return str(value)


def header_metadata(text: str, start: int) -> tuple[dict[str, str], str | None]:
    """``KEY: value`` lines and a title line among the first non-blank lines from ``start``."""
    fields: dict[str, str] = {}
    title = None
    seen = 0
    for line_start, line_end, _ in lines(text, start):
        if seen == _HEADER_LINES:
            break
        if _BLANK.fullmatch(text, line_start, line_end):
            continue
        seen += 1
        match = _HEADER_LINE.fullmatch(text, line_start, line_end)
        if match:
            fields.setdefault(match.group(1), match.group(2).strip())
        elif seen == 1:
            heading = _TITLE_LINE.fullmatch(text, line_start, line_end)
            if heading:
                title = (heading.group(1) or heading.group(2)).strip()
    return fields, title


def merge_metadata(fields: dict[str, str], header: dict[str, str], title: str | None) -> dict[str, str]:
    """Front matter, then header lines under their own keys, then canonical keys.

    A canonical key keeps the first non-empty value: front matter first
    (``date`` before ``published`` before ``created``), then header lines.
    """
    metadata = dict(fields)
    lowered: dict[str, str] = {}
    for key, value in fields.items():
        lowered.setdefault(key.lower(), value)
    for canonical, keys in _FRONT_MATTER_KEYS.items():
        value = next((lowered[k] for k in keys if lowered.get(k)), "")
        if value:
            metadata[canonical] = value
    for key, value in header.items():
        metadata.setdefault(key, value)
    for key, value in header.items():
        canonical = HEADER_KEYS[key.lower()]
        if canonical and not metadata.get(canonical):
            metadata[canonical] = value
    if title and not metadata.get("title"):
        metadata["title"] = title
    return metadata
