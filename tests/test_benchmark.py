"""benchmarks/: the synthetic corpus and one quick run of the whole benchmark."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.parse import parse_text

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
# The figures the issue asks for; each must be a positive number.
KEYS = ("corpus_mb", "segment_mb_s", "build_mb_s", "build2_mb_s", "baseline_mb_s",
        "noop_rebuild_s", "one_file_rebuild_s", "peak_rss_mb")


def _script(name: str):
    """A module of benchmarks/, which is a script folder rather than a package."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))  # its modules import each other by bare name
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def stages():
    return _script("stages")


def test_stage_clock_splits_a_build_into_its_stages(stages):
    from analysis.corpus import build, pipeline

    real = pipeline.to_tokens
    clock = stages.StageClock().install()
    try:
        assert pipeline.to_tokens is not real  # the pipeline now calls the timed one
        tables = build(ROOT / "data" / "raw", progress=False, cache_dir=None)
    finally:
        clock.uninstall()
    assert pipeline.to_tokens is real
    assert len(tables["tokens"]) > 1000 and clock.missing == []
    split = clock.finish(build=100.0, write=2.5)
    assert list(split) == list(stages.STAGES)
    language = ("tokens", "topics", "mentions", "exchanges")
    assert all(split[k] > 0 for k in ("decode", "parse", *language))
    assert split["write"] == 2.5
    assert sum(split.values()) == pytest.approx(102.5, abs=1e-3)  # combine is what the stages leave
    # parse is process_documents less the language stages it ran
    assert split["parse"] < sum(clock.seconds[k] for k in ("parse", *language))


def _every_csv(tables, out, formats=("parquet", "csv")):
    """write_tables as it was before issue 17: every table in every format, in place."""
    for name, df in tables.items():
        for fmt in formats:
            getattr(df, f"to_{fmt}")(f"{out}/{name}.{fmt}", index=False)


def test_default_write_simulates_the_decision_for_an_old_writer(stages, tmp_path):
    import pandas as pd

    big = pd.DataFrame({"x": range(stages.EXCEL_ROWS)})  # with its header, one row too many
    small = pd.DataFrame({"doc_id": ["a", "b"], "n": [1, 2]})
    written = stages.default_write({"tokens": big, "turns": small}, tmp_path, _every_csv, simulate=True)
    assert written == ["tokens.parquet", "turns.csv", "turns.parquet"]
    assert len(pd.read_parquet(tmp_path / "tokens.parquet")) == stages.EXCEL_ROWS


def test_the_package_writes_as_decided(stages, tmp_path):
    import pandas as pd

    from analysis.corpus import write_tables

    assert not stages.writes_every_csv(write_tables)  # so the benchmark measures its own default
    big = pd.DataFrame({"x": range(stages.EXCEL_ROWS)})
    small = pd.DataFrame({"doc_id": ["a", "b"], "n": [1, 2]})
    written = stages.default_write({"tokens": big, "turns": small}, tmp_path, write_tables, simulate=False)
    assert "tokens.csv" not in written and {"tokens.parquet", "turns.csv", "turns.parquet"} <= set(written)


def test_probe_tells_whether_the_package_writes_every_csv(stages, tmp_path):
    def every_csv(tables, out):
        for name, df in tables.items():
            df.to_csv(f"{out}/{name}.csv")

    def parquet_only(tables, out):
        for name, df in tables.items():
            df.to_parquet(f"{out}/{name}.parquet")

    assert stages.writes_every_csv(every_csv) is True
    assert stages.writes_every_csv(_every_csv) is True
    assert stages.writes_every_csv(parquet_only) is False


@pytest.fixture(scope="module")
def synth():
    return _script("generate")


def test_corpus_is_deterministic_for_a_seed(synth, tmp_path):
    a = synth.write_corpus(tmp_path / "a", n_files=12, seed=7)
    b = synth.write_corpus(tmp_path / "b", n_files=12, seed=7)
    c = synth.write_corpus(tmp_path / "c", n_files=12, seed=8)
    read = lambda corpus: [p.read_bytes() for p in corpus.paths]  # noqa: E731
    assert len(a.paths) == 12
    assert read(a) == read(b)
    assert read(a) != read(c)


def test_corpus_reaches_the_size_asked(synth, tmp_path):
    corpus = synth.write_corpus(tmp_path, size_mb=0.2, file_bytes=10_000)
    assert 0.2 <= corpus.mb < 0.2 + 0.015
    assert corpus.n_bytes == sum(p.stat().st_size for p in corpus.paths)
    assert corpus.unique_text > 0.8  # varied, so per-text caches cannot flatter the build


def test_generated_transcripts_have_questions_and_answers(synth, tmp_path):
    corpus = synth.write_corpus(tmp_path, n_files=20, seed=3)
    for path in corpus.paths:
        text = path.read_bytes().decode("utf-8")
        turns, _ = parse_text(text)
        roles = {t.role for t in turns}
        assert {"question", "answer"} <= roles, path.name


def test_append_paragraph_changes_only_that_file(synth, tmp_path):
    corpus = synth.write_corpus(tmp_path, n_files=3, seed=1)
    before = [p.read_bytes() for p in corpus.paths]
    added = synth.append_paragraph(corpus.paths[1], seed=1)
    after = [p.read_bytes() for p in corpus.paths]
    assert added > 0
    assert after[0] == before[0] and after[2] == before[2]
    assert after[1].startswith(before[1]) and len(after[1]) == len(before[1]) + added


@pytest.mark.slow  # the whole benchmark, several fresh processes
def test_quick_benchmark_reports_every_figure(tmp_path):
    # A tiny corpus keeps this at about a minute; the figures only have to exist.
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--size-mb", "0.3", "--rebuild-files", "50",
         "--sample-mb", "0.3", "--json"],
        capture_output=True, text=True, cwd=tmp_path, timeout=240,  # about a minute; more on a busy machine
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    for key in KEYS:
        assert isinstance(result[key], (int, float)) and result[key] > 0, (key, result["missing"].get(key))
    assert result["rebuild_files"] == 50
    assert {t["name"] for t in result["targets"]} >= {"two workers >= 1.6x one worker",
                                                      "start-up: import + first table < 1 s"}
    stage_split = result["stages_s"]
    assert list(stage_split) == ["decode", "parse", "tokens", "topics", "mentions", "exchanges", "combine", "write"]
    assert stage_split["parse"] > 0 and stage_split["tokens"] > 0
    build1 = result["phases"]["build1"]
    assert sum(stage_split.values()) == pytest.approx(build1["build_s"] + build1["write_s"], abs=0.01)
    assert "tokens.parquet" in result["written"]
    assert result["worker_start_method"] in (("fork",) if sys.platform.startswith("linux") else ("forkserver", "spawn"))
    assert result["phases"]["workers_forkserver"]["method"] == "forkserver"
    startup = result["phases"]["startup"]
    assert result["startup_s"] > 0 and startup["turns"] == 29  # the full seed copy: 29 turns
