"""analysis.entities: registry aliases and detected names -> mentions."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import config, entities, segment
from analysis.language import Resources
from analysis.load import read_transcript
from analysis.parse import to_turns

SEEDS = ("2025-07-16-jensen-huang-press-meeting-excerpt.md", "2025-07-16-jensen-huang-press-meeting-full.txt")

# A transcript the registry knows nothing about (made-up people and companies).
MADE_UP = (
    "记者：王建国先生，星河科技今年的营收增长很快，您和李明是怎么认识的？\n"
    "王建国：我和李明是大学同学。2015年我们一起创办了星河科技公司，后来又成立了蓝鲸资本。\n"
    "记者：听说张伟华也加入了星河科技？\n"
    "王建国：是的，张伟华现在负责星河科技的研发。我们和北辰集团、Acme公司也有合作，欧阳娜娜也来过。赵卫东和刘德发也是。\n"
)


def docs_to_turns(docs) -> tuple[pd.DataFrame, dict[str, str]]:
    frame = pd.DataFrame({"doc_id": [d[0] for d in docs], "text": [d[1] for d in docs],
                          "body_start": [d[2] for d in docs]})
    return to_turns(frame), {d[0]: d[1] for d in docs}


@pytest.fixture(scope="module")
def seeds():
    docs = [read_transcript(config.RAW_DIR / name) for name in SEEDS]
    turns, texts = docs_to_turns([(d.doc_id, d.text, d.body_start) for d in docs])
    mentions = entities.to_mentions(turns, segment.to_tokens(turns))
    return turns, texts, mentions


@pytest.fixture(scope="module")
def full(seeds):
    return next(d for d in seeds[1] if d.endswith("-full"))


def one_turn(text: str, speaker: str = "甲") -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["d"], "turn_id": [0], "exchange_id": pd.array([0], dtype="Int32"), "role": ["answer"],
        "speaker": [speaker], "text": [text], "text_start": [0],
    })


def mentioned(text: str, **kw) -> list[tuple[str, str]]:
    m = entities.to_mentions(one_turn(text), **kw)
    return list(zip(m["entity"], m["surface"]))


def registry(tmp_path, rows: str):
    path = tmp_path / "reg.csv"
    path.write_text("entity,type,alias\n" + rows, encoding="utf-8")
    return path


# --- invariants on the seeds -------------------------------------------------------------------

def test_columns(seeds):
    m = seeds[2]
    assert list(m.columns) == list(entities.MENTIONS)
    assert m["start"].dtype == "int32" and isinstance(m["entity_type"].dtype, pd.CategoricalDtype)


def test_surface_is_the_text_and_lies_in_one_turn_text(seeds):
    turns, texts, m = seeds
    for row in m.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.surface
        inside = turns[(turns["doc_id"] == row.doc_id) & (turns["text_start"] <= row.start)
                       & (turns["text_end"] >= row.end)]
        assert inside["turn_id"].tolist() == [row.turn_id]


def test_no_mention_in_a_speaker_label(seeds, full):
    turns, texts, m = seeds
    f = m[(m["doc_id"] == full) & (m["entity"] == "黄仁勋")]
    # 15 黄仁勋 in the file: 13 answer labels, the lead (北京时间7月16日,黄仁勋...), and 老黄.
    assert texts[full].count("黄仁勋") == 15
    assert sorted(f["surface"]) == ["老黄", "黄仁勋"]
    assert (f["role"] == "narration").all()


def test_mentions_do_not_overlap(seeds):
    m = seeds[2].sort_values(["doc_id", "start"])
    for _, g in m.groupby("doc_id"):
        assert (g["start"].to_numpy()[1:] >= g["end"].to_numpy()[:-1]).all()


# --- counted by hand on the full seed (grep, then which turn each one is in) ----------------------

@pytest.mark.parametrize("entity, total, in_answers, surfaces", [
    # 英伟达 x17 + NVIDIA x3: 3+2 in questions, 2 in the lead, 12+1 in answers
    ("英伟达", 20, 13, {"英伟达": 17, "NVIDIA": 3}),
    # lead, 你对华为在系统层面..., 华为的芯片设计..., 而华为有自己的云平台
    ("华为", 4, 2, {"华为": 4}),
    # lead, 你这次见了雷军,和雷军聊了什么?, 雷军当然非常懂技术
    ("雷军", 4, 1, {"雷军": 4}),
    # all five DeepSeek R1 in answers; DeepSeek alone: 2 in the lead, 1 question, 3 answers
    ("DeepSeek R1", 5, 5, None),
    ("DeepSeek", 6, 3, {"DeepSeek": 6}),
    # glued by lost punctuation in this copy: OpenAIGemini ProClaude\xa0Perplexity
    ("OpenAI", 1, 1, {"OpenAI": 1}),
    ("Gemini", 1, 1, {"Gemini Pro": 1}),
    ("Claude", 1, 1, {"Claude": 1}),
    ("Perplexity", 1, 1, {"Perplexity": 1}),
    ("腾讯", 1, 0, {"腾讯": 1}),
    ("SU7 Ultra", 1, 1, {"SU7 Ultra": 1}),
    ("微信", 1, 1, {"WeChat": 1}),
    ("中国", 18, 10, None),
    ("美国", 5, 2, None),
])
def test_counts_in_the_full_seed(seeds, full, entity, total, in_answers, surfaces):
    m = seeds[2]
    f = m[(m["doc_id"] == full) & (m["entity"] == entity)]
    assert len(f) == total
    assert (f["role"] == "answer").sum() == in_answers
    assert (f["source"] == "registry").all()
    if surfaces is not None:
        assert f["surface"].value_counts().to_dict() == surfaces


def test_excerpt_lists_the_four_tools(seeds):
    m = seeds[2]
    ex = m[m["doc_id"].str.endswith("-excerpt") & (m["exchange_id"] == 1) & (m["role"] == "answer")]
    assert ex["entity"].tolist()[:4] == ["OpenAI", "Gemini", "Claude", "Perplexity"]


def test_count_mentions(seeds):
    counts = entities.count_mentions(seeds[2])
    top = counts.iloc[0]
    assert (top["entity"], top["n"]) == ("英伟达", 22)  # 20 in the full copy, 英伟达+NVIDIA in the excerpt's quote
    assert (counts["n"] >= counts["n_question"] + counts["n_answer"]).all()  # the rest is narration


# --- matching rules ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("英伟达、NVIDIA、Nvidia、nvidia、辉达、輝達", ["英伟达"] * 6),
    ("黃仁勳和Jensen Huang", ["黄仁勋", "黄仁勋"]),
    ("DeepSeek R1 比 DeepSeek 强，DeepSeek-R1 也是", ["DeepSeek R1", "DeepSeek", "DeepSeek R1"]),
    ("DeepSeek R10", ["DeepSeek"]),          # longest alias whose end is a word boundary
    ("提高通过率", []),                         # 高通 would start inside the word 提高
    ("中国政府和美国公司", ["中国", "美国"]),     # an alias may end inside a token
    ("OpenAIGemini ProClaude Perplexity", ["OpenAI", "Gemini", "Claude", "Perplexity"]),
    ("DeepSeekAI很强", []),                    # glued to a non-alias: not a chain
    ("OpenAI的GPT-4o", ["OpenAI", "GPT-4o"]),
    ("我用WeChat和微信", ["微信", "微信"]),
])
def test_registry_rules(text, expected):
    assert [e for e, _ in mentioned(text, detect=False)] == expected


def test_latin_alias_is_a_whole_word(tmp_path):
    path = registry(tmp_path, "AI,other,AI\n")
    got = mentioned("AI 和 OpenAI 和 AIGC 和 ai", registry=path, detect=False)
    assert got == [("AI", "AI"), ("OpenAI", "OpenAI"), ("AI", "ai")]


def test_extra_registry_and_ignore(tmp_path):
    path = registry(tmp_path, "星河科技,organisation,星河科技\n星河科技,organisation,Galaxy Tech\n王建国,ignore,王建国\n")
    got = entities.to_mentions(one_turn("王建国说星河科技和galaxy tech"), registry=path)
    assert list(zip(got["entity"], got["surface"], got["source"])) == [
        ("星河科技", "星河科技", "registry"), ("星河科技", "galaxy tech", "registry")]


def test_bad_registry_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown entity type"):
        entities.read_registry(registry(tmp_path, "x,company,x\n"))


def test_shipped_registry():
    reg = entities.load_registry()
    assert not reg["key"].duplicated().any()
    by_alias = dict(zip(reg["alias"], reg["entity"]))
    assert by_alias["NVIDIA"] == by_alias["辉达"] == by_alias["輝達"] == "英伟达"
    assert by_alias["Jensen Huang"] == by_alias["老黄"] == by_alias["黃仁勳"] == "黄仁勋"
    assert by_alias["WeChat"] == "微信" and by_alias["Huawei"] == "华为"


# --- detection -------------------------------------------------------------------------------------

def test_made_up_transcript_yields_people_and_organisations():
    turns, texts = docs_to_turns([("made-up", MADE_UP, 0)])
    m = entities.to_mentions(turns)
    assert (m["source"] == "detected").all()
    people = set(m.loc[m["entity_type"] == "person", "entity"])
    orgs = set(m.loc[m["entity_type"] == "organisation", "entity"])
    assert people == {"王建国", "李明", "张伟华", "欧阳娜娜", "赵卫东", "刘德发"}
    assert orgs == {"星河科技", "蓝鲸资本", "北辰集团", "Acme"}
    assert m.loc[m["entity"] == "星河科技", "surface"].tolist() == ["星河科技", "星河科技公司", "星河科技", "星河科技"]
    # The speakers' labels (王建国：) are not mentions; 王建国先生 in the first question is.
    assert (m["entity"] == "王建国").sum() == 1
    for row in m.itertuples():
        assert texts["made-up"][row.start:row.end] == row.surface


def test_detected_names_on_the_seeds_without_the_registry(seeds, tmp_path):
    """Reviewed by eye: with an empty registry, what the detector finds on the seeds."""
    empty = Resources(None, registry=registry(tmp_path, ""), replace={"registry"})
    m = entities.to_mentions(seeds[0], resources=empty)
    found = set(zip(m["entity"], m["entity_type"].astype(str)))
    assert {("黄仁勋", "person"), ("雷军", "person"), ("张小珺", "person"), ("英伟达", "organisation"),
            ("华为", "organisation"), ("腾讯", "organisation"), ("DeepSeek", "other"),
            ("SU7 Ultra", "product")} <= found
    assert {e for e, t in found if t == "person"} == {"黄仁勋", "老黄", "雷军", "张小珺"}
    assert {e for e, t in found if t == "place"} == set()
    # Word-like names the detector must not report: 上市 (ns), 安全性 / 荣幸 / 古董 (nr in jieba's dict).
    assert not {e for e, _ in found} & {"上市", "安全性", "荣幸", "古董", "权威", "段时间", "AIcybersecurity"}


@pytest.mark.parametrize("text, expected", [
    # Two-character dictionary "names" need a cue: 毛利 (margin) and 高明 are tagged nr too.
    ("王菲说她的毛利很高，高明的方法。", [("王菲", "person")]),
    ("导演成龙来了", [("成龙", "person")]),
    ("远山资本和青石创投领投", [("远山资本", "organisation"), ("青石创投", "organisation")]),
    ("软件公司和一家全球公司", []),          # generic words before 公司 are not names
    ("SaaS 和 CEO 和 AIcybersecurity", [("SaaS", "other")]),
])
def test_detection_rules(text, expected):
    m = entities.to_mentions(one_turn(text))
    assert list(zip(m["entity"], m["entity_type"].astype(str))) == expected


def test_detected_never_overlaps_the_registry():
    m = entities.to_mentions(one_turn("英伟达公司和华为集团"))
    assert list(zip(m["entity"], m["source"])) == [("英伟达", "registry"), ("华为", "registry")]


def test_detect_off():
    assert entities.to_mentions(one_turn("李明和星河科技"), detect=False).empty


def test_empty_turns():
    out = entities.to_mentions(one_turn("").iloc[:0])
    assert out.empty and list(out.columns) == list(entities.MENTIONS)


FRAGMENTS = st.lists(st.sampled_from([
    "英伟达", "NVIDIA", "nvidia", "OpenAI", "Gemini Pro", "Claude", "DeepSeek", " R1", "R10", "AI", "华为", "中国政府",
    "提高", "通过", "李明", "星河科技", "公司", "的", "，", " ", "\u00a0", "\n", "说", "王菲", "Acme", "Pro",
]), max_size=25).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, min_size=1, max_size=4))
def test_mention_offsets_on_random_turns(texts):
    doc, rows = "", []
    for i, text in enumerate(texts):
        label = "黄仁勋：" if i % 2 else "Q："
        doc += label
        rows.append({"doc_id": "d", "turn_id": i, "exchange_id": i // 2, "role": "answer" if i % 2 else "question",
                     "speaker": label[:-1], "text": text, "text_start": len(doc)})
        doc += text + "\n"
    turns = pd.DataFrame(rows).astype({"exchange_id": "Int32"})
    m = entities.to_mentions(turns)
    ends = -1
    for row in m.itertuples():
        assert doc[row.start:row.end] == row.surface
        turn = rows[row.turn_id]
        assert turn["text_start"] <= row.start and row.end <= turn["text_start"] + len(turn["text"])
        assert row.start >= ends
        ends = row.end
