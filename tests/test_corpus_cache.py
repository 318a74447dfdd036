"""corpus.cache: a rerun redoes only what changed, and never trusts a damaged cache."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from analysis.corpus import build, cache, find_transcripts, fingerprints
from conftest import GOOD


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


def test_content_changed_under_the_same_size_and_mtime_is_rebuilt(tmp_path, monkeypatch):
    """An editor that restores the mtime (or cp -p, touch -r): same size, same mtime, new text."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    target = corpus / "a.txt"
    target.write_text("记者：你去了哪里？\n张三：我去了北京。\n", encoding="utf-8")
    (corpus / "b.txt").write_text(GOOD, encoding="utf-8")
    st = target.stat()
    store = tmp_path / "cache"
    first = build(corpus, cache_dir=store, resources=None)
    assert first["turns"].query("doc_id == 'a'").text.tolist() == ["你去了哪里？", "我去了北京。"]

    hashed = []
    real = cache._sha256
    monkeypatch.setattr(cache, "_sha256", lambda p: hashed.append(p.name) or real(p))
    build(corpus, cache_dir=store, resources=None)
    assert hashed == []  # untouched files are not read again

    target.write_text("记者：你去了哪里？\n张三：我去了上海。\n", encoding="utf-8")  # same byte count
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    second = build(corpus, cache_dir=store, resources=None)
    assert hashed == ["a.txt"]  # its change time moved: hashed again, found changed
    answers = second["turns"].query("doc_id == 'a'").text.tolist()
    assert answers == ["你去了哪里？", "我去了上海。"]
    import hashlib
    assert second["documents"].set_index("doc_id").loc["a", "sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    fresh = build(corpus, resources=None)
    for name in fresh:
        pd.testing.assert_frame_equal(second[name], fresh[name], obj=name, check_categorical=False)


def test_category_lists_are_the_same_for_clean_cached_and_parallel_builds(tmp_path, raw_dir, monkeypatch):
    """value_counts() and groupby(observed=False) must not depend on the build's history."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in raw_dir.glob("2*"):
        shutil.copy(p, corpus / p.name)
    (corpus / "extra.txt").write_text(GOOD.replace("张三", "Zeta"), encoding="utf-8")
    (corpus / "gone.txt").write_text("记者：独一无二的词汇？\n李四：Omega。\n", encoding="utf-8")
    store = tmp_path / "cache"
    build(corpus, cache_dir=store, resources=None)
    excerpt = corpus / "2025-07-16-jensen-huang-press-meeting-excerpt.md"
    excerpt.write_text(excerpt.read_text(encoding="utf-8").replace("GPU", "QPU"), encoding="utf-8")
    (corpus / "gone.txt").unlink()
    cached = build(corpus, cache_dir=store, resources=None)
    clean = build(corpus, resources=None)
    import analysis.corpus.pipeline as pipeline
    monkeypatch.setattr(pipeline, "PARALLEL_BYTES", 0)
    parallel = build(corpus, resources=None, workers=2)
    assert "GPU" not in set(clean["tokens"].token.cat.categories)
    assert "Omega" not in set(cached["tokens"].token.cat.categories)
    from analysis.schema import PER_DOCUMENT, ROLE
    assert list(clean["turns"].role.cat.categories) == list(ROLE.categories)  # a fixed list stays whole
    for name in clean:
        for col, dtype in PER_DOCUMENT.get(name, {}).items():
            if isinstance(dtype, str) and dtype == "category":
                cats = list(clean[name][col].cat.categories)
                assert cats == sorted(cats) and set(cats) == set(clean[name][col].dropna()), (name, col)
        pd.testing.assert_frame_equal(cached[name], clean[name], obj=f"cached {name}")
        pd.testing.assert_frame_equal(parallel[name], clean[name], obj=f"parallel {name}")
