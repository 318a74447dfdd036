from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


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
