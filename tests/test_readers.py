"""Readers of the other input formats, end to end through ``analysis.corpus.build``.

Every fixture is written in ``tmp_path`` by the library that writes its format
(python-docx, srt, openpyxl through pandas) or as the literal text of the format.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from analysis import config, readers
from analysis.corpus import build
from analysis.load import TranscriptError, read_transcript

srt = pytest.importorskip("srt")

# One interview, the same in every format.
INTERVIEW = [
    ("主持人", "今年的销量怎么样？"),
    ("张三", "今年我们卖了一百万台，"),
    ("张三", "比去年多了一倍。"),
    ("主持人", "明年呢？"),
    ("张三", "明年目标两百万台。"),
]
EXPECTED = [
    ("question", "主持人", "今年的销量怎么样？"),
    ("answer", "张三", "今年我们卖了一百万台，比去年多了一倍。"),
    ("question", "主持人", "明年呢？"),
    ("answer", "张三", "明年目标两百万台。"),
]


def built(folder, name=None):
    """``build`` of a folder: (turns of the one file as (role, speaker, text), tables)."""
    tables = build(folder, resources=None)
    assert tables["errors"].empty, list(tables["errors"]["error"])
    turns, docs = tables["turns"], tables["documents"]
    if name is not None:
        turns = turns[turns["doc_id"] == name]
    text = dict(zip(docs["doc_id"], docs["text"]))
    for row in turns.itertuples():
        # every offset points into documents.text
        assert text[row.doc_id][row.text_start:row.text_end] == row.text
        assert text[row.doc_id][row.start:row.end].endswith(row.text)
    return [(r.role, r.speaker if isinstance(r.speaker, str) else None, r.text) for r in turns.itertuples()], tables


def timeline(tables, doc_id):
    meta = json.loads(tables["documents"].set_index("doc_id").loc[doc_id, "metadata"])
    return meta, json.loads(meta["timeline"]) if "timeline" in meta else None


def write_srt(path, cues):
    subs = [srt.Subtitle(i, dt.timedelta(seconds=a), dt.timedelta(seconds=b), text)
            for i, (a, b, text) in enumerate(cues, start=1)]
    path.write_text(srt.compose(subs), encoding="utf-8")
    return path


def test_every_reader_ending_is_discovered():
    assert set(readers.SUFFIXES) <= set(config.TRANSCRIPT_SUFFIXES)


# --- subtitles -----------------------------------------------------------------------


def test_srt_cues_of_one_speaker_merge_into_one_turn(tmp_path):
    cues = [(0, 2, "主持人：今年的销量怎么样？"), (2.5, 4, "张三：今年我们卖了一百万台，"),
            (4, 6, "<i>比去年多了一倍。</i>"), (7, 8, "主持人：明年呢？"), (8.5, 10, "张三：明年目标两百万台。")]
    write_srt(tmp_path / "sales.srt", cues)
    turns, tables = built(tmp_path)
    assert turns == EXPECTED
    meta, line = timeline(tables, "sales")
    assert (meta["format"], meta["n_cues"], meta["duration"]) == ("srt", "5", "10")
    assert meta["reader"].startswith("analysis.readers.subtitles (srt ")
    assert [(t["t_start"], t["t_end"], t["cues"]) for t in line] == [
        (0, 2, [1, 1]), (2.5, 6, [2, 3]), (7, 8, [4, 4]), (8.5, 10, [5, 5])]
    text = tables["documents"]["text"].iloc[0]
    assert [text[t["start"]:t["end"]] for t in line][1] == "张三：今年我们卖了一百万台，比去年多了一倍。"
    assert "-->" not in text and "\n1\n" not in text


def test_srt_without_speakers_becomes_paragraphs_at_pauses(tmp_path):
    cues = [(0, 2, "Welcome back to the show."), (2.1, 4, "Today we talk about"), (4, 6, "batteries."),
            (9, 11, "After the break,"), (11, 12, "the weather.")]
    write_srt(tmp_path / "show.srt", cues)
    turns, tables = built(tmp_path)
    paragraphs = ["Welcome back to the show. Today we talk about batteries.", "After the break, the weather."]
    assert tables["documents"]["text"].iloc[0] == "\n\n".join(paragraphs) + "\n"
    assert turns == [("narration", None, "\n\n".join(paragraphs))]  # the parser: narration is one turn
    meta, line = timeline(tables, "show")
    assert [t["cues"] for t in line] == [[1, 3], [4, 5]]


def test_srt_name_before_a_colon_once_is_text(tmp_path):
    cues = [(0, 2, "例如：电池和芯片。"), (2, 3, "都很重要。")]
    write_srt(tmp_path / "once.srt", cues)
    turns, _ = built(tmp_path)
    assert turns == [("narration", None, "例如：电池和芯片。都很重要。")]


VTT = """WEBVTT

