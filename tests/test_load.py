from __future__ import annotations

import codecs
import hashlib
import pickle

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from analysis.load import (
    Document,
    TranscriptError,
    decode,
    make_doc_id,
    read_transcript,
    split_front_matter,
)

INTERVIEW = "Q：你使用DeepSeek吗？\n黄仁勋：我只用这几个 AI 工具：OpenAI、Gemini Pro。\n"
RARE = "朱镕基谈吉野家的𠮷，还有䶮字。\n"


@pytest.fixture
def write(tmp_path):
    """Write text (UTF-8) or bytes to tmp_path/name and return the path."""

    def _write(name: str, content: str | bytes):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write


# --- the seed transcripts ---------------------------------------------------


@pytest.mark.parametrize("seed", ["full_seed", "excerpt_seed"])
def test_seed_bytes(seed, request):
    path = request.getfixturevalue(seed)
    data = path.read_bytes()
    doc = read_transcript(path)
    assert isinstance(doc, Document)
    assert doc.encoding == "utf-8"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size == len(data)
    assert doc.text == data.decode("utf-8")
    assert doc.path == str(path)
    assert doc.doc_id == path.stem
    assert doc.warnings == ()


def test_excerpt_seed_front_matter(excerpt_seed):
    doc = read_transcript(excerpt_seed)
    meta = doc.metadata
    assert meta["title"] == "黄仁勋：DeepSeek 是一个革命性的突破"
    assert meta["source"] == "https://x.com/dotey/status/1945538360681922869"
    assert meta["author"] == "[[@dotey]]"
    assert meta["date"] == "2025-07-17"
    assert meta["created"] == "2025-07-17"
    assert meta["description"] == ""
    assert meta["tags"] == "@dotey"
    assert all(isinstance(v, str) for v in meta.values())
    assert doc.text[doc.body_start:].lstrip().startswith("**宝玉**")
    assert doc.text[doc.body_start - 4:doc.body_start] == "---\n"
    assert doc.text[: doc.body_start].count("\n") == 10  # nine fields lines + fences


def test_full_seed_source_line_no_title(full_seed):
    doc = read_transcript(full_seed)
    assert doc.body_start == 0
    assert doc.metadata == {"来源": "张小珺", "source": "张小珺"}
    assert "title" not in doc.metadata  # the first line is an advert


# --- empty, blank, binary ------------------------------------------------------


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "empty file"),
        (b"  \n\r\n\t", "contains only whitespace"),
        ("\u3000\u00a0\u200b\n".encode("utf-8"), "contains only whitespace"),
        (codecs.BOM_UTF8 + b"\n\n", "contains only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "looks like a binary file"),
        (bytes(range(256)) * 4, "looks like a binary file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "looks like a binary file"),
    ],
    ids=["empty", "whitespace", "unicode-whitespace", "bom-whitespace", "png", "random-bytes", "docx"],
)
def test_unreadable_files(write, content, problem):
    path = write("interview.txt", content)
    with pytest.raises(TranscriptError) as info:
        read_transcript(path)
    assert info.value.problem.startswith(problem)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)


def test_binary_with_nul_names_the_byte(write):
    path = write("notes.txt", b"Q: hello\x00\x01\x02 world")
    with pytest.raises(TranscriptError) as info:
        read_transcript(path)
    assert info.value.offset == 8
    assert "at byte 8" in str(info.value)


