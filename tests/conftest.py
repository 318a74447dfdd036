from __future__ import annotations

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
