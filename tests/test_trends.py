"""analysis.trends: counts per month or quarter on a generated corpus whose counts are known by hand."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import build
from analysis.trends import TREND_COLUMNS, count_over_time, document_counts
from press_corpus import COPIES, DOC_IDS, EXPECTED, UNDATED, answer_chars, write_press_corpus


@pytest.fixture(scope="module")
def press(tmp_path_factory) -> dict[str, pd.DataFrame]:
    return build(write_press_corpus(tmp_path_factory.mktemp("press")))


def test_monthly_counts_per_10k_characters(press, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="analysis.trends"):
        out = count_over_time(press, entities=["英伟达", "华为"])
    assert list(out.columns) == TREND_COLUMNS
    assert "1 document(s) without a date, left out of the counts over time: briefing-undated" in caplog.text
    assert out.attrs["undated"] == UNDATED and out.attrs["copies"] == COPIES
    for name, i in (("英伟达", 0), ("华为", 1)):
        rows = out[out["series"] == name].set_index("period")
        assert rows.index.tolist() == list(EXPECTED)  # March is there, without documents
        for period, expected in EXPECTED.items():
            n, docs = expected[i], expected[2]
            assert rows.at[period, "n_documents"] == docs
            if n is None:  # no document: a gap, not a zero
                assert pd.isna(rows.at[period, "n"]) and pd.isna(rows.at[period, "per_10k"])
            else:
                assert rows.at[period, "n"] == n
                assert rows.at[period, "answer_chars"] == answer_chars(period)
                assert rows.at[period, "per_10k"] == pytest.approx(n / answer_chars(period) * 10_000)
    assert out["kind"].unique().tolist() == ["entity"]
    assert out["period_start"].iloc[:4].tolist() == ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]


def test_quarters_copies_and_words(press) -> None:
    q = count_over_time(press, entities=["英伟达"], freq="Q").set_index("period")
    assert q["n"].to_dict() == {"2024Q1": 4, "2024Q2": 1}
    assert q["n_documents"].to_dict() == {"2024Q1": 3, "2024Q2": 1}
    with_copies = count_over_time(press, entities=["英伟达"], count_copies=True).set_index("period")
    assert with_copies.at["2024-01", "n"] == 5 and with_copies.at["2024-01", "n_documents"] == 3  # the excerpt's one
    words = count_over_time(press, entities=["英伟达"], per="words").set_index("period")
    assert words.at["2024-01", "per_10k"] == pytest.approx(4 / words.at["2024-01", "answer_words"] * 10_000)


def test_terms_topics_and_roles(press) -> None:
    # 公平 is said on 10 January (公平竞争) and on 2 April; February's documents do not say it: 0, March: no documents
    terms = count_over_time(press, terms=["公平"]).set_index("period")
    assert terms["n"].fillna(-1).to_dict() == {"2024-01": 1, "2024-02": 0, "2024-03": -1, "2024-04": 1}
    assert terms["kind"].unique().tolist() == ["term"]
    # questions name 英伟达 on 10 January; the answers-only default leaves it out
    asked = count_over_time(press, entities=["英伟达"], roles=["question"]).set_index("period")
    assert asked.at["2024-01", "n"] == 1
    per_doc = document_counts(press, entities=["华为"]).set_index("doc_id")["n"]
    assert per_doc["briefing-feb"] == 3 and per_doc["briefing-0125"] == 0


def test_bad_arguments(press) -> None:
    with pytest.raises(ValueError, match="freq='W'"):
        count_over_time(press, entities=["英伟达"], freq="W")
    with pytest.raises(ValueError, match="nothing to count"):
        count_over_time(press)
    with pytest.raises(ValueError, match="per='lines'"):
        count_over_time(press, entities=["英伟达"], per="lines")


def test_dated_documents_are_the_expected_ones(press) -> None:
    from analysis.dates import add_dates

    dated = add_dates(press["documents"]).set_index("doc_id")
    assert dated.loc[DOC_IDS["2024-01"], "date_from"].tolist() == ["file name", "front matter"]
    assert dated.at["briefing-feb", "date_norm"] == "2024-02-08" and dated.at["briefing-feb", "date_from"] == "lead"
    assert dated.at["briefing-april", "date_from"] == "header line"


def test_topics_count_keyword_hits_in_the_answers(press) -> None:
    # "Competition": 竞争 in the 2 April answer; 公平竞争 on 10 January is one token, not the keyword
    out = count_over_time(press, topics=["Competition", "Chips and export controls"]).set_index(["series", "period"])
    assert out.loc["Competition", "n"].fillna(-1).tolist() == [0, 0, -1, 1]
    assert out.loc["Chips and export controls", "n"].fillna(-1).tolist() == [0, 0, -1, 0]  # only the questions
    asked = count_over_time(press, topics=["Chips and export controls"], roles=["question"]).set_index("period")
    assert asked["n"].fillna(-1).tolist() == [2, 0, -1, 2]


def test_every_point_names_its_documents(press) -> None:
    out = count_over_time(press, entities=["英伟达"]).set_index("period")
    assert out["doc_ids"].to_dict() == {p: "; ".join(sorted(DOC_IDS.get(p, []))) for p in EXPECTED}
