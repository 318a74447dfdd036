from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


from analysis import load as load_module
from analysis.parse import words
from analysis.load import read_transcript
from analysis.parse import count_chars, parse_text, span_counts, to_turns, turn_rows
from conftest import RAW, SEEDS


def parse(text: str, body_start: int = 0):
    turns, warnings = parse_text(text, body_start=body_start)
    return turn_rows("doc", text, turns), warnings


def roles(rows):
    return [r["role"] for r in rows]


def check_tiling(text: str, rows, body_start: int = 0) -> None:
    """Every non-whitespace character of the body lies in exactly one turn."""
    owner = [0] * len(text)
    for r in rows:
        assert body_start <= r["start"] <= r["text_start"] <= r["text_end"] == r["end"] <= len(text)
        assert text[r["text_start"]:r["text_end"]] == r["text"]
        for i in range(r["start"], r["end"]):
            owner[i] += 1
    for i in range(body_start, len(text)):
        if not text[i].isspace():
            assert owner[i] == 1, (i, text[i], owner[i])
    starts = [r["start"] for r in rows]
    assert starts == sorted(starts)


# --- the bundled transcripts, checked by hand ---------------------------------

FULL_QUESTIONS = [
    "有人说,大模型的",
    "你使用DeepSeek吗?",
    "中国的\xa0AI\xa0发展与美国的",
    "你是怎么在中国政府和美国政府之间保持平衡的",
    "有新闻说,腾讯申请大量采购",
    "近年来,中国公司在大模型",
    "你担心AI的安全性问题吗?",
    "你对华为在系统层面的突破",
    "你对竞争对手似乎评价非常高",
    "英伟达(NVIDIA)这几年增长得很",
    "有没有可能某些中国独有的应用",
    "你这次见了雷军",
    "告诉我们,当世界上最有价值公司的",
    "英伟达已经4万亿美金市值了",
]


@pytest.fixture
def full(full_seed):
    doc = read_transcript(full_seed)
    rows, warnings = parse(doc.text, doc.body_start)
    return doc, rows, warnings


@pytest.fixture
def excerpt(excerpt_seed):
    doc = read_transcript(excerpt_seed)
    rows, warnings = parse(doc.text, doc.body_start)
    return doc, rows, warnings


