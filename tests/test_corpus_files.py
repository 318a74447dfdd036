"""corpus.files: which files are transcripts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.corpus import find_transcripts


def test_find_transcripts_skips_readme_and_hidden(mixed):
    names = [p.relative_to(mixed).as_posix() for p in find_transcripts(mixed)]
    assert names == ["a/interview.txt", "b/interview.txt", "binary.txt", "empty.txt"]


GOOD_TEXT = "记者：你好吗？\n张三：我很好，谢谢。\n"


@pytest.fixture
def hostile_tree(tmp_path):
    """A raw folder where every kind of path that is not a plain transcript sits beside two good ones."""
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (raw / "good.yaml").write_text("speakers: {}\n", encoding="utf-8")  # its speaker file: not a problem
    (raw / os.fsdecode("中文".encode("gbk") + b".txt")).write_text(GOOD_TEXT, encoding="utf-8")
    os.symlink("nowhere.txt", raw / "dangling.txt")
    os.symlink("loop2.txt", raw / "loop1.txt")
    os.symlink("loop1.txt", raw / "loop2.txt")
    os.symlink("..", raw / "sub" / "up")
    os.symlink(raw / "good.txt", raw / "sub" / "linked.txt")  # a link to a file is followed
    (raw / "report.pdf").write_bytes(b"%PDF-1.4")
    (raw / "notes.yaml").write_text("x: 1\n", encoding="utf-8")
    os.mkfifo(raw / "pipe.txt")
    (raw / "README.md").write_text("# about these files\n", encoding="utf-8")
    (raw / ".DS_Store").write_bytes(b"\0\0")
    return raw


def test_every_path_is_built_or_listed_with_its_reason(hostile_tree):
    from analysis.corpus import build

    before = {p.name for p in hostile_tree.rglob("*")}
    tables = build(hostile_tree, resources=None)
    docs = tables["documents"]
    assert list(docs.doc_id) == ["good", "sub/linked", "\\xd6\\xd0\\xce\\xc4"]
    assert list(docs.n_turns) == [2, 2, 2]
    assert docs.set_index("doc_id").loc["\\xd6\\xd0\\xce\\xc4", "path"].endswith("raw/\\xd6\\xd0\\xce\\xc4.txt")
    errors = {row.doc_id: row.error.split(": ", 1)[1] for row in tables["errors"].itertuples()}
    assert errors == {
        "dangling": "dangling symbolic link (to nowhere.txt, which does not exist)",
        "loop1": "symbolic link loop",
        "loop2": "symbolic link loop",
        "sub/up": f"symbolic link loop (back to {hostile_tree}, already read)",
        "notes": "not a transcript by its ending (.yaml); transcripts end in .txt, .md, .markdown, .text, "
                 ".docx, .srt, .vtt, .json, .csv, .tsv, .xlsx, .html, .htm",
        "report": "not a transcript by its ending (.pdf); transcripts end in .txt, .md, .markdown, .text, "
                  ".docx, .srt, .vtt, .json, .csv, .tsv, .xlsx, .html, .htm",
        "pipe": "not a regular file (a named pipe, socket or device)",
    }
    assert all(row.error.startswith(str(hostile_tree)) for row in tables["errors"].itertuples())
    assert {p.name for p in hostile_tree.rglob("*")} == before


def test_undecodable_names_do_not_stop_the_build_and_are_written(hostile_tree, tmp_path):
    from analysis.corpus import build, read_tables, write_tables

    out = tmp_path / "out"
    write_tables(build(hostile_tree, resources=None, cache_dir=tmp_path / "cache"), out)
    back = read_tables(out)
    assert "\\xd6\\xd0\\xce\\xc4" in set(back["turns"].doc_id)
    again = build(hostile_tree, resources=None, cache_dir=tmp_path / "cache")  # the cache manifest holds it too
    assert sorted(again["documents"].doc_id) == sorted(back["documents"].doc_id)


def test_an_unreadable_file_is_listed_and_the_others_built(tmp_path, monkeypatch):
    from analysis.corpus import build

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (raw / "secret.txt").write_text(GOOD_TEXT, encoding="utf-8")
    if os.geteuid() == 0:  # root reads any file: make the read fail as it would for a user
        real = Path.read_bytes

        def read_bytes(self):
            if self.name == "secret.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    else:
        (raw / "secret.txt").chmod(0)
    tables = build(raw, resources=None)
    assert list(tables["documents"].doc_id) == ["a"]
    assert list(tables["errors"].error) == [f"{raw / 'secret.txt'}: cannot be read: Permission denied"]
