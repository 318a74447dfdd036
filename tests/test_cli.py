"""cli: analysis build and analysis charts."""

from __future__ import annotations

import pytest

from analysis.cli import main


def test_cli_build_reports_failures(mixed, tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(["build", "--raw", str(mixed), "--out", str(out), "--no-cache", "--workers", "1"])
    captured = capsys.readouterr()
    assert rc == 1
    assert "a/interview: 4 turns, 2 exchanges" in captured.out
    assert "FAILED" in captured.err and "binary.txt" in captured.err and "empty.txt" in captured.err
    assert (out / "turns.parquet").is_file() and (out / "errors.csv").is_file()


@pytest.mark.slow  # every standard chart of every document, end to end
def test_cli_build_and_charts_on_the_bundled_data(tmp_path, capsys):
    out = tmp_path / "processed"
    assert main(["build", "--out", str(out), "--no-cache"]) == 0
    figs = tmp_path / "figures"
    assert main(["charts", "--processed", str(out), "--out", str(figs), "--format", "png"]) == 0
    pngs = sorted(p.relative_to(figs).as_posix() for p in figs.rglob("*.png"))
    assert "2025-07-16-jensen-huang-press-meeting-full/answer_length_by_exchange.png" in pngs
    assert all((figs / p).stat().st_size > 1000 for p in pngs)


def test_cli_missing_folder(tmp_path, capsys):
    assert main(["build", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