def test_full_seed_questions_and_answers(full):
    doc, rows, _ = full
    questions = [r for r in rows if r["role"] == "question"]
    answers = [r for r in rows if r["role"] == "answer"]
    assert len(questions) == 14
    assert len(answers) == 14
    for q, start in zip(questions, FULL_QUESTIONS):
        assert q["text"].startswith(start)
        assert q["speaker"] == "Q" and q["speaker_label"] == "Q:"
    assert {a["speaker"] for a in answers} == {"黄仁勋"}
    # question, answer, question, answer ... each pair one exchange
    assert roles(rows) == ["narration"] + ["question", "answer"] * 14
    assert [r["exchange_id"] for r in rows[1:]] == [i // 2 for i in range(28)]


def test_full_seed_narration_lead(full):
    doc, rows, _ = full
    lead = rows[0]
    assert lead["role"] == "narration" and lead["speaker"] is None
    assert lead["exchange_id"] is not None and str(lead["exchange_id"]) == "<NA>"
    assert lead["start"] == 0  # the ad line opens the file and is kept
    assert lead["text"].startswith("炒股就看,权威,专业")
    assert "来源:张小珺" in lead["text"]
    assert lead["text"].endswith("这篇很轻松:)")


def test_full_seed_colonless_answers(full):
    doc, rows, warnings = full
    colonless = [r for r in rows if r["role"] == "answer" and r["speaker_label"] == "黄仁勋"]
    assert [r["text"][:8] for r in colonless] == ["我只用这几个\xa0A", "DeepSeek"]
    assert colonless[0]["exchange_id"] == 1 and colonless[1]["exchange_id"] == 2
    assert sum("without a colon" in w for w in warnings) == 2


def test_full_seed_two_paragraph_question(full):
    doc, rows, _ = full
    q = next(r for r in rows if r["role"] == "question" and r["text"].startswith("你对竞争对手"))
    paragraphs = [p.strip() for p in q["text"].split("\n\n")]
    assert len(paragraphs) == 2
    assert paragraphs[1].startswith("另外,你会不会有点担心中美之间产业上的反复拉扯?")
    answer = rows[rows.index(q) + 1]
    assert answer["role"] == "answer" and answer["text"].startswith("没有(见)。")


def test_full_seed_last_answer_keeps_the_end(full):
    doc, rows, _ = full
    assert rows[-1]["role"] == "answer"
    assert rows[-1]["text"].endswith("这就很棒了。")
    assert "够了!————(突然用中文)" in rows[-1]["text"]


def test_full_seed_tiles(full):
    doc, rows, _ = full
    check_tiling(doc.text, rows, doc.body_start)


def test_excerpt_seed(excerpt):
    doc, rows, _ = excerpt
    assert roles(rows) == ["narration", "question", "answer", "question", "answer",
                           "question", "answer", "narration", "narration"]
    assert [r["speaker"] for r in rows if r["role"] == "answer"] == ["黄仁勋"] * 3
    lead = rows[0]
    assert lead["text"].startswith("**宝玉** @dotey 2025-07-16")
    assert "摘自张小珺" in lead["text"]
    # the editor's pointer and the closing blockquote are narration, not answer text
    assert rows[6]["text"].endswith("有助于提高 AI 的安全性。")
    assert rows[7]["text"] == "完整内容见引用"
    quote = rows[8]
    assert quote["text"].startswith("> 2025-07-16") and "够了！" in quote["text"]
    assert quote["text"].endswith("name=large)")
    assert quote["exchange_id"] == 2
    check_tiling(doc.text, rows, doc.body_start)
    assert doc.text[:doc.body_start].count("---") == 2


# --- label styles seen in real transcripts -----------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Q:你好吗?\nA:很好。", [("question", "Q", "你好吗?"), ("answer", "A", "很好。")]),
        ("Q：你好吗？\nA：很好。", [("question", "Q", "你好吗？"), ("answer", "A", "很好。")]),
        ("问：你好吗？\n答：很好。", [("question", "问", "你好吗？"), ("answer", "答", "很好。")]),
        ("记者：芯片怎么样？\n张三：还不错。\n记者：为什么？\n张三：因为便宜。",
         [("question", "记者", "芯片怎么样？"), ("answer", "张三", "还不错。"),
          ("question", "记者", "为什么？"), ("answer", "张三", "因为便宜。")]),
        ("主持人：欢迎。请问您怎么看？\n李四: 我看好。",
         [("question", "主持人", "欢迎。请问您怎么看？"), ("answer", "李四", "我看好。")]),
        ("**张三**：为什么？\n\n**李四**：因为。\n\n**张三**：然后呢？\n\n**李四**：没有然后。",
         [("question", "张三", "为什么？"), ("answer", "李四", "因为。"),
          ("question", "张三", "然后呢？"), ("answer", "李四", "没有然后。")]),
        ("**张三：** 为什么？\n\n**李四：** 因为。",
         [("question", "张三", "为什么？"), ("answer", "李四", "因为。")]),
        ("**你怎么看开源？**\n\n开源很重要。\n\n第二段。\n\n**那安全呢？**\n\n也重要。",
         [("question", None, "**你怎么看开源？**"), ("answer", None, "开源很重要。\n\n第二段。"),
          ("question", None, "**那安全呢？**"), ("answer", None, "也重要。")]),
        ("主持人(10:05)：下一个问题？\n王五(10:06)：好的。",
         [("question", "主持人", "下一个问题？"), ("answer", "王五", "好的。")]),
        ("**张三（采访人）**：你好？\n**李四（受访者）**：你好。",
         [("question", "张三", "你好？"), ("answer", "李四", "你好。")]),
        ("主持人：\n请介绍一下？\n\n王五：\n好的。",
         [("question", "主持人", "请介绍一下？"), ("answer", "王五", "好的。")]),
        ("MODERATOR: Welcome. What's next?\nJENSEN HUANG: Thank you.\nMODERATOR: Why?\nJENSEN HUANG: Because.",
         [("question", "MODERATOR", "Welcome. What's next?"), ("answer", "JENSEN HUANG", "Thank you."),
          ("question", "MODERATOR", "Why?"), ("answer", "JENSEN HUANG", "Because.")]),
        ("INTERVIEWER: How?\nJane Doe: Like this.",
         [("question", "INTERVIEWER", "How?"), ("answer", "Jane Doe", "Like this.")]),
        ("Q How did it start?\n\nA It started small.",
         [("question", "Q", "How did it start?"), ("answer", "A", "It started small.")]),
        ("[00:12:31] 主持人：开始？\n[00:12:40] 王五：好。",
         [("question", "主持人", "开始？"), ("answer", "王五", "好。")]),
        ("[00:12:31]\n主持人：开始？\n[00:12:40]\n王五：好。",
         [("question", "主持人", "开始？"), ("answer", "王五", "好。")]),
        ("张三：我们开始吧，你觉得呢？\n李四：可以。\n张：那第一个问题？\n李：请讲。",
         [("question", "张三", "我们开始吧，你觉得呢？"), ("answer", "李四", "可以。"),
          ("question", "张三", "那第一个问题？"), ("answer", "李四", "请讲。")]),
        ("Q1：第一个问题？\nA1：第一个回答。\nQ2：第二个？\nA2：第二个回答。",
         [("question", "Q", "第一个问题？"), ("answer", "A", "第一个回答。"),
          ("question", "Q", "第二个？"), ("answer", "A", "第二个回答。")]),
        ("记者：你好？\n英伟达创始人兼CEO黄仁勋：你好。\n记者：再问？\n黄仁勋：请讲。",
         [("question", "记者", "你好？"), ("answer", "黄仁勋", "你好。"),
          ("question", "记者", "再问？"), ("answer", "黄仁勋", "请讲。")]),
        ("Q\u00a0：你好？\nA\u3000：好。\n\u200b黄仁勋\u200b：还有我。",
         [("question", "Q", "你好？"), ("answer", "A", "好。"), ("answer", "黄仁勋", "还有我。")]),
        ("Q：你好？\r\nA：好。\r\n\r\n第二段。\rQ：再见？\rA：再见。",
         [("question", "Q", "你好？"), ("answer", "A", "好。\r\n\r\n第二段。"),
          ("question", "Q", "再见？"), ("answer", "A", "再见。")]),
    ],
)
def test_label_styles(text, expected):
    rows, _ = parse(text)
    got = [(r["role"], r["speaker"], r["text"]) for r in rows if r["role"] != "narration"]
    assert got == expected
    check_tiling(text, rows)