1
00:00:01.000 --> 00:00:03.000
<v Interviewer>How did the year go?

2
00:00:03.500 --> 00:00:05.000
<v Jane Doe>We sold a million,

3
00:00:05.000 --> 00:00:07.000
<v Jane Doe>twice last year.

4
00:00:08.000 --> 00:00:09.000
Interviewer: And next year?

5
00:00:09.500 --> 00:00:11.250
Jane Doe: Two million.

6
00:00:11.250 --> 00:00:12.000
At least.
"""


def test_vtt_voice_tags_and_names_before_a_colon(tmp_path):
    (tmp_path / "zoom.vtt").write_text(VTT, encoding="utf-8")
    turns, tables = built(tmp_path)
    assert turns == [("question", "Interviewer", "How did the year go?"),
                     ("answer", "Jane Doe", "We sold a million, twice last year."),
                     ("question", "Interviewer", "And next year?"),
                     ("answer", "Jane Doe", "Two million. At least.")]
    meta, line = timeline(tables, "zoom")
    assert (meta["format"], meta["n_cues"], meta["duration"]) == ("vtt", "6", "12")
    assert [(t["t_start"], t["t_end"]) for t in line] == [(1, 3), (3.5, 7), (8, 9), (9.5, 12)]
    assert tables["documents"]["n_exchanges"].iloc[0] == 2


def test_many_cues_are_a_few_turns(tmp_path):
    cues, t = [], 0.0
    for exchange in range(10):
        cues.append((t, t + 1, f"记者：第{exchange}个问题是什么？"))
        t += 1.5
        for k in range(29):
            cues.append((t, t + 1, f"回答第{k}句。" if k else f"李四：回答第{k}句。"))
            t += 1.2
    write_srt(tmp_path / "long.srt", cues)
    turns, tables = built(tmp_path)
    assert len(cues) == 300 and len(turns) == 20
    assert [r for r, _, _ in turns] == ["question", "answer"] * 10
    assert turns[1][2] == "".join(f"回答第{k}句。" for k in range(29))
    assert tables["documents"]["n_exchanges"].iloc[0] == 10


# --- speech-to-text exports ----------------------------------------------------------

FEISHU = """会议纪要

说话人1 00:00:12
今年的销量怎么样？

说话人2 00:00:20
今年我们卖了一百万台，
比去年多了一倍。

说话人1 00:01:02
明年呢？

说话人2 00:01:10
明年目标两百万台。
"""
OTTER = """Speaker 1  0:03
How did the year go?

Speaker 2  0:09
We sold a million, twice last year.

Speaker 1  1:15
And next year?

