"""corpus.output and corpus.lock: the output folder always holds one complete build.

Builds are killed (SIGKILL) in a child process at each point of a write, two builds
write one folder at once, a build waits for another holding the lock, the disk fills
up (a small tmpfs, when this machine lets us mount one), the output is a file or
inside the raw folder: each time the folder holds the previous build or the new one,
whole, and the raw folder is unchanged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import build, lock, read_tables, write_tables
from analysis.corpus.output import OutputError

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw"
EXCERPT = "2025-07-16-jensen-huang-press-meeting-excerpt"
FULL = "2025-07-16-jensen-huang-press-meeting-full"
TABLE_FILES = {f"{t}.{ext}" for t in ("documents", "turns", "tokens", "topics", "mentions", "exchanges", "errors")
               for ext in ("parquet", "csv")}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, Path]:
    """Two raw folders: "a" holds the excerpt, "b" both seeds."""
    base = tmp_path_factory.mktemp("corpora")
    (base / "a").mkdir()
    shutil.copy(SEEDS / f"{EXCERPT}.md", base / "a")
    (base / "b").mkdir()
    for p in SEEDS.glob("2025-*"):
        shutil.copy(p, base / "b")
    return {"a": base / "a", "b": base / "b"}


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def which_build(out: Path) -> str:
    """"a" or "b" when every table file in ``out`` is of that build (and all are there); fails otherwise."""
    assert {p.name for p in out.iterdir() if p.name in TABLE_FILES} == TABLE_FILES
    seen = set()
    for p in out.iterdir():
        if p.suffix == ".parquet" and p.stem != "errors":
            ids = set(pd.read_parquet(p, columns=["doc_id"]).doc_id.astype(str))
        elif p.suffix == ".csv" and p.stem != "errors":
            ids = set(pd.read_csv(p, encoding="utf-8-sig", usecols=["doc_id"]).doc_id)
        else:
            continue
        seen.add(frozenset(ids))
    assert len(seen) == 1, f"tables of different builds side by side: {seen}"
    return {frozenset({EXCERPT}): "a", frozenset({EXCERPT, FULL}): "b"}[seen.pop()]


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and
                  not p.name.endswith(".lock"))


def test_a_write_replaces_the_whole_set_and_keeps_other_files(tmp_path, corpora):
    out = tmp_path / "processed"
    write_tables(build(corpora["b"], resources=None), out)
    (out / "README.md").write_text("my notes")
    (out / "extra").mkdir()
    (out / "extra" / "chart.png").write_bytes(b"png")
    (out / ".turns.csv.0123abcd.tmp").write_text("half a fi")  # an older version's interrupted write
    write_tables(build(corpora["a"], resources=None), out)
    assert not (out / ".turns.csv.0123abcd.tmp").exists()
    assert which_build(out) == "a"
    assert (out / "README.md").read_text() == "my notes"
    assert (out / "extra" / "chart.png").read_bytes() == b"png"
    assert leftovers(out) == []


# The child writes build "b" over build "a" and is killed at one point of the write.
CHILD = r"""
import os, signal, sys
import pandas as pd
from analysis.corpus import output, tables_io, read_tables
point, src, out = sys.argv[1:4]
tables = {name: pd.read_parquet(os.path.join(src, name + ".parquet")) for name in
          ("documents", "turns", "tokens", "topics", "mentions", "exchanges", "errors")}
die = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
if point == "mid-write":  # after the third file
    real, n = tables_io.write_parquet, [0]
    def write(df, path):
        real(df, path); n[0] += 1
        if n[0] == 3: die()
    tables_io.write_parquet = write
elif point == "before-swap":
    output._swap = die
elif point == "between-renames":  # no atomic exchange: two renames, killed between them
    output._exchange = lambda a, b: False
    real_rename, n = os.rename, [0]
    def rename(a, b):
        real_rename(a, b); n[0] += 1
        if n[0] == 1: die()
    output.os.rename = rename
elif point == "after-swap":
    output.shutil.rmtree = die
