"""analysis.language.Resources: one object for the shipped resources and yours."""

from __future__ import annotations

import pickle

import pytest

from analysis import config, entities, segment, topics
from analysis.language import KINDS, STAGES, Resources, resolve


def folder(tmp_path, **files):
    d = tmp_path / "mine"
    d.mkdir(exist_ok=True)
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


LEXICON = "Quantum computing:\n  label_zh: 量子计算\n  keywords: [量子纠错]\n"


def test_your_files_extend_the_shipped_ones_for_every_kind(tmp_path):
    mine = folder(tmp_path, **{"userdict.txt": "墨子量子 100 nt\n", "stopwords.txt": "认为\n", "topics.yaml": LEXICON,
                               "entities.csv": "entity,type,alias\n墨子量子,organisation,墨子量子\n",
                               "surnames.txt": "墨\n", "speakers.yaml": "interviewees: [墨子]\n"})
    res = Resources(mine)
    for kind, (shipped, _) in KINDS.items():
        files = res.files(kind)
        assert [p.name for p in files[:len(shipped)]] == list(shipped), kind
        assert files[len(shipped):] == res.user_files(kind) and len(res.user_files(kind)) == 1, kind
    assert "墨子量子" in set(res.userdict()["word"]) and "黄仁勋" in set(res.userdict()["word"])
    assert {"认为", "的"} <= res.stopwords()
    assert {"Quantum computing", "health"} <= set(res.lexicon()["topic"])
    assert {"墨子量子", "英伟达"} <= set(res.registry()["entity"])
    single, _ = res.surnames()
    assert {"墨", "王"} <= single
    assert res.speakers() == ({"interviewees": "墨子"}, ())  # no shipped speaker file: yours alone


def test_replace_is_one_switch_for_every_kind(tmp_path):
    mine = folder(tmp_path, **{"topics.yaml": LEXICON, "entities.csv": "entity,type,alias\n墨子量子,organisation,墨子量子\n"})
    res = Resources(mine, replace=True)
    assert set(res.lexicon()["topic"]) == {"Quantum computing"}
    assert set(res.registry()["entity"]) == {"墨子量子"}
    assert "黄仁勋" in set(res.userdict()["word"])  # no file of yours for this kind: the shipped one stays
    only_topics = Resources(mine, replace={"lexicon"})
    assert set(only_topics.lexicon()["topic"]) == {"Quantum computing"}
    assert "英伟达" in set(only_topics.registry()["entity"])
    with pytest.raises(ValueError, match="the kinds are"):
        Resources(mine, replace={"topics"})


def test_one_file_or_files_by_keyword(tmp_path):
    mine = folder(tmp_path, **{"topics.yaml": LEXICON})
    assert Resources(mine / "topics.yaml").user_files("lexicon") == (mine / "topics.yaml",)
    assert Resources(mine / "topics.yaml").user_files("registry") == ()
    extra = tmp_path / "more.csv"
    extra.write_text("topic,keyword,label_zh\nFood,小米粥,食物\n", encoding="utf-8")
    res = Resources(mine, lexicon=extra)
    assert res.topic_labels("zh")["Food"] == "食物" and res.topic_labels("zh")["Quantum computing"] == "量子计算"
    with pytest.raises(ValueError, match="not a resource file name"):
        Resources(extra).files("lexicon")
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        Resources(None, userdict=tmp_path / "nope.txt").files("userdict")
    with pytest.raises(TypeError, match="unknown resource kind"):
        Resources(None, lexikon=extra)


def test_loaded_once_and_again_when_a_file_changes(tmp_path):
    mine = folder(tmp_path, **{"topics.yaml": LEXICON})
    res = Resources(mine)
    calls = []
    first = res.memo("probe", ("lexicon",), lambda r: calls.append(1) or len(calls))
    assert res.memo("probe", ("lexicon",), lambda r: calls.append(1) or len(calls)) == first == 1
    (mine / "topics.yaml").write_text(LEXICON + "Food: [小米粥]\n", encoding="utf-8")
    assert res.memo("probe", ("lexicon",), lambda r: calls.append(1) or len(calls)) == 2
    assert "Food" in set(res.lexicon()["topic"])
    (mine / "stopwords.txt").write_text("认为\n", encoding="utf-8")  # a file added later counts too
    assert "认为" in res.stopwords()


def test_picklable_without_what_it_loaded(tmp_path):
    mine = folder(tmp_path, **{"topics.yaml": LEXICON})
    res = Resources(mine, replace={"lexicon"})
    res.lexicon()
    back = pickle.loads(pickle.dumps(res))
    assert back.files("lexicon") == res.files("lexicon") and back.replace == res.replace
    assert back.fingerprint("topics") == res.fingerprint("topics")
    assert len(pickle.dumps(res)) < 1000  # file names only, never a loaded engine or table


def test_a_fingerprint_per_stage_covers_only_what_it_reads(tmp_path):
    mine = folder(tmp_path)
    res = Resources(mine)
    before = {stage: res.fingerprint(stage) for stage in STAGES}
    (mine / "topics.yaml").write_text(LEXICON, encoding="utf-8")
    after = {stage: res.fingerprint(stage) for stage in STAGES}
    assert [s for s in STAGES if before[s] != after[s]] == ["topics"]
    (mine / "userdict.txt").write_text("墨子量子 100 nt\n", encoding="utf-8")
    again = {stage: res.fingerprint(stage) for stage in STAGES}
    assert sorted(s for s in STAGES if again[s] != after[s]) == ["mentions", "tokens"]


def test_the_stages_take_the_object(tmp_path, seed_turns):
    mine = folder(tmp_path, **{"userdict.txt": "革命性突破 100 n\n", "topics.yaml": LEXICON})
    res = Resources(mine)
    tokens = segment.to_tokens(seed_turns.head(3), res)
    assert topics.to_topics(tokens, res)["topic"].cat.categories[-1] == "Quantum computing"
    assert len(entities.to_mentions(seed_turns.head(3), tokens, res))
    with pytest.raises(TypeError, match="not both"):
        segment.to_tokens(seed_turns.head(1), res, userdict=tmp_path / "x.txt")


def test_old_keywords_keep_their_meaning(tmp_path):
    mine = folder(tmp_path, **{"topics.yaml": LEXICON})
    assert set(topics.load_lexicon(mine / "topics.yaml")["topic"]) == {"Quantum computing"}  # lexicon= replaces
    assert "Quantum computing" in set(topics.load_lexicon([topics.LEXICON, mine / "topics.yaml"])["topic"])
    assert resolve(None) is resolve(None)  # no resources given: one shipped-only object per process
    assert resolve(None).user is None and Resources().user == config.USER_RESOURCES_DIR
