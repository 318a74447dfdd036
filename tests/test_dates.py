"""analysis.dates: a normalised date per document, and where it came from."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus import build
from analysis.dates import add_dates, parse_date


@pytest.mark.parametrize("text, expected", [
    ("2024-03-05", "2024-03-05"),
    ("2024/3/5 10:30", "2024-03-05"),
    ("2024.03.05", "2024-03-05"),
    ("发布时间：2024年3月5日 10:00", "2024-03-05"),
    ("2024 年 3 月 5 号", "2024-03-05"),
    ("2021-02-09 14:45:00-05:00", "2021-02-09"),
    ("2024-03-05T10:30:00Z", "2024-03-05"),
    ("March 5, 2024", "2024-03-05"),
    ("Sept. 12th 2019", "2019-09-12"),
    ("5 March 2024", "2024-03-05"),
    ("presser_20240508", "2024-05-08"),
    ("2024年3月的发布会", "2024-03"),
    ("2024-02-30", None),          # no such day
    ("第 20240 号", None),
    ("12345678", None),
    ("", None),
    (None, None),
])
def test_parse_date(text, expected) -> None:
    assert parse_date(text) == expected


def test_compact_digits_only_where_asked() -> None:
    assert parse_date("编号 20240305", compact=False) is None


def _docs(rows: list[dict]) -> pd.DataFrame:
    base = {"doc_id": "", "path": "", "date": pd.NA, "title": pd.NA, "metadata": "{}", "body_start": 0, "text": ""}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_add_dates_sources_in_order() -> None:
    docs = _docs([
        {"doc_id": "a", "date": "2024-01-02", "body_start": 20, "text": "---\ndate: 2024-01-02\n---\n正文"},
        {"doc_id": "b", "date": "2024年2月3日", "text": "日期：2024年2月3日\n正文"},
        {"doc_id": "c", "title": "2017-04-12 Press conference at Seoul", "path": "x/2018-01-01-seoul.md"},
        {"doc_id": "d", "path": "raw/zht_tw_moda_presser_20240508.md"},
        {"doc_id": "e", "title": "2023年发布会实录", "text": "北京时间7月16日，他出席了媒体见面会。"},
        {"doc_id": "f", "text": "2022年11月30日上午，发布会召开。"},
        {"doc_id": "g", "text": "7月16日，没有年份。"},
        {"doc_id": "h", "text": "没有日期。"},
    ])
    out = add_dates(docs)
    assert out["date_norm"].tolist() == ["2024-01-02", "2024-02-03", "2017-04-12", "2024-05-08", "2023-07-16",
                                         "2022-11-30", "", ""]
    assert out["date_from"].tolist() == ["front matter", "header line", "title", "file name", "lead", "lead", "", ""]


def test_bundled_and_test_corpus(raw_dir) -> None:
    got = add_dates(build(raw_dir)["documents"]).set_index("doc_id")[["date_norm", "date_from"]]
    assert got.to_dict("index") == {
        "2025-07-16-jensen-huang-press-meeting-excerpt": {"date_norm": "2025-07-17", "date_from": "front matter"},
        "2025-07-16-jensen-huang-press-meeting-full": {"date_norm": "2025-07-16", "date_from": "file name"},
    }
