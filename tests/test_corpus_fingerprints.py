"""corpus.fingerprints and the cache key of a file: what a change redoes, and what it does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import analysis.corpus.pipeline as pipeline
from analysis.corpus import build, fingerprints
from analysis.language import Resources
from conftest import RAW

GOOD = "记者：芯片怎么样？\n张三：还不错。\n记者：为什么？\n张三：因为便宜。\n"


def copy_package(tmp_path: Path) -> Path:
    copy = tmp_path / "pkg" / "analysis"
    shutil.copytree(fingerprints.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def edit(files: list[Path]) -> None:
    assert files, "nothing to edit"
    with files[0].open("a", encoding="utf-8") as f:
        f.write('\n# a new chart title: "每个问题得到多长的回答（新）"\n')


def fps(package: Path) -> dict[str, str]:
    return fingerprints.fingerprints(Resources(None), "rjieba", None, package=package)


def test_a_module_name_covers_the_file_or_the_package(tmp_path):
    copy = copy_package(tmp_path)
    package = copy / "parse"  # the parser is a package, with its modules in it
    assert fingerprints.module_files("analysis.parse", copy) == sorted(package.rglob("*.py"))
    assert package / "__init__.py" in fingerprints.module_files("analysis.parse", copy)
    (package / "labels").mkdir()
    (package / "labels" / "speakers.py").write_text("X = 1\n", encoding="utf-8")
    assert package / "labels" / "speakers.py" in fingerprints.module_files("analysis.parse", copy)
    before = fps(copy)["parse"]
    (package / "labels" / "speakers.py").write_text("X = 2\n", encoding="utf-8")
    assert fps(copy)["parse"] != before  # code moved into a sub-folder is still covered
    # a module, not a package: the file itself
    assert fingerprints.module_files("analysis.exchanges", copy) == [copy / "exchanges.py"]


def test_each_stage_covers_its_own_code(tmp_path):
    copy = copy_package(tmp_path)
    assert fps(copy) == fps(fingerprints.PACKAGE)  # only paths inside the package and bytes count
    base = fps(copy)
    edit(fingerprints.module_files("analysis.charts", copy) + fingerprints.module_files("analysis.report", copy))
    edit(fingerprints.module_files("analysis.cli", copy))
    assert fps(copy) == base  # charts and the command line are in no stage
    edit(fingerprints.module_files("analysis.topics", copy))
    changed = fps(copy)
    assert [s for s in base if base[s] != changed[s]] == ["topics"]
    edit(fingerprints.module_files("analysis.parse", copy))
    assert [s for s in base if fps(copy)[s] != changed[s]] == ["parse"]


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in RAW.glob("*.*"):
        if p.name != "README.md":
            shutil.copy(p, folder / p.name)
    (folder / "extra.txt").write_text(GOOD, encoding="utf-8")
    return folder


@pytest.fixture
def processed(monkeypatch):
    """The doc_ids each build processes (parses and segments) from now on."""
    seen: list[str] = []
    real = pipeline.process_documents
    monkeypatch.setattr(pipeline, "process_documents",
                        lambda docs, *a, **kw: seen.extend(d.doc_id for d in docs) or real(docs, *a, **kw))
    return seen


def test_editing_a_chart_redoes_nothing_and_the_parser_everything(corpus, tmp_path, monkeypatch, processed):
    store = tmp_path / "cache"
    copy = copy_package(tmp_path)
    monkeypatch.setattr(fingerprints, "PACKAGE", copy)
    first = build(corpus, cache_dir=store, resources=None)
    assert sorted(processed) == sorted(first["documents"]["doc_id"])

    processed.clear()
    edit(fingerprints.module_files("analysis.charts", copy) + fingerprints.module_files("analysis.report", copy))
    build(corpus, cache_dir=store, resources=None)
    assert processed == []

    derived = []
    real_topics = pipeline.DERIVED["topics"]
    monkeypatch.setitem(pipeline.DERIVED, "topics", lambda t, res: derived.append(len(t["tokens"])) or real_topics(t, res))
    edit(fingerprints.module_files("analysis.topics", copy))
    again = build(corpus, cache_dir=store, resources=None)
    assert processed == [] and derived == [len(first["tokens"])]  # the topics alone, from the cached tokens
    assert again["topics"].equals(first["topics"])

    edit(fingerprints.module_files("analysis.parse", copy))
    build(corpus, cache_dir=store, resources=None)
    assert sorted(processed) == sorted(first["documents"]["doc_id"])  # parsing and everything after


def test_a_sidecar_beside_a_transcript_is_part_of_its_key(corpus, tmp_path, processed):
    store = tmp_path / "cache"
    build(corpus, cache_dir=store, resources=None)
    processed.clear()
    side = corpus / "extra.yaml"
    side.write_text("speakers:\n  张三: answer\n", encoding="utf-8")
    build(corpus, cache_dir=store, resources=None)
    assert processed == ["extra"]  # that file alone
    build(corpus, cache_dir=store, resources=None)
    assert processed == ["extra"]  # unchanged: nothing
    side.write_text("speakers:\n  张三: question\n", encoding="utf-8")
    build(corpus, cache_dir=store, resources=None)
    assert processed == ["extra", "extra"]
    side.unlink()
    tables = build(corpus, cache_dir=store, resources=None)
    assert processed == ["extra", "extra", "extra"]
    assert "extra" in set(tables["documents"]["doc_id"])  # a sidecar is never read as a transcript
