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


# --- the cheap tests that decide which recognisers see a line ----------------------------

_PIECES = ("**", "__", "#", "## ", " ", "  ", " | ", " ｜ ", "**|", "\\| ", "\u3000", "\u00a0", "\t", "\u200b", "\u202a", ">", "Q", "A", "q",
           "问", "答", "：", ":", "|", "｜", "（", "）", "(", ")", "[", "]", "【", "】", "〔", "〕", "\\[", "\\]",
           "张三", "王　伟", "记者", "主持人", "《财经》", "MODERATOR", "Jensen Huang", "Mr. Zients", "José", "12:30",
           "[00:12:31]", "１２", "http://example.org/a", "https", "www.example.org", "<img src=x>", "</center>",
           "![图](a.png)", "[![", "---", "***", "===", "———", "△", "{{<", "{{%", "没有回答", "no comment", "（完）",
           "完", "END", "阅读原文", "本文来源", "版权所有", "扫码", "all rights reserved", "来源", "编辑", "Source",
           "Q.", "A）", "Q1", "…", "。", "？", "?", "，", "笑", "laughter", "ſ", "7", "我们认为这个问题非常重要")


def _comparable(value):
    """``Line.extra`` with its regex matches (a quoted label's) as what they matched, where."""
    import re

    if isinstance(value, re.Match):
        return value.span(), value.groupdict()
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_comparable(v) for v in value)
    return value


def _random_line(rng) -> str:
    parts = [rng.choice(_PIECES) for _ in range(rng.randint(1, 8))]
    if rng.random() < 0.5:  # long lines, across every length the tests use (12 ... 2,000)
        parts.insert(rng.randint(0, len(parts)), "我们认为这个问题非常重要，" * rng.choice((1, 3, 5, 8, 12, 40, 160)))
    if rng.random() < 0.2:  # padding that strip() or strip("*_ ") takes off
        pad = rng.choice((" ", "*", "_", "\u3000", "* _")) * rng.choice((5, 30, 100, 500))
        parts.insert(rng.choice((0, len(parts))), pad)
    return "".join(parts)


def test_a_line_is_offered_to_every_recogniser_that_would_claim_it():
    """For 30,000 random lines: whenever a recogniser claims a line, the line has
    what ``NEEDS`` says that recogniser needs; so classify, which offers each line only
    to those recognisers, gives every line the kind, name and label the full list would."""
    import random

    from analysis.parse import lines

    rng = random.Random(17)
    claimed = dict.fromkeys(RECOGNISERS, 0)
    for _ in range(30_000):
        text = _random_line(rng)
        [ln] = split_lines(text, 0) or [None]
        if ln is None or ln.kind is Kind.BLANK:
            continue
        head = ln.content[:lines.PREFIX]
        bits = lines._bits(ln.content, head)
        offered = lines._offer(bits)
        reference = None
        for recognise in RECOGNISERS:
            alone = split_lines(text, 0)[0]
            if recognise(alone, head):
                claimed[recognise] += 1
                assert recognise in offered, (recognise.__name__, text)
                reference = reference or alone
        got = classify(ln)
        reference = reference or split_lines(text, 0)[0]
        fields = ("kind", "name", "note", "style", "label_end", "rest")
        assert [getattr(got, f) for f in fields] == [getattr(reference, f) for f in fields], text
        assert _comparable(got.extra) == _comparable(reference.extra), text
    assert all(claimed.values()), {r.__name__: n for r, n in claimed.items() if not n}  # each was exercised


def test_a_new_recogniser_is_offered_every_line(monkeypatch):
    from analysis.parse import lines

    seen = []

    def everything(line, head):
        seen.append(line.content)
        return False

    monkeypatch.setattr(lines, "RECOGNISERS", (*lines.RECOGNISERS, everything))
    long_plain = "我们认为这个问题非常重要，" * 20
    assert classify(split_lines(long_plain, 0)[0]).kind is Kind.PLAIN
    assert seen == [long_plain]
    monkeypatch.undo()
    classify(split_lines(long_plain, 0)[0])
    assert seen == [long_plain]  # the old offer is not kept for the new list, nor the other way
