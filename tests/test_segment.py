"""analysis.segment: turns -> tokens, both engines, offsets, dictionaries."""

from __future__ import annotations

import logging

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import config, segment
from analysis.language import Resources

@pytest.fixture(scope="module")
def seeds(seed_documents, seed_turns):
    """(turns, {doc_id: document text}) of the two bundled transcripts."""
    return seed_turns, dict(zip(seed_documents["doc_id"], seed_documents["text"]))


@pytest.fixture(scope="module")
def tokens(seeds):
    return segment.to_tokens(seeds[0])


def one_turn(text: str, doc_id: str = "d") -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": [doc_id], "turn_id": [0], "exchange_id": pd.array([0], dtype="Int32"), "role": ["answer"],
        "speaker": ["甲"], "text": [text], "text_start": [0],
    })


def full_id(seeds) -> str:
    return next(d for d in seeds[1] if d.endswith("-full"))


# --- the table ------------------------------------------------------------------------

def test_columns_and_compact_dtypes(tokens):
    assert list(tokens.columns) == list(segment.TOKENS)
    for col, dtype in segment.TOKENS.items():
        assert str(tokens[col].dtype) == str(pd.Series(dtype=dtype).dtype) or isinstance(
            tokens[col].dtype, pd.CategoricalDtype), col
    assert isinstance(tokens["token"].dtype, pd.CategoricalDtype)
    assert tokens["start"].dtype == "int32" and tokens["is_punct"].dtype == bool


def test_every_token_is_the_document_text_at_its_offsets(seeds, tokens):
    _, texts = seeds
    for doc_id, start, end, token in zip(tokens["doc_id"], tokens["start"], tokens["end"], tokens["token"]):
        assert texts[doc_id][start:end] == token


def test_tokens_and_whitespace_tile_each_turn(seeds, tokens):
    turns, _ = seeds
    by_turn = {k: g for k, g in tokens.groupby(["doc_id", "turn_id"], observed=True)}
    for turn in turns.itertuples():
        g = by_turn.get((turn.doc_id, turn.turn_id))
        pieces, at = [], turn.text_start
        for start, end, token in zip(g["start"], g["end"], g["token"]) if g is not None else ():
            gap = turn.text[at - turn.text_start:start - turn.text_start]
            assert gap.strip() == "" and (not gap or gap.isspace())
            pieces.append(gap + token)
            at = end
        tail = turn.text[at - turn.text_start:]
        assert tail.isspace() or tail == ""
        assert "".join(pieces) + tail == turn.text


def test_position_numbers_tokens_of_each_document(tokens):
    for _, g in tokens.groupby("doc_id", observed=True):
        assert g["position"].tolist() == list(range(len(g)))
        assert g["start"].is_monotonic_increasing


def test_no_whitespace_tokens(tokens):
    token = tokens["token"].astype(str)
    assert not token.map(segment.is_space).any()
    # Whitespace inside a token only where a user-dictionary term was merged.
    assert set(token[token.str.contains(r"\s", regex=True)]) == {
        "DeepSeek R1", "scaling law", "Agentic AI", "second opinion", "Gemini Pro", "large language model",
        "reinforcement learning", "human feedback", "SU7 Ultra"}


def test_both_engines_give_the_same_table_on_the_seeds(seeds, tokens):
    # HMM off in both: identical, token for token (see segment.HMM).
    assert segment.HMM is False
    pd.testing.assert_frame_equal(segment.to_tokens(seeds[0], engine="jieba"), tokens)


def test_unknown_engine_is_refused(seeds):
    with pytest.raises(ValueError, match="engine"):
        segment.to_tokens(seeds[0], engine="pkuseg")


# --- hand-checked on the full seed ----------------------------------------------------

@pytest.mark.parametrize("term, expected", [
    ("DeepSeek R1", 5),   # all five in answers, one followed by an NBSP
    ("Agentic AI", 1),
    ("scaling law", 1),
    ("SU7 Ultra", 1),     # 小米SU7 Ultra: 小米 + SU7 Ultra
    ("second opinion", 1),
    ("Gemini Pro", 0),    # glued by lost punctuation: "OpenAIGemini ProClaude" are two tokens
])
def test_user_dictionary_terms_stay_whole(seeds, tokens, term, expected):
    full = tokens[tokens["doc_id"] == full_id(seeds)]
    assert (full["norm"] == segment.normalize(term)).sum() == expected


def test_ai_counted_as_a_word(seeds, tokens):
    # By hand (regex on the raw file, then checked against the turns): 39 standalone
    # "AI" in question and answer turns (3 + 36); one of them belongs to "Agentic AI".
    full = tokens[(tokens["doc_id"] == full_id(seeds)) & tokens["role"].isin(["question", "answer"])]
    assert (full["token"] == "AI").sum() == 38


def test_top_words_are_words(seeds, tokens):
    words = tokens[~tokens["is_stopword"] & ~tokens["is_punct"]]
    top = words["norm"].value_counts().head(20).index.astype(str).tolist()
    assert top[0] == "ai"
    assert "的" not in top and not any(segment.is_punct(w) for w in top)
    assert {"英伟达", "中国", "技术", "公司"} <= set(top)


