"""Speed and memory benchmark: segmentation ceiling, full build, the usual recipe.

    python benchmarks/run.py [--size-mb 20] [--json] [--source DIR ...] [--seed 0]
                             [--rebuild-files N] [--sample-mb 3] [--notebooks] [--check] [--keep]

Builds a corpus of ``--size-mb`` MB from real transcript text (``benchmarks/generate.py``),
then measures, on that same corpus and in the same run, each in a fresh process:

* bare segmentation: ``rjieba.cut`` over every transcript, one core (the ceiling),
  and ``jieba.lcut`` over a sample for reference;
* the usual recipe: ``df.text.apply(jieba.lcut).explode().value_counts()`` over the
  paragraphs of a sample of at most ``--sample-mb`` MB;
* the full build, ``build(corpus, workers=1)`` + ``write_tables``, and with two workers;
* rebuilds with the cache on ``--rebuild-files`` transcripts: cold, no-op, one file changed;
* peak memory (RSS) of each build, its workers included;
* optionally (``--notebooks``), the time to execute every notebook.

It prints a table and PASS/FAIL per target; with ``--json`` the last line of output is
one JSON object with every figure. MB are 1e6 bytes of UTF-8 text. Exit status: 0, or 1
when a figure could not be measured (the table says why) or, with ``--check``, when a
target fails.

``--phase`` runs one measurement on an existing folder and prints its JSON; the
benchmark runs itself that way so that no measurement shares a process with another.
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import generate as synth  # benchmarks/generate.py, beside this file
from figures import REQUIRED, TARGET_FILES, TARGET_MB, report, summarise
from sampler import TreeSampler
from stages import StageClock, default_write, writes_every_csv

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve()

_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t\u00a0\u3000]*\r?\n")
_RSS_UNIT = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux


class MissingFeature(Exception):
    """The package does not (yet) offer what a measurement needs."""


# --- one measurement, in its own process --------------------------------------

def transcript_files(folder: Path) -> list[Path]:
    return [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())


def sample(paths: list[Path], mb: float) -> list[Path]:
    """The first files (in name order, i.e. at random) up to ``mb`` MB, at least one."""
    out, total = [], 0
    for p in paths:
        if out and total + p.stat().st_size > mb * 1e6:
            break
        out.append(p)
        total += p.stat().st_size
    return out


def megabytes(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1e6


def rusage() -> dict:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_self_s": s.ru_utime + s.ru_stime, "cpu_children_s": c.ru_utime + c.ru_stime,
            "rss_self_mb": s.ru_maxrss * _RSS_UNIT / 1e6, "rss_children_mb": c.ru_maxrss * _RSS_UNIT / 1e6}


def phase_segment(args: argparse.Namespace) -> dict:
    """Bare segmentation: rjieba over everything, jieba over the sample."""
    import jieba
    import rjieba

    jieba.setLogLevel(logging.WARNING)
    paths = transcript_files(args.corpus)
    texts = [p.read_bytes().decode("utf-8") for p in paths]
    rjieba.cut("预热")  # loads the dictionary
    t0, c0 = time.perf_counter(), time.process_time()
    n_tokens = sum(len(rjieba.cut(t)) for t in texts)
    rjieba_s, rjieba_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    few = sample(paths, args.sample_mb)
    jieba.initialize()
    t0 = time.perf_counter()
    for t in texts[:len(few)]:
        jieba.lcut(t)
    jieba_s = time.perf_counter() - t0
    return {"mb": megabytes(paths), "rjieba_s": rjieba_s, "rjieba_cpu_s": rjieba_cpu_s, "tokens": n_tokens,
            "jieba_mb": megabytes(few), "jieba_s": jieba_s, **rusage()}


def phase_baseline(args: argparse.Namespace) -> dict:
    """The usual recipe on a DataFrame of paragraphs (reading the files is timed apart)."""
    import jieba
    import pandas as pd

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    paths = sample(transcript_files(args.corpus), args.sample_mb)
    t0 = time.perf_counter()
    rows = [(p.stem, para.strip()) for p in paths
            for para in _PARAGRAPH_BREAK.split(p.read_bytes().decode("utf-8")) if para.strip()]
    df = pd.DataFrame(rows, columns=["doc", "text"])
    read_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    counts = df.text.apply(jieba.lcut).explode().value_counts()
    recipe_s, recipe_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    return {"mb": megabytes(paths), "files": len(paths), "paragraphs": len(df), "read_s": read_s,
            "recipe_s": recipe_s, "recipe_cpu_s": recipe_cpu_s, "tokens": int(counts.sum()), "types": len(counts), **rusage()}


def phase_build(args: argparse.Namespace) -> dict:
    """``build`` (+ ``write_tables`` with --out) on a folder or one file."""
    t0 = time.perf_counter()
    try:
        from analysis.corpus import build, write_tables
    except Exception as exc:
        raise MissingFeature(f"analysis.corpus could not be imported: {type(exc).__name__}: {exc}") from exc
    import_s = time.perf_counter() - t0
    params = inspect.signature(build).parameters
    for name, needed in (("workers", args.workers != 1), ("cache_dir", args.cache is not None)):
        if needed and name not in params:
            raise MissingFeature(f"build() has no {name}= argument yet")

    def options(**wanted) -> dict:
        return {k: v for k, v in wanted.items() if k in params}

    kwargs = options(workers=args.workers, cache_dir=args.cache, progress=False)
    warmup_s = 0.0
    if args.warmup:  # one small file first, so one-time loading does not count as throughput
        t0 = time.perf_counter()
        build(transcript_files(args.corpus)[0], **options(workers=1, cache_dir=None, progress=False))
        warmup_s = time.perf_counter() - t0
    simulate = args.out is not None and writes_every_csv(write_tables)
    clock = StageClock().install()  # this process's share of the work, stage by stage
    before = rusage()
    sampler = TreeSampler()
    if sampler.available:
        sampler.start()
    try:  # how workers would start now (the package forks them only while no thread runs)
        from analysis.corpus.workers import start_method
        method = start_method() if args.workers > 1 else None
    except ImportError:
        method = None
    t0, c0 = time.perf_counter(), time.process_time()
    tables = build(args.corpus, **kwargs)
    build_s, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    write_s, write_cpu, written = 0.0, 0.0, []
    if args.out is not None:
        t0, c0 = time.perf_counter(), time.process_time()
        written = default_write(tables, args.out, write_tables, simulate=simulate)
        write_s, write_cpu = time.perf_counter() - t0, time.process_time() - c0
    if sampler.available:
        sampler.stop()
    clock.uninstall()
    after = rusage()
    # Workers we reaped show in RUSAGE_CHILDREN, the others only in the samples: take the larger.
    children_cpu = max(after["cpu_children_s"] - before["cpu_children_s"], sum(sampler.cpu.values()))
    # The process's own peak (exact) or the tree's sampled one. Not its children's getrusage peak: the
    # sampler is a child too, and a child's peak includes the pages it shared with this process when forked.
    peak_mb = max(sampler.peak_bytes / 1e6, after["rss_self_mb"])
    errors = tables.get("errors")
    return {"mb": megabytes(transcript_files(args.corpus)), "workers": args.workers, "import_s": import_s,
            "warmup_s": warmup_s, "build_s": build_s, "write_s": write_s,
            "stages_s": clock.finish(build_s, write_s),
            "stages_cpu_s": clock.finish(build_cpu, write_cpu, cpu=True), "stages_missing": clock.missing,
            "written": written, "write_simulated": simulate,
            "cpu_s": after["cpu_self_s"] - before["cpu_self_s"] + children_cpu,
            "peak_mb": peak_mb, "tree_peak_mb": sampler.peak_bytes / 1e6,
            "tree_peak_pss_mb": sampler.peak_pss_bytes / 1e6, "processes": 1 + len(sampler.cpu),
            "start_method": method,
            "rows": {name: len(df) for name, df in tables.items()},
            "failed_files": 0 if errors is None else len(errors), **after}


def _stamp(item: int) -> tuple[int, float]:
    """A worker's item for phase_workers: who did it, and when it started."""
    started = time.perf_counter()
    time.sleep(0.002)
    return os.getpid(), started


