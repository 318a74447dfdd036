"""analysis.text: the one definition of Han characters, blanks and character counts."""

from __future__ import annotations

import re

from analysis import text


def test_count_chars_leaves_out_whitespace_and_zero_width():
    assert text.count_chars("黄仁勋 说：\u00a0AI\u3000\u200b很好\n") == 9  # 黄 仁 勋 说 ： A I 很 好
    assert text.count_chars("\u200b\ufeff \t") == 0


def test_han_ranges_cover_the_supplementary_planes_and_nothing_else():
    assert text.count_han("𠀀黄A,中\uf900") == 4  # Extension B, two unified ideographs, a compatibility one
    assert text.count_han("ＡＩ、。１") == 0
    assert re.fullmatch(f"[{text.HAN}]+", "龘𪚥") and not re.search(f"[{text.HAN}]", "ア한")


def test_blank_and_normalize():
    assert text.is_blank(" \u3000\u200b\n") and not text.is_blank(" 。")
    assert text.normalize("ＤｅｅｐＳｅｅｋ\u00a0 R1") == "deepseek r1"
