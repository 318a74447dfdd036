"""Documents -> a normalised date for each, and where it was found.

``add_dates(documents)`` adds ``date_norm`` (ISO ``YYYY-MM-DD``, or ``YYYY-MM``
when the day is unknown; "" when no date was found) and ``date_from``: where
it came from, the first of

- ``front matter``: the ``date`` / ``published`` / ``created`` field;
- ``header line``: a line such as ``日期：2025-03-08`` or ``发布时间：…`` (both are
  ``documents.date``, as the loader found it);
- ``title``: ``2017-04-12 Press conference at Seoul``;
- ``file name``: ``2024-03-05-ceo.txt``, ``presser_20240508.md``;
- ``lead``: the start of the body, ``2024年3月5日`` or ``3月5日`` with the year taken
  from the title, the metadata or the file name.

Dates are read in the forms ``2024-03-05``, ``2024/3/5``, ``2024.3.5``,
``20240305``, ``2024年3月5日``, ``2024年3月``, ``March 5, 2024``, ``5 March 2024``,
``2024-03-05T10:30:00-05:00``; an impossible date (``2024-02-30``) is not a date.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd

__all__ = ["SOURCES", "parse_date", "add_dates"]

SOURCES = ("front matter", "header line", "title", "file name", "lead")

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MON = "|".join(sorted(_MONTHS, key=len, reverse=True))

_YMD = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:[-/.]\s*|年\s*)(\d{1,2})\s*(?:[-/.]\s*|月\s*)(\d{1,2})(?!\d)\s*[日号]?")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_YM = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
_EN_MDY = re.compile(rf"\b({_MON})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.I)
_EN_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MON})\.?,?\s+((?:19|20)\d\d)\b", re.I)
_MD = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_LEAD_CHARS = 300  # how far into the body a lead's date is looked for


def _iso(y: str | int, m: str | int, d: str | int | None = None) -> str | None:
    try:
        if d is None:
            dt.date(int(y), int(m), 1)
            return f"{int(y):04d}-{int(m):02d}"
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def parse_date(text: object, *, compact: bool = True) -> str | None:
    """The first date in ``text`` as ISO ``YYYY-MM-DD`` (``YYYY-MM`` for a month alone), else None.

    ``compact`` also reads ``20240305`` (digits alone, as in file names).
    """
    if not isinstance(text, str) or not text.strip():
        return None
    found = []
    for m in _YMD.finditer(text):
        found.append((m.start(), _iso(m[1], m[2], m[3])))
    for m in _EN_MDY.finditer(text):
        found.append((m.start(), _iso(m[3], _MONTHS[m[1].lower()], m[2])))
    for m in _EN_DMY.finditer(text):
        found.append((m.start(), _iso(m[3], _MONTHS[m[2].lower()], m[1])))
    if compact:
        found += [(m.start(), _iso(m[1], m[2], m[3])) for m in _COMPACT.finditer(text)]
    if not any(d for _, d in found):
        found += [(m.start(), _iso(m[1], m[2])) for m in _YM.finditer(text)]
    found = sorted((pos, d) for pos, d in found if d)
    return found[0][1] if found else None


def _lead_date(lead: str, years: list[str]) -> str | None:
    full = parse_date(lead, compact=False)
    if full:
        return full
    m = _MD.search(lead)
    if m and years:
        return _iso(years[0], m[1], m[2])
    return None


def _in_front_matter(date: object, front: str) -> bool:
    return isinstance(date, str) and bool(date.strip()) and date.strip() in front


def add_dates(documents: pd.DataFrame) -> pd.DataFrame:
    """``documents`` with ``date_norm`` (ISO, "" when none was found) and ``date_from`` (one of ``SOURCES``, or "").

    In: the documents table (``doc_id``, ``date``, ``title``, ``body_start``,
    ``text``; ``path`` and ``metadata`` used when present).
    """
    norms, froms = [], []
    for row in documents.to_dict("records"):
        title = row.get("title") if isinstance(row.get("title"), str) else ""
        name = str(row.get("path") or row.get("doc_id") or "").replace("\\", "/").rsplit("/", 1)[-1]
        text, body = row.get("text") or "", int(row.get("body_start") or 0)
        meta = row.get("metadata")
        meta_text = " ".join(json.loads(meta).values()) if isinstance(meta, str) and meta.startswith("{") else ""
        candidates = [
            ("front matter" if _in_front_matter(row.get("date"), text[:body]) else "header line",
             lambda: parse_date(row.get("date"))),
            ("title", lambda: parse_date(title, compact=False)),
            ("file name", lambda: parse_date(name)),
            ("lead", lambda: _lead_date(text[body:body + _LEAD_CHARS],
                                        _YEAR.findall(" ".join([title, meta_text, name])))),
        ]
        got = next(((where, d) for where, find in candidates if (d := find())), ("", ""))
        froms.append(got[0])
        norms.append(got[1])
    return documents.assign(date_norm=pd.array(norms, dtype="string"), date_from=pd.array(froms, dtype="string"))
