"""analysis.keyness: G² as quanteda's textstat_keyness(measure = "lr") computes it, checked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.corpus import build
from analysis.keyness import FILLERS, KEYNESS_COLUMNS, count_keyness, group_mask, score_keyness

# quanteda's own example dfm: d1 = "a a a b b c c c c c c d e f g h h" (17 words), d2 = "a a b c c d d d d e f h" (12).
EXAMPLE = pd.DataFrame({"term": list("abcdefgh"), "n_target": [3, 2, 6, 1, 1, 1, 1, 2],
                        "n_reference": [2, 1, 2, 4, 1, 1, 0, 1]})


def test_g2_by_hand_with_yates() -> None:
    k = score_keyness(EXAMPLE).set_index("term")
    assert list(score_keyness(EXAMPLE).columns) == KEYNESS_COLUMNS
    # "c": a=6, b=2, c=11, d=10, N=29. E11 = 8*17/29 = 4.69 < 5 and |ad-bc| = 38 >= 14.5, so Yates:
    # ad > bc, a and d lose 0.5, b and c gain it -> 5.5, 2.5, 11.5, 9.5 against E = 4.690, 3.310, 12.310, 8.690.
    # G2 = 2(5.5 ln 1.17279 + 2.5 ln 0.75521 + 11.5 ln 0.93417 + 9.5 ln 1.09325) = 2 * 0.23868 = 0.4774
    assert k.at["c", "G2"] == pytest.approx(0.47735, abs=1e-4)
    # "d": a=1, b=4, c=16, d=8; ad < bc: 1.5, 3.5, 15.5, 8.5 against 2.931, 2.069, 14.069, 9.931;
    # 2(-1.00484 + 1.83999 + 1.50149 - 1.32257) = 2.0282, negative: a < E11 (under-used in the target)
    assert k.at["d", "G2"] == pytest.approx(-2.02808, abs=1e-4)
    assert k.at["c", "n_target"] == 6 and k.at["d", "n_reference"] == 4
    assert (k["total_target"] == 17).all() and (k["total_reference"] == 12).all()
    # Log Ratio: log2((6/17) / (2/12)) for "c"; "g" never occurs in the reference: 0.5 stands in for the zero
    assert k.at["c", "log_ratio"] == pytest.approx(math.log2((6 / 17) / (2 / 12)))
    assert k.at["g", "log_ratio"] == pytest.approx(math.log2((1 / 17) / (0.5 / 12)))
    assert k.at["c", "per_10k_target"] == pytest.approx(6 / 17 * 10_000)
    # sorted as quanteda sorts: G2 high to low
    assert score_keyness(EXAMPLE)["G2"].is_monotonic_decreasing


def test_g2_by_hand_without_correction() -> None:
    # 30 of 1,000 target words against 10 of 2,000 reference words: every expected cell >= 5, no correction.
    # E = 13.333, 26.667, 986.667, 1973.333; G2 = 2(30 ln 2.25 + 10 ln 0.375 + 970 ln 0.98311 + 1990 ln 1.00845)
    counts = pd.DataFrame({"term": ["x", "rest"], "n_target": [30, 970], "n_reference": [10, 1990]})
    k = score_keyness(counts).set_index("term")
    assert k.at["x", "G2"] == pytest.approx(29.4627, abs=1e-3)
    assert score_keyness(counts, correction="none").set_index("term").at["x", "G2"] == pytest.approx(29.4627, abs=1e-3)
    assert k.at["x", "log_ratio"] == pytest.approx(math.log2(6))
    assert k.at["x", "p"] == pytest.approx(5.7e-8, rel=0.05)
    # Williams: q = 1 + (3000/40 + 3000/2960 - 1)(3000/1000 + 3000/2000 - 1) / (6 * 3000) = 1 + 75.0135 * 3.5 / 18000 = 1.014586
    williams = score_keyness(counts, correction="williams").set_index("term").at["x", "G2"]
    assert williams == pytest.approx(29.4627 / 1.014586, abs=1e-3)


def test_p_is_the_chi2_tail() -> None:
    counts = pd.DataFrame({"term": ["x", "rest"], "n_target": [30, 970], "n_reference": [10, 1990]})
    k = score_keyness(counts)
    assert k["p"].iloc[0] == pytest.approx(math.erfc(math.sqrt(k["G2"].iloc[0] / 2)))
    assert math.erfc(math.sqrt(3.841459 / 2)) == pytest.approx(0.05, abs=1e-6)  # the 5% critical value


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="correction='exact'"):
        score_keyness(EXAMPLE, correction="exact")
    with pytest.raises(ValueError, match="nothing to compare"):
        score_keyness(EXAMPLE.assign(n_reference=0))
    with pytest.raises(ValueError, match="lacks column"):
        score_keyness(EXAMPLE.drop(columns="n_target"))


def _tokens(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(role, speaker, norm) per token; stopword and punctuation flags as the segmenter would set them."""
    return pd.DataFrame({
        "doc_id": "d1", "role": [r for r, _, _ in rows], "speaker": [s for _, s, _ in rows],
        "norm": [n for _, _, n in rows], "is_stopword": [n in {"的", "the"} for _, _, n in rows],
        "is_punct": [n in {"，", "。"} for _, _, n in rows],
        "script": ["digit" if n.isdigit() else "han" for _, _, n in rows],
    })


