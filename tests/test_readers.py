"""Readers of the other input formats, end to end through ``analysis.corpus.build``.

Every fixture is written in ``tmp_path`` by the library that writes its format
(python-docx, srt, openpyxl through pandas) or as the literal text of the format.
"""

from __future__ import annotations

import datetime as dt
import json

import docx
import pandas as pd
import pytest
import srt

from analysis import config, readers
from analysis.corpus import build
from analysis.load import TranscriptError, read_transcript

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
    # the 2.5 s pause inside "Today we talk about ... batteries." is not a break; 3 s after a full stop is
    cues = [(0, 2, "Welcome back to the show."), (2.1, 4, "Today we talk about"), (6.5, 8, "batteries."),
            (11, 13, "After the break,"), (13, 14, "the weather.")]
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


# --- Word files ------------------------------------------------------------------------


def write_docx(path, interview, *, table=False, title=""):
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading("专访张三", 1)
    document.add_paragraph("来源：新闻网")
    if table:
        grid = document.add_table(rows=1, cols=2)
        grid.rows[0].cells[0].text, grid.rows[0].cells[1].text = "说话人", "内容"
        for speaker, text in interview:
            cells = grid.add_row().cells
            cells[0].text, cells[1].text = speaker, text
    else:
        for speaker, text in interview:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{speaker}：").bold = True
            paragraph.add_run(text)
    document.save(path)
    return path


def test_docx_bold_labels_headings_and_header_lines(tmp_path):
    # two paragraphs of 张三, each with its label, are one turn (as one heading per paragraph is);
    # the repeated label stays in the text as an unsaid span
    write_docx(tmp_path / "word.docx", INTERVIEW, title="专访")
    turns, tables = built(tmp_path)
    assert turns == [("narration", None, "# 专访张三"), ("narration", None, "来源：新闻网"),
                     ("question", "主持人", "今年的销量怎么样？"),
                     ("answer", "张三", "今年我们卖了一百万台，\n\n**张三：**比去年多了一倍。"),
                     *EXPECTED[2:]]
    text = tables["documents"]["text"].iloc[0]
    assert [text[s:e] for s, e in json.loads(tables["turns"]["unsaid"].iloc[3])] == ["**张三：**"]
    doc = tables["documents"].iloc[0]
    assert doc["text"].startswith("# 专访张三\n\n来源：新闻网\n\n**主持人：**今年的销量怎么样？\n\n**张三：**")
    meta = json.loads(doc["metadata"])
    assert (doc["title"], doc["source"], meta["format"], meta["n_paragraphs"]) == ("专访", "新闻网", "docx", "7")
    assert meta["reader"].startswith("analysis.readers.docx (python-docx ")


def test_docx_table_of_speaker_rows_merges_consecutive_rows(tmp_path):
    write_docx(tmp_path / "grid.docx", INTERVIEW, table=True)
    turns, tables = built(tmp_path)
    assert turns[2:] == EXPECTED
    assert tables["documents"]["text"].iloc[0].endswith("张三：今年我们卖了一百万台，比去年多了一倍。\n\n主持人：明年呢？\n\n张三：明年目标两百万台。\n")


def test_docx_holding_a_speech_to_text_export(tmp_path):
    document = docx.Document()
    for line in FEISHU.splitlines():
        if line:
            document.add_paragraph(line)
    document.save(tmp_path / "minutes.docx")
    turns, tables = built(tmp_path)
    assert turns[1:] == [(r, s, t) for r, s, t in [
        ("question", "说话人1", "今年的销量怎么样？"), ("answer", "说话人2", "今年我们卖了一百万台，比去年多了一倍。"),
        ("question", "说话人1", "明年呢？"), ("answer", "说话人2", "明年目标两百万台。")]]
    meta, line = timeline(tables, "minutes")
    assert (meta["format"], meta["layout"]) == ("docx", "speech-to-text") and line[1]["t_start"] == 12


