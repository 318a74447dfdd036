"""load: front matter (and speaker files) read within limits: an alias bomb is a warning for its file."""

from __future__ import annotations

import resource
import time

from analysis.load import split_front_matter

GOOD = "记者：你好吗？\n张三：我很好，谢谢。\n"


def bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "---\n" + "\n".join(lines) + "\n---\n"


def test_an_alias_bomb_is_a_warning_in_time_and_memory():
    text = bomb() + GOOD
    assert len(bomb().encode()) < 450  # 9**9 = 387 million strings once expanded
    start, rss = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    fields, body_start, warnings = split_front_matter(text)
    assert time.monotonic() - start < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 50_000  # KB
    assert fields == {} and text[body_start:] == GOOD
    assert warnings == ["front matter: its aliases expand to more than 10,000 values or 1,000,000 characters "
                        "(an alias bomb?); its fields are ignored"]


def test_aliases_within_the_limits_are_read():
    fields, _, warnings = split_front_matter("---\nhost: &h 张三\nguest: *h\ntags: &t [a, b]\nalso: *t\n---\n" + GOOD)
    assert warnings == [] and fields == {"host": "张三", "guest": "张三", "tags": "a, b", "also": "a, b"}


def test_deep_wide_and_long_front_matter_are_refused_with_the_reason():
    deep = "---\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(25)) + f"{'  ' * 25}x\n---\n"
    wide = "---\n" + "".join(f"k{i}: v\n" for i in range(1001)) + "---\n"
    long = "---\nk: " + "x" * 100_001 + "\n---\n"
    assert split_front_matter(deep + GOOD)[2] == ["front matter: nested more than 20 levels deep; its fields are ignored"]
    assert split_front_matter(wide + GOOD)[2] == [
        "front matter: a mapping of 1,001 keys, more than the 1,000 allowed; its fields are ignored"]
    assert split_front_matter(long + GOOD)[2] == [
        "front matter: 100,005 characters, more than the 100,000 allowed; its fields are ignored"]


def test_a_bomb_in_one_file_costs_only_that_files_fields(tmp_path):
    from analysis.corpus import build

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bomb.md").write_text(bomb() + GOOD, encoding="utf-8")
    (raw / "good.md").write_text("---\ntitle: 好\n---\n" + GOOD, encoding="utf-8")
    (raw / "side.md").write_text(GOOD, encoding="utf-8")
    (raw / "side.yaml").write_text(bomb().strip("-\n") + "\n", encoding="utf-8")
    tables = build(raw, resources=None)
    docs = tables["documents"].set_index("doc_id")
    assert list(docs.n_turns) == [2, 2, 2] and tables["errors"].empty
    assert "front matter: its aliases expand" in docs.loc["bomb", "warnings"]
    assert "speaker file side.yaml is not valid YAML (its aliases expand" in docs.loc["side", "warnings"]
    assert docs.loc["good", "title"] == "好"