# --- encodings ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, encoding",
    [
        (codecs.BOM_UTF8 + INTERVIEW.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + INTERVIEW.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + INTERVIEW.encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + INTERVIEW.encode("utf-32-le"), "utf-32"),
        (INTERVIEW.encode("utf-16-le"), "utf-16-le"),
        (INTERVIEW.encode("utf-16-be"), "utf-16-be"),
        (INTERVIEW.encode("gbk"), "gb18030"),
        (INTERVIEW.encode("gb18030"), "gb18030"),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-32-bom", "utf-16-le", "utf-16-be", "gbk", "gb18030"],
)
def test_encodings(write, data, encoding):
    doc = read_transcript(write("interview.txt", data))
    assert doc.encoding == encoding
    assert doc.text == INTERVIEW  # no BOM in the text
    assert doc.size == len(data)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("codec", ["gb18030", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("seed", ["full_seed", "excerpt_seed"])
def test_seeds_in_other_encodings(tmp_path, seed, codec, request):
    text = request.getfixturevalue(seed).read_text(encoding="utf-8")
    path = tmp_path / "seed.txt"
    path.write_bytes(text.encode(codec))
    doc = read_transcript(path)
    assert (doc.text, doc.encoding) == (text, codec)


def test_gb18030_rare_characters(write):
    data = RARE.encode("gb18030")
    assert len("𠮷".encode("gb18030")) == 4
    doc = read_transcript(write("rare.txt", data))
    assert (doc.text, doc.encoding) == (RARE, "gb18030")


def test_big5_is_not_read_as_gb18030():
    data = "黃仁勳：我們".encode("big5hkscs")
    data.decode("gb18030")  # decodes without error, into private-use characters
    assert decode(data) == ("黃仁勳：我們", "big5hkscs")


def test_corrupt_byte_in_utf8_chinese(write):
    good = (INTERVIEW * 3).encode("utf-8")
    at = good.index("黄".encode("utf-8"))  # 28: a character boundary
    data = good[:at] + b"\xff" + good[at:]
    path = write("corrupt.txt", data)
    with pytest.raises(TranscriptError) as info:
        read_transcript(path)
    assert info.value.offset == at == 28
    message = str(info.value)
    assert "corrupt.txt" in message and "at byte 28" in message and "damaged" in message
    assert "--encoding" in message and "read_transcript(path, encoding=" in message


def test_truncated_utf8_file(write):
    data = INTERVIEW.encode("utf-8")[:-2]  # drop the newline and cut the final '。'
    with pytest.raises(TranscriptError) as info:
        read_transcript(write("cut.txt", data))
    assert info.value.offset == len(data) - 2  # where the broken '。' starts
    assert info.value.problem == "not valid UTF-8 (unexpected end of data)"


def test_undecodable_short_bytes_report_every_candidate():
    with pytest.raises(TranscriptError) as info:
        decode(b"abc\xffdef", name="x.txt")
    error = info.value
    assert error.offset == 3
    assert str(error).startswith("x.txt: not valid UTF-8 (invalid start byte) at byte 3")
    assert "GB18030" in str(error) and "Big5-HKSCS" in str(error)


@pytest.mark.parametrize(
    "data, problem, offset",
    [
        ("Q：\x1b[0m好".encode("utf-8"), "is valid UTF-8 but contains control character U+001B", 4),
        ("黄\u0085仁".encode("utf-8"), "is valid UTF-8 but contains control character U+0085", 3),
        ("图标\ue000".encode("utf-8"), "is valid UTF-8 but contains private-use character U+E000", 6),
        (codecs.BOM_UTF16_LE + "ab\x07".encode("utf-16-le"), "has a UTF-16 byte-order mark but contains", 6),
        (codecs.BOM_UTF16_LE + b"a\x00b", "has a UTF-16 byte-order mark but does not decode: truncated data", 4),
    ],
)
def test_suspicious_characters_are_not_guessed_around(data, problem, offset):
    with pytest.raises(TranscriptError) as info:
        decode(data)
    assert info.value.problem.startswith(problem)
    assert info.value.offset == offset


@pytest.mark.parametrize("ok", ["\t", "\n", "\r", "\x0b", "\x0c"])
def test_allowed_controls(ok):
    assert decode(f"问{ok}答".encode("utf-8")) == (f"问{ok}答", "utf-8")


def test_forced_encoding(write):
    path = write("big5.txt", "黃仁勳：我們".encode("big5hkscs"))
    doc = read_transcript(path, encoding="Big5-HKSCS")
    assert (doc.text, doc.encoding) == ("黃仁勳：我們", "big5hkscs")
    assert doc.warnings == ()


def test_forced_encoding_that_fails(write):
    data = RARE.encode("gb18030")
    path = write("rare.txt", data)
    with pytest.raises(TranscriptError) as info:
        read_transcript(path, encoding="utf-8")
    expected = data.decode("utf-8", "replace").index("\ufffd")
    assert info.value.offset == expected == 0
    assert "cannot decode as 'utf-8'" in str(info.value) and "at byte 0" in str(info.value)


def test_forced_encoding_keeps_suspicious_text_with_a_warning(write):
    path = write("big5.txt", "黃仁勳：我們".encode("big5hkscs"))
    doc = read_transcript(path, encoding="gb18030")
    assert doc.encoding == "gb18030"
    assert any("private-use character" in w for w in doc.warnings)


def test_unknown_forced_encoding():
    with pytest.raises(TranscriptError, match="unknown encoding 'klingon'"):
        decode(b"abc", encoding="klingon")


def test_error_is_a_picklable_value_error():
    error = TranscriptError("a.txt", "not valid UTF-8", 7, detail="x")
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.problem, copy.offset, str(copy)) == ("a.txt", "not valid UTF-8", 7, str(error))


# --- text kept verbatim -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Q：问题\r\n黄仁勋：回答\r\n",
        "Q：问题\r黄仁勋：回答\r",
        "Q：问题\r\n黄仁勋：回答\r最后\n",
        "\u3000\u3000黄仁勋：\u00a0回答\u200b，\u200d好\ufeff。\n",
        "Ｑ：全角\uff1a“引号”…… 😀\n",
    ],
    ids=["crlf", "cr", "mixed", "nbsp-ideographic-zero-width", "fullwidth-emoji"],
)
def test_text_is_kept_verbatim(write, text):
    doc = read_transcript(write("t.txt", text))
    assert doc.text == text


