"""analysis.notebook: the notebooks' one set-up call, and the invariants the notebooks used to assert.

The notebooks keep one short visible check each; what they checked on every run
before (counts that agree between tables, offsets that lead back to the text,
the hand-checked numbers of the bundled transcripts) is checked here, on the
tables ``notebook.start`` gives them.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from analysis import config, notebook
from analysis.corpus import shared_questions
from analysis.language import Resources

FULL, EXCERPT = "2025-07-16-jensen-huang-press-meeting-full", "2025-07-16-jensen-huang-press-meeting-excerpt"


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")  # start() builds with the cache


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    with warnings.catch_warnings(), pytest.MonkeyPatch.context() as mp:  # start() turns the glyph warning into an error
        mp.setattr(config, "CACHE_DIR", out / "cache")
        s = notebook.start(None, out, None, "zh", resources=Resources(None), workers=1)
        glyph_filters = [f for f in warnings.filters if f[0] == "error" and f[1] is not None
                         and f[1].pattern.startswith("Glyph")]
    s.glyph_filters = glyph_filters
    return s


def test_start_sets_up_what_every_notebook_needs(session, tmp_path, capsys):
    assert session.glyph_filters, "a missing glyph must fail the notebook"
    assert session.data_dir == config.RAW_DIR
    assert session.doc_id == FULL and session.chosen_by == "picked automatically: the most exchanges"
    assert set(session.doc["turns"]["doc_id"]) == {FULL}
    assert len(session.tables["documents"]) == 2


def test_start_prints_the_choice_and_refuses_an_unknown_document(tmp_path, capsys):
    with warnings.catch_warnings():
        s = notebook.start(None, tmp_path, EXCERPT, "en", resources=Resources(None), workers=1)
        printed = capsys.readouterr().out
        assert f"Document shown from here on: {EXCERPT} (set by DOC_ID; 3 exchanges)." in printed
        assert f"Also loaded, left out from here on: {FULL} (14 exchanges)" in printed
        assert s.out_dir == config.ROOT / tmp_path  # absolute stays absolute
        with pytest.raises(ValueError, match="unknown doc_id 'nope'"):
            notebook.start(None, tmp_path, "nope", resources=Resources(None), workers=1)
        empty = tmp_path / "empty"
        empty.mkdir()
        with pytest.raises(ValueError, match="no transcript could be read"):
            notebook.start(empty, tmp_path, None, resources=Resources(None), workers=1)


def test_export_chart_uses_the_sessions_resources(tmp_path):
    """The bug of issue 10: your topic's label_zh on the chart, as ``analysis charts`` shows it."""
    mine = tmp_path / "resources"
    mine.mkdir()
    (mine / "topics.yaml").write_text("Nvidia itself:\n  label_zh: 英伟达本身\n  keywords: [英伟达]\n", encoding="utf-8")
    with warnings.catch_warnings():
        s = notebook.start(None, tmp_path / "figures", None, "zh", resources=Resources(mine), workers=1)
        s.export_chart("topic_frequency_by_exchange")
    data = pd.read_csv(tmp_path / "figures" / "topic_frequency_by_exchange.csv", encoding="utf-8-sig")
    assert data.set_index("topic").at["Nvidia itself", "topic_label"] == "英伟达本身"
    files = s.files()
    assert "topic_frequency_by_exchange.csv" in set(files["file"]) and (files["bytes"] > 0).all()


# --- what notebook 01 asserted ---------------------------------------------------------------

def test_counts_agree_and_turns_lead_back_to_the_text(session):
    documents, turns, exchanges = (session.tables[k] for k in ("documents", "turns", "exchanges"))
    by_doc = documents.set_index("doc_id")
    text_of = by_doc["text"]
    assert (turns.groupby("doc_id").size().reindex(by_doc.index, fill_value=0) == by_doc["n_turns"]).all()
    assert (turns.groupby("doc_id")["exchange_id"].nunique().reindex(by_doc.index, fill_value=0) == by_doc["n_exchanges"]).all()
    assert (exchanges.groupby("doc_id").size().reindex(by_doc.index, fill_value=0) == by_doc["n_exchanges"]).all()
    assert (turns["turn_id"] == turns.groupby("doc_id").cumcount()).all()
    assert all(text_of[d][s:e] == t for d, s, e, t in zip(turns["doc_id"], turns["text_start"], turns["text_end"], turns["text"]))
    assert ((turns["start"] <= turns["text_start"]) & (turns["text_start"] <= turns["text_end"])
            & (turns["text_end"] <= turns["end"])).all()
    next_start = turns.groupby("doc_id")["start"].shift(-1)
    assert (next_start.isna() | (next_start >= turns["end"])).all(), "turns overlap"
    covered = pd.Series([len("".join(text_of[d][s:e].split())) for d, s, e in zip(turns["doc_id"], turns["start"], turns["end"])])
    assert (covered.groupby(turns["doc_id"].to_numpy()).sum().reindex(by_doc.index, fill_value=0) == by_doc["n_chars"]).all()


