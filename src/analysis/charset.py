"""Does decoded text read as what its encoding claims? The loader's check after the cascade.

Almost any bytes decode "successfully" as GB18030: Japanese in Shift-JIS becomes runs of
rare characters (`婰幰丗崱擔偼`), Korean in EUC-KR becomes common characters that make no
sense (`扁磊: 坷疵 官悔脚`), English in Windows-1252 gets a character where each curly quote
or accented letter was (`Let抯 go to Z黵ich`). ``not_chinese(text, data)`` says why a
GB18030 or Big5 reading is not Chinese, or None when it is:

- kana among the Han characters (more than one in ten): Japanese (EUC-JP keeps its kana);
- the bytes read as Japanese: valid EUC-JP or Shift-JIS whose reading is three tenths
  hiragana or more (Japanese prose is about half hiragana; Chinese has none);
- the bytes read as Korean: valid EUC-KR whose reading is nine tenths hangul or more;
- Han characters standing alone between Latin letters, made of a high byte and an ASCII
  one (half of them or more): a Western text whose accented letters and curly quotes
  swallowed the letter after them;
- rare Han characters: more than a fifth of them (and at least five), or six in a row;
- no Han characters at all, and symbols other than Chinese punctuation (an English
  file's ’ in Big5 reads as ˇ in GB18030).
  "Common" is the 3,755 characters of GB2312 level 1 and the 5,401 of Big5's
  frequently-used level (6,722 together).

Measured on every real Chinese transcript of the project (data/raw, tests/data and
../shared/corpus, Simplified and Traditional, each encoded as GB18030 and, where it
can be, Big5): at most 4.5% rare characters (a Cantonese press session: 嘅, 咗, 喺),
runs of at most 3, no kana, at most 0.3% alone between Latin letters; none is refused.

``latin_reading(data)`` is the Windows-1252 reading of plainly Western text (85% ASCII or more, twenty ASCII letters at least,
every other character a Latin letter or typographic punctuation, no three accented letters
in a row) or None; ``suggestions(data)`` the encodings to try for a refused file.
"""

from __future__ import annotations

import re
import unicodedata

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_NON_ASCII = re.compile(r"[^\x00-\x7f\s]")
# What a Chinese-encoded file without Han characters may hold (an English transcript saved as GBK).
_PUNCTUATION = set("‘’“”、。，．：；！？（）《》〈〉「」『』【】—…·～　")
_TYPOGRAPHIC = set("‘’‚“”„–—…•·«»‹›€£¥¢°±×÷§¶©®™¹²³¼½¾¡¿\u00a0")

RARE_MIN, RARE_SHARE, RARE_RUN, KANA_SHARE, HANGUL_SHARE, HIRAGANA_SHARE, ALONE_SHARE = 5, 0.2, 6, 0.1, 0.9, 0.3, 0.5
LATIN_SHARE = 0.15  # at most this share of a Western text's characters are not ASCII

_common: frozenset[str] | None = None


def common_han() -> frozenset[str]:
    """GB2312 level 1 and Big5 level 1 (frequently used): 6,722 characters."""
    global _common
    if _common is None:
        chars = {bytes([a, b]).decode("gb2312") for a in range(0xB0, 0xD8) for b in range(0xA1, 0xFF)
                 if (a, b) < (0xD7, 0xFA)}
        for a in range(0xA4, 0xC7):
            for b in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
                if 0xA440 <= (a << 8 | b) <= 0xC67E:
                    chars.add(bytes([a, b]).decode("big5"))
        _common = frozenset(chars)
    return _common


def _share(pattern: re.Pattern, text: str) -> tuple[float, int]:
    """Share of the non-ASCII, non-space characters of ``text`` that ``pattern`` matches, and their number."""
    others = _NON_ASCII.findall(text)
    return (sum(1 for c in others if pattern.fullmatch(c)) / len(others) if others else 0.0), len(others)


