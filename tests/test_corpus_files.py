"""corpus.files: which files are transcripts."""

from __future__ import annotations

from analysis.corpus import find_transcripts


def test_find_transcripts_skips_readme_and_hidden(mixed):
    names = [p.relative_to(mixed).as_posix() for p in find_transcripts(mixed)]
    assert names == ["a/interview.txt", "b/interview.txt", "binary.txt", "empty.txt"]
