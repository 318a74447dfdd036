"""From the phases' raw results to the figures: the JSON line, the targets, the table for people."""

from __future__ import annotations

import argparse
import os
import platform

from stages import STAGES  # benchmarks/stages.py, beside this file

# The figures every run reports (``--json``); null only when one could not be measured.
REQUIRED = ("corpus_mb", "segment_mb_s", "build_mb_s", "build2_mb_s", "baseline_mb_s",
            "noop_rebuild_s", "one_file_rebuild_s", "peak_rss_mb")
TARGET_MB = 20.0
TARGET_FILES = 1000


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def summarise(r: dict, args: argparse.Namespace) -> dict:
    """Raw phase results -> the flat figures of the JSON line (None when not measured)."""
    main_corpus, rebuild = r["corpus"], r["rebuild"]
    missing: dict[str, str] = {}

    def get(phase: str, name: str, fn):
        result = r.get(phase, {})
        if "error" in result:
            missing[name] = result["error"]
            return None
        return round(fn(result), 4)

    s: dict = {"corpus_mb": round(main_corpus.mb, 3), "files": len(main_corpus.paths),
               "unique_text": round(main_corpus.unique_text, 3), "seed": args.seed}
    s["segment_mb_s"] = get("segment", "segment_mb_s", lambda x: x["mb"] / x["rjieba_s"])
    s["jieba_mb_s"] = get("segment", "jieba_mb_s", lambda x: x["jieba_mb"] / x["jieba_s"])
    s["baseline_mb_s"] = get("baseline", "baseline_mb_s", lambda x: x["mb"] / x["recipe_s"])
    s["baseline_sample_mb"] = get("baseline", "baseline_sample_mb", lambda x: x["mb"])
    # The same per CPU second of the measuring process (and its workers): on a machine other
    # programs keep busy, wall seconds of different phases are not comparable; CPU seconds are.
    s["segment_mb_cpu_s"] = get("segment", "segment_mb_cpu_s", lambda x: x["mb"] / x["rjieba_cpu_s"])
    s["baseline_mb_cpu_s"] = get("baseline", "baseline_mb_cpu_s", lambda x: x["mb"] / x["recipe_cpu_s"])
    s["build_mb_cpu_s"] = get("build1", "build_mb_cpu_s", lambda x: x["mb"] / x["cpu_s"])
    for key, phase in (("build", "build1"), ("build2", "build2")):
        s[f"{key}_mb_s"] = get(phase, f"{key}_mb_s", lambda x: x["mb"] / (x["build_s"] + x["write_s"]))
        s[f"{key}_s"] = get(phase, f"{key}_s", lambda x: x["build_s"])
        s[f"{key}_write_s"] = get(phase, f"{key}_write_s", lambda x: x["write_s"])
        s[f"{key}_cpu_s"] = get(phase, f"{key}_cpu_s", lambda x: x["cpu_s"])
    # seconds per stage in the build's own process (with two workers: its share only)
    for key, phase in (("stages_s", "build1"), ("stages_cpu_s", "build1"), ("stages2_s", "build2")):
        s[key] = r.get(phase, {}).get(key.replace("2", ""))
    s["write_simulated"] = bool(r.get("build1", {}).get("write_simulated"))
    s["written"] = r.get("build1", {}).get("written")
    s["peak_rss_mb"] = get("build1", "peak_rss_mb", lambda x: x["peak_mb"])
    s["peak_rss2_mb"] = get("build2", "peak_rss2_mb", lambda x: x["peak_mb"])
    # forked workers share the pages they inherited: summed RSS counts those once per process, PSS once
    s["peak_pss2_mb"] = get("build2", "peak_pss2_mb", lambda x: x.get("tree_peak_pss_mb") or x["peak_mb"])
    s["rebuild_files"] = len(rebuild.paths)
    s["rebuild_mb"] = round(rebuild.mb, 3)
    s["cold_rebuild_s"] = get("cold", "cold_rebuild_s", lambda x: x["build_s"])
    s["noop_rebuild_s"] = get("noop", "noop_rebuild_s", lambda x: x["build_s"])
    s["one_file_rebuild_s"] = get("one_file", "one_file_rebuild_s", lambda x: x["build_s"])
    s["one_file_own_s"] = get("own", "one_file_own_s", lambda x: x["build_s"])
    s["startup_s"] = get("startup", "startup_s", lambda x: x["total_s"])
    s["worker_start_method"] = r.get("workers", {}).get("method")
    for key, phase in (("worker_start_s", "workers"), ("worker_start_forkserver_s", "workers_forkserver")):
        got = r.get(phase, {}).get("worker_start_s")  # None: no worker took an item (or not measured)
        s[key] = None if got is None else round(got, 4)
    if "notebooks" in r and "skipped" not in r["notebooks"]:
        s["notebooks_s"] = get("notebooks", "notebooks_s", lambda x: x["total_s"])
    if "notebooks_rebuild" in r:
        s["notebooks_rebuild_s"] = get("notebooks_rebuild", "notebooks_rebuild_s", lambda x: x["total_s"])
        cells = r["notebooks_rebuild"].get("build_cells_s")
        s["notebooks_rebuild_build_s"] = None if cells is None else [round(x, 4) for x in cells.values()]
    s["targets"] = targets(s)
    s["package_changed"] = r["package_changed"]
    s["missing"] = {k: v for k, v in missing.items() if k in REQUIRED or k.startswith("notebooks")}
    # What each process reported, for digging further (row counts, RSS of the process and its workers).
    s["phases"] = {name: r[name] for name in ("segment", "baseline", "build1", "build2", "cold", "noop",
                                              "one_file", "own", "workers", "workers_forkserver", "startup",
                                              "notebooks", "notebooks_rebuild")
                   if name in r}
    return s


