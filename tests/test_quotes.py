"""analysis.quotes: hits by text, tokens and mentions, whole sentences, unsaid spans never quoted, citations."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import build
from analysis.quotes import QUOTE_COLUMNS, format_citation, quotes_markdown, sentence_span, to_quotes, write_quotes

# Offsets below were counted by hand on this text (one Chinese character = one offset).
CHIPS = ("记者：你怎么看英伟达的芯片？\n\n"
         "张三：英伟达很强。我们也用 NVIDIA 的卡 [00:01:02]，价格不低（笑）。“这是真的！”他说。\n\n"
         "记者：OpenAI 呢？\n\n"
         "张三：OpenAI 很好，AI 也很好……我们走着瞧\n")


@pytest.fixture(scope="module")
def chips(tmp_path_factory) -> dict[str, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("chips")
    (folder / "2024-03-05-chips.txt").write_text(CHIPS, encoding="utf-8")
    return build(folder)


def test_a_name_finds_its_other_spellings_in_answers(chips) -> None:
    q = to_quotes(chips, "英伟达")
    assert list(q.columns) == QUOTE_COLUMNS
    # the question's 英伟达 (offset 7) is left out: answers only by default
    assert q[["turn_id", "speaker", "role", "match", "start", "end"]].to_dict("records") == [
        {"turn_id": 1, "speaker": "张三", "role": "answer", "match": "英伟达", "start": 19, "end": 22},
        {"turn_id": 1, "speaker": "张三", "role": "answer", "match": "NVIDIA", "start": 30, "end": 36},
    ]
    assert q["quote"].tolist() == ["英伟达很强。", "我们也用 NVIDIA 的卡，价格不低。"]
    assert q["question"].tolist() == ["你怎么看英伟达的芯片？"] * 2
    assert q[["quote_start", "quote_end"]].values.tolist() == [[19, 25], [25, 59]]
    assert q["term"].tolist() == ["英伟达", "英伟达"]
    assert q["date"].tolist() == ["", ""]  # no date in this file
    # and the English spelling finds the Chinese one
    assert to_quotes(chips, "nvidia")["start"].tolist() == [19, 30]


def test_unsaid_spans_are_never_quoted(chips) -> None:
    assert to_quotes(chips, r"00:01", regex=True).empty  # the time mark is unsaid
    assert to_quotes(chips, "笑").empty                  # so is the stage direction
    row = to_quotes(chips, "价格").iloc[0]
    assert row["quote"] == "我们也用 NVIDIA 的卡，价格不低。"
    # 30 characters either side (21-51 and 53-69, the turn end), then the unsaid spans cut out
    assert row["left"] == "达很强。我们也用 NVIDIA 的卡，" and row["right"] == "不低。“这是真的！”他说。"


def test_latin_terms_are_whole_words_and_closing_quotes_stay(chips) -> None:
    ai = to_quotes(chips, "AI")
    assert ai[["match", "start", "quote"]].values.tolist() == [["AI", 98, "OpenAI 很好，AI 也很好……"]]
    said = to_quotes(chips, "这是真的").iloc[0]
    assert (said["quote"], said["quote_start"], said["quote_end"]) == ("“这是真的！”", 59, 66)
    text = chips["documents"]["text"].iloc[0]
    for r in to_quotes(chips, ["OpenAI", "英伟达", "AI"], roles=None).itertuples():
        assert text[r.start:r.end] == r.match
        assert r.quote_start <= r.start < r.end <= r.quote_end


def test_filters_and_lists(chips) -> None:
    both = to_quotes(chips, ["OpenAI", "英伟达"], roles=None)
    assert both["start"].tolist() == [7, 19, 30, 74, 88]
    assert both["term"].tolist() == ["英伟达", "英伟达", "英伟达", "OpenAI", "OpenAI"]
    assert to_quotes(chips, ["OpenAI", "英伟达"], roles=["question"])["start"].tolist() == [7, 74]
    assert to_quotes(chips, "OpenAI", roles=None, speaker="记者")["turn_id"].tolist() == [2]
    assert to_quotes(chips, re.compile(r"很[强好]"))["match"].tolist() == ["很强", "很好", "很好"]
    with pytest.raises(ValueError, match="unknown doc_id 'nope'"):
        to_quotes(chips, "AI", doc_id="nope")
    with pytest.raises(ValueError, match="empty search term"):
        to_quotes(chips, "  ")


@pytest.mark.parametrize("text, hit, expected", [
    ("第一句。第二句很长！第三句", "第二句", "第二句很长！"),
    ("他说：“好的。”然后走了。", "好的", "他说：“好的。”"),
    ("Mr. Smith met staff in the U.S. last week. Growth was 3.5 times. Really?", "staff",
     "Mr. Smith met staff in the U.S. last week."),
    ("Growth was 3.5 times. Really?", "3.5", "Growth was 3.5 times."),
    ("第一行没有句号\n第二行有词", "有词", "第二行有词"),
    ("等一等……好了", "等", "等一等……"),
])
def test_sentence_span(text: str, hit: str, expected: str) -> None:
    s = text.index(hit)
    a, b = sentence_span(text, s, s + len(hit))
    assert text[a:b] == expected


def test_citation_and_markdown(chips, tmp_path: Path) -> None:
    q = to_quotes(chips, "英伟达").assign(title="芯片访谈", source="晨风财经", date="2024-03-05")
    assert format_citation(q.iloc[0]) == (
        "“英伟达很强。”\n— 张三, answering “你怎么看英伟达的芯片？” · 芯片访谈, 晨风财经, 2024-03-05 "
        "(2024-03-05-chips, characters 19–25)")
    md = quotes_markdown(q, heading="英伟达")
    assert md.startswith("# 英伟达\n\n## 芯片访谈\n\n> “**英伟达**很强。”\n>\n> — 张三")
    assert md.count("> —") == 2
    paths = write_quotes(q, "quotes_nvidia", tmp_path, heading="英伟达")
    assert [p.name for p in paths] == ["quotes_nvidia.csv", "quotes_nvidia.md"]
    assert paths[0].read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(paths[0], encoding="utf-8-sig")["start"].tolist() == [19, 30]
    assert paths[1].read_text(encoding="utf-8") == md
    # a quote that begins like a formula is written so that no spreadsheet runs it
    evil = q.assign(quote=["=HYPERLINK(\"http://x\")", "-1 是答案"])
    cells = pd.read_csv(write_quotes(evil, "evil", tmp_path)[0], encoding="utf-8-sig")["quote"].tolist()
    assert cells == ["'=HYPERLINK(\"http://x\")", "'-1 是答案"]


def test_bundled_transcripts(raw_dir: Path) -> None:
    tables = build(raw_dir)
    q = to_quotes(tables, "英伟达", doc_id="2025-07-16-jensen-huang-press-meeting-full")
    assert len(q) == 13 and set(q["speaker"]) == {"黄仁勋"}
    assert q["match"].value_counts().to_dict() == {"英伟达": 12, "NVIDIA": 1}
    assert not q["quote"].str.contains("（笑）|\\(笑\\)").any()


def test_cli_prints_citations(chips, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "2024-03-05-chips.txt").write_text(CHIPS, encoding="utf-8")
    assert main(["quotes", "NVIDIA", "--raw", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("“英伟达很强。”\n— 张三, answering “你怎么看英伟达的芯片？” (2024-03-05-chips, characters 19–25)\n\n")
    assert "2 quotes of 'NVIDIA' in answer turns" in err
    assert main(["quotes", "OpenAI", "--raw", str(folder), "--role", "question", "--speaker", "记者"]) == 0
    assert capsys.readouterr().out.startswith("“OpenAI 呢？”\n— 记者 (2024-03-05-chips")
    assert main(["quotes", "不存在", "--raw", str(folder)]) == 1


def test_markdown_quotes_a_sentence_once(chips) -> None:
    q = to_quotes(chips, ["很强", "英伟达"])  # two hits in one sentence, one in the next
    assert q["quote_start"].tolist() == [19, 19, 25]
    md = quotes_markdown(q)
    assert md.startswith("## 2024-03-05-chips\n\n> “**英伟达很强**。”\n>\n> — 张三")
    assert md.count("> —") == 2


def test_a_spelling_seen_in_one_document_finds_the_name_in_another(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("记者：芯片呢？\n\n张三：我们用 NVIDIA 的卡。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("记者：合作呢？\n\n李四：英伟达是伙伴。\n", encoding="utf-8")
    q = to_quotes(build(tmp_path), "nvidia")
    assert q[["doc_id", "match"]].values.tolist() == [["a", "NVIDIA"], ["b", "英伟达"]]