def test_replacement_character_is_a_warning(write):
    doc = read_transcript(write("t.txt", "黄仁勋：\ufffd\ufffd好\n"))
    assert doc.text == "黄仁勋：\ufffd\ufffd好\n"
    assert any("2 U+FFFD" in w for w in doc.warnings)


# --- front matter -------------------------------------------------------------------


def test_front_matter_values_stay_strings():
    text = (
        "---\nid: 012\ntime: 10:30\nspeaker: no\nempty:\nnull: ~\n"
        "people:\n  - 张三\n  - 李四\nevent:\n  city: 北京\n  when:\n    day: 16\n---\n正文\n"
    )
    fields, body_start, warnings = split_front_matter(text)
    assert fields == {
        "id": "012",
        "time": "10:30",
        "speaker": "no",
        "empty": "",
        "null": "~",
        "people": "张三, 李四",
        "event.city": "北京",
        "event.when.day": "16",
    }
    assert text[body_start:] == "正文\n"
    assert warnings == []


@pytest.mark.parametrize(
    "text, body",
    [
        ("---\r\ntitle: 标题\r\n---\r\n正文\r\n", "正文\r\n"),
        ("---\ntitle: 标题\n...\n正文\n", "正文\n"),
        ("---  \ntitle: 标题\n---\t\n正文", "正文"),
        ("---\ntitle: 标题\n---", ""),
        ("---\n---\n正文", "正文"),
    ],
    ids=["crlf", "dots", "trailing-space", "no-body", "empty-block"],
)
def test_front_matter_fences(text, body):
    fields, body_start, warnings = split_front_matter(text)
    assert text[body_start:] == body
    assert fields == ({} if "title" not in text else {"title": "标题"})
    assert warnings == []


@pytest.mark.parametrize("text", ["正文\n---\ntitle: x\n---\n", " ---\ntitle: x\n---\n", "----\nx: y\n----\n"])
def test_no_front_matter(text):
    assert split_front_matter(text) == ({}, 0, [])


def test_bad_yaml_is_a_warning_and_block_is_skipped(write):
    text = "---\ntitle: 标题\nauthor: [张三\ndate: 2025-07-16\n---\nQ：问题\n黄仁勋：回答\n"
    doc = read_transcript(write("bad.md", text))
    assert doc.text[doc.body_start:] == "Q：问题\n黄仁勋：回答\n"
    assert doc.metadata == {}
    assert len(doc.warnings) == 1
    assert "YAML error on line 4" in doc.warnings[0]


def test_unclosed_front_matter_is_a_warning_and_body_is_kept(write):
    text = "---\ntitle: 标题\nQ：问题\n黄仁勋：回答\n"
    doc = read_transcript(write("open.md", text))
    assert doc.body_start == 0
    assert doc.text == text
    assert "never closed" in doc.warnings[0]


def test_front_matter_that_is_not_a_mapping(write):
    doc = read_transcript(write("rule.md", "---\n只是一段话\n---\n正文\n"))
    assert doc.text[doc.body_start:] == "正文\n"
    assert "not 'key: value' fields" in doc.warnings[0]


@pytest.mark.parametrize(
    "front, expected",
    [
        ("Title: 大标题\nAUTHOR: 张三", {"title": "大标题", "author": "张三"}),
        ("published: 2025-07-16\ncreated: 2025-07-17", {"date": "2025-07-16"}),
        ("created: 2025-07-17\ndate: 2025-07-16", {"date": "2025-07-16"}),
        ("title: ''\nsource: ''", {}),
    ],
)
def test_canonical_keys_from_front_matter(write, front, expected):
    doc = read_transcript(write("c.md", f"---\n{front}\n---\n正文\n"))
    canonical = {k: v for k, v in doc.metadata.items() if k in ("title", "source", "author", "date") and v}
    assert canonical == expected