def test_media_interview_with_bold_questions_and_a_byline():
    text = ("# 对话王兴：美团的下一个十年\n\n文 | 张三\n编辑 | 李四\n\n导语：这是一次长谈。\n\n"
            "**36氪：你为什么要做外卖？**\n\n王兴：因为需求足够大。\n\n我们当时判断，这是一个万亿市场。\n\n"
            "**36氪：那么竞争呢？**\n\n王兴：竞争一直都有。\n\n关注用户很重要。\n\n（完）\n")
    rows, _ = parse(text)
    assert [(r["role"], r["speaker"]) for r in rows] == [
        ("narration", None), ("narration", None), ("question", "36氪"), ("answer", "王兴"),
        ("question", "36氪"), ("answer", "王兴"), ("narration", None)]
    assert rows[3]["text"] == "因为需求足够大。\n\n我们当时判断，这是一个万亿市场。"
    assert rows[5]["text"] == "竞争一直都有。\n\n关注用户很重要。"
    check_tiling(text, rows)


def test_english_transcript_with_a_header_and_end_mark():
    text = ("TRANSCRIPT: Interview with Jane Doe, CEO of Acme Corp.\n\n"
            "INTERVIEWER: Thanks for joining us. How did Acme start?\n\n"
            "JANE DOE: We started in a garage in 2009.\n\nIt was small.\n\n"
            "INTERVIEWER: And now?\n\nJANE DOE: Now we employ 5,000 people.\n\n[END]\n")
    rows, _ = parse(text)
    assert [(r["role"], r["speaker"], r["exchange_id"]) for r in rows][1:] == [
        ("question", "INTERVIEWER", 0), ("answer", "JANE DOE", 0), ("question", "INTERVIEWER", 1),
        ("answer", "JANE DOE", 1), ("narration", None, 1)]
    assert rows[0]["role"] == "narration" and rows[2]["text"].endswith("It was small.")


