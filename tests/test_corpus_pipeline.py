"""corpus.pipeline: build() over files, good and bad, serial and parallel, with your resources."""

from __future__ import annotations

import shutil
import sys
import threading

import pandas as pd

from analysis.corpus import build
from conftest import hashes


def test_bad_files_are_reported_and_the_rest_is_built(mixed):
    before = hashes(mixed)
    tables = build(mixed)
    docs, errors = tables["documents"], tables["errors"]
    assert list(docs["doc_id"]) == ["a/interview", "b/interview"]
    assert list(docs["encoding"]) == ["utf-8", "gb18030"]
    assert list(errors["doc_id"]) == ["binary", "empty"]
    assert all(str(mixed) in e or "binary.txt" in e or "empty.txt" in e for e in errors["error"])
    assert "empty" in errors["error"].iloc[1]
    turns = tables["turns"]
    assert turns.groupby("doc_id")["role"].apply(list).to_dict() == {
        "a/interview": ["question", "answer", "question", "answer"],
        "b/interview": ["question", "answer", "question", "answer"],
    }
    assert set(turns.query("role == 'answer'")["speaker"]) == {"张三", "李四"}
    assert hashes(mixed) == before  # the raw folder is never written


def test_one_file_can_be_built(full_seed):
    tables = build(full_seed)
    assert list(tables["documents"]["doc_id"]) == [full_seed.stem]
    assert tables["documents"]["n_exchanges"].item() == 14


def test_bundled_corpus(raw_dir):
    before = hashes(raw_dir)
    tables = build(raw_dir)
    docs = tables["documents"].set_index("doc_id")
    full = docs.loc["2025-07-16-jensen-huang-press-meeting-full"]
    excerpt = docs.loc["2025-07-16-jensen-huang-press-meeting-excerpt"]
    assert (full["n_turns"], full["n_exchanges"], full["source"]) == (29, 14, "张小珺")
    assert (excerpt["n_turns"], excerpt["n_exchanges"]) == (9, 3)
    assert excerpt["title"] == "黄仁勋：DeepSeek 是一个革命性的突破"
    assert full["path"] == "data/raw/2025-07-16-jensen-huang-press-meeting-full.txt"
    turns = tables["turns"]
    for doc_id, group in turns.groupby("doc_id"):
        text = docs.loc[doc_id, "text"]
        for row in group.itertuples():
            assert text[row.text_start:row.text_end] == row.text
    assert len(tables["errors"]) == 0
    assert hashes(raw_dir) == before


def test_parallel_equals_serial(mixed, raw_dir, tmp_path, monkeypatch):
    import analysis.corpus.pipeline as corpus_mod

    monkeypatch.setattr(corpus_mod, "PARALLEL_BYTES", 0)  # a small corpus, built in parallel all the same
    corpus = tmp_path / "corpus"
    shutil.copytree(mixed, corpus)
    for p in raw_dir.glob("*.*"):
        if p.name != "README.md":
            shutil.copy(p, corpus / p.name)
    serial = build(corpus, workers=1)
    seen = []  # (start method, threads running) when the workers were started
    real = corpus_mod.pool.start_method
    monkeypatch.setattr(corpus_mod.pool, "start_method",
                        lambda: seen.append((real(), [t.name for t in threading.enumerate()])) or seen[-1][0])
    parallel = build(corpus, workers=2, progress=True)
    for name in serial:
        pd.testing.assert_frame_equal(serial[name], parallel[name], obj=name)
    [(method, threads)] = seen
    assert not any("tqdm" in t for t in threads)  # the progress bar starts no thread that would stop the fork
    if sys.platform.startswith("linux") and threads == ["MainThread"]:  # (other tests may leave threads behind)
        assert method == "fork"


def test_your_own_resources_extend_the_shipped_ones(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "quantum.txt").write_text(
        "记者：墨子量子怎么看量子纠错？\n周乐天：墨子量子认为量子纠错是关键，我们和潘氏基金合作。\n", encoding="utf-8")
    mine = tmp_path / "resources"
    mine.mkdir()
    plain = build(raw, resources=mine)  # an empty folder: the shipped resources alone
    assert "墨子量子" not in set(plain["tokens"]["token"].astype(str))
    assert not (plain["mentions"]["entity"] == "墨子量子").any()

    (mine / "userdict.txt").write_text("墨子量子 100 nt\n量子纠错 100 n\n", encoding="utf-8")
    (mine / "entities.csv").write_text("entity,type,alias\n墨子量子,organisation,墨子量子\n", encoding="utf-8")
    (mine / "topics.yaml").write_text("Quantum computing:\n  label_zh: 量子计算\n  keywords: [量子纠错]\n",
                                      encoding="utf-8")
    (mine / "stopwords.txt").write_text("认为\n", encoding="utf-8")
    tables = build(raw, resources=mine)
    tokens = tables["tokens"].astype({"token": str})
    assert (tokens["token"] == "墨子量子").sum() == 2 and (tokens["token"] == "量子纠错").sum() == 2
    assert tokens.loc[tokens["token"] == "认为", "is_stopword"].all()
    org = tables["mentions"].query("entity == '墨子量子'")
    assert list(org["source"]) == ["registry", "registry"] and list(org["role"]) == ["question", "answer"]
    quantum = tables["topics"].query("topic == 'Quantum computing'")
    assert (quantum["hits_question"].tolist(), quantum["hits_answer"].tolist()) == ([1], [1])

    # the cache notices a changed registry and redoes the mentions only
    store = tmp_path / "cache"
    build(raw, resources=mine, cache_dir=store)
    processed = []
    import analysis.corpus.pipeline as corpus_mod
    real = corpus_mod.process_documents
    monkeypatch.setattr(corpus_mod, "process_documents",
                        lambda docs, *a, **kw: processed.extend(d.doc_id for d in docs) or real(docs, *a, **kw))
    (mine / "entities.csv").write_text("entity,type,alias\n墨子量子,organisation,墨子量子\n潘氏基金,organisation,潘氏基金\n",
                                       encoding="utf-8")
    again = build(raw, resources=mine, cache_dir=store)
    assert processed == []
    assert list(again["mentions"].query("entity == '潘氏基金'")["source"]) == ["registry"]
