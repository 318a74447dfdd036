"""Layouts met in held-out real transcripts (not in the development corpus): one rule each,
with the smallest text that shows it."""
from __future__ import annotations

from analysis.parse import parse_text, turn_rows
from test_parse import check_tiling


def parse(text: str):
    turns, warnings = parse_text(text)
    rows = turn_rows("d", text, turns)
    check_tiling(text, rows)
    return [(r["role"], r["speaker"]) for r in rows], rows, warnings


def test_a_date_and_a_source_link_are_not_a_speaker():
    got, _, _ = parse("2018年04月07日 19:59 来源于 [财新网](https://www.douban.com/note/1/)\n\n他强调，机构应保护成员。\n\n"
                      "财新记者：你为什么写？\n\n王敖：因为要纪念她。\n")
    assert got == [("narration", None), ("question", "财新记者"), ("answer", "王敖")]


def test_a_source_line_ending_in_the_outlets_name_is_not_its_turn():
    got, _, _ = parse("原文来自网易每日人物：~~[标题](http://x.cn/a.html)~~\n\n每日人物：事情发生在什么时候？\n\n举报者：2016年。\n")
    assert got == [("narration", None), ("question", "每日人物"), ("answer", "举报者")]


def test_pipe_separators_and_a_legend_of_letters():
    got, _, _ = parse("C = 陈一菲\n\nM = 木田\n\n**C \\| 您觉得学生的身份意味着什么？**\n\n**M \\|** 利弊兼备。\n\n"
                      "**C \\| 请谈谈你的活动。**\n\n**M \\|** 很多。\n")
    assert got == [("narration", None), ("question", "陈一菲"), ("answer", "木田"), ("question", "陈一菲"), ("answer", "木田")]


def test_a_dialogue_quoted_whole():
    got, rows, warnings = parse("下面是聊天记录。\n\n> **记者：你怎么评价周游列国？**\n> \n> 孔子：收获颇丰。\n> \n"
                                "> **记者：最大挑战是什么？**\n> \n> 孔子：偏见。\n\n我觉得很像孔子。\n")
    assert got == [("narration", None), ("question", "记者"), ("answer", "孔子"), ("question", "记者"), ("answer", "孔子"),
                   ("narration", None)]
    assert not any("no speaker labels" in w for w in warnings)


def test_a_quote_stays_a_quote_when_the_dialogue_is_outside_it():
    got, _, _ = parse("Q：你好？\n\nA：好。\n\n> 记者：这是引用。\n> 张三：引用里的话。\n\nQ：再见？\n\nA：再见。")
    assert got == [("question", "Q"), ("answer", "A"), ("narration", None), ("question", "Q"), ("answer", "A")]


def test_html_line_breaks_and_one_speakers_run_of_labels():
    got, rows, _ = parse("<div>\n记者：请问体验如何？<br>\n<br>\n雷德文：整体来说相当愉快。<br>\n<br>\n雷德文：后来演出效果上升了。<br>\n"
                         "<br>\n唯一的缺点是群演常换。<br>\n<br>\n</div>\n")
    assert got == [("narration", None), ("question", "记者"), ("answer", "雷德文"), ("narration", None)]
    assert rows[2]["text"].endswith("唯一的缺点是群演常换。<br>\n<br>")
    assert rows[2]["n_chars"] == len("整体来说相当愉快。后来演出效果上升了。唯一的缺点是群演常换。")


def test_a_stage_direction_between_two_labels_of_one_speaker():
    got, rows, _ = parse("### Julie Zaugg:\nWhat are your main tasks?\n\n### Audrey Tang:\nOpen government.\n\n> (laughter)\n\n"
                         "### Audrey Tang:\nAlso the youth council.\n\n### Julie Zaugg:\nWhen did you start?\n\n### Audrey Tang:\nFirst of October.\n")
    assert got == [("question", "Julie Zaugg"), ("answer", "Audrey Tang"), ("question", "Julie Zaugg"), ("answer", "Audrey Tang")]
    assert rows[1]["n_chars"] == len("Opengovernment.Alsotheyouthcouncil.")


def test_a_note_under_a_label_stays_in_its_turn():
    _, rows, _ = parse("### 胡婉玲：\n你會說法語嗎？\n\n### 唐鳳：\n（法語）\n\n現在在法語的交談上還行。\n\n### 胡婉玲：\n你怎麼學的？\n\n### 唐鳳：\n多練習。\n")
    assert [(r["role"], r["speaker"]) for r in rows] == [("question", "胡婉玲"), ("answer", "唐鳳")] * 2
    assert rows[1]["text"].startswith("（法語）") and rows[1]["n_chars"] == len("現在在法語的交談上還行。")


def test_a_bystander_asking_the_reporter_once_does_not_flip_sides():
    turns = "".join(f"### 金大啟：\n問題{i}是什麼？\n\n### 唐鳳：\n回答{i}，內容很長很長。\n\n" for i in range(6))
    text = turns + "### 黃子維：\n你們的報紙每天多少人看？\n\n### 金大啟：\n每天一百二十萬份。\n\n" + turns
    got, _, _ = parse(text)
    assert [s for r, s in got if r == "question"].count("金大啟") == 12
    assert [s for r, s in got if r == "answer"].count("唐鳳") == 12


def test_requests_without_a_question_mark_ask():
    got, _, _ = parse("### Theo Bass:\nI want to ask you specifically about the tech stack the movement used.\n\n"
                      "### Audrey Tang:\nEvery day it was a different stack.\n\n### Theo Bass:\nHow did you use Loomio?\n\n"
                      "### Audrey Tang:\nLate in the process.\n")
    assert [r for r, _ in got] == ["question", "answer", "question", "answer"]


def test_someone_who_answers_once_or_twice_is_named_in_a_warning():
    text = ("### Host:\nCan I get the transcript?\n\n### Staff:\nYes, in 10 days.\n\n"
            + "".join(f"### Host:\nQuestion {i}?\n\n### Guest:\nAnswer {i}.\n\n" for i in range(10)))
    _, _, warnings = parse(text)
    assert any("'Staff' answered only 1 time(s) ('Guest' 10)" in w for w in warnings)


def test_a_lone_label_with_analysis_after_it_is_not_a_dialogue():
    got, _, warnings = parse("記者：林太，土地方案是否填海？\n\n**中文問題1：「土地供應方案是否填海？」**\n\n這是尋求確認的問題。\n\n"
                             "**中文問題2：會否架空小組？**\n\n問題指向主要是要求回應。\n")
    assert not [s for r, s in got if r == "answer"]
    assert any("no answers found" in w for w in warnings)
