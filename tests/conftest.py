from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def pytest_collection_modifyitems(config, items):
    """The notebooks nbval executes are slow tests (a kernel each): ``-m "not slow"`` skips them."""
    for item in items:
        if item.nodeid.endswith(".ipynb") or ".ipynb::" in item.nodeid:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def raw_dir() -> Path:
    return RAW


@pytest.fixture
def full_seed() -> Path:
    """Plain-text web copy: ad line, source line, lost punctuation, colon-less answers."""
    return RAW / "2025-07-16-jensen-huang-press-meeting-full.txt"


@pytest.fixture
def excerpt_seed() -> Path:
    """Markdown excerpt: front matter, author line, closing blockquote."""
    return RAW / "2025-07-16-jensen-huang-press-meeting-excerpt.md"


SEEDS = ("2025-07-16-jensen-huang-press-meeting-excerpt.md", "2025-07-16-jensen-huang-press-meeting-full.txt")


@pytest.fixture(scope="session")
def traditional() -> dict:
    """OpenCC converters to traditional characters, built once for the session (each takes a
    while to load): {"s2t": convert, "s2tw": convert, "s2hk": convert}."""
    opencc = pytest.importorskip("opencc")
    return {name: opencc.OpenCC(name).convert for name in ("s2t", "s2tw", "s2hk")}


@pytest.fixture(scope="session")
def seed_documents() -> pd.DataFrame:
    """doc_id, text, body_start of the two bundled transcripts (excerpt first)."""
    from analysis.load import read_transcript

    docs = [read_transcript(RAW / name) for name in SEEDS]
    return pd.DataFrame({"doc_id": [d.doc_id for d in docs], "text": [d.text for d in docs],
                         "body_start": [d.body_start for d in docs]})


@pytest.fixture(scope="session")
def seed_turns(seed_documents) -> pd.DataFrame:
    from analysis.parse import to_turns

    return to_turns(seed_documents)


@pytest.fixture(scope="session")
def seed_tokens(seed_turns) -> pd.DataFrame:
    from analysis import segment

    return segment.to_tokens(seed_turns)


# A small transcript: two exchanges between 记者 and 张三.
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
