"""Which labels are speakers, what each is called, and who is on which side."""
from __future__ import annotations

import pytest

from analysis.parse import parse_text, turn_rows
from analysis.parse.speakers import (
    interviewee_names, is_media, looks_like_name, reads_as_prose, short_forms, sides, titled_full_name,
)


def who(text: str, **kw):
    turns, warnings = parse_text(text, **kw)
    rows = turn_rows("doc", text, turns)
    return [(r["role"], r["speaker"]) for r in rows if r["role"] != "narration"], warnings


@pytest.mark.parametrize("name", ["他说", "吳某又指", "因为通常这些能力是分散的", "以下是采访内容", "原文来自财经E法",
                                  "Note", "Break"])
def test_prose_before_a_colon_is_not_a_name(name):
    assert reads_as_prose(name)


@pytest.mark.parametrize("name", ["张三", "黄仁勋", "《财经》", "群岛ARCHIPELAGO", "中国新闻周刊", "Jane Doe", "MR. ZIENTS"])
def test_names(name):
    assert not reads_as_prose(name) and looks_like_name(name)


def test_media_names():
    assert all(map(is_media, ["中央社", "自由時報", "《财经》", "界面新闻", "Reuters"]))
    assert not any(map(is_media, ["唐鳳", "李洪元", "Audrey Tang"]))


def test_short_forms_map_to_the_one_full_name():
    assert short_forms({"林鄭", "曾俊華", "記者"}, {"林鄭月娥"}) == {"林鄭": "林鄭月娥"}
    assert short_forms({"张", "张三", "张四"}, set()) == {}          # ambiguous: left alone
    assert short_forms({"英伟达CEO黄仁勋", "黄仁勋"}, set()) == {"英伟达CEO黄仁勋": "黄仁勋"}
    assert short_forms({"Huang", "Jensen Huang"}, set()) == {"Huang": "Jensen Huang"}


def test_a_title_and_surname_label_takes_the_full_name_the_document_introduces():
    text = "崔天凱大使接受訪問。崔天凱說得很清楚。崔大使：我認為如此。"
    assert titled_full_name("崔大使", text) == "崔天凱"
    assert titled_full_name("林校长", "北大校长林建华说。林建华表示同意。") == "林建华"
    text = "I'm Jeff Zients, White House COVID Coordinator. Thanks, Jeff Zients."
    assert titled_full_name("MR. ZIENTS", text) == "Jeff Zients"
    assert titled_full_name("DR. NUNEZ-SMITH", "joined by Dr. Marcella Nunez-Smith, Chair") == "Marcella Nunez-Smith"
    assert titled_full_name("张三", "张三说") is None


def test_the_interviewee_named_in_the_title_front_matter_or_lead():
    assert interviewee_names("", 0, {"title": "周雪光：新型冠状病毒暴露了根本性张力"}) == ["周雪光"]
    assert interviewee_names("本报专访王敖。", 0, {}) == ["王敖"]
    assert interviewee_names("", 0, {"interviewee": "李四", "tags": "特首, 林鄭月娥"})[:2] == ["李四", "林鄭月娥"]


def test_a_generic_answer_label_is_the_interviewee_the_document_names():
    text = "问：您好？\n\n答：你好。\n\n问：再问？\n\n答：请讲。"
    rows, _ = who(text, metadata={"title": "周雪光：国家治理"})
    assert rows == [("question", "问"), ("answer", "周雪光")] * 2
    rows, _ = who(text)
    assert rows == [("question", "问"), ("answer", "答")] * 2  # nobody named: the label stays


def test_one_answer_labelled_generically_among_named_ones():
    text = "".join(f"**《周报》：问题{i}？**\n\n戈德曼：回答{i}。\n\n" for i in range(3)) + "**《周报》：再问？**\n\n答：好的。"
    rows, _ = who(text)
    assert [s for r, s in rows if r == "answer"] == ["戈德曼"] * 4


