"""corpus.tables_io: writing the tables (atomically, never into the raw folder) and reading them back."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.corpus import build, read_tables, write_tables


def test_write_tables_parquet_and_excel_csv(tmp_path, raw_dir):
    tables = build(raw_dir)
    out = tmp_path / "processed"
    written = write_tables(tables, out)
    assert {p.name for p in written} >= {"turns.parquet", "turns.csv", "documents.csv", "tokens.parquet"}
    assert (out / "turns.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    back = read_tables(out)
    pd.testing.assert_frame_equal(back["turns"], tables["turns"], check_dtype=False, check_categorical=False)
    csv = pd.read_csv(out / "turns.csv", encoding="utf-8-sig")
    assert len(csv) == len(tables["turns"])
    assert not list(out.glob("*.tmp"))


def test_write_refuses_the_raw_folder(raw_dir):
    with pytest.raises(ValueError, match="raw"):
        write_tables({}, config.RAW_DIR / "out")


def test_interrupted_write_keeps_the_old_file(tmp_path, raw_dir, monkeypatch):
    tables = build(raw_dir)
    out = tmp_path / "processed"
    write_tables(tables, out)
    before = (out / "turns.csv").read_bytes()

    def boom(df, path):
        Path(path).write_text("half a fi")
        raise KeyboardInterrupt

    import analysis.corpus.tables_io as tables_io
    monkeypatch.setattr(tables_io, "write_csv", boom)
    with pytest.raises(KeyboardInterrupt):
        write_tables(tables, out, formats=("csv",))
    assert (out / "documents.csv").read_bytes()  # untouched
    assert (out / "turns.csv").read_bytes() == before
    assert not list(out.glob(".*.tmp"))
