"""Bytes -> text + metadata: decoding, front matter and header lines.

``read_transcript(path)`` returns one :class:`Document`: the whole decoded text
(never normalised, so every downstream ``start``/``end`` offset points into it),
where the body starts, how the bytes were decoded, and the metadata found.

Decoding is a strict cascade; the first step that applies decides:

1. a byte-order mark: UTF-32, UTF-8 (``utf-8-sig``) or UTF-16 (``utf-16``);
2. known binary signatures (PNG, JPEG, GIF, PDF, ZIP/.docx, OLE/.doc): error;
3. any NUL byte: UTF-16 without a BOM (LE or BE, the endianness whose ASCII
   high bytes explain the NULs tried first), else "looks like a binary file";
4. strict UTF-8;
5. GB18030 (a superset of GBK and GB2312), then Big5-HKSCS, each only when the
   result reads as Chinese (``analysis.charset.not_chinese``: no kana, not Korean
   hangul in EUC-KR, few rare characters, no Han characters alone between Latin letters);
   Big5 is tried only when GB18030 does not decode or gives private-use characters (a
   clean GB18030 reading that is not Chinese is refused, with Big5 as a hint if it reads);
6. Windows-1252, only for plainly Western text (``analysis.charset.latin_reading``:
   mostly ASCII, every other character a Latin letter or typographic punctuation).

Anything else is refused with the reasons and the encodings it reads in
(``--encoding shift_jis``, ``euc_kr``, ``cp1252``): garbage is never passed on.

A result is rejected when it contains a control character (anything in C0/C1
except ``\\t \\n \\v \\f \\r``; U+0085 NEL counts as a control: in copied web
text it is a cp1252 ellipsis read as Latin-1), a private-use character or the
noncharacters U+FFFE/U+FFFF. GB18030 and Big5-HKSCS then move on to the next
candidate (Big5 bytes read as GB18030 land in the private-use area), but bytes
that are valid UTF-8, or carry a BOM, are never handed on: any other reading of
them is mojibake, so the problem is reported instead. For the same reason a file
that is overwhelmingly valid UTF-8 with a few bad bytes is reported as damaged
UTF-8 rather than tried as GB18030. Whatever fails raises :class:`TranscriptError`
with the byte offset and how to force an encoding. A forced encoding is only
required to decode strictly; suspicious characters become a warning.

Limits: UTF-16 without a BOM is recognised only through its NUL bytes, which any
text with a line break or an ASCII character has. Very short Big5 text can decode
cleanly as GB18030; force ``big5hkscs`` for such files.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


from analysis import charset
from analysis.metadata import HEADER_KEYS, header_metadata, merge_metadata, split_front_matter  # noqa: F401
from analysis.yaml_limits import YAML_LIMITS, YamlTooBig, load_yaml  # noqa: F401 (part of this module's API)
from analysis.text import BLANK_RE

logger = logging.getLogger(__name__)

__all__ = ["Document", "TranscriptError", "YamlTooBig", "decode", "load_yaml", "make_doc_id", "read_transcript",
           "split_front_matter"]

_FORCE_HINT = (
    "If you know the encoding, force it: `analysis build --encoding gb18030` "
    "or read_transcript(path, encoding='gb18030')"
)

# (byte-order mark, encoding reported, codec used on the bytes after the mark).
# UTF-32-LE first: its mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)
_BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF-", "PDF document; copy its text into a .txt file"),
    (b"PK\x03\x04", "ZIP archive such as .docx; save it as plain text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office document such as .doc; save it as plain text"),
)
_LABELS = {"utf-8": "UTF-8", "gb18030": "GB18030", "big5hkscs": "Big5-HKSCS"}

_SUSPICIOUS = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffe\uffff"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)
_BLANK = BLANK_RE  # whitespace and zero-width characters
_ASCII = re.compile(r"[\x00-\x7f]+")

class TranscriptError(ValueError):
    """A file that cannot be read as a transcript.

    ``str()`` names the file, the problem, the byte offset when there is one, and
    how to force an encoding.
    """

    def __init__(self, path, problem: str, offset: int | None = None, *, detail: str = "", hint: bool | str = True):
        self.path, self.problem, self.offset = str(path), problem, offset
        self.detail, self.hint = detail, hint
        message = f"{self.path}: {problem}"
        if offset is not None:
            message += f" at byte {offset}"
        if detail:
            message += f" ({detail})"
        if hint:
            message += f". {hint if isinstance(hint, str) else _FORCE_HINT}"
        super().__init__(message)

    def __reduce__(self):  # keep it picklable for worker processes
        return (_rebuild_error, (self.path, self.problem, self.offset, self.detail, self.hint))


def _rebuild_error(path, problem, offset, detail, hint):
    return TranscriptError(path, problem, offset, detail=detail, hint=hint)


@dataclass(frozen=True)
class Document:
    """One transcript file, decoded; ``text[body_start:]`` is the body."""

    doc_id: str
    path: str
    text: str
    body_start: int
    encoding: str
    sha256: str
    size: int
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


# --- decoding -------------------------------------------------------------


def decode(data: bytes, *, name: str = "<bytes>", encoding: str | None = None) -> tuple[str, str]:
    """Decode transcript bytes; return ``(text, encoding used)``.

    ``encoding`` forces a codec (any name Python knows); the name returned is
    Python's canonical one (``'GBK'`` -> ``'gbk'``). Raises :class:`TranscriptError`
    for empty, whitespace-only, binary or undecodable input; ``name`` labels it.
    """
    if not data:
        raise TranscriptError(name, "empty file", hint=False)
    if encoding is None:
        text, used = _cascade(data, name)
    else:
        text, used = _decode_forced(data, name, encoding)
    if _BLANK.fullmatch(text):
        raise TranscriptError(name, "contains only whitespace", hint=False)
    logger.debug("%s: decoded as %s", name, used)
    return text, used


def _decode_forced(data: bytes, name: str, encoding: str) -> tuple[str, str]:
    try:
        used = codecs.lookup(encoding).name
    except LookupError:
        raise TranscriptError(name, f"unknown encoding {encoding!r}") from None
    try:
        return data.decode(used), used
    except UnicodeDecodeError as exc:
        # utf-8-sig reports offsets after the mark it stripped
        shift = 3 if used == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) else 0
        raise TranscriptError(
            name, f"cannot decode as {used!r}: {exc.reason}", exc.start + shift
        ) from None


def _cascade(data: bytes, name: str) -> tuple[str, str]:
    for bom, used, codec in _BOMS:
        if data.startswith(bom):
            what = f"has a {used.upper()} byte-order mark but"
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise TranscriptError(name, f"{what} does not decode: {exc.reason}", exc.start + len(bom)) from None
            _refuse_suspicious(text, codec, name, what, skip=len(bom))
            return text, used

    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise TranscriptError(name, f"looks like a binary file ({kind})", hint=False)

    nul = data.find(b"\x00")
    if nul >= 0:
        for codec in _utf16_order(data):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if not _SUSPICIOUS.search(text) and not _has_unassigned(text):
                return text, codec
        raise TranscriptError(name, "looks like a binary file: NUL byte", nul, detail="and not UTF-16 text")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        _refuse_suspicious(text, "utf-8", name, "is valid UTF-8 but")
        return text, "utf-8"

    problem = f"not valid UTF-8 ({utf8_error.reason})"
    damaged = _damaged_utf8(data)
    if damaged:
        raise TranscriptError(name, problem, utf8_error.start, detail=damaged)
    failures = []
    for codec in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            failures.append(f"not {_LABELS[codec]} either: {exc.reason} at byte {exc.start}")
            continue
        bad = _SUSPICIOUS.search(text)
        if bad is not None:
            offset = _byte_offset(text, bad.start(), codec)
            failures.append(f"{_LABELS[codec]} gives {_describe(bad.group())} at byte {offset}")
            continue
        why = charset.not_chinese(text, data, codec)
        if why is None:
            return text, codec
        # Bytes that decode cleanly but do not read as Chinese are not tried as Big5: its
        # reading of them would be as much a guess. Big5 is only suggested when it reads.
        failures.append(f"{_LABELS[codec]} gives {why}")
        break
    latin = charset.latin_reading(data)
    if latin is not None:
        return latin, "cp1252"
    tries = charset.suggestions(data)
    if "Big5" not in failures[-1] and _reads_as_big5(data):  # GB18030 decoded: Big5 was not tried
        tries = ["big5hkscs", *(t for t in tries if t != "cp1252")]
    hint = (f"If you know the encoding, force it: {' or '.join(f'`analysis build --encoding {c}`' for c in tries)} "
            f"(or read_transcript(path, encoding={tries[0]!r}))" if tries else True)
    raise TranscriptError(name, problem, utf8_error.start, detail="; ".join(failures), hint=hint)


def _reads_as_big5(data: bytes) -> bool:
    try:
        text = data.decode("big5hkscs")
    except UnicodeDecodeError:
        return False
    return not _SUSPICIOUS.search(text) and charset.not_chinese(text, data, "big5hkscs") is None


def _refuse_suspicious(text: str, codec: str, name: str, what: str, *, skip: int = 0) -> None:
    """Raise for a suspicious character in text whose encoding the bytes vouch for.

    No fall-through here: any other reading of such bytes is mojibake.
    """
    bad = _SUSPICIOUS.search(text)
    if bad:
        offset = _byte_offset(text, bad.start(), codec)
        raise TranscriptError(
            name, f"{what} contains {_describe(bad.group())}", None if offset is None else offset + skip
        )


def _utf16_order(data: bytes) -> tuple[str, ...]:
    """UTF-16 codecs to try: none for odd lengths, LE first when NULs sit at odd offsets."""
    if len(data) % 2:
        return ()
    if data[1::2].count(0) >= data[0::2].count(0):
        return ("utf-16-le", "utf-16-be")
    return ("utf-16-be", "utf-16-le")


def _has_unassigned(text: str) -> bool:
    # Random bytes read as UTF-16 hit unassigned code points quickly (e.g. '\n'
    # with the wrong endianness is U+0A00).
    return any(unicodedata.category(c) == "Cn" for c in set(text))


def _damaged_utf8(data: bytes) -> str:
    """Why the bytes look like UTF-8 with a few bad bytes, or '' when they do not.

    GB18030 text read as UTF-8 has more invalid sequences than valid multibyte
    characters (about 4 to 1 on the seed transcripts); damaged UTF-8 has almost
    none, and reading it as GB18030 would only make mojibake.
    """
    replaced = data.decode("utf-8", "replace")
    n_bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
    n_good = len(_ASCII.sub("", replaced)) - replaced.count("\ufffd")
    if n_good >= 10 * max(n_bad, 1):
        return (
            f"{n_bad} bad sequence(s) among {n_good} valid non-ASCII UTF-8 characters: "
            "the file looks damaged rather than in another encoding"
        )
    return ""


def _byte_offset(text: str, index: int, codec: str) -> int | None:
    try:
        return len(text[:index].encode(codec))
    except UnicodeEncodeError:
        return None


def _describe(char: str) -> str:
    code = ord(char)
    if 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
        kind = "private-use character"
    elif code in (0xFFFE, 0xFFFF):
        kind = "noncharacter"
    else:
        kind = "control character"
    return f"{kind} U+{code:04X}"


# --- files ----------------------------------------------------------------


def make_doc_id(path, root=None) -> str:
    """A stable id from a file path.

    With ``root``: the path under ``root``, POSIX-style, without the suffix
    (``sub/interview``), so same-named files in different folders differ.
    Without: the file stem. Raises ValueError when ``path`` is not under ``root``.
    """
    path = Path(path)
    if root is None:
        return path.stem
    try:
        relative = path.relative_to(root)
    except ValueError:
        relative = path.resolve().relative_to(Path(root).resolve())
    return relative.with_suffix("").as_posix()


def read_transcript(path, *, encoding: str | None = None, doc_id: str | None = None) -> Document:
    """Read one transcript file into a :class:`Document`.

    ``encoding`` forces a codec instead of the cascade; ``doc_id`` defaults to
    ``make_doc_id(path)``. Raises :class:`TranscriptError` (a ValueError) for
    files that cannot be read as text; OSError as usual. Word files, subtitles,
    Whisper JSON, spreadsheets and web pages (by ending) and speech-to-text
    exports (by content) go to their reader in ``analysis.readers``.
    """
    from analysis import readers  # imported here: the readers build on this module
    from analysis.readers import speech_text

    data = Path(path).read_bytes()
    reader = readers.reader_for(path)
    if reader is not None:
        return with_sidecar(reader(path, data, encoding=encoding, doc_id=doc_id))
    text, used = decode(data, name=str(path), encoding=encoding)
    if speech_text.looks_like(text):
        return with_sidecar(speech_text.to_document(path, data, text, encoding=used, doc_id=doc_id))
    fields, body_start, warnings = split_front_matter(text)
    header, title = header_metadata(text, body_start)
    if encoding is not None and (bad := _SUSPICIOUS.search(text)):
        warnings.append(
            f"forced encoding {used}: the text contains {_describe(bad.group())} "
            f"at character {bad.start()}; the encoding may be wrong"
        )
    if n_replaced := text.count("\ufffd"):
        warnings.append(
            f"the text contains {n_replaced} U+FFFD replacement character(s): "
            "it was damaged before it was saved"
        )
    for warning in warnings:
        logger.warning("%s: %s", path, warning)
    return with_sidecar(Document(
        doc_id=make_doc_id(path) if doc_id is None else doc_id,
        path=str(path),
        text=text,
        body_start=body_start,
        encoding=used,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        metadata=merge_metadata(fields, header, title),
        warnings=tuple(warnings),
    ))


def with_sidecar(doc: Document) -> Document:
    """The document with the keys of its speaker file ``<stem>.yaml`` beside it (see
    ``analysis.parse.cast``) added to its metadata, winning over the front matter's; a
    broken speaker file is a warning and the transcript is read all the same."""
    from dataclasses import replace

    from analysis.parse.cast import read_sidecar, sidecar_path

    side = sidecar_path(Path(doc.path))
    if side == Path(doc.path) or not side.is_file():
        return doc
    keys, warnings = read_sidecar(side)
    for warning in warnings:
        logger.warning("%s: %s", doc.path, warning)
    return replace(doc, metadata={**doc.metadata, **keys}, warnings=(*doc.warnings, *warnings))