def test_traditional_chinese_labels():
    rows, _ = parse("問：您怎麼看輝達在臺灣的布局？\n\n答：我們非常重視臺灣的供應鏈。\n\n記者：還有嗎？\n\n答：沒有。")
    assert [(r["role"], r["exchange_id"]) for r in rows] == [
        ("question", 0), ("answer", 0), ("question", 1), ("answer", 1)]


TRADITIONAL = ("s2t", "s2tw", "s2hk")  # OpenCC: traditional, as written in Taiwan, as written in Hong Kong


@pytest.mark.parametrize("config", TRADITIONAL)
@pytest.mark.parametrize("seed", SEEDS)
def test_a_traditional_copy_parses_like_the_simplified_one(seed, config, tmp_path, traditional):
    """The seeds converted to traditional characters: same metadata fields, same turns at the
    same offsets, same roles and exchanges, speakers converted too (来源：/編輯： stay metadata)."""
    convert = traditional[config]
    simplified = read_transcript(RAW / seed)
    path = tmp_path / seed
    path.write_text(convert(simplified.text), encoding="utf-8")
    traditional = read_transcript(path)
    assert len(traditional.text) == len(simplified.text)  # character for character: offsets compare
    assert traditional.body_start == simplified.body_start
    assert traditional.metadata == {convert(k): convert(v) for k, v in simplified.metadata.items()}
    got, _ = parse(traditional.text, traditional.body_start)
    want, _ = parse(simplified.text, simplified.body_start)
    keys = ("role", "exchange_id", "start", "end", "text_start", "text_end")
    assert [tuple(r[k] for k in keys) for r in got] == [tuple(r[k] for k in keys) for r in want]
    assert [r["speaker"] for r in got] == [None if r["speaker"] is None else convert(r["speaker"]) for r in want]


@pytest.mark.parametrize("words", [
    words.METADATA_KEYS, words.QUESTION_WORDS, words.ANSWER_WORDS, words.HOST_WORDS,
    words.QUESTION_NOTES, words.ANSWER_NOTES, words.OTHER_NOTES, words.SPEECH_VERBS, words.HAN_TITLES,
    words.MEDIA_ENDINGS, load_module.HEADER_KEYS,
], ids=["metadata keys", "question words", "answer words", "host words", "question notes", "answer notes",
        "other notes", "speech verbs", "titles", "media endings", "header keys"])
def test_every_keyword_is_known_in_traditional_characters_too(words, traditional):
    missing = {convert(w) for w in words for convert in traditional.values()} - set(words)
    assert not missing


@pytest.mark.parametrize("config", TRADITIONAL)
@pytest.mark.parametrize("note", ["阅读原文", "点击阅读原文", "全文完", "原文链接：https://example.com", "本文来源：界面新闻",
                                  "关注公众号", "扫码关注我们", "更多内容请见官网", "完整内容见附件"])
def test_editor_notes_in_traditional_characters(note, config, traditional):
    assert words.EDITOR_NOTE.match(note)
    assert words.EDITOR_NOTE.match(traditional[config](note))


def test_prose_with_colon_is_not_a_label():
    text = "他说：这很重要。\n\n比如：芯片。\n\n摘自张小珺 的《老黄现场实录：我当过》的三段对话：\n\nQ：为什么？\n\n黄仁勋：因为。\n\nQ：然后？\n\n黄仁勋：没了。"
    rows, _ = parse(text)
    assert roles(rows) == ["narration", "question", "answer", "question", "answer"]
    assert rows[0]["text"].startswith("他说：这很重要。") and rows[0]["text"].endswith("的三段对话：")


def test_repeated_prose_before_a_colon_is_not_a_speaker():
    text = ("Q：为什么？\n\n黄仁勋：因为。\n\n因为通常这些能力是分散的：有的在软件公司。\n\n"
            "Q：还有呢？\n\n黄仁勋：没有了。\n\n因为通常这些能力是分散的：有的在芯片公司。")
    rows, _ = parse(text)
    assert [(r["role"], r["speaker"]) for r in rows] == [("question", "Q"), ("answer", "黄仁勋")] * 2
    assert rows[1]["text"].endswith("有的在软件公司。")