def test_the_same_interview_in_md_docx_and_srt(tmp_path):
    for name in ("md", "docx", "srt"):
        (tmp_path / name).mkdir()
    (tmp_path / "md" / "i.md").write_text("".join(f"**{s}：**{t}\n\n" for s, t in INTERVIEW), encoding="utf-8")
    write_docx(tmp_path / "docx" / "i.docx", INTERVIEW)
    write_srt(tmp_path / "srt" / "i.srt", [(2 * k, 2 * k + 1, f"{s}：{t}") for k, (s, t) in enumerate(INTERVIEW)])
    got = {}
    for name in ("md", "docx", "srt"):
        turns, tables = built(tmp_path / name)
        speech = [(r, s) for r, s, _ in turns if r != "narration"]
        # what the answers say: each answer's text less its unsaid spans (a repeated label), no whitespace
        text = tables["documents"]["text"].iloc[0]
        said = []
        for row in tables["turns"].itertuples():
            if row.role == "answer":
                chars = list(text[row.text_start:row.text_end])
                for a, b in json.loads(row.unsaid or "[]"):
                    chars[a - row.text_start:b - row.text_start] = [" "] * (b - a)
                said.append("".join("".join(chars).split()))
        got[name] = (sorted(set(speech), key=speech.index), tables["documents"]["n_exchanges"].iloc[0], "".join(said))
    assert got["md"] == got["docx"] == got["srt"] == (
        [("question", "主持人"), ("answer", "张三")], 2, "今年我们卖了一百万台，比去年多了一倍。明年目标两百万台。")


# --- web pages -------------------------------------------------------------------------

ROWS = [("主持人", "第一个问题，今年的销量怎么样？能不能具体谈一谈你们的市场策略和未来的规划？"),
        ("张三", "今年我们卖了一百万台，比去年多了一倍，主要靠海外市场和新产品线的推动，我们非常有信心。"),
        ("主持人", "第二个问题，明年的目标是多少？外界对你们的供应链一直有不少疑问，你怎么看？"),
        ("张三", "明年目标两百万台。供应链方面我们已经和三家工厂签了长期协议，产能是有保障的。")]


def test_html_main_content_with_bold_labels(tmp_path):
    body = "".join(f"<p><strong>{s}：</strong>{t}</p>" for s, t in ROWS)
    page = (f'<html><head><meta charset="utf-8"><title>专访张三</title><meta name="author" content="Li Wei">'
            f'<meta property="article:published_time" content="2025-03-08"></head><body>'
            f'<nav><a href="/">首页</a> <a href="/tech">科技</a></nav><article><h1>专访张三：明年两百万台</h1>{body}'
            f'</article><footer>版权所有 © 新闻网</footer></body></html>')
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    turns, tables = built(tmp_path)
    assert turns == [("narration", None, "# 专访张三：明年两百万台"),
                     *[("question" if s == "主持人" else "answer", s, t) for s, t in ROWS]]
    doc = tables["documents"].iloc[0]
    assert "首页" not in doc["text"] and "版权所有" not in doc["text"]
    meta = json.loads(doc["metadata"])
    assert (meta["format"], meta["extraction"], doc["author"], doc["date"]) == ("html", "main content", "Li Wei", "2025-03-08")


def test_html_without_main_content_falls_back_to_the_page_text(tmp_path):
    (tmp_path / "short.htm").write_text("<html><body><div>Q: Why?</div><div>A: Because.</div></body></html>",
                                        encoding="utf-8")
    doc = read_transcript(tmp_path / "short.htm")
    assert "Q: Why?" in doc.text and "A: Because." in doc.text


# --- damaged files -------------------------------------------------------------------


def xlsx_without_text(path):
    pd.DataFrame({"Speaker": ["Host"], "Start": [0]}).to_excel(path, index=False)