def _reads_as(data: bytes, codec: str, pattern: re.Pattern, share: float) -> bool:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return False
    got, n = _share(pattern, text)
    return n >= 10 and got >= share


def _alone(text: str, han: list[re.Match], codec: str) -> int:
    """Han characters that swallowed an ASCII byte (their second byte in ``codec`` is
    below 0x80) with only ASCII on either side and a Latin letter beside them."""
    n = 0
    for m in han:
        i = m.start()
        before, after = text[i - 1:i] or " ", text[i + 1:i + 2] or " "
        if before.isascii() and after.isascii() and (before.isalpha() or after.isalpha()):
            encoded = m.group().encode(codec, errors="ignore")
            n += len(encoded) == 2 and encoded[1] < 0x80
    return n


def not_chinese(text: str, data: bytes, codec: str = "gb18030") -> str | None:
    """Why ``text``, the ``codec`` (GB18030 or Big5) reading of ``data``, is not Chinese; None when it is."""
    han = list(_HAN.finditer(text))
    kana = len(_KANA.findall(text))
    if kana >= 5 and kana > KANA_SHARE * (kana + len(han)):
        return f"{kana} kana among {len(han)} Han characters: Japanese text, perhaps in EUC-JP"
    for other, label in (("euc_jp", "EUC-JP"), ("shift_jis", "Shift-JIS"), ("cp932", "Shift-JIS")):
        if _reads_as(data, other, _HIRAGANA, HIRAGANA_SHARE):
            return f"Han characters, but the bytes read as Japanese in {label}"
    if _reads_as(data, "euc_kr", _HANGUL, HANGUL_SHARE):
        return "Han characters, but the bytes read as Korean hangul in EUC-KR"
    if not han:
        odd = sorted(set(_NON_ASCII.findall(text)) - _PUNCTUATION)
        return f"no Han characters, only symbols such as {''.join(odd[:5])!r}" if odd else None
    alone = _alone(text, han, codec)
    if alone / len(han) >= ALONE_SHARE:
        example = han[0].group()
        return (f"{alone} of {len(han)} Han characters alone between Latin letters (such as {example!r}): "
                "Western text, perhaps in Windows-1252 or Latin-1")
    common = common_han()
    rare = [m for m in han if m.group() not in common]
    run = best = 0
    last = -2
    for m in rare:
        run = run + 1 if m.start() == last + 1 else 1
        best, last = max(best, run), m.start()
    if (len(rare) >= RARE_MIN and len(rare) > RARE_SHARE * len(han)) or best >= RARE_RUN:
        return (f"{len(rare)} rare Han characters among {len(han)} ({len(rare) / len(han):.0%}), "
                f"{best} in a row: not Chinese in this encoding")
    return None


def latin_reading(data: bytes) -> str | None:
    """The Windows-1252 reading of ``data`` when it is plainly Western text, else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    others = _NON_ASCII.findall(text)
    if not others or len(others) > LATIN_SHARE * len(text) or len(_ASCII_LETTERS.findall(text)) < 20:
        return None
    for c in others:
        if c not in _TYPOGRAPHIC and not (c.isalpha() and "LATIN" in unicodedata.name(c, "")):
            return None
    if re.search(r"[^\x00-\x7f\W\d_]{3}", text):  # three accented letters in a row: two-byte text
        return None
    return text


def suggestions(data: bytes) -> list[str]:
    """Encodings in which ``data`` reads as Japanese, Korean or Western text."""
    found = []
    for codecs, pattern, share in ((("shift_jis", "cp932"), _HIRAGANA, HIRAGANA_SHARE),
                                   (("euc_jp",), _HIRAGANA, HIRAGANA_SHARE), (("euc_kr",), _HANGUL, HANGUL_SHARE)):
        found.extend([c for c in codecs if _reads_as(data, c, pattern, share)][:1])
    if not found:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            found.append("cp1252")
    return found