def test_a_label_that_changes_form_keeps_its_role():
    text = "陈某（采访人）：你好吗？\n\n李某：很好。\n\n陈某：为什么？\n\n李某：因为天气好。"
    rows, _ = who(text)
    assert rows == [("question", "陈某"), ("answer", "李某"), ("question", "陈某"), ("answer", "李某")]


def test_both_sides_named_the_one_who_asks_is_the_interviewer():
    text = ("**界面新闻：**你为什么离职？\n\n**李洪元：**因为业务造假。\n\n"
            "**界面新闻：**后来呢？\n\n**李洪元：**后来我起诉了。\n\n**界面新闻：**现在有什么诉求？\n\n**李洪元：**沟通。")
    rows, _ = who(text)
    assert rows == [("question", "界面新闻"), ("answer", "李洪元")] * 3


def test_reporters_labelled_by_outlet_and_an_mc():
    text = ("### 司儀：\n\n記者會開始，請部長說明。\n\n### 唐鳳：\n\n今天說明三件事。\n\n### 司儀：\n\n開放提問。\n\n"
            "### 中央社：\n\n請問進度如何？\n\n### 唐鳳：\n\n進度良好。\n\n### 自由時報：\n\n經費多少？\n\n"
            "### 林俊秀：\n\n大約一億。\n\n### 唐鳳：\n\n我補充一點。")
    rows, _ = who(text)
    assert rows == [("remark", "司儀"), ("remark", "唐鳳"), ("remark", "司儀"), ("question", "中央社"),
                    ("answer", "唐鳳"), ("question", "自由時報"), ("answer", "林俊秀"), ("answer", "唐鳳")]


def test_a_byline_and_a_marker_line_are_not_speakers():
    text = ("记者：陆柯言\n\n**以下是采访内容：**\n\n**界面新闻：**你好吗？\n\n**李洪元：**很好。\n\n"
            "**界面新闻：**为什么？\n\n**李洪元：**因为。")
    rows, warnings = who(text)
    assert rows == [("question", "界面新闻"), ("answer", "李洪元")] * 2
    assert any("not read as speakers" in w and "记者：陆柯言" in w for w in warnings)


def test_list_items_inside_an_answer_are_not_labels():
    text = ("**媒通社**：有哪些形式？\n\n**黄雪琴**：有三种。\n\n口头上：言语挑逗。\n\n行动上：故意触摸。\n\n"
            "**媒通社**：然后呢？\n\n**黄雪琴**：然后维权。")
    turns, _ = parse_text(text)
    rows = turn_rows("d", text, turns)
    assert [(r["role"], r["speaker"]) for r in rows] == [("question", "媒通社"), ("answer", "黄雪琴")] * 2
    assert rows[1]["text"].endswith("行动上：故意触摸。")


def test_prose_ending_in_a_name_a_verb_and_a_colon_is_not_a_label():
    text = "吳某又指：「這是錯的。」\n\n記者：你怎麼看？\n\n吳某：我不同意。\n\n記者：為什麼？\n\n吳某：因為證據不足。"
    rows, _ = who(text)
    assert rows == [("question", "記者"), ("answer", "吳某")] * 2


def test_sides_from_the_share_of_turns_that_ask():
    got = sides({"A台": ["为什么？", "怎么办？"], "王五": ["因为。", "这样办。"]}, {}, _cast(), [])
    assert got == {"A台": "asker", "王五": "answerer"}
    # a host asks when nobody else does
    assert sides({"主持人": ["欢迎。"], "王五": ["谢谢。"]}, {"主持人": "host"}, _cast(), [])["主持人"] == "asker"


def _cast():
    from analysis.parse import Cast
    return Cast()


def test_labels_as_typeset_padded_names_and_bidi_marks():
    text = "主持人：请问王伟，你怎么看？\n王\u3000伟：我看好。\n主持人：为什么？\n王 伟：因为便宜。\n\u200f李四\u200e：我也是。"
    rows, _ = who(text)
    assert rows == [("question", "主持人"), ("answer", "王伟"), ("question", "主持人"), ("answer", "王伟"),
                    ("answer", "李四")]