def targets(s: dict) -> list[dict]:
    """The issue's targets -> [{name, value, limit, pass}] (pass is None when not measured)."""
    out = []

    def add(name: str, value: float | None, limit: float, at_least: bool, unit: str) -> None:
        ok = None if value is None else (value >= limit if at_least else value < limit)
        out.append({"name": name, "value": None if value is None else round(value, 3),
                    "limit": round(limit, 3), "at_least": at_least, "unit": unit, "pass": ok})

    add("full build >= 25% of bare rjieba segmentation", ratio(s["build_mb_s"], s["segment_mb_s"]), 0.25, True, "x")
    add("full build >= 10x the usual recipe", ratio(s["build_mb_s"], s["baseline_mb_s"]), 10, True, "x")
    add("two workers >= 1.6x one worker", ratio(s["build2_mb_s"], s["build_mb_s"]), 1.6, True, "x")
    add(f"no-op rebuild of {s['rebuild_files']:,} transcripts < 1 s", s["noop_rebuild_s"], 1.0, False, "s")
    own = s["one_file_own_s"]
    add("one changed file < 1 s + that file alone", s["one_file_rebuild_s"],
        1.0 + (own or 0.0), False, "s")
    if own is None:
        out[-1]["pass"] = None
    add("peak memory of the build < 1 GB", s["peak_rss_mb"], 1000, False, "MB")
    add("peak memory with two workers < 1 GB (PSS)", s["peak_pss2_mb"], 1000, False, "MB")
    add("start-up: import + first table < 1 s", s.get("startup_s"), 1.0, False, "s")
    if "notebooks_s" in s:
        add("all notebooks execute < 30 s", s["notebooks_s"], 30, False, "s")
    return out


def fmt(value: float | None, spec: str = ".2f") -> str:
    return "n/a" if value is None else format(value, spec)


