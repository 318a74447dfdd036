"""Utterance spreadsheets (.csv, .tsv, .xlsx): one row per utterance.

Columns are found by their header, in Chinese or English, case and spaces
ignored: the text (``text``, ``content``, ``内容``, ``文本``, ``发言内容``…,
required), the speaker (``speaker``, ``name``, ``说话人``, ``发言人``…) and the
times (``start``/``end``, ``开始时间``/``结束时间``…, as seconds or ``hh:mm:ss``).
Consecutive rows of one speaker are one turn. Other columns are not kept. CSV
bytes are decoded like a text transcript; .xlsx is read with openpyxl (the first
sheet).
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from analysis.load import Document, decode
from analysis.readers.base import Cue, cues_document, error, reader_name

__all__ = ["COLUMNS", "read"]

COLUMNS = {
    "text": ("text", "content", "transcript", "utterance", "words", "sentence", "内容", "文本", "发言内容",
             "文字", "转写", "转写内容", "转写文本", "识别结果", "原文", "句子", "內容", "發言內容", "文字內容"),
    "speaker": ("speaker", "name", "speaker name", "who", "role", "说话人", "发言人", "讲话人", "角色", "姓名",
                "说话者", "說話人", "發言人", "講話人"),
    "start": ("start", "start time", "begin", "from", "start (s)", "开始", "开始时间", "起始时间", "时间",
              "開始", "開始時間", "時間"),
    "end": ("end", "end time", "stop", "to", "end (s)", "结束", "结束时间", "終止時間", "結束", "結束時間"),
}
_KEY = re.compile(r"[\s_]+")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,3}))?")


def _columns(frame: pd.DataFrame, path) -> dict[str, str]:
    found = {}
    for column in frame.columns:
        key = _KEY.sub(" ", str(column)).strip().lower()
        for kind, names in COLUMNS.items():
            if key in names and kind not in found:
                found[kind] = column
    if "text" not in found:
        names = ", ".join(str(c) for c in frame.columns)
        raise error(path, f"spreadsheet without a text column (columns: {names}; "
                          f"expected one of: {', '.join(COLUMNS['text'][:8])}, ...)")
    return found


def _seconds(value, path, row: int, column: str) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT or str(value).strip() == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hasattr(value, "hour") and hasattr(value, "minute"):  # a time cell in Excel
        return value.hour * 3600 + value.minute * 60 + value.second + getattr(value, "microsecond", 0) / 1e6
    text = str(value).strip()
    m = _CLOCK.fullmatch(text)
    if m:
        a, b, c, ms = m.groups()
        h, mnt, s = (int(a), int(b), int(c)) if c is not None else (0, int(a), int(b))
        return h * 3600 + mnt * 60 + s + (int(ms.ljust(3, "0")) / 1000 if ms else 0)
    try:
        return float(text)
    except ValueError:
        raise error(path, f"row {row}: {column} {text!r} is not a time (seconds or hh:mm:ss)") from None


def _frame(path, data: bytes, encoding: str | None) -> tuple[pd.DataFrame, str, str]:
    name = str(path).lower()
    if name.endswith(".xlsx"):
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=object, engine="openpyxl")
        except Exception as exc:  # openpyxl raises zip, XML and key errors for a damaged file
            raise error(path, f"not a readable .xlsx workbook: {type(exc).__name__}: {exc}") from None
        return frame, "xlsx", reader_name("sheets", "openpyxl")
    text, used = decode(data, name=str(path), encoding=encoding)
    try:
        frame = pd.read_csv(io.StringIO(text), sep="\t" if name.endswith(".tsv") else None, engine="python",
                            dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise error(path, f"not a readable table: {exc}") from None
    return frame, used, reader_name("sheets", "pandas")


def read(path, data: bytes, *, encoding: str | None = None, doc_id: str | None = None) -> Document:
    frame, used, reader = _frame(path, data, encoding)
    cols = _columns(frame, path)
    cues = []
    for i, row in enumerate(frame.to_dict("records"), start=1):
        text = row[cols["text"]]
        if text is None or (isinstance(text, float) and pd.isna(text)):
            continue
        speaker = row.get(cols.get("speaker")) if "speaker" in cols else None
        speaker = None if speaker is None or (isinstance(speaker, float) and pd.isna(speaker)) else str(speaker)
        times = [_seconds(row[cols[k]], path, i, cols[k]) if k in cols else None for k in ("start", "end")]
        cues.append(Cue(str(text), speaker, times[0], times[1], i))
    fmt = "xlsx" if used == "xlsx" else ("tsv" if str(path).lower().endswith(".tsv") else "csv")
    return cues_document(path, data, cues, fmt=fmt, reader=reader, encoding="utf-8" if used == "xlsx" else used,
                         doc_id=doc_id, metadata={"columns": ", ".join(f"{k}={v}" for k, v in cols.items())})
