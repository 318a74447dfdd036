"""load + charset: decoding refuses what it cannot vouch for, and refuses nothing good.

Japanese, Korean and Western files all decode "successfully" as GB18030 into garbage; each
must be refused with the file, the reason and the encoding to force (or, for plainly
Western text, read as Windows-1252). Every real Chinese transcript of the project, in
GB18030 and in Big5, must still be read back exactly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.load import TranscriptError, decode, read_transcript

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
JA = ("記者：今日はお忙しいところ、ありがとうございます。まず、新しい製品について教えてください。\n"
      "田中：はい、私たちは三年前からこの研究を始めました。東京と大阪の工場で作っています。\n")
KO = ("기자: 오늘 바쁘신 가운데 시간을 내주셔서 감사합니다. 먼저 새로운 제품에 대해 말씀해 주세요.\n"
      "김철수: 네, 저희는 삼 년 전부터 이 연구를 시작했습니다.\n")
EN = "Reporter: Let’s go to Zürich today, shall we?\nMüller: Yes, let’s.\n"


@pytest.mark.parametrize("text, codec, reason, force", [
    (JA, "shift_jis", "GB18030 gives Han characters, but the bytes read as Japanese in Shift-JIS", "shift_jis"),
    (JA, "euc_jp", "GB18030 gives 53 kana among 25 Han characters: Japanese text, perhaps in EUC-JP", "euc_jp"),
    (KO, "euc_kr", "GB18030 gives Han characters, but the bytes read as Korean hangul in EUC-KR", "euc_kr"),
])
def test_japanese_and_korean_are_refused_with_the_encoding_to_force(tmp_path, text, codec, reason, force):
    path = tmp_path / "x.txt"
    data = text.encode(codec)
    assert data.decode("gb18030")  # it does decode, into garbage
    path.write_bytes(data)
    with pytest.raises(TranscriptError) as info:
        read_transcript(path)
    message = str(info.value)
    assert message.startswith(f"{path}: not valid UTF-8")
    assert reason in message
    assert message.endswith(f"If you know the encoding, force it: `analysis build --encoding {force}` "
                            f"(or read_transcript(path, encoding='{force}'))")
    assert read_transcript(path, encoding=force).text == text


def test_english_in_windows_1252_is_read_as_windows_1252(tmp_path):
    data = EN.encode("cp1252")
    assert data.decode("gb18030") == "Reporter: Let抯 go to Z黵ich today, shall we?\nM黮ler: Yes, let抯.\n"
    assert decode(data) == (EN, "cp1252")
    latin1 = "Reporter: Grüße aus Köln, und wie geht es?\nMüller: Gut.\n"
    assert decode(latin1.encode("latin-1")) == (latin1, "cp1252")


def test_what_is_not_plainly_western_is_refused():
    garbled = "Reporter: ÄÖÜ is what the sign said, and more words\n".encode("cp1252")  # three in a row
    with pytest.raises(TranscriptError) as info:
        decode(garbled, name="x.txt")
    assert str(info.value) == (
        "x.txt: not valid UTF-8 (invalid continuation byte) at byte 10 (not GB18030 either: illegal multibyte "
        "sequence at byte 12; not Big5-HKSCS either: illegal multibyte sequence at byte 12). If you know the "
        "encoding, force it: `analysis build --encoding cp1252` (or read_transcript(path, encoding='cp1252'))")


def test_a_build_lists_the_refused_files_and_builds_the_others(tmp_path):
    from analysis.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ja.txt").write_bytes(JA.encode("shift_jis"))
    (raw / "ko.txt").write_bytes(KO.encode("euc_kr"))
    (raw / "en.txt").write_bytes(EN.encode("cp1252"))
    (raw / "zh.txt").write_bytes("记者：你好吗？\n张三：我很好，谢谢。\n".encode("gb18030"))
    from analysis.corpus import build

    tables = build(raw, resources=None)
    assert dict(zip(tables["documents"].doc_id, tables["documents"].encoding)) == {"en": "cp1252", "zh": "gb18030"}
    assert list(tables["errors"].doc_id) == ["ja", "ko"]
    assert main(["build", "--raw", str(raw), "--out", str(tmp_path / "out"), "--no-cache"]) == 1
    forced = build(raw / "ja.txt", encoding="shift_jis", resources=None)
    assert forced["documents"].encoding.tolist() == ["shift_jis"] and forced["errors"].empty


def _real_transcripts() -> list[Path]:
    files = [*sorted((ROOT / "data" / "raw").glob("2*")), *sorted((ROOT / "tests" / "data").rglob("*.md"))]
    return files + (sorted(SHARED.glob("*.md")) if SHARED.is_dir() else [])


def _check_real(files, traditional) -> int:
    n = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        if not re.search("[\u4e00-\u9fff]", text):
            continue  # not Chinese (an English transcript): see the test below
        for codec, variant in [("gb18030", text), ("big5hkscs", text), ("big5hkscs", traditional["s2t"](text))]:
            data = variant.encode(codec, errors="replace")
            try:
                data.decode("utf-8")
                continue  # ASCII only: read as UTF-8
            except UnicodeDecodeError:
                pass
            assert decode(data, name=f"{path.name} in {codec}") == (data.decode(codec), codec)
            n += 1
    return n


def test_english_with_curly_quotes_in_big5_is_refused_with_the_hint():
    """Its ’ is ˇ in GB18030 (no Han character to vouch for it): refused, Big5 suggested."""
    data = "Reporter: It’s a fine day, isn’t it?\nMOFA: It’s.\n".encode("big5hkscs")
    assert data.decode("gb18030") == "Reporter: Itˇs a fine day, isnˇt it?\nMOFA: Itˇs.\n"
    with pytest.raises(TranscriptError) as info:
        decode(data, name="x.txt")
    assert "GB18030 gives no Han characters, only symbols such as 'ˇ'" in str(info.value)
    assert str(info.value).endswith("force it: `analysis build --encoding big5hkscs` "
                                    "(or read_transcript(path, encoding='big5hkscs'))")


def test_no_real_chinese_transcript_is_refused(traditional):
    assert _check_real(_real_transcripts()[:12], traditional) >= 20


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is not beside the project")
def test_no_transcript_of_the_shared_corpus_is_refused(traditional):
    assert _check_real(sorted(SHARED.glob("*.md")), traditional) >= 40