def test_html_entities_are_kept_and_reported():
    text = "Q：AT&amp;T&nbsp;怎么样？\nA：很好&#65281;\n"
    rows, warnings = parse(text)
    assert [(r["role"], r["text"]) for r in rows] == [("question", "AT&amp;T&nbsp;怎么样？"), ("answer", "很好&#65281;")]
    assert any("HTML entities such as '&amp;'" in w and "offset 4" in w for w in warnings)
    check_tiling(text, rows)


def test_metadata_and_notes_are_narration():
    text = "Q：问？\nA：答。\n\n责任编辑：王五\n\n（完）"
    rows, _ = parse(text)
    assert roles(rows) == ["question", "answer", "narration"]
    assert rows[-1]["text"] == "责任编辑：王五\n\n（完）"


def test_no_labels_is_one_narration_turn_with_a_warning():
    rows, warnings = parse("这是一段没有任何说话人标记的文字。\n\n第二段。")
    assert roles(rows) == ["narration"]
    assert any("no speaker labels" in w for w in warnings)


def test_a_speech_without_questions_says_so():
    rows, warnings = parse("王芳：各位好。今天讲三件事。\n王芳：第一件事是芯片。")
    assert {r["role"] for r in rows} == {"answer"}
    assert any("no questions found" in w and "王芳" in w for w in warnings)


def test_named_speakers_roles_inferred_from_questions():
    # nobody is marked as asking: the one who asks questions is the interviewer
    text = "王芳：你为什么做芯片？\n赵强：因为好玩。\n王芳：后来呢？\n赵强：后来做大了。"
    rows, _ = parse(text)
    assert [(r["role"], r["speaker"]) for r in rows] == [
        ("question", "王芳"), ("answer", "赵强"), ("question", "王芳"), ("answer", "赵强")]


def test_consecutive_questions_share_an_exchange():
    rows, _ = parse("Q：芯片呢？\nQ：价格呢？\nA：都很好。\nQ：还有吗？\nA：没有。")
    assert [(r["role"], r["exchange_id"]) for r in rows] == [
        ("question", 0), ("question", 0), ("answer", 0), ("question", 1), ("answer", 1)]


def test_a_moderators_hand_off_is_a_remark_when_reporters_ask():
    rows, _ = parse("主持人：下面请提问。\n记者：芯片呢？\n张三：很好。\n记者：还有吗？\n张三：没有。\n主持人：谢谢大家。")
    assert [(r["role"], r["speaker"]) for r in rows] == [
        ("remark", "主持人"), ("question", "记者"), ("answer", "张三"), ("question", "记者"), ("answer", "张三"),
        ("remark", "主持人")]
    assert [str(r["exchange_id"]) for r in rows] == ["<NA>", "0", "0", "1", "1", "1"]


def test_empty_and_whitespace_bodies():
    assert parse("")[0] == []
    assert parse("  \n\n \u3000 \n")[0] == []


def test_long_line_without_colon_is_one_turn():
    text = "测" * 1_000_000
    rows, _ = parse(text)
    assert len(rows) == 1 and rows[0]["n_chars"] == 1_000_000


def test_long_line_with_late_colon_tiles():
    text = ("黄" * 500_000 + "：" + "好" * 500_000 + "\n") * 2
    rows, _ = parse(text)
    check_tiling(text, rows)


class _Spy:
    """A compiled pattern that records how much text each call was given."""

    def __init__(self, pattern, seen):
        self.pattern, self.seen = pattern, seen

    def __getattr__(self, name):
        method = getattr(self.pattern, name)
        if name not in ("match", "fullmatch", "search", "finditer", "findall"):
            return method

        def call(string, *args, **kw):
            self.seen.append(len(string))
            return method(string, *args, **kw)
        return call