def report(r: dict, s: dict, args: argparse.Namespace) -> str:
    """The table for people."""
    main_corpus, rebuild = r["corpus"], r["rebuild"]
    lines = [
        f"corpus: {main_corpus.mb:.1f} MB in {len(main_corpus.paths):,} transcripts "
        f"of about {args.file_bytes / 1000:g} kB, "
        f"assembled from {len(main_corpus.sources)} source files (seed {args.seed}); "
        f"{main_corpus.unique_text:.0%} of the text in paragraphs that occur once",
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}",
        "",
    ]
    table = [("what", "MB", "seconds", "MB/s", "CPU s", "peak RSS MB", "PSS MB")]
    seg, base = r["segment"], r["baseline"]
    table.append(("bare segmentation: rjieba.cut, 1 core (the ceiling)", fmt(seg.get("mb"), ".1f"),
                  fmt(seg.get("rjieba_s")), fmt(s["segment_mb_s"]), "", fmt(seg.get("rss_self_mb"), ".0f"), ""))
    table.append(("  for reference: jieba.lcut, 1 core, on the sample", fmt(seg.get("jieba_mb"), ".1f"),
                  fmt(seg.get("jieba_s")), fmt(s["jieba_mb_s"]), "", "", ""))
    table.append(("usual recipe: apply(jieba.lcut), explode, value_counts", fmt(base.get("mb"), ".1f"),
                  fmt(base.get("recipe_s")), fmt(s["baseline_mb_s"]), "", fmt(base.get("rss_self_mb"), ".0f"), ""))
    for workers, key, rss in ((1, "build", "peak_rss_mb"), (2, "build2", "peak_rss2_mb")):
        b = r[f"build{workers}"]
        secs = "" if "error" in b else f"{b['build_s']:.2f} + {b['write_s']:.2f}"
        table.append((f"full build, {workers} worker{'s' * (workers > 1)}: build + write_tables",
                      fmt(b.get("mb"), ".1f"), secs, fmt(s[f"{key}_mb_s"]), fmt(b.get("cpu_s"), ".1f"),
                      fmt(s[rss], ".0f"), fmt(b.get("tree_peak_pss_mb"), ".0f")))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    if None not in (s["segment_mb_cpu_s"], s["baseline_mb_cpu_s"], s["build_mb_cpu_s"]):
        lines += ["", f"per CPU second (steadier on a busy machine): segmentation {s['segment_mb_cpu_s']:.2f} MB, "
                      f"usual recipe {s['baseline_mb_cpu_s']:.2f} MB, 1-worker build + write {s['build_mb_cpu_s']:.2f} MB "
                      f"= {s['build_mb_cpu_s'] / s['baseline_mb_cpu_s']:.1f}x the recipe, "
                      f"{s['build_mb_cpu_s'] / s['segment_mb_cpu_s']:.0%} of segmentation"]
    lines += stage_lines(s)
    lines += ["", f"rebuild with the cache, {len(rebuild.paths):,} transcripts ({rebuild.mb:.1f} MB), build() only:"]
    for label, key in (("cold, 2 workers (fills the cache)", "cold_rebuild_s"),
                       ("no-op", "noop_rebuild_s"),
                       (f"one file changed (+{r.get('changed_bytes', 0):,} bytes)", "one_file_rebuild_s"),
                       ("that file alone, no cache", "one_file_own_s")):
        lines.append(f"  {label:<40} {fmt(s[key]):>8} s")
    if s.get("worker_start_s") is not None:
        other = s.get("worker_start_forkserver_s")
        lines.append(f"  {'a worker takes its first batch after':<40} {fmt(s['worker_start_s']):>8} s"
                     f"  (started by {s['worker_start_method']}, beyond loading the resources once"
                     + (f"; by a fork server: {fmt(other)} s)" if other is not None else ")"))
    st = r.get("startup", {})
    if "total_s" in st:
        lines.append(f"  {'start-up: import + first table':<40} {fmt(s['startup_s']):>8} s"
                     f"  (import {st['import_s']:.2f} s, {st['file']} {st['first_table_s']:.2f} s)")
    if "notebooks_s" in s:
        lines.append(f"  {'all notebooks, executed':<40} {fmt(s['notebooks_s']):>8} s")
    elif "notebooks" in r:
        lines.append(f"notebooks: skipped ({r['notebooks']['skipped']})")
    if s.get("notebooks_rebuild_s") is not None:
        cells = ", ".join(fmt(x) for x in s["notebooks_rebuild_build_s"])
        lines.append(f"  {'all notebooks, one new transcript':<40} {fmt(s['notebooks_rebuild_s']):>8} s"
                     f"  (on the {len(rebuild.paths):,} above; build cells {cells} s)")

    at_target = args.size_mb >= TARGET_MB and args.rebuild_files >= TARGET_FILES
    lines += ["", "targets" + ("" if at_target else
                               f" (set for {TARGET_MB:g} MB and {TARGET_FILES:,} transcripts; indicative only here)")]
    for t in s["targets"]:
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[t["pass"]]
        need = f"{'>=' if t['at_least'] else '<'} {round(t['limit'], 2):g}{t['unit']}".replace("MB", " MB")
        value = "n/a" if t["value"] is None else f"{t['value']:.2f}{t['unit']}".replace("MB", " MB")
        lines.append(f"  {verdict}  {t['name']:<46} {value:>10}  (need {need})")
    if s["missing"]:
        lines += ["", "not measured:"]
        for reason in dict.fromkeys(s["missing"].values()):
            keys = ", ".join(k for k, v in s["missing"].items() if v == reason)
            lines.append(f"  {keys}: {reason}")
    for name in ("build1", "build2", "cold", "noop", "one_file"):
        if r.get(name, {}).get("failed_files"):
            lines.append(f"warning: {name}: the build reported {r[name]['failed_files']} generated files as errors")
    if r["package_changed"]:
        lines.append("warning: the package's files changed during the run, so figures may mix two versions "
                     "and the cache may have been invalidated between the rebuilds; run it again")
    cold, noop = r.get("cold", {}), r.get("noop", {})
    if "rows" in cold and "rows" in noop and cold["rows"] != noop["rows"]:
        lines.append(f"warning: the no-op rebuild returned other tables than the cold build: "
                     f"{noop['rows']} rows, not {cold['rows']}")
    return "\n".join(lines)


def stage_lines(s: dict) -> list[str]:
    """Where the 1-worker build's time goes: seconds, share and MB/s of each stage."""
    split, cpu = s.get("stages_s"), s.get("stages_cpu_s") or {}
    if not split:
        return []
    total = sum(split.values()) or 1.0
    mb = s["corpus_mb"]
    out = ["", "where the 1-worker build's time goes (wall seconds, share, the corpus's MB through that stage "
               "per second, CPU seconds):"]
    for stage in STAGES:
        secs = split.get(stage, 0.0)
        speed = f"{mb / secs:7.1f} MB/s" if secs > 0 else " " * 12
        out.append(f"  {stage:<10} {secs:7.2f} s  {secs / total:4.0%}  {speed}  {cpu.get(stage, 0.0):7.2f} CPU s")
    out.append(f"  {'total':<10} {total:7.2f} s  {'':4}  {mb / total:7.1f} MB/s  {sum(cpu.values()):7.2f} CPU s")
    if s.get("write_simulated"):
        out.append("  (write: the package still writes every CSV; simulated what issue 17 decided: Parquet for every "
                   "table, CSV only for tables of at most 1,048,576 rows)")
    return out

