"""Word files (.docx), with python-docx.

Paragraphs and tables are read in document order, each paragraph a paragraph of
the text (separated by a blank line). Bold runs are kept as Markdown bold
(``**张三：**``), so the parser's bold-label and bold-question rules apply;
headings become ``#`` lines. A table of speaker/text rows (a header such as
``说话人 | 内容`` or ``Speaker | Text``, or two columns) becomes one ``Speaker：text``
line per turn, consecutive rows of one speaker merged; other tables become one
line per row, cells separated by `` | ``. A Word file holding a speech-to-text
export (Feishu, iFlytek: a name and a time on one line, the words on the next)
is read as one. Dropped: images, text boxes, footnotes, comments, headers and
footers, tracked deletions.
"""

from __future__ import annotations

import io
import re

from analysis.load import Document
from analysis.readers import speech_text
from analysis.readers.base import Cue, error, merge_cues, reader_name, render, text_document
from analysis.readers.sheets import COLUMNS

__all__ = ["read"]

_HEADING = re.compile(r"(?:heading|标题)\s*(\d)", re.IGNORECASE)
_KEY = re.compile(r"[\s_]+")


def _bold(run, paragraph) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    style = run.style if run.style is not None and run.style.font.bold is not None else paragraph.style
    return bool(style is not None and style.font.bold)


def _wrap(text: str) -> str:
    """``' 张三： '`` -> ``' **张三：** '``: the markers hug the text, the spaces stay outside."""
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}**{core}**{trail}"


def _runs(paragraph):
    """The paragraph's runs, those inside hyperlinks included (``paragraph.runs`` skips them)."""
    for item in paragraph.iter_inner_content():
        yield from getattr(item, "runs", None) or [item]


def _paragraph(paragraph) -> str:
    pieces: list[tuple[bool, str]] = []
    for run in _runs(paragraph):
        if not run.text:
            continue
        bold = _bold(run, paragraph)
        if pieces and pieces[-1][0] == bold:
            pieces[-1] = (bold, pieces[-1][1] + run.text)
        else:
            pieces.append((bold, run.text))
    if len(pieces) == 1 and pieces[0][0] and _level(paragraph):
        pieces = [(False, pieces[0][1])]  # a bold heading is a heading
    text = "".join(_wrap(t) if bold else t for bold, t in pieces).strip()
    level = _level(paragraph)
    return f"{'#' * level} {text}" if level and text else text


def _level(paragraph) -> int:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name.lower() == "title":
        return 1
    m = _HEADING.match(name)
    return min(int(m.group(1)), 6) if m else 0


def _table(table) -> list[str]:
    rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in table.rows]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    header = [_KEY.sub(" ", c).strip().lower() for c in rows[0]]
    speaker = next((i for i, c in enumerate(header) if c in COLUMNS["speaker"]), None)
    text = next((i for i, c in enumerate(header) if c in COLUMNS["text"]), None)
    if speaker is not None and text is not None:
        body = rows[1:]
    elif len(rows[0]) == 2 and all(len(r[0]) <= 24 for r in rows):
        speaker, text, body = 0, 1, rows
    else:
        return [" | ".join(c for c in row if c) for row in rows]
    cues = [Cue(r[text], r[speaker] or None, number=n) for n, r in enumerate(body, start=1)]
    lines, _ = render(merge_cues(cues))
    return lines.strip().split("\n\n") if lines.strip() else []


def _blocks(document) -> list[str]:
    from docx.table import Table

    out = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            out.extend(_table(item))
        else:
            text = _paragraph(item)
            if text:
                out.append(text)
    return out


def read(path, data: bytes, *, encoding: str | None = None, doc_id: str | None = None) -> Document:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document)
    except Exception as exc:  # python-docx raises zip, XML, key and package errors for damaged files
        problem = "not a readable Word .docx file"
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            problem += " (an old .doc file renamed: save it as .docx from Word)"
        raise error(path, f"{problem}: {type(exc).__name__}: {exc}") from None
    if not blocks:
        raise error(path, "Word file without any text")
    props = document.core_properties
    meta = {"n_paragraphs": str(len(blocks))}
    if (props.title or "").strip():
        meta["title"] = props.title.strip()
    if (props.author or "").strip():
        meta["docx.author"] = props.author.strip()
    plain = "\n".join(b.replace("**", "") for b in blocks)
    if speech_text.looks_like(plain):
        return speech_text.to_document(path, data, plain, encoding="utf-8", doc_id=doc_id, fmt="docx",
                                       metadata={**meta, "layout": "speech-to-text"})
    return text_document(path, data, "\n\n".join(blocks) + "\n", fmt="docx", reader=reader_name("docx", "python-docx"),
                         encoding="utf-8", doc_id=doc_id, metadata=meta, header=True)
