"""When inference fails the user says who is who: front matter keys or a sidecar file."""
from __future__ import annotations

from analysis.parse import parse_text, turn_rows
from analysis.parse.cast import cast_from_metadata, read_sidecar

STT = "说话人1：今天的节目开始了。\n\n说话人2：好的。\n\n说话人1：你为什么创业？\n\n说话人2：因为喜欢。\n\n提要：创业\n\n说话人1：谢谢。"


def roles(text, metadata=None):
    turns, warnings = parse_text(text, metadata=metadata)
    return [(r["role"], r["speaker"], r["speaker_label"]) for r in turn_rows("d", text, turns)
            if r["role"] != "narration"], warnings


def test_generic_labels_renamed_and_sides_named():
    meta = {"speakers.说话人1": "张三", "speakers.说话人2": "李四", "interviewers": "张三", "interviewees": "李四",
            "not_speakers": "提要"}
    got, _ = roles(STT, meta)
    assert got == [("remark", "张三", "说话人1："), ("remark", "李四", "说话人2："),  # before the first question
                   ("question", "张三", "说话人1："), ("answer", "李四", "说话人2："), ("remark", "张三", "说话人1：")]


def test_interviewees_named_when_both_sides_look_alike():
    text = "甲方：我们谈谈。\n\n乙方：好。\n\n甲方：可以。\n\n乙方：行。"
    got, _ = roles(text, {"interviewees": "甲方"})
    assert [r for r, s, _ in got if s == "甲方"] == ["answer", "answer"]


def test_moderators_hand_over():
    text = "王主持：请提问。\n\n记者：为什么？\n\n李四：因为。\n\n王主持：下一位。\n\n记者：然后？\n\n李四：没了。"
    got, _ = roles(text, {"moderators": "王主持"})
    assert [r for r, s, _ in got if s == "王主持"] == ["remark", "remark"]


def test_a_sidecar_file_reads_like_front_matter(tmp_path):
    side = tmp_path / "talk.yaml"
    side.write_text("speakers:\n  说话人1: 张三\n  说话人2: 李四\ninterviewers: [张三]\ninterviewees: [李四]\n"
                    "moderators: []\nnot_speakers: [提要, 图片来源]\n", encoding="utf-8")
    meta, warnings = read_sidecar(side)
    assert warnings == []
    assert meta == {"speakers.说话人1": "张三", "speakers.说话人2": "李四", "interviewers": "张三",
                    "interviewees": "李四", "moderators": "", "not_speakers": "提要, 图片来源"}
    cast = cast_from_metadata(meta)
    assert cast.rename == {"说话人1": "张三", "说话人2": "李四"} and cast.not_speakers == {"提要", "图片来源"}


def test_a_broken_sidecar_is_a_warning_naming_the_file_and_line(tmp_path):
    side = tmp_path / "talk.yaml"
    side.write_text("speakers:\n  说话人1: 张三\ninterviewers: [张三\n", encoding="utf-8")
    meta, warnings = read_sidecar(side)
    assert meta == {} and len(warnings) == 1
    assert "talk.yaml" in warnings[0] and "line" in warnings[0]


def test_unknown_keys_are_reported(tmp_path):
    side = tmp_path / "talk.yaml"
    side.write_text("interviewer: [张三]\n", encoding="utf-8")
    meta, warnings = read_sidecar(side)
    assert meta == {} and "unknown key 'interviewer'" in warnings[0]


def _speakers(tables):
    t = tables["turns"]
    return [(r.role, r.speaker) for r in t.itertuples() if r.role != "narration"]


def test_build_applies_the_sidecar_and_the_cache_notices_it(tmp_path):
    from analysis.corpus import build

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "talk.md").write_text(STT, encoding="utf-8")
    cache = tmp_path / "cache"
    before = _speakers(build(raw, cache_dir=cache, resources=None))
    assert ("question", "说话人1") in before
    (raw / "talk.yaml").write_text("speakers:\n  说话人1: 张三\n  说话人2: 李四\ninterviewers: [张三]\n"
                                   "not_speakers: [提要]\n", encoding="utf-8")
    tables = build(raw, cache_dir=cache, resources=None)
    assert _speakers(tables) == [("remark", "张三"), ("remark", "李四"), ("question", "张三"), ("answer", "李四"),
                                 ("remark", "张三")]
    assert list(tables["documents"]["doc_id"]) == ["talk"]  # the sidecar is not a transcript
    (raw / "talk.yaml").write_text("speakers: [oops\n", encoding="utf-8")
    tables = build(raw, cache_dir=cache, resources=None)
    assert "talk.yaml line" in tables["documents"]["warnings"].iloc[0]
    assert _speakers(tables) == before  # a broken speaker file: built as if it were not there


def test_a_folder_wide_speaker_file_in_the_resources(tmp_path):
    from analysis.corpus import build
    from analysis.language import Resources

    raw, res = tmp_path / "raw", tmp_path / "resources"
    raw.mkdir()
    res.mkdir()
    (raw / "a.md").write_text(STT, encoding="utf-8")
    (raw / "b.md").write_text(STT.replace("说话人1", "说话人9"), encoding="utf-8")
    (res / "speakers.yaml").write_text("speakers:\n  说话人1: 张三\ninterviewees: [说话人2]\n", encoding="utf-8")
    (raw / "b.yaml").write_text("interviewees: [说话人9]\n", encoding="utf-8")  # the file's own wins
    tables = build(raw, resources=Resources(res))
    t = tables["turns"]
    a = t[t["doc_id"] == "a"]
    assert set(a["speaker"].dropna()) == {"张三", "说话人2"}
    assert set(a.loc[a["role"] == "answer", "speaker"]) == {"说话人2"}
    b = t[t["doc_id"] == "b"]
    assert set(b.loc[b["role"] == "answer", "speaker"]) == {"说话人9"}


def test_a_role_word_before_the_new_name_says_the_side():
    cast = cast_from_metadata({"speakers.说话人1": "主持人 张三", "speakers.说话人2": "受访者 李四", "speakers.SPEAKER_00": "Jane Doe"})
    assert cast.rename == {"说话人1": "张三", "说话人2": "李四", "SPEAKER_00": "Jane Doe"}
    assert cast.moderators == {"张三"} and cast.interviewees == {"李四"}
    text = "说话人1：今天的节目开始了。\n\n说话人2：好的。\n\n说话人1：你为什么创业？\n\n说话人2：因为喜欢。"
    got, _ = roles(text, {"speakers.说话人1": "主持人 张三", "speakers.说话人2": "李四"})
    assert [(r, s) for r, s, _ in got][2:] == [("question", "张三"), ("answer", "李四")]


def test_not_speakers_holds_for_role_words_too():
    text = "主持人：本期嘉宾是张三。\n\n记者：你好？\n\n张三：好。\n\n记者：再问？\n\n张三：请讲。"
    got, warnings = roles(text, {"not_speakers": "主持人"})
    assert [(r, s) for r, s, _ in got] == [("question", "记者"), ("answer", "张三")] * 2
    assert not any("not read as speakers" in w for w in warnings)  # the user said so: no warning
