"""Where a build's time goes: seconds per stage, and the write a default build does.

``StageClock`` wraps the stage functions that ``analysis.corpus.pipeline`` calls
(by module-global name, so the wrappers are what the pipeline runs) and adds up
the wall seconds of each in this process:

- ``decode``: ``read_transcript`` (bytes -> text, front matter, encoding);
- ``parse``: the rest of ``process_documents`` before the language stages (lines,
  speakers, turns, roles, rows, the documents and turns tables);
- ``tokens``, ``topics``, ``mentions``, ``exchanges``: their ``to_*`` functions;
- ``combine``: the rest of ``build`` (finding files, batches, putting the tables
  together in file order);
- ``write``: what ``default_write`` took.

Only work done in this process is seen: with workers, their share is not.

``default_write`` writes what ``analysis build`` writes by default. Issue 17 decided
that every table is Parquet and a table is also CSV only when it fits in a
spreadsheet (``EXCEL_ROWS``); a package that still writes every CSV is detected
(``writes_every_csv``) and the decision is simulated with two calls of its
``write_tables`` so that the figures are those of the build as it will ship.
"""

from __future__ import annotations

import functools
import tempfile
import time
from pathlib import Path

EXCEL_ROWS = 1_048_576  # rows in one Excel sheet, the header's included
STAGES = ("decode", "parse", "tokens", "topics", "mentions", "exchanges", "combine", "write")
_WRAPPED = {"read_transcript": "decode", "to_tokens": "tokens", "to_topics": "topics",
            "to_mentions": "mentions", "to_exchanges": "exchanges"}


class StageClock:
    """Seconds per stage of the builds run while installed (see the module's doc)."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self.cpu = dict.fromkeys(STAGES, 0.0)  # CPU seconds of this process: steadier on a busy machine
        self.missing: list[str] = []
        self._saved: dict[str, object] = {}
        self._language = self._language_cpu = 0.0  # tokens + topics + mentions + exchanges inside process_documents
        self._inside = False  # in process_documents (derived stages also run outside it, from a cache)

    def install(self) -> "StageClock":
        from analysis.corpus import pipeline

        for name, stage in {**_WRAPPED, "process_documents": "process"}.items():
            fn = getattr(pipeline, name, None)
            if fn is None:
                self.missing.append(name)
                continue
            self._saved[name] = fn
            setattr(pipeline, name, self._timed(fn, stage))
        return self

    def uninstall(self) -> None:
        from analysis.corpus import pipeline

        for name, fn in self._saved.items():
            setattr(pipeline, name, fn)
        self._saved.clear()

    def _timed(self, fn, stage: str):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            t0, c0 = time.perf_counter(), time.process_time()
            if stage == "process":
                self._inside, self._language, self._language_cpu = True, 0.0, 0.0
            try:
                return fn(*args, **kwargs)
            finally:
                dt, dc = time.perf_counter() - t0, time.process_time() - c0
                if stage == "process":
                    self.seconds["parse"] += dt - self._language
                    self.cpu["parse"] += dc - self._language_cpu
                    self._inside = False
                else:
                    self.seconds[stage] += dt
                    self.cpu[stage] += dc
                    if self._inside:
                        self._language += dt
                        self._language_cpu += dc
        return timed

    def finish(self, build: float, write: float, *, cpu: bool = False) -> dict[str, float]:
        """The split of one build that took ``build`` seconds and its write ``write``:
        wall seconds per stage, or with ``cpu`` CPU seconds (``build``, ``write`` then CPU too)."""
        out = dict(self.cpu if cpu else self.seconds)
        out["combine"] = max(0.0, build - sum(v for k, v in out.items() if k not in ("combine", "write")))
        out["write"] = write
        return {k: round(v, 4) for k, v in out.items()}


def writes_every_csv(write_tables) -> bool:
    """Does ``write_tables`` by default write CSV even for a table too big for a spreadsheet?

    Asked by writing a one-column table of ``EXCEL_ROWS + 1`` rows to a temporary
    folder (a fraction of a second)."""
    import numpy as np
    import pandas as pd

    with tempfile.TemporaryDirectory(prefix="analysis-benchmark-probe-") as tmp:
        write_tables({"probe": pd.DataFrame({"x": np.zeros(EXCEL_ROWS + 1, np.int8)})}, tmp)
        return (Path(tmp) / "probe.csv").exists()


def default_write(tables: dict, out: Path, write_tables, *, simulate: bool) -> list[str]:
    """Write ``tables`` as a default ``analysis build`` does -> the names of the files written.

    ``simulate``: the package still writes every CSV (in place, file by file), so
    write Parquet for every table and CSV for those that fit in a sheet with their
    header, as issue 17 decided."""
    if simulate:  # side by side, as one call would write them
        from concurrent.futures import ThreadPoolExecutor

        big = {k: v for k, v in tables.items() if len(v) + 1 > EXCEL_ROWS}  # the header takes a row
        small = {k: v for k, v in tables.items() if k not in big}
        with ThreadPoolExecutor(max_workers=2) as pool:
            done = [pool.submit(write_tables, big, out, formats=("parquet",)) if big else None,
                    pool.submit(write_tables, small, out) if small else None]
            for job in done:
                if job is not None:
                    job.result()
    else:
        write_tables(tables, out)
    return sorted(p.name for p in Path(out).iterdir() if p.is_file())
