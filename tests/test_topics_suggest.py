"""analysis topics suggest: a draft lexicon of the interview's own topics, to edit and rerun."""

from __future__ import annotations

import pytest

from analysis import cli, topics
from analysis.corpus import build
from analysis.topic_suggest import render_lexicon, suggest_topics
from conftest import ROOT

BRIEFING = ROOT / "tests" / "data" / "corpus" / "en_wh_covid_briefing_20210209.md"


@pytest.fixture(scope="module")
def briefing():
    return build(BRIEFING, resources=None)


def test_suggested_topics_come_from_the_interview(briefing):
    doc_id = briefing["documents"]["doc_id"].iloc[0]
    got = suggest_topics(briefing, doc_id, n_topics=4, n_terms=6)
    assert 1 <= len(got) <= 4 and all(1 <= len(s["terms"]) <= 6 for s in got)
    terms = [t for s in got for t in s["terms"]]
    assert len(terms) == len(set(terms))  # a term in one topic only
    assert {"pharmacies", "vaccination", "doses"} & set(terms)
    n = briefing["exchanges"]["exchange_id"].nunique()
    assert all(1 <= e <= n for s in got for e in s["exchanges"])
    assert got[0]["filed"][0][0] == "health"  # the default lexicon files its exchanges under health


def test_cli_writes_a_lexicon_that_loads_and_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "resources" / "topics.yaml"
    args = ["topics", "suggest", "--raw", str(BRIEFING), "--out", str(out), "--topics", "3"]
    assert cli.main(args) == 0
    assert "wrote 3 suggested topics" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Draft topic lexicon") and "lexicons: [iptc]" in text and "# key term of exchange" in text
    lex = topics.load_lexicon([topics.LEXICON, out])
    assert lex["topic"].nunique() == 17 + 3  # the draft extends the default
    assert cli.main(args) == 2 and "exists; pass --force" in capsys.readouterr().err
    assert cli.main([*args, "--force", "--alone"]) == 0  # no shipped lexicon: these topics alone
    assert topics.load_lexicon([topics.LEXICON, out])["topic"].nunique() == 3
    assert cli.main([*args, "--force", "--lexicon", "technology"]) == 0
    assert "lexicons: [technology]" in out.read_text(encoding="utf-8")
    assert topics.load_lexicon([topics.LEXICON, out])["topic"].nunique() == 13 + 3


def test_render_quotes_what_yaml_would_misread():
    text = render_lexicon([{"name": "yes: no", "terms": ["#tag", "5G"], "exchanges": [1], "filed": []}], doc_id="d")
    assert '"yes: no":' in text and '- "#tag"' in text and "- 5G" in text


def test_list_names_the_shipped_lexicons(capsys):
    assert cli.main(["topics", "list"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("iptc (default): 17 topics") and "technology: 13 topics" in out