DAMAGED = [
    ("bad.docx", b"this is not a zip", "not a readable Word .docx file"),
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "an old .doc file renamed"),
    ("bad.srt", "这不是字幕\n只是文字\n".encode(), "not a valid .srt subtitle file"),
    ("empty.srt", b"\n\n", "contains only whitespace"),
    ("noheader.vtt", b"00:00:01.000 --> 00:00:02.000\nHello\n", "not a valid .vtt subtitle file"),
    ("broken.json", b'{"segments": [', "JSON that does not parse"),
    ("other.json", b'{"name": "package", "version": "1.0"}', "not a Whisper/WhisperX file"),
    ("notext.json", b'{"segments": [{"start": 0, "end": 1}]}', "segment 0 has no 'text'"),
    ("badtime.json", b'{"segments": [{"start": "soon", "text": "hi"}]}', "segment 0 'start' is 'soon', not a number"),
    ("notext.csv", "说话人,开始时间\n张三,0\n".encode(), "spreadsheet without a text column (columns: 说话人, 开始时间"),
    ("badtime.csv", b"speaker,start,text\nJane,later,Hi\n", "row 1: start 'later' is not a time"),
    ("bad.xlsx", b"PK\x03\x04 broken", "not a readable .xlsx workbook"),
    ("notext.xlsx", None, "spreadsheet without a text column (columns: Speaker, Start"),
    ("image.html", b"\x89PNG\r\n\x1a\n" + bytes(20), "looks like a binary file"),
    ("plain.html", b"no markup here", "not an HTML page"),
]


@pytest.mark.parametrize("name, content, problem", DAMAGED, ids=[d[0] for d in DAMAGED])
def test_damaged_files_are_refused_naming_the_file(tmp_path, name, content, problem):
    path = tmp_path / name
    if content is None:
        xlsx_without_text(path)
    else:
        path.write_bytes(content)
    with pytest.raises(TranscriptError) as info:
        read_transcript(path)
    assert info.value.problem.startswith(problem) or problem in info.value.problem, info.value.problem
    assert str(info.value).startswith(f"{path}: ")


def test_one_damaged_file_does_not_stop_the_build(tmp_path):
    for name, content, _ in DAMAGED:
        if content is not None:
            (tmp_path / name).write_bytes(content)
    write_srt(tmp_path / "good.srt", [(0, 1, "记者：好吗？"), (1, 2, "张三：好。"), (2, 3, "记者：真的？"), (3, 4, "张三：真的。")])
    tables = build(tmp_path, resources=None)
    refused = sorted(path.rsplit("/", 1)[-1] for path in tables["errors"]["path"])
    assert refused == sorted(n for n, c, _ in DAMAGED if c is not None)
    assert all(e.startswith(str(tmp_path)) for e in tables["errors"]["error"])
    assert list(tables["documents"]["doc_id"]) == ["good"]
    assert list(tables["turns"]["role"]) == ["question", "answer", "question", "answer"]


def test_rolling_captions_keep_each_line_once(tmp_path):
    (tmp_path / "auto.vtt").write_text(
        "WEBVTT\nKind: captions\nLanguage: en\n\n"
        "00:00:00.000 --> 00:00:02.000\nwelcome back to<00:00:01.000><c> the show</c>\n\n"
        "00:00:02.000 --> 00:00:02.010\nwelcome back to the show\n\n"
        "00:00:02.010 --> 00:00:04.000\nwelcome back to the show\ntoday batteries\n\n"
        "00:00:04.000 --> 00:00:06.000\ntoday batteries\nand chips\n", encoding="utf-8")
    doc = read_transcript(tmp_path / "auto.vtt")
    assert doc.text == "welcome back to the show today batteries and chips\n"
    assert json.loads(doc.metadata["timeline"])[0]["cues"] == [1, 4]


def test_unpunctuated_segments_break_at_long_pauses(tmp_path):
    segments = [{"start": 0.0, "end": 2.0, "text": "大家好"}, {"start": 4.5, "end": 6.0, "text": "欢迎收听"},
                {"start": 13.0, "end": 15.0, "text": "今天聊电池"}]
    (tmp_path / "asr.json").write_text(json.dumps({"segments": segments}, ensure_ascii=False), encoding="utf-8")
    assert read_transcript(tmp_path / "asr.json").text == "大家好欢迎收听\n\n今天聊电池\n"


def test_docx_text_inside_hyperlinks_is_kept(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    paragraph = document.add_paragraph("详见")
    paragraph._p.append(parse_xml(f'<w:hyperlink {nsdecls("w")}><w:r><w:t>原文链接</w:t></w:r></w:hyperlink>'))
    paragraph.add_run("。")
    document.save(tmp_path / "link.docx")
    assert read_transcript(tmp_path / "link.docx").text == "详见原文链接。\n"
