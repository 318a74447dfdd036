"""Turns from lines: interruptions held, non-speech kept out of speech, unsaid spans."""
from __future__ import annotations

import json

from analysis.parse import parse_text, turn_rows
from test_parse import check_tiling


def parse(text: str, **kw):
    turns, warnings = parse_text(text, **kw)
    rows = turn_rows("d", text, turns)
    check_tiling(text, rows)
    return rows, warnings


def unsaid(text: str, row) -> list[str]:
    return [text[s:e] for s, e in json.loads(row["unsaid"] or "[]")]


def test_an_image_inside_an_answer_stays_in_it_unsaid():
    text = ("问：研究什么？\n\n答：第一段。\n\n![](a.png)\n\n<figcaption>图：会场</figcaption>\n\n第二段。\n\n"
            "问：还有吗？\n\n答：没有。")
    rows, _ = parse(text)
    assert [r["role"] for r in rows] == ["question", "answer", "question", "answer"]
    assert rows[1]["text"].endswith("第二段。")
    assert unsaid(text, rows[1]) == ["![](a.png)", "<figcaption>图：会场</figcaption>"]
    assert rows[1]["n_chars"] == len("第一段。第二段。")


def test_a_promo_after_the_last_answer_and_an_image_is_narration():
    text = "问：好吗？\n\n答：好。\n\n![](qr.png)\n\n我们将根据留言走心程度送出礼物。"
    rows, _ = parse(text)
    assert [r["role"] for r in rows] == ["question", "answer", "narration"]
    assert rows[1]["text"] == "好。" and rows[2]["text"].endswith("送出礼物。")


def test_an_editors_note_between_turns_is_narration():
    text = "《财经》：为什么？\n\n专家：因为证据不足。\n\n（编者注：2月10日，有关负责人被免职。）\n\n《财经》：然后呢？\n\n专家：不知道。"
    rows, _ = parse(text)
    assert [r["role"] for r in rows] == ["question", "answer", "narration", "question", "answer"]
    assert rows[2]["text"].startswith("（编者注")


def test_a_bold_key_sentence_inside_an_answer_is_part_of_it():
    text = "**记者：**你怎么看？\n\n**张某：**有三点。\n\n**一是成本太高。**\n\n这是最主要的。\n\n**记者：**还有吗？\n\n**张某：**没有了。"
    rows, _ = parse(text)
    assert [r["role"] for r in rows] == ["question", "answer", "question", "answer"]
    assert "**一是成本太高。**" in rows[1]["text"] and not rows[1]["unsaid"]


def test_bold_that_runs_on_into_the_answer():
    text = "**记者：你怎么看？**\n\n**张某：这两年出生人口下降很快。**其实原因很多。\n\n**记者：为什么？**\n\n**张某：**因为成本。"
    rows, _ = parse(text)
    assert [(r["role"], r["speaker"]) for r in rows] == [("question", "记者"), ("answer", "张某")] * 2
    assert rows[1]["text"].startswith("这两年出生人口")


def test_role_markers_alone_before_named_labels():
    text = "问\n\n记者：你为什么来？\n\n答\n\n林某：因为喜欢。\n\n问\n\n记者：还会再来吗？\n\n答\n\n林某：会。"
    rows, _ = parse(text)
    assert [(r["role"], r["speaker"]) for r in rows] == [("question", "记者"), ("answer", "林某")] * 2
    assert all(r["text"] for r in rows)  # the marker is not an empty turn
    assert rows[0]["start"] == 0 and rows[1]["speaker_label"] == "答\n\n林某："


def test_turns_wrapped_in_brackets_inside_an_excerpt():
    text = "官員稱會跟進。\n\n（記者：會否撤回？）\n\n官員：「我們會研究。」\n\n（記者：何時有結果？）\n\n官員：「稍後公布。」"
    rows, _ = parse(text)
    assert [(r["role"], r["speaker"]) for r in rows] == [("narration", None)] + [("question", "記者"), ("answer", "官員")] * 2


def test_url_lines_are_narration():
    text = "Q：这是哪里？\n\nA：这是上海。\n\nhttps://example.com/a\n\nQ：为什么？\n\nA：因为。"
    rows, _ = parse(text)
    assert [r["role"] for r in rows] == ["question", "answer", "narration", "question", "answer"]
    assert "https" not in {r["speaker"] for r in rows}


def test_stage_directions_and_time_marks_are_kept_but_not_counted():
    text = "**Host:** \\[00:10\\] Why did you start?\n\n**Guest:** \\[00:12\\] Because I was bored. \\[laughter\\] Really.（笑）"
    rows, _ = parse(text)
    assert unsaid(text, rows[1]) == ["\\[00:12\\]", "\\[laughter\\]", "（笑）"]
    assert rows[1]["n_chars"] == len("BecauseIwasbored.Really.")
    assert rows[1]["text"].startswith("\\[00:12\\] Because")


def test_footers_after_a_rule_are_narration():
    text = "记者：你好？\n\n张三：你好。\n\n---\n\n扫码关注我们\n\n未经允许请勿转载"
    rows, _ = parse(text)
    assert [r["role"] for r in rows] == ["question", "answer", "narration"]
    assert rows[1]["text"] == "你好。"


def test_an_unanswered_question_closes_its_exchange():
    text = "**Q：為何取消？**\n\n楊某：「因為有問題。」\n\n**Q：局長你點睇？**\n\n冇答\n\n**Q：會否問責？**\n\n楊某：「稍後。」"
    rows, warnings = parse(text)
    assert [(r["role"], str(r["exchange_id"])) for r in rows] == [
        ("question", "0"), ("answer", "0"), ("question", "1"), ("narration", "1"), ("question", "2"), ("answer", "2")]
    assert "exchange 1 has no answer" in warnings