def test_count_keyness_leaves_out_stopwords_punctuation_fillers_numbers() -> None:
    answer = [("answer", "黄", w) for w in ["芯片", "芯片", "芯片", "的", "，", "嗯", "那个", "2025", "市场", "中国"]]
    question = [("question", "记者", w) for w in ["市场", "市场", "中国", "的", "。", "怎么看"]]
    k = count_keyness(_tokens(answer + question), {"role": "answer"}, {"role": "question"}, min_count=1)
    assert set(k["term"]) == {"芯片", "市场", "中国", "怎么看"}
    assert k["total_target"].iloc[0] == 5 and k["total_reference"].iloc[0] == 4  # words compared, not tokens
    assert k["term"].iloc[0] == "芯片" and k["G2"].iloc[0] > 0
    same = score_keyness(pd.DataFrame({"term": ["芯片", "市场", "中国", "怎么看"], "n_target": [3, 1, 1, 0],
                                       "n_reference": [0, 2, 1, 1]}))
    pd.testing.assert_frame_equal(k, same)
    assert {"嗯", "那个", "um", "you know"} <= FILLERS
    # min_count drops rare words after scoring; the totals stay those of all the words compared
    k2 = count_keyness(_tokens(answer + question), {"role": "answer"}, {"role": "question"}, min_count=2)
    assert set(k2["term"]) == {"芯片", "市场", "中国"} and k2["total_reference"].iloc[0] == 4


def test_groups() -> None:
    tokens = _tokens([("answer", "黄", "a"), ("answer", "王", "b"), ("question", "记者", "c")])
    assert group_mask(tokens, {"role": "answer", "speaker": ["黄", "李"]}).tolist() == [True, False, False]
    assert group_mask(tokens, tokens["norm"] == "c").tolist() == [False, False, True]
    with pytest.raises(ValueError, match="no column 'who'"):
        group_mask(tokens, {"who": "黄"})
    # one speaker against everyone else (the reference defaults to all the other tokens)
    k = count_keyness(tokens, {"speaker": "黄"}, min_count=1).set_index("term")
    assert k["n_target"].to_dict() == {"a": 1, "b": 0, "c": 0}
    assert k.at["a", "total_reference"] == 2


def test_bundled_answers_against_questions(raw_dir) -> None:
    tables = build(raw_dir)
    tokens = tables["tokens"][tables["tokens"]["doc_id"] == "2025-07-16-jensen-huang-press-meeting-full"]
    k = count_keyness(tokens, {"role": "answer"}, {"role": "question"})
    assert not k["term"].isin(FILLERS).any()
    top = k.set_index("term")
    assert top.loc[k["term"].iloc[0], "G2"] > 0
    # the counts behind each row are the tokens' own
    words = tokens[~tokens["is_stopword"] & ~tokens["is_punct"]]
    for term in k["term"].head(5):
        assert top.at[term, "n_target"] == ((words["norm"] == term) & (words["role"] == "answer")).sum()
    assert top.at["nvidia", "written"] == "NVIDIA"  # labels show the word as written, counts go by norm
