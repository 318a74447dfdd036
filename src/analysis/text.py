"""Characters: the one definition of Han ranges, zero-width characters and character counting.

Every module that asks "is this Han?", "is this blank?" or "how many characters?"
takes the answer from here, so that a turn's ``n_chars``, a document's ``n_chars``
and a chart's language guess agree.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width characters: kept in the text (offsets point into it) but never counted; the
# bidi marks and embedding controls pasted around labels (U+200E/U+200F, U+202A-U+202E,
# U+2066-U+2069) are invisible too.
ZERO_WIDTH = ("\u200b\u200c\u200d\u2060\ufeff"
              "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Han characters: CJK Unified Ideographs, Extension A, the compatibility block and
# the supplementary planes (Extensions B-H), as (first, last) code points.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
# The same ranges for a regular expression character class: ``f"[{HAN}]"``.
HAN = "".join(f"{chr(a)}-{chr(b)}" for a, b in HAN_RANGES)
HAN_RE = re.compile(f"[{HAN}]")
# A run of blanks: whitespace (NBSP and U+3000 included) and zero-width characters.
BLANK_RE = re.compile(f"[\\s{ZERO_WIDTH}]*")


def count_chars(s: str) -> int:
    """Characters that are neither whitespace nor zero-width."""
    return len("".join(s.split())) - sum(s.count(z) for z in ZERO_WIDTH)


def count_han(s: str) -> int:
    """Han characters of ``s``."""
    return len(HAN_RE.findall(s))


def is_blank(s: str) -> bool:
    """Only whitespace and zero-width characters (or nothing)."""
    return BLANK_RE.fullmatch(s) is not None


_SPACE_RUN = re.compile(r"\s+")


def normalize(word: str) -> str:
    """The ``norm`` of a token, keyword or alias: NFKC, case folded, whitespace runs as one space."""
    return _SPACE_RUN.sub(" ", unicodedata.normalize("NFKC", word).casefold())
