"""The chart of what each exchange was about (analysis.keyterms_chart)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import charts
from analysis.charts.data import NoDataError
from analysis.corpus import build
from analysis.keyterms_chart import export_key_terms_chart, plot_key_terms
from conftest import ROOT

BRIEFING = ROOT / "tests" / "data" / "corpus" / "en_wh_covid_briefing_20210209.md"


def test_one_row_per_exchange_with_its_terms():
    terms = pd.DataFrame({"doc_id": "d", "exchange_id": [0, 0, 0, 0, 2], "term": ["疫苗", "口罩", "医院", "病毒", "户籍"],
                          "rank": [1, 2, 3, 4, 1]})
    exchanges = pd.DataFrame({"doc_id": "d", "exchange_id": [0, 1, 2], "answer_chars": [300, 20, 80]})
    with plt.rc_context():
        charts.use_style()
        ax = plot_key_terms(terms, exchanges, top=3)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2", "3"]
    assert [t.get_text() for t in ax.texts] == ["疫苗、口罩、医院", "", "户籍"]  # top 3, an exchange without terms
    assert [p.get_width() for p in ax.patches] == [300, 20, 80]
    with pytest.raises(NoDataError):
        plot_key_terms(terms, exchanges.iloc[:0])
    plt.close("all")


def test_export_writes_the_chart_and_its_terms(tmp_path):
    tables = build(BRIEFING, resources=None)
    doc_id = tables["documents"]["doc_id"].iloc[0]
    with plt.rc_context():
        charts.use_style()
        paths = export_key_terms_chart(tables, doc_id, out_dir=tmp_path, lang="en", formats=("png",))
    assert {p.name for p in paths} >= {"key_terms_by_exchange.png", "key_terms_by_exchange.csv"}
    data = pd.read_csv(tmp_path / "key_terms_by_exchange.csv", encoding="utf-8-sig")
    assert set(data["exchange"]) == set(tables["exchanges"]["exchange_id"] + 1)
    texts = " ".join(t.get_text() for t in plt.gcf().texts)
    assert "What each exchange was about" in texts
    plt.close("all")
