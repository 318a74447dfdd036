from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.corpus import cache, fingerprints
from analysis.cli import main
from analysis.corpus import build, find_transcripts, read_tables, write_tables

GOOD = "记者：芯片怎么样？\n张三：还不错。\n记者：为什么？\n张三：因为便宜。\n"


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def mixed(tmp_path) -> Path:
    """A folder with good files, bad files and same-named files in sub-folders."""
    raw = tmp_path / "raw"
    (raw / "a").mkdir(parents=True)
    (raw / "b").mkdir()
    (raw / "a" / "interview.txt").write_text(GOOD, encoding="utf-8")
    (raw / "b" / "interview.txt").write_text(GOOD.replace("张三", "李四"), encoding="gb18030")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (raw / "README.md").write_text("# not a transcript\n", encoding="utf-8")
    (raw / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    return raw


def test_find_transcripts_skips_readme_and_hidden(mixed):
    names = [p.relative_to(mixed).as_posix() for p in find_transcripts(mixed)]
    assert names == ["a/interview.txt", "b/interview.txt", "binary.txt", "empty.txt"]


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


def test_write_tables_parquet_and_excel_csv(tmp_path, raw_dir):
    tables = build(raw_dir)
    out = tmp_path / "processed"
    written = write_tables(tables, out)
    assert {p.name for p in written} >= {"turns.parquet", "turns.csv", "documents.csv", "tokens.parquet"}
    assert (out / "turns.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    back = read_tables(out)
    pd.testing.assert_frame_equal(back["turns"], tables["turns"], check_dtype=False, check_categorical=False)
    csv = pd.read_csv(out / "turns.csv", encoding="utf-8-sig")
    assert len(csv) == len(tables["turns"])
    assert not list(out.glob("*.tmp"))


def test_write_refuses_the_raw_folder(raw_dir):
    with pytest.raises(ValueError, match="raw"):
        write_tables({}, config.RAW_DIR / "out")


def test_interrupted_write_keeps_the_old_file(tmp_path, raw_dir, monkeypatch):
    tables = build(raw_dir)
    out = tmp_path / "processed"
    write_tables(tables, out)
    before = (out / "turns.csv").read_bytes()

    def boom(df, path):
        Path(path).write_text("half a fi")
        raise KeyboardInterrupt

    import analysis.corpus.tables_io as tables_io
    monkeypatch.setattr(tables_io, "write_csv", boom)
    with pytest.raises(KeyboardInterrupt):
        write_tables(tables, out, formats=("csv",))
    assert (out / "documents.csv").read_bytes()  # untouched
    assert (out / "turns.csv").read_bytes() == before
    assert not list(out.glob(".*.tmp"))


def test_parallel_equals_serial(mixed, raw_dir, tmp_path, monkeypatch):
    import analysis.corpus.pipeline as corpus_mod

    monkeypatch.setattr(corpus_mod, "PARALLEL_BYTES", 0)  # a small corpus, built in parallel all the same
    corpus = tmp_path / "corpus"
    shutil.copytree(mixed, corpus)
    for p in raw_dir.glob("*.*"):
        if p.name != "README.md":
            shutil.copy(p, corpus / p.name)
    serial = build(corpus, workers=1)
    parallel = build(corpus, workers=2)
    for name in serial:
        pd.testing.assert_frame_equal(serial[name], parallel[name], obj=name)


def test_cache_reuses_and_redoes_only_what_changed(tmp_path, raw_dir, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in raw_dir.glob("*.*"):
        shutil.copy(p, corpus / p.name)
    (corpus / "extra.txt").write_text(GOOD, encoding="utf-8")
    store = tmp_path / "cache"
    first = build(corpus, cache_dir=store)
    plain = build(corpus)
    for name in plain:
        pd.testing.assert_frame_equal(first[name], plain[name], obj=name, check_categorical=False)

    processed = []
    import analysis.corpus.pipeline as corpus_mod
    real = corpus_mod.process_documents
    monkeypatch.setattr(corpus_mod, "process_documents",
                        lambda docs, *a, **kw: processed.extend(d.doc_id for d in docs) or real(docs, *a, **kw))

    again = build(corpus, cache_dir=store)
    assert processed == []  # nothing changed: no segmentation at all
    for name in plain:
        pd.testing.assert_frame_equal(again[name], plain[name], obj=name, check_categorical=False)

    with (corpus / "extra.txt").open("a", encoding="utf-8") as f:
        f.write("记者：最后一个问题？\n张三：没有了。\n")
    changed = build(corpus, cache_dir=store)
    assert processed == ["extra"]
    assert changed["documents"].set_index("doc_id").loc["extra", "n_exchanges"] == 3
    fresh = build(corpus)
    for name in fresh:
        pd.testing.assert_frame_equal(changed[name], fresh[name], obj=name, check_categorical=False)

    processed.clear()
    os.utime(corpus / "extra.txt", ns=(1, 1))  # touched, same content: nothing to redo
    build(corpus, cache_dir=store)
    assert processed == []

    (corpus / "extra.txt").unlink()
    removed = build(corpus, cache_dir=store)
    assert processed == [] and "extra" not in set(removed["turns"]["doc_id"])

    # a changed dictionary or package redoes everything
    real_fp = fingerprints.fingerprints
    monkeypatch.setattr(fingerprints, "fingerprints", lambda *a, **kw: {**real_fp(*a, **kw), "tokens": "changed"})
    build(corpus, cache_dir=store)
    assert sorted(processed) == sorted(p.stem for p in find_transcripts(corpus))


def test_cache_survives_an_interrupted_save(tmp_path, raw_dir, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(raw_dir, corpus)
    store = tmp_path / "cache"
    good = build(corpus, cache_dir=store)
    (corpus / "new.txt").write_text(GOOD, encoding="utf-8")

    written = []

    def boom(df, path):  # the second table of the new generation is never written
        if written:
            raise KeyboardInterrupt
        written.append(path)
        real(df, path)

    real = cache.write_table
    monkeypatch.setattr(cache, "write_table", boom)
    with pytest.raises(KeyboardInterrupt):
        build(corpus, cache_dir=store)
    monkeypatch.undo()
    (corpus / "new.txt").unlink()
    assert written  # the save had started
    after = build(corpus, cache_dir=store)
    for name in good:
        pd.testing.assert_frame_equal(after[name], good[name], obj=name, check_categorical=False)


def test_cli_build_reports_failures(mixed, tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(["build", "--raw", str(mixed), "--out", str(out), "--no-cache", "--workers", "1"])
    captured = capsys.readouterr()
    assert rc == 1
    assert "a/interview: 4 turns, 2 exchanges" in captured.out
    assert "FAILED" in captured.err and "binary.txt" in captured.err and "empty.txt" in captured.err
    assert (out / "turns.parquet").is_file() and (out / "errors.csv").is_file()


def test_cli_build_and_charts_on_the_bundled_data(tmp_path, capsys):
    out = tmp_path / "processed"
    assert main(["build", "--out", str(out), "--no-cache"]) == 0
    figs = tmp_path / "figures"
    assert main(["charts", "--processed", str(out), "--out", str(figs), "--format", "png"]) == 0
    pngs = sorted(p.relative_to(figs).as_posix() for p in figs.rglob("*.png"))
    assert "2025-07-16-jensen-huang-press-meeting-full/answer_length_by_exchange.png" in pngs
    assert all((figs / p).stat().st_size > 1000 for p in pngs)


def test_cli_missing_folder(tmp_path, capsys):
    assert main(["build", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_pick_document_and_select(raw_dir):
    from analysis.corpus import pick_document, select

    tables = build(raw_dir)
    assert pick_document(tables["documents"]) == "2025-07-16-jensen-huang-press-meeting-full"
    excerpt = "2025-07-16-jensen-huang-press-meeting-excerpt"
    assert pick_document(tables["documents"], excerpt) == excerpt
    with pytest.raises(ValueError, match="unknown doc_id 'nope'.*excerpt"):
        pick_document(tables["documents"], "nope")
    one = select(tables, excerpt)
    assert len(one["exchanges"]) == 3 and set(one["tokens"]["doc_id"]) == {excerpt}
    assert len(one["errors"]) == 0


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


def test_shared_questions_find_the_copies(raw_dir):
    from analysis.corpus import shared_questions

    shared = shared_questions(build(raw_dir)["exchanges"])
    excerpt, full = "2025-07-16-jensen-huang-press-meeting-excerpt", "2025-07-16-jensen-huang-press-meeting-full"
    assert shared["key"].nunique() == 3
    assert sorted(shared.loc[shared["doc_id"] == excerpt, "exchange_id"]) == [0, 1, 2]
    assert sorted(shared.loc[shared["doc_id"] == full, "exchange_id"]) == [0, 1, 2]


def test_cached_tables_can_be_modified_without_touching_the_cache(tmp_path, raw_dir):
    store = tmp_path / "cache"
    build(raw_dir, cache_dir=store)
    again = build(raw_dir, cache_dir=store)  # read back from the cache (memory-mapped)
    tokens = again["tokens"]
    first = int(tokens.loc[0, "start"])
    tokens.loc[0, "start"] = first + 1000
    tokens["end"] += 1
    assert int(tokens.loc[0, "start"]) == first + 1000
    third = build(raw_dir, cache_dir=store)
    assert int(third["tokens"].loc[0, "start"]) == first
    pd.testing.assert_series_equal(third["tokens"]["end"] + 1, tokens["end"])


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path, raw_dir, damage):
    store = tmp_path / "cache"
    good = build(raw_dir, cache_dir=store)
    (tokens_file,) = store.glob("build-*/gen-*/tokens.arrow")
    if damage == "missing":
        tokens_file.unlink()
    else:
        tokens_file.write_bytes(b"not an arrow file")
    again = build(raw_dir, cache_dir=store)
    for name in good:
        pd.testing.assert_frame_equal(again[name], good[name], obj=name, check_categorical=False)
    assert build(raw_dir, cache_dir=store)["tokens"].shape == good["tokens"].shape  # and the cache is whole again