def test_punctuation_is_flagged_not_dropped(tokens):
    punct = tokens[tokens["is_punct"]]["token"].astype(str)
    assert {"，", "。", ",", "?", "—"} <= set(punct)
    assert (tokens["token"] == "的").any() and tokens.loc[tokens["token"] == "的", "is_stopword"].all()


# --- small texts ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("黄仁勋说英伟达的 DeepSeek R1。", ["黄仁勋", "说", "英伟达", "的", "DeepSeek R1", "。"]),
    ("Agentic\u00a0AI和agentic  ai", ["Agentic\u00a0AI", "和", "agentic  ai"]),
    ("小米SU7 Ultra很好", ["小米", "SU7 Ultra", "很", "好"]),
    ("涨了3.5倍，1,000,000人", ["涨", "了", "3.5", "倍", "，", "1,000,000", "人"]),
    ("版本1.2.3", ["版本", "1", ".", "2", ".", "3"]),
    ("见https://a.b/c?d=1.", ["见", "https://a.b/c?d=1", "."]),
    ("ＡＩ和Ｈ２０", ["ＡＩ", "和", "Ｈ２０"]),
    ("中\u3000国\u200b人 \r\n好", ["中", "国", "人", "好"]),
    ("DeepSeek R10", ["DeepSeek", "R10"]),
])
def test_tokenize(text, expected):
    assert [t for t, _, _ in segment.tokenize(text)] == expected


@pytest.mark.parametrize("word, norm, script, punct", [
    ("DeepSeek", "deepseek", "latin", False),
    ("ＡＩ", "ai", "latin", False),
    ("Agentic\u00a0AI", "agentic ai", "latin", False),
    ("英伟达", "英伟达", "han", False),
    ("小米SU7", "小米su7", "han", False),
    ("2025", "2025", "digit", False),
    ("3.5", "3.5", "digit", False),
    ("，", ",", "other", True),
    ("%", "%", "other", True),
    ("https://x.y/z", "https://x.y/z", "other", False),
])
def test_word_attributes(word, norm, script, punct):
    assert segment.word_info(word)[:3] == (norm, script, punct)


def test_case_kept_in_token_folded_in_norm():
    tok = segment.to_tokens(one_turn("NVIDIA、Nvidia和nvidia"))
    latin = tok[tok["script"] == "latin"]
    assert latin["token"].astype(str).tolist() == ["NVIDIA", "Nvidia", "nvidia"]
    assert set(latin["norm"].astype(str)) == {"nvidia"}


def test_offsets_are_document_offsets():
    turns = one_turn("黄仁勋：英伟达").assign(text="英伟达", text_start=4)
    tok = segment.to_tokens(turns)
    assert tok[["token", "start", "end"]].astype({"token": str}).values.tolist() == [["英伟达", 4, 7]]


def test_empty_input_gives_an_empty_table():
    assert list(segment.to_tokens(one_turn("").iloc[:0]).columns) == list(segment.TOKENS)
    assert segment.to_tokens(one_turn("  \u3000\n")).empty