def test_exchanges_open_with_their_question(session):
    turns = session.tables["turns"]
    in_exchange = turns.dropna(subset=["exchange_id"])
    per_exchange = in_exchange.groupby(["doc_id", "exchange_id"])["role"]
    assert per_exchange.first().eq("question").all(), "an exchange does not open with a question"
    block_starts = in_exchange["role"].eq("question") & per_exchange.shift().ne("question")
    assert block_starts.groupby([in_exchange["doc_id"], in_exchange["exchange_id"]]).sum().le(1).all()
    assert turns.loc[turns["exchange_id"].isna(), "role"].eq("narration").all()


def test_hand_checked_numbers_of_the_bundled_transcripts(session):
    by_doc = session.tables["documents"].set_index("doc_id")
    turns = session.tables["turns"]
    shared = shared_questions(session.tables["exchanges"])
    assert by_doc.at[FULL, "n_exchanges"] == 14 and by_doc.at[FULL, "n_turns"] == 29
    assert by_doc.at[EXCERPT, "n_exchanges"] == 3
    roles = turns[turns["doc_id"] == FULL]["role"].value_counts()
    assert roles[roles > 0].to_dict() == {"question": 14, "answer": 14, "narration": 1}
    assert by_doc.at[FULL, "warnings"].count("speaker label without a colon") == 2
    assert set(shared.loc[shared["doc_id"] == EXCERPT, "exchange_id"]) == {0, 1, 2}
    assert shared["doc_id"].nunique() != 1


# --- what notebooks 02-04 asserted -------------------------------------------------------------

def test_topics_of_the_chosen_document(session):
    from analysis import charts

    doc = session.doc
    counts = charts.count_topics(doc["topics"], doc["exchanges"])
    n = len(doc["exchanges"])
    assert n == 14 and counts["n_exchanges"].max() < 14
    assert counts["n_exchanges"].le(n).all()
    assert (counts["n_in_question"].le(counts["n_exchanges"]) & counts["n_in_answer"].le(counts["n_exchanges"])).all()
    assert counts["answer_share"].dropna().between(0, 1).all()
    assert set(doc["topics"]["exchange_id"]) <= set(doc["exchanges"]["exchange_id"])
    assert not doc["topics"].duplicated(["exchange_id", "topic"]).any()


def test_lengths_of_the_chosen_document(session):
    doc = session.doc
    qa = (doc["turns"].dropna(subset=["exchange_id"])
          .pivot_table(index="exchange_id", columns="role", values="n_chars", aggfunc="sum", fill_value=0, observed=False)
          .reindex(columns=["question", "answer"], fill_value=0))
    ex = doc["exchanges"].set_index("exchange_id")
    assert (ex["question_chars"] == qa["question"].reindex(ex.index, fill_value=0)).all()
    assert (ex["answer_chars"] == qa["answer"].reindex(ex.index, fill_value=0)).all()
    assert ex["question_chars"].gt(0).all() and ex["latin_share"].dropna().between(0, 1).all()
    assert len(ex) == 14 and (ex["answerer"] == "黄仁勋").all() and ex["answer_chars"].gt(0).all()


def test_mentions_of_the_chosen_document(session):
    from analysis import charts

    doc = session.doc
    text = session.tables["documents"].set_index("doc_id").at[session.doc_id, "text"]
    counts = charts.count_entities(doc["mentions"])
    m = doc["mentions"].merge(doc["turns"][["turn_id", "start", "end"]], on="turn_id", suffixes=("", "_turn"))
    assert len(m) == len(doc["mentions"]), "a mention points to a turn that does not exist"
    assert all(text[s:e] == surface for s, e, surface in zip(m["start"], m["end"], m["surface"]))
    assert ((m["start_turn"] <= m["start"]) & (m["end"] <= m["end_turn"])).all()
    assert counts["total"].sum() == doc["mentions"]["entity"].notna().sum()
    roles = [c for c in ("question", "answer", "remark", "narration") if c in counts.columns]
    assert (counts[roles].sum(axis=1) == counts["total"]).all()
    assert counts["entity"].iloc[0] == "英伟达" and (counts.iloc[0][["question", "answer"]] > 0).all()


def test_every_document_says_so_instead_of_naming_one(tmp_path, capsys):
    """Notebooks 05 and 06 cover the corpus: no "Document shown from here on" unless DOC_ID is set."""
    with warnings.catch_warnings():
        s = notebook.start(None, tmp_path, None, "en", resources=Resources(None), workers=1, every_document=True)
        printed = capsys.readouterr().out
        assert "Every document is used (2); set DOC_ID to look at one." in printed
        assert "Document shown from here on" not in printed and s.chosen_by == "every document"
        notebook.start(None, tmp_path, EXCERPT, "en", resources=Resources(None), workers=1, every_document=True)
        assert f"Document shown from here on: {EXCERPT} (set by DOC_ID" in capsys.readouterr().out
