"""Turns carry the time the source gives them: t_start / t_end in seconds."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus import build
from analysis.parse import parse_text, turn_rows
from analysis.parse.times import seconds
from test_readers import write_srt


@pytest.mark.parametrize("mark, want", [("00:12:31", 751.0), ("12:31", 751.0), ("1:02:03.5", 3723.5),
                                        ("\\[04:10\\]", 250.0), ("no time", None), ("12:75", None)])
def test_seconds(mark, want):
    assert seconds(mark) == want


def test_time_marks_at_the_start_of_turns():
    text = ("**Host:** \\[00:10\\] Why did you start?\n\n**Guest:** \\[01:12\\] Because.\n\n"
            "**Host:** \\[01:30\\] And? It was 12:30 then.\n\n**Guest:** Then.")
    rows = turn_rows("d", text, parse_text(text)[0])
    assert [(r["role"], _t(r["t_start"]), _t(r["t_end"])) for r in rows] == [
        ("question", 10.0, None), ("answer", 72.0, None), ("question", 90.0, None), ("answer", None, None)]


def test_a_subtitle_file_gives_every_turn_its_start_and_end(tmp_path):
    cues = [(0, 2, "主持人：今年的销量怎么样？"), (2, 4, "张三：今年我们卖了一百万台，"), (4, 6.5, "比去年多了一倍。"),
            (7, 9, "主持人：明年呢？"), (9, 12, "张三：明年目标两百万台。")]
    write_srt(tmp_path / "talk.srt", cues)
    turns = build(tmp_path, resources=None)["turns"]
    got = [(r.role, r.speaker, r.t_start, r.t_end) for r in turns.itertuples()]
    assert got == [("question", "主持人", 0.0, 2.0), ("answer", "张三", 2.0, 6.5),
                   ("question", "主持人", 7.0, 9.0), ("answer", "张三", 9.0, 12.0)]
    assert str(turns["t_start"].dtype) == "Float64"


def test_no_times_in_a_plain_transcript():
    text = "Q：你好？\n\nA：好。"
    rows = turn_rows("d", text, parse_text(text)[0])
    assert all(pd.isna(r["t_start"]) and pd.isna(r["t_end"]) for r in rows)


def _t(value):
    return None if pd.isna(value) else value


def test_the_mentions_chart_runs_in_minutes_when_every_turn_has_its_time(tmp_path):
    from analysis.charts import plot_entity_dispersion

    cues = [(0, 60, "主持人：你怎么看英伟达？"), (60, 180, "张三：英伟达很强，英伟达的芯片很好。"),
            (180, 200, "主持人：华为呢？"), (200, 300, "张三：华为也不错。")]
    write_srt(tmp_path / "talk.srt", cues)
    tables = build(tmp_path, resources=None)
    ax = plot_entity_dispersion(tables["mentions"], tables["turns"])
    assert ax.get_xlim() == (0.0, 5.0)  # minutes: the answers end at 300 s
    xs = sorted(x for line in ax.get_lines() for x in line.get_xdata())
    assert all(0 <= x <= 5 for x in xs)
    assert 0 < xs[0] < 1 and 1 <= xs[1] < xs[2] <= 3  # the question's 英伟达 in its minute, the answer's two after
    assert 3 <= xs[-1] <= 5  # 华为 in the last answer
    assert "分钟" in ax.get_xlabel() or "Minutes" in ax.get_xlabel()


def test_documents_say_their_date_where_it_came_from_and_what_they_copy(raw_dir):
    docs = build(raw_dir, resources=None)["documents"].set_index("doc_id")
    excerpt, full = "2025-07-16-jensen-huang-press-meeting-excerpt", "2025-07-16-jensen-huang-press-meeting-full"
    assert (docs.loc[excerpt, "date_norm"], docs.loc[excerpt, "date_from"]) == ("2025-07-17", "front matter")
    assert (docs.loc[full, "date_norm"], docs.loc[full, "date_from"]) == ("2025-07-16", "file name")
    # the excerpt's three questions are all in the full copy: it is the copy
    assert (docs.loc[excerpt, "duplicate_of"], docs.loc[full, "duplicate_of"]) == (full, "")