def test_user_dictionary_file_adds_words(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("# mine\n星河科技 1000 nt\nAcme Robotics 100 nz\n", encoding="utf-8")
    text = "星河科技和Acme Robotics合作"
    assert [t for t, _, _ in segment.tokenize(text)][:1] != ["星河科技"]
    tok = segment.to_tokens(one_turn(text), userdict=path)
    assert tok["token"].astype(str).tolist() == ["星河科技", "和", "Acme Robotics", "合作"]
    assert tok.equals(segment.to_tokens(one_turn(text), userdict=path, engine="jieba"))


@pytest.mark.parametrize("line, expected", [
    ("英伟达 2000 nt", ("英伟达", 2000, "nt")),
    ("英伟达", ("英伟达", None, None)),
    ("英伟达 2000", ("英伟达", 2000, None)),
    ("DeepSeek R1 1000 nz", ("DeepSeek R1", 1000, "nz")),
    ("scaling law", ("scaling law", None, None)),
    ("second opinion\t10\tn", ("second opinion", 10, "n")),
])
def test_read_userdict_lines(tmp_path, line, expected):
    path = tmp_path / "d.txt"
    path.write_text(f"# comment\n\n{line}\n", encoding="utf-8")
    row = segment.read_userdict(path).iloc[0]
    got = (row["word"], None if pd.isna(row["freq"]) else int(row["freq"]), None if pd.isna(row["tag"]) else row["tag"])
    assert got == expected


def test_shipped_user_dictionary_parses():
    entries = segment.read_userdict(Resources(None).shipped_files("userdict")[0])
    assert entries["word"].is_unique
    assert {"DeepSeek R1", "Agentic AI", "scaling law", "SU7 Ultra", "黄仁勋", "英伟达", "出口管制"} <= set(entries["word"])
    assert entries["freq"].notna().all()  # explicit frequencies: both engines agree on them


def test_extra_stopwords(tmp_path):
    path = tmp_path / "stop.txt"
    path.write_text("公司\n", encoding="utf-8")
    tok = segment.to_tokens(one_turn("英伟达公司"), stopwords=path)
    assert tok["is_stopword"].tolist() == [False, True]


def test_jieba_is_quiet_and_caches_in_the_project(tmp_path, monkeypatch, capfd):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    segment.load_engine("jieba", Resources(None))  # a new object: loaded now, with this cache folder
    assert (tmp_path / "cache" / "jieba.cache").is_file()
    err = capfd.readouterr().err
    assert "prefix dict" not in err and "Loading model" not in err
    assert logging.getLogger("jieba").level >= logging.WARNING


def test_memory_is_a_few_dozen_bytes_per_token(seeds):
    turns, _ = seeds
    many = pd.concat([turns.assign(doc_id=turns["doc_id"] + f"-{k}") for k in range(30)], ignore_index=True)
    tok = segment.to_tokens(many)
    assert tok.memory_usage(deep=True).sum() / len(tok) < 60


def test_turn_index(seeds, tokens):
    turns, _ = seeds
    tix = segment.turn_index(tokens, turns)
    assert (turns["turn_id"].to_numpy()[tix] == tokens["turn_id"].to_numpy()).all()
    assert (turns["doc_id"].to_numpy()[tix] == tokens["doc_id"].astype(str).to_numpy()).all()


# --- properties -------------------------------------------------------------------------------

MIXED = st.lists(
    st.sampled_from([
        "中国", "美国", "英伟达", "黄仁勋", "大模型", "推理", "的", "了", "是", "我", "AI", "ai", "DeepSeek", "R1",
        "Agentic", "scaling", "law", "OpenAI", "H20", "3.5", "1,000", "2025", " ", "  ", "\u00a0", "\u3000", "\t",
        "\n", "\r\n", "，", "。", "：", ",", ".", "-", "%", "ＡＩ", "１", "㐀", "\U00020000", "😀", "\u200b", "é",
        "https://x.cn/a", "龥", "\u9fd6",
    ]),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MIXED)
def test_offsets_hold_on_random_mixed_text(text):
    toks = segment.tokenize(text)
    at = 0
    for token, start, end in toks:
        assert text[start:end] == token and start >= at
        assert text[at:start].strip() == "" or all(c.isspace() or c in "\u200b" for c in text[at:start])
        assert not segment.is_space(token)
        at = end
    assert all(c.isspace() or c in "\u200b" for c in text[at:])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MIXED)
def test_engines_agree_on_random_mixed_text(text):
    assert segment.tokenize(text, engine="jieba") == segment.tokenize(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MIXED, min_size=1, max_size=5))
def test_document_offsets_on_random_turns(texts):
    """Turns behind speaker labels: offsets point into the document, labels are never tokens."""
    doc, rows = "", []
    for i, text in enumerate(texts):
        label = "记者：" if i % 2 == 0 else "黄仁勋："
        doc += label
        rows.append({"doc_id": "d", "turn_id": i, "exchange_id": i // 2, "role": "question" if i % 2 == 0 else "answer",
                     "speaker": label[:-1], "text": text, "text_start": len(doc)})
        doc += text + "\n"
    turns = pd.DataFrame(rows).astype({"exchange_id": "Int32"})
    tok = segment.to_tokens(turns)
    assert tok["position"].tolist() == list(range(len(tok)))
    for start, end, token, turn_id in zip(tok["start"], tok["end"], tok["token"], tok["turn_id"]):
        assert doc[start:end] == token
        row = rows[turn_id]
        assert row["text_start"] <= start and end <= row["text_start"] + len(row["text"])


def test_word_tags_from_jieba_and_user_dictionaries(tmp_path):
    """Values from jieba's dict.txt, overridden by user dictionaries field by field."""
    user = tmp_path / "user.txt"
    user.write_text("星河科技 10 nt\n毛利 7\n高明\t\tnz\n", encoding="utf-8")
    words = ["的", "毛利", "高明", "成龙", "星河科技", "英伟达", "B超", "没有这个词"]
    plain = segment.word_tags(words)
    assert plain["freq"].tolist()[:4] == [318825, 75, 791, 56]
    assert plain["tag"].tolist()[:4] == ["uj", "nr", "nr", "nr"]
    assert plain.loc[4:5, "source"].isna().tolist() == [True, False]  # 英伟达 is in the shipped userdict
    assert plain.loc[5, "tag"] == "nt" and plain.loc[5, "source"] == "user"
    assert plain.loc[6, "source"] == "jieba"  # listed twice in dict.txt
    assert plain.loc[7].isna().all()
    mine = segment.word_tags(words, userdict=user)
    assert mine.loc[1, ["freq", "tag", "source"]].tolist() == [7, "nr", "user"]  # freq from the user, tag from jieba
    assert mine.loc[2, ["freq", "tag", "source"]].tolist() == [791, "nz", "user"]  # tag from the user
    assert mine.loc[4, ["freq", "tag", "source"]].tolist() == [10, "nt", "user"]