Speaker 2  1:20
Two million.
"""


def test_speech_to_text_exports_are_recognised_by_content(tmp_path):
    (tmp_path / "feishu.txt").write_text(FEISHU, encoding="utf-8")
    (tmp_path / "otter.md").write_text(OTTER, encoding="utf-8")
    turns, tables = built(tmp_path)
    assert turns == [
        ("narration", None, "会议纪要"),
        ("question", "说话人1", "今年的销量怎么样？"),
        ("answer", "说话人2", "今年我们卖了一百万台，比去年多了一倍。"),
        ("question", "说话人1", "明年呢？"),
        ("answer", "说话人2", "明年目标两百万台。"),
        ("question", "Speaker 1", "How did the year go?"),
        ("answer", "Speaker 2", "We sold a million, twice last year."),
        ("question", "Speaker 1", "And next year?"),
        ("answer", "Speaker 2", "Two million."),
    ]
    meta, line = timeline(tables, "feishu")
    assert (meta["format"], meta["n_cues"], meta["duration"]) == ("speech-to-text", "4", "70")
    assert [(t["t_start"], t["t_end"]) for t in line] == [(None, None), (12, 20), (20, 62), (62, 70), (70, None)]
    meta, line = timeline(tables, "otter")
    assert [t["t_start"] for t in line] == [3, 9, 75, 80]


def test_plain_transcripts_are_not_taken_for_exports(tmp_path):
    text = "记者：10:30 开会吗？\n张三：是的。\n\n第一部分 10:30\n正文。\n"
    (tmp_path / "plain.txt").write_text(text, encoding="utf-8")
    doc = read_transcript(tmp_path / "plain.txt")
    assert doc.text == text and "format" not in doc.metadata


# --- Whisper / WhisperX ----------------------------------------------------------------


def test_whisperx_speakers_merge_and_get_roles_by_inference(tmp_path):
    segments = [
        {"start": 0.0, "end": 2.0, "text": " How did the year go?", "speaker": "SPEAKER_00"},
        {"start": 2.4, "end": 4.0, "text": " We sold a million,", "speaker": "SPEAKER_01"},
        {"start": 4.0, "end": 5.5, "text": " twice last year.", "speaker": "SPEAKER_01"},
        {"start": 6.0, "end": 7.0, "text": " And next year?", "speaker": "SPEAKER_00"},
        {"start": 7.5, "end": 9.0, "text": " Two million.", "speaker": "SPEAKER_01"},
    ]
    (tmp_path / "wx.json").write_text(json.dumps({"segments": segments, "language": "en"}), encoding="utf-8")
    turns, tables = built(tmp_path)
    assert turns == [("question", "SPEAKER 00", "How did the year go?"),
                     ("answer", "SPEAKER 01", "We sold a million, twice last year."),
                     ("question", "SPEAKER 00", "And next year?"),
                     ("answer", "SPEAKER 01", "Two million.")]
    meta, line = timeline(tables, "wx")
    assert (meta["format"], meta["language"], meta["n_cues"], meta["duration"]) == ("whisperx", "en", "5", "9")
    assert [(t["speaker"], t["t_start"], t["t_end"], t["cues"]) for t in line][1] == ("SPEAKER_01", 2.4, 5.5, [1, 2])


def test_whisper_without_speakers_chinese_segments_join_without_spaces(tmp_path):
    segments = [{"id": 0, "start": 0.0, "end": 2.0, "text": "大家好，"}, {"id": 1, "start": 2.0, "end": 3.0, "text": "欢迎收听。"},
                {"id": 2, "start": 6.0, "end": 8.0, "text": "今天聊电池。"}]
    (tmp_path / "w.json").write_text(json.dumps({"text": "", "segments": segments}, ensure_ascii=False), encoding="utf-8")
    turns, tables = built(tmp_path)
    assert tables["documents"]["text"].iloc[0] == "大家好，欢迎收听。\n\n今天聊电池。\n"
    meta, line = timeline(tables, "w")
    assert meta["format"] == "whisper" and [t["cues"] for t in line] == [[0, 1], [2, 2]]


# --- spreadsheets ----------------------------------------------------------------------


def test_csv_and_xlsx_utterance_sheets(tmp_path):
    pd = pytest.importorskip("pandas")
    rows = pd.DataFrame({"说话人": [s for s, _ in INTERVIEW], "开始时间": ["00:00:00", "00:00:03", "00:00:05.5", "00:00:09", "00:00:11"],
                         "内容": [t for _, t in INTERVIEW]})
    rows.to_csv(tmp_path / "zh.csv", index=False, encoding="gb18030")
    english = pd.DataFrame({"Start": [0.0, 2.5, 6.0], "End": [2.0, 5.0, 8.0], "Speaker": ["Host", "Jane Doe", "Jane Doe"],
                            "Text": ["How did the year go?", "We sold a million,", "twice last year."], "Notes": ["", "x", ""]})
    english.to_excel(tmp_path / "en.xlsx", index=False)
    turns, tables = built(tmp_path)
    assert turns == [("question", "Host", "How did the year go?"),
                     ("answer", "Jane Doe", "We sold a million, twice last year."), *EXPECTED]
    meta, line = timeline(tables, "zh")
    assert (meta["format"], meta["n_cues"], meta["columns"]) == ("csv", "5", "speaker=说话人, start=开始时间, text=内容")
    assert [t["t_start"] for t in line] == [0, 3, 9, 11]
    assert tables["documents"].set_index("doc_id").loc["zh", "encoding"] == "gb18030"
    meta, line = timeline(tables, "en")
    assert (meta["format"], meta["duration"]) == ("xlsx", "8")
    assert [(t["t_start"], t["t_end"], t["cues"]) for t in line] == [(0, 2, [1, 1]), (2.5, 8, [2, 3])]