def phase_workers(args: argparse.Namespace) -> dict:
    """How soon a worker takes its first item: ``run_shared`` with the build's own set-up
    (``warm_up``: dictionaries and resources) and 1,500 items of 2 ms, started as the package
    starts them here (``start_method``), or with ``--start-method`` forced."""
    import functools

    from analysis import language
    from analysis.corpus import workers as pool
    from analysis.corpus.pipeline import warm_up

    if not hasattr(pool, "start_method"):
        raise MissingFeature("analysis.corpus.workers has no start_method()")
    if args.start_method:
        pool.start_method = lambda: args.start_method
    method = pool.start_method()
    res = language.shared(None)
    setup_s = []

    def setup_here() -> None:  # fork: the set-up runs in this process, before the workers start
        t = time.perf_counter()
        warm_up("rjieba", res)
        setup_s.append(time.perf_counter() - t)

    setup = setup_here if method == "fork" else functools.partial(warm_up, "rjieba", res)
    t0 = time.perf_counter()
    results = pool.run_shared(_stamp, list(range(1500)), 1, setup=setup)  # 3 s of work: time for a slow start
    total_s = time.perf_counter() - t0
    theirs = [t for pid, t in results if pid != os.getpid()]
    first = min(theirs) - t0 if theirs else None
    return {"method": method, "first_item_s": first, "setup_here_s": sum(setup_s),
            # what a worker costs over loading the resources once, which this process needs anyway
            "worker_start_s": None if first is None else first - sum(setup_s),
            "worker_items": len(theirs), "items": len(results), "total_s": total_s}