tables_io.write_tables(tables, out)
"""


@pytest.mark.parametrize("point", ["mid-write", "before-swap", "between-renames", "after-swap"])
def test_a_build_killed_while_writing_leaves_one_complete_build(tmp_path, corpora, point):
    src = tmp_path / "b-tables"
    write_tables(build(corpora["b"], resources=None), src, csv="none")
    out = tmp_path / "processed"
    write_tables(build(corpora["a"], resources=None), out)
    raw_before = snapshot(corpora["b"])
    proc = subprocess.run([sys.executable, "-c", CHILD, point, str(src), str(out)], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    expected = "b" if point == "after-swap" else "a"
    if point == "between-renames":  # the folder is away for a moment: the next run puts it back
        assert not out.exists() and leftovers(out)
        from analysis.corpus.output import clean_leftovers

        clean_leftovers(out)
    assert which_build(out) == expected
    write_tables(build(corpora["a"], resources=None), out)  # the next build cleans up
    assert which_build(out) == "a" and leftovers(out) == []
    assert snapshot(corpora["b"]) == raw_before


def test_ctrl_c_while_writing_keeps_the_previous_build(tmp_path, corpora, monkeypatch):
    out = tmp_path / "processed"
    write_tables(build(corpora["a"], resources=None), out)
    tables_b = build(corpora["b"], resources=None)
    import analysis.corpus.tables_io as tables_io

    def interrupted(df, path):
        Path(path).write_text("half a fi")
        raise KeyboardInterrupt

    monkeypatch.setattr(tables_io, "write_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_tables(tables_b, out)
    assert which_build(out) == "a" and leftovers(out) == []


HOLDER = r"""
import sys, time
from analysis.corpus import lock
with lock.hold(sys.argv[1], "test"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_in_child(path: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_build_says_who_holds_the_output_folder(tmp_path, corpora, monkeypatch):
    out = tmp_path / "processed"
    tables = build(corpora["a"], resources=None)
    proc = hold_in_child(tmp_path / ".processed.lock", 30)
    try:
        monkeypatch.setattr(lock, "WAIT_SECONDS", 0.5)
        with pytest.raises(lock.Busy, match=f"output folder .*processed: in use by process {proc.pid} on "):
            write_tables(tables, out)
        assert not out.exists()
    finally:
        proc.kill()
        proc.wait()
    write_tables(tables, out)  # the lock went with its process
    assert which_build(out) == "a"


def test_a_second_build_waits_for_the_first(tmp_path, corpora):
    out = tmp_path / "processed"
    tables = build(corpora["a"], resources=None)
    proc = hold_in_child(tmp_path / ".processed.lock", 1.5)
    start = time.monotonic()
    write_tables(tables, out)
    assert time.monotonic() - start > 0.8
    assert proc.wait() == 0 and which_build(out) == "a"


def test_a_build_waits_for_another_using_the_same_cache(tmp_path, corpora, monkeypatch):
    from analysis.corpus.cache import cache_folder

    cache = tmp_path / "cache"
    folder = cache_folder(cache, corpora["a"])
    proc = hold_in_child(folder.with_name(folder.name + ".lock"), 30)
    try:
        monkeypatch.setattr(lock, "WAIT_SECONDS", 0.5)
        with pytest.raises(lock.Busy, match=f"build cache .*: in use by process {proc.pid}"):
            build(corpora["a"], cache_dir=cache, resources=None)
    finally:
        proc.kill()
        proc.wait()
    assert len(build(corpora["a"], cache_dir=cache, resources=None)["turns"]) == 9


TWO_BUILDS = r"""
import sys
from analysis.corpus import build, write_tables
for _ in range(3):
    write_tables(build(sys.argv[1], resources=None), sys.argv[2])
"""


def test_two_builds_into_one_folder_at_once_leave_one_of_them(tmp_path, corpora):
    out = tmp_path / "processed"
    procs = [subprocess.Popen([sys.executable, "-c", TWO_BUILDS, str(corpora[k]), str(out)]) for k in "ab"]
    assert [p.wait() for p in procs] == [0, 0]
    assert which_build(out) in {"a", "b"} and leftovers(out) == []


def test_the_output_must_be_a_folder_outside_the_raw_one(tmp_path, corpora, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(corpora["a"], raw)
    before = snapshot(raw)
    afile = tmp_path / "file.txt"
    afile.write_text("not a folder")
    for out, problem in [(afile, "the output path is a file"), (raw, "refusing to write into the raw data folder"),
                         (raw / "tables", "refusing to write into the raw data folder"),
                         (tmp_path, "refusing to write the tables into a folder that holds the raw data folder")]:
        assert main(["build", "--raw", str(raw), "--out", str(out), "--no-cache"]) == 2
        err = capsys.readouterr().err
        assert f"error: {out}: {problem}" in err
    assert snapshot(raw) == before and afile.read_text() == "not a folder"


def _mount_tmpfs(path: Path, size: str) -> None:
    path.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small tmpfs needs root and mount(8)")
    rc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if rc.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {rc.stderr.decode(errors='replace').strip()}")


@pytest.fixture
def small_disk(tmp_path):
    disks = []

    def make(size: str) -> Path:
        path = tmp_path / f"disk{len(disks)}"
        _mount_tmpfs(path, size)
        disks.append(path)
        return path

    yield make
    for path in disks:
        subprocess.run(["umount", "-l", str(path)], check=False)  # lazily: an open file must not keep it


def test_disk_full_is_a_message_and_the_old_tables_stay(tmp_path, corpora, small_disk, capsys):
    disk = small_disk("400k")
    out = disk / "processed"
    assert main(["build", "--raw", str(corpora["a"]), "--out", str(out), "--no-cache"]) == 0
    before = snapshot(out)
    capsys.readouterr()
    assert main(["build", "--raw", str(corpora["b"]), "--out", str(out), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert f"error: {out}: cannot write the tables: disk full (no space left on the device)" in err
    assert "the previous tables are intact" in err
    assert snapshot(out) == before and which_build(out) == "a" and leftovers(out) == []


def test_a_full_cache_disk_costs_only_the_cache(tmp_path, corpora, small_disk, caplog):
    cache = small_disk("64k")
    tables = build(corpora["b"], cache_dir=cache, resources=None)
    assert "cache not updated: disk full" in caplog.text
    clean = build(corpora["b"], resources=None)
    for name in ("documents", "turns", "tokens"):
        pd.testing.assert_frame_equal(tables[name], clean[name])
    assert [p.name for p in cache.rglob("gen-*")] == []  # nothing half-written left
    out = tmp_path / "processed"
    write_tables(tables, out)
    assert which_build(out) == "b"
    assert len(read_tables(out)["turns"]) == 38


def test_write_refuses_a_file_given_as_output_from_python(tmp_path):
    afile = tmp_path / "x"
    afile.write_text("keep")
    with pytest.raises(OutputError, match="the output path is a file"):
        write_tables({}, afile)
    assert afile.read_text() == "keep"


def test_a_cache_inside_the_raw_folder_is_not_used(tmp_path, corpora, caplog):
    raw = tmp_path / "raw"
    shutil.copytree(corpora["a"], raw)
    before = snapshot(raw)
    tables = build(raw, cache_dir=raw / ".cache", resources=None)
    assert len(tables["turns"]) == 9 and "cache not used" in caplog.text
    assert snapshot(raw) == before and not (raw / ".cache").exists()


def test_the_workbook_on_a_full_disk_is_a_message(tmp_path, corpora, small_disk):
    disk = small_disk("300k")
    tables = build(corpora["b"], resources=None)
    with pytest.raises(OutputError, match="disk full .*the previous tables are intact"):
        write_tables(tables, disk / "processed", csv="none", formats=("parquet",), xlsx=True)
    assert list(disk.iterdir()) == [disk / ".processed.lock"]


def test_an_output_folder_given_as_a_link_is_replaced_where_it_points(tmp_path, corpora):
    real = tmp_path / "real"
    link = tmp_path / "processed"
    link.symlink_to(real, target_is_directory=True)
    write_tables(build(corpora["a"], resources=None), link)
    write_tables(build(corpora["b"], resources=None), link)
    assert link.is_symlink() and which_build(real) == "b" and leftovers(real) == []


def test_a_write_of_some_tables_leaves_no_table_of_the_previous_build(tmp_path, corpora):
    out = tmp_path / "processed"
    write_tables(build(corpora["b"], resources=None), out, xlsx=True)
    tables = build(corpora["a"], resources=None)
    write_tables({"documents": tables["documents"], "turns": tables["turns"]}, out)
    assert sorted(p.name for p in out.iterdir()) == ["documents.csv", "documents.parquet", "turns.csv", "turns.parquet"]