@pytest.mark.parametrize("line", ["测" * 100_000, "黄" * 50_000 + "：" + "好" * 50_000, "**" + "张" * 90_000 + "：**好",
                                  "# " + "题" * 80_000, "> " + "引" * 80_000, "Q " + "a" * 80_000,
                                  "（" + "注" * 80_000 + "）", "**" + "粗" * 80_000 + "**"])
def test_a_line_is_classified_from_a_bounded_slice(line, monkeypatch):
    """No recogniser hands a regular expression more than a bounded slice of a line (the head,
    or a short line whole), so a megabyte-long line costs what a short one does; speed itself is
    measured by benchmarks/run.py."""
    from analysis.parse import lines as lines_module

    seen: list[int] = []
    for name, value in vars(lines_module).copy().items():
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(lines_module, name, _Spy(value, seen))
    ln = lines_module.classify(lines_module.split_lines(line, 0)[0])
    assert max(seen, default=0) <= 2000, max(seen)
    assert seen or ln.kind is lines_module.Kind.PLAIN  # a plain line may be passed by every pattern (lines.NEEDS)
    assert ln.label_end - ln.start <= lines_module.PREFIX


# --- properties ----------------------------------------------------------------

_pieces = st.sampled_from([
    "Q：", "Q:", "A：", "问：", "答：", "记者：", "主持人(10:05)：", "**张三**：", "**李四：**", "张三：",
    "黄仁勋", "MODERATOR:", "[00:12:31]", "> ", "# ", "**", "：", ":", "？", "?", "\n", "\n\n", "\r\n",
    "\r", " ", "\u3000", "\u00a0", "\u200b", "\t", "你好", "DeepSeek R1", "来源：", "（完）", "我们",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_pieces, st.text(min_size=1, max_size=5)), max_size=40))
def test_every_character_lands_in_exactly_one_turn(pieces):
    text = "".join(pieces)
    rows, _ = parse(text)
    check_tiling(text, rows)
    assert [r["turn_id"] for r in rows] == list(range(len(rows)))
    for r in rows:
        # characters of the text, less those of its unsaid spans (time marks, markup, stage directions)
        said = list(r["text"])
        for s, e in json.loads(r["unsaid"] or "[]"):
            assert r["text_start"] <= s < e <= r["text_end"]
            said[s - r["text_start"]:e - r["text_start"]] = [" "] * (e - s)
        assert r["n_chars"] == sum(1 for c in said if not c.isspace() and c not in words.ZW)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30), st.lists(st.one_of(_pieces, st.text(max_size=5)), max_size=30))
def test_body_start_is_respected(front, pieces):
    text = front + "".join(pieces)
    rows, _ = parse(text, len(front))
    check_tiling(text, rows, len(front))


def test_exchange_ids_follow_questions():
    text = "开场白。\nQ：一？\nA：一。\nQ：二？\nA：二。\nA：补充。"
    rows, _ = parse(text)
    assert [(r["role"], r["exchange_id"]) for r in rows][1:] == [
        ("question", 0), ("answer", 0), ("question", 1), ("answer", 1), ("answer", 1)]
    assert re.fullmatch("<NA>", str(rows[0]["exchange_id"]))


def test_to_turns_from_the_documents_table(raw_dir):
    import pandas as pd

    from analysis.corpus import build

    tables = build(raw_dir)
    pd.testing.assert_frame_equal(to_turns(tables["documents"]), tables["turns"])


_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(
    st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2000\u2028\u3000\u200b\u200c\u200d\u2060\ufeff"
                    "中文黄仁勋㐀\u4dbf\u9fff\uf900\U00020000\U0003134f\U00031350ab1，。！"),
    st.characters()), max_size=60), st.data())
def test_span_counts_agree_with_counting_each_span(text, data):
    """The vectorised counts equal count_chars and a Han regex on every span."""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=8)))
    starts, ends = cuts[:-1], cuts[1:]
    n_chars, n_han = span_counts(text, starts, ends)
    assert list(n_chars) == [count_chars(text[s:e]) for s, e in zip(starts, ends)]
    assert list(n_chars) == [sum(1 for c in text[s:e] if not c.isspace() and c not in words.ZW)
                             for s, e in zip(starts, ends)]
    assert list(n_han) == [len(_HAN_RE.findall(text[s:e])) for s, e in zip(starts, ends)]
