"""One recogniser at a time: each line kind from the layouts seen in real transcripts."""
from __future__ import annotations

import pytest

from analysis.parse.lines import RECOGNISERS, Kind, classify, read_lines, split_lines


def kind(line: str) -> tuple[Kind, str]:
    ln = classify(split_lines(line, 0)[0])
    return ln.kind, ln.name


@pytest.mark.parametrize("line, expected", [
    ("张三：你好", (Kind.LABEL, "张三")),
    ("**张三**：你好", (Kind.LABEL, "张三")),
    ("**张三：** 你好", (Kind.LABEL, "张三")),
    ("**张三：这两年出生人口下降。**其实原因很多", (Kind.LABEL, "张三")),   # bold running on: decided per document
    ("### 唐鳳：", (Kind.LABEL, "唐鳳")),
    ("### Question:", (Kind.LABEL, "Question")),
    ("# 对话王兴：美团的下一个十年", (Kind.HEADING, "")),                   # a title with a colon is a heading
    ("《财经》：为什么？", (Kind.LABEL, "《财经》")),
    ("群岛ARCHIPELAGO：能否回想？", (Kind.LABEL, "群岛ARCHIPELAGO")),
    ("专家 ：那我不知道", (Kind.LABEL, "专家")),
    ("（記者：會否撤回？）", (Kind.LABEL, "記者")),                          # a bracketed turn
    ("Q    Hi.  Why?", (Kind.LABEL, "Q")),                                # bare Q, NBSPs
    ("\\[04:10\\] Last year", (Kind.PLAIN, "")),
    ("问", (Kind.ROLE_MARKER, "问")),
    ("**答**", (Kind.ROLE_MARKER, "答")),
    ("MODERATOR", (Kind.LABEL, "MODERATOR")),
    ("Yes.", (Kind.PLAIN, "")),                                           # words said, not a label alone
    ("[00:12:31]", (Kind.TIMESTAMP, "")),
    ("来源：界面新闻", (Kind.META, "")),
    ("值班编辑：寒冰", (Kind.META, "")),
    ("（完）", (Kind.NOTE, "")),
    ("冇答", (Kind.NOTE, "")),
    ("<figure><img src='a.jpg'></figure>", (Kind.NON_SPEECH, "")),
    ("![](https://i.imgur.com/a.png)", (Kind.NON_SPEECH, "")),
    ("https://example.com/a/b", (Kind.NON_SPEECH, "")),
    ("{{< video src=\"a.mp4\" >}}", (Kind.NON_SPEECH, "")),
    ("---", (Kind.NON_SPEECH, "")),
    ("△ 图为现场", (Kind.NON_SPEECH, "")),
    ("未经允许请勿转载", (Kind.NON_SPEECH, "")),
    ("**扫码订阅NGOCN精选邮件**", (Kind.NON_SPEECH, "")),
    ("（播放影片）", (Kind.NON_SPEECH, "")),
    ("[laughter]", (Kind.NON_SPEECH, "")),
    ("> 按：这是编者按", (Kind.QUOTE, "")),
    ("**你怎么看开源？**", (Kind.BOLD_QUESTION, "")),
    ("**十年十问**", (Kind.HEADING, "")),
    ("## 摘要", (Kind.HEADING, "")),
    ("这是一段普通的话。", (Kind.PLAIN, "")),
])
def test_each_line_kind(line, expected):
    assert kind(line) == expected


def test_a_url_is_not_a_speaker_called_https():
    assert kind("https://mp.weixin.qq.com/s/abc")[0] is Kind.NON_SPEECH
    assert kind("https：//例子")[0] is not Kind.LABEL


def test_the_first_recogniser_that_claims_a_line_decides():
    # a quote that holds a label stays a quote; markup wins over a label-like start
    assert kind("> 记者：你好？")[0] is Kind.QUOTE
    assert kind("<p>记者：你好？</p>")[0] is Kind.NON_SPEECH
    assert len(RECOGNISERS) == len(set(RECOGNISERS))


def test_lines_keep_offsets_and_paragraph_starts():
    text = "甲：一\r\n\r\n乙：二\n丙"
    lines = read_lines(text)
    assert [(ln.start, ln.end) for ln in lines] == [(0, 3), (5, 5), (7, 10), (11, 12)]
    assert [ln.para_start for ln in lines] == [True, False, True, False]
    assert all(text[ln.start:ln.end] == ln.content for ln in lines)


def test_a_label_records_its_style_and_note():
    ln = classify(split_lines("**陈某（采访人）**：你好？", 0)[0])
    assert (ln.kind, ln.name, ln.note, ln.style) == (Kind.LABEL, "陈某", "采访人", "bold")
    ln = classify(split_lines("### Chiang Ching-kuo (translator):", 0)[0])
    assert (ln.name, ln.note, ln.style) == ("Chiang Ching-kuo", "translator", "heading")


def test_a_long_line_is_classified_by_its_head_only():
    ln = classify(split_lines("黄" * 200_000 + "：" + "好", 0)[0])
    assert ln.kind is Kind.PLAIN