# --- header lines -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        ("来源:张小珺\n\n正文", {"来源": "张小珺", "source": "张小珺"}),
        ("  来源：张小珺  \n正文", {"来源": "张小珺", "source": "张小珺"}),
        ("作者 ： 李四\n编辑：王五\n责任编辑：赵六", {"作者": "李四", "author": "李四", "编辑": "王五", "责任编辑": "赵六"}),
        ("Source: Reuters\nBy: Jane Doe", {"Source": "Reuters", "source": "Reuters", "By": "Jane Doe", "author": "Jane Doe"}),
        ("发布时间：2025-07-16 10:30\n原标题：老黄现场实录", {"发布时间": "2025-07-16 10:30", "date": "2025-07-16 10:30", "原标题": "老黄现场实录"}),
        ("# 黄仁勋媒体见面会实录\n\n来源：张小珺", {"title": "黄仁勋媒体见面会实录", "来源": "张小珺", "source": "张小珺"}),
        ("《老黄现场实录》\n正文", {"title": "老黄现场实录"}),
        ("记者：你怎么看？\n黄仁勋：很好。", {}),
        ("主持人：欢迎\n时间：不多了", {}),
        ("正文第一行\n# 不是标题\n《也不是》", {}),
        ("## 二级标题不算", {}),
        ("来源：" + "很长" * 60, {}),
        ("来源：张小珺：补充", {"来源": "张小珺：补充", "source": "张小珺：补充"}),
        ("\n".join(f"第{i}行" for i in range(15)) + "\n来源：太晚了", {}),
    ],
)
def test_header_lines(write, body, expected):
    doc = read_transcript(write("h.txt", body))
    assert doc.metadata == expected


def test_front_matter_wins_over_header_lines(write):
    doc = read_transcript(write("w.md", "---\nsource: A\ntitle: T\n---\n来源：B\n# 另一个标题\n"))
    assert doc.metadata == {"source": "A", "title": "T", "来源": "B"}


def test_header_line_fills_empty_front_matter_field(write):
    doc = read_transcript(write("e.md", "---\nauthor: ''\n---\n作者：李四\n"))
    assert doc.metadata == {"author": "李四", "作者": "李四"}


def test_one_megabyte_line(write):
    line = "来源" + "很" * 350_000 + "后" * 10
    doc = read_transcript(write("long.txt", line.encode("utf-8") * 1))
    assert doc.size > 1_000_000
    assert doc.text == line
    assert doc.metadata == {}
    with_colon = read_transcript(write("long2.txt", "# " + "来源：" + "很" * 350_000))
    assert with_colon.metadata == {}


# --- ids ------------------------------------------------------------------------------


def test_doc_ids(tmp_path, write):
    a = write("2024/interview.txt", INTERVIEW)
    b = write("2025/interview.txt", INTERVIEW)
    assert make_doc_id(a) == make_doc_id(b) == "interview"
    assert make_doc_id(a, tmp_path) == "2024/interview"
    assert make_doc_id(b, tmp_path) == "2025/interview"
    assert make_doc_id(tmp_path / "x.y.md", tmp_path) == "x.y"
    assert read_transcript(b, doc_id=make_doc_id(b, tmp_path)).doc_id == "2025/interview"
    with pytest.raises(ValueError):
        make_doc_id("/elsewhere/a.txt", tmp_path)


# --- properties -----------------------------------------------------------------------

_CHARS = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
    st.sampled_from(list(" \n\r\t\u3000\u00a0，。：；？！“”《》（）")),
)
_TEXT = st.text(_CHARS, min_size=1, max_size=200).filter(lambda t: t.strip())


@given(_TEXT)
def test_unicode_with_a_signature_always_round_trips(text):
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, "utf-8-sig")
    assert decode(text.encode("utf-16")) == (text, "utf-16")
    assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == (text, "utf-16")


@given(_TEXT, st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_without_bom_round_trips(text, codec):
    # The NUL bytes of ASCII characters reveal UTF-16 and its byte order, as long
    # as they outnumber those of characters like 一 (U+4E00) whose low byte is 0.
    n_ascii = sum(c < "\x80" for c in text)
    assume(n_ascii > sum(ord(c) > 0xFF and ord(c) & 0xFF == 0 for c in text))
    assert decode(text.encode(codec)) == (text, codec)


@given(_TEXT)
def test_gb18030_never_decodes_to_the_wrong_text(text):
    data = text.encode("gb18030")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        assume(False)  # valid UTF-8 is read as UTF-8: GB18030 cannot be told apart
    try:
        assert decode(data) == (text, "gb18030")
    except TranscriptError as error:  # refused (damaged UTF-8, or random characters that do not read as Chinese)
        assert "damaged" in str(error) or "GB18030 gives" in str(error)