PHASES = {"segment": phase_segment, "baseline": phase_baseline, "build": phase_build, "workers": phase_workers}


def run_phase_here(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING)
    try:
        result = PHASES[args.phase](args)
    except MissingFeature as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 3
    except Exception as exc:
        traceback.print_exc()
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False))
        return 1
    print(json.dumps(result, ensure_ascii=False))
    return 0


# --- the whole benchmark ---------------------------------------------------------

def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_phase(phase: str, corpus: Path, **options) -> dict:
    """Run one measurement in a fresh interpreter -> its JSON (or ``{"error": ...}``)."""
    cmd = [sys.executable, str(HERE), "--phase", phase, "--corpus", str(corpus)]
    for name, value in options.items():
        if value is True:
            cmd.append(f"--{name.replace('_', '-')}")
        elif value not in (None, False):
            cmd += [f"--{name.replace('_', '-')}", str(value)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = proc.stderr.strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
        result = {"error": f"{phase} crashed: {tail[0]}"}
    if proc.returncode not in (0, 3) and proc.stderr.strip():
        say(proc.stderr.strip()[-3000:])
    result["process_s"] = time.perf_counter() - t0
    return result


def package_state() -> list[tuple[str, int, int]]:
    """Every file of the installed package with its size and mtime: a rebuild cache keys on these."""
    import analysis

    root = Path(analysis.__file__).resolve().parent
    return sorted((str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def measure(args: argparse.Namespace, work: Path) -> dict:
    say(f"reading source transcripts from {', '.join(str(s) for s in args.sources)}")
    pools = synth.read_sources(args.sources)
    say(f"writing a {args.size_mb:g} MB corpus to {work / 'corpus'}")
    main_corpus = synth.write_corpus(work / "corpus", size_mb=args.size_mb, file_bytes=args.file_bytes,
                                     seed=args.seed, pools=pools)
    say(f"writing {args.rebuild_files} transcripts for the rebuild test to {work / 'rebuild'}")
    rebuild = synth.write_corpus(work / "rebuild", n_files=args.rebuild_files, file_bytes=args.file_bytes,
                                 seed=args.seed + 1, pools=pools)
    r: dict = {"corpus": main_corpus, "rebuild": rebuild}

    say("bare segmentation (rjieba, then jieba on the sample)")
    r["segment"] = run_phase("segment", main_corpus.root, sample_mb=args.sample_mb)
    say("the usual recipe (pandas + jieba.lcut) on the sample")
    r["baseline"] = run_phase("baseline", main_corpus.root, sample_mb=args.sample_mb)
    for workers in (1, 2):
        say(f"full build, {workers} worker{'s' * (workers > 1)}")
        r[f"build{workers}"] = run_phase("build", main_corpus.root, workers=workers, out=work / f"out{workers}",
                                         warmup=True)
        shutil.rmtree(work / f"out{workers}", ignore_errors=True)

    cache = work / "cache"
    say(f"rebuild test: cold build with the cache ({rebuild.mb:.1f} MB, 2 workers)")
    r["cold"] = run_phase("build", rebuild.root, workers=2, cache=cache)
    if "error" in r["cold"]:
        for name in ("noop", "one_file", "own"):
            r[name] = {"error": r["cold"]["error"]}
    else:
        say("rebuild test: no-op rebuild")
        r["noop"] = run_phase("build", rebuild.root, workers=1, cache=cache)
        changed = rebuild.paths[len(rebuild.paths) // 2]
        r["changed_bytes"] = synth.append_paragraph(changed, seed=args.seed, pools=pools)
        r["changed_file"] = changed
        say(f"rebuild test: one changed file ({changed.relative_to(rebuild.root)})")
        r["one_file"] = run_phase("build", rebuild.root, workers=1, cache=cache)
        say("rebuild test: that file alone, without the cache")
        r["own"] = run_phase("build", changed, workers=1)
    say("worker start: as the package starts them, then by a fork server")
    r["workers"] = run_phase("workers", main_corpus.root)
    r["workers_forkserver"] = run_phase("workers", main_corpus.root, start_method="forkserver")
    say("start-up: import and the first table in a fresh interpreter")
    r["startup"] = time_startup()
    if args.notebooks:
        r["notebooks"] = time_notebooks()
        if "error" not in r.get("one_file", {"error": ""}):
            # The user's case: one more transcript dropped into the folder, every notebook rerun.
            new = rebuild.root / "new-transcript.txt"
            shutil.copy(main_corpus.paths[0], new)
            say(f"notebooks on the rebuild corpus after one new transcript ({new.stat().st_size:,} bytes)")
            r["notebooks_rebuild"] = time_notebooks(data_dir=rebuild.root, cache=cache, out=work / "figures")
    return r


_STARTUP = """
import json, sys, time
t0 = time.perf_counter()
from analysis.corpus import build
t1 = time.perf_counter()
tables = build(sys.argv[1], progress=False)
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_table_s": t2 - t1, "turns": len(tables["turns"])}))
"""


def time_startup() -> dict:
    """A fresh interpreter (nothing imported yet, as in a new kernel): import the package,
    then ``build`` the biggest bundled transcript; the best of three runs."""
    raw = sorted(transcript_files(ROOT / "data" / "raw"), key=lambda p: p.stat().st_size)
    if not raw:
        return {"error": "no bundled transcript in data/raw"}
    runs = []
    for _ in range(3):
        proc = subprocess.run([sys.executable, "-c", _STARTUP, str(raw[-1])], capture_output=True, text=True)
        try:
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        except (IndexError, json.JSONDecodeError):
            return {"error": f"start-up run failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}"}
    best = min(runs, key=lambda x: x["import_s"] + x["first_table_s"])
    return {**best, "total_s": best["import_s"] + best["first_table_s"], "file": raw[-1].name}


def time_notebooks(data_dir: Path | None = None, cache: Path | None = None, out: Path | None = None) -> dict:
    """Execute every notebook in notebooks/ in a fresh kernel each, as the tests do: on the
    bundled data, or (with papermill) on ``data_dir`` with the build cache in ``cache``
    and charts in ``out``; then also the time of each notebook's ``build`` cell."""
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not paths:
        return {"skipped": "no notebooks in notebooks/"}
    try:
        import nbformat
        import papermill
        from nbclient import NotebookClient
    except ImportError as exc:
        return {"error": f"needs the notebooks extra: {exc}"}
    times, build_cells, t0 = {}, {}, time.perf_counter()
    saved = os.environ.get("ANALYSIS_CACHE_DIR")
    if cache is not None:
        os.environ["ANALYSIS_CACHE_DIR"] = str(cache)  # each kernel inherits it
    try:
        for path in paths:
            say(f"executing {path.name}")
            t = time.perf_counter()
            try:
                if data_dir is None:
                    NotebookClient(nbformat.read(path, as_version=4), timeout=600, kernel_name="python3",
                                   resources={"metadata": {"path": str(path.parent)}}).execute()
                else:
                    nb = papermill.execute_notebook(str(path), None, kernel_name="python3", progress_bar=False,
                                                    parameters={"DATA_DIR": str(data_dir), "OUTPUT_DIR": str(out)},
                                                    cwd=str(path.parent))
                    build_cells[path.name] = sum(c.metadata.get("papermill", {}).get("duration") or 0
                                                 for c in nb.cells if re.search(r"\b(?:build|start)\(", "".join(c.source)))
            except Exception as exc:
                last = (str(exc).strip().splitlines() or [""])[-1]
                return {"error": f"{path.name} failed: {type(exc).__name__}: {last}"}
            times[path.name] = time.perf_counter() - t
    finally:
        if saved is None:
            os.environ.pop("ANALYSIS_CACHE_DIR", None)
        else:
            os.environ["ANALYSIS_CACHE_DIR"] = saved
    return {"total_s": time.perf_counter() - t0, "each_s": times, **({"build_cells_s": build_cells} if build_cells else {})}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=TARGET_MB, help="corpus size in MB (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="end the output with one JSON line of every figure")
    parser.add_argument("--source", type=Path, action="append", default=[],
                        help="another folder of transcripts to draw text from (repeatable); data/raw/ is always used")
    parser.add_argument("--seed", type=int, default=0, help="corpus generator seed (default: %(default)s)")
    parser.add_argument("--file-kb", type=float, default=synth.FILE_BYTES / 1000,
                        help="average transcript size in kB (default: %(default)s)")
    parser.add_argument("--rebuild-files", type=int,
                        help=f"transcripts in the rebuild test (default: {TARGET_FILES:,}, "
                             f"fewer for a corpus under {TARGET_MB:g} MB, at least 50)")
    parser.add_argument("--sample-mb", type=float, default=3.0,
                        help="at most this many MB for the usual recipe and jieba (default: %(default)s)")
    parser.add_argument("--notebooks", action="store_true", help="also time executing notebooks/*.ipynb")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora (their folder is printed)")
    one = parser.add_argument_group("one measurement in this process (used by the benchmark itself)")
    one.add_argument("--phase", choices=sorted(PHASES))
    one.add_argument("--corpus", type=Path, help="folder (or file) to measure")
    one.add_argument("--workers", type=int, default=1)
    one.add_argument("--cache", type=Path, help="build(cache_dir=...)")
    one.add_argument("--out", type=Path, help="also write_tables() here")
    one.add_argument("--warmup", action="store_true", help="build one file first, untimed")
    one.add_argument("--start-method", help="phase workers: start workers this way (fork, forkserver, spawn)")
    args = parser.parse_args(argv)

    if args.phase:
        if args.corpus is None:
            parser.error("--phase needs --corpus")
        return run_phase_here(args)

    from analysis import config  # paths come from the package's config

    args.sources = [config.RAW_DIR, *args.source]
    if args.rebuild_files is None:  # a quick check stays quick
        args.rebuild_files = max(50, round(TARGET_FILES * min(args.size_mb / TARGET_MB, 1)))
    args.file_bytes = int(args.file_kb * 1000)
    work = Path(tempfile.mkdtemp(prefix="analysis-benchmark-"))
    before = package_state()
    try:
        r = measure(args, work)
    finally:
        if args.keep:
            say(f"kept the corpora in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    r["package_changed"] = package_state() != before
    s = summarise(r, args)
    print(report(r, s, args), flush=True)
    if args.json:
        print(json.dumps(s, ensure_ascii=False))
    if any(k in s["missing"] for k in REQUIRED):
        return 1
    if args.check and any(t["pass"] is False for t in s["targets"]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
